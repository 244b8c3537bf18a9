"""The desk wait KPIs the targets name, computed for all rows at once.

:func:`sim.event_kpis.event_kpis` computes every KPI of every desk, its 90th percentile row by
row (``np.nanpercentile``); on the screen that costs more than the screen itself. Here only
the targets' ``{post}_wait_p90``, ``_wait_mean`` and ``_wait_over_target`` are computed, with
the same arithmetic (the P90 is numpy's linear method, Hyndman & Fan 7, and its ``_lerp``,
on rows sorted once), so the values are bit-for-bit those of ``event_kpis``
(tests/test_event_sizing.py). Any other KPI falls back to ``day_kpis``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from sim.event_kpis import EventTimes

METRICS = ("wait_p90", "wait_mean", "wait_over_target")


def split(keys: Iterable[str], posts: Iterable[str]) -> dict[str, tuple[str, str]] | None:
    """``key -> (post, metric)`` when every key is a desk wait KPI; else ``None``."""
    out: dict[str, tuple[str, str]] = {}
    for k in keys:
        hit = next(((p, m) for p in posts for m in METRICS if k == f"{p}_{m}"), None)
        if hit is None:
            return None
        out[k] = hit
    return out


def p90_rows(w: np.ndarray) -> np.ndarray:
    """Row-wise ``np.nanpercentile(w, 90, axis=1)`` with ``inf`` counted as missing (as
    ``sim.event_kpis._p90_rows``): sort once, then numpy's virtual index and lerp."""
    finite = np.where(np.isinf(w), np.nan, w)
    s = np.sort(finite, axis=1)  # nan last
    n = (~np.isnan(finite)).sum(axis=1)
    q = np.asarray([0.9])[0]
    v = (n - 1) * q
    prev = np.floor(v)
    nxt = prev + 1
    top = v >= n - 1
    prev = np.where(top, n - 1, prev)
    nxt = np.where(top, n - 1, nxt)
    gamma = np.where(top, 1.0, v - np.floor(v))
    rows = np.arange(len(n))
    lo_i = np.clip(prev, 0, None).astype(np.intp)
    hi_i = np.clip(nxt, 0, None).astype(np.intp)
    a, b = s[rows, lo_i], s[rows, hi_i]
    diff = b - a
    with np.errstate(invalid="ignore"):
        out = np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)
    return np.where(n > 0, out, np.nan)


def wait_kpis(times: EventTimes, which: dict[str, tuple[str, str]],
              targets: dict[str, float]) -> dict[str, np.ndarray]:  # fmt: skip
    """The requested desk wait KPIs (``which`` from :func:`split`), as ``event_kpis``."""
    out: dict[str, np.ndarray] = {}
    for key, (p, metric) in which.items():
        arr, st = times.arrive[p], times.start[p]
        visit = ~np.isnan(arr)
        unserved = (visit & np.isinf(st)).sum(axis=1)
        n = visit.sum(axis=1)
        bad = unserved > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            w = np.where(visit, st - arr, np.nan)
            if metric == "wait_mean":
                mean = np.nansum(np.where(visit, w, 0.0), axis=1) / n
                out[key] = np.where(bad, np.inf, mean)
            elif metric == "wait_over_target":
                out[key] = (np.where(visit, w, 0.0) > targets[p]).sum(axis=1) / n
            else:
                out[key] = np.where(bad, np.inf, p90_rows(w))
    return out
