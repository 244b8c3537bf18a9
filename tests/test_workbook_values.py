"""The values stored beside the fee plan's formulas (issue 15): Excel's own rules, by hand.

ROUND rounds half away from zero (Excel), not to even (Python's ``round``): ROUND(2.5,0) = 3,
ROUND(-2.5,0) = -3, ROUND(0.125,2) = 0.13; ROUNDUP goes away from zero: ROUNDUP(1.01,0) = 2.
"""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from sim.fee.workbook_values import formula_values


def _book() -> Workbook:
    book = Workbook()
    a = book.active
    assert a is not None
    a.title = "假设 Assumptions"
    a["C5"], a["C6"], a["C7"] = 2.5, -2.5, 0.125
    s = book.create_sheet("lines")
    s.append([1, 2, "=ROUND('假设 Assumptions'!C5,0)"])
    s.append([3, 4, "=ROUND('假设 Assumptions'!$C$6,0)"])
    s.append([5, 6, "=ROUND('假设 Assumptions'!C7,2)"])
    s.append([None, None, "=ROUNDUP(ROUND(1.01,6),0)"])
    s.append([None, None, "=SUMPRODUCT(A1:A3,B1:B3)"])
    s.append([None, None, "=MAX(C1:C3)+SUM(A1:B3)/7"])
    s.append([None, None, "=(C1-C2)*2-A9"])  # A9 is empty: 0
    return book


def test_excel_rounding_and_functions() -> None:
    v = formula_values(_book())
    assert [v[("lines", r, 3)] for r in range(1, 8)] == [
        3.0, -3.0, 0.13, 2.0, 1 * 2 + 3 * 4 + 5 * 6, 3.0 + 21 / 7, 12.0,
    ]  # fmt: skip


def test_division_by_zero_shows_as_excel_does() -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws["A1"] = "=1/B1"
    assert formula_values(book)[(ws.title, 1, 1)] == "#DIV/0!"


def test_a_formula_outside_the_grammar_is_refused() -> None:
    """A function the evaluator does not know is an error, never a silently wrong value."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws["A1"] = "=VLOOKUP(1,B1:C2,2)"
    with pytest.raises(ValueError, match="VLOOKUP"):
        formula_values(book)
