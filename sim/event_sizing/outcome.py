"""What evaluating a plan gives: its KPIs per day (:class:`Outcome`), and the simulated days an
evaluator used (:class:`Usage`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.event.kpis import EventTimes


@dataclass
class Usage:
    """Simulated days used, by model."""

    screen_days: int = 0
    simpy_days: int = 0
    validation_days: int = 0
    """SimPy days on fresh seeds after the search (:mod:`sim.event_sizing.validate`)."""

    @property
    def search(self) -> int:
        """Days simulated by the search (screen and SimPy, on the search days)."""
        return self.screen_days + self.simpy_days

    @property
    def total(self) -> int:
        """All simulated days (search and validation)."""
        return self.search + self.validation_days


@dataclass
class Outcome:
    """A plan's KPIs on the evaluated days (and the screen's times, for diagnostics)."""

    kpis: dict[str, np.ndarray]
    times: EventTimes | None = None
    days: int = 0
