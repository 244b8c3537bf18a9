"""Scenario builders shared by tests (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

from sim.domain.results import VISIT_COLUMNS
from sim.scenario import Scenario, validate_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
WEEKEND_ISSUE13 = ROOT / "tests" / "fixtures" / "weekend_issue13.yaml"
"""The weekend as shipped before issue 14 recalibrated it: the staffing hand calculations use."""


def scenario_dict(name: str = "weekend") -> dict[str, Any]:
    """The shipped scenario (or ``weekend_issue13``, the pinned fixture) as a plain dict."""
    path = WEEKEND_ISSUE13 if name == "weekend_issue13" else SCENARIOS / f"{name}.yaml"
    return copy.deepcopy(yaml.safe_load(path.read_text(encoding="utf-8")))


def fixed_trace_scenario(
    arrivals: list[str], reps: int, sandbox_min: float, **overrides: Any
) -> Scenario:
    """A deterministic day: groups arrive exactly at ``arrivals`` ('HH:MM', as punctual
    appointments with no named rep), each holds its rep for ``sandbox_min`` minutes, nothing else.
    """
    data: dict[str, Any] = {
        "name": "trace",
        "day": {"type": "weekday", "open": "09:00", "close": "18:00"},
        "arrivals": {
            "walk_in": [{"from": "09:00", "rate": 0}],
            "appointments": {
                "times": arrivals, "punctuality_sd_min": 0, "punctuality_mean_min": 0,
                "no_show_share": 0, "designated_share": 0,
            },
        },
        "visitors": {
            "group_size": {2: 1}, "important_share": 0, "non_sales_share": 0,
            "sample_house_share": 0, "signing_share": 0, "patience": None,
        },
        "reps": reps,
        "policy": "round_robin",  # the traces here are written for plain rotation
        "vip_rooms": {"count": 0},
        "service_times": {
            "sandbox": {"dist": "fixed", "value": sandbox_min},
            "sample_house": {"dist": "fixed", "value": 0},
            "negotiation": {"dist": "fixed", "value": 0},
            "signing": {"dist": "fixed", "value": 0},
            "walk_out": {"dist": "fixed", "value": 0},
        },
    }  # fmt: skip
    for dotted, value in overrides.items():
        node = data
        *path, last = dotted.split("__")
        for key in path:
            node = node[key]
        node[last] = value
    return validate_scenario(data, "trace")


# The visits-table columns that describe who arrives (not what happened to them).
WHO = (
    "source", "size", "by_car", "returning", "designated", "important", "non_sales", "survey",
    "owner_rep", "booked", "arrival",
)  # fmt: skip


def visitor_rows(day: Any, leave_out: tuple[str, ...] = ()) -> list[tuple[object, ...]]:
    """Who arrived on a simulated day (the WHO columns), in arrival order."""
    cols = [VISIT_COLUMNS.index(c) for c in WHO if c not in leave_out]
    arrival = VISIT_COLUMNS.index("arrival")
    rows = sorted(day.tables.visits, key=lambda r: (r[arrival], r[0]))
    return [tuple(r[i] for i in cols) for r in rows]


HEADLINE = "[\u4e00-\u9fff][^\n]*? "
"""The Chinese headline an input error opens its explanation with (sim/core/says.py)."""


def said(line: str, before: str, english: str) -> bool:
    """Whether ``line`` holds ``before``, then the Chinese headline, then ``english`` (the
    start of the explanation in English)."""
    return re.search(re.escape(before) + HEADLINE + re.escape(english), line) is not None


def small_grid_case() -> Scenario:
    """The small launch of benchmarks/bench_sizing.py (2 desks x 3 blocks, caps 8)."""
    from sim.scenario import derive, load_scenario

    base = load_scenario(Path(__file__).resolve().parent / "fixtures" / "bad" / "_base_event.yaml")
    return derive(base, {
        "day.close": "12:00", "arrivals.walk_in": [{"from": "09:00", "rate": 0}],
        "arrivals.appointments.window": ["09:00", "11:00"],
        "event.desks[0].cap": 8, "event.desks[1].cap": 8,
        "event.desks[0].headcount": [{"from": "09:00", "count": 1}],
        "event.desks[1].headcount": [{"from": "10:00", "count": 1}]})  # fmt: skip
