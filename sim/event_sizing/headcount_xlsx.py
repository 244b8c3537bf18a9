"""``headcount.xlsx`` of a sizing (event or office): a post × time-block grid per payer.

The first sheet holds one grid per payer, 物业选配岗位 (billed in the fee plan) first, then
开发商/代理岗位 (not billed): a row per post (Chinese name first, the post id beside), a column
per block with the people on duty, each post's peak and person-hours, and a totals row (plain
numbers: no cell of a headcount workbook is a formula, issue 18). Further sheets:
the long table of headcount.csv, the targets, and whatever the caller adds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.core.atomic import replacing
from sim.core.xlsx_style import Styles, Value, new_book, write_table
from sim.domain.kpis import BY_KEY
from sim.domain.labels import PAYER_LABELS

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

Table = tuple[list[str], list[list[Value]], list[str | None]]
"""A plain sheet: header, rows and each column's unit."""

DETAIL_HEADER = ["岗位名称 post (中文)", "岗位 post", "付费方 payer", "时段 block", "开始 start",
                 "结束 end", "基础 baseline", "选配 extra", "合计 total"]  # fmt: skip
DETAIL_UNITS: list[str | None] = [None] * 6 + ["people"] * 3
TARGET_HEADER = ["指标 KPI (中文)", "指标代码 KPI key", "条件 op", "目标 target",
                 "达到 achieved", "余量 margin"]  # fmt: skip


def _hours(start: str, end: str) -> float:
    """Length of a block ``HH:MM``–``HH:MM`` in hours."""
    (h1, m1), (h2, m2) = (map(int, start.split(":")), map(int, end.split(":")))
    return ((h2 * 60 + m2) - (h1 * 60 + m1)) / 60


def _blocks(headcount: Sequence[dict[str, Any]]) -> list[tuple[str, float]]:
    """The blocks in order of start: ``(label, hours)``."""
    seen: dict[str, tuple[str, float]] = {}
    for row in headcount:
        seen.setdefault(row["block"], (row["start"], _hours(row["start"], row["end"])))
    return [(label, hours) for label, (_, hours) in sorted(seen.items(), key=lambda x: x[1][0])]


def _grid(sheet: Worksheet, styles: Styles, headcount: Sequence[dict[str, Any]],
          payer: str, top: int) -> int:  # fmt: skip
    """One payer's grid from row ``top``; return the next free row."""
    blocks = _blocks(headcount)
    posts: dict[str, dict[str, Any]] = {}
    for row in (r for r in headcount if r["payer"] == payer):
        posts.setdefault(row["post"], {"zh": row["label_zh"], "by": {}})["by"][row["block"]] = (
            row["total"])
    zh, en = PAYER_LABELS[payer]
    sheet.write_string(top, 0, f"{zh} {en}", styles.bold)
    header = ["岗位名称 post (中文)", "岗位 post", *(b for b, _ in blocks),
              "峰值 peak", "人时 person-hours"]  # fmt: skip
    table: list[list[Value]] = []
    for post, info in posts.items():
        counts = [info["by"].get(b, 0) for b, _ in blocks]
        person_hours = sum(n * h for n, (_, h) in zip(counts, blocks, strict=True))
        table.append([info["zh"], post, *counts, max(counts, default=0), person_hours])
    units: list[str | None] = [None, None, *["people"] * (len(blocks) + 1), "hours"]
    end = write_table(sheet, styles, header, table, units, first_row=top + 1)
    sheet.write_string(end, 0, "合计 total", styles.bold)
    for c in range(2, len(header)):  # numbers, not formulas: no cell here is a formula (issue 18)
        total = sum(float(row[c] or 0) for row in table)
        sheet.write_number(end, c, total, styles.number(units[c], bold=True))
    return end + 2


def _targets(targets: Sequence[dict[str, Any]]) -> tuple[list[list[Value]], list[str | None]]:
    rows: list[list[Value]] = []
    units: list[str | None] = []
    for t in targets:
        kpi = BY_KEY.get(t["kpi"])
        rows.append([kpi.zh if kpi else t["kpi"], t["kpi"], t["op"], t["value"], t["achieved"],
                     t.get("margin")])  # fmt: skip
        units.append(kpi.unit if kpi else None)
    return rows, units


def detail_rows(headcount: Sequence[dict[str, Any]]) -> list[list[Value]]:
    """The rows of headcount.csv, Chinese post name first (columns :data:`DETAIL_HEADER`)."""
    return [[r.get("label_zh"), r["post"], PAYER_LABELS[r["payer"]][0], r["block"],
             r.get("start"), r.get("end"), r["baseline"], r["extra"], r["total"]]
            for r in headcount]  # fmt: skip


def write_headcount_xlsx(path: Path, headcount: Sequence[dict[str, Any]],
                         targets: Sequence[dict[str, Any]],
                         at: dict[str, list[dict[str, Any]]] | None = None,
                         extra: dict[str, Table] | None = None) -> None:  # fmt: skip
    """Write ``headcount.xlsx`` atomically: the grid per payer, the detail, the targets, one
    detail sheet per level of ``at`` (an event's headcount at 0.90/0.99) and the ``extra``
    sheets (title -> table)."""
    with replacing(path) as tmp:
        book = new_book(tmp)
        styles = Styles(book)
        grid = book.add_worksheet("岗位×时段 grid")
        row = 0
        for payer in PAYER_LABELS:
            if any(r["payer"] == payer for r in headcount):
                row = _grid(grid, styles, headcount, payer, row)
        grid.freeze_panes(0, 2)
        write_table(book.add_worksheet("明细 detail"), styles, DETAIL_HEADER,
                    detail_rows(headcount), DETAIL_UNITS, freeze_cols=1)  # fmt: skip
        rows, units = _targets(targets)
        write_table(book.add_worksheet("目标 targets"), styles, TARGET_HEADER, rows,
                    [None, None, None, "row", "row", "row"], units)
        for level, table in (at or {}).items():
            write_table(book.add_worksheet(f"按{level} at {level}"), styles, DETAIL_HEADER,
                        detail_rows(table), DETAIL_UNITS, freeze_cols=1)  # fmt: skip
        for title, (header, body, col_units) in (extra or {}).items():
            write_table(book.add_worksheet(title), styles, header, body, col_units)
        book.close()


__all__ = ["Table", "write_headcount_xlsx"]
