"""A complete starting scenario from a few answers (``salesim init``).

The planner gives the office size, opening hours, reps, rooms and the day's traffic; the rest
takes the typical values of the shipped scenarios (docs/parameters.md): the visitor mix, the
journey's service times, the targets and a reception line of one day shift (gate, door, water
bar, a guide per sample house, cleaners, duty manager, backup receptionist, phones).
Walk-ins follow the usual day shape — a slow first fifth, a late-morning peak, a lunch dip, an
afternoon peak and a quiet end (the shape of weekday.yaml) — scaled to the stated traffic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.core.clock import format_clock, parse_clock
from sim.scenario.loader import validate_scenario
from sim.scenario.schema import Scenario

SIZES: dict[str, dict[str, int]] = {
    "小": {"reps": 4, "vip_rooms": 2, "sample_houses": 1, "weekday": 15, "weekend": 35},
    "中": {"reps": 8, "vip_rooms": 3, "sample_houses": 2, "weekday": 30, "weekend": 70},
    "大": {"reps": 14, "vip_rooms": 5, "sample_houses": 3, "weekday": 50, "weekend": 120},
}
"""Office size (小/中/大 small/medium/large) -> the defaults offered for the other answers."""

DAY_SHAPE = (0.6, 1.4, 0.8, 1.4, 0.8)
"""Relative walk-in rate over five equal parts of the opening hours (weekday.yaml's shape)."""
BOOKED_SHARE = 0.2
"""Share of a day's groups that come by appointment (weekday.yaml: ~6 of ~30)."""
_NAMES = (
    "张伟", "王芳", "李娜", "陈静", "赵敏", "黄勇", "周杰", "徐刚",
    "刘洋", "杨帆", "吴磊", "孙丽", "马超", "朱琳", "胡军", "郭燕",
)  # fmt: skip


@dataclass(frozen=True)
class Answers:
    """What ``salesim init`` asks (the defaults are a medium office, 09:00–18:00)."""

    name: str = "my_office"
    size: str = "中"
    open: str = "09:00"
    close: str = "18:00"
    reps: int = 8
    vip_rooms: int = 3
    sample_houses: int = 2
    weekday_groups: float = 30
    weekend_groups: float = 70


def walk_in_pieces(open_: str, close: str, groups: float) -> list[dict[str, Any]]:
    """Pieces ``{from, rate}`` over the opening hours whose expected walk-ins are ``groups``."""
    start, end = parse_clock(open_), parse_clock(close)
    part_h = (end - start) / len(DAY_SHAPE) / 60.0
    scale = groups / (sum(DAY_SHAPE) * part_h)
    return [
        {"from": format_clock(start + i * part_h * 60.0), "rate": round(w * scale, 3)}
        for i, w in enumerate(DAY_SHAPE)
    ]


def _reps(count: int) -> list[dict[str, Any]]:
    names = [_NAMES[i] if i < len(_NAMES) else f"顾问{i + 1}" for i in range(count)]
    half = (count + 1) // 2
    return [
        {"name": n, "team": "A" if i < half else "B", "experienced": i % 4 != 3}
        for i, n in enumerate(names)
    ]


def _post(head: int, task: dict[str, Any], target: float) -> dict[str, Any]:
    return {"headcount": {"D": head}, "task": task, "target_response_min": target}


def _tri(lo: float, mode: float, hi: float) -> dict[str, Any]:
    return {"dist": "triangular", "min": lo, "mode": mode, "max": hi}


def _staffing(a: Answers, groups: float) -> dict[str, Any]:
    calls = max(groups, 1.0)  # about one call per visiting group (PARAMETERS: 30/day)
    return {
        "shifts": {"D": {"start": a.open, "end": a.close}},
        "gate": _post(1, _tri(0.3, 0.5, 1), 0.2),
        "door": _post(1, {"dist": "fixed", "value": 0.3}, 0.2),
        "water_bar": {**_post(1, _tri(2, 3, 5), 3), "refill_every_min": 20},
        "guide": _post(max(a.sample_houses, 1), {"dist": "fixed", "value": 1}, 2),
        "cleaner": _post(2, _tri(3, 5, 10), 15),
        "duty_manager": _post(1, _tri(5, 10, 20), 5),
        "backup_reception": {"headcount": {"D": 1}, "target_response_min": 0.5},
        "phones": {
            "calls": [
                {"from": p["from"], "rate": round(p["rate"] * calls / groups, 3)}
                for p in walk_in_pieces(a.open, a.close, groups)
            ],
            "duration": {"dist": "lognormal", "mean": 3, "sd": 2},
        },
    }


def starter_data(a: Answers, day_type: str) -> dict[str, Any]:
    """Scenario data for a ``weekday`` or ``weekend`` day of the answered office."""
    groups = a.weekday_groups if day_type == "weekday" else a.weekend_groups
    walk_ins = groups * (1 - BOOKED_SHARE)
    return {
        "name": f"{a.name}_{day_type}",
        "description": f"由 salesim init 生成 written by salesim init: {a.size}型售楼处, "
        f"{day_type}, 约 {groups:g} 组来访 about {groups:g} groups",
        "day": {"type": day_type, "open": a.open, "close": a.close},
        "arrivals": {
            "walk_in": walk_in_pieces(a.open, a.close, walk_ins),
            "appointments": {
                "count": round(groups * BOOKED_SHARE / (1 - 0.15)),
                "no_show_share": 0.15,
            },
        },
        "visitors": {
            "group_size": {1: 0.20, 2: 0.45, 3: 0.20, 4: 0.12, 5: 0.03},
            "returning_share": 0.25,
            "vip_share": 0.3,
            "signing_share": 0.08,
            "patience": {"dist": "lognormal", "mean": 20, "sd": 10},
        },
        "reps": _reps(a.reps),
        "vip_rooms": {"count": a.vip_rooms, "when_full": "wait", "max_wait_min": 10},
        "sample_houses": [
            {"name": f"样板间{chr(65 + i)}", "capacity": 3} for i in range(a.sample_houses)
        ],
        "service_times": {
            "sandbox": _tri(10, 15, 25),
            "sample_house": _tri(8, 10, 20),
            "negotiation": _tri(20, 40, 90),
            "signing": _tri(20, 30, 60),
        },
        "staffing": _staffing(a, groups),
    }


def starter_scenario(a: Answers, day_type: str) -> Scenario:
    """The validated starting scenario (a mistake in the answers names the field)."""
    return validate_scenario(starter_data(a, day_type), f"salesim init ({day_type})")
