"""The fee-plan workbook round trip: sheets, live formulas, and their values.

openpyxl stores formulas without computing them, so the workbook is evaluated by an
independent engine (the ``formulas`` package); its values must equal both the plan's Python
totals and the hand sums written out below.
"""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import formulas
import pytest
import yaml
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from sim.fee.assemble import Basis, make_plan
from sim.fee.plan import FeePlan
from sim.fee.ratecard import load_card, validate_card
from sim.fee.rules import ASSUMPTIONS, BASELINE, EVENT, INVOICE, OPTIONAL, SHEETS, SUMMARY
from sim.fee.sizing_file import load_sizing, validate_sizing
from sim.fee.workbook import write_workbook
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
CARD = ROOT / "ratecards" / "example_yancheng.yaml"
SIZING = ROOT / "tests" / "fixtures" / "sizing_launch_day.json"
WEEKEND = ROOT / "tests" / "fixtures" / "weekend_issue13.yaml"  # pinned staffing

# Hand sums (all-in costs checked by hand in test_fee_buildup.py, heads in test_fee_hours.py):
# concierge team 8 × 9,591.98; CS team (water bar, backup) 4 × 9,450.40; cleaners 6 × 2,880.00;
# duty manager 1 (per person) × 12,284.51; reps not billed
BASELINE_MONTHLY = (
    8 * Decimal("9591.98") + 4 * Decimal("9450.40") + 6 * Decimal("2880.00")
    + Decimal("12284.51")
)  # fmt: skip
# optional (high_rise, the card's default): the weekend butler, 86.49 h → 1 head, 12 months
OPTIONAL_MONTHLY = Decimal("9985.12")
# event, person-hours × rate at 0.95: parking 5×55, door 3×55, water bar 4×55, cleaner 8×25,
# sign-in 5×50, selection 14×60, finance 8×60, contract 10×60, gift 3×45
EVENT_95 = 5 * 55 + 3 * 55 + 4 * 55 + 8 * 25 + 5 * 50 + 14 * 60 + 8 * 60 + 10 * 60 + 3 * 45
EVENT_90 = 4 * 55 + 2 * 55 + 2 * 55 + 6 * 25 + 3 * 50 + 10 * 60 + 6 * 60 + 7 * 60 + 2 * 45
EVENT_99 = 8 * 55 + 5 * 55 + 6 * 55 + 11 * 25 + 8 * 50 + 18 * 60 + 11 * 60 + 14 * 60 + 5 * 45


def make(basis: Basis = "scenario", sizing: bool = True) -> FeePlan:
    """The example plan for the weekend scenario."""
    sized = load_sizing(SIZING) if sizing else None
    return make_plan(load_card(CARD), load_scenario(WEEKEND), str(WEEKEND), basis,
                     sizing=sized, sizing_source=str(SIZING))  # fmt: skip


def evaluate(path: Path) -> dict[tuple[str, str], Any]:
    """Every cell's computed value by (SHEET NAME upper-cased, 'A1')."""
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out = {}
    for key, value in solution.items():
        found = re.fullmatch(r"'\[[^\]]+\](.+)'!([A-Z]+[0-9]+)", key)
        if found:
            out[(found.group(1).upper(), found.group(2))] = value.value[0][0]
    return out


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, FeePlan, dict[Any, Any]]:
    plan = make()
    path = write_workbook(plan, tmp_path_factory.mktemp("wb") / "fee_plan.xlsx")
    return path, plan, evaluate(path)


def value(values: dict[tuple[str, str], Any], sheet: str, cell: str) -> Any:
    return values[(sheet.upper(), cell)]


