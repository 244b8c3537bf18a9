"""Property-service posts of an event day (物业选配岗位), sized from the simulated crowd.

- ratio posts: per block, people needed on a day = ``ceil(peak people present in the zone
  during the block / per)``; the post gets the ``ceil(level·days)``-th smallest of these over
  the simulated days (the plan suffices on at least ``level`` of the days, like the desks'
  ``share_of_days`` rule);
- coverage posts: the ``count`` of every line-up whose window overlaps the block, summed.

People present come from the simulated groups' times (:class:`sim.event.kpis.EventTimes`):
the waiting area holds a group from the end of its sign-in to its call; the site holds it
from its arrival until it leaves its last desk (a group never served stays until the close).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.event.kpis import EventTimes
from sim.event_sizing.forked import forked_map
from sim.event_sizing.queue_posts import QueueWork, queue_work
from sim.scenario.event import Event
from sim.scenario.event_posts import CoveragePost, RatioPost


def _intervals(times: EventTimes, zone: str, posts: Sequence[str], close: float,
               ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Start and end of each group's stay in ``zone`` (nan start: never there)."""
    if zone == "waiting_area":
        if times.wait_from is None or times.wait_to is None:
            nan = np.full(times.valid.shape, np.nan)
            return nan, nan
        t0, t1 = times.wait_from.copy(), times.wait_to.copy()
    else:
        t0 = np.where(times.valid, times.arrival, np.nan)
        t1 = np.full(times.valid.shape, np.nan)
        for p in posts:  # posts in visiting order: the last desk visited wins
            en = times.end[p]
            t1 = np.where(~np.isnan(en), en, t1)
        t1 = np.where(np.isnan(t1), t0, t1)
    t0 = np.where(times.valid & np.isfinite(t0), t0, np.nan)
    return t0, np.where(np.isfinite(t1), t1, close)


def block_peaks(times: EventTimes, zone: str, posts: Sequence[str], edges: Sequence[float],
                ) -> np.ndarray:  # fmt: skip
    """Peak people present in ``zone`` in each block, per day: shape (days, blocks)."""
    t0, t1 = _intervals(times, zone, posts, edges[-1])
    out = np.zeros((t0.shape[0], len(edges) - 1))
    for r in range(t0.shape[0]):
        m = ~np.isnan(t0[r]) & (t1[r] > t0[r])
        if not m.any():
            continue
        size = times.size[r][m].astype(float)
        t = np.concatenate([t0[r][m], t1[r][m]])
        d = np.concatenate([size, -size])
        order = np.lexsort((d, t))  # at equal times a group leaves before another joins
        t, level = t[order], np.cumsum(d[order])
        for b, (a, z) in enumerate(itertools.pairwise(edges)):
            i = np.searchsorted(t, a, side="right")  # level at a: after every event at <= a
            at_start = level[i - 1] if i > 0 else 0.0
            j = np.searchsorted(t, z, side="left")
            inside = level[i:j]
            out[r, b] = max(at_start, inside.max(initial=0.0))
    return out


def needed_at_level(per_day: np.ndarray, level: float) -> list[int]:
    """Per block, the ``ceil(level·days)``-th smallest day's value (whole people)."""
    days = per_day.shape[0]
    k = max(1, math.ceil(level * days - 1e-9))
    ordered = np.sort(per_day, axis=0)
    return [int(x) for x in ordered[k - 1]]


def ratio_need(times: EventTimes, rp: RatioPost, posts: Sequence[str], edges: Sequence[float],
               ) -> np.ndarray:  # fmt: skip
    """People the ratio post needs per day and block: ceil(peak present / per)."""
    return np.ceil(block_peaks(times, rp.zone, posts, edges) / rp.per - 1e-9)


def coverage_counts(lineups: Sequence[CoveragePost], edges: Sequence[float]) -> list[int]:
    """Per block, the people of every line-up whose window overlaps the block."""
    return [sum(c.count for c in lineups if c.start < z and c.end > a)
            for a, z in itertools.pairwise(edges)]  # fmt: skip


QueueSizes = tuple[tuple[int, ...], dict[float, tuple[int, ...]]]
"""A queue post's people per block at the sizing's level, and at each other level."""


