"""F5 sample houses as a component: each unit in turn, each with a capacity (groups at once; a
delegation takes more places), the guide's briefing at the door, and the waiting KPIs."""

from __future__ import annotations

from collections import deque

import simpy

from sim.office.components import DayComponent
from sim.office.kpis import mean_or_nan, p90, ratio
from sim.office.reception import Process, Reception
from sim.office.recorder import Recorder
from sim.office.visitors import Group
from sim.scenario.schema import Scenario


class SampleHouses(DayComponent):
    """The sample houses (样板间) a group tours with its rep."""

    report_order = 12

    def __init__(
        self, env: simpy.Environment, scenario: Scenario, reception: Reception | None,
        recorder: Recorder,
    ) -> None:  # fmt: skip
        self.env = env
        self.reception = reception
        self.recorder = recorder
        self.target_min = scenario.targets.sample_house_wait_min
        self.houses = [_Places(env, h.capacity) for h in scenario.sample_houses]

    def tour(self, g: Group) -> Process:
        """Visit every unit in turn, waiting for a place at each."""
        env = self.env
        g.tour_start = env.now
        for index, (house, minutes) in enumerate(zip(self.houses, g.t_houses, strict=True)):
            asked = env.now
            slots = min(g.slots, house.capacity)
            g.waiting_for = "a place in a sample house (F5)"
            if not house.take(slots):
                yield house.wait(slots)
            start = env.now
            g.house_wait += start - asked
            if self.reception is not None:
                yield from self.reception.house_entry(g)  # F5: the guide's briefing
            yield env.timeout(minutes)
            house.give_back(slots)
            self.recorder.house_visit(index, g, asked, start, env.now)
        g.tour_end = env.now

    def kpis(self, end: float) -> dict[str, float]:
        """Waits at the sample houses: mean, P90 and the share over the target."""
        waits = self.recorder.acc.house_wait
        over = sum(w > self.target_min for w in waits)
        return {
            "house_wait_mean": mean_or_nan(waits),
            "house_wait_p90": p90(waits),
            "house_wait_over_target": ratio(over, len(waits)),
        }


class _Places:
    """A unit's places: a count and a first-come-first-served line of groups waiting for
    them (a waiting group blocks those behind it, as a SimPy Container does). Taking free
    places makes no SimPy event; only a group that waits gets one (speed, issue 17)."""

    __slots__ = ("capacity", "env", "free", "waiting")

    def __init__(self, env: simpy.Environment, capacity: int) -> None:
        self.env = env
        self.capacity = capacity
        self.free = capacity
        self.waiting: deque[tuple[int, simpy.Event]] = deque()

    def take(self, slots: int) -> bool:
        """Take ``slots`` places now if nobody waits before and they are free."""
        if self.waiting or self.free < slots:
            return False
        self.free -= slots
        return True

    def wait(self, slots: int) -> simpy.Event:
        """An event that fires once ``slots`` places are taken for the group, in turn."""
        event = self.env.event()
        self.waiting.append((slots, event))
        return event

    def give_back(self, slots: int) -> None:
        """A group left the unit: the places go to the groups waiting, in turn."""
        self.free += slots
        waiting = self.waiting
        while waiting and waiting[0][0] <= self.free:
            taken, event = waiting.popleft()
            self.free -= taken
            event.succeed()
