"""KPI values and intervals as text, in their unit (terminal tables, reports, experiments)."""

from __future__ import annotations

import math

COUNT_UNITS = ("groups", "tasks", "calls", "turns", "reps", "people")
"""Units counted in whole things, shown with one decimal as means."""


def fmt(value: float | None, unit: str, signed: bool = False) -> str:
    """A KPI value (or, with ``signed``, a difference) in its unit: shares as % (differences
    in percentage points), counts with one decimal, minutes with two, ratios with three."""
    if value is None or math.isnan(value):
        return "—"
    sign = "+" if signed else ""
    if unit == "share":
        return f"{100 * value:{sign}.1f}" + (" pp" if signed else "%")
    if unit == "ratio":
        return f"{value:{sign}.3f}"
    return f"{value:{sign}.1f}" if unit in COUNT_UNITS else f"{value:{sign}.2f}"


def fmt_interval(low: float, high: float, unit: str, signed: bool = False) -> str:
    """``[low, high]``; a KPI's interval (not a difference's) is cut at zero, as KPIs are never
    negative."""
    if math.isnan(low) or math.isnan(high):
        return "—"
    if not signed:
        low = max(0.0, low)
    return f"[{fmt(low, unit, signed)}, {fmt(high, unit, signed)}]"
