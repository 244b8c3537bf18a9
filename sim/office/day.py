"""The SimPy model of one office day: arrivals, the desk, the journey F1–F8, the reception
posts and phone duty.

Build with :class:`OfficeModel` and call :meth:`OfficeModel.run` (or
:func:`sim.model.simulate_day`); use :func:`sim.run` for replications. Rotation is delegated
to a policy from :mod:`sim.policies`, built per run.
"""

from __future__ import annotations

from collections.abc import Generator
from functools import partial
from typing import Any

import simpy
from simpy import Event

from sim.core.quick_process import QuickProcess, timeout
from sim.core.rng import Streams
from sim.domain.labels import DELEGATION, WALK_IN
from sim.domain.results import DayResult, Level, RepStats
from sim.office.components import DayComponent
from sim.office.desk import Desk
from sim.office.flow import VisitorFlow
from sim.office.houses import SampleHouses
from sim.office.phones import PhoneDuty
from sim.office.reception import Reception
from sim.office.recorder import Recorder
from sim.office.rep_duty import RepDuty
from sim.office.seating import Seating
from sim.office.sources import Sources
from sim.office.staff import PolicyOffice, Rep
from sim.office.visitors import Group
from sim.office.watchdog import accounted, check_accounts, run_to_empty
from sim.policies import RotationPolicy, policy_class
from sim.posts.kind import Stay
from sim.scenario.schema import Scenario, teams_today

Process = Generator[simpy.Event, Any, None]


