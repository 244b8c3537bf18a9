"""The SimPy model of an event day (launch day 开盘 / site open day 工地开放日): the reference
that the vectorised screen (:mod:`sim.event.screen`) must reproduce.

Each group is a process walking the desks in order. A desk is a FIFO queue served by its
seats; a seat is staffed in intervals (its person's blocks) and a person whose block ends
finishes the current group first. On a launch day signed-in groups wait in the waiting area
until the host calls their number: batches of ``batch_size`` numbers, the next batch once
every present group of the last has sat down at a selection desk (and the repeated calls of
absent numbers are over); a group absent when called (``no_show_share``, or not yet signed in)
is moved to the end and chooses after everyone else (V5). With ``order: wave_lottery`` each
invitation wave has its own range of numbers, called in wave order, and the host waits for a
number of the range that has not signed in yet: only no-shows move to the end.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from sim.core.urgent import urgent_timeout
from sim.domain.results import DayResult
from sim.event.inputs import EventPlan, EventVisitors, draw_event_visitors
from sim.event.kpis import EventTimes, event_kpis
from sim.scenario.event import Event
from sim.scenario.schema import Scenario

Process = Generator[simpy.Event, Any, None]


class Station:
    """A desk: FIFO queue, seats staffed in intervals, lowest free staffed seat first. With
    ``batch`` > 1 a person takes up to ``batch`` waiting groups at once (a tour), for as long
    as the longest of their services; each group's request then gives (seat, tour length,
    whether it leads the tour and releases the seat at its end)."""

    def __init__(self, env: simpy.Environment, spans: list[list[tuple[float, float]]],
                 batch: int = 1) -> None:  # fmt: skip
        self.env = env
        self.batch = batch
        # seats as bits: free (nobody at it) and on (staffed now); the lowest seat both is
        # the lowest set bit of free & on
        self.free = (1 << len(spans)) - 1
        self.on = 0
        self.queue: deque[simpy.Event] = deque()
        self.services: deque[float] = deque()
        for s, sp in enumerate(spans):
            env.process(self._duty(s, sp))

    def _duty(self, seat: int, spans: list[tuple[float, float]]) -> Process:
        for a, b in spans:
            yield urgent_timeout(self.env, a - self.env.now)
            self.on |= 1 << seat
            self._dispatch()
            yield urgent_timeout(self.env, b - self.env.now)
            self.on &= ~(1 << seat)

    def request(self, service: float = 0.0) -> simpy.Event:
        """An event whose value is the seat (a tour: see the class), when the group reaches
        the head and one is free; ``service``: the group's own service (tours only)."""
        event = self.env.event()
        self.queue.append(event)
        self.services.append(service)
        self._dispatch()
        return event

    def release(self, seat: int) -> None:
        """The group leaves ``seat``."""
        self.free |= 1 << seat
        self._dispatch()

    def _dispatch(self) -> None:
        while self.queue:
            both = self.free & self.on
            if not both:
                return
            seat = (both & -both).bit_length() - 1
            self.free &= ~(1 << seat)
            if self.batch == 1:
                self.services.popleft()
                self.queue.popleft().succeed(seat)
                continue
            take = min(self.batch, len(self.queue))
            members = [self.queue.popleft() for _ in range(take)]
            tour = max(self.services.popleft() for _ in range(take))
            for j, member in enumerate(members):
                member.succeed((seat, tour, j == 0))


