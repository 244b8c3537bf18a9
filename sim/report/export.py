"""Exporting a stored run: per-replication KPIs and the summary, as CSV or Excel.

Headers carry the Chinese and the English label of every KPI. CSV files are UTF-8 with a byte
order mark, so that Excel shows the Chinese labels; the workbook has number formats by KPI
unit (shares as %, minutes, counts), frozen headers and fitting widths
(:mod:`sim.core.xlsx_style`); every file is written atomically.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from sim.core.atomic import replacing, write_text
from sim.core.cells import csv_text
from sim.core.xlsx_style import Styles, new_book, write_table
from sim.domain.kpis import BY_KEY
from sim.domain.results import DayResult
from sim.experiment.days import DaySeries
from sim.experiment.integrity import Damaged, damage_note
from sim.experiment.runner import summarize
from sim.experiment.store import DamagedRunError, RunRecord, Store

Format = Literal["csv", "xlsx"]
Cell = str | int | float | None
Sheet = tuple[list[str], list[list[Cell]]]

SUMMARY_HEADER = [
    "指标 KPI (中文)", "KPI (English)", "指标代码 KPI key", "单位 unit", "均值 mean",
    "95%下限 CI low", "95%上限 CI high", "半宽 half-width", "标准差 SD", "样本数 n",
]  # fmt: skip
RUN_HEADER = ["项目 field", "值 value"]


def _cell(x: float) -> float | None:
    return None if math.isnan(x) else x


def kpi_header(keys: Sequence[str]) -> list[str]:
    """``重复 replication`` and one ``中文 English (unit)`` column per KPI."""
    kpis = [BY_KEY[key] for key in keys]
    return ["重复 replication", *(f"{k.zh} {k.en} ({k.unit})" for k in kpis)]


def replications_sheet(days: Sequence[DayResult]) -> Sheet:
    """One row per replication, one column per KPI."""
    keys = list(days[0].kpis) if days else []
    rows: list[list[Cell]] = [[d.replication, *(_cell(d.kpis[k]) for k in keys)] for d in days]
    return kpi_header(keys), rows


def summary_sheet(days: Sequence[DayResult]) -> Sheet:
    """One row per KPI (Chinese name first, English and key beside): mean, 95% interval,
    half-width, SD and n."""
    rows: list[list[Cell]] = []
    for key, e in (summarize(days) if days else {}).items():
        k = BY_KEY[key]
        rows.append([k.zh, k.en, k.key, k.unit, _cell(e.mean), _cell(e.low), _cell(e.high),
                     _cell(e.half_width), _cell(e.sd), e.n])  # fmt: skip
    return SUMMARY_HEADER, rows


def run_sheet(record: RunRecord) -> Sheet:
    """The run's metadata, one field per row."""
    fields: list[tuple[str, Cell]] = [
        ("运行键 run key", record.run_key), ("场景 scenario", record.scenario),
        ("场景哈希 scenario hash", record.scenario_hash), ("策略 policy", record.policy),
        ("种子 seed", record.seed), ("记录级别 level", record.level),
        ("代码版本 code version", record.code_version),
        ("重复次数 replications", record.replications or record.stored),
        ("目标 target", record.target), ("开始 started", record.started),
        ("完成 finished", record.finished or "未完成 unfinished"),
        ("耗时秒 wall seconds", record.wall_seconds),
    ]  # fmt: skip
    return RUN_HEADER, [[name, value] for name, value in fields]


def exported_days(store: Store, record: RunRecord) -> DaySeries:
    """A finished run's final replications; an unfinished one's, all that are stored.

    Raises :class:`~sim.experiment.store.DamagedRunError` if any of them is damaged (fails
    its digest or cannot be decoded): an export never holds a subset that claims to be the run.
    """
    final = record.replications if record.finished is not None else None
    damaged: list[Damaged] = []
    days = DaySeries.of(
        d for d in store.days(record.run_key, damaged) if final is None or d.replication < final
    )
    damaged = [d for d in damaged if final is None or d.replication < final]
    if damaged:
        raise DamagedRunError(
            f"{damage_note(record.run_key, damaged)}; not exported: repeat the `salesim run` "
            "command that made this run (it simulates them again), then export"
        )
    return days


def sheets(store: Store, record: RunRecord) -> dict[str, Sheet]:
    """The export's tables by file/sheet suffix: ``kpis``, ``summary``, ``run``.

    A finished run exports its final replications; an unfinished one, all that are stored
    (see :func:`exported_days`).
    """
    days = exported_days(store, record)
    return {
        "kpis": replications_sheet(days),
        "summary": summary_sheet(days),
        "run": run_sheet(record),
    }


def _csv_text(sheet: Sheet) -> str:
    return csv_text(sheet[0], sheet[1], bom=True)


TITLES = {"kpis": "各次重复 replications", "summary": "汇总 summary", "run": "运行 run"}
_SUMMARY_UNITS = [None, None, None, None, "row", "row", "row", "row", "row", "count"]


def _units(name: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> tuple[
        list[str | None], list[str | None] | None]:  # fmt: skip
    """Column units (and row units for the summary, one KPI per row) of table ``name``."""
    if name == "summary":
        return _SUMMARY_UNITS, [BY_KEY[str(row[2])].unit for row in rows]
    if name == "kpis":
        unit_of = {f"{k.zh} {k.en} ({k.unit})": k.unit for k in BY_KEY.values()}
        return ["count", *(unit_of.get(h) for h in header[1:])], None
    return [None, None], None


def write_workbook(tables: dict[str, Sheet], path: Path) -> None:
    """The export as one workbook, a sheet per table, written atomically and streamed (big
    runs stay small in memory); text stays text (issue 18)."""
    with replacing(path) as tmp:
        book = new_book(tmp, streaming=True)
        styles = Styles(book)
        for name, (header, rows) in tables.items():
            units, row_units = _units(name, header, rows)
            sheet = book.add_worksheet(TITLES[name])
            write_table(sheet, styles, header, rows, units, row_units, freeze_cols=1)
        book.close()


def export_run(store: Store, key: str, fmt: Format, folder: Path) -> list[Path]:
    """Write a stored run (key or unique key prefix) to ``folder``; return the files written.

    CSV: ``run-<key>-kpis.csv``, ``run-<key>-summary.csv`` and ``run-<key>-run.csv``;
    Excel: ``run-<key>.xlsx`` with one sheet each.
    """
    record = store.find(key)
    tables = sheets(store, record)
    stem = f"run-{record.run_key[:12]}"
    if fmt == "xlsx":
        path = folder / f"{stem}.xlsx"
        write_workbook(tables, path)
        return [path]
    paths = []
    for name, sheet in tables.items():
        path = folder / f"{stem}-{name}.csv"
        write_text(path, _csv_text(sheet))
        paths.append(path)
    return paths
