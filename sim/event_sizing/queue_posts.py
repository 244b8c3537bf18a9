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
a failing day waits past the target, until the level holds; then one person at a time is
removed, busiest block first, while it holds.
The car park's occupancy (cars from arrival until the group leaves) is checked against its
spaces (:func:`parking_check`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.event.inputs import EventPlan
from sim.event.kpis import EventTimes, occupancy, p90_rows
from sim.event.screen import Seats, fifo
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

    def _waits(self, counts: Sequence[int]) -> np.ndarray:
        plan = EventPlan.from_blocks(self.edges, {"q": counts})
        start = fifo(Seats(plan.seats("q"), self.arrival.shape[0]), self.arrival, self.service)
        wait: np.ndarray = start - self.arrival
        return wait

    def met(self, counts: Sequence[int], wait: np.ndarray | None = None) -> np.ndarray:
        """Per day: the P90 wait meets the target (a day without a job meets it; a job never
        served misses it)."""
        w = self._waits(counts) if wait is None else wait
        unserved = (np.isfinite(self.arrival) & np.isinf(w)).any(axis=1)
        p = np.where(unserved, np.inf, p90_rows(w))
        return np.isnan(p) | (p <= self.target)

    def _need(self, level: float) -> int:
        return max(1, math.ceil(level * int(self.arrival.shape[0]) - 1e-9))

    def holds(self, counts: Sequence[int], level: float) -> bool:
        """The target holds on at least ``ceil(level·days)`` days."""
        return int(self.met(counts).sum()) >= self._need(level)

    def size(self, level: float) -> tuple[int, ...]:
        """The fewest people per block meeting the target at ``level`` (see the module):
        from the start, a person is added in every block (below the cap) where a job of a
        failing day waits past the target, until the level holds; then people are removed."""
        counts = self._start()
        while True:
            wait = self._waits(counts)
            met = self.met(counts, wait)
            if int(met.sum()) >= self._need(level):
                break
            late = ~met[:, None] & ~(wait <= self.target) & np.isfinite(self.arrival)
            blocks = {int(b) for b in np.searchsorted(self.edges, self.arrival[late], "right") - 1}
            grow = [b for b in sorted(blocks) if 0 <= b < len(counts) and counts[b] < self.cap]
            if not grow:
                return tuple(counts)  # the cap cannot meet it: the fresh check will say so
            counts = [c + (i in grow) for i, c in enumerate(counts)]
        removed = True
        while removed:
            removed = False
            for b in sorted(range(len(counts)), key=lambda i: -counts[i]):
                if counts[b] == 0:
                    continue
                fewer = [c - (i == b) for i, c in enumerate(counts)]
                if self.holds(fewer, level):
                    counts, removed = fewer, True
        return tuple(counts)

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
