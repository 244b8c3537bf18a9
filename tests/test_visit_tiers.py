"""Important-visit tiers 1-4 (seed 003 参观分级接待): the tier changes who lines up and how many,
whether walk-ins are refused, and whether the grounds are cleared 30 min before.

Seed 003: "提前一小时,只放行预约客户"; "提前半小时,园区清场,包括:保洁、施工人员"; "提前20分钟,
全体接待人员…到别墅入口礼宾岗恭候"; "一类参观:中心领导、国外重要来宾 … 四类参观:普通团体客户".
Tier defaults (sim/scenario/visit_tiers.py; tiers 2-4 are assumptions): 1-2 the whole
protocol with everyone of the receiving posts; 3 one each of duty manager, butler and door,
office open; 4 the duty manager alone.

One day for every tier: a visit at 11:00 for 60 min; door post of 2 (3 min a greeting), duty
manager 1 (5 min), cleaner 1 (2 min after each served group); 3 reps, sandbox 10 min; booked
groups at 09:00 and 10:20 (each greeted 3 min at the door, then 10 min with a rep) and a
walk-in on foot at 10:30. The party itself stays 70 min (11:00-12:10).
"""

from __future__ import annotations

from typing import Any

import pytest

from sim.model import DayResult, OfficeModel
from tests.test_reception import build, inject, model_of, post, responses, staffing, trace


def _tier_day(tier: int, **visit: Any) -> tuple[OfficeModel, DayResult]:
    spec = {"at": "11:00", "tier": tier, "size": 5, "stay_min": 60, **visit}
    scenario = build(
        ["09:00", "10:20"], 3, 10,
        staffing=staffing(
            door=post(2, 3), duty_manager=post(1, 5), cleaner=post(1, 2),
            important_visits=[spec],
        ),
    )  # fmt: skip
    model = model_of(scenario)
    inject(model, 630)
    return model, model.run()


@pytest.mark.parametrize("tier", [1, 2])
def test_tiers_1_2_whole_protocol_everyone_lines_up_and_the_grounds_are_cleared(
    tier: int,
) -> None:
    """Walk-ins refused from 10:00 (the 10:30 walk-in is turned away, the 10:20 booking is
    in); both door greeters and the duty manager stand at the entrance 10:40-12:00; the cleaner
    leaves the grounds 10:30-12:00, so the tidying after the 10:20 group (out at 10:33) waits
    until 12:00 (response 87). Door: 09:00-09:03, 10:20-10:23, then the two holds."""
    model, day = _tier_day(tier)
    assert day.kpis["refused_protocol"] == 1
    assert trace(model, "door") == [
        (0, 540.0, 543.0), (0, 620.0, 623.0), (0, 640.0, 720.0), (1, 640.0, 720.0),
    ]  # fmt: skip
    assert trace(model, "duty_manager") == [(0, 640.0, 720.0)]
    assert trace(model, "cleaner") == [
        (0, 553.0, 555.0), (0, 630.0, 720.0), (0, 720.0, 722.0), (0, 730.0, 732.0),
    ]  # fmt: skip
    assert responses(model, "cleaner") == [0.0, 87.0, 0.0]


def test_tier_3_one_of_each_lines_up_and_the_office_stays_open() -> None:
    """No booked-only hour: the 10:30 walk-in is greeted (10:30-10:33) and served to 10:43;
    one door greeter (the first free, 0) and the duty manager stand 10:40-12:00, the other
    greeter stays on the door; no clearing: the cleaner tidies at once after each group."""
    model, day = _tier_day(3)
    assert day.kpis["refused_protocol"] == 0
    assert trace(model, "door") == [
        (0, 540.0, 543.0), (0, 620.0, 623.0), (0, 630.0, 633.0), (0, 640.0, 720.0),
    ]  # fmt: skip
    assert trace(model, "duty_manager") == [(0, 640.0, 720.0)]
    assert trace(model, "cleaner") == [
        (0, 553.0, 555.0), (0, 633.0, 635.0), (0, 643.0, 645.0), (0, 730.0, 732.0),
    ]  # fmt: skip


def test_tier_4_only_the_duty_manager_lines_up() -> None:
    """An ordinary group: the duty manager alone stands 10:40-12:00 (and so receives the
    party with no task); the party is greeted at the door at 11:00 like any group."""
    model, day = _tier_day(4)
    assert day.kpis["refused_protocol"] == 0
    assert trace(model, "door") == [
        (0, 540.0, 543.0), (0, 620.0, 623.0), (0, 630.0, 633.0), (0, 660.0, 663.0),
    ]  # fmt: skip
    assert trace(model, "duty_manager") == [(0, 640.0, 720.0)]


def test_explicit_fields_override_the_tier() -> None:
    """Tier 1 with staff {door: 1}, no booked-only hour and no clearing: the door as tier 3's,
    and the duty manager (not listed) receives the party as a 5-min task at 11:00."""
    model, day = _tier_day(
        1, staff={"door": 1}, booked_only_before_min=0, clear_grounds_before_min=0
    )
    assert day.kpis["refused_protocol"] == 0
    assert trace(model, "door") == [
        (0, 540.0, 543.0), (0, 620.0, 623.0), (0, 630.0, 633.0), (0, 640.0, 720.0),
    ]  # fmt: skip
    assert trace(model, "duty_manager") == [(0, 660.0, 665.0)]
