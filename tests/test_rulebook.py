"""The rotation rulebook, rule by rule (DOMAIN.md R1–R12, V1–V4): hand-checked traces.

Each test scripts groups (and calls) at exact times with fixed durations and compares the
assignments with a list written by hand from the rule cited. ``standing_by: 0`` switches the
R4 lending off where a test is about another rule. Reps: visit group A (A1, A2, A3), phone
group B (B1, B2, B3) unless said otherwise.
"""

from __future__ import annotations

import pytest

from sim.domain.labels import APPOINTMENT, DELEGATION
from tests.rotation_script import Ring, Visit, run_script, script_scenario

A3 = [("A1", "A", True), ("A2", "A", True), ("A3", "A", True)]
AB = [*A3, ("B1", "B", True), ("B2", "B", True), ("B3", "B", True)]
NO_LENDING = {"standing_by": 0}


def test_r1_visit_and_phone_groups_swap_daily() -> None:
    # R1: day 0 A visits and B phones; day 1 (replication 1) they swap. The same two groups
    # arrive both days and go to the first two reps of the day's visit group.
    scenario = script_scenario(
        AB, phone_team="B", rotation={"swap_teams_daily": True, "standing_by": 0}
    )
    visits = [Visit("09:00"), Visit("09:01")]
    day0 = run_script(scenario, visits, replication=0)
    day1 = run_script(scenario, visits, replication=1)
    assert day0.assignments == [(0, "A1", "09:00"), (1, "A2", "09:01")]
    assert day1.assignments == [(0, "B1", "09:00"), (1, "B2", "09:01")]
    assert (day0.model.policy.office.phone_team, day1.model.policy.office.phone_team) == (
        "B",
        "A",
    )


def test_r1_visitors_first_the_phone_group_does_not_take_walk_ins() -> None:
    # R1 with no lending: all of A busy, the walk-in waits for A1 although B is idle.
    scenario = script_scenario(AB, phone_team="B", rotation=NO_LENDING)
    visits = [Visit("09:00"), Visit("09:01"), Visit("09:02"), Visit("09:10")]
    got = run_script(scenario, visits).assignments
    assert got == [(0, "A1", "09:00"), (1, "A2", "09:01"), (2, "A3", "09:02"), (3, "A1", "09:30")]


def test_r2_appointments_and_walk_ins_side_by_side() -> None:
    # R2: A2's booked group at 10:00 goes to A2; the walk-ins of 10:00 and 10:05 take the
    # rotation meanwhile (A1 on turn, then A3).
    scenario = script_scenario(A3, rotation=NO_LENDING)
    visits = [
        Visit("10:00", 60, APPOINTMENT, owner="A2", designated=True),
        Visit("10:00"),
        Visit("10:05"),
    ]
    got = run_script(scenario, visits).assignments
    assert got == [(0, "A2", "10:00"), (1, "A1", "10:00"), (2, "A3", "10:05")]


def test_r3_own_turn_order_and_a_rest_day_passes_without_a_skip() -> None:
    # R3: the order is the list order A1, A2, A3. A2 starts at 13:00 (rest until then): passed
    # over with no turn lost; on arrival A2 is first in the order.
    # 09:00 A1 -> [A2 A3 A1]; 09:10 A2 off -> A3 -> [A2 A1 A3]; 09:20 -> A1 -> [A2 A3 A1];
    # 13:05 -> A2.
    scenario = script_scenario(A3, rotation=NO_LENDING, rep_shifts={"A2": ("13:00", "18:00")})
    visits = [Visit("09:00", 5), Visit("09:10", 5), Visit("09:20", 5), Visit("13:05", 5)]
    trace = run_script(scenario, visits)
    assert trace.assignments == [
        (0, "A1", "09:00"),
        (1, "A3", "09:10"),
        (2, "A1", "09:20"),
        (3, "A2", "13:05"),
    ]
    assert trace.rep("A2").skipped == 0


