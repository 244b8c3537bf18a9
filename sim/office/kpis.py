"""The KPI catalogue (Chinese and English labels) and the per-day KPI computation."""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.domain.satisfaction import DEFAULT as SATISFACTION

if TYPE_CHECKING:
    from sim.office.recorder import Accumulator
    from sim.office.staff import Rep
    from sim.scenario.schema import Scenario




def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values (0 = all equal); 0 for all-zero input."""
    if values and all(type(v) is int for v in values):  # counts (receptions): plain Python
        return _gini_of_counts(values)
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * x).sum()) / (n * x.sum()) - (n + 1) / n)


def _gini_of_counts(values: Sequence[float]) -> float:
    """:func:`gini` of non-negative ints, as NumPy computes it to the last bit: both sums are
    of integers below 2**53, so exact in any order, and the rest is the same float arithmetic
    (speed, issue 17: six NumPy calls a day fewer)."""
    ordered = sorted(int(v) for v in values)
    n = len(ordered)
    total = sum(ordered)
    weighted = sum(rank * v for rank, v in enumerate(ordered, 1))
    if weighted >= 2**53:
        x = np.asarray(ordered, dtype=float)
        return float((2 * (np.arange(1, n + 1) * x).sum()) / (n * x.sum()) - (n + 1) / n)
    if total == 0:
        return 0.0
    return (2 * float(weighted)) / (n * float(total)) - (n + 1) / n


def mean_or_nan(xs: Any, zeros: int = 0) -> float:
    """Mean of ``xs`` and ``zeros`` more values of 0 (``nan`` for none)."""
    n = len(xs) + zeros
    return math.fsum(xs) / n if n else math.nan


def p90(xs: Any, zeros: int = 0) -> float:
    """90th percentile, NumPy's default (linear) method, of ``xs`` and ``zeros`` more values
    of 0 (below every value of ``xs``); plain Python is faster for the few dozen values of a
    day."""
    n = len(xs) + zeros
    if not n:
        return math.nan
    pos = 0.9 * (n - 1)
    lo = int(pos) - zeros  # places among xs, sorted (negative: one of the zeros)
    hi = min(lo + 1, n - 1 - zeros)
    ordered: Any
    if len(xs) > 1000 and isinstance(xs, array):  # sorted() would make a float per value
        ordered = np.frombuffer(xs)  # a view: sorted in place, no copy (memory, issue 17
        ordered.sort()  # item 5); every KPI of a day's waits is order-free (fsum, counts)
    else:
        ordered = sorted(xs)
    a = float(ordered[lo]) if lo >= 0 else 0.0
    b = float(ordered[hi]) if hi >= 0 else 0.0
    return float(a + (b - a) * (pos - (lo + zeros)))


def ratio(num: float, den: float) -> float:
    return num / den if den else math.nan


def compute_kpis(
    acc: Accumulator, reps: Sequence[Rep], scenario: Scenario, end: float, last_event: float
) -> dict[str, float]:
    """Every KPI of the catalogue for one simulated day."""
    day = scenario.day
    target = scenario.targets
    sales = acc.served + acc.lost
    waits, zeros = acc.wait_rep, acc.zero_waits
    receptions = [r.receptions for r in reps]
    over = sum(w > target.wait_for_rep_min for w in waits) + acc.lost
    return {
        "groups_arrived": float(acc.arrived),
        "groups_served": float(acc.served),
        "people_arrived": float(acc.people),
        "people_served": float(acc.people_served),
        "deals": float(acc.deals),
        "deal_share": ratio(acc.deals, acc.served),
        "satisfaction_mean": ratio(sum(k * n for k, n in enumerate(acc.cards)), sum(acc.cards)),
        "follow_up_calls": float(sum(acc.cards[: SATISFACTION.follow_up_below])),
        "groups_lost": float(acc.lost),
        "lost_share": ratio(acc.lost, sales),
        "non_sales": float(acc.non_sales),
        "refused_admission": float(acc.refused_admission),
        "asked_to_wait": float(acc.asked_to_wait),
        "refused_protocol": float(acc.refused_protocol),
        "present_at_end": float(acc.present),
        "visit_mean": ratio(acc.sojourn_sum, acc.arrived - acc.present),
        "overtime_min": max(0.0, last_event - day.close) if day.run_until == "empty" else 0.0,
        "wait_rep_mean": mean_or_nan(waits, zeros),
        "wait_rep_p90": p90(waits, zeros),
        "wait_rep_over_target": ratio(over, sales),
        "rep_utilisation": ratio(sum(r.busy_time for r in reps), sum(r.duty_time for r in reps)),
        "rep_overtime_min": sum(r.overtime for r in reps),
        "receptions_min": float(min(receptions)),
        "receptions_max": float(max(receptions)),
        "receptions_spread": float(max(receptions) - min(receptions)),
        "receptions_gini": gini(receptions),
        "own_rep_share": ratio(acc.owned_by_owner, acc.owned),
    }
