"""Reps on shifts (``staffing.rep_shifts``): shift edges at the desk, written by hand.

A rep is given a group only while on shift (shifts are ``[start, end)``); a rep whose shift
ends during a visit finishes it, and the time past the shift end is overtime. Appointment
groups arrive exactly at the listed times and hold their rep for the sandbox time only.
"""

from __future__ import annotations

from typing import Any

import pytest

from sim.domain.results import VISIT_COLUMNS
from sim.model import DayResult, OfficeModel
from sim.scenario import ScenarioError
from tests.test_reception import build, inject, rows, staffing

V = {name: i for i, name in enumerate(VISIT_COLUMNS)}
REPS = [{"name": "r1", "team": "A"}, {"name": "r2", "team": "A"}]


def shift(start: str, end: str, *breaks: tuple[str, str]) -> dict[str, Any]:
    return {"start": start, "end": end, "breaks": [list(b) for b in breaks]}


def day_of(
    arrivals: list[str], sandbox: float, shifts: dict[str, Any], rep_shifts: dict[str, str],
    reps: list[dict[str, Any]] | None = None, **overrides: Any,
) -> DayResult:  # fmt: skip
    scenario = build(
        arrivals, reps or REPS, sandbox,
        staffing=staffing(shifts, rep_shifts=rep_shifts), **overrides,
    )  # fmt: skip
    return OfficeModel(scenario, 0).run()


def served(day: DayResult) -> list[tuple[float, float, int]]:
    """(arrival, assigned, rep) of every group, by arrival."""
    assert day.tables is not None
    return sorted(
        (float(r[V["arrival"]]), float(r[V["assigned"]]), int(r[V["rep"]]))  # type: ignore[arg-type,call-overload]
        for r in day.tables.visits
    )


def test_shift_edges_and_overtime() -> None:
    # r1 works A 09:00-10:00, r2 works B 10:00-12:00; 20 min a group.
    # 09:50: r1 serves 09:50-10:10: 10 min past its shift end (overtime).
    # 09:55: r1 busy, r2 not on yet: waits for r2's shift, 10:00-10:20.
    # 10:05: r1 finishes at 10:10 but its shift is over: no new group; waits for r2 at 10:20.
    shifts = {"A": shift("09:00", "10:00"), "B": shift("10:00", "12:00")}
    day = day_of(["09:50", "09:55", "10:05"], 20, shifts, {"r1": "A", "r2": "B"})
    assert served(day) == [(590.0, 590.0, 0), (595.0, 600.0, 1), (605.0, 620.0, 1)]
    r1, r2 = day.reps
    assert (r1.receptions, r1.overtime_min, r1.busy_min) == (1, 10.0, 20.0)
    assert (r2.receptions, r2.overtime_min, r2.busy_min) == (2, 0.0, 40.0)
    assert day.kpis["rep_overtime_min"] == 10.0


def test_overtime_counts_as_duty_in_rep_utilisation() -> None:
    # One rep, A 09:00-09:15, a group 09:00-09:19: busy 19 min over 15 on shift + 4 overtime.
    shifts = {"A": shift("09:00", "09:15")}
    day = day_of(["09:00"], 19, shifts, {"r1": "A"}, reps=REPS[:1])
    assert day.reps[0].overtime_min == 4.0
    assert day.kpis["rep_utilisation"] == pytest.approx(1.0)


def test_no_group_at_the_instant_a_shift_ends() -> None:
    # r1 works 09:00-10:00 and is free at 10:00; r2 starts 10:30. A group arriving exactly at
    # 10:00 is not given to r1 ([start, end)): it waits for r2 until 10:30.
    shifts = {"A": shift("09:00", "10:00"), "B": shift("10:30", "12:00")}
    day = day_of(["10:00"], 10, shifts, {"r1": "A", "r2": "B"})
    assert served(day) == [(600.0, 630.0, 1)]
    assert day.reps[0].overtime_min == 0.0


def test_a_group_at_the_instant_a_shift_starts_is_served_at_once() -> None:
    shifts = {"A": shift("09:00", "10:00"), "B": shift("10:30", "12:00")}
    day = day_of(["10:30"], 10, shifts, {"r1": "A", "r2": "B"})
    assert served(day) == [(630.0, 630.0, 1)]


def test_unlisted_reps_work_all_day() -> None:
    # Only r1 has a shift (A 09:00-10:00); r2 is on all day. A group at 11:00 goes to r2.
    shifts = {"A": shift("09:00", "10:00")}
    day = day_of(["11:00"], 10, shifts, {"r1": "A"})
    assert served(day) == [(660.0, 660.0, 1)]