def test_r4_r9_r3_lending_keeps_a_phone_rep_and_r8_make_up_phone_turns() -> None:
    """R4/R9 lending in support order, R3 "接电组确保来电接听" (the last free phone rep is never
    lent; an idle lent rep answers a call), R8 make-up phone turn, R10 phone turns.

    Reps A1 A2 (visit), B1 B2 B3 (phone; phone and support order B1 B2 B3).
    09:00 a 30 s call -> B1 (R10: phone order [B2 B3 B1]).
    R4 "接访组除必须保证案场二位销售员等候值守 … 安排接电组支持": two A reps must stand by.
    09:01 g0 -> A1: one A free, so B1 is lent (support [B2 B3 B1]). 09:05 g1 -> A2: no A free,
    one lent: B2 is lent too (support [B3 B1 B2]). 09:10 g2 (10 min) -> B1, the first lent
    rep. Only one lent rep (B2) is free now, but B3 is the last phone rep off loan: R3 keeps
    them on the phones, no third loan. 09:12 call (5 min) -> B3 (phone order [B2 B1 B3]).
    09:15 call -> no phone rep off loan is free, so the idle lent B2 answers (order
    [B1 B3 B2]). 09:31 A1 and 09:35 A2 are free: two A stand by, B1 and B2 go back; B1 helped
    and is owed a make-up phone turn (R8), B2 did not. 10:00 call -> B1 by the make-up;
    10:01 -> B3, first free in the phone order [B1 B3 B2].
    """
    reps = [("A1", "A", True), ("A2", "A", True), *AB[3:]]
    scenario = script_scenario(reps, phone_team="B")
    visits = [Visit("09:01"), Visit("09:05"), Visit("09:10", 10)]
    calls = [Ring("09:00", 0.5), Ring("09:12", 5), Ring("09:15", 2), Ring("10:00", 5)]
    calls.append(Ring("10:01", 5))
    trace = run_script(scenario, visits, calls)
    assert trace.assignments == [(0, "A1", "09:01"), (1, "A2", "09:05"), (2, "B1", "09:10")]
    assert trace.calls == [
        (0, "B1", "09:00"),
        (1, "B3", "09:12"),
        (2, "B2", "09:15"),
        (3, "B1", "10:00"),
        (4, "B3", "10:01"),
    ]
    kpis = trace.day.kpis
    assert (kpis["turns_lent"], kpis["phone_makeups"], kpis["turns_made_up"]) == (2, 1, 1)
    assert [trace.rep(n).lent for n in ("B1", "B2", "B3")] == [1, 1, 0]
    assert kpis["calls_within_rings_share"] == 1
    assert trace.model.policy.lent == []  # type: ignore[attr-defined]


def test_r3_the_last_free_phone_rep_is_never_lent() -> None:
    """R3 "接电组确保来电接听" against R4: with one phone rep, no loan is made and the 09:02 call
    is answered at once; the visitor waits for the visit group instead."""
    reps = [("A1", "A", True), ("A2", "A", True), ("B1", "B", True)]
    scenario = script_scenario(reps, phone_team="B")
    visits = [Visit("09:00"), Visit("09:01"), Visit("09:02", 10)]
    trace = run_script(scenario, visits, [Ring("09:02", 2)])
    assert trace.assignments == [(0, "A1", "09:00"), (1, "A2", "09:01"), (2, "A1", "09:30")]
    assert trace.calls == [(0, "B1", "09:02")]
    assert trace.rep("B1").lent == 0


def test_r1_visitors_first_when_no_visit_rep_is_on_duty() -> None:
    """R1 "以满足接访为第一原则" over R3: the visit group's only rep A1 starts at 13:00; at 09:00
    nobody of the visit group is on duty, so the last phone rep B1 is lent and receives the
    walk-in (the R3 reserve holds only while the visit group has someone on duty)."""
    reps = [("A1", "A", True), ("B1", "B", True)]
    scenario = script_scenario(reps, phone_team="B", rep_shifts={"A1": ("13:00", "18:00")})
    trace = run_script(scenario, [Visit("09:00")])
    assert trace.assignments == [(0, "B1", "09:00")]
    assert trace.rep("B1").lent == 1


def test_r1_visitors_first_also_with_nobody_standing_by() -> None:
    """R1 over R3 and R4 with ``standing_by: 0``: the phone group's only rep B1 and no visit
    rep at all; the stand-by rule never asks for a loan, yet the walk-in must be received, so B1
    is lent (found by the slow invariant test: the group waited past the last shift)."""
    scenario = script_scenario(
        [("B1", "B", True)], phone_team="B", rotation={"standing_by": 0}
    )
    trace = run_script(scenario, [Visit("09:00")])
    assert trace.assignments == [(0, "B1", "09:00")]
    assert trace.rep("B1").lent == 1


