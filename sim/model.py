"""The SimPy model of one day at a sales office: arrivals, the desk, and the journey F3–F8.

Build with :class:`OfficeModel` and call :meth:`OfficeModel.run`; use :func:`sim.run` for
replications. Rotation is delegated to a policy from :mod:`sim.policies`, built per run.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import simpy

from sim.desk import Desk
from sim.kpi import compute_kpis
from sim.policies import RotationPolicy, policy_class
from sim.recorder import Level, Recorder, Tables
from sim.rng import Streams
from sim.scenario.distributions import Exponential
from sim.scenario.schema import Scenario
from sim.staff import OfficeView, Rep
from sim.visitors import APPOINTMENT, WALK_IN, Group, GroupFactory, bookings, next_arrival

Process = Generator[simpy.Event, Any, None]
_UNIT_EXP = Exponential.model_validate({"dist": "exponential", "mean": 1.0})


@dataclass(frozen=True)
class RepStats:
    """One rep's day."""

    name: str
    team: str
    receptions: int
    busy_min: float


@dataclass(frozen=True)
class DayResult:
    """The outcome of one simulated day (one replication)."""

    replication: int
    seed: int
    policy: str
    kpis: dict[str, float]
    reps: tuple[RepStats, ...]
    tables: Tables | None
    end: float


class OfficeModel:
    """One replication of a scenario: its resources, processes and records."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        replication: int = 0,
        policy: str | type[RotationPolicy] | None = None,
        level: Level = "full",
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.replication = replication
        self.env = simpy.Environment(initial_time=scenario.day.open)
        self.streams = Streams(seed, replication)
        self.reps = [Rep(i, r.name, r.team, r.experienced) for i, r in enumerate(scenario.reps)]
        cls = policy_class(policy or scenario.policy) if not isinstance(policy, type) else policy
        self.policy_name = cls.name or cls.__name__
        self.policy = cls(OfficeView(self.reps, scenario.day.type, self.env))
        self.recorder = Recorder(level, scenario.day.open)
        self.desk = Desk(self.env, self.reps, self.policy, self._assigned)
        rooms = scenario.vip_rooms.count
        self.rooms = simpy.Store(self.env, capacity=max(rooms, 1))
        self.rooms.items.extend(range(rooms))
        self.tables = simpy.Resource(self.env, scenario.tables) if scenario.tables else None
        self.houses = [simpy.Resource(self.env, h.capacity) for h in scenario.sample_houses]
        self.inside: dict[int, Group] = {}
        self._track_inside = scenario.day.run_until == "close"
        self._ids = itertools.count()

    # -- arrivals ---------------------------------------------------------------------------
    def _walk_ins(self) -> Process:
        env = self.env
        schedule = self.scenario.walk_in_schedule()
        gap = self.streams.sampler("walk_in.arrivals", _UNIT_EXP)
        factory = GroupFactory(self.scenario, self.streams, WALK_IN)
        t = env.now
        while True:
            t = next_arrival(schedule, t, gap())
            if t == math.inf:
                return
            yield env.timeout(t - env.now)
            env.process(self._visit(factory.make(next(self._ids))))

    def _appointments(self) -> Process:
        env = self.env
        factory = GroupFactory(self.scenario, self.streams, APPOINTMENT)
        for booking in bookings(self.scenario, self.streams):
            group = factory.make(-1, booking.booked)  # drawn for no-shows too: keeps CRN
            if not booking.shows:
                continue
            yield env.timeout(booking.arrival - env.now)
            group.gid = next(self._ids)
            env.process(self._visit(group))

    # -- the journey ------------------------------------------------------------------------
    def _visit(self, g: Group) -> Process:
        env, rec = self.env, self.recorder
        g.arrival = env.now
        rec.entered(env.now)
        if self._track_inside:
            self.inside[g.gid] = g
        if g.non_sales:  # R5: received at the desk, no rep turn
            yield env.timeout(g.t_non_sales)
            return self._leave(g, "non_sales")
        rep = yield self.desk.arrive(g)  # F3
        if rep is None:
            return self._leave(g, "lost")
        if g.t_sandbox:
            yield env.timeout(g.t_sandbox)  # F4
        if g.t_houses:
            yield from self._tour(g)  # F5
        if g.negotiates:
            yield from self._negotiate(g)  # F6, F7
        if g.t_walk_out:
            yield env.timeout(g.t_walk_out)  # F8
        self.desk.release(rep)
        self._leave(g, "served")

    def _leave(self, g: Group, outcome: str) -> None:
        g.departure = self.env.now
        if self._track_inside:
            del self.inside[g.gid]
        self.recorder.left(g, self.env.now, outcome)

    def _tour(self, g: Group) -> Process:
        env = self.env
        g.tour_start = env.now
        for index, (house, minutes) in enumerate(zip(self.houses, g.t_houses, strict=True)):
            asked = env.now
            with house.request() as req:
                yield req
                start = env.now
                g.house_wait += start - asked
                yield env.timeout(minutes)
            self.recorder.house_visit(index, g, asked, start, env.now)
        g.tour_end = env.now

    def _negotiate(self, g: Group) -> Process:
        env = self.env
        g.seat_request = env.now
        room = (yield from self._vip_room(g)) if g.asks_vip else None
        table = None
        if room is None:
            g.seat = "table"
            if self.tables is not None:
                table = self.tables.request()
                yield table
        g.seat_start = env.now
        yield env.timeout(g.t_negotiation + (g.t_signing if g.signs else 0.0))
        if room is not None:
            self.rooms.put(room)
            self.recorder.room_use(room, g, g.seat_start, env.now)
        if table is not None and self.tables is not None:
            self.tables.release(table)

    def _vip_room(self, g: Group) -> Generator[simpy.Event, Any, int | None]:
        vip = self.scenario.vip_rooms
        if vip.count == 0 or (vip.when_full == "table" and not self.rooms.items):
            return None
        get = self.rooms.get()
        if vip.max_wait_min is None or get.triggered:
            room: int = yield get
        else:
            yield get | self.env.timeout(vip.max_wait_min)
            if not get.triggered:
                get.cancel()
                return None
            room = get.value
        g.seat = "vip"
        return room

    def _assigned(self, g: Group, rep: Rep, now: float) -> None:
        self.recorder.assignment(g, rep.index, now)

    # -- running ----------------------------------------------------------------------------
    def run(self) -> DayResult:
        """Simulate the day and return its KPIs (and tables, at level ``full``)."""
        env, day = self.env, self.scenario.day
        env.process(self._walk_ins())
        env.process(self._appointments())
        if day.run_until == "close":
            env.run(until=day.close)
            for rep in self.reps:
                if rep.busy:
                    rep.busy_time += env.now - rep.busy_since
            self.recorder.still_inside(list(self.inside.values()), env.now)
        else:
            env.run()
        end = max(env.now, day.close)
        kpis = compute_kpis(self.recorder.acc, self.reps, self.scenario, end, env.now)
        reps = tuple(RepStats(r.name, r.team, r.receptions, r.busy_time) for r in self.reps)
        return DayResult(
            self.replication, self.seed, self.policy_name, kpis, reps, self.recorder.tables, end
        )


def simulate_day(
    scenario: Scenario,
    seed: int,
    replication: int = 0,
    policy: str | type[RotationPolicy] | None = None,
    level: Level = "full",
) -> DayResult:
    """Simulate one replication of ``scenario``."""
    return OfficeModel(scenario, seed, replication, policy, level).run()
