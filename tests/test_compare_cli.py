"""``salesim compare``: the paired comparison table, JSON, written files and clear errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sim.cli import main
from tests.helpers import SCENARIOS

WEEKEND = str(SCENARIOS / "weekend.yaml")
GRID = ["--policy", "round_robin", "--vary", "reps=8,10", "-n", "3", "--seed", "7"]


def _compare(*args: str) -> Result:
    return CliRunner().invoke(main, ["compare", WEEKEND, *args])


@pytest.fixture(scope="module")
def table_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    out = tmp_path_factory.mktemp("compare")
    return _compare(*GRID, "--out", str(out)), out


def test_table_and_files(table_run: tuple[Result, Path]) -> None:
    result, out = table_run
    assert result.exit_code == 0, result.output
    for text in ("等待顾问平均时长", "wait_rep_mean", "置业顾问 8人", "置业顾问 10人",
                 "基准「置业顾问 8人」", "差异 [95% CI]", "显著", "目标达成", "结论：",
                 str(out)):  # fmt: skip
        assert text in result.output, text
    assert "reps=8" not in result.output  # readable variant names, not the --vary text
    for name in ("waits", "profiles", "receptions", "occupancy", "lost_by_hour"):
        for ext in ("png", "svg"):
            assert (out / f"{name}.{ext}").stat().st_size > 5000
    assert "data:image/png;base64," in (out / "report.html").read_text(encoding="utf-8")
    with (out / "comparison.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["variant"] for r in rows} == {"reps=8", "reps=10"}
    arrived = next(r for r in rows if r["kpi"] == "groups_arrived" and r["variant"] == "reps=10")
    # common random numbers: the same groups arrive in both variants, day by day
    assert float(arrived["diff_mean"]) == 0 and arrived["significant"] == "False"
    with (out / "kpis_by_replication.csv").open(encoding="utf-8-sig") as handle:
        per_day = list(csv.DictReader(handle))
    assert [(r["variant"], r["replication"]) for r in per_day][:4] == [
        ("reps=8", "0"), ("reps=8", "1"), ("reps=8", "2"), ("reps=10", "0"),
    ]  # fmt: skip


def test_json_output_matches_the_written_comparison(
    table_run: tuple[Result, Path], tmp_path: Path
) -> None:
    result = _compare(*GRID, "--json", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["base"] == "reps=8" and data["variants"] == ["reps=8", "reps=10"]
    assert data["seed"] == 7 and data["replications"] == 3
    wait = data["kpis"]["wait_rep_mean"]
    assert wait["zh"] == "等待顾问平均时长" and set(wait["variants"]) == {"reps=8", "reps=10"}
    diff = wait["diff"]["reps=10"]
    assert diff["ci_low"] <= diff["mean"] <= diff["ci_high"]
    assert diff["significant"] == (diff["ci_low"] > 0 or diff["ci_high"] < 0)
    details = {d["label"]: d for d in data["variant_details"]}
    assert details["reps=10"]["changes"] == {"reps": 10}
    # same seed, same variants: the table run wrote the same numbers
    _, out = table_run
    written = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert written["kpis"] == data["kpis"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--policy", "roundrobin"], "did you mean 'round_robin'"),
        (["--vary", "reps"], "write FIELD=VALUE1,VALUE2"),
        (["--vary", "vip_rooms.cuont=2,3"], "vip_rooms.cuont: 没有这个字段 no such field"),
        (["--vary", "vip_rooms.count=two"], "vip_rooms.count"),
        (["--policy", "round_robin", "--policy", "round_robin"], "given twice"),
        (["-n", "1"], "1 is not in the range"),
    ],
)
def test_mistakes_are_one_clear_line_and_exit_2(
    args: list[str], message: str, tmp_path: Path
) -> None:
    result = _compare(*args, "--out", str(tmp_path))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_scenario_and_unwritable_out(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["compare", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "no such scenario file" in result.output
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = _compare("-n", "2", "--out", str(blocker / "sub"))
    assert result.exit_code == 2 and "cannot write results" in result.output


def test_english_and_every_kpi(tmp_path: Path) -> None:
    """--lang en prints English labels and messages; --all prints KPIs beyond the headline."""
    result = _compare(*GRID, "--lang", "en", "--all", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    for text in ("wait for a rep, mean", "8 reps", "base '8 reps'", "Verdict:", "Targets met",
                 "VIP room occupancy", "comparison written to"):  # fmt: skip
        assert text in result.output, text
    assert "等待" not in result.output
