"""SimPy on the days that decide a verdict, the screen on every day (issue 17).

The vectorised screen gives the SimPy model's times exactly (tests/test_event_model.py), at a
fraction of the cost per day; on a 3,000-person launch day one SimPy day costs about 0.3 s, so
the SimPy confirmation of a plan on all search days and the 200 fresh validation days were
most of a sizing's wall time. A *verified* evaluation therefore judges a plan on every day by
the screen and re-runs in SimPy the :data:`VERIFY_DAYS` days nearest a target's line (per
target in turn: the days a difference between the models could flip). When SimPy's KPIs
differ from the screen's on any of them, every day is run in SimPy instead, so the verdict is
always SimPy's wherever the two models could disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from sim.event_sizing.targets import SizingTarget

VERIFY_DAYS = 20
"""SimPy days per verified plan (two chunks of the pool: one each on two workers)."""


def deciding_days(kpis: Mapping[str, np.ndarray], targets: Sequence[SizingTarget],
                  k: int = VERIFY_DAYS) -> list[int]:  # fmt: skip
    """The ``k`` days (row indices, ascending) nearest the targets' lines: each target's days
    ranked by their distance from its value relative to it (no sample: last), taken in turn
    over the targets; every day when there are at most ``k``."""
    n = len(next(iter(kpis.values()))) if kpis else 0
    if n <= k:
        return list(range(n))
    ranked = []
    for t in targets:
        x = np.asarray(kpis[t.kpi], dtype=float)
        with np.errstate(invalid="ignore"):
            gap = np.abs(x - t.value) / max(abs(t.value), 1.0)
        ranked.append(np.argsort(np.where(np.isfinite(gap), gap, np.inf), kind="stable"))
    chosen: dict[int, None] = {}
    for i in range(n):
        for order in ranked:
            chosen.setdefault(int(order[i]))
            if len(chosen) == k:
                return sorted(chosen)
    return sorted(chosen)  # pragma: no cover - n > k days fill k


def agree(screen: Mapping[str, np.ndarray], simpy: Mapping[str, np.ndarray],
          keys: Sequence[str], days: Sequence[int]) -> bool:  # fmt: skip
    """Whether SimPy's KPIs on ``days`` equal the screen's on those rows (to rounding)."""
    rows = np.asarray(days, dtype=int)
    return all(np.allclose(np.asarray(screen[k])[rows], simpy[k], rtol=1e-9, atol=1e-9,
                           equal_nan=True) for k in keys)  # fmt: skip
