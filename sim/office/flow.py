"""The visitor flow as a component: the arrival processes (walk-ins, appointments, delegations,
important visits) and the visitor, rep, VIP-room and sample-house KPIs of the day."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sim.office.components import DayComponent
from sim.office.kpis import compute_kpis
from sim.office.recorder import Recorder
from sim.office.sources import Sources
from sim.office.staff import Rep
from sim.scenario.schema import Scenario


class VisitorFlow(DayComponent):
    """Arrivals in, KPIs of what happened to them out."""

    report_order = 10

    def __init__(
        self, sources: Callable[[], Sources], recorder: Recorder, reps: Sequence[Rep],
        scenario: Scenario,
    ) -> None:  # fmt: skip
        self.sources = sources  # built when the day starts, from the model's streams then
        self.recorder = recorder
        self.reps = reps
        self.scenario = scenario

    def start(self) -> None:
        """Start every arrival process of the scenario."""
        self.sources().start()

    def last_activity(self) -> float:
        """When the last group left."""
        return self.recorder.acc.last_departure

    def kpis(self, end: float) -> dict[str, float]:
        """Visitors, reps, VIP rooms and sample houses (the catalogue's office KPIs)."""
        acc = self.recorder.acc
        return compute_kpis(acc, self.reps, self.scenario, end, acc.last_departure)