def test_r9_support_taken_in_turn_whether_used_or_not() -> None:
    # R9: 09:00 g0 -> A1 (order [A2 A1]); B1 is lent (unused); 09:30 A1 free: B1 goes back
    # with no make-up (it helped nobody, R8). 10:00 g1 -> A2: the next lend is B2, not B1.
    scenario = script_scenario(AB[:2] + AB[3:5], phone_team="B")
    trace = run_script(scenario, [Visit("09:00"), Visit("10:00")])
    assert trace.assignments == [(0, "A1", "09:00"), (1, "A2", "10:00")]
    assert [trace.rep(n).lent for n in ("B1", "B2")] == [1, 1]
    assert trace.day.kpis["phone_makeups"] == 0


def test_r4a_make_up_turn_after_an_appointment() -> None:
    # R4a: the 09:00 booked group (no named rep) takes A1's turn and A1 is owed a make-up:
    # at 09:30 A1 gets the walk-in although A2 is on turn; at 09:31 A2 gets the next one.
    scenario = script_scenario(A3, rotation=NO_LENDING)
    visits = [Visit("09:00", 20, APPOINTMENT), Visit("09:30", 10), Visit("09:31", 10)]
    trace = run_script(scenario, visits)
    assert trace.assignments == [(0, "A1", "09:00"), (1, "A1", "09:30"), (2, "A2", "09:31")]
    assert trace.rep("A1").made_up == 1
    plain = run_script(scenario, visits, policy="round_robin").assignments
    assert plain == [(0, "A1", "09:00"), (1, "A2", "09:30"), (2, "A3", "09:31")]


def test_r4a_can_be_switched_off() -> None:
    scenario = script_scenario(A3, rotation={"standing_by": 0, "makeup_after_appointment": False})
    visits = [Visit("09:00", 20, APPOINTMENT), Visit("09:30", 10)]
    assert run_script(scenario, visits).assignments[1] == (1, "A2", "09:30")


def test_r5_non_sales_use_no_turn_surveys_do() -> None:
    # R5: the 09:00 non-sales visitor is received at the desk with no rep; the 09:01 survey
    # takes A1's turn; the 09:02 walk-in goes to A2.
    scenario = script_scenario(A3, rotation=NO_LENDING)
    visits = [Visit("09:00", non_sales=True), Visit("09:01", 10, survey=True), Visit("09:02")]
    trace = run_script(scenario, visits)
    assert trace.assignments == [(1, "A1", "09:01"), (2, "A2", "09:02")]
    kpis = trace.day.kpis
    assert (kpis["non_sales"], kpis["surveys"], kpis["turns_granted"]) == (1, 1, 2)
    assert trace.groups[1].departure == 9 * 60 + 11  # a short talk, then out


def test_r6_returning_customer_to_own_rep_whose_turn_is_used() -> None:
    # R6: A2's returning customer at 09:00 goes to A2; A2's turn is used (A2 to the back:
    # [A1 A3 A2]) and A1, on turn, keeps it: 09:05 -> A1, 09:06 -> A3.
    scenario = script_scenario(A3, rotation=NO_LENDING)
    visits = [Visit("09:00", owner="A2", returning=True), Visit("09:05"), Visit("09:06")]
    trace = run_script(scenario, visits)
    assert trace.assignments == [(0, "A2", "09:00"), (1, "A1", "09:05"), (2, "A3", "09:06")]
    assert (trace.rep("A2").turns, trace.rep("A2").skipped) == (1, 0)


def test_r6_waits_for_the_busy_own_rep_within_the_set_wait() -> None:
    # A1 is busy 09:00-09:15; A1's returning customer arrives 09:10 and waits 5 min for A1
    # (the wait is 10), though A2 and A3 are free.
    scenario = script_scenario(A3, rotation=NO_LENDING)
    visits = [Visit("09:00", 15), Visit("09:10", owner="A1", returning=True)]
    trace = run_script(scenario, visits)
    assert trace.assignments == [(0, "A1", "09:00"), (1, "A1", "09:15")]
    assert trace.day.kpis["own_rep_wait_mean"] == 5


def test_r6_fallback_after_the_wait_earns_a_make_up_turn() -> None:
    # A1 is busy 09:00-10:00. A1's returning customer arrives 09:10, waits the 10 minutes,
    # then at 09:20 goes to the rotation: A2 on turn serves (turn used, [A3 A1 A2]) and is
    # owed a make-up. 09:30: A2 (free since 09:25) uses it; 09:31: A3 by turn.
    scenario = script_scenario(A3, rotation=NO_LENDING)
    visits = [
        Visit("09:00", 60),
        Visit("09:10", 5, owner="A1", returning=True),
        Visit("09:30", 10),
        Visit("09:31", 10),
    ]
    trace = run_script(scenario, visits)
    assert trace.assignments == [
        (0, "A1", "09:00"),
        (1, "A2", "09:20"),
        (2, "A2", "09:30"),
        (3, "A3", "09:31"),
    ]
    kpis = trace.day.kpis
    assert (kpis["own_rep_fallbacks"], kpis["makeups_granted"], kpis["turns_made_up"]) == (1, 1, 1)


