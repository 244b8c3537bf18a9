"""The satisfaction model (seed 002, V1, V5): the launch-day card, the follow-up list of
buyers scoring below 4, and the office-day score. Expected cards worked by hand from the model
(:mod:`sim.domain.satisfaction`: 5 minus the full penalty points; queueing beyond 15 min
costs a point per 20 min, the waiting area a point per 60 min, a grabbing incident one)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.domain.satisfaction import DEFAULT, SatisfactionModel
from sim.event.kpis import EventTimes
from sim.event.satisfaction import FollowUp, card_kpis, follow_up_list
from tests.rotation_script import Visit, run_script, script_scenario

NAN, INF = math.nan, math.inf


@pytest.mark.parametrize(
    ("wait", "area", "grabbed", "card"),
    [
        (0, 0, False, 5),  # nothing to complain about
        (15, 0, False, 5),  # within the quarter hour of grace
        (34.9, 0, False, 5),  # 19.9 min over: 0.995 points, not a full one
        (35, 0, False, 4),  # 20 min over: one point
        (75, 0, False, 2),  # 60 over: three points
        (200, 0, False, 1),  # never below 1
        (0, 60, False, 4),  # an hour in the waiting area
        (0, 0, True, 4),  # V1: grabbed
        (35, 30, True, 3),  # 1 + 0.5 + 1 = 2.5 points: two full ones
    ],
)
def test_card_by_hand(wait: float, area: float, grabbed: bool, card: int) -> None:
    assert DEFAULT.card(wait, area, grabbed) == card


def _launch_times() -> EventTimes:
    """One day, posts selection then gift (the card after the gift), four groups:
    g0 waits 5 at selection, 0 at the gift, 40 min in the waiting area;
    g1 waits 40 + 5 = 45, 90 min in the area;
    g2 does not buy (no gift, no card);
    g3 buys but is never served at the gift desk (left in the queue)."""
    row = lambda *xs: np.asarray([xs], dtype=float)  # noqa: E731
    return EventTimes(
        valid=np.ones((1, 4), dtype=bool),
        size=row(2, 2, 2, 2),
        arrival=row(550, 555, 557, 558),
        arrive={"selection": row(600, 600, 600, 600), "gift": row(610, 650, NAN, 610)},
        start={"selection": row(605, 640, 620, 601), "gift": row(610, 655, NAN, INF)},
        wait_from=row(560, 510, 560, 560),
        wait_to=row(600, 600, 600, 600),
    )


def test_launch_day_card_and_follow_up_list() -> None:
    """V5, seed 002 "客户领取礼物后…在满意度评分卡上打分", "将打分小于4的客户列出来…回访补救".
    g0: 0 points over the grace + 40/60 = 0.67 -> 5; g1: (45-15)/20 + 90/60 = 3 -> 2;
    g2 has no card; g3, unserved at the gift desk, scores 1. Mean (5 + 2 + 1)/3; two cards
    below 4: g1 and g3 get the call, in order of arrival."""
    times = _launch_times()
    kpis = card_kpis(times, ["selection", "gift"])
    assert kpis["card_mean"][0] == pytest.approx(8 / 3)
    assert (kpis["card_follow_ups"][0], kpis["card_low_share"][0]) == (2, pytest.approx(2 / 3))
    assert follow_up_list(times, ["selection", "gift"]) == [
        FollowUp(0, 1, 555.0, 45.0, 90.0, 2),
        FollowUp(0, 3, 558.0, 1.0, 40.0, 1),
    ]


def test_a_kinder_model_calls_fewer_buyers() -> None:
    """The parameters are assumptions: with an hour of grace and no weight on the waiting
    area, g1 scores 5 and only the unserved g3 needs a call."""
    lenient = SatisfactionModel(wait_grace_min=60, area_min_per_point=math.inf)
    times = _launch_times()
    assert [f.group for f in follow_up_list(times, ["selection", "gift"], lenient)] == [3]


def test_office_day_score_counts_the_wait_and_grabbing() -> None:
    """Office days: a served group's card from its wait for a rep and V1 grabbing. One rep, 40
    min groups: 09:00 -> at once (5); 09:10 waits 30 min, 15 over -> 0.75 points (5); 09:20
    waits 60, 45 over -> 2.25 -> 3. Mean 13/3; one call (the card of 3)."""
    scenario = script_scenario([("A1", "A", True)], rotation={"standing_by": 0})
    visits = [Visit("09:00", 40), Visit("09:10", 40), Visit("09:20", 40)]
    kpis = run_script(scenario, visits, policy="round_robin").day.kpis
    assert kpis["satisfaction_mean"] == pytest.approx(13 / 3)
    assert kpis["follow_up_calls"] == 1
