"""Rep overtime after closing (issue 14): a rep without a shift works the opening hours; the
time spent finishing groups after closing is overtime, counted and in the duty time."""

from __future__ import annotations

from tests.rotation_script import Visit, run_script, script_scenario


def test_rep_without_a_shift_works_overtime_after_closing() -> None:
    """Open 09:00-18:00, one rep A1 with no shift. 17:40 group (30 min) -> A1 to 18:10: 10 min
    after closing. 17:50 group waits for A1, served 18:10-18:40: 30 min more. Overtime
    10 + 30 = 40 min; duty 9 h (540 min) + 40 = 580 min; busy 60 min."""
    scenario = script_scenario([("A1", "A", True)], rotation={"standing_by": 0})
    trace = run_script(scenario, [Visit("17:40", 30), Visit("17:50", 30)], policy="round_robin")
    assert trace.assignments == [(0, "A1", "17:40"), (1, "A1", "18:10")]
    a1 = trace.rep("A1")
    assert (a1.overtime, a1.duty_time, a1.busy_time) == (40, 580, 60)
    assert trace.day.kpis["rep_overtime_min"] == 40


def test_no_overtime_when_the_work_ends_by_closing() -> None:
    """A 17:00 group of 30 min ends 17:30: no overtime; duty is the 540 opening minutes."""
    scenario = script_scenario([("A1", "A", True)], rotation={"standing_by": 0})
    trace = run_script(scenario, [Visit("17:00", 30)], policy="round_robin")
    assert (trace.rep("A1").overtime, trace.rep("A1").duty_time) == (0, 540)