def test_r6_off_duty_own_rep_means_no_wait() -> None:
    # A2 is off until 13:00: A2's returning customer at 09:00 is served at once by A1 (on turn).
    scenario = script_scenario(A3, rotation=NO_LENDING, rep_shifts={"A2": ("13:00", "18:00")})
    trace = run_script(scenario, [Visit("09:00", owner="A2", returning=True)])
    assert trace.assignments == [(0, "A1", "09:00")]


def test_r7_named_rep_not_on_turn_skips_their_turn() -> None:
    # R7: A2 is named at 09:00 while A1 is on turn: A2 serves, A2's turn is skipped (轮空) and
    # A2 rejoins at the back ([A1 A3 A2]): 09:05 -> A1, 09:06 -> A3.
    scenario = script_scenario(A3, rotation=NO_LENDING)
    visits = [Visit("09:00", owner="A2", designated=True), Visit("09:05"), Visit("09:06")]
    trace = run_script(scenario, visits)
    assert trace.assignments == [(0, "A2", "09:00"), (1, "A1", "09:05"), (2, "A3", "09:06")]
    assert (trace.rep("A2").turns, trace.rep("A2").skipped) == (0, 1)


def test_r7_named_rep_on_turn_just_takes_the_turn() -> None:
    scenario = script_scenario(A3, rotation=NO_LENDING)
    trace = run_script(scenario, [Visit("09:00", owner="A1", designated=True), Visit("09:05")])
    assert trace.assignments == [(0, "A1", "09:00"), (1, "A2", "09:05")]
    assert (trace.rep("A1").turns, trace.rep("A1").skipped) == (1, 0)


def test_r6_own_rep_standing_last_still_spends_the_rounds_turn() -> None:
    """R6 "当值销售员不计一轮接待,原接待人员按一轮接待处理": the returning customer's reception is
    A3's turn of the round although A3 stands last (order [A1 A2 A3]). Each group holds its
    rep 1 min. 09:00 -> A3 (own rep; A3 keeps the place, the round's turn spent); 09:05 -> A1
    ([A2 A3 A1]); 09:10 -> A2 ([A3 A1 A2]); 09:15 A3 is first but already had this round's
    turn: passed over ([A1 A2 A3]) -> A1; 09:20 -> A2; 09:25 -> A3. (Moving A3 to the back at
    09:00 would change nothing and give A3 the 09:15 group: two receptions in one round.)"""
    scenario = script_scenario(A3, rotation=NO_LENDING)
    visits = [Visit("09:00", 1, owner="A3", returning=True)]
    visits += [Visit(f"09:{m:02d}", 1) for m in (5, 10, 15, 20, 25)]
    trace = run_script(scenario, visits)
    assert [rep for _, rep, _ in trace.assignments] == ["A3", "A1", "A2", "A1", "A2", "A3"]
    assert (trace.rep("A3").turns, trace.rep("A3").skipped) == (2, 0)


def test_r7_named_rep_standing_last_loses_the_next_turn() -> None:
    """R7 "该销售员为接访组销售员但非当值接待员的,接待完毕后按轮空处理,等下一轮再按顺序轮值":
    A3 is named at 09:00 while A1 is on turn and A3 stands last ([A1 A2 A3]); each group holds
    its rep 1 min. 09:05 -> A1, 09:10 -> A2, 09:15 A3's turn is 轮空 -> A1, 09:20 -> A2,
    09:25 -> A3 (the next round). Plain moving to the back would cost A3 nothing."""
    scenario = script_scenario(A3, rotation=NO_LENDING)
    visits = [Visit("09:00", 1, owner="A3", designated=True)]
    visits += [Visit(f"09:{m:02d}", 1) for m in (5, 10, 15, 20, 25)]
    trace = run_script(scenario, visits)
    assert [rep for _, rep, _ in trace.assignments] == ["A3", "A1", "A2", "A1", "A2", "A3"]
    assert (trace.rep("A3").turns, trace.rep("A3").skipped) == (1, 1)


