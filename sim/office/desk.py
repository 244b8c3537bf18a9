"""F3, rep assignment at the reception desk: the waiting line, patience and the policy calls."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from sim.core.clock import format_clock
from sim.core.quick_process import timeout
from sim.policies.base import PolicyError, RotationPolicy
from sim.policies.view import RepView

if TYPE_CHECKING:
    import simpy

    from sim.office.staff import Rep
    from sim.office.visitors import Group


class Ringing(Protocol):
    """The phones as the desk sees them: calls still ringing, offered to a rep who frees up."""

    @property
    def ringing(self) -> Sequence[object]:
        """The calls ringing now."""

    def offer_ringing(self) -> None:
        """Offer the ringing calls to the free reps (P1)."""


class Desk:
    """Matches waiting groups with free reps through the rotation policy.

    Whenever a group arrives or a rep becomes free, the policy is asked, group by group in
    arrival order, which free rep should receive it. A group whose patience runs out first
    leaves unserved.
    """

    def __init__(
        self,
        env: simpy.Environment,
        reps: Sequence[Rep],
        policy: RotationPolicy,
        on_assign: Callable[[Group, int, float], None] | None,
    ) -> None:
        self.env = env
        self.reps = reps
        self.policy = policy
        self.waiting: list[Group] = []
        self.free = sum(1 for r in reps if r.available)
        self._on_assign = on_assign
        self.phones: Ringing | None = None  # phone duty, when the scenario has one
        self.mentor_requests: list[tuple[Group, Rep, simpy.Event]] = []

    def arrive(self, group: Group) -> Rep | simpy.Event:
        """The group reaches the desk: its rep if one receives it now, else an event whose
        value is its rep, or ``None`` if it leaves first (no event is made in the usual case)."""
        group.event = None
        group.at_desk = self.env._now
        if self.free and self._try(group):
            return self.reps[group.rep]
        event = group.event = self.env.event()
        self.waiting.append(group)
        if group.patience != math.inf:
            timeout(self.env, group.patience).callbacks.append(lambda _e: self._renege(group))
        return event

    def release(self, rep: Rep) -> None:
        """``rep`` has finished with its group and is free for the next one."""
        group = rep.group
        rep.group = None
        self._free_rep(rep)
        if group is not None:
            self.policy.on_released(rep, group, self.env._now)
        self._after_free()

    def _free_rep(self, rep: Rep) -> None:
        now = self.env._now
        rep.busy = False
        rep.busy_time += now - rep.busy_since
        if rep.leaving:  # the shift ended during the visit: the rep goes home now
            rep.leaving = False
            rep.on_duty = False
            rep.overtime += now - rep.shift_end
            rep.duty_time += now - rep.shift_end  # overtime is worked time
        else:
            self.free += rep.on_duty
            if now > rep.close:  # no shift: the opening hours were theirs, the rest is overtime
                extra = now - max(rep.busy_since, rep.close)
                rep.overtime += extra
                rep.duty_time += extra

    def _take(self, pick: RepView, now: float) -> Rep:
        """Check the policy's pick and make the rep busy (a group, a call, a hold, mentoring)."""
        rep = self._check(pick, now)
        rep.busy = True
        rep.busy_since = now
        self.free -= 1
        return rep

    def free_rep(self, rep: Rep) -> None:
        """``rep`` is done with a call, a hold or mentoring: free for the next task."""
        self._free_rep(rep)
        self._after_free()

    def _after_free(self) -> None:
        if self.phones is not None and self.phones.ringing:
            self.phones.offer_ringing()
        self.dispatch()

    # -- phones and shifts ------------------------------------------------------------------
    def take_for_call(self, pick: RepView) -> Rep:
        """The policy's pick answers a call (P1): busy, but not for a visitor group."""
        rep = self._take(pick, self.env._now)
        rep.calls += 1
        self.policy.on_call_answered(rep, self.env._now)
        return rep

    def rep_on(self, rep: Rep, shift_end: float) -> None:
        """``rep``'s shift (or the end of a break) starts."""
        if rep.leaving:  # worked through the whole break: all of it is overtime
            rep.overtime += self.env._now - rep.shift_end
            rep.duty_time += self.env._now - rep.shift_end
        rep.on_duty, rep.leaving, rep.shift_end = True, False, shift_end
        rep.duty_start = self.env._now
        if not rep.busy:
            self.free += 1
        self._after_free()

    def rep_off(self, rep: Rep) -> None:
        """``rep``'s shift (or a break) starts; a busy rep finishes the task first."""
        rep.duty_time += self.env._now - rep.duty_start
        if rep.busy:
            rep.leaving = True
            return
        rep.on_duty = False
        self.free -= 1
        if self.waiting:  # who may receive can change with who is left (R1 lending, V2)
            self.dispatch()
        elif self.mentor_requests:
            self._serve_mentor_requests()

    # -- what a policy may ask of the desk ---------------------------------------------------
    def wake(self, at: float) -> None:
        """Offer the waiting groups to the policy again at time ``at`` (R6: a wait runs out)."""
        timeout(self.env, max(0.0, at - self.env._now)).callbacks.append(lambda _e: self.dispatch())

    def hold(self, pick: RepView, minutes: float) -> None:
        """Take the free rep off the desk for ``minutes`` (V1: time lost grabbing)."""
        rep = self._take(pick, self.env._now)
        timeout(self.env, minutes).callbacks.append(lambda _e: self.free_rep(rep))

    # -- V3 large parties ---------------------------------------------------------------------
    def take_helpers(self, group: Group, rep: Rep, count: int) -> list[Rep]:
        """V3: up to ``count`` further free reps to go with ``group`` (received by ``rep``),
        taken now (a party never waits for them); free them with :meth:`free_rep`."""
        helpers: list[Rep] = []
        now = self.env._now
        while len(helpers) < count and self.free:
            pick = self.policy.choose_helper(group, rep, now)
            if pick is None:
                break
            helpers.append(self._take(pick, now))
        return helpers

    # -- V4 mentoring ------------------------------------------------------------------------
    def request_mentor(self, group: Group, rep: Rep) -> Rep | simpy.Event | None:
        """V4: an experienced rep to sit beside new rep ``rep`` for ``group``'s signing.

        The mentor now, else an event whose value is the mentor (mentor requests come before
        waiting groups), or ``None`` when no experienced rep is on duty at all.
        """
        if not self._mentor_possible():
            return None
        mentor = self._mentor_for(group, rep) if self.free else None
        if mentor is not None:
            return mentor
        event = self.env.event()
        self.mentor_requests.append((group, rep, event))
        return event

    def withdraw_mentor_request(self, event: simpy.Event) -> None:
        """V4: the signing stopped waiting for a mentor (its wait ran out)."""
        self.mentor_requests[:] = [r for r in self.mentor_requests if r[2] is not event]

    def _mentor_possible(self) -> bool:
        return any(r.experienced and r.on_duty and not r.leaving for r in self.reps)

    def _mentor_for(self, group: Group, rep: Rep) -> Rep | None:
        now = self.env._now
        pick = self.policy.choose_mentor(group, rep, now)
        if pick is None:
            return None
        mentor = self._take(pick, now)
        if not mentor.experienced:
            who = self.policy.name or type(self.policy).__name__
            raise PolicyError(
                f"policy '{who}' picked rep '{mentor.name}', who is not experienced, as a "
                f"mentor at {format_clock(now)} (t={now:.2f})"
            )
        mentor.mentored += 1
        return mentor

    def _serve_mentor_requests(self) -> None:
        requests = self.mentor_requests
        if requests and not self._mentor_possible():  # nobody left to mentor: sign alone
            for _group, _rep, event in requests:
                event.succeed(None)
            requests.clear()
        i = 0
        while self.free and i < len(requests):
            group, rep, event = requests[i]
            mentor = self._mentor_for(group, rep)
            if mentor is None:
                i += 1
                continue
            del requests[i]
            event.succeed(mentor)

    def dispatch(self) -> None:
        """Offer free reps to waiting groups in arrival order until no match remains."""
        if self.mentor_requests:
            self._serve_mentor_requests()
        waiting = self.waiting
        i = 0
        while self.free and i < len(waiting):
            if self._try(waiting[i]):
                del waiting[i]
            else:
                i += 1

    def _try(self, group: Group) -> bool:
        now = self.env._now
        pick = self.policy.choose(group, now)
        if pick is None:
            return False
        rep = self._take(pick, now)
        rep.group = group
        rep.receptions += 1
        group.rep = rep.index
        group.assigned = now
        if self._on_assign is not None:
            self._on_assign(group, rep.index, now)
        self.policy.on_assigned(group, rep, now)
        if group.event is not None:
            group.event.succeed(rep)  # type: ignore[attr-defined]
        return True

    def _check(self, rep: Any, now: float) -> Rep:
        """The desk's own rep behind the policy's pick, if it is free; else a policy error."""
        idx = getattr(rep, "index", None)
        if (
            isinstance(idx, int) and 0 <= idx < len(self.reps) and self.reps[idx] is rep
            and rep.available
        ):  # fmt: skip
            return self.reps[idx]  # the usual case; the messages below are for a bad pick only
        who = self.policy.name or type(self.policy).__name__
        at = f"at {format_clock(now)} (t={now:.2f})"
        if not isinstance(idx, int) or not 0 <= idx < len(self.reps) or self.reps[idx] is not rep:
            raise PolicyError(f"policy '{who}' picked unknown rep {rep!r} {at}")
        if rep.busy:
            raise PolicyError(f"policy '{who}' picked rep '{rep.name}', who is busy, {at}")
        raise PolicyError(f"policy '{who}' picked rep '{rep.name}', who is off duty, {at}")

    def _renege(self, group: Group) -> None:
        if group.rep >= 0 or not math.isnan(group.lost_at):
            return
        self.waiting.remove(group)
        group.lost_at = self.env._now
        self.policy.on_lost(group, self.env._now)
        group.event.succeed(None)  # type: ignore[attr-defined]
