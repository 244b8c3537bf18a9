"""F5 sample houses as a component: each unit in turn, each with a capacity (groups at once; a
delegation takes more places), the guide's briefing at the door, and the waiting KPIs."""

from __future__ import annotations

import simpy

from sim.core.quick_process import timeout
from sim.office.components import DayComponent
from sim.office.kpis import mean_or_nan, p90, ratio
from sim.office.pools import CountPool
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
        self.houses = [CountPool(env, h.capacity) for h in scenario.sample_houses]
        self._house_step = reception.house_step_hook() if reception is not None else None

    def tour(self, g: Group) -> Process:
        """Visit every unit in turn, waiting for a place at each."""
        env, reception, record = self.env, self.reception, self.recorder.house_visit
        house_step = self._house_step
        g.tour_start = env._now
        for index, (house, minutes) in enumerate(zip(self.houses, g.t_houses, strict=True)):
            asked = env._now
            slots = min(g.slots, house.capacity)
            g.waiting_for = "a place in a sample house (F5)"
            if house.take(slots):
                start = asked
            else:
                yield house.wait(slots)
                start = env._now
            g.house_wait += start - asked
            if reception is None or house_step is None:  # (both or neither: for the types)
                yield timeout(env, minutes)
            elif minutes:
                step = house_step(g, minutes)  # F5: the briefing, the tour
                if isinstance(step, simpy.Event):
                    yield step
                elif step is not None:
                    yield from step
            else:
                yield from reception.house_entry(g)
                yield timeout(env, 0.0)
            house.release(slots)
            record(index, g, asked, start, env._now)
        g.tour_end = env._now

    def kpis(self, end: float) -> dict[str, float]:
        """Waits at the sample houses: mean, P90 and the share over the target."""
        waits = self.recorder.acc.house_wait
        over = sum(w > self.target_min for w in waits)
        return {
            "house_wait_mean": mean_or_nan(waits),
            "house_wait_p90": p90(waits),
            "house_wait_over_target": ratio(over, len(waits)),
        }
