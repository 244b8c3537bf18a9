"""Schedules are checked: gaps with nobody on a post while open, and shift overlaps."""

from __future__ import annotations

from sim.office.staffing_checks import schedule_warnings
from sim.scenario import derive, load_scenario
from tests.helpers import SCENARIOS


def test_shipped_scenarios_have_no_warnings() -> None:
    # early A 08:30-17:30 and late B 09:30-18:30 overlap, their lunches staggered: normal
    for name in ("weekend", "weekday", "yancheng_office"):
        assert schedule_warnings(load_scenario(SCENARIOS / f"{name}.yaml")) == []


def test_a_shift_inside_another_is_warned_about() -> None:
    base = load_scenario(SCENARIOS / "weekend.yaml")
    inner = derive(base, {"staffing.shifts.B": {"start": "09:00", "end": "12:00"}})
    assert any("overlap entirely" in w for w in schedule_warnings(inner))
    # the door (A1 + B1): A's lunch 11:30-12:30 is covered by B only until 12:00
    assert any("staffing.door" in w and "12:00–12:30" in w for w in schedule_warnings(inner))


def test_a_post_staffed_on_one_shift_only_has_a_gap() -> None:
    base = load_scenario(SCENARIOS / "weekend.yaml")
    gate_a_only = derive(base, {"staffing.gate.headcount": {"A": 1}})
    warnings = schedule_warnings(gate_a_only)
    # the early shift 08:30-17:30 leaves its lunch hour and the last half hour uncovered
    for gap in ("11:30–12:30", "17:30–18:00"):
        assert f"staffing.gate (门岗礼宾 L1): nobody on duty {gap} while the office is open" in (
            warnings
        )


def test_no_staffing_no_warnings() -> None:
    base = load_scenario(SCENARIOS / "weekend.yaml")
    bare = derive(base, {"staffing": None, "rotation.swap_teams_daily": False})  # R1 needs phones
    assert schedule_warnings(bare) == []
