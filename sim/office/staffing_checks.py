"""Warnings about a scenario's schedules: posts left without staff while the office is open,
and a shift lying wholly inside another (a hand-over overlap such as A 08:30–16:00 with
B 13:00–20:30 is normal and not warned about)."""

from __future__ import annotations

from sim.core.clock import format_clock
from sim.core.shifts import overlaps, uncovered
from sim.domain.labels import POST_LABELS
from sim.scenario.schema import Scenario
from sim.scenario.staffing import build_shifts


def schedule_warnings(scenario: Scenario) -> list[str]:
    """One line per gap in a post's cover during opening hours, and per shift overlap."""
    staffing = scenario.staffing
    if staffing is None:
        return []
    shifts = build_shifts(staffing)
    day = scenario.day
    out: list[str] = []
    for key, (code, zh, _en) in POST_LABELS.items():
        spec = getattr(staffing, key)
        if spec is None:
            continue
        cover = {shifts[name]: n for name, n in spec.headcount.items() if n > 0}
        for a, b in uncovered(day.open, day.close, cover):
            out.append(
                f"staffing.{key} ({zh} {code}): nobody on duty {format_clock(a)}–{format_clock(b)} "
                "while the office is open"
            )
    rep_cover = {
        name: shifts[staffing.rep_shifts[name]]
        for name in (r.name for r in scenario.reps)
        if name in staffing.rep_shifts
    }
    if rep_cover and len(rep_cover) == len(scenario.reps):
        for a, b in uncovered(day.open, day.close, dict.fromkeys(rep_cover.values(), 1)):
            out.append(f"staffing.rep_shifts: no rep on duty {format_clock(a)}–{format_clock(b)}")
    for first, second in overlaps(shifts.values()):
        s1, s2 = shifts[first], shifts[second]
        inside = s1.start >= s2.start and s1.end <= s2.end
        if inside or (s2.start >= s1.start and s2.end <= s1.end):
            out.append(
                f"staffing.shifts: {first} and {second} overlap entirely "
                "(one lies inside the other: is one of them a copy?)"
            )
    return out