class OfficeModel:
    """One replication of a scenario: its resources, processes and records."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        replication: int = 0,
        policy: str | type[RotationPolicy] | None = None,
        level: Level = "full",
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.replication = replication
        env = self.env = simpy.Environment(initial_time=scenario.day.open)
        self.streams = Streams(seed, replication)
        self.reps = [Rep(i, r.name, r.team, r.experienced) for i, r in enumerate(scenario.reps)]
        staffing = scenario.staffing
        on_shifts = staffing.rep_shifts if staffing else {}
        for rep in self.reps:
            rep.duty_start = scenario.day.open
            if rep.name not in on_shifts:  # works opening hours; after closing, overtime
                rep.close = scenario.day.close
        phones = staffing.phones if staffing else None
        cls = policy_class(policy or scenario.policy) if not isinstance(policy, type) else policy
        self.policy_name = cls.name or cls.__name__
        office = self.office = PolicyOffice(
            self.reps,
            scenario.day.type,
            phone_team=teams_today(scenario, replication),  # R1
            visit_reps_answer_calls=phones.visit_reps_answer_when_desk_empty if phones else True,
            clock=env,
            rotation=scenario.rotation,
            rng=partial(self.streams.generator, "policy"),  # never a visitor stream (CRN); made
            # when a policy first draws
        )
        self.policy = cls(office)
        self.recorder = Recorder(level, scenario.day.open)
        self.desk = Desk(env, self.reps, self.policy,
                         self.recorder.assignment if level == "full" else None)
        office.attach(self.desk)
        self._mentoring = scenario.rotation.mentor_new_reps
        self._people_per_rep = scenario.rotation.people_per_rep
        self.reception = Reception(env, staffing, self.streams, env._now) if staffing else None
        backup = self.reception.transfer_post() if self.reception else None
        # only when a post attends seated groups (S1 drinks) is a stay recorded
        self._water_bar = self.reception is not None and self.reception.serves_seated
        self.phones = (
            PhoneDuty(env, phones, self.desk, backup, self.streams, scenario.day.close,
                      self._phone_duty_minutes)
            if phones else None
        )  # fmt: skip
        rep_shifts = (
            {rep: self.reception.shifts[name] for rep, name in staffing.rep_shifts.items()}
            if staffing is not None and self.reception is not None else {}
        )  # fmt: skip
        self.seating = Seating(env, scenario, self.reception, self.recorder)
        self.houses = SampleHouses(env, scenario, self.reception, self.recorder)
        self.components: list[DayComponent] = [  # in start order
            RepDuty(env, self.reps, self.desk, rep_shifts, self.recorder.acc,
                    lambda: self.office.ledger, self._mentoring),
            VisitorFlow(lambda: Sources(env, scenario, self.streams, self._spawn), self.recorder,
                        self.reps, scenario),
            self.seating,
            self.houses,
            *(c for c in (self.phones, self.reception) if c is not None),
        ]  # fmt: skip
        self.protocol = [
            (v.at - v.booked_only_min(), v.at + v.stay_min)
            for v in (staffing.important_visits if staffing else ())
        ]
        self._admission = staffing.admission if staffing else None
        self.inside: dict[int, Group] = {}  # groups in the office now

    # -- the journey ------------------------------------------------------------------------
    def _spawn(self, g: Group) -> None:
        QuickProcess(self.env, self._visit(g))  # starts now; nothing waits on its end

    def _visit(self, g: Group) -> Process:
        env = self.env
        now = g.arrival = env._now
        self.recorder.entered(now, g.size)
        self.inside[g.gid] = g
        reception = self.reception
        if reception is not None:
            # each post's step: an event yielded here, no generator around it (speed, issue 17)
            for hook in reception.gate_steps:  # F1: L1 stops the car, radios the office
                step = hook(g)
                if isinstance(step, Event):
                    yield step
                elif step is not None:
                    yield from step
            if self._refused(g):
                return self._leave(g, "refused")
            for hook in reception.after_gate_steps:  # F1 parking (L2), F2 door
                step = hook(g)
                if isinstance(step, Event):
                    yield step
                elif step is not None:
                    yield from step
        if g.non_sales:  # R5: received at the desk, no rep turn
            yield timeout(env, g.t_non_sales)
            return self._leave(g, "non_sales")
        if not self.policy.receives(g, env._now):  # R12: a media open day receives no customers
            return self._leave(g, "not_received")
        if (g.important or g.source == DELEGATION) and self.reception is not None:
            self.reception.receive_important()  # V2/V3: the duty manager receives them
        ticket = self.desk.arrive(g)  # F3
        if isinstance(ticket, Rep):
            rep: Rep | None = ticket
        else:
            g.waiting_for = "a rep (F3)"
            rep = yield ticket
        if rep is None:
            return self._leave(g, "lost")
        if g.t_extra:
            yield timeout(env, g.t_extra)  # V1: the grabbing incident at the door
        helpers = self._helpers(g, rep)
        if g.survey:  # R5: a market survey or asking for a friend: a short talk, a turn used
            yield timeout(env, g.t_survey)
            self.desk.release(rep)
            return self._leave(g, "served")
        if g.negotiates and g.asks_vip and self.seating.has_rooms:
            g.prepared = self.seating.prepare_early()  # G1 readies a room during the talk
        if g.t_sandbox:
            yield timeout(env, g.t_sandbox)  # F4
        if g.t_houses:
            yield from self.houses.tour(g)  # F5
        if g.negotiates:
            yield from self._negotiate(g)  # F6, F7
        if g.t_walk_out:
            yield timeout(env, g.t_walk_out)  # F8
        for helper in helpers:  # V3: the reps who went with a large party
            self.desk.free_rep(helper)
        self.desk.release(rep)
        if self.reception is not None:
            self.reception.served()
        self._leave(g, "served")

    def _helpers(self, g: Group, rep: Rep) -> list[Rep]:
        """V3 (seed 003 "如果贵宾人多,则需多名置业顾问"): a party of more than
        ``rotation.people_per_rep`` people gets one rep per that many, the further ones taken
        from the free reps at once."""
        per_rep = self._people_per_rep
        if g.size <= per_rep or g.survey:
            return []
        helpers = self.desk.take_helpers(g, rep, -(-g.size // per_rep) - 1)
        self.recorder.acc.extra_reps += len(helpers)
        return helpers

    def _refused(self, g: Group) -> bool:
        """Protocol (booked only) and the gate's admission check, for walk-ins."""
        if g.source != WALK_IN or g.non_sales:  # R5: non-sales visitors need no rep
            return False
        now = self.env._now
        if self.protocol and any(a <= now < b for a, b in self.protocol):
            self.recorder.acc.refused_protocol += 1
            return True
        admission = self._admission
        if admission is None or self.desk.free or len(self.desk.waiting) < admission.queue_limit:
            return False
        if g.u_admit < admission.wait_share:
            self.recorder.acc.asked_to_wait += 1
            return False
        self.recorder.acc.refused_admission += 1
        return True

    def _leave(self, g: Group, outcome: str) -> None:
        now = g.departure = self.env._now
        del self.inside[g.gid]
        self.recorder.left(g, now, outcome)

    def _negotiate(self, g: Group) -> Process:
        env = self.env
        seat = yield from self.seating.take(g)  # F6: a VIP room (G1 readies it) or a table
        stay = Stay() if self._water_bar else None
        if stay is not None and self.reception is not None:
            self.reception.seated(stay)  # S1 drinks and refills
        if self._mentoring and g.signs and not self.reps[g.rep].experienced:
            yield timeout(env, g.t_negotiation)
            yield from self._mentored_signing(g)
        else:
            yield timeout(env, g.t_negotiation + (g.t_signing if g.signs else 0.0))
        if stay is not None:
            stay.stand_up()
        self.seating.give_back(g, seat)

    def _mentored_signing(self, g: Group) -> Process:
        """V4: a new rep signs only with an experienced rep beside them, who is held."""
        asked = self.env._now
        got = self.desk.request_mentor(g, self.reps[g.rep])
        g.waiting_for = "a mentor for the signing (V4)"
        mentor = (yield from self._wait_for_mentor(got)) if isinstance(got, simpy.Event) else got
        g.mentor_wait = self.env._now - asked
        self.recorder.mentor(g.mentor_wait, mentor is not None, g.t_signing)
        yield timeout(self.env, g.t_signing)
        if mentor is not None:
            self.desk.free_rep(mentor)

    def _wait_for_mentor(self, request: simpy.Event) -> Generator[simpy.Event, Any, Rep | None]:
        """V4: wait for the mentor at most ``rotation.mentor_wait_max_min``; then sign alone.
        The bound makes a circular wait impossible (a new rep's group holding the last table
        while the experienced reps who could mentor wait with their groups for a table)."""
        if not request.triggered:
            yield request | timeout(self.env, self.scenario.rotation.mentor_wait_max_min)
        if request.triggered:
            mentor: Rep | None = request.value
            return mentor
        self.desk.withdraw_mentor_request(request)
        return None

    # -- running ----------------------------------------------------------------------------
    def run(self) -> DayResult:
        """Simulate the day and return its KPIs (and tables, at level ``full``)."""
        env, day = self.env, self.scenario.day
        for component in self.components:
            component.start()
        if day.run_until == "close":
            env.run(until=day.close)
            for component in self.components:
                component.close_out(env._now)
            self.recorder.still_inside(list(self.inside.values()), env._now)
            end = day.close
        else:
            settle = self.reception.settle if self.reception is not None else lambda: False
            run_to_empty(env, self._last_scheduled_end(), self.replication, settle,
                         lambda: accounted(self.recorder.acc))  # fmt: skip
            if self.desk.waiting:  # no rep shift left to receive them: still there at the end
                self.recorder.still_inside(list(self.desk.waiting), env._now)
            end = max(day.close, *(c.last_activity() for c in self.components))
        stuck = [] if day.run_until == "close" else [
            g for g in self.inside.values() if g not in self.desk.waiting
        ]  # fmt: skip
        check_accounts(self.recorder.acc, stuck, self.reps, self.replication)
        kpis: dict[str, float] = {}
        for component in self.components:
            component.end_day(end)
        for component in sorted(self.components, key=lambda c: c.report_order):
            kpis |= component.kpis(end)
        if self.recorder.tables is not None:
            for component in self.components:
                component.add_tables(self.recorder.tables)
        stats = tuple(
            RepStats(
                r.name, r.team, r.receptions, r.busy_time, r.calls, r.overtime, r.duty_time,
                r.turns, r.skipped, r.made_up, r.lent, r.mentored,
            )
            for r in self.reps
        )
        return DayResult(
            self.replication, self.seed, self.policy_name, kpis, stats, self.recorder.tables, end
        )

    def dispose(self) -> None:
        """Break the day's reference cycles once its result is out, so that reference
        counting frees the day at once and the garbage collector, back on after the day
        (:mod:`sim.core.collector`), has no pass over it to make (some 3% of a weekend day;
        speed, issue 17). The model is unusable after it; :func:`sim.model.simulate_day`
        calls it, ``tests/test_collector.py`` checks that a day then leaves no cycle.

        The cycles are the parts that know each other: SimPy's environment and the event
        kinds it binds to itself, the desk, the policy and its office view, the phones, the
        reception line with its posts and their behaviours, the streams with samplers not yet
        drawn from (:class:`sim.core.rng.Streams`), and this model with the components it
        built."""
        env_attrs = vars(self.env)
        for name, value in list(env_attrs.items()):
            if getattr(value, "__self__", None) is self.env:  # env.timeout and the like
                del env_attrs[name]
        parts: list[object] = [self.desk, self.office, self.policy, self.streams,
                               *self.components]  # fmt: skip
        if self.reception is not None:
            parts += self.reception.parts()
        for part in parts:
            attrs = getattr(part, "__dict__", None)  # a policy may use __slots__
            if attrs is not None:
                attrs.clear()
        vars(self).clear()

    def _last_scheduled_end(self) -> float:
        """Closing, or the end of the latest shift if a shift outlasts closing."""
        shifts = self.reception.shifts.values() if self.reception is not None else ()
        return max([self.scenario.day.close, *(s.end for s in shifts)])

    def _phone_duty_minutes(self) -> float:
        team = self.office.phone_team
        return sum(r.duty_time for r in self.reps if team is None or r.team == team)
