"""Results as pandas DataFrames for notebooks (``RunResult.to_frame()`` and friends).

Every frame has named columns, and every KPI row carries its Chinese and English label and
unit, as the CSV files do (``summary.csv``, ``comparison.csv``):

* :func:`summary_frame` — one row per KPI: ``zh``, ``en``, ``unit``, ``section``, ``mean``,
  ``ci_low``, ``ci_high``, ``half_width``, ``n`` (index ``kpi``);
* :func:`days_frame` — one row per simulated day (index ``replication``), one column per KPI;
* :func:`table_frame` — a per-day table (:data:`TABLES`: visits, assignments, VIP rooms,
  sample houses, post hours, reps) of the days that kept tables, with a ``replication`` column;
* :func:`comparison_frame` — one row per KPI and variant with the paired difference.

pandas is imported only here, when a frame is asked for.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from sim.core.stats import Estimate
from sim.domain.kpis import describe_kpi
from sim.domain.results import (
    ASSIGNMENT_COLUMNS,
    HOUSE_COLUMNS,
    POST_HOUR_COLUMNS,
    ROOM_COLUMNS,
    VISIT_COLUMNS,
    DayResult,
    RepStats,
)

TABLES: dict[str, tuple[str, ...]] = {
    "visits": VISIT_COLUMNS,
    "assignments": ASSIGNMENT_COLUMNS,
    "vip_rooms": ROOM_COLUMNS,
    "sample_houses": HOUSE_COLUMNS,
    "post_hours": POST_HOUR_COLUMNS,
    "reps": tuple(f.name for f in dataclasses.fields(RepStats)),
}
"""The per-day tables by name, with their columns (``reps`` from the rep statistics)."""


def _labels(key: str) -> dict[str, Any]:
    try:
        k = describe_kpi(key)
    except KeyError:
        return {"zh": key, "en": key, "unit": "", "section": ""}
    return {"zh": k.zh, "en": k.en, "unit": k.unit, "section": k.section}


def summary_frame(summary: Mapping[str, Estimate]) -> pd.DataFrame:
    """Every KPI of a run: labels, unit, mean and 95% CI over the replications."""
    rows = [
        {"kpi": key, **_labels(key), "mean": e.mean, "ci_low": e.low, "ci_high": e.high,
         "half_width": e.half_width, "n": e.n}
        for key, e in summary.items()
    ]  # fmt: skip
    return pd.DataFrame(rows).set_index("kpi")


def days_frame(values: Mapping[str, Sequence[float]]) -> pd.DataFrame:
    """One row per simulated day, one column per KPI (``frame.attrs['labels']`` maps each
    KPI to its Chinese and English label and unit)."""
    frame = pd.DataFrame({key: list(v) for key, v in values.items()})
    frame.index = pd.RangeIndex(len(frame), name="replication")
    frame.attrs["labels"] = {key: _labels(key) for key in values}
    return frame


def _rows(day: DayResult, name: str) -> list[tuple[object, ...]]:
    if name == "reps":
        return [dataclasses.astuple(r) for r in day.reps]
    return list(getattr(day.tables, name)) if day.tables is not None else []


def table_frame(days: Sequence[DayResult], name: str) -> pd.DataFrame:
    """One per-day table over the days that kept tables (the first 100 at level 'full')."""
    if name not in TABLES:
        raise KeyError(f"no table '{name}'; tables: {', '.join(TABLES)}")
    columns = ("replication", *TABLES[name])
    rows = [(day.replication, *row) for day in days for row in _rows(day, name)]
    return pd.DataFrame(rows, columns=list(columns))


def comparison_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per KPI and variant (the rows of ``comparison.csv``): labels, unit, mean, CI
    and the paired difference to the first variant (index ``kpi``, ``variant``)."""
    frame = pd.DataFrame([{**row, "section": _labels(row["kpi"])["section"]} for row in rows])
    return frame.set_index(["kpi", "variant"])
