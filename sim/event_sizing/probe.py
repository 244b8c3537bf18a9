"""Hard days first: proving that a candidate plan misses on a few search days.

Most plans the search screens are one person fewer than a plan that meets every target
(the removal scans, the steps down, the booking-cost moves), and most of them miss. A
share_of_days target misses once more days fail than :meth:`SizingCriterion.failures_allowed`
permits out of ALL the search days; failures on a subset of the days already count towards
that. So a candidate is first screened on the days its neighbour (the plan it differs from,
which holds) came closest to failing: when those alone fail more days than allowed, the
candidate misses whatever the other days do (a verdict, not an estimate), and only those
days were simulated; else the next hardest days, twice as many, and so on
(:func:`hard_stages`). A candidate that holds ends up screened on every day, its stages
joined (the screen's rows are independent: the KPIs are those of every day at once); a day is
screened twice only when a plan is judged again from another neighbour, whose stages differ.
The verdicts, and so the plans, are those of screening every day (issue 17 item 1).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np

from sim.event.inputs import EventVisitors
from sim.event.screen import Cache
from sim.event_sizing.targets import SizingCriterion, SizingTarget

PROBE_SPARE = 0.5
"""First-stage days per allowed failing day beyond the allowance itself: with 5 failing days
allowed out of 100 (0.95), the 9 hardest (1.5 x (5 + 1)); 6 would be the fewest that can
prove a miss. On the launch day scaled to 1,600 / 3,200 people (seed 0, levels, curves)
0, 0.5, 1 and 2 gave 9,761 / 15,555, 9,930 / 15,439, 10,150 / 15,822 and 10,329 / 16,332
simulated days, the same plans. The days a removal newly fails are often not its
neighbour's hardest (a change upstream moves who waits downstream), hence the stages."""
PROBE_SHARE = 0.5
"""No probe when its first stage would be more than this share of the search days (few days,
a low level): it could then prove little, for more screen runs."""


def day_margins(targets: Sequence[SizingTarget], kpis: Mapping[str, np.ndarray]) -> np.ndarray:
    """Per day: the smallest margin of any target relative to its value (negative: missed;
    a day without a sample meets the target: ``+inf``)."""
    days = len(next(iter(kpis.values())))
    out = np.full(days, np.inf)
    for t in targets:
        x = np.asarray(kpis[t.kpi], dtype=float)
        with np.errstate(invalid="ignore"):
            m = (t.value - x) if t.op == "<=" else (x - t.value)
        out = np.minimum(out, np.where(np.isnan(x), np.inf, m / max(abs(t.value), 1.0)))
    return out


def first_stage(targets: Sequence[SizingTarget], kpis: Mapping[str, np.ndarray],
                crit: SizingCriterion) -> int | None:  # fmt: skip
    """Days in a probe's first stage (:data:`PROBE_SPARE`; the joint share's allowance too
    where it applies), or ``None`` when no probe pays: mode upper_ci_mean, or too few search
    days (the stage would be more than :data:`PROBE_SHARE` of them)."""
    if crit.mode != "share_of_days" or not kpis:
        return None
    days = len(next(iter(kpis.values())))
    allowed = crit.failures_allowed(days)
    if crit.joint(targets):
        allowed = max(allowed, crit.failures_allowed(days, crit.joint_at))
    k = round((1 + PROBE_SPARE) * (allowed + 1))
    return None if k > PROBE_SHARE * days else k


def _hardest_first(targets: Sequence[SizingTarget], kpis: Mapping[str, np.ndarray]) -> list[int]:
    return [int(r) for r in np.argsort(day_margins(targets, kpis), kind="stable")]


def hard_stages(targets: Sequence[SizingTarget], kpis: Mapping[str, np.ndarray],
                crit: SizingCriterion) -> list[tuple[int, ...]] | None:  # fmt: skip
    """The search days in the order a candidate is screened, given a neighbour plan's
    ``kpis`` (every search day), in stages: the :func:`first_stage` ``k`` days with the
    smallest margin to any target (those it misses first; ties by index), then the next
    hardest ``2k``, ``4k``, ... (a last stage shorter than ``k`` joins the one before), each
    stage in index order; ``None``: no probe. Each stage can prove a miss (on the launch day
    scaled to 3,200 people two stages, the hard days and the rest, took 17,944 simulated
    days, doubling stages 16,332, for the same plans; ranking by the changed desk's targets
    alone caught fewer misses: a removal upstream breaks a target downstream)."""
    k = first_stage(targets, kpis, crit)
    if k is None:
        return None
    order = _hardest_first(targets, kpis)
    cuts, size = [0], k
    while cuts[-1] < len(order):
        cuts.append(min(len(order), cuts[-1] + size))
        size *= 2
    if len(cuts) > 2 and cuts[-1] - cuts[-2] < k:
        del cuts[-2]
    return [tuple(sorted(order[a:b])) for a, b in itertools.pairwise(cuts)]


def joined(days: int, *parts: tuple[tuple[int, ...], Mapping[str, np.ndarray]],
           ) -> dict[str, np.ndarray]:  # fmt: skip
    """KPIs per day on all ``days`` from ``parts`` (rows, their KPIs) that cover each day once
    (a day's KPIs depend on its own visitors only: the same as screening every day)."""
    out: dict[str, np.ndarray] = {}
    for rows, kpis in parts:
        for k, v in kpis.items():
            out.setdefault(k, np.full(days, np.nan))[list(rows)] = v
    return out


class ProbeDays:
    """The search days' visitors on probed rows (each set of rows once, with its own screen
    cache: a cache holds one set of visitors' results, bounded as the screen bounds it). At
    most :attr:`KEEP` sets of rows (the stages of the last neighbour plans) are kept; a set
    met once (the days a proof completes) is not kept, so it does not push out
    the stages' caches. With ten results per set and the proofs' sets kept, the 3,000-person
    launch day ran 1.16x the wall time of screening every day (median of 3, interleaved);
    now 0.97x, at a peak memory of 1.45 GB instead of 1.15 GB."""

    KEEP = 8

    def __init__(self, visitors: EventVisitors) -> None:
        self.visitors = visitors
        self._kept: dict[tuple[int, ...], tuple[EventVisitors, Cache]] = {}

    def inputs(self, rows: tuple[int, ...], keep: bool = True) -> tuple[EventVisitors, Cache]:
        """The visitors of ``rows`` and their screen cache (not kept: a set met once, such as
        the days a proof completes, would push out the stages' caches)."""
        hit = self._kept.get(rows)
        if hit is None and not keep:
            return self.visitors.take(rows), {}
        if hit is None:
            if len(self._kept) >= self.KEEP:
                self._kept.clear()
            hit = self._kept[rows] = (self.visitors.take(rows), {})
        return hit