def test_break_is_like_a_shift_end() -> None:
    # One rep, A 09:00-12:00 with a break 10:30-10:45; 10 min a group.
    # 10:25: served 10:25-10:35: 5 min into the break (overtime).
    # 10:36: during the break: waits until 10:45.
    shifts = {"A": shift("09:00", "12:00", ("10:30", "10:45"))}
    reps = REPS[:1]
    day = day_of(["10:25", "10:36"], 10, shifts, {"r1": "A"}, reps=reps)
    assert served(day) == [(625.0, 625.0, 0), (636.0, 645.0, 0)]
    assert day.reps[0].overtime_min == 5.0


def test_working_through_a_whole_break_is_overtime() -> None:
    # 10:25, 30 min: served 10:25-10:55, through the whole break 10:30-10:45: 15 min overtime.
    shifts = {"A": shift("09:00", "12:00", ("10:30", "10:45"))}
    day = day_of(["10:25"], 30, shifts, {"r1": "A"}, reps=REPS[:1])
    assert served(day) == [(625.0, 625.0, 0)]
    assert day.reps[0].overtime_min == 15.0


def test_group_after_the_last_rep_shift_is_accounted_for() -> None:
    # Both reps work 09:00-10:00 only; a group arrives 10:30 with unlimited patience: no rep
    # will come, the run (until empty) ends with it still waiting: counted as present.
    shifts = {"A": shift("09:00", "10:00")}
    day = day_of(["09:00", "10:30"], 10, shifts, {"r1": "A", "r2": "A"})
    k = day.kpis
    assert (k["groups_arrived"], k["groups_served"], k["present_at_end"]) == (2, 1, 1)
    assert day.tables is not None
    assert sorted(str(r[V["outcome"]]) for r in day.tables.visits) == ["present", "served"]


def test_overtime_still_running_at_closing_is_counted() -> None:
    # Day 09:00-10:00, stop at closing. One rep, A 09:00-09:30; a group 09:20 for 60 min is
    # still with the rep at 10:00: 30 min past the shift end by then.
    shifts = {"A": shift("09:00", "09:30")}
    day = day_of(
        ["09:20"], 60, shifts, {"r1": "A"}, reps=REPS[:1],
        day={"type": "weekday", "open": "09:00", "close": "10:00", "run_until": "close"},
    )  # fmt: skip
    assert day.reps[0].busy_min == 40.0
    assert day.reps[0].overtime_min == 30.0


def test_rep_shifts_must_name_known_reps() -> None:
    with pytest.raises(ScenarioError, match=r"staffing\.rep_shifts\.r3"):
        build(
            ["09:00"],
            REPS,
            10,
            staffing=staffing({"A": shift("09:00", "10:00")}, rep_shifts={"r3": "A"}),
        )


def test_duty_of_a_rep_in_overtime_at_closing_is_counted_once() -> None:
    # As above: on shift 09:00-09:30, overtime 09:30-10:00 (closing): duty 60, busy 40.
    shifts = {"A": shift("09:00", "09:30")}
    day = day_of(
        ["09:20"], 60, shifts, {"r1": "A"}, reps=REPS[:1],
        day={"type": "weekday", "open": "09:00", "close": "10:00", "run_until": "close"},
    )  # fmt: skip
    assert day.kpis["rep_utilisation"] == pytest.approx(40 / 60)


def test_no_group_for_a_rep_freed_at_the_instant_the_shift_ends() -> None:
    # r1: 09:00-10:00 with a break 09:30-09:40; r2: 10:30-12:00. Walk-ins, no negotiation.
    # W0 09:20 for 40 min: r1 serves 09:20-10:00, through the break (10 min overtime); its
    #   visit ends exactly at r1's shift end.
    # W1 09:50 waits; at 10:00 r1's shift is over: W1 waits for r2 until 10:30.
    shifts = {"A": shift("09:00", "10:00", ("09:30", "09:40")), "B": shift("10:30", "12:00")}
    scenario = build(
        ["11:00"], REPS, 10, staffing=staffing(shifts, rep_shifts={"r1": "A", "r2": "B"})
    )
    model = OfficeModel(scenario, 0)
    inject(model, 560, t_sandbox=40.0, t_walk_out=0.0)
    inject(model, 590, t_sandbox=10.0, t_walk_out=0.0)
    day = model.run()
    visits = rows(day)
    assert (visits[1001][V["assigned"]], visits[1001][V["rep"]]) == (630.0, 1)
    assert day.reps[0].overtime_min == 10.0