class EventDay:
    """One replicated event day under a staffing plan."""

    def __init__(self, ev: Event, plan: EventPlan, vis: EventVisitors, open_: float) -> None:
        if vis.arrival.shape[0] != 1:
            raise ValueError("EventDay simulates one replication: pass EventVisitors.row(r)")
        self.ev, self.vis = ev, vis
        self.env = env = simpy.Environment(initial_time=open_)
        self.n = n = vis.arrival.shape[1]
        self.posts: list[str] = [d.post for d in ev.desks]
        self.stations = [Station(env, plan.seats(d.post), d.batch_size) for d in ev.desks]
        nan = np.full((1, n), np.nan)
        self.t = {k: {p: nan.copy() for p in self.posts} for k in ("arrive", "start", "end")}
        self.ready = np.full(n, np.inf)
        self.signed: list[int] = []
        self.signed_event = [env.event() for _ in range(n)]
        self.any_signed = env.event()
        self.called_event = [env.event() for _ in range(n)]
        self.started_event = [env.event() for _ in range(n)]
        self.called = np.full(n, np.inf)
        self.moved = np.zeros((1, n), dtype=bool)
        self.held = {p: vis.service[p].copy() for p in self.posts}  # person-minutes per group

    def run(self) -> EventTimes:
        """Simulate until nothing more can happen; return every group's times."""
        self.env.process(self._source())
        if self.ev.calling is not None:
            self.env.process(self._caller())
        self.env.run()
        return self._times()

    def _source(self) -> Process:
        for k in range(self.n):
            yield self.env.timeout(self.vis.arrival[0, k] - self.env.now)
            self.env.process(self._group(k))

    def _group(self, k: int) -> Process:
        env, vis = self.env, self.vis
        for i, (desk, station) in enumerate(zip(self.ev.desks, self.stations, strict=True)):
            p = desk.post
            if i == 1 and self.ev.calling is not None:
                yield self.called_event[k]
                yield env.timeout(vis.walk[p][0, k])
            elif i > 0:
                if desk.who == "buyers" and not vis.buyer[0, k]:
                    continue
                yield env.timeout(vis.walk[p][0, k])
            self.t["arrive"][p][0, k] = env.now
            self.t["start"][p][0, k] = np.inf
            if station.batch > 1:
                yield from self._tour(station, p, k)
                continue
            seat = yield station.request()
            self.t["start"][p][0, k] = env.now
            if i == 1:
                self.started_event[k].succeed()
            yield env.timeout(vis.service[p][0, k])
            station.release(seat)
            self.t["end"][p][0, k] = env.now
            if i == 0:
                self._signed_in(k)

    def _tour(self, station: Station, p: str, k: int) -> Process:
        """Group ``k`` at a touring desk (``batch_size`` > 1; never the first or called desk)."""
        seat, tour, lead = yield station.request(float(self.vis.service[p][0, k]))
        self.t["start"][p][0, k] = self.env.now
        self.held[p][0, k] = tour if lead else 0.0
        yield self.env.timeout(tour)
        if lead:
            station.release(seat)
        self.t["end"][p][0, k] = self.env.now

    def _signed_in(self, k: int) -> None:
        self.ready[k] = self.env.now
        self.signed.append(k)
        self.signed_event[k].succeed()
        self.any_signed.succeed()
        self.any_signed = self.env.event()

    def _caller(self) -> Process:
        env, c, vis = self.env, self.ev.calling, self.vis
        assert c is not None
        yield env.timeout(c.opens - env.now)
        lottery = c.order != "queue"
        by_wave = c.order == "wave_lottery"  # the host waits for a number of the called range
        by_lottery = list(np.argsort(vis.lottery[0], kind="stable"))
        moved: list[int] = []
        starts: list[simpy.Event] = []
        absent, first = 0, True
        for rnd in (1, 2):
            count = self.n if rnd == 1 else len(moved)
            for k in range(count):
                if k % c.batch_size == 0:
                    if not first:
                        deadline = env.now + absent * c.max_calls * c.call_interval_min
                        yield simpy.AllOf(env, starts)
                        if env.now < deadline:
                            yield env.timeout(deadline - env.now)
                    first, starts, absent = False, [], 0
                if rnd == 1 and not lottery:
                    while len(self.signed) <= k:
                        yield self.any_signed
                    g = self.signed[k]
                else:
                    g = int(by_lottery[k]) if rnd == 1 else moved[k]
                waits = rnd == 2 or not lottery or (by_wave and not vis.absent[0, g])
                if waits and self.ready[g] > env.now:
                    yield self.signed_event[g]
                if rnd == 2:
                    present = True
                else:
                    present = not vis.absent[0, g] and (not lottery or self.ready[g] <= env.now)
                if present:
                    self.called[g] = env.now
                    self.called_event[g].succeed()
                    starts.append(self.started_event[g])
                else:
                    moved.append(g)
                    self.moved[0, g] = True
                    absent += 1

    def _times(self) -> EventTimes:
        v = self.vis
        times = EventTimes(v.valid, v.size, v.arrival.copy(), extra=v.extra)
        for i, p in enumerate(self.posts):
            arrive, start = self.t["arrive"][p], self.t["start"][p]
            if i == 1 and self.ev.calling is not None:  # every group is due at the called desk
                arrive = np.where(np.isnan(arrive), np.inf, arrive)
                start = np.where(np.isnan(start), np.inf, start)
            end = np.where(np.isinf(start), np.inf, self.t["end"][p])
            times.arrive[p], times.start[p], times.end[p] = arrive, start, end
            times.service[p] = np.where(np.isnan(arrive), np.nan, self.held[p])
        if len(self.posts) > 1:
            times.wait_from = times.end[self.posts[0]]
            times.wait_to = (self.called[None, :] if self.ev.calling is not None
                             else times.start[self.posts[1]])  # fmt: skip
            times.moved = self.moved
        return times