def test_r4a_named_booking_earns_the_make_up_without_an_r7_skip() -> None:
    """R4a "接待预约客户的销售员完成后可以补充一次接访机会" and R7: A2's own booking at 09:00 (A1
    on turn) is served by A2 outside the rotation: no turn, no 轮空, and A2 is owed a make-up.
    Each group holds its rep 1 min. 09:05 -> A2 by the make-up (order unchanged [A1 A2 A3]);
    09:10 -> A1; 09:15 -> A2 (their turn, not lost); 09:20 -> A3."""
    scenario = script_scenario(A3, rotation=NO_LENDING)
    visits = [Visit("09:00", 1, APPOINTMENT, owner="A2", designated=True)]
    visits += [Visit(f"09:{m:02d}", 1) for m in (5, 10, 15, 20)]
    trace = run_script(scenario, visits)
    assert [rep for _, rep, _ in trace.assignments] == ["A2", "A2", "A1", "A2", "A3"]
    a2 = trace.rep("A2")
    assert (a2.turns, a2.skipped, a2.made_up) == (1, 0, 1)


def test_r7_named_phone_rep_skips_a_phone_turn() -> None:
    """R7 "…按轮空处理,等下一轮再按顺序轮值;同样适用于接电组员工": B2 is named at 09:00 while B1
    is on phone turn. B2 serves (to 09:30) and keeps their place, their next phone turn
    charged: order [B1 B2 B3]. Calls: 09:05 -> B1 ([B2 B3 B1]); 09:06 -> B3 (B2 busy, keeps
    the place: [B2 B1 B3]); 10:00 B2 is first but loses this turn (to the back, [B1 B3 B2])
    -> B1; 10:01 -> B3; 10:02 -> B2, back in the order."""
    scenario = script_scenario(AB, phone_team="B", rotation=NO_LENDING)
    visits = [Visit("09:00", owner="B2", designated=True)]
    calls = [Ring("09:05"), Ring("09:06"), Ring("10:00"), Ring("10:01"), Ring("10:02")]
    trace = run_script(scenario, visits, calls)
    assert trace.assignments == [(0, "B2", "09:00")]
    assert trace.calls == [
        (0, "B1", "09:05"),
        (1, "B3", "09:06"),
        (2, "B1", "10:00"),
        (3, "B3", "10:01"),
        (4, "B2", "10:02"),
    ]
    assert trace.rep("B2").skipped == 1


def test_r10_every_answered_call_is_a_phone_turn() -> None:
    # R10: order B1 B2 B3. 09:00 (30 min) -> B1; 09:05 (1 min) -> B2; 09:10 -> B3;
    # 09:20 -> B2 (B1 still on the 09:00 call; order [B1 B2 B3] -> B2 is first free);
    # 09:40 -> B1 (order [B1 B3 B2]).
    scenario = script_scenario(AB, phone_team="B", rotation=NO_LENDING)
    calls = [Ring("09:00", 30), Ring("09:05", 1), Ring("09:10", 1), Ring("09:20", 1)]
    calls.append(Ring("09:40", 1))
    trace = run_script(scenario, [], calls)
    assert [(rep, t) for _, rep, t in trace.calls] == [
        ("B1", "09:00"),
        ("B2", "09:05"),
        ("B3", "09:10"),
        ("B2", "09:20"),
        ("B1", "09:40"),
    ]
    assert [trace.rep(n).calls for n in ("B1", "B2", "B3")] == [2, 2, 1]


def test_r11_appointments_booked_into_quiet_periods() -> None:
    # R11: walk-ins 10/h except 12:00-14:00 at 2/h; hourly slots 09:00..17:00 have mean rate
    # (7*10 + 2*2)/9 = 8.2, so only 12:00 and 13:00 are quiet and every booking lands there.
    from sim.model import simulate_day
    from sim.scenario import validate_scenario
    from tests.helpers import scenario_dict

    data = scenario_dict("weekday")
    data["arrivals"]["walk_in"] = [
        {"from": "09:00", "rate": 10}, {"from": "12:00", "rate": 2}, {"from": "14:00", "rate": 10}
    ]  # fmt: skip
    data["arrivals"]["appointments"] |= {
        "count": 30, "window": ["09:00", "17:00"], "slot_min": 60, "times": None,
    }  # fmt: skip
    booked = {}
    for mode in ("quiet", "anywhere"):
        data["arrivals"]["appointments"]["booking"] = mode
        day = simulate_day(validate_scenario(data, "r11"), seed=5)
        assert day.tables is not None
        booked[mode] = {row[9] for row in day.tables.visits if row[1] == APPOINTMENT}
    assert booked["quiet"] == {720.0, 780.0}
    assert len(booked["anywhere"]) > 2


