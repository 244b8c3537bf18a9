"""The reception line (issue 3): per-post traces with fixed times, written by hand from the
rules of DOMAIN.md ("Posts", "The visitor journey", seed 003).

Every scenario is built from a dict (``tests.helpers.fixed_trace_scenario``) with ``fixed``
durations, so each expected time below follows from the rule in the comment beside it.
Clock times are minutes since midnight: 09:00 = 540. Walk-ins, which in a scenario only come
as a Poisson stream, are injected at exact times with :func:`inject` (a group drawn by the
walk-in factory, then given the attributes the trace needs).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import numpy as np
import pytest
import simpy

from sim.core.rng import Streams
from sim.core.shifts import Shift
from sim.domain.labels import DELEGATION, VISIT, WALK_IN
from sim.domain.results import HOUSE_COLUMNS, ROOM_COLUMNS, VISIT_COLUMNS
from sim.model import DayResult, OfficeModel
from sim.office.reception import Reception
from sim.office.sources import Sources
from sim.office.visitors import Group, GroupFactory
from sim.posts.staffed import Person, Post
from sim.scenario import Scenario, ScenarioError
from sim.scenario.staffing import Staffing
from tests.helpers import fixed_trace_scenario

V = {name: i for i, name in enumerate(VISIT_COLUMNS)}
H = {name: i for i, name in enumerate(HOUSE_COLUMNS)}
R = {name: i for i, name in enumerate(ROOM_COLUMNS)}
ALL_DAY = {"A": {"start": "09:00", "end": "18:00"}}
_INJECTED: dict[int, list[Group]] = {}


# -- builders shared with test_phones.py and test_rep_shifts.py ------------------------------
def fixed(minutes: float) -> dict[str, Any]:
    return {"dist": "fixed", "value": minutes}


def post(heads: int, task: float, shift: str = "A", **extra: Any) -> dict[str, Any]:
    """A post with ``heads`` people on ``shift`` and a fixed task of ``task`` minutes."""
    return {"headcount": {shift: heads}, "task": fixed(task), **extra}


def staffing(shifts: dict[str, Any] | None = None, **sections: Any) -> dict[str, Any]:
    """A ``staffing:`` section: one all-day shift A unless ``shifts`` is given."""
    return {"shifts": shifts or ALL_DAY, **sections}


def build(arrivals: list[str], reps: Any, sandbox: float, **overrides: Any) -> Scenario:
    """``fixed_trace_scenario`` (appointments at ``arrivals``; on foot unless overridden)."""
    overrides.setdefault("visitors__car_share", 0)
    return fixed_trace_scenario(arrivals, reps, sandbox, **overrides)


def model_of(scenario: Scenario, seed: int = 0) -> OfficeModel:
    """The model with a task trace switched on at every post."""
    model = OfficeModel(scenario, seed)
    assert model.reception is not None
    for p in model.reception.posts.values():
        p.trace = []
    return model


def inject(model: OfficeModel, at: float, **attrs: Any) -> Group:
    """A walk-in group (drawn by the walk-in factory) arriving at exactly ``at``, with
    ``attrs`` overriding what was drawn. By default: on foot, no tour, no negotiation."""
    factory = GroupFactory(model.scenario, model.streams, WALK_IN)
    g = factory.make(-1)
    g.by_car, g.t_houses, g.negotiates, g.non_sales = False, [], False, False
    g.returning = g.designated = g.important = False
    g.owner = -1
    for key, value in attrs.items():
        setattr(g, key, value)
    g.gid = 1000 + len(_INJECTED.setdefault(id(model), []))
    _INJECTED[id(model)].append(g)

    def arrive() -> Generator[simpy.Event, Any, None]:
        yield model.env.timeout(at - model.env.now)
        model._spawn(g)

    model.env.process(arrive())
    return g


def rows(day: DayResult) -> dict[int, tuple[object, ...]]:
    """Visits by group id."""
    assert day.tables is not None
    return {int(r[V["group"]]): r for r in day.tables.visits}  # type: ignore[call-overload]


def the_post(model: OfficeModel, key: str) -> Post:
    assert model.reception is not None
    return model.reception.posts[key]


def responses(model: OfficeModel, key: str) -> list[float]:
    return list(the_post(model, key).response)


def trace(model: OfficeModel, key: str) -> list[tuple[int, float, float]]:
    found = the_post(model, key).trace
    assert found is not None
    return found


# -- F1: cars at the gate (L1) and the parking (L2) ------------------------------------------
def test_car_of_three_holds_gate_and_parking_together() -> None:
    # large_party_min = 3 (set: the default is 2). L1 task 2 min, L2 task 3 min, one each.
    # car of 3 arrives 09:00: L1 and L2 both held 09:00-09:02 (one joint task of the gate's
    #   duration; a large party is met by both at once, no separate parking task);
    # car of 3 arrives 09:01: waits for L1 until 09:02 (response 1), then L2 is free at once
    #   (response 0): both held 09:02-09:04.
    # No door post, so each group reaches the desk when L1/L2 let go: reps at 09:02, 09:04.
    scenario = build(
        ["09:00", "09:01"], 2, 10,
        visitors__group_size={3: 1}, visitors__car_share=1,
        staffing=staffing(gate=post(1, 2), parking=post(1, 3), large_party_min=3),
    )  # fmt: skip
    model = model_of(scenario)
    day = model.run()
    assert responses(model, "gate") == [0.0, 1.0]
    assert responses(model, "parking") == [0.0, 0.0]
    assert trace(model, "gate") == [(0, 540.0, 542.0), (0, 542.0, 544.0)]
    assert trace(model, "parking") == [(0, 540.0, 542.0), (0, 542.0, 544.0)]
    assert [r[V["assigned"]] for r in rows(day).values()] == [542.0, 544.0]
    assert day.kpis["post.gate.tasks"] == 2 and day.kpis["post.parking.tasks"] == 2
    assert day.kpis["post.gate.response_mean"] == pytest.approx(0.5)
    assert the_post(model, "gate").busy_by_hour == {9: 4.0}


def _group(gid: int, size: int, by_car: bool) -> Group:
    g = Group(gid, WALK_IN)
    g.size, g.by_car = size, by_car
    return g


def test_small_and_large_cars_share_the_gate_without_deadlock() -> None:
    """Reception alone, groups made by hand at sub-minute times."""
    env = simpy.Environment(initial_time=540)
    spec = Staffing.model_validate(
        staffing(gate=post(1, 2), parking=post(1, 3), door=post(1, 0.5), large_party_min=3)
    )
    reception = Reception(env, spec, Streams(0, 0), 540)
    for p in reception.posts.values():
        p.trace = []
    done: dict[str, float] = {}

    def visit(name: str, at: float, g: Group) -> Generator[simpy.Event, Any, None]:
        yield env.timeout(at - env.now)
        yield from reception.at_gate(g)  # F1 (L1, with L2 for a large car)
        yield from reception.after_gate(g)  # F1 parking, F2 door
        done[name] = env.now

    # A, car of 2 (below large_party_min), 09:00: L1 09:00-09:02, L2 09:02-09:05,
    #   door 09:05-09:05.5.
    # D, on foot, 09:00.5: no gate or parking; door 09:00.5-09:01.
    # B, car of 3, 09:02.5: takes L1 at once (free since 09:02), asks L2 at 09:02.5, busy with
    #   A until 09:05 (response 2.5) while B holds L1 idle; L1+L2 together 09:05-09:07;
    #   door 09:07-09:07.5.
    # C, car of 1, 09:03: L1 is held by B until 09:07 (response 4); L1 09:07-09:09;
    #   L2 09:09-09:12 (free: response 0); door 09:12-09:12.5.
    for name, at, g in [
        ("A", 540.0, _group(0, 2, True)),
        ("D", 540.5, _group(1, 4, False)),
        ("B", 542.5, _group(2, 3, True)),
        ("C", 543.0, _group(3, 1, True)),
    ]:
        env.process(visit(name, at, g))
    env.run(until=600)
    reception.settle()  # tasks let go without an event are booked when next asked, as at the
    # end of a day
    assert done == {"D": 541.0, "A": 545.5, "B": 547.5, "C": 552.5}
    gate, parking, door = (reception.posts[k] for k in ("gate", "parking", "door"))
    assert list(gate.response) == [0.0, 0.0, 4.0]
    assert list(parking.response) == [0.0, 2.5, 0.0]
    assert list(door.response) == [0.0, 0.0, 0.0, 0.0]
    assert gate.trace == [(0, 540.0, 542.0), (0, 542.5, 547.0), (0, 547.0, 549.0)]
    assert parking.trace == [(0, 542.0, 545.0), (0, 545.0, 547.0), (0, 549.0, 552.0)]


def test_f1_car_of_two_gets_both_greeters_by_default() -> None:
    """F1, seed 003 "L2岗礼宾为客户开车门,(如果1车多人,L1、L2一同为客户开门)": a car of 2 is
    several people, so by default (large_party_min 2) L1 and L2 meet it together: one joint
    task of the gate's 2 min, 09:00-09:02 at both posts, no separate parking task; the rep
    takes the group at 09:02. A car of 1 passes L1 (09:10-09:12) then L2 (09:12-09:15)."""
    scenario = build(
        ["09:00"], 2, 10,
        visitors__group_size={2: 1}, visitors__car_share=1,
        staffing=staffing(gate=post(1, 2), parking=post(1, 3)),
    )  # fmt: skip
    model = model_of(scenario)
    day = model.run()
    assert trace(model, "gate") == [(0, 540.0, 542.0)]
    assert trace(model, "parking") == [(0, 540.0, 542.0)]
    assert [r[V["assigned"]] for r in rows(day).values()] == [542.0]
    alone = build(
        ["09:10"], 2, 10,
        visitors__group_size={1: 1}, visitors__car_share=1,
        staffing=staffing(gate=post(1, 2), parking=post(1, 3)),
    )  # fmt: skip
    model = model_of(alone)
    model.run()
    assert trace(model, "gate") == [(0, 550.0, 552.0)]
    assert trace(model, "parking") == [(0, 552.0, 555.0)]


@pytest.mark.parametrize(("car_share", "gate_tasks"), [(0, 0), (1, 3)])
def test_only_cars_use_gate_and_parking(car_share: float, gate_tasks: int) -> None:
    # Three groups of 1 (below large_party_min): a car passes L1 then L2, then the door;
    # a group on foot goes straight to the door.
    scenario = build(
        ["09:00", "09:10", "09:20"], 3, 5,
        visitors__car_share=car_share, visitors__group_size={1: 1},
        staffing=staffing(gate=post(1, 1), parking=post(1, 1), door=post(1, 1)),
    )  # fmt: skip
    day = OfficeModel(scenario, 0).run()
    assert day.kpis["post.gate.tasks"] == gate_tasks
    assert day.kpis["post.parking.tasks"] == gate_tasks
    assert day.kpis["post.door.tasks"] == 3


# -- F6: VIP room prepared and cleared by the butler (G1) -----------------------------------
def _vip_day(rooms: int) -> tuple[OfficeModel, DayResult]:
    # Appointment groups ask for a VIP room; they wait for one (no time limit).
    scenario = build(
        ["09:00", "09:01"], 2, 10,
        vip_rooms={"count": rooms, "when_full": "wait", "max_wait_min": None},
        service_times__negotiation=fixed(20),
        staffing=staffing(butler=post(1, 4, clear=fixed(5), target_response_min=2)),
    )  # fmt: skip
    model = model_of(scenario)
    return model, model.run()


def test_vip_room_prepared_during_the_sandbox_and_cleared_after_each_group() -> None:
    """G1, seed 003: at the end of the model talk X1 asks the butler and G1 answers "VIP几,已经
    做好接待准备" - the room is readied during the sandbox talk, not after the request.
    One room, one butler: prepare 4 min, clear 5 min, negotiation 20 min, sandbox 10 min.
    G0 09:00: butler prepares 09:00-09:04 during G0's talk; G0 asks 09:10, seated at once
      09:10-09:30; butler clears 09:30-09:35: only then is the room free.
    G1 09:01: its preparation waits for the butler until 09:04 (response 3), 09:04-09:08; G1
      asks 09:11, the room is free at 09:35 (after clearing), seated 09:35-09:55; cleared
      09:55-10:00."""
    model, day = _vip_day(1)
    assert day.tables is not None
    assert [(r[R["room"]], r[R["start"]], r[R["end"]]) for r in day.tables.vip_rooms] == [
        (0, 550.0, 570.0),
        (0, 575.0, 595.0),
    ]
    assert trace(model, "butler") == [
        (0, 540.0, 544.0), (0, 544.0, 548.0), (0, 570.0, 575.0), (0, 595.0, 600.0),
    ]  # fmt: skip
    assert responses(model, "butler") == [0.0, 3.0, 0.0, 0.0]
    # VIP wait = seated - asked: 0 (ready during the talk) and 24 (room busy, then cleared)
    assert day.kpis["vip_wait_mean"] == pytest.approx((0 + 24) / 2)
    assert [r[V["departure"]] for r in rows(day).values()] == [570.0, 595.0]


def test_butler_busy_delays_the_second_preparation_not_the_seat() -> None:
    # Two rooms, one butler; G1 rooms prepared during the sandbox talks.
    # G0 prepared 09:00-09:04; G1's preparation waits until 09:04 (response 3), 09:04-09:08.
    # G0 asks 09:10 -> room 0, seated 09:10-09:30; G1 asks 09:11 -> room 1, seated 09:11-09:31.
    # Clear room 0 09:30-09:35 (response 0); clear room 1 waits until 09:35 (response 4),
    #   09:35-09:40.
    model, day = _vip_day(2)
    assert responses(model, "butler") == [0.0, 3.0, 0.0, 4.0]
    assert trace(model, "butler") == [
        (0, 540.0, 544.0), (0, 544.0, 548.0), (0, 570.0, 575.0), (0, 575.0, 580.0),
    ]  # fmt: skip
    assert day.kpis["post.butler.tasks"] == 4
    assert day.kpis["post.butler.response_mean"] == pytest.approx(1.75)
    assert day.kpis["post.butler.over_target"] == pytest.approx(0.5)  # 3 and 4 > 2
    assert day.kpis["vip_wait_mean"] == 0  # both rooms ready before the groups asked


# -- F6: the water bar (S1): a drink on sitting down, refills every N minutes ----------------
def _water_day(negotiation: float) -> OfficeModel:
    scenario = build(
        ["09:00", "09:01"], 2, 10,
        service_times__negotiation=fixed(negotiation),
        staffing=staffing(water_bar=post(1, 2, refill_every_min=20)),
    )  # fmt: skip
    model = model_of(scenario)
    model.run()
    return model


def test_water_refill_cycle() -> None:
    # One S1, 2 min a delivery, refill every 20 min; seated 45 min at open tables.
    # G0 seated 09:10-09:55: drinks asked 09:10, 09:30, 09:50.
    # G1 seated 09:11-09:56: drinks asked 09:11, 09:31, 09:51.
    # S1: 09:10-09:12 G0 (0), 09:12-09:14 G1 (waited 1), 09:30-09:32 (0), 09:32-09:34 (1),
    #     09:50-09:52 (0), 09:52-09:54 (1).
    model = _water_day(45)
    assert responses(model, "water_bar") == [0.0, 1.0, 0.0, 1.0, 0.0, 1.0]
    assert trace(model, "water_bar") == [
        (0, 550.0, 552.0), (0, 552.0, 554.0), (0, 570.0, 572.0),
        (0, 572.0, 574.0), (0, 590.0, 592.0), (0, 592.0, 594.0),
    ]  # fmt: skip
    assert the_post(model, "water_bar").busy_by_hour == {9: 12.0}


def test_no_refill_for_a_group_leaving_when_it_falls_due() -> None:
    # Seated exactly 40 min (09:10-09:50): the refill due at 09:50 is not served, the group
    # is leaving (seated means [seat, leave)). Drinks at 09:10 and 09:30 only, for each group.
    model = _water_day(40)
    assert the_post(model, "water_bar").tasks == 4
    assert [start for _, start, _ in trace(model, "water_bar")] == [550, 552, 570, 572]


# -- shift edges at a post, and a post that has closed for the day ---------------------------
def test_post_shift_end_overtime_and_no_work_after_the_last_shift() -> None:
    # One door greeter, shift 09:00-10:00 only, 20 min a greeting; run until empty.
    # G0 09:50: greeted 09:50-10:10: 10 min past the shift end = overtime.
    # G1 09:55: waits; at 10:10 the greeter goes home and no shift is left: the post is closed,
    #   G1 is let through unserved at 10:10 and reaches the desk at once.
    # G2 10:30: the door is closed; G2 goes straight to the desk.
    shifts = {"A": {"start": "09:00", "end": "10:00"}}
    scenario = build(
        ["09:50", "09:55", "10:30"], 3, 10,
        staffing=staffing(shifts, door=post(1, 20)),
    )  # fmt: skip
    model = model_of(scenario)
    day = model.run()
    door = the_post(model, "door")
    assert door.trace == [(0, 590.0, 610.0)]
    assert list(door.response) == [0.0]
    assert door.overtime() == pytest.approx(10)
    assert day.kpis["post.door.overtime_min"] == pytest.approx(10)
    assert door.unserved == 2 and door.closed
    visits = rows(day)
    assert [visits[g][V["assigned"]] for g in sorted(visits)] == [610.0, 610.0, 630.0]
    assert day.kpis["groups_served"] == day.kpis["groups_arrived"] == 3


def test_post_waits_for_the_next_shift_across_a_gap() -> None:
    # Door shifts A 09:00-10:00 and B 10:30-12:00, one greeter each, 1 min a greeting.
    # A group at 10:10 waits for B: greeted 10:30-10:31 (response 20), at the desk 10:31.
    shifts = {"A": {"start": "09:00", "end": "10:00"}, "B": {"start": "10:30", "end": "12:00"}}
    scenario = build(
        ["10:10"], 1, 10,
        staffing=staffing(shifts, door={"headcount": {"A": 1, "B": 1}, "task": fixed(1)}),
    )  # fmt: skip
    model = model_of(scenario)
    day = model.run()
    assert trace(model, "door") == [(1, 630.0, 631.0)]
    assert responses(model, "door") == [20.0]
    assert next(iter(rows(day).values()))[V["assigned"]] == 631.0


# -- the admission check at the gate (seed 003) ----------------------------------------------
def test_admission_check_asks_to_wait_or_turns_away() -> None:
    # One rep, 30 min a group; admission: queue_limit 1, wait_share 0.5. Walk-ins on foot.
    # W0 09:00: the rep is free -> admitted; rep busy 09:00-09:30.
    # W1 09:05: no rep free, 0 waiting < 1 -> admitted; waits.
    # W2 09:10: no rep free, 1 waiting = limit: asked; its answer 0.2 < 0.5 -> waits
    #   (asked_to_wait).
    # W3 09:15: 2 waiting >= 1, answer 0.9 -> leaves (refused_admission).
    # W4 09:15: answer exactly 0.5, not below the share -> leaves.
    # A  09:20, an appointment: never asked, admitted.
    # The rep serves W0 09:00, W1 09:30, W2 10:00, A 10:30.
    scenario = build(
        ["09:20"], 1, 30, staffing=staffing(admission={"queue_limit": 1, "wait_share": 0.5})
    )
    model = OfficeModel(scenario, 0)
    for at, answer in [(540, 0.9), (545, 0.9), (550, 0.2), (555, 0.9), (555, 0.5)]:
        inject(model, at, u_admit=answer, t_sandbox=30.0)
    day = model.run()
    k = day.kpis
    assert (k["refused_admission"], k["asked_to_wait"], k["groups_served"]) == (2, 1, 4)
    visits = rows(day)
    refused = [g for g, r in visits.items() if r[V["outcome"]] == "refused"]
    assert refused == [1003, 1004]
    assert all(visits[g][V["departure"]] == 555.0 for g in refused)
    served = sorted(
        (r[V["assigned"]], r[V["source"]]) for r in visits.values() if r[V["outcome"]] == "served"
    )
    assert served == [
        (540.0, WALK_IN), (570.0, WALK_IN), (600.0, WALK_IN), (630.0, "appointment"),
    ]  # fmt: skip


def test_non_sales_walk_in_is_not_turned_away_by_the_admission_check() -> None:
    # queue_limit 0: whenever no rep is free, a walk-in is asked. The only rep is busy
    # 09:00-09:30. A non-sales visitor (asking the way) at 09:05 needs no rep: received (R5).
    scenario = build(
        ["09:00"], 1, 30, staffing=staffing(admission={"queue_limit": 0, "wait_share": 0})
    )
    model = OfficeModel(scenario, 0)
    inject(model, 545, non_sales=True, t_non_sales=5.0, u_admit=0.9)
    day = model.run()
    assert day.kpis["refused_admission"] == 0
    assert day.kpis["non_sales"] == 1


def test_non_sales_visitors_use_no_rep() -> None:
    # Two non-sales walk-ins (R5) at 09:00 and 09:02, 5 min each at the desk, greeted at the
    # door (1 min): received to standard, no rep turn used.
    scenario = build(["17:00"], 1, 10, staffing=staffing(door=post(1, 1)))
    model = model_of(scenario)
    for at in (540, 542):
        inject(model, at, non_sales=True, t_non_sales=5.0)
    day = model.run()
    visits = rows(day)
    assert [visits[g][V["outcome"]] for g in (1000, 1001)] == ["non_sales", "non_sales"]
    assert [visits[g][V["rep"]] for g in (1000, 1001)] == [-1, -1]
    # door 09:00-09:01 and 09:02-09:03, then 5 min at the desk: gone at 09:06 and 09:08
    assert [visits[g][V["departure"]] for g in (1000, 1001)] == [546.0, 548.0]
    assert day.reps[0].receptions == 1  # only the 17:00 appointment
    assert trace(model, "door")[:2] == [(0, 540.0, 541.0), (0, 542.0, 543.0)]


# -- the important-visit protocol (seed 003) ----------------------------------------------
def _visit_spec(**extra: Any) -> dict[str, Any]:
    return {
        "at": "11:00", "tier": 1, "size": 5, "stay_min": 60,
        "booked_only_before_min": 60, "line_up_before_min": 20, **extra,
    }  # fmt: skip


def test_only_booked_groups_are_admitted_around_an_important_visit() -> None:
    # Visit at 11:00 for 60 min, booked-only from 60 min before: walk-ins are refused in
    # [10:00, 12:00). Walk-ins at 09:59 (in), 10:00 (out), 11:59 (out), 12:00 (in).
    # An appointment at 10:30 is booked: in.
    scenario = build(["10:30"], 3, 10, staffing=staffing(important_visits=[_visit_spec()]))
    model = OfficeModel(scenario, 0)
    for at in (599, 600, 719, 720):
        inject(model, at)
    day = model.run()
    assert day.kpis["refused_protocol"] == 2
    assert day.kpis["refused_admission"] == 0
    outcome = {(r[V["source"]], r[V["arrival"]]): r[V["outcome"]] for r in rows(day).values()}
    assert outcome == {
        (WALK_IN, 599.0): "served", (WALK_IN, 600.0): "refused",
        (WALK_IN, 719.0): "refused", (WALK_IN, 720.0): "served",
        ("appointment", 630.0): "served", (VISIT, 660.0): "served",
    }  # fmt: skip


def _line_up_day(staff: dict[str, int], door_heads: int = 2) -> tuple[OfficeModel, DayResult]:
    scenario = build(
        ["10:50", "10:50"], 3, 10,
        staffing=staffing(
            door=post(door_heads, 3), important_visits=[_visit_spec(staff=staff)]
        ),
    )  # fmt: skip
    model = model_of(scenario)
    return model, model.run()


def test_line_up_takes_staff_off_their_post_and_others_wait() -> None:
    # Two door greeters, 3 min a greeting. Visit at 11:00 for 60 min; one greeter stands at
    # the entrance from 20 min before (10:40) until the visit ends (12:00): greeter 0, the
    # first free one.
    # Two appointment groups at 10:50: greeter 1 is left: 10:50-10:53 and 10:53-10:56
    #   (responses 0 and 3). The visiting party at 11:00 is received by the lined-up greeter
    #   (no door task). The line-up is not a task: no response time, but greeter 0 is busy.
    # Without the line-up both are greeted at 10:50 (0, 0) and the party at 11:00 (0).
    model, day = _line_up_day({"door": 1})
    assert responses(model, "door") == [0.0, 3.0]
    assert day.kpis["post.door.response_mean"] == pytest.approx(1.5)
    assert day.kpis["post.door.tasks"] == 2
    assert trace(model, "door") == [(1, 650.0, 653.0), (1, 653.0, 656.0), (0, 640.0, 720.0)]
    base_model, base = _line_up_day({})
    assert responses(base_model, "door") == [0.0, 0.0, 0.0]
    assert base.kpis["post.door.response_mean"] == 0.0
    # the line-up costs the other visitors 1.5 min a greeting on average at the door
    assert day.kpis["post.door.response_mean"] - base.kpis["post.door.response_mean"] == 1.5


def test_the_lined_up_staff_receive_the_visiting_party() -> None:
    # The only door greeter is lined up 10:40-12:00: the party arriving 11:00 is not made to
    # wait for the end of its own visit; it reaches the desk at 11:00.
    # The two appointments of 10:50 find nobody at the door until 12:00: greeted 12:00-12:03
    # (response 70) and 12:03-12:06 (response 73).
    model, day = _line_up_day({"door": 1}, door_heads=1)
    party = next(r for r in rows(day).values() if r[V["source"]] == VISIT)
    assert party[V["assigned"]] == 660.0
    assert trace(model, "door") == [(0, 640.0, 720.0), (0, 720.0, 723.0), (0, 723.0, 726.0)]
    assert responses(model, "door") == [70.0, 73.0]


def test_a_car_turned_away_at_the_gate_is_not_parked() -> None:
    # Booked-only from 10:00; a walk-in car of 1 at 10:30: L1 stops it and turns it away.
    scenario = build(
        ["09:00"], 3, 10,
        staffing=staffing(
            gate=post(1, 1), parking=post(1, 1), door=post(1, 1),
            important_visits=[_visit_spec()],
        ),
    )  # fmt: skip
    model = OfficeModel(scenario, 0)
    inject(model, 630, by_car=True, size=1)
    day = model.run()
    assert day.kpis["refused_protocol"] == 1
    assert day.kpis["post.gate.tasks"] == 1
    assert day.kpis["post.parking.tasks"] == 0


# -- delegations (V3): sample-house slots and the duty manager -------------------------------
class _Plan:
    """A stand-in for the ``delegation.plan`` generator: one delegation of 12 at 10:00."""

    def poisson(self, lam: float) -> int:
        return 1

    def uniform(self, low: float, high: float, size: int) -> np.ndarray:
        return np.full(size, 600.0)

    def integers(self, low: int, high: int, size: int) -> np.ndarray:
        return np.full(size, 12)


class _PlannedStreams(Streams):
    def generator(self, name: str) -> np.random.Generator:
        if name == "delegation.plan":
            return _Plan()  # type: ignore[return-value]
        return super().generator(name)


def _delegation_day(
    house_slots: int, reps: int = 2, arrivals: tuple[str, ...] = ("10:01",), **overrides: Any
) -> tuple[OfficeModel, DayResult]:
    overrides.setdefault("rotation", {"people_per_rep": 40})  # one rep per delegation, no V3
    scenario = build(
        list(arrivals), reps, 10,
        visitors__sample_house_share=1,
        sample_houses=[{"name": "样板间A", "capacity": 2}],
        service_times__sample_house=fixed(20),
        staffing=staffing(
            duty_manager=post(1, 15),
            delegations={"per_day": 1, "size_min": 10, "size_max": 40, "house_slots": house_slots},
        ),
        **overrides,
    )  # fmt: skip
    model = model_of(scenario)
    model.streams = _PlannedStreams(0, 0)
    return model, model.run()


@pytest.mark.parametrize(("slots", "wait"), [(2, 19.0), (1, 0.0)])
def test_delegation_takes_house_slots(slots: int, wait: float) -> None:
    # One sample house for 2 groups at once, 20 min a tour, sandbox 10.
    # Delegation D (12 people) 10:00: rep, sandbox 10:00-10:10, house 10:10-10:30 taking
    #   `house_slots` places.
    # Appointment A 10:01: sandbox to 10:11; with 2 slots taken the house is full until
    #   10:30 (wait 19); with 1 slot taken A enters at 10:11 (wait 0).
    _, day = _delegation_day(slots)
    assert day.tables is not None
    tours = {
        int(r[H["group"]]): (r[H["request"]], r[H["start"]], r[H["end"]])  # type: ignore[call-overload]
        for r in day.tables.sample_houses
    }
    visits = rows(day)
    (d,) = [g for g, r in visits.items() if r[V["source"]] == DELEGATION]
    (a,) = [g for g, r in visits.items() if r[V["source"]] == "appointment"]
    assert visits[d][V["size"]] == 12
    assert tours[d] == (610.0, 610.0, 630.0)
    assert tours[a] == (611.0, 611.0 + wait, 631.0 + wait)
    assert day.kpis["house_wait_mean"] == pytest.approx(wait / 2)


def test_delegation_is_received_by_the_duty_manager() -> None:
    # The delegation arrives 10:00: the duty manager receives it, 10:00-10:15.
    model, day = _delegation_day(2)
    assert trace(model, "duty_manager") == [(0, 600.0, 615.0)]
    assert day.kpis["post.duty_manager.tasks"] == 1


def test_delegation_waits_for_a_rep_however_long() -> None:
    # One rep, visitors' patience 1 min. Appointment 09:55 holds the rep: sandbox to 10:05,
    # tour 10:05-10:25. The delegation arriving 10:00 waits 25 min for the rep and is served
    # (a booked delegation does not walk away); a walk-in would have left after 1 min.
    _, day = _delegation_day(2, reps=1, arrivals=("09:55",), visitors__patience=fixed(1))
    visits = rows(day)
    (d,) = [r for r in visits.values() if r[V["source"]] == DELEGATION]
    assert d[V["outcome"]] == "served"
    assert d[V["assigned"]] == 625.0
    assert day.kpis["groups_lost"] == 0


def test_delegation_source_contract() -> None:
    """Sources: Poisson count, times in [open, close - 60], sizes in range, by bus, always
    touring with ``house_slots``, no negotiation, never reneging."""
    scenario = build(
        ["09:00"], 2, 10,
        sample_houses=[{"name": "A", "capacity": 3}, {"name": "B", "capacity": 3}],
        staffing=staffing(
            delegations={"per_day": 6, "size_min": 15, "size_max": 20, "house_slots": 3}
        ),
    )  # fmt: skip
    env = simpy.Environment(initial_time=540)
    got: list[tuple[float, Group]] = []
    Sources(env, scenario, Streams(7, 0), lambda g: got.append((env.now, g))).start()
    env.run()
    delegations = [(t, g) for t, g in got if g.source == DELEGATION]
    expected = int(Streams(7, 0).generator("delegation.plan").poisson(6))
    assert len(delegations) == expected > 0
    for t, g in delegations:
        assert 540 <= t <= 18 * 60 - 60
        assert 15 <= g.size <= 20 and g.slots == 3 and g.by_car
        assert not g.negotiates and not g.non_sales and g.owner == -1
        assert len(g.t_houses) == 2 and g.patience == math.inf


# -- closed posts do not swallow groups (run until empty) ---------------------------------
@pytest.mark.parametrize("key", ["gate", "door", "guide", "butler"])
def test_zero_headcount_post_lets_groups_through(key: str) -> None:
    # A post with nobody is closed all day: the journey goes on without it.
    scenario = build(
        ["09:00", "09:30"], 2, 10,
        visitors__car_share=1, visitors__sample_house_share=1,
        sample_houses=[{"name": "A", "capacity": 1}],
        vip_rooms={"count": 1, "when_full": "wait", "max_wait_min": None},
        staffing=staffing(**{key: post(0, 5)}),
    )  # fmt: skip
    model = model_of(scenario)
    day = model.run()
    assert day.kpis["groups_served"] == 2
    assert the_post(model, key).tasks == 0


def test_line_up_must_name_a_staffed_post() -> None:
    # staff: {door: 1} without a door post would silently hold nobody
    with pytest.raises(ScenarioError) as exc:
        build(
            ["09:00"], 1, 10, staffing=staffing(important_visits=[_visit_spec(staff={"door": 1})])
        )
    assert exc.value.lines == [
        "trace: staffing.important_visits[0].staff.door: 该岗位无人值守 the door post is not "
        "staffed in this scenario (add staffing.door)"
    ]


# -- Post details behind the traces above ------------------------------------------------------
def _one_person_post(shift: Shift) -> tuple[simpy.Environment, Post]:
    env = simpy.Environment(initial_time=540)
    post = Post(env, "door", [Person(0, "p0", shift)], 540, trace=True)
    return env, post


def _task_at(env: simpy.Environment, post: Post, at: float, minutes: float) -> None:
    def go() -> Generator[simpy.Event, Any, None]:
        yield env.timeout(at - env.now)
        yield post.task(minutes)

    env.process(go())


def test_a_hold_goes_before_waiting_tasks_and_is_not_a_task() -> None:
    # One person, 09:00-12:00. Task T0 09:00-09:10; T1 asked 09:05 waits; a hold asked at 09:06
    # until 09:30 takes the person at 09:10, before T1; T1 runs 09:30-09:35 (response 25).
    env, post = _one_person_post(Shift("A", 540, 720))
    _task_at(env, post, 540, 10)
    _task_at(env, post, 545, 5)

    def hold() -> Generator[simpy.Event, Any, None]:
        yield env.timeout(6)
        post.hold(1, 570)

    env.process(hold())
    env.run()
    assert post.trace == [(0, 540.0, 550.0), (0, 550.0, 570.0), (0, 570.0, 575.0)]
    assert list(post.response) == [0.0, 25.0] and post.tasks == 2
    assert post.busy_by_hour == {9: 35.0}


def test_working_through_a_whole_break_at_a_post_is_overtime() -> None:
    # Shift 09:00-12:00, break 10:00-10:10; a task 09:55-10:15 covers the whole break: the
    # 10 minutes of the break are overtime (and duty); then the person works on.
    env, post = _one_person_post(Shift("A", 540, 720, breaks=((600, 610),)))
    _task_at(env, post, 595, 20)
    _task_at(env, post, 596, 1)  # waits for the end of the first task: 10:15-10:16
    env.run()
    assert post.trace == [(0, 595.0, 615.0), (0, 615.0, 616.0)]
    assert post.overtime() == pytest.approx(10)
    assert sum(post.duty_by_hour.values()) == pytest.approx(180)  # 170 on shift + 10


def test_nobody_starts_a_task_at_the_instant_the_shift_ends() -> None:
    # Shift 09:00-10:00 with a break 09:30-09:40. T0 09:20-10:00 runs through the break (10 min
    # overtime) and ends exactly at the shift end; its end was scheduled (09:20) before the
    # shift-end event of 10:00 (09:40), so SimPy processes it first. T1, asked 09:50, is still
    # not started at 10:00: the shift is over, the post closes and T1 is withdrawn unserved.
    env, post = _one_person_post(Shift("A", 540, 600, breaks=((570, 580),)))
    _task_at(env, post, 560, 40)
    _task_at(env, post, 590, 1)
    env.run()
    assert post.trace == [(0, 560.0, 600.0)]
    assert post.unserved == 1 and post.closed
    assert post.overtime() == pytest.approx(10)


def test_a_delegation_never_signs() -> None:
    # V3: a delegation tours and leaves; it does not negotiate, so it cannot have signed, even
    # with every negotiating group signing (signing_share 1).
    _, day = _delegation_day(2, visitors__signing_share=1)
    (d,) = [r for r in rows(day).values() if r[V["source"]] == DELEGATION]
    assert d[V["outcome"]] == "served" and d[V["signed"]] is False
