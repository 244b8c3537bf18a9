"""The fresh days of the out-of-sample checks (another seed than the search days'): their
visitors drawn once, and the screen's times of the plans checked on them.

The desks' validation, the service posts' fresh check and the per-desk Erlang C plan's check
(:mod:`sim.event_sizing.erlang_plan`) run on the same fresh days; drawing 200 days of a
3,000-person launch day's visitors costs more than screening them once (issue 17).
"""

from __future__ import annotations

from collections.abc import Hashable

from sim.event.inputs import EventPlan, EventVisitors, draw_event_visitors
from sim.event.kpis import EventTimes
from sim.event.screen import screen
from sim.scenario.schema import Scenario

KEEP = 2
"""Plans whose times on the fresh days are kept (the sized plan, and one more)."""


class FreshDays:
    """Replications ``0..days-1`` of a ``seed`` (the fresh days) of one scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._visitors: tuple[tuple[int, int], EventVisitors] | None = None
        self._times: dict[Hashable, EventTimes] = {}

    def visitors(self, seed: int, days: int) -> EventVisitors:
        """The groups of the fresh days (drawn on first use; the last seed's kept)."""
        if self._visitors is None or self._visitors[0] != (seed, days):
            self._visitors = ((seed, days), draw_event_visitors(self.scenario, seed, range(days)))
        return self._visitors[1]

    def times(self, plan: EventPlan, key: Hashable, seed: int, days: int,
              ) -> tuple[EventTimes, bool]:  # fmt: skip
        """The screen's times of ``plan`` (``key``: the plan's own) on the fresh days, and
        whether they were screened now (else: kept from an earlier call)."""
        mine = (key, seed, days)
        if mine in self._times:
            return self._times[mine], False
        ev = self.scenario.event
        assert ev is not None
        out = screen(ev, plan, self.visitors(seed, days))
        kept = list(self._times)[-(KEEP - 1) :] if KEEP > 1 else []
        self._times = {k: self._times[k] for k in kept} | {mine: out}
        return out, True
