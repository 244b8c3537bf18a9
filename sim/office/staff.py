"""Sales reps as the model sees them, and the office a rotation policy works in.

:class:`PolicyOffice` is the office layer's side of :class:`sim.policies.view.OfficeView`: it
hands the policy the real reps typed as read-only views, and makes every change the policy
asks for (turn counts, make-ups, loans, holds, wake-ups, grabbing incidents) itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from sim.office.visitors import Group
from sim.policies.base import PolicyError
from sim.policies.view import GroupView, RepView
from sim.scenario.rotation import Rotation


class DeskControls(Protocol):
    """What the policy office may ask of the desk (built after it: see ``attach``)."""

    def wake(self, at: float) -> None:
        """Offer the waiting groups again at ``at``."""

    def hold(self, rep: Rep, minutes: float) -> None:
        """Take a free rep off the desk for ``minutes``."""


class Rep:
    """A sales rep during one simulated day."""

    __slots__ = (
        "_busy", "_on_duty", "available", "busy_since", "busy_time", "calls", "close",
        "duty_start", "duty_time", "experienced",
        "group", "index", "leaving", "lent", "made_up", "mentored", "name",
        "overtime", "receptions", "shift_end", "skipped", "team", "turns",
    )  # fmt: skip

    def __init__(self, index: int, name: str, team: str, experienced: bool) -> None:
        self.index = index
        self.name = name
        self.team = team
        self.experienced = experienced
        self._on_duty = True
        self._busy = False
        # On duty and not busy: the only reps a policy may pick. A plain attribute kept by the
        # two setters below, because the policies read it on every decision (speed, issue 17).
        self.available = True
        self.group: Group | None = None
        self.busy_since = 0.0
        self.busy_time = 0.0
        self.receptions = 0
        self.calls = 0
        self.leaving = False
        self.shift_end = 0.0
        self.close = math.inf  # a rep without a shift works opening hours: closing time
        self.overtime = 0.0
        self.duty_start = 0.0
        self.duty_time = 0.0  # closed on-duty intervals; the model adds the open one at the end
        # turn accounting, kept by PolicyOffice at the policy's request (KPIs "turns"): a
        # rotation turn taken, a turn lost by rule (R7), a make-up turn used (R4a, R6, R8),
        # times lent to the desk (R4)
        self.turns = 0
        self.skipped = 0
        self.made_up = 0
        self.lent = 0
        self.mentored = 0  # V4: signings this rep attended as mentor

    @property
    def on_duty(self) -> bool:
        """On shift and not on a break."""
        return self._on_duty

    @on_duty.setter
    def on_duty(self, value: bool) -> None:
        self._on_duty = value
        self.available = value and not self._busy

    @property
    def busy(self) -> bool:
        """Serving a group, on a call, held or mentoring."""
        return self._busy

    @busy.setter
    def busy(self, value: bool) -> None:
        self._busy = value
        self.available = self._on_duty and not value

    def __repr__(self) -> str:
        return f"Rep({self.index}, {self.name!r})"


@dataclass
class TurnLedger:
    """Office-wide turn and grabbing counts, kept by :class:`PolicyOffice` at the policy's
    request (per-rep counts are on :class:`Rep`)."""

    makeups_granted: int = 0  # make-up turns owed to a rep (R4a, R6, R7 fallback)
    phone_makeups: int = 0  # make-up phone turns after helping the desk (R8)
    fallbacks: int = 0  # own-rep groups served by another rep after the wait (R6, R7)
    grab_incidents: int = 0  # V1: groups approached by two or more reps
    grab_reps: int = 0  # V1: reps who approached those groups, in total
    grab_group_min: float = 0.0  # V1: minutes the grabbed groups lost
    grab_rep_min: float = 0.0  # V1: minutes the losing reps lost


class Clock(Protocol):
    """Anything with the simulated time (a simpy ``Environment``)."""

    @property
    def now(self) -> float:
        """Minutes since midnight."""
        ...


def _default_rng() -> np.random.Generator:
    """The stream of an office built without one (unit tests)."""
    return np.random.default_rng(0)


class PolicyOffice:
    """The office as a rotation policy sees it: implements :class:`~sim.policies.view.OfficeView`.

    It holds the real reps and the :class:`TurnLedger`. Its properties are read-only (the reps
    as a tuple), and every change a policy makes goes through one of its methods, which checks
    that a rep passed in is one of the office's own. ``rng`` is the policy's own random stream,
    so random rules never change the visitors (a generator, or a function that makes it at the
    first draw). ``wake`` and ``hold`` need a desk
    (:meth:`attach`); without one (unit tests) ``wake`` does nothing and ``hold`` fails.
    """

    __slots__ = (
        "_clock", "_day_type", "_desk", "_ledger", "_make_rng", "_phone_team", "_reps", "_rng",
        "_rotation", "_visit_reps_answer_calls",
    )  # fmt: skip

    def __init__(
        self,
        reps: Sequence[Rep],
        day_type: str,
        *,
        phone_team: str | None = None,
        visit_reps_answer_calls: bool = True,
        clock: Clock | None = None,
        rotation: Rotation | None = None,
        rng: np.random.Generator | Callable[[], np.random.Generator] | None = None,
    ) -> None:
        self._reps = tuple(reps)
        self._day_type = day_type
        self._phone_team = phone_team
        self._visit_reps_answer_calls = visit_reps_answer_calls
        self._clock = clock
        self._rotation = rotation if rotation is not None else Rotation()
        # a generator, or the function that makes it when a policy first asks (most policies
        # never draw: seeding a stream costs ~10 us a day; speed, issue 17)
        self._rng = rng if isinstance(rng, np.random.Generator) else None
        self._make_rng = rng if callable(rng) else _default_rng
        self._ledger = TurnLedger()
        self._desk: DeskControls | None = None

    def attach(self, desk: DeskControls) -> None:
        """Route the policy's ``wake`` and ``hold`` to ``desk`` (built after the policy)."""
        self._desk = desk

    # -- what a policy may look at -----------------------------------------------------------
    @property
    def reps(self) -> tuple[Rep, ...]:
        """Every rep of the day, in the scenario's list order (R3)."""
        return self._reps

    @property
    def day_type(self) -> str:
        """The scenario's ``day.type`` (R12, V1)."""
        return self._day_type

    @property
    def phone_team(self) -> str | None:
        """Today's phone group (R1), ``None`` when there is none."""
        return self._phone_team

    @property
    def visit_reps_answer_calls(self) -> bool:
        """Whether a visit rep may answer when no phone rep is free (P1)."""
        return self._visit_reps_answer_calls

    @property
    def now(self) -> float:
        """The simulated time, minutes since midnight."""
        if self._clock is None:
            raise RuntimeError("this office view has no clock")
        return float(self._clock.now)

    @property
    def rotation(self) -> Rotation:
        """The scenario's rotation settings (frozen)."""
        return self._rotation

    @property
    def rng(self) -> np.random.Generator:
        """The policy's own random stream."""
        if self._rng is None:
            self._rng = self._make_rng()
        return self._rng

    @property
    def ledger(self) -> TurnLedger:
        """The office-wide turn counts (the model reads them for the KPIs)."""
        return self._ledger

    # -- what a policy may ask ---------------------------------------------------------------
    def grant_turn(self, rep: RepView) -> None:
        """R3, R4, R6: ``rep`` takes a rotation turn."""
        self._own(rep).turns += 1

    def skip_turn(self, rep: RepView) -> None:
        """R7: ``rep``, named but not on turn, loses the turn (轮空)."""
        self._own(rep).skipped += 1

    def grant_makeup(self, rep: RepView) -> None:
        """R4a, R6, R7: ``rep`` is owed a make-up visit turn."""
        self._own(rep)
        self._ledger.makeups_granted += 1

    def grant_phone_makeup(self, rep: RepView) -> None:
        """R8: ``rep``, back from helping the desk, is owed a make-up phone turn."""
        self._own(rep)
        self._ledger.phone_makeups += 1

    def use_makeup(self, rep: RepView) -> None:
        """R4a, R6, R7, R8: ``rep`` uses a make-up turn."""
        self._own(rep).made_up += 1

    def lend(self, rep: RepView) -> None:
        """R4, R9: phone rep ``rep`` is lent to stand by at the desk."""
        self._own(rep).lent += 1

    def record_fallback(self) -> None:
        """R6, R7: an own-rep group is served by another rep after the wait."""
        self._ledger.fallbacks += 1

    def wake(self, at: float) -> None:
        """R6, R7: offer the waiting groups to the policy again at time ``at``."""
        if self._desk is not None:
            self._desk.wake(at)

    def record_grab(self, rushed: Sequence[RepView], minutes: float) -> None:
        """V1: a grabbing incident; the reps in ``rushed`` (winner included) lose ``minutes``."""
        for rep in rushed:
            self._own(rep)
        ledger = self._ledger
        ledger.grab_incidents += 1
        ledger.grab_reps += len(rushed)
        ledger.grab_group_min += minutes
        ledger.grab_rep_min += minutes * len(rushed)

    def delay(self, group: GroupView, minutes: float) -> None:
        """V1: ``group`` loses ``minutes`` at the door before its visit goes on."""
        if not isinstance(group, Group):
            raise PolicyError(f"{group!r} is not a visitor group")
        group.t_extra += minutes

    def hold(self, rep: RepView, minutes: float) -> None:
        """V1: take the free ``rep`` off the desk for ``minutes`` (time lost grabbing)."""
        if self._desk is None:
            raise RuntimeError("this office view has no desk to hold reps at")
        self._desk.hold(self._own(rep), minutes)

    def _own(self, rep: RepView) -> Rep:
        """The office's own rep behind ``rep``; anything else is a policy error."""
        reps = self._reps
        index = getattr(rep, "index", None)
        if isinstance(index, int) and 0 <= index < len(reps) and reps[index] is rep:
            return reps[index]
        raise PolicyError(f"{rep!r} is not one of this office's reps")
