"""Text cells from user input, safe in CSV and spreadsheets (issue 18, OWASP CSV injection).

A spreadsheet program reads a CSV cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula; :func:`csv_cell` prefixes such text with ``'`` (the OWASP rule),
and :func:`csv_text` is the one CSV writer of every table salesim writes. Numbers are left
alone: only text can carry a formula. In a workbook, :func:`text_cell` holds user text as a
string cell, never a formula or an error code, with the control characters a workbook cannot
store shown as U+FFFD.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet read a CSV cell as a formula (OWASP)."""

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what an xlsx cell cannot hold


def csv_cell(value: object, nan_empty: bool = False) -> object:
    """``value`` as written to CSV: text that a spreadsheet would run as a formula gets a
    leading ``'``; ``None`` (and NaN with ``nan_empty``) an empty cell; anything else
    unchanged."""
    if value is None or (nan_empty and isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(
    header: Sequence[object], rows: Iterable[Sequence[object]], bom: bool = True,
    nan_empty: bool = False,
) -> str:  # fmt: skip
    """A CSV table (``\\n`` line ends) with every cell passed through :func:`csv_cell`; ``bom``
    (the default: every CSV a planner opens, issue 15) starts it with a UTF-8 byte-order mark,
    so Excel on Chinese Windows reads the Chinese correctly; read it back with ``utf-8-sig``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([csv_cell(v) for v in header])
    writer.writerows([csv_cell(v, nan_empty) for v in row] for row in rows)
    return ("\ufeff" if bom else "") + buf.getvalue()


def text_cell(value: object, sheet: Any = None) -> Cell:
    """A workbook cell holding ``str(value)`` as text (never a formula, never an error code),
    for ``sheet.append`` (a write-only sheet must be given as ``sheet``); characters a workbook
    cannot hold are shown as U+FFFD."""
    from openpyxl.cell.cell import Cell  # openpyxl: only when a workbook is written

    cell = Cell(sheet, row=1, column=1, value=_ILLEGAL.sub("\ufffd", str(value)))
    cell.data_type = "s"
    return cell
