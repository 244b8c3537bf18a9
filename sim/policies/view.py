"""What a rotation policy sees of the office, and what it may ask of it (read-only views).

A policy never holds the model's own types. It sees reps, groups and calls through the
read-only protocols below, and it changes nothing by assignment: every change it makes (a turn
taken or skipped, a make-up owed or used, a loan, a hold, a wake-up, a grabbing incident) is an
explicit call on :class:`OfficeView`, named after the rule it serves. The office layer above
hands out its real objects typed as these views, so that a rep a policy returns is the very
rep the desk then uses, and implements :class:`OfficeView` itself.

The protocols list exactly what the shipped policies read; they are structural, so the
scenario's ``rotation:`` model satisfies :class:`RotationView` without knowing of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from sim.core.rng import BatchSampler


class RepView(Protocol):
    """A sales rep, read-only: who they are, whether they are free, their turn counts."""

    @property
    def index(self) -> int:
        """Position in the scenario's rep list (``office.reps[index]`` is this rep)."""
        ...

    @property
    def name(self) -> str:
        """The rep's name."""
        ...

    @property
    def team(self) -> str:
        """The rep's team: visit or phone group (R1), or agency (V1)."""
        ...

    @property
    def experienced(self) -> bool:
        """An experienced rep (熟手, V2, V4) rather than a new one."""
        ...

    @property
    def on_duty(self) -> bool:
        """On shift and not on a break (R3)."""
        ...

    @property
    def busy(self) -> bool:
        """Serving a group, on a call, held or mentoring."""
        ...

    @property
    def available(self) -> bool:
        """On duty and not busy: the only reps a policy may pick."""
        ...

    @property
    def receptions(self) -> int:
        """Groups received today."""
        ...

    @property
    def calls(self) -> int:
        """Calls answered today."""
        ...

    @property
    def turns(self) -> int:
        """Rotation turns taken today."""
        ...

    @property
    def skipped(self) -> int:
        """Turns lost by rule today (R7 轮空)."""
        ...

    @property
    def made_up(self) -> int:
        """Make-up turns used today (R4a, R6, R8)."""
        ...

    @property
    def lent(self) -> int:
        """Times lent to the desk today (R4)."""
        ...

    @property
    def mentored(self) -> int:
        """Signings attended as mentor today (V4)."""
        ...


class GroupView(Protocol):
    """A visitor group at the desk, read-only: what the rules look at."""

    @property
    def gid(self) -> int:
        """The group's id, unique within the day."""
        ...

    @property
    def source(self) -> str:
        """Walk-in, appointment, delegation or scheduled visit (R2, R4a)."""
        ...

    @property
    def important(self) -> bool:
        """An important customer (V2)."""
        ...

    @property
    def returning(self) -> bool:
        """A returning customer (R6)."""
        ...

    @property
    def designated(self) -> bool:
        """The customer names a rep (R7)."""
        ...

    @property
    def owner(self) -> int:
        """Index of the group's own or named rep (R6, R7), ``-1`` for none."""
        ...

    @property
    def at_desk(self) -> float:
        """When the group reached the desk (minutes since midnight)."""
        ...


class CallView(Protocol):
    """An incoming call, read-only (P1, R10)."""

    @property
    def cid(self) -> int:
        """The call's id, unique within the day."""
        ...

    @property
    def arrival(self) -> float:
        """When the call started ringing (minutes since midnight)."""
        ...

    @property
    def duration(self) -> float:
        """How long the call lasts once answered (minutes)."""
        ...


class JointAgencyView(Protocol):
    """The V1 joint-agency settings a policy reads (``rotation.joint_agency``)."""

    @property
    def weekend_mode(self) -> str:
        """``shared`` rotation or ``grab`` (抢客) on weekends and holidays."""
        ...

    @property
    def approach_share(self) -> float:
        """Chance that each further free rep also rushes a new group."""
        ...

    @property
    def dispute(self) -> BatchSampler:
        """Minutes a grabbing incident costs the group and every rep who rushed it."""
        ...


class RotationView(Protocol):
    """The ``rotation:`` settings a policy reads (the scenario's ``Rotation`` satisfies it)."""

    @property
    def standing_by(self) -> int:
        """R4: visit reps who must stand by at the desk."""
        ...

    @property
    def own_rep_wait_min(self) -> float:
        """R6/R7: minutes a group waits for its busy own or named rep."""
        ...

    @property
    def makeup_after_appointment(self) -> bool:
        """R4a: a rep who served an appointment group is owed a make-up turn."""
        ...

    @property
    def people_per_rep(self) -> int:
        """V3: a party of more than this many people gets several reps."""
        ...

    @property
    def important_to_experienced(self) -> bool:
        """V2: important groups only to experienced reps (longfor)."""
        ...

    @property
    def joint_agency(self) -> JointAgencyView:
        """V1: the joint agency's weekend mode."""
        ...


