"""Sales reps as the model sees them, and the read-only office view given to policies."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim.scenario.rotation import Rotation

if TYPE_CHECKING:
    from sim.office.visitors import Group


class Rep:
    """A sales rep during one simulated day."""

    __slots__ = (
        "busy", "busy_since", "busy_time", "calls", "duty_start", "duty_time", "experienced",
        "group", "index", "leaving", "lent", "made_up", "mentored", "name", "on_duty",
        "overtime", "receptions", "shift_end", "skipped", "team", "turns",
    )  # fmt: skip

    def __init__(self, index: int, name: str, team: str, experienced: bool) -> None:
        self.index = index
        self.name = name
        self.team = team
        self.experienced = experienced
        self.on_duty = True
        self.busy = False
        self.group: Group | None = None
        self.busy_since = 0.0
        self.busy_time = 0.0
        self.receptions = 0
        self.calls = 0
        self.leaving = False
        self.shift_end = 0.0
        self.overtime = 0.0
        self.duty_start = 0.0
        self.duty_time = 0.0  # closed on-duty intervals; the model adds the open one at the end
        # turn accounting, kept by the policies (KPIs "turns"): a rotation turn taken, a turn
        # lost by rule (R7), a make-up turn used (R4a, R6, R8), times lent to the desk (R4)
        self.turns = 0
        self.skipped = 0
        self.made_up = 0
        self.lent = 0
        self.mentored = 0  # V4: signings this rep attended as mentor

    @property
    def available(self) -> bool:
        """On duty and not serving a group."""
        return self.on_duty and not self.busy

    def __repr__(self) -> str:
        return f"Rep({self.index}, {self.name!r})"


@dataclass
class TurnLedger:
    """Office-wide turn and grabbing counts that policies keep (per-rep counts are on Rep)."""

    makeups_granted: int = 0  # make-up turns owed to a rep (R4a, R6, R7 fallback)
    phone_makeups: int = 0  # make-up phone turns after helping the desk (R8)
    fallbacks: int = 0  # own-rep groups served by another rep after the wait (R6, R7)
    grab_incidents: int = 0  # V1: groups approached by two or more reps
    grab_reps: int = 0  # V1: reps who approached those groups, in total
    grab_group_min: float = 0.0  # V1: minutes the grabbed groups lost
    grab_rep_min: float = 0.0  # V1: minutes the losing reps lost


def _no_wake(_at: float) -> None:
    """Default for :attr:`OfficeView.wake` when no desk is attached (unit tests)."""


def _no_hold(_rep: Rep, _minutes: float) -> None:
    raise RuntimeError("this office view has no desk to hold reps at")


@dataclass
class OfficeView:
    """What a rotation policy may look at and the few things it may ask of the desk.

    ``wake(t)`` asks the desk to offer its waiting groups again at time ``t`` (a policy that
    keeps a group waiting for a while, R6); ``hold(rep, minutes)`` takes a free rep off the
    desk for a while (time lost, V1). ``rng`` is the policy's own random stream, so random
    rules never change the visitors.
    """

    reps: Sequence[Rep]
    day_type: str
    phone_team: str | None = None
    visit_reps_answer_calls: bool = True
    clock: object = field(default=None, repr=False)  # a simpy Environment (``now``)
    rotation: Rotation = field(default_factory=Rotation, repr=False)
    rng: np.random.Generator = field(
        default_factory=lambda: np.random.default_rng(0), repr=False
    )
    wake: Callable[[float], None] = field(default=_no_wake, repr=False)
    hold: Callable[[Rep, float], None] = field(default=_no_hold, repr=False)
    ledger: TurnLedger = field(default_factory=TurnLedger)

    @property
    def now(self) -> float:
        """The simulated time, minutes since midnight."""
        return float(self.clock.now)  # type: ignore[attr-defined]
