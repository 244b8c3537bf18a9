"""Write a scenario as a Chinese-first workbook (``salesim init --xlsx``).

Each sheet has the columns 字段 Field | 值 Value | 说明 Description | 允许 Allowed; a table (a
list of records such as the arrivals by hour) has its own header row. Every value cell carries
the field's description as a comment and, where the schema says so, Excel data validation (a
drop-down list for choices and true/false, a number range for bounded numbers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sim.core.atomic import write_bytes
from sim.core.schema import Loc
from sim.scenario.loader import field_at
from sim.scenario.schema import Scenario
from sim.scenario.xlsx.layout import (
    DIST_KEY,
    DIST_NOTE,
    HEADER,
    TABLE_MARK,
    Row,
    allowed_text,
    literal_choices,
    number_bounds,
    path_text,
    sheets,
    to_cell,
)

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_TABLE_FILL = PatternFill("solid", fgColor="FFF2CC")
TABLE_SPARE_ROWS = 5
"""Empty rows left under each table so a planner can add records (pieces, reps, houses)."""


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data, by alias (``from``), times as ``'HH:MM'``."""
    data = scenario.model_dump(by_alias=True, mode="json")
    return {k: v for k, v in data.items()}


def _notes(info: Any, loc: Loc) -> tuple[str, str]:
    """(description, allowed) of the field at ``loc``."""
    if loc and loc[-1] == DIST_KEY:
        return DIST_NOTE
    return (info.description or "" if info is not None else ""), allowed_text(info)


def _comment(info: Any, loc: Loc) -> Comment | None:
    text = "\n".join(t for t in _notes(info, loc) if t)
    return Comment(text, "salesim", width=320, height=140) if text else None


def _validation(
    ws: Worksheet, cell: Cell | MergedCell, info: Any, loc: Loc, cache: dict[str, DataValidation]
) -> None:
    """A drop-down list or number range on ``cell`` from the field's annotation."""
    choices = literal_choices(info, loc)
    if info is not None and info.annotation is bool:
        choices = ["TRUE", "FALSE"]
    if choices:
        formula = '"' + ",".join(choices) + '"'
        key = f"list:{formula}"
        if key not in cache:
            cache[key] = DataValidation(type="list", formula1=formula, allow_blank=True)
            cache[key].error = "请从列表中选择 Choose from the list: " + ", ".join(choices)
            ws.add_data_validation(cache[key])
        cache[key].add(cell)
        return
    lo, hi, whole = number_bounds(info)
    if lo is None and hi is None:
        return
    kind: Literal["whole", "decimal"] = "whole" if whole else "decimal"
    lo_text, hi_text = str(lo if lo is not None else -1e9), str(hi if hi is not None else 1e12)
    key = f"{kind}:{lo_text}:{hi_text}"
    if key not in cache:
        dv = DataValidation(
            type=kind, operator="between", formula1=lo_text, formula2=hi_text, allow_blank=True
        )
        dv.error = f"允许 Allowed: {lo_text} – {hi_text}"
        cache[key] = dv
        ws.add_data_validation(dv)
    cache[key].add(cell)


def _put_value(ws: Worksheet, row: int, col: int, value: Any) -> Cell | MergedCell:
    cell: Cell | MergedCell = ws.cell(row=row, column=col, value=to_cell(value))
    if isinstance(cell.value, str):
        cell.number_format = "@"  # keep '09:00' as text, not an Excel time
    return cell


def _write_field(ws: Worksheet, r: int, row: Row, cache: dict[str, DataValidation]) -> int:
    info = field_at(row.loc)
    ws.cell(row=r, column=1, value=path_text(row.loc))
    cell = _put_value(ws, r, 2, row.value)
    cell.comment = _comment(info, row.loc)
    _validation(ws, cell, info, row.loc, cache)
    description, allowed = _notes(info, row.loc)
    ws.cell(row=r, column=3, value=description)
    ws.cell(row=r, column=4, value=allowed)
    return r + 1


def _write_table(ws: Worksheet, r: int, row: Row, cache: dict[str, DataValidation]) -> int:
    info = field_at(row.loc)
    head = ws.cell(row=r, column=1, value=path_text(row.loc) + TABLE_MARK)
    head.font = _BOLD
    head.comment = _comment(info, row.loc)
    for j, name in enumerate(row.columns, start=2):
        cell = ws.cell(row=r, column=j, value=name)
        cell.font, cell.fill = _BOLD, _TABLE_FILL
        cell.comment = _comment(field_at((*row.loc, 0, name)), (*row.loc, 0, name))
    for i in range(len(row.records) + TABLE_SPARE_ROWS):
        record = row.records[i] if i < len(row.records) else {}
        for j, name in enumerate(row.columns, start=2):
            col_info = field_at((*row.loc, 0, name))
            if name in record:
                _put_value(ws, r + 1 + i, j, record[name])
            target = ws.cell(row=r + 1 + i, column=j)
            _validation(ws, target, col_info, (*row.loc, i, name), cache)
    return r + 1 + len(row.records) + TABLE_SPARE_ROWS


def _write_sheet(ws: Worksheet, rows: list[Row]) -> None:
    for j, title in enumerate(HEADER, start=1):
        cell = ws.cell(row=1, column=j, value=title)
        cell.font, cell.fill = _BOLD, _HEAD_FILL
    ws.freeze_panes = "A2"
    for col, width in zip("ABCD", (34, 22, 60, 40), strict=True):
        ws.column_dimensions[col].width = width
    cache: dict[str, DataValidation] = {}
    r = 2
    for row in rows:
        r = _write_table(ws, r, row, cache) if row.is_table else _write_field(ws, r, row, cache)
    for line in ws.iter_rows(min_row=2, min_col=3, max_col=4):
        for text in line:
            text.alignment = Alignment(wrap_text=False, vertical="top")


def workbook_bytes(scenario: Scenario) -> bytes:
    """The scenario as an ``.xlsx`` file's bytes."""
    from io import BytesIO

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for name, rows in sheets(scenario_data(scenario)).items():
        _write_sheet(wb.create_sheet(name), rows)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_workbook(scenario: Scenario, path: str | Path) -> Path:
    """Write the scenario to ``path`` as a workbook (atomically) and return the path."""
    path = Path(path)
    write_bytes(path, workbook_bytes(scenario))
    return path