class LedgerView(Protocol):
    """The office-wide turn counts, read-only (per-rep counts are on :class:`RepView`)."""

    @property
    def makeups_granted(self) -> int:
        """Make-up turns owed so far (R4a, R6/R7 fallback)."""
        ...

    @property
    def phone_makeups(self) -> int:
        """Make-up phone turns owed so far (R8)."""
        ...

    @property
    def fallbacks(self) -> int:
        """Own-rep groups served by another rep after the wait (R6, R7)."""
        ...

    @property
    def grab_incidents(self) -> int:
        """Grabbing incidents so far (V1)."""
        ...

    @property
    def grab_reps(self) -> int:
        """Reps who rushed those groups, in total (V1)."""
        ...

    @property
    def grab_group_min(self) -> float:
        """Minutes the grabbed groups lost (V1)."""
        ...

    @property
    def grab_rep_min(self) -> float:
        """Minutes the reps who rushed lost (V1)."""
        ...


class OfficeView(Protocol):
    """The office as a policy sees it, and the only way a policy changes anything.

    The properties are read-only. ``rng`` is the policy's own random stream (drawing from it is
    allowed: it never feeds the visitors). Each method is one thing the rules let a policy do;
    a rep passed to one must be one of ``reps``.
    """

    @property
    def reps(self) -> Sequence[RepView]:
        """Every rep of the day, in the scenario's list order (R3)."""
        ...

    @property
    def day_type(self) -> str:
        """``weekday``, ``weekend``, ``holiday``, ``event`` or ``media`` (R12, V1)."""
        ...

    @property
    def phone_team(self) -> str | None:
        """Today's phone group (R1), ``None`` when there is none."""
        ...

    @property
    def visit_reps_answer_calls(self) -> bool:
        """Whether a visit rep may answer when no phone rep is free (P1)."""
        ...

    @property
    def now(self) -> float:
        """The simulated time, minutes since midnight."""
        ...

    @property
    def rotation(self) -> RotationView:
        """The scenario's rotation settings."""
        ...

    @property
    def rng(self) -> np.random.Generator:
        """The policy's own random stream (V1 draws)."""
        ...

    @property
    def ledger(self) -> LedgerView:
        """The office-wide turn counts so far."""
        ...

    def grant_turn(self, rep: RepView) -> None:
        """R3, R4, R6: ``rep`` takes a rotation turn (counted in ``turns``)."""
        ...

    def skip_turn(self, rep: RepView) -> None:
        """R7: ``rep``, named but not on turn, loses the turn (轮空, counted in ``skipped``)."""
        ...

    def grant_makeup(self, rep: RepView) -> None:
        """R4a, R6, R7: ``rep`` is owed a make-up visit turn (the ledger's ``makeups_granted``).

        The policy keeps who is owed what; the office only counts the grant.
        """
        ...

    def grant_phone_makeup(self, rep: RepView) -> None:
        """R8: ``rep``, back from helping the desk, is owed a make-up phone turn."""
        ...

    def use_makeup(self, rep: RepView) -> None:
        """R4a, R6, R7, R8: ``rep`` uses a make-up turn (counted in ``made_up``)."""
        ...

    def lend(self, rep: RepView) -> None:
        """R4, R9: phone rep ``rep`` is lent to stand by at the desk (counted in ``lent``)."""
        ...

    def record_fallback(self) -> None:
        """R6, R7: an own-rep group is served by another rep after the wait."""
        ...

    def wake(self, at: float) -> None:
        """R6, R7: offer the waiting groups to the policy again at time ``at``."""
        ...

    def record_grab(self, rushed: Sequence[RepView], minutes: float) -> None:
        """V1: a grabbing incident; the reps in ``rushed`` (winner included) lose ``minutes``."""
        ...

    def delay(self, group: GroupView, minutes: float) -> None:
        """V1: ``group`` loses ``minutes`` at the door before its visit goes on."""
        ...

    def hold(self, rep: RepView, minutes: float) -> None:
        """V1: take the free ``rep`` off the desk for ``minutes`` (time lost grabbing)."""
        ...


__all__ = [
    "CallView",
    "GroupView",
    "JointAgencyView",
    "LedgerView",
    "OfficeView",
    "RepView",
    "RotationView",
]
