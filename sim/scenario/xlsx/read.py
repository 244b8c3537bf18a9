"""Read a scenario workbook with the same validation as YAML (``salesim run my_office.xlsx``).

Each problem is one line naming the file, the sheet and cell, the field, the value given and
what is allowed::

    my_office.xlsx 工作表「分时来访 Arrivals」单元格 C4: arrivals.walk_in[1].rate = -2:
        must be at least 0

Sheet names and order do not matter when reading: every sheet's rows are read by their 字段
Field column, so a planner may reorder rows or add rows to a table.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from sim.core.schema import FieldError, Loc, user_loc
from sim.scenario.loader import ScenarioError, error_line
from sim.scenario.schema import Scenario
from sim.scenario.xlsx.layout import TABLE_MARK, from_cell, parse_path, set_at, sheet_of


@dataclass
class _Parsed:
    """The scenario data read from a workbook and the cell each value came from."""

    data: dict[str, Any] = field(default_factory=dict)
    cells: dict[Loc, tuple[str, str]] = field(default_factory=dict)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(ws: Worksheet, out: _Parsed) -> None:
    table: Loc | None = None
    columns: list[tuple[int, str]] = []
    for r, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        head = row[0] if row else None
        if not _blank(head):
            text = str(head).strip()
            if text.endswith(TABLE_MARK):
                table = parse_path(text.removesuffix(TABLE_MARK))
                columns = [(j, str(v).strip()) for j, v in enumerate(row) if j and not _blank(v)]
                set_at(out.data, table, [])
                out.cells[table] = (ws.title, f"A{r}")
                continue
            table = None
            value = row[1] if len(row) > 1 else None
            if not _blank(value):
                loc = parse_path(text)
                set_at(out.data, loc, from_cell(value))
                out.cells[loc] = (ws.title, f"B{r}")
        elif table is not None:
            _read_record(ws.title, r, row, table, columns, out)


def _read_record(
    sheet: str, r: int, row: tuple[Any, ...], table: Loc, columns: list[tuple[int, str]],
    out: _Parsed,
) -> None:  # fmt: skip
    record = {name: from_cell(row[j]) for j, name in columns if j < len(row) and not _blank(row[j])}
    if not record:
        return
    items = _at(out.data, table)
    out.cells[(*table, len(items))] = (sheet, f"A{r}")
    for j, name in columns:
        out.cells[(*table, len(items), name)] = (sheet, f"{get_column_letter(j + 1)}{r}")
    items.append(record)


def _at(data: Any, loc: Loc) -> Any:
    for step in loc:
        data = data[step]
    return data


def _where(source: str, loc: Loc, cells: dict[Loc, tuple[str, str]]) -> str:
    """The sheet and cell of ``loc``: its own cell, else its first key's, else its section's."""
    below = [k for k in cells if k[: len(loc)] == loc and len(k) > len(loc)]
    found = [loc] if loc in cells else below[:1]
    found = found or [loc[:end] for end in range(len(loc), 0, -1) if loc[:end] in cells][:1]
    if found:
        sheet, cell = cells[found[0]]
        return f"{source} 工作表「{sheet}」单元格 {cell}"
    top = str(loc[0]) if loc else "name"
    return f"{source} 工作表「{sheet_of(top)}」"


def _lines(exc: ValidationError, parsed: _Parsed, source: str) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        found = (err.get("ctx") or {}).get("error")
        if isinstance(found, FieldError):
            loc += found.loc
        text = error_line(err, parsed.data, "@", Scenario).removeprefix("@: ")
        lines.append(f"{_where(source, user_loc(loc, parsed.data), parsed.cells)}: {text}")
    return list(dict.fromkeys(lines))


def parse_workbook(path: Path) -> _Parsed:
    """The raw scenario data of a workbook and where each value is; no validation."""
    source = str(path)
    try:
        wb = load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise ScenarioError([f"{source}: 找不到情景工作簿 no such scenario workbook"]) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise ScenarioError(
            [f"{source}: 不是 Excel 工作簿 not an Excel workbook (.xlsx)"]
        ) from None
    out = _Parsed()
    for ws in wb.worksheets:
        _read_sheet(ws, out)
    return out


def read_workbook(path: str | Path) -> Scenario:
    """Read and validate a scenario workbook; raise :class:`ScenarioError` listing every problem
    with its sheet and cell."""
    path = Path(path)
    parsed = parse_workbook(path)
    if not parsed.data:
        raise ScenarioError([f"{path}: 工作簿中没有字段 the workbook holds no scenario fields"])
    try:
        return Scenario.model_validate(parsed.data)
    except ValidationError as exc:
        raise ScenarioError(_lines(exc, parsed, str(path))) from None