def test_r12_media_open_day_receives_no_customers() -> None:
    scenario = script_scenario(A3, day_type="media", rotation=NO_LENDING)
    visits = [Visit("09:00"), Visit("09:05", non_sales=True)]
    trace = run_script(scenario, visits)
    assert trace.assignments == []
    kpis = trace.day.kpis
    assert (kpis["not_received"], kpis["non_sales"], kpis["groups_served"]) == (1, 1, 0)
    # the rule is Longfor's: plain rotation receives them
    assert run_script(scenario, visits, policy="round_robin").assignments == [(0, "A1", "09:00")]


# -- Vanke rules ------------------------------------------------------------------------------
AGENCIES = [("X1", "万科", True), ("Y1", "代理", True), ("X2", "万科", True), ("Y2", "代理", True)]


def test_v1_weekday_one_shared_rotation() -> None:
    scenario = script_scenario(AGENCIES)
    visits = [Visit(f"09:0{i}") for i in range(4)]
    got = run_script(scenario, visits, policy="joint_agency").assignments
    assert [rep for _, rep, _ in got] == ["X1", "Y1", "X2", "Y2"]
    assert got[-1][2] == "09:03"


def test_v1_weekend_grab_costs_the_group_and_the_reps() -> None:
    # V1 grab, everybody rushes (approach_share 1), a dispute costs 3 minutes. Two reps free
    # at 09:00: both rush g0 (incident of 2). The winner serves 09:00, the group's visit is
    # 3 minutes longer (09:33 out); the loser is held to 09:03, so g1 (09:01) waits for them
    # and is alone with one free rep: no incident.
    reps = AGENCIES[:2]
    rotation = {"joint_agency": {"approach_share": 1.0, "dispute": {"dist": "fixed", "value": 3}}}
    scenario = script_scenario(reps, day_type="weekend", rotation=rotation)
    trace = run_script(scenario, [Visit("09:00"), Visit("09:01")], policy="joint_agency")
    (g0, first, t0), (g1, second, t1) = trace.assignments
    assert (g0, t0, g1, t1) == (0, "09:00", 1, "09:03") and {first, second} == {"X1", "Y1"}
    assert trace.groups[0].departure == 9 * 60 + 33
    kpis = trace.day.kpis
    assert (kpis["grab_incidents"], kpis["grab_reps_mean"]) == (1, 2)
    assert (kpis["grab_group_min"], kpis["grab_rep_min"]) == (3, 6)
    assert kpis["grabbed_share"] == 0.5


@pytest.mark.parametrize("mode, rush", [("shared", 1.0), ("grab", 0.0)])
def test_v1_no_grabbing_in_shared_mode_or_when_nobody_rushes(mode: str, rush: float) -> None:
    rotation = {"joint_agency": {"weekend_mode": mode, "approach_share": rush}}
    scenario = script_scenario(AGENCIES, day_type="weekend", rotation=rotation)
    trace = run_script(scenario, [Visit("09:00"), Visit("09:01")], policy="joint_agency")
    assert trace.assignments == [(0, "X1", "09:00"), (1, "Y1", "09:01")]
    assert trace.day.kpis["grab_incidents"] == 0


def test_v1_grabbing_is_between_the_agencies_not_within_one() -> None:
    """V1 "去抢对方公司的客户" (seed 002): with everybody willing to rush (approach_share 1), only
    each agency's rep on turn goes: X1 (万科, first free) and Y1 (代理) rush the 09:00 group,
    an incident of 2, not 4. Two reps of one agency alone never grab: X1 serves, no incident."""
    rotation = {"joint_agency": {"approach_share": 1.0, "dispute": {"dist": "fixed", "value": 3}}}
    both = script_scenario(AGENCIES, day_type="weekend", rotation=rotation)
    kpis = run_script(both, [Visit("09:00")], policy="joint_agency").day.kpis
    assert (kpis["grab_incidents"], kpis["grab_reps_mean"], kpis["grab_rep_min"]) == (1, 2, 6)
    one = script_scenario([AGENCIES[0], AGENCIES[2]], day_type="weekend", rotation=rotation)
    trace = run_script(one, [Visit("09:00")], policy="joint_agency")
    assert trace.assignments == [(0, "X1", "09:00")]
    assert trace.day.kpis["grab_incidents"] == 0


