"""Where groups come from: walk-ins, appointments, delegations and scheduled important visits.

Each source draws from its own streams and hands finished groups to ``spawn`` at their
arrival time.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Generator
from functools import partial
from typing import Any

import simpy

from sim.core.distributions import Exponential
from sim.core.quick_process import timeout
from sim.core.rng import Streams
from sim.domain.labels import APPOINTMENT, DELEGATION, VISIT, WALK_IN
from sim.office.visitors import (
    Group,
    GroupFactory,
    PoissonArrivals,
    bookings,
)  # fmt: skip
from sim.scenario.schema import Scenario

Process = Generator[simpy.Event, Any, None]
Spawn = Callable[[Group], None]
# constructed, not validated: validating builds Exponential's own validator (memory, issue 17)
_UNIT_EXP = Exponential.model_construct(dist="exponential", mean_min=1.0)


class Sources:
    """Starts every arrival process of the scenario."""

    def __init__(
        self, env: simpy.Environment, scenario: Scenario, streams: Streams, spawn: Spawn
    ) -> None:
        self.env = env
        self.scenario = scenario
        self.streams = streams
        self.spawn = spawn
        self.ids = itertools.count()

    def start(self) -> None:
        """Start the arrival processes."""
        env = self.env
        env.process(self._walk_ins())
        env.process(self._appointments())
        staffing = self.scenario.staffing
        if staffing is not None and staffing.delegations.per_day > 0:
            env.process(self._delegations())
        if staffing is not None and staffing.important_visits:
            env.process(self._important_visits())

    def _release(self, group: Group) -> None:
        group.gid = next(self.ids)
        self.spawn(group)

    def _walk_ins(self) -> Process:
        """Walk-ins (non-homogeneous Poisson), released by a
        :class:`~sim.office.visitors.PoissonArrivals` timer. Started as a process, so the first
        arrival is drawn and scheduled when the day's first events run, as the arrival process
        did (the same event order)."""
        factory = GroupFactory(self.scenario, self.streams, WALK_IN)
        gap = self.streams.sampler("walk_in.arrivals", _UNIT_EXP)
        arrivals = PoissonArrivals(self.env, self.scenario.walk_in_schedule(), gap,
                                   lambda: self._release(factory.make(-1)))  # fmt: skip
        arrivals.next()
        yield from ()

    def _appointments(self) -> Process:
        """Booked groups, released by :class:`_Booked` (started as :meth:`_walk_ins`)."""
        _Booked(self).next()
        yield from ()

    def _delegations(self) -> Process:
        """V3: Poisson count per day, arrival uniform over opening hours, size uniform; by bus
        (through the gate), always touring the sample houses with ``house_slots`` of their
        capacity, never walking away unserved."""
        spec = self.scenario.staffing.delegations  # type: ignore[union-attr]
        day = self.scenario.day
        rng = self.streams.generator("delegation.plan")
        n = int(rng.poisson(spec.per_day))
        times = sorted(rng.uniform(day.open, max(day.open, day.close - 60), n).tolist())
        sizes = rng.integers(spec.size_min, spec.size_max + 1, n).tolist()
        if not n:  # most days at a fraction of a delegation a day (speed, issue 17)
            return
        factory = GroupFactory(self.scenario, self.streams, DELEGATION)
        for t, size in zip(times, sizes, strict=True):
            group = factory.make(-1)
            group.size, group.slots = int(size), spec.house_slots
            group.non_sales = group.returning = group.designated = False
            group.owner, group.negotiates, group.signs, group.by_car = -1, False, False, True
            group.patience = math.inf  # a booked delegation does not walk away unserved (V3)
            yield timeout(self.env, t - self.env._now)
            self._release(group)

    def _important_visits(self) -> Process:
        """The party of each scheduled important visit arrives at its time."""
        visits = sorted(self.scenario.staffing.important_visits, key=lambda v: v.at)  # type: ignore[union-attr]
        factory = GroupFactory(self.scenario, self.streams, VISIT)
        for visit in visits:
            group = factory.make(-1)
            group.size, group.important, group.negotiates = visit.size, True, True
            group.non_sales = group.returning = group.designated = False
            group.owner, group.patience, group.t_negotiation = -1, math.inf, visit.stay_min
            group.signs = False
            yield timeout(self.env, max(0.0, visit.at - self.env._now))
            self._release(group)


class _Booked:
    """The booked groups, each drawn in booking order (no-shows too: keeps CRN) and released
    at its arrival by its timeout's callback (no process resumed per arrival, as the
    walk-ins; speed, issue 17). An object, not closures calling each other: nothing of it is
    left in a reference cycle at the end of the day (:func:`sim.model.simulate_day`)."""

    def __init__(self, sources: Sources) -> None:
        self.env = sources.env
        self.release = sources._release
        self.factory = GroupFactory(sources.scenario, sources.streams, APPOINTMENT)
        self.bookings = iter(bookings(sources.scenario, sources.streams))

    def next(self) -> None:
        """Draw the next booked groups up to one that shows, and set its arrival."""
        for booking in self.bookings:
            group = self.factory.make(-1, booking.booked)
            if booking.shows:
                timeout(self.env, booking.arrival - self.env._now).callbacks.append(
                    partial(self._arrive, group)
                )  # fmt: skip
                return

    def _arrive(self, group: Group, _: simpy.Event) -> None:
        self.release(group)
        self.next()