def test_sheets_and_formulas(book: tuple[Path, FeePlan, dict[Any, Any]]) -> None:
    path, _, _ = book
    wb = load_workbook(path)
    assert wb.sheetnames == list(SHEETS)
    summary, base = wb[SUMMARY], wb[BASELINE]
    # rows 5–8 the concierge posts, 9 their team; 10–11 CS posts, 12 the team; 13 cleaner;
    # 14 duty manager; 15 reps; 16 the total
    assert summary["F5"].value == f"='{BASELINE}'!Q16"
    assert [base[f"A{r}"].value for r in (5, 9, 12, 13, 16)] == [
        "gate", "team:concierge", "team:cs", "cleaner", "合计 total (计费人数 billed heads)"]
    assert base["H5"].value == "=ROUND(F5*G5,2)"  # covered h/month = h/day × open days
    assert base["J5"].value == "=ROUND(H5/I5,6)"  # FTE
    assert base["I5"].value.startswith(f"='{ASSUMPTIONS}'!$AD$")  # hours per person
    assert base["K9"].value == "=ROUNDUP(ROUND(J9,6),0)"  # the team's heads
    assert base["J9"].value == "=SUM(J5:J8)"
    assert base["L9"].value == "=ROUND(K9/E9,2)"  # relief factor, an output
    assert base["K13"].value == "=ROUNDUP(ROUND(J13,6),0)"  # a one-post team on its line
    assert base["K14"].value == 1  # the duty manager: a manager, per person
    gate_row = int(base["I5"].value.rsplit("$", 1)[1])
    assumptions = wb[ASSUMPTIONS]
    assert assumptions[f"U{gate_row}"].value == f"=R{gate_row}+S{gate_row}+T{gate_row}"
    assert assumptions[f"T{gate_row}"].value.startswith(f"=ROUND((R{gate_row}+S{gate_row})*")
    assert assumptions[f"AD{gate_row}"].value == f"=AB{gate_row}+AC{gate_row}"


def test_values_equal_hand_sums_and_python(book: tuple[Path, FeePlan, dict[Any, Any]]) -> None:
    _, plan, values = book
    assert plan.baseline_monthly == BASELINE_MONTHLY == Decimal("144101.95")
    assert value(values, SUMMARY, "D5") == pytest.approx(float(BASELINE_MONTHLY), abs=1e-6)
    assert value(values, SUMMARY, "F5") == pytest.approx(float(BASELINE_MONTHLY * 12), abs=1e-6)
    assert value(values, SUMMARY, "C5") == plan.baseline_heads == 19  # reps not billed
    assert value(values, BASELINE, "K9") == 8  # ⌈7.812713⌉ concierges
    assert value(values, BASELINE, "L9") == pytest.approx(1.33)  # 8 ÷ 6 positions
    assert value(values, ASSUMPTIONS, f"AD{assumption_row(book[0], 'gate')}") == (
        pytest.approx(202.47))
    assert value(values, SUMMARY, "D6") == pytest.approx(float(OPTIONAL_MONTHLY), abs=1e-6)
    assert plan.optional_monthly == OPTIONAL_MONTHLY
    total = (BASELINE_MONTHLY + OPTIONAL_MONTHLY) * 12
    assert plan.period_total == total
    assert value(values, SUMMARY, "F7") == pytest.approx(float(total), abs=1e-6)


def assumption_row(path: Path, key: str) -> int:
    sheet = load_workbook(path)[ASSUMPTIONS]
    return next(r for r in range(1, sheet.max_row + 1) if sheet[f"A{r}"].value == key)


def test_monthly_invoice(book: tuple[Path, FeePlan, dict[Any, Any]]) -> None:
    _, _, values = book
    # baseline + optional = the monthly service fee; the event of the month on its own line
    service = BASELINE_MONTHLY + OPTIONAL_MONTHLY
    assert [value(values, INVOICE, f"C{r}") for r in range(5, 10)] == pytest.approx(
        [float(BASELINE_MONTHLY), float(OPTIONAL_MONTHLY), float(service), EVENT_95,
         float(service) + EVENT_95])  # fmt: skip
    assert value(values, INVOICE, "A8").startswith("本月活动附加费 @0.95")


def test_event_surcharge_and_uncertainty(book: tuple[Path, FeePlan, dict[Any, Any]]) -> None:
    _, plan, values = book
    assert plan.event is not None
    assert plan.event.total == EVENT_95 == 3165
    assert {k: s.total for k, s in plan.event_at.items()} == {"0.90": EVENT_90, "0.99": EVENT_99}
    labels = {value(values, SUMMARY, f"A{r}"): value(values, SUMMARY, f"F{r}") for r in (9, 10, 11)}
    assert labels == {"活动附加费 @ 0.95 (方案 plan)": EVENT_95, "活动附加费 @ 0.90": EVENT_90,
                      "活动附加费 @ 0.99": EVENT_99}  # fmt: skip


