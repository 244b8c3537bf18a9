"""Queue-served property posts of an event day (排队服务岗位, issue 12): parking guidance for
the cars that come, door or gate greeting for every group, water for the people seated in the
waiting area. Their work arrives from the simulated groups:

- ``arrivals``: one job per group as it arrives;
- ``cars``: one job per group that drives (not a bus wave; ``event.parking.car_share``);
- ``waiting_area``: a water request when a group sits down, then every ``every_min`` minutes
  while it waits (until its number is called).

Each post is a first-come-first-served queue (the event screen's :func:`sim.event.screen.fifo`
with the post's people per block as seats); it never holds a group up, so each post is sized
on its own: per block the fewest people such that the day's P90 wait meets
``target_wait_min`` on the confidence share of days (the desks' share-of-days rule). Start:
``ceil(offered load) + 1`` per block with work; one person more in each block where a job of
a failing day waits past the target, until the level holds; then each block, busiest first,
is brought down to its lowest count that holds (one fewer, then twice as many fewer each
time, then bisection), until no block can lose a person.
The car park's occupancy (cars from arrival until the group leaves) is checked against its
spaces (:func:`parking_check`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.event.kpis import EventTimes, occupancy, p90_rows_at_most
from sim.event.screen import to_front
from sim.event_sizing.queue_fifo import ResumableFifo
from sim.scenario.event_posts import CarPark, QueuePost


@dataclass(frozen=True)
class QueueWork:
    """A queue post's jobs on the simulated days: arrival and service minutes, shape
    (days, jobs), ``nan`` where there is none; its wait target and cap."""

    arrival: np.ndarray
    service: np.ndarray
    edges: tuple[float, ...]
    target: float
    cap: int
    _jobs: tuple[np.ndarray, np.ndarray] = field(init=False, repr=False, compare=False)
    _met: dict[tuple[int, ...], np.ndarray] = field(init=False, repr=False, compare=False)
    _grow: dict[tuple[int, ...], list[int]] = field(init=False, repr=False, compare=False)
    _fifo: ResumableFifo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # each day's jobs in arrival order, once: the jobs are the same for every headcount
        # tried, and the water bar's request slots are mostly empty (a fixed cost per try
        # that grew with the square of attendance, issue 17); FIFO gives each job the same
        # start as on the padded arrays (the same stable order: the slots are compacted in
        # their order before the sort, which then handles a sixth of the water bar's slots)
        has = np.isfinite(self.arrival)
        key, s = to_front(has, self.arrival, np.inf), to_front(has, self.service, 0.0)
        order = np.argsort(key, axis=1, kind="stable")
        a = np.take_along_axis(key, order, axis=1)
        s = np.take_along_axis(s, order, axis=1)
        object.__setattr__(self, "_jobs", (np.where(np.isinf(a), np.nan, a), s))
        object.__setattr__(self, "_fifo", ResumableFifo(self._jobs[0], s, self.edges))
        object.__setattr__(self, "_met", {})
        object.__setattr__(self, "_grow", {})

    def _waits(self, counts: Sequence[int]) -> np.ndarray:
        """Waits of the compacted jobs (``self._jobs``; the FIFO resumed from the previous
        plan where they share the earlier blocks, :mod:`sim.event_sizing.queue_fifo`)."""
        wait: np.ndarray = self._fifo.start(counts) - self._jobs[0]
        return wait

    def _judge(self, wait: np.ndarray) -> np.ndarray:
        unserved = (np.isfinite(self._jobs[0]) & np.isinf(wait)).any(axis=1)
        out: np.ndarray = ~unserved & p90_rows_at_most(wait, self.target)
        return out

    def met(self, counts: Sequence[int], wait: np.ndarray | None = None) -> np.ndarray:
        """Per day: the P90 wait meets the target (a day without a job meets it; a job never
        served misses it). ``wait``: :meth:`_waits` of ``counts``, when already known."""
        key = tuple(int(c) for c in counts)
        if key not in self._met:
            self._met[key] = self._judge(self._waits(counts) if wait is None else wait)
        return self._met[key]

    def _need(self, level: float) -> int:
        return max(1, math.ceil(level * int(self.arrival.shape[0]) - 1e-9))

    def holds(self, counts: Sequence[int], level: float) -> bool:
        """The target holds on at least ``ceil(level·days)`` days."""
        return int(self.met(counts).sum()) >= self._need(level)

    def _late(self, counts: Sequence[int]) -> list[int]:
        """Blocks (sorted) in which a job of a day missing the target waits past it."""
        key = tuple(int(c) for c in counts)
        if key not in self._grow:
            wait = self._waits(counts)
            met = self.met(counts, wait)
            arrival = self._jobs[0]
            late = ~met[:, None] & ~(wait <= self.target) & np.isfinite(arrival)
            blocks = np.unique(np.searchsorted(self.edges, arrival[late], "right") - 1)
            self._grow[key] = [int(b) for b in blocks]
        return self._grow[key]

    def size(self, level: float, start: Sequence[int] | None = None) -> tuple[int, ...]:
        """The fewest people per block meeting the target at ``level`` (see the module):
        from the start (or ``start``: the answer at another level), a person is added in every
        block (below the cap) where a job of a failing day waits past the target, until the
        level holds; then each block in turn, busiest first, is brought down to the lowest
        count that still holds (the others fixed), until no block can lose a person."""
        counts = self._start() if start is None else [int(c) for c in start]
        while int(self.met(counts).sum()) < self._need(level):
            grow = [b for b in self._late(counts) if 0 <= b < len(counts) and counts[b] < self.cap]
            if not grow:
                return tuple(counts)  # the cap cannot meet it: the fresh check will say so
            counts = [c + (i in grow) for i, c in enumerate(counts)]
        changed = True
        while changed:
            changed = False
            for b in sorted(range(len(counts)), key=lambda i: -counts[i]):
                low = self._lowest(counts, b, level) if counts[b] else 0
                changed |= low < counts[b]
                counts[b] = low
        return tuple(counts)

    def _lowest(self, counts: list[int], block: int, level: float) -> int:
        """The lowest count in ``block`` (the others as in ``counts``, which holds) that still
        holds: one fewer, then twice as many fewer each time while it holds, then bisection
        (one person at a time took most of a large event's sizing, issue 17)."""

        def holds(n: int) -> bool:
            return self.holds([n if i == block else c for i, c in enumerate(counts)], level)

        hi, lo, step = counts[block], -1, 1  # hi holds; lo fails (-1: below zero)
        while hi - step >= 0:
            if not holds(hi - step):
                lo = hi - step
                break
            hi, step = hi - step, step * 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if holds(mid):
                hi = mid
            else:
                lo = mid
        return hi

    def _start(self) -> list[int]:
        out = []
        for a, z in itertools.pairwise(self.edges):
            inside = (self.arrival >= a) & (self.arrival < z)
            work = float(np.where(inside, self.service, 0.0).sum()) / self.arrival.shape[0]
            out.append(min(self.cap, math.ceil(work / (z - a)) + 1) if inside.any() else 0)
        return out


def queue_work(q: QueuePost, times: EventTimes, edges: Sequence[float]) -> QueueWork:
    """The jobs of queue post ``q`` on the days of ``times``."""
    service = times.extra[f"queue.{q.post}"]
    valid = times.valid
    if q.source == "waiting_area":
        if times.wait_from is None or times.wait_to is None:
            none = np.full((valid.shape[0], 1), np.nan)
            return QueueWork(none, none, tuple(edges), q.target_wait_min, q.cap)
        k = service.shape[2]
        t0 = np.where(valid & np.isfinite(times.wait_from), times.wait_from, np.nan)
        t1 = np.where(np.isfinite(times.wait_to), times.wait_to, edges[-1])
        at = t0[:, :, None] + q.every_min * np.arange(k)[None, None, :]
        at = np.where(at < t1[:, :, None], at, np.nan)
        arrival, svc = at.reshape(len(at), -1), service.reshape(len(at), -1)
    else:
        who = valid & (times.extra["car"] if q.source == "cars" else True)
        arrival, svc = np.where(who, times.arrival, np.nan), service[:, :, 0]
    return QueueWork(arrival, np.where(np.isnan(arrival), 0.0, svc), tuple(edges),
                     q.target_wait_min, q.cap)  # fmt: skip


@dataclass(frozen=True)
class ParkingCheck:
    """The car park on the simulated days: spaces, peak cars present, spaces needed."""

    spaces: int
    level: float
    peak_mean: float
    peak_max: int
    needed: int

    @property
    def overflow(self) -> int:
        """Cars without a space at the level's peak (0 when the park suffices)."""
        return max(0, self.needed - self.spaces)


def parking_check(parking: CarPark, times: EventTimes, posts: Sequence[str], level: float,
                  ) -> ParkingCheck:  # fmt: skip
    """Cars present from their group's arrival until it leaves its last desk (or the close),
    against the spaces; ``needed``: the ``ceil(level·days)``-th smallest day's peak."""
    car = times.valid & times.extra["car"]
    leave = np.full(car.shape, np.nan)
    for p in posts:  # in visiting order: the last desk visited wins
        leave = np.where(~np.isnan(times.end[p]), times.end[p], leave)
    t0 = np.where(car, times.arrival, np.nan)
    peaks = occupancy(t0, leave, np.ones(car.shape), parking.spaces)[0]
    k = max(1, math.ceil(level * len(peaks) - 1e-9))
    needed = int(np.sort(peaks)[k - 1]) if len(peaks) else 0
    return ParkingCheck(parking.spaces, level, float(peaks.mean()) if len(peaks) else 0.0,
                        int(peaks.max(initial=0.0)), needed)  # fmt: skip