def day_kpis(scenario: Scenario, plan: EventPlan, times: EventTimes, only: set[str] | None = None,
             ) -> dict[str, np.ndarray]:  # fmt: skip
    """The event KPIs of ``times`` (one row per replication; ``only``: see event_kpis)."""
    ev = scenario.event
    assert ev is not None
    posts: list[str] = [d.post for d in ev.desks]
    return event_kpis(
        times, posts, {d.post: d.target_wait_min for d in ev.desks},
        {p: plan.duty_minutes(p) for p in posts}, scenario.day.open, ev.waiting_area_capacity,
        only,
    )  # fmt: skip


def simulate_event_times(scenario: Scenario, plan: EventPlan, vis: EventVisitors) -> EventTimes:
    """Every group's times on the replicated event days of ``vis`` under ``plan``, by the SimPy
    model (the reference), one day per replication row, stacked like the screen's output."""
    ev = scenario.event
    assert ev is not None
    days = [EventDay(ev, plan, vis.row(r), scenario.day.open).run()
            for r in range(vis.arrival.shape[0])]  # fmt: skip
    return stack_times(days, vis.arrival.shape[1])


def stack_times(days: list[EventTimes], width: int) -> EventTimes:
    """Rows of single-day times, padded to ``width`` groups."""

    def pad(rows: list[np.ndarray | None], fill: Any) -> np.ndarray:
        out = np.full((len(rows), width), fill, dtype=np.asarray(fill).dtype)
        for r, a in enumerate(rows):
            if a is not None:
                out[r, : a.shape[1]] = a[0]
        return out

    first = days[0]
    out = EventTimes(pad([d.valid for d in days], False), pad([d.size for d in days], 0.0),
                     pad([d.arrival for d in days], np.nan))  # fmt: skip
    for p in first.arrive:
        for name in ("arrive", "start", "end", "service"):
            getattr(out, name)[p] = pad([getattr(d, name)[p] for d in days], np.nan)
    for key, a in first.extra.items():
        out.extra[key] = np.zeros((len(days), width, *a.shape[2:]), dtype=a.dtype)
        for r, d in enumerate(days):
            out.extra[key][r, : d.extra[key].shape[1]] = d.extra[key][0]
    if first.wait_from is not None:
        out.wait_from = pad([d.wait_from for d in days], np.nan)
        out.wait_to = pad([d.wait_to for d in days], np.nan)
        out.moved = pad([d.moved for d in days], False)
    return out


def simulate_event_day(scenario: Scenario, seed: int, replication: int) -> DayResult:
    """One replication of an event scenario at its baseline staffing (for ``salesim run``)."""
    plan = EventPlan.baseline(scenario)
    vis = draw_event_visitors(scenario, seed, [replication])
    rows = day_kpis(scenario, plan, simulate_event_times(scenario, plan, vis))
    kpis = {k: float(v[0]) for k, v in rows.items()}
    end = scenario.day.open + kpis["event_duration_min"]
    return DayResult(replication, seed, scenario.policy, kpis, (), None, end)
