"""The rotation-policy interface (轮序规则).

A policy is built once per simulated day (never shared between runs) with the office it works
in, seen through :class:`~sim.policies.view.OfficeView`. The desk asks it which rep should
receive a waiting group, and tells it what happened; it may keep any state it needs. It reads
reps, groups and calls through read-only views and changes the office only through the
office's methods (a turn, a skip, a make-up, a loan, a hold).
"""

from __future__ import annotations

from typing import ClassVar

from sim.policies.view import CallView, GroupView, OfficeView, RepView


class PolicyError(RuntimeError):
    """A policy returned something the model cannot do (busy, off-duty or unknown rep)."""


class RotationPolicy:
    """Base class: subclass it, set ``name``, implement :meth:`choose`; see ``round_robin.py``."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def __init__(self, office: OfficeView) -> None:
        self.office = office

    def choose(self, group: GroupView, now: float) -> RepView | None:
        """The free rep who receives ``group`` now, or ``None`` to keep it waiting."""
        raise NotImplementedError

    def on_assigned(self, group: GroupView, rep: RepView, now: float) -> None:
        """``rep`` has started serving ``group``; by default every reception is a turn."""
        self.office.grant_turn(rep)

    def on_released(self, rep: RepView, group: GroupView, now: float) -> None:
        """``rep`` has walked ``group`` out and is free again."""

    def on_lost(self, group: GroupView, now: float) -> None:
        """``group`` left without being received."""

    def receives(self, group: GroupView, now: float) -> bool:
        """Whether the office receives ``group`` at all today (R12 says no on media days)."""
        return True

    def choose_mentor(self, group: GroupView, rep: RepView, now: float) -> RepView | None:
        """V4: the free experienced rep who sits beside new rep ``rep`` for the signing.

        Default: one of ``rep``'s own team if free, else of any team; among those, the one
        who has mentored least today (ties: list order). ``None`` keeps the signing waiting.
        """
        free = [r for r in self.office.reps if r.available and r.experienced]
        if not free:
            return None
        return min(free, key=lambda r: (r.team != rep.team, r.mentored, r.index))

    def choose_helper(self, group: GroupView, rep: RepView, now: float) -> RepView | None:
        """V3: a further free rep to go with ``group``, a large party received by ``rep``, or
        ``None`` (the party does not wait for one).

        Default: a free rep of ``rep``'s team first, then of any team; among those the one
        with the fewest receptions today (ties: list order). A helper takes no turn.
        """
        free = [r for r in self.office.reps if r.available]
        if not free:
            return None
        return min(free, key=lambda r: (r.team != rep.team, r.receptions, r.index))

    def choose_phone_rep(self, call: CallView, now: float) -> RepView | None:
        """The free rep who answers a ringing call now, or ``None`` to let it ring (P1).

        Default: a free rep of the phone team (R1); if none is free and the scenario allows
        it, any free rep (the desk is empty, a visit rep runs to the phone). Policies with
        phone turns (R8–R10) override this.
        """
        office = self.office
        team = office.phone_team
        free = [r for r in office.reps if r.available]
        on_phone = [r for r in free if team is None or r.team == team]
        if on_phone:
            return min(on_phone, key=lambda r: r.calls)
        if free and office.visit_reps_answer_calls:
            return free[0]
        return None

    def on_call_answered(self, rep: RepView, now: float) -> None:
        """``rep`` answered a call (R10: one phone turn)."""


def experienced_on_duty(office: OfficeView) -> bool:
    """V2 holds while an experienced rep is on duty (busy or not); with none on duty, an
    important group is received by whoever the rotation gives rather than left waiting."""
    return any(r.experienced and r.on_duty for r in office.reps)
