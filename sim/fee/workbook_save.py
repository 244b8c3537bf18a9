"""Save the fee-plan workbook with XlsxWriter: live formulas stored WITH their computed values
(:mod:`sim.fee.workbook_values`), money as ``#,##0.00 元``, frozen header rows and the look of
:mod:`sim.core.xlsx_style` (issue 15).

The plan is built with openpyxl (its sheets refer to each other by row, which an openpyxl
sheet tracks), then copied cell by cell: a formula cell (``data_type`` ``f``) with its value,
any other text as a string cell (user text never becomes a formula, issue 18), a number in
the format its column's header names (``元``: money).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.utils import column_index_from_string

from sim.core.xlsx_style import Styles, display_width, new_book, safe_text
from sim.fee.workbook_values import formula_values

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

HEADER_ROW = 4
"""The row of the column titles on the line sheets (:func:`sim.fee.workbook_lines.head`)."""


def _unit(header: object) -> str | None:
    """A column's unit from its title: ``元`` money, ``FTE``/``系数`` a ratio."""
    text = str(header or "")
    if "元" in text:
        return "money"
    if "FTE" in text or "relief" in text:
        return "ratio"
    return None


class _Copier:
    """Copies one openpyxl workbook into an XlsxWriter one."""

    def __init__(self, book: Workbook, target: Any) -> None:
        self.values = formula_values(book)
        self.styles = Styles(target)
        self.big = target.add_format({"bold": True, "font_size": 13})
        self.target = target

    def sheet(self, ws: Worksheet) -> None:
        out = self.target.add_worksheet(ws.title)
        units: dict[int, str | None] = {}
        widths: dict[int, int] = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                if c.data_type == "s" and isinstance(c.value, str):
                    units[c.column] = _unit(c.value)  # the nearest title above a number
                self.cell(out, ws, c, units.get(c.column))
                if c.data_type == "s":
                    shown = min(30, display_width(str(c.value)))
                    widths[c.column] = max(widths.get(c.column, 8), shown)
        for letter, dim in ws.column_dimensions.items():
            if dim.width:
                widths[column_index_from_string(letter)] = int(dim.width)
        for col, width in widths.items():
            out.set_column(col - 1, col - 1, width + 1)
        out.freeze_panes(HEADER_ROW if ws.max_row >= HEADER_ROW else 1, 0)  # title and header

    def cell(self, out: Any, ws: Worksheet, c: Cell, unit: str | None) -> None:
        r, col = c.row - 1, c.column - 1
        bold = bool(c.font is not None and c.font.bold)
        if c.data_type == "f":
            value = self.values[(ws.title, c.row, c.column)]
            out.write_formula(r, col, str(c.value), self.styles.number(unit, bold), value)
        elif isinstance(c.value, bool):
            out.write_boolean(r, col, c.value)
        elif isinstance(c.value, int | float):
            out.write_number(r, col, c.value, self.styles.number(unit, bold))
        else:
            big = c.font is not None and c.font.size is not None and c.font.size > 12
            fmt = self.big if big else self.styles.bold if bold else self.styles.text
            out.write_string(r, col, safe_text(c.value), fmt)


def save_with_values(book: Workbook, path: Path) -> None:
    """Write ``book`` to ``path`` (xlsx) with every formula's value stored beside it."""
    target = new_book(path)
    copier = _Copier(book, target)
    for ws in book.worksheets:
        copier.sheet(ws)
    target.close()
