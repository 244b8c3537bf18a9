"""Writing a run's tables and summary (CSV and JSON) to an output folder, atomically."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import yaml

from sim.core.atomic import replacing, write_text
from sim.core.cells import csv_cell, csv_text
from sim.core.names import folder_name
from sim.domain.results import (
    ASSIGNMENT_COLUMNS,
    HOUSE_COLUMNS,
    POST_HOUR_COLUMNS,
    ROOM_COLUMNS,
    VISIT_COLUMNS,
    DayResult,
)  # fmt: skip
from sim.experiment.runner import RunResult, summary_dict


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    return csv_text(header, rows, nan_empty=True)  # user text neutralised (OWASP)


def _stream_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a CSV table row by row to ``path`` (atomically), the bytes :func:`_csv` makes; a
    10,000-day table is never held whole in memory (issue 17 item 5)."""
    with replacing(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([csv_cell(v) for v in header])
        writer.writerows([csv_cell(v, True) for v in row] for row in rows)


def _rep_rows(days: Iterable[DayResult]) -> Iterator[tuple[object, ...]]:
    """One row per rep and day, one day rebuilt at a time."""
    for d in days:
        for r in d.reps:
            yield (
                d.replication, r.name, r.team, r.receptions, round(r.busy_min, 4),
                round(r.duty_min, 4), round(r.busy_min / r.duty_min, 4) if r.duty_min else "",
                r.calls, r.turns, r.skipped, r.made_up, r.lent, r.mentored,
            )  # fmt: skip


def run_folder(out: Path, result: RunResult) -> Path:
    """Where a run's files go: ``OUT/<scenario>-<policy>-seed<seed>``."""
    return out / f"{folder_name(result.scenario.name)}-{result.policy}-seed{result.seed}"


def write_run(result: RunResult, out: Path) -> Path:
    """Write every table, the per-day KPIs, the summary and the scenario echo; return the folder."""
    folder = run_folder(out, result)
    days = result.days
    tables: dict[str, tuple[Sequence[str], list[Sequence[object]]]] = {
        "visits": (VISIT_COLUMNS, []),
        "assignments": (ASSIGNMENT_COLUMNS, []),
        "vip_rooms": (ROOM_COLUMNS, []),
        "sample_houses": (HOUSE_COLUMNS, []),
        "post_hours": (POST_HOUR_COLUMNS, []),
    }
    for day in days:
        if day.tables is None:
            continue
        for name, (_, rows) in tables.items():
            rows.extend((day.replication, *row) for row in getattr(day.tables, name))
    for name, (header, rows) in tables.items():
        write_text(folder / f"{name}.csv", _csv(("replication", *header), rows))
    rep_header = (
        "replication", "rep", "team", "receptions", "busy_min", "duty_min", "utilisation",
        "calls", "turns", "skipped", "made_up", "lent", "mentored",
    )  # fmt: skip
    _stream_csv(folder / "reps.csv", rep_header, _rep_rows(days))
    keys = list(days[0].kpis)
    _stream_csv(
        folder / "kpis_by_replication.csv",
        ("replication", *keys), ((d.replication, *(d.kpis[k] for k in keys)) for d in days),
    )  # fmt: skip
    summary = summary_dict(result)
    write_text(
        folder / "summary.csv",
        _csv(
            ("kpi", "zh", "en", "unit", "mean", "ci_low", "ci_high", "n"),
            [
                (key, v["zh"], v["en"], v["unit"], v["mean"], v["ci_low"], v["ci_high"], v["n"])
                for key, v in summary["kpis"].items()
            ],
        ),
    )
    write_text(folder / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    echo = result.scenario.model_dump(mode="json", by_alias=True)
    write_text(folder / "scenario.yaml", yaml.safe_dump(echo, allow_unicode=True, sort_keys=False))
    return folder