def test_v2_important_groups_only_to_experienced_reps() -> None:
    # V2: N1 (new) is on turn; the important group goes to E1, the next walk-in to N1.
    # Plain rotation would give N1 the important group.
    scenario = script_scenario([("N1", "A", False), ("E1", "A", True)])
    visits = [Visit("09:00", important=True), Visit("09:01")]
    trace = run_script(scenario, visits, policy="experienced_for_important")
    assert trace.assignments == [(0, "E1", "09:00"), (1, "N1", "09:01")]
    plain = run_script(scenario, visits, policy="round_robin").assignments
    assert plain == [(0, "N1", "09:00"), (1, "E1", "09:01")]


@pytest.mark.parametrize("policy", ["experienced_for_important", "longfor"])
def test_v2_with_no_experienced_rep_on_duty_the_rotation_receives(policy: str) -> None:
    """V2 with nobody to honour it: E1, the only experienced rep, works 09:00-09:10 and is
    busy until 09:30 (overtime), then goes home. The important 09:05 group waits for E1 while
    E1 is on shift; once E1 has left, no experienced rep is on duty, so N1 receives it (found by
    the slow invariant test: the group was left waiting past the last shift)."""
    rotation = {"standing_by": 0, "important_to_experienced": True}
    scenario = script_scenario(
        [("E1", "A", True), ("N1", "A", False)],
        rotation=rotation,
        rep_shifts={"E1": ("09:00", "09:10")},
    )
    visits = [Visit("09:00"), Visit("09:05", important=True)]
    trace = run_script(scenario, visits, policy=policy)
    assert trace.assignments == [(0, "E1", "09:00"), (1, "N1", "09:30")]


def test_v2_combined_with_longfor() -> None:
    """V2 "重要客户…由熟手接待" with the Longfor rules (``important_to_experienced``): N1 (new)
    is on turn; the important 09:00 group goes to E1, N1 keeps the place and takes the 09:01
    walk-in. Without the switch the important group goes to N1, on turn."""
    reps = [("N1", "A", False), ("E1", "A", True)]
    visits = [Visit("09:00", important=True), Visit("09:01")]
    both = script_scenario(reps, rotation={"standing_by": 0, "important_to_experienced": True})
    assert run_script(both, visits).assignments == [(0, "E1", "09:00"), (1, "N1", "09:01")]
    plain = script_scenario(reps, rotation=NO_LENDING)
    assert run_script(plain, visits).assignments == [(0, "N1", "09:00"), (1, "E1", "09:01")]


def test_v3_delegation_follows_the_normal_rotation() -> None:
    # V3: a delegation takes the rep on turn like any group (A2 after A1), with no make-up turn.
    scenario = script_scenario(A3, rotation=NO_LENDING)
    visits = [Visit("09:00"), Visit("09:05", 60, DELEGATION), Visit("09:10")]
    trace = run_script(scenario, visits)
    assert trace.assignments == [(0, "A1", "09:00"), (1, "A2", "09:05"), (2, "A3", "09:10")]
    assert trace.day.kpis["makeups_granted"] == 0


def test_v3_a_large_delegation_gets_several_reps() -> None:
    """V3, seed 003 "如果贵宾人多,则需多名置业顾问跟随客户进行讲解": with people_per_rep 10 a
    delegation of 25 gets ceil(25/10) = 3 reps. Plain rotation, reps A1 A2 A3 A4, each group 30
    min. 09:00 a walk-in of 2 -> A1 (order [A2 A3 A4 A1]). 09:05 the delegation -> A2 on turn
    ([A3 A4 A1 A2]); the two further reps are the free ones with the fewest receptions, A3 and
    A4, held to 09:35 and taking no turn. 09:10 a walk-in waits: A1 is free at 09:30 and first
    free in the order -> A1. 09:35 the helpers are freed before A2: 09:36 walk-in -> A3."""
    reps = [*A3, ("A4", "A", True)]
    scenario = script_scenario(reps, rotation=NO_LENDING)
    visits = [Visit("09:00"), Visit("09:05", source=DELEGATION, size=25)]
    visits += [Visit("09:10"), Visit("09:36")]
    trace = run_script(scenario, visits, policy="round_robin")
    assert trace.assignments == [
        (0, "A1", "09:00"),
        (1, "A2", "09:05"),
        (2, "A1", "09:30"),
        (3, "A3", "09:36"),
    ]
    assert [trace.rep(n).busy_time for n in ("A3", "A4")] == [30 + 30, 30]
    assert trace.day.kpis["extra_reps"] == 2
    small = script_scenario(reps, rotation={"standing_by": 0, "people_per_rep": 30})
    alone = run_script(small, visits, policy="round_robin")
    assert alone.day.kpis["extra_reps"] == 0
    assert alone.assignments[2] == (2, "A3", "09:10")


