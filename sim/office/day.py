"""The SimPy model of one office day: arrivals, the desk, the journey F1–F8, the reception
posts and phone duty.

Build with :class:`OfficeModel` and call :meth:`OfficeModel.run` (or
:func:`sim.model.simulate_day`); use :func:`sim.run` for replications. Rotation is delegated
to a policy from :mod:`sim.policies`, built per run.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from sim.core.rng import Streams
from sim.core.urgent import urgent_timeout
from sim.domain.labels import DELEGATION, WALK_IN
from sim.domain.results import DayResult, Level, RepStats
from sim.office.desk import Desk
from sim.office.kpi_turns import mentor_kpis, turn_kpis
from sim.office.kpis import compute_kpis
from sim.office.phones import PhoneDuty
from sim.office.reception import Reception
from sim.office.recorder import Recorder
from sim.office.sources import Sources
from sim.office.staff import PolicyOffice, Rep
from sim.office.visitors import Group
from sim.policies import RotationPolicy, policy_class
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
        for rep in self.reps:
            rep.duty_start = scenario.day.open
        staffing = scenario.staffing
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
            rng=self.streams.generator("policy"),  # never a visitor stream (common random numbers)
        )
        self.policy = cls(office)
        self.recorder = Recorder(level, scenario.day.open)
        self.desk = Desk(env, self.reps, self.policy, self._assigned if level == "full" else None)
        office.attach(self.desk)
        self._mentoring = scenario.rotation.mentor_new_reps
        self.rooms = simpy.Store(env, capacity=max(scenario.vip_rooms.count, 1))
        self.rooms.items.extend(range(scenario.vip_rooms.count))
        self.tables = simpy.Resource(env, scenario.tables) if scenario.tables else None
        self.houses = [
            simpy.Container(env, h.capacity, init=h.capacity) for h in scenario.sample_houses
        ]
        self.reception = Reception(env, staffing, self.streams, env.now) if staffing else None
        backup = self.reception.post("backup_reception") if self.reception else None
        # S1 drinks: only with a water bar does a seated group need a "standing up" event
        self._water_bar = self.reception is not None and "water_bar" in self.reception.posts
        self.phones = (
            PhoneDuty(env, phones, self.desk, backup, self.streams, scenario.day.close)
            if phones else None
        )  # fmt: skip
        self.protocol = [
            (v.at - v.booked_only_before_min, v.at + v.stay_min)
            for v in (staffing.important_visits if staffing else ())
        ]
        self._admission = staffing.admission if staffing else None
        self.inside: dict[int, Group] = {}
        self._track_inside = scenario.day.run_until == "close"

    # -- the journey ------------------------------------------------------------------------
    def _spawn(self, g: Group) -> None:
        self.env.process(self._visit(g))

    def _visit(self, g: Group) -> Process:
        env, rec = self.env, self.recorder
        g.arrival = env.now
        rec.entered(env.now)
        if self._track_inside:
            self.inside[g.gid] = g
        if self.reception is not None:
            yield from self.reception.at_gate(g)  # F1: L1 stops the car, radios the office
            if self._refused(g):
                return self._leave(g, "refused")
            yield from self.reception.after_gate(g)  # F1 parking (L2), F2 door
        if g.non_sales:  # R5: received at the desk, no rep turn
            yield env.timeout(g.t_non_sales)
            return self._leave(g, "non_sales")
        if not self.policy.receives(g, env.now):  # R12: a media open day receives no customers
            return self._leave(g, "not_received")
        if (g.important or g.source == DELEGATION) and self.reception is not None:
            self.reception.receive_important()  # V2/V3: the duty manager receives them
        ticket = self.desk.arrive(g)  # F3
        if isinstance(ticket, Rep):
            rep: Rep | None = ticket
        else:
            rep = yield ticket
        if rep is None:
            return self._leave(g, "lost")
        if g.t_extra:
            yield env.timeout(g.t_extra)  # V1: the grabbing incident at the door
        if g.survey:  # R5: a market survey or asking for a friend: a short talk, a turn used
            yield env.timeout(g.t_survey)
            self.desk.release(rep)
            return self._leave(g, "served")
        if g.t_sandbox:
            yield env.timeout(g.t_sandbox)  # F4
        if g.t_houses:
            yield from self._tour(g)  # F5
        if g.negotiates:
            yield from self._negotiate(g)  # F6, F7
        if g.t_walk_out:
            yield env.timeout(g.t_walk_out)  # F8
        self.desk.release(rep)
        if self.reception is not None:
            self.reception.served()
        self._leave(g, "served")

    def _refused(self, g: Group) -> bool:
        """Protocol (booked only) and the gate's admission check, for walk-ins."""
        if g.source != WALK_IN or g.non_sales:  # R5: non-sales visitors need no rep
            return False
        now = self.env.now
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
        g.departure = self.env.now
        if self._track_inside:
            del self.inside[g.gid]
        self.recorder.left(g, self.env.now, outcome)

    def _tour(self, g: Group) -> Process:
        env = self.env
        g.tour_start = env.now
        for index, (house, minutes) in enumerate(zip(self.houses, g.t_houses, strict=True)):
            asked = env.now
            slots = min(g.slots, int(house.capacity))
            yield house.get(slots)
            start = env.now
            g.house_wait += start - asked
            brief = self.reception.sample_house_entry() if self.reception else None
            if brief is not None:
                yield brief
            yield env.timeout(minutes)
            house.put(slots)
            self.recorder.house_visit(index, g, asked, start, env.now)
        g.tour_end = env.now

    def _negotiate(self, g: Group) -> Process:
        env = self.env
        g.seat_request = env.now
        room = (yield from self._vip_room(g)) if g.asks_vip else None
        table = None
        if room is None:
            g.seat = "table"
            if self.tables is not None:
                table = self.tables.request()
                yield table
        elif self.reception is not None:
            prepared = self.reception.prepare_room()  # G1 readies the room first
            if prepared is not None:
                yield prepared
        g.seat_start = env.now
        standing = env.event() if self._water_bar else None
        if standing is not None and self.reception is not None:
            self.reception.seated(standing)  # S1 drinks and refills
        if self._mentoring and g.signs and not self.reps[g.rep].experienced:
            yield env.timeout(g.t_negotiation)
            yield from self._mentored_signing(g)
        else:
            yield env.timeout(g.t_negotiation + (g.t_signing if g.signs else 0.0))
        if standing is not None:
            standing.succeed()
        if room is not None:
            self._return_room(room, g)
        if table is not None and self.tables is not None:
            self.tables.release(table)

    def _mentored_signing(self, g: Group) -> Process:
        """V4: a new rep signs only with an experienced rep beside them, who is held."""
        asked = self.env.now
        got = self.desk.request_mentor(g, self.reps[g.rep])
        mentor = (yield got) if isinstance(got, simpy.Event) else got
        g.mentor_wait = self.env.now - asked
        self.recorder.mentor(g.mentor_wait, mentor is not None, g.t_signing)
        yield self.env.timeout(g.t_signing)
        if mentor is not None:
            self.desk.free_rep(mentor)

    def _return_room(self, room: int, g: Group) -> None:
        self.recorder.room_use(room, g, g.seat_start, self.env.now)
        if self.reception is None:
            self.rooms.put(room)
            return
        cleared = self.env.event()

        def give_back(_event: simpy.Event) -> None:
            self.rooms.put(room)

        cleared.callbacks.append(give_back)
        self.reception.clear_room(cleared)

    def _vip_room(self, g: Group) -> Generator[simpy.Event, Any, int | None]:
        vip = self.scenario.vip_rooms
        if vip.count == 0 or (vip.when_full == "table" and not self.rooms.items):
            return None
        get = self.rooms.get()
        if vip.max_wait_min is None or get.triggered:
            room: int = yield get
        else:
            yield get | self.env.timeout(vip.max_wait_min)
            if not get.triggered:
                get.cancel()
                return None
            room = get.value
        g.seat = "vip"
        return room

    def _assigned(self, g: Group, rep: Rep, now: float) -> None:
        self.recorder.assignment(g, rep.index, now)

    # -- shifts -------------------------------------------------------------------------------
    def _rep_shifts(self) -> None:
        staffing = self.scenario.staffing
        if staffing is None or not staffing.rep_shifts or self.reception is None:
            return
        shifts = self.reception.shifts
        for rep in self.reps:
            name = staffing.rep_shifts.get(rep.name)
            if name is None:
                continue
            self.desk.rep_off(rep)  # off until the shift starts
            self.env.process(self._rep_cycle(rep, shifts[name].working()))

    def _rep_cycle(self, rep: Rep, periods: list[tuple[float, float]]) -> Process:
        for a, b in periods:
            if a > self.env.now:
                yield self.env.timeout(a - self.env.now)
            if self.env.now >= b:
                continue
            self.desk.rep_on(rep, b)
            yield urgent_timeout(self.env, b - self.env.now)
            self.desk.rep_off(rep)

    # -- running ----------------------------------------------------------------------------
    def run(self) -> DayResult:
        """Simulate the day and return its KPIs (and tables, at level ``full``)."""
        env, day = self.env, self.scenario.day
        self._rep_shifts()
        Sources(env, self.scenario, self.streams, self._spawn).start()
        if self.phones is not None:
            self.phones.start()
        self._line_up()
        if day.run_until == "close":
            env.run(until=day.close)
            for rep in self.reps:
                if rep.busy:
                    rep.busy_time += env.now - rep.busy_since
                if rep.leaving:  # past the shift end, still with a group at closing
                    rep.overtime += env.now - rep.shift_end
                    rep.duty_time += env.now - rep.shift_end
            for post in self.reception.posts.values() if self.reception is not None else ():
                post.close_out()  # their tasks in progress and overtime, as for the reps
            self.recorder.still_inside(list(self.inside.values()), env.now)
        else:
            env.run()
            if self.desk.waiting:  # no rep shift left to receive them: still there at the end
                self.recorder.still_inside(list(self.desk.waiting), env.now)
        last = self.recorder.acc.last_departure
        calls_end = self.phones.last_end if self.phones is not None else 0.0
        end = day.close if day.run_until == "close" else max(day.close, last, calls_end)
        for rep in self.reps:
            if rep.on_duty and not rep.leaving:  # on duty to the end (overtime counted above)
                rep.duty_time += max(0.0, end - rep.duty_start)
        kpis = compute_kpis(self.recorder.acc, self.reps, self.scenario, end, last)
        kpis |= turn_kpis(self.recorder.acc, self.reps, self.office.ledger)
        if self._mentoring:
            kpis |= mentor_kpis(self.recorder.acc, self.reps)
        if self.reception is not None:
            kpis |= self.reception.kpis()
            if self.recorder.tables is not None:
                self.recorder.tables.post_hours.extend(self.reception.hour_rows())
        if self.phones is not None:
            kpis |= self.phones.kpis(self._phone_duty_minutes())
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

    def _line_up(self) -> None:
        """Important-visit protocol: listed staff stand at the entrance from N min before."""
        staffing = self.scenario.staffing
        if staffing is None or self.reception is None:
            return
        for visit in staffing.important_visits:
            start = max(self.env.now, visit.at - visit.line_up_before_min)
            for key, count in visit.staff.items():
                post = self.reception.post(key)
                if post is not None and count:
                    until = visit.at + visit.stay_min
                    self.env.process(self._hold_later(post, count, start, until))

    def _hold_later(self, post: Any, count: int, start: float, until: float) -> Process:
        yield self.env.timeout(start - self.env.now)
        post.hold(count, until)

    def _phone_duty_minutes(self) -> float:
        team = self.office.phone_team
        return sum(r.duty_time for r in self.reps if team is None or r.team == team)
