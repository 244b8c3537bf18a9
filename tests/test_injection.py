"""Spreadsheet and CSV injection (issue 18 item 4, OWASP CSV injection).

Text from user input — a scenario's and reps' names, a rate card's name, sources, notes,
team names and product-type labels, a sizing file's scenario name and its path — is planted
with formula payloads, one per OWASP leading character (``=``, ``+``, ``-``, ``@``, tab, CR).
Every CSV and workbook that ``run``, ``compare``, ``size``, ``fee`` and ``results export``
write is then read back: no CSV cell holding a payload starts with a formula character (the
writer prefixes ``'``), and no workbook cell holding a payload is a formula — the payload is
there, as text.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from sim.cli import main
from sim.core.cells import FORMULA_START, csv_cell, csv_text
from sim.experiment.store import Store
from tests.helpers import ROOT, scenario_dict

MARK = "PWNED"
PAYLOADS = [f'=HYPERLINK("http://x","{MARK}0")', f"+{MARK}1", f"-{MARK}2", f"@{MARK}3",
            f"\t{MARK}4", f"\r{MARK}5"]  # fmt: skip


def test_csv_cells_follow_the_owasp_rule() -> None:
    """Text starting with = + - @ tab or CR gets a leading quote; other text and numbers are
    kept, negative numbers included; None is an empty cell, NaN too where the table asks."""
    assert [csv_cell(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    assert [csv_cell(v) for v in ("张伟", "a=b", -3, -2.5, 0.0)] == ["张伟", "a=b", -3, -2.5, 0.0]
    assert csv_cell(None) == "" and csv_cell(math.nan, nan_empty=True) == ""
    assert math.isnan(csv_cell(math.nan))  # type: ignore[arg-type]
    assert csv_text(["a", "b"], [["=1+1", -1]], bom=False) == "a,b\n'=1+1,-1\n"
    assert csv_text(["a"], []) == "\ufeffa\n"  # the default: a BOM for Excel (issue 15)


def _write(data: Any, path: Path) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _csv_cells(path: Path) -> Iterator[str]:
    text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    for row in csv.reader(io.StringIO(text, newline="")):
        yield from row


def check_outputs(folder: Path, expect: int) -> None:
    """Every payload cell of every CSV is neutralised and of every workbook is text; at least
    ``expect`` payload cells were found in all (the payloads did reach the outputs)."""
    found = 0
    for path in folder.rglob("*.csv"):
        for cell in _csv_cells(path):
            if MARK in cell:
                found += 1
                assert not cell.startswith(FORMULA_START), (path.name, cell)
    for path in folder.rglob("*.xlsx"):
        for ws in load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and MARK in cell.value:
                        found += 1
                        assert cell.data_type == "s", (path.name, ws.title, cell.coordinate)
    assert found >= expect, found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A weekday scenario, a rate card and a sizing file full of payloads."""
    base = tmp_path_factory.mktemp("hostile")
    office = scenario_dict("weekday")
    office["name"] = PAYLOADS[0]
    for rep, payload in zip(office["reps"], PAYLOADS, strict=False):
        rep["name"] = payload
    office["staffing"]["rep_shifts"] = {}
    card = yaml.safe_load((ROOT / "ratecards" / "example_yancheng.yaml").read_text("utf-8"))
    card["name"], card["source"] = PAYLOADS[1], PAYLOADS[2]
    teams: dict[str, str] = {}
    for post in card["posts"].values():
        post["note"] = PAYLOADS[3]
        if "team" in post:  # one payload per team: a team's posts keep one name
            post["team"] = teams.setdefault(post["team"], PAYLOADS[4 + len(teams) % 2])
    for product in card["product_types"].values():
        product["label_zh"] = PAYLOADS[5]
        for optional in product["optional_posts"]:
            optional["note"] = PAYLOADS[0]
    sizing = json.loads((ROOT / "tests" / "fixtures" / "sizing_launch_day.json").read_text("utf-8"))
    sizing["scenario_name"] = PAYLOADS[1]
    (base / "=sizing").mkdir()
    sized = base / "=sizing" / "s.json"
    sized.write_text(json.dumps(sizing, ensure_ascii=False), encoding="utf-8")
    return {"office": _write(office, base / "office.yaml"), "card": _write(card, base / "c.yaml"),
            "sizing": sized, "base": base}  # fmt: skip


def invoke(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


def test_fee_plan_workbook_and_csv_hold_user_text_as_text(
    hostile: dict[str, Path], tmp_path: Path
) -> None:
    """fee_plan.xlsx and fee_plan.csv: card name, source, notes, teams, product labels, the
    scenario name and the sizing file's path are text, never formulas."""
    invoke("fee", str(hostile["office"]), "--rates", str(hostile["card"]), "--sizing",
           str(hostile["sizing"]), "--product-type", "villa", "--out", str(tmp_path))  # fmt: skip
    check_outputs(tmp_path, expect=8)


def test_run_tables_and_exports_neutralise_user_text(
    hostile: dict[str, Path], tmp_path: Path
) -> None:
    """The run's CSV tables (rep names in visits, assignments, reps) and the exported CSV and
    workbook (the scenario name in the run sheet)."""
    invoke("run", str(hostile["office"]), "-n", "2", "-w", "1", "--out", str(tmp_path))
    check_outputs(tmp_path, expect=6)
    with Store.in_folder(tmp_path) as store:
        key = store.runs()[0].run_key
    for fmt in ("csv", "xlsx"):
        to = tmp_path / f"export-{fmt}"
        invoke("results", "export", key, "--format", fmt, "--out", str(tmp_path), "--to", str(to))
        check_outputs(to, expect=1)


def test_comparison_tables_neutralise_user_text(hostile: dict[str, Path], tmp_path: Path) -> None:
    """comparison.csv and kpis_by_replication.csv of ``compare``: the variants' labels."""
    invoke("compare", str(hostile["office"]), "-n", "2", "--policy", "round_robin",
           "--vary", f"name={PAYLOADS[2]}", "--out", str(tmp_path))  # fmt: skip
    check_outputs(tmp_path, expect=0)


def test_sizing_outputs_hold_text_as_text(tmp_path: Path) -> None:
    """headcount.csv and headcount.xlsx of ``size``: no cell of either is a formula."""
    invoke("size", str(ROOT / "scenarios" / "site_open_day.yaml"), "-n", "10",
           "--validate-days", "0", "-w", "1", "--no-plots", "--out", str(tmp_path))  # fmt: skip
    check_outputs(tmp_path, expect=0)
    books = sorted(tmp_path.rglob("headcount.xlsx"))  # the open weekend: one folder a day
    assert len(books) == 3
    for book in books:
        for ws in load_workbook(book).worksheets:
            assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