@dataclass(frozen=True)
class ServiceNeeds:
    """What each property-service post id needs on the simulated days, computed once: its
    ratio posts' people per day and block (summed over the post's ratio posts; ``None``
    without one) and its coverage line-ups per block (summed; zeros without one)."""

    ratio: dict[str, np.ndarray | None]
    coverage: dict[str, list[int]]
    queues: dict[str, QueueWork] = field(default_factory=dict)
    """The queue-served posts' jobs (:mod:`sim.event_sizing.queue_posts`)."""

    def counts(self, level: float, queues: bool = True) -> dict[str, tuple[int, ...]]:
        """Every post per block at ``level``: the ratio need on the ``ceil(level·days)``-th
        smallest day plus the coverage line-ups; the queue posts sized to their wait target
        (without ``queues``: left out)."""
        out: dict[str, tuple[int, ...]] = {}
        for post, cov in self.coverage.items():
            need = self.ratio[post]
            at = needed_at_level(need, level) if need is not None else [0] * len(cov)
            out[post] = tuple(a + b for a, b in zip(at, cov, strict=True))
        for post, work in self.queues.items() if queues else ():
            out[post] = work.size(level)
        return out

    def queue_first(self, level: float, workers: int = 1) -> dict[str, tuple[int, ...]]:
        """Each queue post sized at ``level``; the posts are independent, so each goes to a
        forked worker (:func:`~sim.event_sizing.forked.forked_map`), the same answers for any
        number of workers."""
        posts = list(self.queues)
        first = forked_map(lambda post: self.queues[post].size(level), posts, workers)
        return dict(zip(posts, first, strict=True))

    def queue_levels(self, first: Mapping[str, tuple[int, ...]], levels: Sequence[float],
                     workers: int = 1) -> dict[str, QueueSizes]:  # fmt: skip
        """Each queue post at each of ``levels``, from its answer ``first`` at the sizing's
        level (people added while a higher level misses, then each block brought down; from
        the analytic start it took longer, issue 17); each post and level on a forked worker,
        the same answers for any number of workers."""
        pairs = [(post, other) for post in first for other in levels]
        more = forked_map(lambda pair: self.queues[pair[0]].size(pair[1], first[pair[0]]),
                          pairs, workers)  # fmt: skip
        out: dict[str, QueueSizes] = {p: (first[p], {}) for p in first}
        for (post, other), counts in zip(pairs, more, strict=True):
            out[post][1][other] = counts
        return out

    def met_share(self, counts: Mapping[str, Sequence[int]]) -> dict[str, float]:
        """Per ratio post id: share of the days on which ``counts`` (minus the post's coverage
        line-ups) cover the ratio need in every block; per queue post: share of the days on
        which its wait target holds (the fresh-day check)."""
        out: dict[str, float] = {}
        for post, need in self.ratio.items():
            if need is None:
                continue
            have = np.asarray(counts[post]) - np.asarray(self.coverage[post])
            ok = (need <= have[None, :]).all(axis=1)
            out[post] = float(ok.mean()) if len(ok) else 1.0
        for post, work in self.queues.items():
            out[post] = float(work.met(counts[post]).mean())
        return out


def service_needs(ev: Event, times: EventTimes, edges: Sequence[float]) -> ServiceNeeds:
    """The ratio and coverage needs of every property-service post id of ``ev`` on the days of
    ``times`` (ratio post ids first, in the scenario's order, then coverage-only ids)."""
    posts = [d.post for d in ev.desks]
    ids = dict.fromkeys([rp.post for rp in ev.ratio_posts] + [c.post for c in ev.coverage_posts])
    ratio: dict[str, np.ndarray | None] = {}
    coverage: dict[str, list[int]] = {}
    for post in ids:
        mine = [ratio_need(times, rp, posts, edges) for rp in ev.ratio_posts if rp.post == post]
        ratio[post] = sum(mine[1:], mine[0]) if mine else None
        coverage[post] = coverage_counts([c for c in ev.coverage_posts if c.post == post], edges)
    queues: dict[str, QueueWork] = {q.post: queue_work(q, times, edges) for q in ev.queue_posts}
    return ServiceNeeds(ratio, coverage, queues)


def service_counts(ev: Event, times: EventTimes, edges: Sequence[float], level: float,
                   ) -> dict[str, tuple[int, ...]]:  # fmt: skip
    """Every property-service post per block at ``level`` (ratio posts of one id add up, and
    so do the coverage line-ups and ratio needs of one id)."""
    return service_needs(ev, times, edges).counts(level)


def ratio_met_share(ev: Event, times: EventTimes, edges: Sequence[float],
                    counts: Mapping[str, Sequence[int]]) -> dict[str, float]:  # fmt: skip
    """Per ratio post id: share of the days of ``times`` on which ``counts`` (minus the post's
    coverage line-ups) cover the need in every block (the fresh-day check)."""
    return service_needs(ev, times, edges).met_share(counts)
