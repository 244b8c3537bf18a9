"""Simulate one day: the documented entry to the SimPy models.

:func:`simulate_day` runs an office day (:class:`sim.office.day.OfficeModel`) or, for a
scenario with an ``event:`` section, an event day (:mod:`sim.event.day`).
"""

from __future__ import annotations

from sim.core.collector import collector_paused
from sim.domain.results import DayResult, Level, RepStats
from sim.office.day import OfficeModel
from sim.policies import RotationPolicy
from sim.scenario.schema import Scenario

__all__ = ["DayResult", "OfficeModel", "RepStats", "simulate_day"]


def simulate_day(
    scenario: Scenario,
    seed: int,
    replication: int = 0,
    policy: str | type[RotationPolicy] | None = None,
    level: Level = "full",
) -> DayResult:
    """Simulate one replication of ``scenario`` (an event day if it has an ``event:``), with
    the cyclic garbage collector paused for the day (:mod:`sim.core.collector`)."""
    with collector_paused():
        if scenario.event is not None:
            from sim.event.day import simulate_event_day

            return simulate_event_day(scenario, seed, replication)
        model = OfficeModel(scenario, seed, replication, policy, level)
        try:
            return model.run()
        finally:
            model.dispose()  # freed now, not by the collector after the day
