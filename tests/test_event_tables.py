"""Issue 15 item 5: an event-day ``salesim run`` writes its own tables (queue per desk per
block, call batches, satisfaction cards) and a report that opens with the answer. The tables
must add up to the run's KPIs, which :mod:`sim.event.kpis` computes by other code."""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.event.tables import block_of, clock
from tests.helpers import SCENARIOS

N = 3
POSTS = ("sign_in", "selection", "finance", "contract", "gift")


def read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no BOM"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows, f"{path.name}: header only"
    return rows


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("event")
    args = ["run", str(SCENARIOS / "launch_day_800.yaml"), "-n", str(N), "--out", str(out),
            "--workers", "1"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    (found,) = [p for p in out.iterdir() if p.is_dir()]
    return found


@pytest.fixture(scope="module")
def kpis(folder: Path) -> dict[int, dict[str, float]]:
    with (folder / "kpis_by_replication.csv").open(encoding="utf-8-sig") as f:
        return {int(r["replication"]): {k: float(v) for k, v in r.items() if v}
                for r in csv.DictReader(f)}  # fmt: skip


def test_queue_table_adds_up_to_the_desk_kpis(folder: Path, kpis: dict[int, dict[str, float]],
                                             ) -> None:  # fmt: skip
    rows = read(folder / "queue_by_block.csv")
    by: dict[tuple[int, str], list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        by[int(r["replication"]), r["post"]].append(r)
    for rep, k in kpis.items():
        # every group signs in first: the sign-in arrivals of a day are its groups
        assert sum(int(r["arrivals"]) for r in by[rep, "sign_in"]) == k["groups"]
        for post in POSTS:
            rs = by[rep, post]
            assert rs, (rep, post)
            assert max(int(r["queue_max"]) for r in rs) == k[f"{post}_queue_max"]
            assert sum(int(r["unserved"]) for r in rs) == k[f"{post}_unserved"]
            n = sum(int(r["arrivals"]) for r in rs)
            if k[f"{post}_unserved"] == 0:  # the mean wait is the arrivals-weighted block mean
                mean = sum(int(r["arrivals"]) * float(r["wait_mean_min"]) for r in rs) / n
                assert math.isclose(mean, k[f"{post}_wait_mean"], abs_tol=1e-3 * len(rs))
    blocks = {r["block"] for r in rows}
    assert all(len(b) == 5 and b[2] == ":" and b[3:] in ("00", "30") for b in blocks)


def test_call_batches_add_up_to_the_groups_and_the_moved(
    folder: Path, kpis: dict[int, dict[str, float]]
) -> None:
    rows = read(folder / "call_batches.csv")
    for rep, k in kpis.items():
        mine = [r for r in rows if int(r["replication"]) == rep]
        first = [r for r in mine if r["round"] == "1"]
        second = [r for r in mine if r["round"] == "2"]
        # V5: every number is called once in round 1; the absent are moved and called again
        assert sum(int(r["numbers"]) for r in first) == k["groups"]
        assert all(int(r["numbers"]) <= 10 for r in mine)  # batch_size: 10 in the scenario
        moved = sum(int(r["moved_to_end"]) for r in first)
        assert moved == k["moved_to_end"]
        assert sum(int(r["called"]) for r in second) == moved
        assert sum(int(r["called"]) for r in mine) == k["groups"]
        calls = [r["first_call"] for r in first if r["first_call"]]
        assert calls == sorted(calls)  # batches are called in order


def test_satisfaction_cards_add_up_to_the_card_kpis(
    folder: Path, kpis: dict[int, dict[str, float]]
) -> None:
    rows = read(folder / "satisfaction_cards.csv")
    for rep, k in kpis.items():
        mine = [r for r in rows if int(r["replication"]) == rep]
        assert sum(int(r["follow_ups"]) for r in mine) == k["card_follow_ups"]
        holders = sum(int(r["card_holders"]) for r in mine)
        mean = sum(int(r["card_holders"]) * float(r["card_mean"]) for r in mine) / holders
        assert math.isclose(mean, k["card_mean"], abs_tol=1e-3)


def test_the_report_opens_with_the_answer(folder: Path) -> None:
    text = (folder / "report.html").read_text(encoding="utf-8")
    answer = text.index("结论 Answer")
    assert answer < text.index("各服务台排队 Queue per desk") < text.index("来源与场景")
    assert "项目标" in text[answer:answer + 400]  # met or missed, counted
    assert "sign_in_wait_p90" in text and "签到台 sign-in desk" in text
    assert "<details>" in text and "@font-face" in text


def test_blocks_and_clock_by_hand() -> None:
    import numpy as np

    # opening 08:30 (510 min): 539.9 is in the first half hour, 540 starts the second
    assert list(block_of(np.array([510.0, 539.9, 540.0, 600.0]), 510.0)) == [0, 0, 1, 3]
    assert clock(510.0) == "08:30" and clock(540.0 + 1e-12) == "09:00"


def test_a_day_without_calling_writes_no_empty_batch_table(tmp_path: Path) -> None:
    args = ["run", str(SCENARIOS / "site_open_day.yaml"), "-n", "2", "--out", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    (found,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert read(found / "queue_by_block.csv") and (found / "report.html").is_file()
    assert not (found / "call_batches.csv").exists()
    assert not (found / "visits.csv").exists()  # no header-only office tables on an event day
    assert "无叫号 no calling" in (found / "report.html").read_text(encoding="utf-8")
