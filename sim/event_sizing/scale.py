"""A launch day scaled by attendance (issue 17 item 1): attendance, the waiting area's seats,
parking spaces and every sized desk's cap grow with the factor; service times, waves and the
calling rules stay. Used by the sizing-at-scale tests and ``benchmarks/bench_sizing.py``."""

from __future__ import annotations

import math
from typing import Any

from sim.scenario.loader import derive
from sim.scenario.schema import Scenario


def scale_event(scenario: Scenario, attendance: int) -> Scenario:
    """``scenario`` (with an ``event:``) at ``attendance`` people, caps scaled in proportion
    (rounded up: a scaled cap never gives a desk less room per person), never below the
    desk's own headcount."""
    ev = scenario.event
    if ev is None:
        raise ValueError(f"scenario {scenario.name!r} has no event: section to scale")
    factor = attendance / ev.attendance
    changes: dict[str, Any] = {
        "event.attendance": attendance,
        "event.waiting_area_capacity": math.ceil(ev.waiting_area_capacity * factor),
    }
    for i, desk in enumerate(ev.desks):
        # a smaller event keeps room for the scenario's own headcount (the sizer's floor)
        floor = max(piece.count for piece in desk.headcount)
        changes[f"event.desks[{i}].cap"] = max(math.ceil(desk.cap * factor), floor)
    if ev.parking is not None:
        changes["event.parking.spaces"] = math.ceil(ev.parking.spaces * factor)
    return derive(scenario, changes, f"{scenario.name} scaled to {attendance}")