def test_every_all_in_cell_equals_the_build_up(
    book: tuple[Path, FeePlan, dict[Any, Any]],
) -> None:
    path, plan, values = book
    sheet = load_workbook(path)[ASSUMPTIONS]
    rows = {sheet[f"A{r}"].value: r for r in range(1, sheet.max_row + 1)}
    for post, up in plan.build_ups.items():
        assert value(values, ASSUMPTIONS, f"U{rows[post]}") == pytest.approx(float(up.all_in))
    assert value(values, ASSUMPTIONS, f"U{rows['gate']}") == pytest.approx(9591.98)


def test_formulas_follow_an_edited_input(
    book: tuple[Path, FeePlan, dict[Any, Any]], tmp_path: Path
) -> None:
    path, _, _ = book
    wb = load_workbook(path)
    sheet = wb[ASSUMPTIONS]
    rows = {sheet[f"A{r}"].value: r for r in range(1, sheet.max_row + 1)}
    sheet[f"C{rows['tax_pct']}"] = 0  # no tax: gate all-in = 7,815.64 + 1,172.35 = 8,987.99
    sheet[f"C{rows['open_weekend']}"] = 12.69  # 34.42 open days a month instead of 30.42
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    values = evaluate(edited)
    assert value(values, ASSUMPTIONS, f"U{rows['gate']}") == pytest.approx(8987.99)
    # gate 9 h × 34.42 = 309.78 h ÷ 202.47 = 1.530004; door 16 h → 550.72 h → 2.720008;
    # guides 18 h → 619.56 h → 3.060009; Σ 1.530004 × 2 + 2.720008 + 3.060009 = 8.840025 → 9
    assert value(values, BASELINE, "H5") == pytest.approx(309.78)
    assert value(values, BASELINE, "J9") == pytest.approx(8.840025)
    assert value(values, BASELINE, "K9") == 9
    assert value(values, BASELINE, "N9") == pytest.approx(8987.99)


def test_area_basis_posts_are_formulas(tmp_path: Path) -> None:
    plan = make("areas", sizing=False)
    path = write_workbook(plan, tmp_path / "fee_plan.xlsx")
    values = evaluate(path)
    sheet = load_workbook(path)[BASELINE]
    posts = {sheet[f"A{r}"].value: r for r in range(5, sheet.max_row + 1)}
    # cleaner: hall 800/400 = 2, offices 300/600 → 1, sample houses 250/500 → 1, total 4
    # guide: 250/150 → 2; parking: 5,000/3,000 → 2; fixed posts 1 each
    expected = {"cleaner": 4, "guide": 2, "parking": 2, "gate": 1, "duty_manager": 1}
    for post, n in expected.items():
        assert str(sheet[f"E{posts[post]}"].value).startswith("='")
        assert value(values, BASELINE, f"E{posts[post]}") == n
        # each position covered through the weekend's opening hours, 09:00–18:00
        assert value(values, BASELINE, f"F{posts[post]}") == pytest.approx(9 * n)
    assert {c.post: c.positions for b in plan.baseline for c in b.posts
            if c.post in expected} == expected  # fmt: skip
    assert value(values, SUMMARY, "D5") == pytest.approx(float(plan.baseline_monthly))


def test_without_sizing_no_surcharge(tmp_path: Path) -> None:
    plan = make(sizing=False)
    values = evaluate(write_workbook(plan, tmp_path / "fee_plan.xlsx"))
    assert value(values, SUMMARY, "F9") == 0
    assert "no event surcharge requested" in value(values, SUMMARY, "B10")
    assert "no event surcharge requested" in value(values, EVENT, "A2")


# --- regressions: empty sections and a sizing level that equals a headcount_at level ---------

_REF = re.compile(r"(?<![!$A-Za-z_])\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?([A-Z]{1,3})\$?([0-9]+))?")


