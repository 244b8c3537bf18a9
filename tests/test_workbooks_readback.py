"""Every workbook the CLI writes, read back as a planner's tools read it (issue 15 item 3).

openpyxl ``load_workbook(data_only=True)`` sees what pandas and file previewers see: a formula
cell must hold its stored value (a number, not None). Each workbook has frozen headers, and the
number formats a planner expects: shares as percent, money with thousands separators and 元.
Every CSV written beside them starts with a UTF-8 byte-order mark (Excel on Chinese Windows).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import formulas
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from sim.cli import main
from sim.core.xlsx_style import NUMBER_FORMATS
from tests.helpers import WEEKEND_ISSUE13

ROOT = Path(__file__).resolve().parent.parent
SIZING = ROOT / "tests" / "fixtures" / "sizing_launch_day.json"
EVENT = ROOT / "tests" / "fixtures" / "bad" / "_base_event.yaml"  # a valid 300-person launch
MONEY, SHARE = NUMBER_FORMATS["money"], NUMBER_FORMATS["share"]


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder holding every kind of output: a run and its exports, a fee plan with an event
    surcharge, an event sizing, an office sizing of the Excel scenario template."""
    out = tmp_path_factory.mktemp("outputs")
    template = out / "template" / "my_office.xlsx"
    invoke("init", "--xlsx", str(template))
    data = json.loads(invoke("run", str(WEEKEND_ISSUE13), "-n", "3", "--seed", "2", "--json",
                             "--out", str(out / "run")))  # fmt: skip
    for fmt in ("xlsx", "csv"):
        invoke("results", "export", str(data["run_key"]), "--out", str(out / "run"),
               "--format", fmt, "--to", str(out / "export"))  # fmt: skip
    invoke("fee", str(WEEKEND_ISSUE13), "--sizing", str(SIZING), "--out", str(out / "fee"))
    invoke("size", str(EVENT), "--out", str(out / "event"), "-n", "10", "--workers", "1",
           "--no-plots")  # fmt: skip
    invoke("size", str(template), "--days", "10", "--validate-days", "0", "-w", "1",
           "--target", "lost_share<=0.05",
           "--no-plots", "--out", str(out / "office"))  # fmt: skip
    return out


def _formats(ws: Worksheet) -> set[str]:
    return {c.number_format for row in ws.iter_rows() for c in row
            if isinstance(c.value, float | int)}  # fmt: skip


def test_every_workbook_has_frozen_headers_and_values(outputs: Path) -> None:
    books = sorted(outputs.rglob("*.xlsx"))
    names = {p.name for p in books}
    assert {"my_office.xlsx", "fee_plan.xlsx", "headcount.xlsx"} <= names
    assert any(n.startswith("run-") for n in names) and len(books) >= 5  # + event and office
    for path in books:
        book = load_workbook(path, data_only=True)
        for ws in book.worksheets:
            assert ws.freeze_panes is not None, (path.name, ws.title)
            numbers = [c.value for row in ws.iter_rows() for c in row
                       if isinstance(c.value, int | float)]  # fmt: skip
            assert numbers or path.name == "my_office.xlsx" or ws.max_row <= 2, (path, ws.title)


def test_fee_plan_formulas_carry_their_values(outputs: Path) -> None:
    """Each formula cell of fee_plan.xlsx has a stored number equal to what an independent
    engine (the ``formulas`` package) computes from the formulas; money shows 元."""
    path = outputs / "fee" / "fee_plan.xlsx"
    live = load_workbook(path)
    cached = load_workbook(path, data_only=True)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    engine = {}
    for key, value in solution.items():
        found = re.fullmatch(r"'\[[^\]]+\](.+)'!([A-Z]+[0-9]+)", key)
        if found:
            engine[(found.group(1).upper(), found.group(2))] = value.value[0][0]
    checked = 0
    for ws in live.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type != "f":
                    continue
                stored = cached[ws.title][c.coordinate].value
                assert isinstance(stored, int | float), (ws.title, c.coordinate, c.value)
                computed = float(engine[(ws.title.upper(), c.coordinate)])
                assert stored == pytest.approx(computed, abs=1e-6), (ws.title, c.value)
                checked += 1
    assert checked > 50
    assert any(MONEY in _formats(ws) for ws in cached.worksheets)


def test_run_export_formats_shares_as_percent(outputs: Path) -> None:
    book = load_workbook(next((outputs / "export").glob("run-*.xlsx")), data_only=True)
    summary = book["汇总 summary"]
    rows = {r[2].value: r for r in summary.iter_rows(min_row=2)}
    assert rows["lost_share"][4].number_format == SHARE  # 流失率: a share
    assert rows["wait_rep_mean"][4].number_format == NUMBER_FORMATS["min"]
    assert rows["groups_arrived"][4].number_format == "0"
    per_rep = book["各次重复 replications"]
    header = [c.value for c in per_rep[1]]
    col = next(i for i, h in enumerate(header) if str(h).startswith("流失率"))
    assert per_rep.cell(2, col + 1).number_format == SHARE
    assert summary.freeze_panes == "B2"


def _grid(ws: Worksheet) -> dict[str, list[Any]]:
    return {str(r[0].value): [c.value for c in r] for r in ws.iter_rows() if r[0].value}


def test_headcount_grid_per_payer(outputs: Path) -> None:
    """The event headcount: one grid per payer, Chinese post names first, a column per block,
    the peak and the person-hours of each post, and a totals row that adds them up."""
    data = json.loads((outputs / "event" / "sizing.json").read_text(encoding="utf-8"))
    ws = load_workbook(outputs / "event" / "headcount.xlsx", data_only=True).worksheets[0]
    rows = _grid(ws)
    assert any(k.startswith("开发商/代理岗位") for k in rows)  # the desks: developer posts
    blocks = data["blocks"]
    header = next(v for k, v in rows.items() if k.startswith("岗位名称"))
    assert header[2:2 + len(blocks)] == blocks and header[-2:] == ["峰值 peak", "人时 person-hours"]
    by_post = {(r["post"], r["block"]): r["total"] for r in data["headcount"]}
    hours = (data["block_minutes"]) / 60
    posts = {r["post"] for r in data["headcount"]}
    for name, values in rows.items():
        if values[1] in posts:
            counts = [by_post[(values[1], b)] for b in blocks]
            assert values[2:2 + len(blocks)] == counts, name
            assert values[-2] == max(counts)
            assert values[-1] == pytest.approx(sum(counts) * hours)
    total = rows["合计 total"]
    assert total[-2] == sum(v[-2] for v in rows.values() if v[1] in posts)


def test_every_csv_has_a_bom(outputs: Path) -> None:
    csvs = sorted(outputs.rglob("*.csv"))
    names = {p.name for p in csvs}
    assert {"visits.csv", "summary.csv", "fee_plan.csv", "headcount.csv"} <= names
    for path in csvs:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path
