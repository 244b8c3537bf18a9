"""What the comparison plots show, computed from a run's tables (NumPy only, no drawing).

Intervals of waiting and busy reps, counts on a time grid, occupancy per hour of each resource
and lost groups per arrival hour, each per replication; :func:`mean_ci` gives their mean and
95% CI over replications. Times are minutes since midnight.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from sim.core.stats import t_quantile
from sim.domain.labels import POST_LABELS
from sim.domain.results import (
    ASSIGNMENT_COLUMNS,
    HOUSE_COLUMNS,
    ROOM_COLUMNS,
    VISIT_COLUMNS,
    DayResult,
    Tables,
)
from sim.experiment.days import tabled_days
from sim.experiment.runner import RunResult

Runs = Sequence[RunResult]
STEP_MIN = 5.0


def _col(rows: Sequence[tuple[object, ...]], columns: Sequence[str], name: str,
         kind: type = float) -> np.ndarray:  # fmt: skip
    i = columns.index(name)
    return np.array([np.nan if r[i] is None else r[i] for r in rows], dtype=kind)


def tabled(run: RunResult) -> list[DayResult]:
    """The days that kept their tables (long runs keep them for the first days only)."""
    return tabled_days(run.days)


def _tables(day: DayResult) -> Tables:
    if day.tables is None:
        raise ValueError("plots need the tables: run with level='full'")
    return day.tables


def mean_ci(matrix: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Column means of ``matrix`` (replications × points) and their t-interval half-widths."""
    n = matrix.shape[0]
    mean = matrix.mean(axis=0)
    if n < 2:
        return mean, np.zeros_like(mean)
    half = t_quantile(level, n) * matrix.std(axis=0, ddof=1) / math.sqrt(n)
    return mean, half


