"""Schedules are checked: gaps with nobody on a post while open, and shift overlaps."""

from __future__ import annotations

from sim.scenario import derive, load_scenario
from sim.staffing_checks import schedule_warnings
from tests.helpers import SCENARIOS


def test_shipped_weekend_warns_only_of_the_hand_over_overlap() -> None:
    warnings = schedule_warnings(load_scenario(SCENARIOS / "weekend.yaml"))
    assert warnings == ["staffing.shifts: A and B overlap (hand-over time is paid twice)"]


def test_a_post_staffed_on_one_shift_only_has_a_gap() -> None:
    base = load_scenario(SCENARIOS / "weekend.yaml")
    gate_a_only = derive(base, {"staffing.gate.headcount": {"A": 1, "B": 0}})
    warnings = schedule_warnings(gate_a_only)
    gap = "staffing.gate (门岗礼宾 L1): nobody on duty 16:00–18:00 while the office is open"
    assert gap in warnings


def test_no_staffing_no_warnings() -> None:
    base = load_scenario(SCENARIOS / "weekend.yaml")
    assert schedule_warnings(derive(base, {"staffing": None})) == []
