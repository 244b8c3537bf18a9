"""Issue 19 item 1: "95 %" means the whole plan meets ALL its targets on a new day. The
fresh-day check judges the joint share of days on which every target holds (with a Wilson
interval), the sizer searches on with more days and a stricter per-target level while that
check misses, and a plan that still misses is never written as the answer."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.event_sizing import parse_target, size
from sim.event_sizing.sizer import inner_level
from sim.event_sizing.targets import SizingCriterion
from sim.event_sizing.validate import Validation, check, joint_check, share_floor
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "bad" / "_base_event.yaml"  # a valid 300-person launch


def _wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval written out (independent of scipy)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_each_target_at_the_level_but_not_jointly() -> None:
    """Three targets, each missed on its own 10 of 200 days (share 0.95 each: 'meets'), on
    disjoint days: all three hold on the same day on only 170/200 = 0.85 < the floor
    0.95 - 1.645·sqrt(0.95·0.05/200) = 0.9246, so the fresh check fails."""
    days = 200
    targets = [parse_target(t) for t in ("sign_in_wait_p90<=10", "selection_wait_p90<=5",
                                         "finance_wait_p90<=10")]  # fmt: skip
    kpis = {}
    for i, t in enumerate(targets):
        x = np.zeros(days)
        x[i * 10:(i + 1) * 10] = t.value + 1  # this target's own bad days
        kpis[t.kpi] = x
    crit = SizingCriterion("share_of_days", 0.95)
    checks = tuple(check(t, kpis[t.kpi], crit) for t in targets)
    assert [c.verdict for c in checks] == ["meets"] * 3
    joint = joint_check(targets, kpis, 0.95)
    assert (joint.met, joint.days, joint.share) == (170, 200, 0.85)
    assert joint.share < share_floor(0.95, 200) and joint.verdict == "MISSES"
    low, high = _wilson(170, 200)
    assert (joint.low, joint.high) == (pytest.approx(low, abs=1e-6), pytest.approx(high, abs=1e-6))
    v = Validation(1, days, "share_of_days", 0.95, checks, joint)
    assert not v.misses and not v.passed
    # the same bad days for all three targets: joint = each = 0.95, the check passes
    same = {t.kpi: np.where(np.arange(days) < 10, 99.0, 0.0) for t in targets}
    assert joint_check(targets, same, 0.95).share == 0.95


def test_days_without_a_sample_meet_every_target() -> None:
    t = parse_target("gift_wait_p90<=5")
    j = joint_check([t], {t.kpi: np.array([np.nan, 1.0, 9.0, np.nan])}, 0.95)
    assert (j.met, j.days) == (3, 4)


def test_inner_level_reaches_the_union_bound() -> None:
    """k targets each failing on at most (1-L)/k of the days fail together on at most 1-L
    (P(A or B) <= P(A) + P(B)): the last round's per-target level is 1 - 0.05/3 for 3 targets
    at 0.95; round 0 is the stated level, round 1 half way."""
    assert inner_level(0.95, 3, 0) == 0.95
    assert inner_level(0.95, 3, 2) == pytest.approx(1 - 0.05 / 3)
    assert inner_level(0.95, 3, 1) == pytest.approx((0.95 + 1 - 0.05 / 3) / 2)
    assert inner_level(0.95, 1, 2) == pytest.approx(0.95)  # one target: joint = the target


def test_joint_miss_searches_on_until_the_fresh_check_passes() -> None:
    """Seed 2 of the small launch: the search (20 days) passes every target, alone and
    together, on its search days, but on 100 fresh days sign-in holds on 0.89 of them and
    both targets together on 0.89 < floor 0.914 (0.95 - 1.645·sqrt(0.0475/100)). Without
    further rounds the result is marked failed; with them the sizer searches on (40 days,
    stricter level) and its plan holds jointly on the fresh days."""
    sc = load_scenario(SMALL)
    targets = [parse_target("sign_in_wait_p90<=8"), parse_target("selection_wait_p90<=4")]
    kw = {"days": 20, "seed": 2, "workers": 1, "curves": False, "validate_days": 100}
    once = size(sc, targets, "share_of_days", 0.95, 30, joint_rounds=0, **kw)  # type: ignore[arg-type]
    assert all(m >= 0 for _, _, m in once.achieved)  # every target met on the search days
    assert once.validation is not None and once.validation.joint is not None
    assert once.validation.joint.verdict == "MISSES" and once.status == "failed"
    more = size(sc, targets, "share_of_days", 0.95, 30, **kw)  # type: ignore[arg-type]
    v = more.validation
    assert v is not None and v.joint is not None
    assert more.rounds >= 1 and more.days == 20 * 2 ** more.rounds
    assert more.status == "ok" and v.passed and v.joint.share >= share_floor(0.95, 100)
    assert more.problem.criterion.confidence == 0.95  # reported at the stated level
    assert more.usage.total > once.usage.total  # both rounds' days are counted


def test_cli_exits_2_and_writes_no_answer_when_the_fresh_check_misses(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Every round misses (forced): exit 2, one line naming the shortfall, the best plan in
    sizing_failed.json marked failed, and no sizing.json (salesim fee has nothing to bill)."""
    import sim.event_sizing.validate as validate_module

    monkeypatch.setattr(validate_module, "share_verdict", lambda *a: "MISSES")
    args = ["--validate-days", "10", "-w", "1", "--no-plots"]
    result = CliRunner().invoke(main, ["size", str(SMALL), "--out", str(tmp_path), "-n", "10",
                                       *args])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    line = result.stderr.strip()
    assert line.count("\n") == 0 and "NOT an answer" in line
    assert "sign_in_wait_p90<=10 met on" in line and "2 further search rounds" in line
    assert "联合达标 joint" in result.stdout
    assert not (tmp_path / "sizing.json").exists()
    data = json.loads((tmp_path / "sizing_failed.json").read_text(encoding="utf-8"))
    assert data["status"] == "failed" and data["validation"]["passed"] is False
    assert data["headcount"]


def test_a_failed_run_renames_an_earlier_answer_in_the_same_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """An earlier run's sizing.json in the --out folder is not this run's answer: after a
    failed run it is kept as sizing.superseded.json, so salesim fee cannot bill it by mistake."""
    import sim.event_sizing.validate as validate_module

    earlier = '{"earlier": true}\n'
    (tmp_path / "sizing.json").write_text(earlier, encoding="utf-8")
    monkeypatch.setattr(validate_module, "share_verdict", lambda *a: "MISSES")
    result = CliRunner().invoke(main, ["size", str(SMALL), "--out", str(tmp_path), "-n", "10",
                                       "--validate-days", "10", "-w", "1", "--no-plots"])
    assert result.exit_code == 2, result.output
    assert "sizing.superseded.json" in result.stderr
    assert not (tmp_path / "sizing.json").exists()
    assert (tmp_path / "sizing.superseded.json").read_text(encoding="utf-8") == earlier
