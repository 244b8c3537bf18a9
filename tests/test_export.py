"""``salesim results export``: per-replication KPIs, summary and run metadata as CSV or Excel,
with Chinese and English headers, matching what the run printed."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sim.cli import main
from sim.experiment.runner import run
from sim.experiment.store import Store
from sim.report.export import export_run
from sim.scenario import load_scenario
from tests.helpers import WEEKEND_ISSUE13

WEEKEND_PATH = str(WEEKEND_ISSUE13)
WAIT_HEADER = "等待顾问平均时长 wait for a rep, mean (min)"


@pytest.fixture
def ran(tmp_path: Path) -> dict[str, object]:
    """A finished 6-replication run in ``tmp_path`` (its ``--json`` output)."""
    args = ["run", WEEKEND_PATH, "-n", "6", "--seed", "2", "--json", "--out", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _rows(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")  # a BOM, so that Excel reads the Chinese labels
    return list(csv.DictReader(text[1:].splitlines()))


def test_csv_export(tmp_path: Path, ran: dict[str, object]) -> None:
    key = str(ran["run_key"])
    result = CliRunner().invoke(main, ["results", "export", key[:8], "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    paths = [Path(line) for line in result.stdout.split()]
    suffixes = ("kpis", "summary", "run")
    assert [p.name for p in paths] == [f"run-{key[:12]}-{s}.csv" for s in suffixes]
    kpis = _rows(paths[0])
    assert [r["重复 replication"] for r in kpis] == [str(i) for i in range(6)]
    summary = {r["指标代码 KPI key"]: r for r in _rows(paths[1])}
    stats = ran["kpis"]
    assert isinstance(stats, dict)
    for name, printed in stats.items():
        mean = summary[name]["均值 mean"]
        assert (float(mean) if mean else None) == printed["mean"], name
    assert summary["wait_rep_mean"]["指标 KPI (中文)"] == "等待顾问平均时长"
    average = sum(float(r[WAIT_HEADER]) for r in kpis) / 6
    assert average == pytest.approx(float(summary["wait_rep_mean"]["均值 mean"]))
    run_fields = {r["项目 field"]: r["值 value"] for r in _rows(paths[2])}
    assert run_fields["运行键 run key"] == key and run_fields["种子 seed"] == "2"


def test_xlsx_export(tmp_path: Path, ran: dict[str, object]) -> None:
    key = str(ran["run_key"])
    to = tmp_path / "exports"
    args = ["results", "export", key, "--out", str(tmp_path), "--format", "xlsx", "--to", str(to)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    book = load_workbook(to / f"run-{key[:12]}.xlsx", read_only=True)
    assert book.sheetnames == ["各次重复 replications", "汇总 summary", "运行 run"]
    rows = list(book["各次重复 replications"].iter_rows(values_only=True))
    assert rows[0][0] == "重复 replication" and WAIT_HEADER in rows[0]
    assert [r[0] for r in rows[1:]] == list(range(6))
    summary = {r[2]: r for r in book["汇总 summary"].iter_rows(min_row=2, values_only=True)}
    assert book["汇总 summary"]["A1"].value == "指标 KPI (中文)"  # Chinese first (issue 15)
    stats = ran["kpis"]
    assert isinstance(stats, dict)
    assert summary["wait_rep_mean"][4] == stats["wait_rep_mean"]["mean"]
    assert summary["wait_rep_mean"][9] == 6


def test_unfinished_run_exports_what_is_stored(tmp_path: Path) -> None:
    weekend = load_scenario(WEEKEND_PATH)
    with Store.in_folder(tmp_path) as store:
        key = run(weekend, 4, seed=1, workers=1, store=store).run_key
        store.db.execute("UPDATE runs SET finished = NULL, replications = NULL")
        store.db.commit()
        (path, *_) = export_run(store, key, "csv", tmp_path)
        (record,) = store.runs()
    assert len(_rows(path)) == 4 and record.finished is None


def test_unknown_key_is_a_clear_error(tmp_path: Path, ran: dict[str, object]) -> None:
    result = CliRunner().invoke(main, ["results", "export", "ffff0000", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "no stored run with a key starting 'ffff0000'" in result.output
    assert "Traceback" not in result.output
