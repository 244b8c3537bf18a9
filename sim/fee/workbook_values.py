"""The computed value of every formula of the fee-plan workbook, so that it can be stored
beside the formula (issue 15): pandas, openpyxl ``data_only=True`` and file previewers show the
numbers, and Excel still recalculates the live formulas.

Only the Excel the fee plan writes is understood: numbers, cell references (``C5``, ``$C$5``,
``'假设 Assumptions'!C5``), ranges, ``+ - * /``, parentheses and ``SUM``, ``MAX``, ``ROUND``,
``ROUNDUP``, ``SUMPRODUCT`` with Excel's rounding (half away from zero). A formula outside
that subset raises :class:`ValueError`, so the writer can never store a wrong number silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from typing import TYPE_CHECKING, Any

from openpyxl.utils import column_index_from_string

if TYPE_CHECKING:
    from openpyxl import Workbook

Number = float
_TOKEN = re.compile(
    r"(?P<func>[A-Z]+)\("
    r"|(?:(?:'(?P<qsheet>[^']+)'|(?P<sheet>[A-Za-z_][\w.]*))!)?"
    r"\$?(?P<col>[A-Z]{1,3})\$?(?P<row>\d+)(?::\$?(?P<col2>[A-Z]{1,3})\$?(?P<row2>\d+))?"
    r"|(?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)"
    r"|(?P<op>[-+*/(),])"
    r"|(?P<space>\s+)"
)


def _flat(args: Iterable[Any]) -> list[float]:
    out: list[float] = []
    for a in args:
        out.extend(_flat(a) if isinstance(a, list) else [float(a or 0)])
    return out


def _round(x: float, digits: float = 0, mode: str = ROUND_HALF_UP) -> float:
    """Excel's ROUND (``mode`` ROUND_UP: ROUNDUP): decimal rounding away from zero."""
    step = Decimal(1).scaleb(-int(digits))
    return float(Decimal(repr(float(x))).quantize(step, rounding=mode))


def _sumproduct(*ranges: list[Any]) -> float:
    cols = [_flat(r) for r in ranges]
    return sum(_product(values) for values in zip(*cols, strict=True))


def _product(values: Iterable[float]) -> float:
    out = 1.0
    for v in values:
        out *= v
    return out


FUNCTIONS: dict[str, Callable[..., float]] = {
    "SUM": lambda *a: sum(_flat(a)),
    "MAX": lambda *a: max(_flat(a), default=0.0),
    "ROUND": _round,
    "ROUNDUP": lambda x, d=0: _round(x, d, ROUND_UP),
    "SUMPRODUCT": _sumproduct,
}


class FormulaEvaluator:
    """Values of a workbook's formula cells, computed on demand and remembered."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.memo: dict[tuple[str, int, int], Any] = {}

    def cell(self, sheet: str, row: int, col: int) -> Any:
        """The value of one cell: a formula's result, a constant, or 0 if empty."""
        key = (sheet, row, col)
        if key not in self.memo:
            self.memo[key] = None  # a circular reference shows as 0, not a hang
            c = self.book[sheet].cell(row, col)
            value = c.value
            if c.data_type == "f" and isinstance(value, str):
                value = self.formula(sheet, value)
            self.memo[key] = value
        return self.memo[key]

    def formula(self, sheet: str, text: str) -> float:
        """The value of ``text`` (a formula ``=...``) written on ``sheet``."""
        code = _python(text.removeprefix("="), sheet)
        names: dict[str, Any] = {"_c": self._number, "_r": self._range, **{
            f"_f_{name}": fn for name, fn in FUNCTIONS.items()}}  # fmt: skip
        return float(eval(code, {"__builtins__": {}}, names))  # only the grammar of _python

    def _number(self, sheet: str, col: str, row: int) -> float:
        value = self.cell(sheet, row, column_index_from_string(col))
        return float(value or 0)

    def _range(self, sheet: str, c1: str, r1: int, c2: str, r2: int) -> list[Any]:
        cols = range(column_index_from_string(c1), column_index_from_string(c2) + 1)
        return [self.cell(sheet, r, c) for r in range(r1, r2 + 1) for c in cols]


def _python(text: str, sheet: str) -> str:
    """``text`` (a formula without ``=``) as a Python expression over ``_c``/``_r``/``_f_*``."""
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ValueError(f"unsupported formula: ={text}")
        pos = m.end()
        if m["func"]:
            if m["func"] not in FUNCTIONS:
                raise ValueError(f"unsupported function {m['func']} in ={text}")
            out.append(f"_f_{m['func']}(")
        elif m["col"]:
            where = repr(m["qsheet"] or m["sheet"] or sheet)
            if m["col2"]:
                out.append(f"_r({where},{m['col']!r},{m['row']},{m['col2']!r},{m['row2']})")
            else:
                out.append(f"_c({where},{m['col']!r},{m['row']})")
        elif m["num"]:
            out.append(m["num"])
        elif m["op"]:
            out.append(m["op"])
    return "".join(out)


def formula_values(book: Workbook) -> dict[tuple[str, int, int], float | str]:
    """Every formula cell's value by ``(sheet, row, column)`` (``#DIV/0!`` as Excel shows a
    division by zero)."""
    ev = FormulaEvaluator(book)
    out: dict[tuple[str, int, int], float | str] = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f" and c.row is not None and c.column is not None:
                    value: float | str
                    try:
                        value = float(ev.cell(ws.title, c.row, c.column))
                    except ZeroDivisionError:
                        value = "#DIV/0!"
                    out[(ws.title, c.row, c.column)] = value
    return out