def _overlap(starts: np.ndarray, ends: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Minutes each interval [start, end) overlaps each bin [lo, hi), summed over intervals."""
    both = np.minimum(ends[:, None], hi[None, :]) - np.maximum(starts[:, None], lo[None, :])
    return np.asarray(np.clip(both, 0.0, None).sum(axis=0), dtype=float)


def count_at(starts: np.ndarray, ends: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """How many intervals [start, end) contain each grid point."""
    inside = (starts[:, None] <= grid) & (grid < ends[:, None])
    return np.asarray(inside.sum(axis=0), dtype=float)


def waiting_intervals(day: DayResult) -> tuple[np.ndarray, np.ndarray]:
    """When each sales group waited for a rep: arrival until assigned, lost, or the day's end."""
    rows = _tables(day).visits
    outcome = _col(rows, VISIT_COLUMNS, "outcome", object)
    keep = (outcome != "non_sales") & (outcome != "refused")  # refused at the gate: never queued
    start = _col(rows, VISIT_COLUMNS, "arrival")[keep]
    end = _col(rows, VISIT_COLUMNS, "assigned")[keep]
    lost = _col(rows, VISIT_COLUMNS, "lost_at")[keep]
    end = np.where(np.isnan(end), lost, end)
    return start, np.where(np.isnan(end), day.end, end)


def busy_intervals(day: DayResult) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of each reception (the rep stays for the whole visit, or the day's end)."""
    rows = _tables(day).visits
    start = _col(rows, VISIT_COLUMNS, "assigned")
    end = _col(rows, VISIT_COLUMNS, "departure")[np.isfinite(start)]
    return start[np.isfinite(start)], np.where(np.isnan(end), day.end, end)


def time_grid(runs: Runs) -> np.ndarray:
    """Every ``STEP_MIN`` minutes from the earliest opening to the latest end of a day."""
    start = min(r.scenario.day.open for r in runs)
    end = max(d.end for r in runs for d in tabled(r))
    return np.arange(start, end + STEP_MIN / 2, STEP_MIN)


def receptions_per_rep(day: DayResult, n: int) -> np.ndarray:
    """Receptions of each of the ``n`` reps on one day."""
    rep = _col(_tables(day).assignments, ASSIGNMENT_COLUMNS, "rep")
    return np.bincount(rep[np.isfinite(rep)].astype(int), minlength=n)[:n].astype(float)


def rep_names(runs: Runs) -> list[str]:
    """The reps' names, or ``#1``, ``#2``, ... when the variants name them differently."""
    longest = max(runs, key=lambda r: len(r.scenario.reps))
    names = [rep.name for rep in longest.scenario.reps]
    same = all([rep.name for rep in r.scenario.reps] == names[: len(r.scenario.reps)] for r in runs)
    return names if same else [f"#{i + 1}" for i in range(len(names))]


def hour_grid(runs: Runs) -> np.ndarray:
    """Each hour start (minutes) from the earliest opening to the latest end of a day."""
    first = math.floor(min(r.scenario.day.open for r in runs) / 60)
    last = math.ceil(max(d.end for r in runs for d in tabled(r)) / 60)
    return np.arange(first, max(last, first + 1)) * 60.0


def _uses(run: RunResult, day: DayResult) -> list[tuple[str, np.ndarray, np.ndarray, int]]:
    """Each resource's name, use intervals and capacity: VIP rooms, sample houses, the reps."""
    sc, tables = run.scenario, _tables(day)
    room = _col(tables.vip_rooms, ROOM_COLUMNS, "room")
    r0, r1 = (_col(tables.vip_rooms, ROOM_COLUMNS, c) for c in ("start", "end"))
    house = _col(tables.sample_houses, HOUSE_COLUMNS, "house")
    h0, h1 = (_col(tables.sample_houses, HOUSE_COLUMNS, c) for c in ("start", "end"))
    uses = [(f"VIP室 VIP {i + 1}", r0[room == i], r1[room == i], 1)
            for i in range(sc.vip_rooms.count)]  # fmt: skip
    uses += [(f"{h.name} (样板间 house)", h0[house == j], h1[house == j], h.capacity)
             for j, h in enumerate(sc.sample_houses)]  # fmt: skip
    start, end = busy_intervals(day)
    return [*uses, ("置业顾问 reps (X)", start, end, len(sc.reps))]


def _post_rows(day: DayResult, posts: list[str], hours: np.ndarray) -> list[np.ndarray]:
    """Each staffed post's utilisation per hour (busy over on-duty minutes; 0 when off)."""
    index = {int(h // 60): i for i, h in enumerate(hours)}
    rows = []
    for post in posts:
        row = np.zeros(len(hours))
        for key, hour, busy, duty, _share in _tables(day).post_hours:
            h, b, d = int(str(hour)), float(str(busy)), float(str(duty))
            if key == post and h in index and d > 0:
                row[index[h]] = b / d
        rows.append(row)
    return rows


def _post_names(run: RunResult) -> tuple[list[str], list[str]]:
    staffing = run.scenario.staffing
    keys = [k for k in POST_LABELS if staffing is not None and getattr(staffing, k) is not None]
    names = [f"{POST_LABELS[k][1]} ({POST_LABELS[k][0]})" if POST_LABELS[k][0] != "—"
             else POST_LABELS[k][1] for k in keys]  # fmt: skip
    return keys, names


def occupancy_matrix(run: RunResult, hours: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Resource names and their mean occupancy share per hour (resources × hours): VIP rooms,
    sample houses, the reps and every staffed post."""
    posts, post_names = _post_names(run)
    days = []
    for day in tabled(run):
        uses = _uses(run, day)
        rows = [_overlap(a, b, hours, hours + 60) / (60 * cap) for _, a, b, cap in uses]
        days.append(rows + _post_rows(day, posts, hours))
    names = [u[0] for u in _uses(run, tabled(run)[0])] + post_names
    return names, np.mean(np.array(days), axis=0)


def lost_by_hour(day: DayResult, hours: np.ndarray) -> np.ndarray:
    """Lost groups of one day by the hour they arrived."""
    rows = _tables(day).visits
    lost = _col(rows, VISIT_COLUMNS, "outcome", object) == "lost"
    arrival = _col(rows, VISIT_COLUMNS, "arrival")[lost]
    return np.histogram(arrival, bins=np.append(hours, hours[-1] + 60))[0].astype(float)
