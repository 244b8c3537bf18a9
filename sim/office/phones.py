"""Phone duty (P1–P3, R10): calls ring until a rep answers, transfer after N rings, or are lost.

The rep who answers is chosen by the rotation policy's phone hook
(:meth:`RotationPolicy.choose_phone_rep`); a rep on a call is busy for visitors too.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Generator
from functools import partial
from typing import TYPE_CHECKING, Any

import simpy

from sim.core.distributions import Exponential
from sim.core.quick_process import QuickProcess, timeout
from sim.core.rng import Streams
from sim.core.schedule import Schedule
from sim.office.components import DayComponent
from sim.office.visitors import PoissonArrivals

if TYPE_CHECKING:
    from sim.office.desk import Desk
    from sim.office.staff import Rep
    from sim.posts.staffed import Post
    from sim.scenario.staffing import Phones

# constructed, not validated: validating builds Exponential's own validator (memory, issue 17)
_UNIT_EXP = Exponential.model_construct(dist="exponential", mean_min=1.0)


class Call:
    """One incoming call."""

    __slots__ = ("answered_at", "arrival", "by", "cid", "duration", "event")

    def __init__(self, cid: int, arrival: float, duration: float) -> None:
        self.cid = cid
        self.arrival = arrival
        self.duration = duration
        self.answered_at = math.nan
        self.by = ""
        self.event: simpy.Event | None = None


class PhoneDuty(DayComponent):
    """Generates calls, rings them at the desk and records the phone KPIs (a day component)."""

    report_order = 40

    def __init__(
        self, env: simpy.Environment, spec: Phones, desk: Desk, backup: Post | None,
        streams: Streams, close: float, on_phone_minutes: Callable[[], float],
    ) -> None:  # fmt: skip
        self.env = env
        self.on_phone_minutes = on_phone_minutes  # duty minutes of the reps on phone duty
        self.spec = spec
        self.desk = desk
        self.backup = backup
        self.ringing: list[Call] = []
        self.ring_min = spec.ring_sec / 60.0
        self.answer_delay = array("d")
        self.calls = 0
        self.within = 0
        self.transferred = 0
        self.lost = 0
        self.rep_call_minutes = 0.0
        self.last_end = 0.0  # when the last finished call ended (calls may outlast closing)
        # no calls after closing: pieces from closing time on are dropped
        pieces = [p for p in spec.calls if p.start < close]
        self.arrivals = PoissonArrivals(
            env,
            Schedule(tuple(p.start for p in pieces), tuple(p.rate / 60.0 for p in pieces), close),
            streams.sampler("phone.arrivals", _UNIT_EXP), self._ring_in,
        ) if pieces else None  # fmt: skip
        """The calls' arrival timer (none without a rate before closing)."""
        self._length = streams.sampler("phone.duration", spec.duration)
        desk.phones = self

    def start(self) -> None:
        """Start the call arrivals (a timer that rings in each call, no SimPy process)."""
        if self.arrivals is not None:
            self.arrivals.next()

    def _ring_in(self) -> None:
        length = min(self._length(), self.spec.max_call_min)
        self._incoming(Call(self.calls, self.env._now, length))
        self.calls += 1

    def _call(self, call: Call) -> Generator[simpy.Event, Any, None]:
        """``call`` as a process that ends when the call is over (for scripted days)."""
        yield self._incoming(call)

    def _incoming(self, call: Call) -> simpy.Event:
        """A call rings; the event fires when it is over. A process only when it is not
        answered by a rep at once (speed, issue 17)."""
        backup = self.backup
        if self.spec.receptionist_answers_first and backup is not None and backup.has_free():
            return QuickProcess(self.env, self._front_desk(call, backup))  # R3/P1
        rep = self.offer(call)
        if rep is None:
            return QuickProcess(self.env, self._ring(call))
        return self._talk(call, rep)

    def _ring(self, call: Call) -> Generator[simpy.Event, Any, None]:
        """Ring until a rep answers, else transfer after the rings (P2)."""
        call.event = self.env.event()  # only a ringing call is waited on
        self.ringing.append(call)
        give_up = timeout(self.env, self.spec.transfer_after_rings * self.ring_min)
        yield call.event | give_up
        rep = call.event.value if call.event.triggered else None
        if rep is None:
            self.ringing.remove(call)
            yield from self._transfer(call)
            return
        yield self._talk(call, rep)

    def _talk(self, call: Call, rep: Rep) -> simpy.Event:
        """``rep`` is on the call until it ends (the event)."""
        end = timeout(self.env, call.duration)
        end.callbacks.append(partial(self._hang_up, call, rep))
        return end

    def _hang_up(self, call: Call, rep: Rep, _: simpy.Event) -> None:
        self.rep_call_minutes += call.duration
        self.last_end = self.env._now
        self.desk.free_rep(rep)

    def offer(self, call: Call) -> Rep | None:
        """Ask the policy for a rep to answer ``call`` now; take the rep if one is given."""
        pick = self.desk.policy.choose_phone_rep(call, self.env._now)
        if pick is None:
            return None
        rep = self.desk.take_for_call(pick)
        self._answered(call, rep.name)
        if call.event is not None and not call.event.triggered:
            call.event.succeed(rep)
        return rep

    def _answered(self, call: Call, by: str) -> None:
        call.answered_at = self.env._now
        call.by = by
        delay = self.env._now - call.arrival
        self.answer_delay.append(delay)
        self.within += delay <= self.spec.answer_within_rings * self.ring_min + 1e-9

    def offer_ringing(self) -> None:
        """A rep became free: ringing calls are answered first (P1)."""
        for call in list(self.ringing):
            if self.offer(call) is None:
                return
            self.ringing.remove(call)

    def _front_desk(self, call: Call, desk: Post) -> Generator[simpy.Event, Any, None]:
        person = yield desk.acquire()
        self._answered(call, person.name)
        yield timeout(self.env, call.duration)
        desk.release(person)
        self.last_end = self.env._now

    def _transfer(self, call: Call) -> Generator[simpy.Event, Any, None]:
        backup = self.backup
        if backup is None or not backup.has_free():
            self.lost += 1
            return
        self.transferred += 1
        person = yield backup.acquire()
        call.answered_at = self.env._now
        call.by = person.name
        yield timeout(self.env, call.duration)
        backup.release(person)
        self.last_end = self.env._now

    def last_activity(self) -> float:
        """When the last finished call ended (calls may outlast closing)."""
        return self.last_end

    def kpis(self, end: float) -> dict[str, float]:
        """Phone KPIs of the day."""
        reps_on_phone_minutes = self.on_phone_minutes()
        calls = self.calls
        return {
            "calls": float(calls),
            "calls_within_rings_share": self.within / calls if calls else math.nan,
            "calls_transferred_share": self.transferred / calls if calls else math.nan,
            "calls_lost_share": self.lost / calls if calls else math.nan,
            "phone_rep_utilisation": (
                self.rep_call_minutes / reps_on_phone_minutes if reps_on_phone_minutes else math.nan
            ),
        }