def self_references(path: Path) -> list[str]:
    """Cells whose formula takes in the cell itself (a same-sheet range or reference)."""
    found = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                for c0, r0, c1, r1 in _REF.findall(cell.value):
                    lo_c, hi_c = column_index_from_string(c0), column_index_from_string(c1 or c0)
                    lo_r, hi_r = int(r0), int(r1 or r0)
                    if lo_c <= cell.column <= hi_c and lo_r <= cell.row <= hi_r:
                        found.append(f"{ws.title}!{cell.coordinate} {cell.value}")
    return found


def sizing_data() -> dict[str, Any]:
    return copy.deepcopy(json.loads(SIZING.read_text(encoding="utf-8")))


def event_rows(values: dict[tuple[str, str], Any]) -> dict[str, Any]:
    """Summary label → amount of each event surcharge row (rows 9 on)."""
    out, r = {}, 9
    while isinstance(label := values.get((SUMMARY.upper(), f"A{r}")), str) and "@" in label:
        out[label] = values[(SUMMARY.upper(), f"F{r}")]
        r += 1
    return out


def test_the_example_workbook_has_no_self_reference(
    book: tuple[Path, FeePlan, dict[Any, Any]],
) -> None:
    assert self_references(book[0]) == []


def test_card_without_optional_posts_totals_zero(tmp_path: Path) -> None:
    data = yaml.safe_load(CARD.read_text(encoding="utf-8"))
    data["product_types"]["high_rise"]["optional_posts"] = []
    loaded = validate_card(data, "<test>")
    plan = make_plan(loaded, load_scenario(WEEKEND), str(WEEKEND), sizing=None)
    path = write_workbook(plan, tmp_path / "fee_plan.xlsx")
    assert self_references(path) == []
    sheet = load_workbook(path)[OPTIONAL]
    assert sheet["A5"].value == "无 none"
    assert [sheet[f"{c}6"].value for c in "AKMO"] == ["合计 total", 0, 0, 0]
    values = evaluate(path)
    assert value(values, SUMMARY, "D6") == 0 and value(values, SUMMARY, "F6") == 0
    total = plan.baseline_amount  # without optional posts the total is the baseline
    assert value(values, SUMMARY, "F7") == pytest.approx(float(total), abs=1e-6)


def test_level_without_extra_totals_zero(tmp_path: Path) -> None:
    data = sizing_data()
    for r in data["headcount_at"]["0.99"]:
        r.update(extra=0, total=r["baseline"])  # nobody extra at 0.99
    sized = validate_sizing(data, "<test>")
    plan = make_plan(load_card(CARD), load_scenario(WEEKEND), str(WEEKEND), sizing=sized,
                     sizing_source="<test>")  # fmt: skip
    assert plan.event_at["0.99"].lines == ()
    path = write_workbook(plan, tmp_path / "fee_plan.xlsx")
    assert self_references(path) == []
    rows = event_rows(evaluate(path))
    assert rows == {"活动附加费 @ 0.95 (方案 plan)": EVENT_95, "活动附加费 @ 0.90": EVENT_90,
                    "活动附加费 @ 0.99": 0}  # fmt: skip


def test_sized_at_090_keeps_both_rows(tmp_path: Path) -> None:
    # the plan's own level 0.90 equals a headcount_at level: both rows stay in the summary
    data = sizing_data()
    data["confidence"] = 0.90
    sized = validate_sizing(data, "<test>")
    plan = make_plan(load_card(CARD), load_scenario(WEEKEND), str(WEEKEND), sizing=sized,
                     sizing_source="<test>")  # fmt: skip
    assert plan.event is not None and plan.event.level == "0.90"
    path = write_workbook(plan, tmp_path / "fee_plan.xlsx")
    assert self_references(path) == []
    rows = event_rows(evaluate(path))
    # the plan's row prices the file's headcount rows (those of the fixture, EVENT_95)
    assert rows == {"活动附加费 @ 0.90 (方案 plan)": EVENT_95, "活动附加费 @ 0.90": EVENT_90,
                    "活动附加费 @ 0.99": EVENT_99}  # fmt: skip