MENTOR = {"mentor_new_reps": True}


def test_v4_new_rep_signs_with_a_mentor_beside_them() -> None:
    # V4 under round_robin, order N1 E1 E2. 09:00 g0 -> N1 (10 min sandbox, 20 negotiation):
    # signing at 09:30 needs a mentor: E1 (own team, none mentored yet) is held 09:30-10:00.
    # 09:35 g1 -> E2 (N1 and E1 busy). 09:45 g2 waits; 10:00 E1 is freed by the signing's end
    # before N1 walks the group out, and E1 is first in the order [E1 N1 E2]: g2 -> E1.
    reps = [("N1", "A", False), ("E1", "A", True), ("E2", "A", True)]
    scenario = script_scenario(reps, rotation=MENTOR)
    visits = [
        Visit("09:00", 10, negotiate=20, sign=30),
        Visit("09:35", 60),
        Visit("09:45", 10),
    ]
    trace = run_script(scenario, visits, policy="round_robin")
    assert trace.assignments == [(0, "N1", "09:00"), (1, "E2", "09:35"), (2, "E1", "10:00")]
    assert trace.rep("E1").mentored == 1
    kpis = trace.day.kpis
    assert (kpis["mentor_signings"], kpis["mentor_wait_mean"], kpis["mentor_rep_min"]) == (1, 0, 30)


def test_v4_signing_waits_for_a_busy_mentor() -> None:
    # N1's group reaches signing at 09:30; E1 is busy until 09:45: the signing waits 15 min
    # and ends 10:15. Without mentoring it would end 10:00.
    reps = [("N1", "A", False), ("E1", "A", True)]
    visits = [Visit("09:00", 10, negotiate=20, sign=30), Visit("09:05", 40)]
    trace = run_script(script_scenario(reps, rotation=MENTOR), visits, policy="round_robin")
    assert trace.groups[0].departure == 10 * 60 + 15
    assert trace.day.kpis["mentor_wait_mean"] == 15
    alone = run_script(script_scenario(reps), visits, policy="round_robin")
    assert alone.groups[0].departure == 10 * 60


def test_v4_experienced_rep_needs_no_mentor() -> None:
    reps = [("E1", "A", True), ("N1", "A", False)]
    visits = [Visit("09:00", 10, negotiate=20, sign=30)]
    trace = run_script(script_scenario(reps, rotation=MENTOR), visits, policy="round_robin")
    assert trace.day.kpis["mentor_signings"] == 0
    assert trace.rep("N1").busy_time == 0


def test_r3_front_desk_receptionist_answers_first() -> None:
    """R3 "接电组确保来电接听" and P1 with a front-desk receptionist (the backup_reception post,
    ``receptionist_answers_first``): she answers at the first ring when free, before any rep.
    09:00 call (5 min) -> the receptionist; 09:01 (she is busy) -> B1, the phone rep; 09:10
    -> the receptionist again. Without the switch the 09:00 and 09:10 calls go to B1."""
    desk = {"headcount": {"day": 1}, "task": {"dist": "fixed", "value": 1}}
    reps = [("A1", "A", True), ("B1", "B", True)]
    calls = [Ring("09:00", 5), Ring("09:01", 2), Ring("09:10", 2)]
    first = script_scenario(
        reps, phone_team="B", rotation=NO_LENDING,
        phones={"receptionist_answers_first": True}, posts={"backup_reception": desk},
    )  # fmt: skip
    trace = run_script(first, [], calls)
    receptionist = trace.model.reception.posts["backup_reception"].people[0].name  # type: ignore[union-attr]
    assert trace.calls == [
        (0, receptionist, "09:00"),
        (1, "B1", "09:01"),
        (2, receptionist, "09:10"),
    ]
    assert trace.day.kpis["calls_within_rings_share"] == 1
    plain = script_scenario(
        reps, phone_team="B", rotation=NO_LENDING, posts={"backup_reception": desk}
    )
    assert [rep for _, rep, _ in run_script(plain, [], calls).calls] == ["B1", "A1", "B1"]
