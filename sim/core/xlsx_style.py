"""The one look of every workbook salesim writes (issue 15): number formats, frozen headers,
widths that fit Chinese text, text written as text (XlsxWriter).

A column (or a row, in a table whose rows are KPIs) has a *unit*: the KPI catalogue's unit
(``share`` shown as ``0.0%``, ``min`` as ``0.0``, ``groups``/``people`` as ``0``, ``ratio`` as
``0.00``) or ``money`` (``#,##0.00 元``). Text cells are always string cells: a user's text
never becomes a formula or an error code in Excel (issue 18, OWASP), and the control
characters a workbook cannot hold are shown as U+FFFD.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

Value = str | int | float | None
"""What a table cell holds: text, a number or nothing."""

NUMBER_FORMATS: dict[str, str] = {
    "share": "0.0%",
    "min": "0.0",
    "minutes": "0.0",
    "groups": "0",
    "people": "0",
    "count": "0",
    "ratio": "0.00",
    "hours": "0.0",
    "money": '#,##0.00" 元"',
}
"""Excel number format by unit; a unit not listed shows numbers as ``General``."""

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what an xlsx cell cannot hold
_MAX_WIDTH = 48


def number_format(unit: str | None) -> str | None:
    """The Excel number format of ``unit`` (``None``: General)."""
    return NUMBER_FORMATS.get(unit) if unit else None


def display_width(text: str) -> int:
    """Columns ``text`` takes in Excel: wide (Chinese) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def safe_text(value: object) -> str:
    """``str(value)`` with the characters a workbook cannot hold shown as U+FFFD."""
    return _ILLEGAL.sub("\ufffd", str(value))


def new_book(path: Path, streaming: bool = False) -> Workbook:
    """An XlsxWriter workbook at ``path`` that never turns text into formulas, numbers or
    links (issue 18); ``streaming`` keeps memory small (rows must then be written in order)."""
    from xlsxwriter import Workbook  # XlsxWriter: only when a workbook is written

    return Workbook(str(path), {
        "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
        "nan_inf_to_errors": True, "constant_memory": streaming,
    })  # fmt: skip


class Styles:
    """The formats of one workbook, made once each (XlsxWriter formats belong to a book)."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                       "bg_color": "#DDEBF7", "border": 1})  # fmt: skip
        self.text = book.add_format({"num_format": "@"})
        self.bold = book.add_format({"bold": True})
        self._numbers: dict[tuple[str | None, bool], Format] = {}

    def number(self, unit: str | None, bold: bool = False) -> Format | None:
        """The format of a number in ``unit`` (``None`` for General, not bold)."""
        fmt = number_format(unit)
        if fmt is None and not bold:
            return None
        key = (unit, bold)
        if key not in self._numbers:
            props: dict[str, object] = {"num_format": fmt} if fmt else {}
            if bold:
                props["bold"] = True
            self._numbers[key] = self.book.add_format(props)
        return self._numbers[key]


def write_cell(sheet: Worksheet, row: int, col: int, value: Value, styles: Styles,
               unit: str | None = None) -> None:  # fmt: skip
    """One cell: text as a string cell, a number in ``unit``'s format, ``None`` blank."""
    if value is None or (isinstance(value, float) and value != value):  # NaN: blank
        return
    if isinstance(value, str):
        sheet.write_string(row, col, safe_text(value), styles.text)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    else:
        sheet.write_number(row, col, value, styles.number(unit))


def write_table(
    sheet: Worksheet, styles: Styles, header: Sequence[str], rows: Sequence[Sequence[Value]],
    units: Sequence[str | None] | None = None, row_units: Sequence[str | None] | None = None,
    first_row: int = 0, freeze_cols: int = 0,
) -> int:  # fmt: skip
    """Write ``header`` (frozen, wrapped) and ``rows`` from ``first_row``; return the next free
    row. ``units[c]`` formats column ``c``; a column whose unit is ``"row"`` takes
    ``row_units[r]`` (a table with one KPI per row). Widths fit the longest text."""
    widths = [min(24, display_width(h)) for h in header]  # longer titles wrap
    for c, title in enumerate(header):
        sheet.write_string(first_row, c, safe_text(title), styles.header)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            unit = units[c] if units and c < len(units) else None
            if unit == "row":
                unit = row_units[r] if row_units else None
            write_cell(sheet, first_row + 1 + r, c, value, styles, unit)
            shown = value if isinstance(value, str) else f"{value:.2f}" if isinstance(
                value, float) else str(value or "")  # fmt: skip
            if c < len(widths):
                widths[c] = max(widths[c], display_width(shown))
            else:
                widths.append(display_width(shown))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(_MAX_WIDTH, max(8, width + 2)))
    if first_row == 0:
        sheet.freeze_panes(1, freeze_cols)
    return first_row + 1 + len(rows)
