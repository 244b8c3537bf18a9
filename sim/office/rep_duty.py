"""The reps' working day as a component: shifts and breaks (on and off the desk), overtime past
a shift end, duty time, and the turn and mentoring KPIs of the rotation rules."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from functools import partial
from typing import Any

import simpy

from sim.core.shifts import Shift, work_periods
from sim.core.urgent import urgent_timeout
from sim.office.components import DayComponent
from sim.office.desk import Desk
from sim.office.kpi_turns import mentor_kpis, turn_kpis
from sim.office.recorder import Accumulator
from sim.office.staff import Rep, TurnLedger


class RepDuty(DayComponent):
    """Reps on their shifts (``staffing.rep_shifts``; reps not listed work all day)."""

    report_order = 20

    def __init__(
        self, env: simpy.Environment, reps: Sequence[Rep], desk: Desk,
        rep_shifts: dict[str, Shift], acc: Accumulator, ledger: Callable[[], TurnLedger],
        mentoring: bool,
    ) -> None:  # fmt: skip
        self.env = env
        self.reps = reps
        self.desk = desk
        self.rep_shifts = rep_shifts
        self.acc = acc
        self.ledger = ledger
        self.mentoring = mentoring

    def start(self) -> None:
        """Each rep on a shift is off the desk until it starts, then follows it."""
        for rep in self.reps:
            shift = self.rep_shifts.get(rep.name)
            if shift is None:
                continue
            self.desk.rep_off(rep)  # off until the shift starts
            self.env.process(self._cycle(rep, shift))

    def _cycle(self, rep: Rep, shift: Shift) -> Generator[simpy.Event, Any, None]:
        yield from work_periods(
            self.env, shift.working(), partial(self.desk.rep_on, rep),
            partial(self.desk.rep_off, rep), wait=partial(urgent_timeout, self.env),
        )  # fmt: skip

    def close_out(self, now: float) -> None:
        """Busy time so far; a rep past the shift end with a group works overtime until now."""
        for rep in self.reps:
            if rep.busy:
                rep.busy_time += now - rep.busy_since
            if rep.leaving:  # past the shift end, still with a group at closing
                rep.overtime += now - rep.shift_end
                rep.duty_time += now - rep.shift_end

    def end_day(self, end: float) -> None:
        """A rep on duty to the end has been on duty since their last start; a rep without a
        shift until closing (the work after it is overtime, counted as each task ends)."""
        for rep in self.reps:
            if rep.on_duty and not rep.leaving:  # on duty to the end (overtime counted above)
                rep.duty_time += max(0.0, min(end, rep.close) - rep.duty_start)

    def kpis(self, end: float) -> dict[str, float]:
        """Turns and fairness (R4–R12, V1) and, with V4 mentoring, the mentoring KPIs."""
        kpis = turn_kpis(self.acc, self.reps, self.ledger())
        if self.mentoring:
            kpis |= mentor_kpis(self.acc, self.reps)
        return kpis
