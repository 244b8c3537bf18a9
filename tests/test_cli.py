"""The salesim command line: the KPI table, JSON, written tables, clear errors."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

from click.testing import CliRunner

from sim.cli import main
from tests.helpers import SCENARIOS

WEEKEND = str(SCENARIOS / "weekend.yaml")


def test_run_prints_the_answer_then_the_headline_kpis(tmp_path: Path) -> None:
    """Issue 15 items 1 and 6: targets first, headline KPIs with their keys, --all for more."""
    result = CliRunner().invoke(main, ["run", WEEKEND, "-n", "3", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for label in ("结论", "目标与达成", "等待顾问P90", "wait_rep_p90", "≤ 5 分钟", "主要指标",
                  "等待顾问平均时长", "流失率", "95% CI", "--all"):  # fmt: skip
        assert label in result.output, label
    assert result.output.index("目标与达成") < result.output.index("主要指标")
    assert "VIP室占用率" not in result.output  # not a headline KPI
    everything = CliRunner().invoke(main, ["run", WEEKEND, "-n", "3", "--out", str(tmp_path),
                                           "--all", "--lang", "en"])  # fmt: skip
    assert everything.exit_code == 0, everything.output
    for label in ("Targets", "wait for a rep, mean", "VIP room occupancy", "vip_occupancy",
                  "tables written to"):  # fmt: skip
        assert label in everything.output, label
    assert "等待" not in everything.output
    folder = tmp_path / "weekend-longfor-seed0"  # the shipped weekend runs the Longfor rulebook
    for name in ("visits", "assignments", "vip_rooms", "sample_houses", "reps", "summary"):
        assert (folder / f"{name}.csv").stat().st_size > 0
    with (folder / "visits.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["replication"] for r in rows} == {"0", "1", "2"}
    assert {r["outcome"] for r in rows} <= {"served", "lost", "non_sales", "refused", "present"}


def test_json_matches_written_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["run", WEEKEND, "-n", "2", "--seed", "4", "--json", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["replications"] == 2 and data["seed"] == 4
    written = json.loads((Path(data["output"]) / "summary.json").read_text(encoding="utf-8"))
    assert written["kpis"] == data["kpis"]
    k = data["kpis"]["wait_rep_mean"]
    assert k["zh"] == "等待顾问平均时长" and k["ci_low"] <= k["mean"] <= k["ci_high"]


def test_same_seed_same_json(tmp_path: Path) -> None:
    args = ["run", WEEKEND, "-n", "2", "--seed", "3", "--json", "--out", str(tmp_path)]
    a = json.loads(CliRunner().invoke(main, args).output)
    b = json.loads(CliRunner().invoke(main, args).output)
    assert a["kpis"] == b["kpis"]


def test_unknown_policy_exit_2(tmp_path: Path) -> None:
    args = ["run", WEEKEND, "--policy", "roundrobin", "--out", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "did you mean 'round_robin'" in result.output
    assert "Traceback" not in result.output


def test_unwritable_out_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(main, ["run", WEEKEND, "-n", "1", "--out", str(blocker / "sub")])
    assert result.exit_code == 2
    assert "cannot write results" in result.output


def test_event_kpis_unbounded_on_some_days_are_shown_not_hidden() -> None:
    """The shipped launch day at its baseline staffing leaves groups unserved at the finance
    desk (the reason to size it): its wait is infinite on those days and the table says so
    instead of a mean over the other days or a bare '—'."""
    from rich.console import Console

    from sim.experiment.runner import run
    from sim.report.terminal import kpi_table
    from sim.scenario import derive, load_scenario

    heavy = derive(load_scenario(SCENARIOS / "launch_day_800.yaml"), {"event.buy_share": 0.7})
    result = run(heavy, replications=3, seed=1, level="kpi", workers=1)  # buyer-heavy day
    assert all(math.isinf(v) for v in result.kpi_values("finance_wait_mean"))
    console = Console(record=True, width=80)
    console.print(kpi_table(result))
    assert "∞ (3天未服务完)" in console.export_text()
    console.print(kpi_table(result, lang="en"))
    assert "∞ (3 days unserved)" in console.export_text()
