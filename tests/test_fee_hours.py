"""Heads from hours: one person's monthly hours, full-time equivalents, teams and managers,
against figures worked out by hand from the example card's labour terms."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from sim.fee.assemble import make_plan
from sim.fee.heads import fte_of, whole_people
from sim.fee.ratecard import load_card, validate_card
from sim.fee.working_time import TermsOverride, person_hours
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
CARD = ROOT / "ratecards" / "example_yancheng.yaml"
WEEKEND = ROOT / "tests" / "fixtures" / "weekend_issue13.yaml"  # pinned staffing
D = Decimal


def card_dict() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(CARD.read_text(encoding="utf-8")))


def test_hours_per_person_by_hand() -> None:
    # 8 h a day, 5 days a week, 11 statutory holidays, 5 days' leave:
    # (365 × 5 / 7 − 11 − 5) = 244.714286 days × 8 h / 12 = 163.142857 → 163.14 h contract;
    # overtime 4 weekend days × 8 h = 32 h + holidays worked 11 × 8 / 12 = 7.333 → 39.33 h
    terms = load_card(CARD).card.working_time
    concierge = person_hours(terms, None)
    assert (concierge.contract_hours, concierge.overtime_hours) == (D("163.14"), D("39.33"))
    assert concierge.total == D("202.47")
    # a cleaner: no weekend overtime, no leave: 249.714286 × 8 / 12 = 166.476 → 166.48 + 7.33
    cleaner = person_hours(terms, TermsOverride(weekend_overtime_days=D(0), annual_leave=0))
    assert cleaner.total == D("173.81")
    # six days a week, no overtime, holidays off: (312.857 − 11 − 5) × 8 / 12 = 197.90
    six = person_hours(terms, TermsOverride(days_per_week=D(6), weekend_overtime_days=D(0),
                                            works_holidays=False))  # fmt: skip
    assert (six.contract_hours, six.overtime_hours) == (D("197.90"), D("0.00"))


def test_fte_and_whole_people() -> None:
    assert fte_of(D("273.78"), D("202.47")) == D("1.352200")
    assert whole_people(D("7.812713")) == 8
    assert whole_people(D("4.000000")) == 4  # exact: never 5 from a float's 4.000000001
    assert whole_people(D("0")) == 0
    # 55 full-time people of 11 h: decimal 605 / 11 = 55 exactly (floats: 55.00000000000001)
    assert whole_people(fte_of(D(605), D(11))) == 55


def test_weekend_heads_and_relief_are_outputs() -> None:
    plan = make_plan(load_card(CARD), load_scenario(WEEKEND), "w")
    lines = {b.team: b for b in plan.baseline}
    concierge = lines["concierge"]
    # gate 9 h + parking 9 h + door 16 h + guides 18 h a day, × 30.42 open days:
    # 273.78 + 273.78 + 486.72 + 547.56 = 1,581.84 h; FTE 1.352200 × 2 + 2.403912 + 2.704401
    # = 7.812713 → 8 heads for 6 positions: relief 8 / 6 = 1.33 (the card's 1.35 beside it)
    assert [c.post for c in concierge.posts] == ["gate", "parking", "door", "guide"]
    assert (concierge.covered, concierge.fte, concierge.heads) == (D("1581.84"), D("7.812713"), 8)
    assert (concierge.relief, concierge.card_relief) == (D("1.33"), D("1.35"))
    assert concierge.monthly == 8 * D("9591.98")
    # water bar 16 h + backup reception 9 h: 2.403912 + 1.352200 = 3.756112 → 4 for 3 positions
    assert (lines["cs"].heads, lines["cs"].relief) == (4, D("1.33"))
    # cleaners 32 h × 30.42 = 973.44 h ÷ 173.81 = 5.600598 → 6 for 4 positions: 1.50
    assert (lines["cleaner"].heads, lines["cleaner"].relief) == (6, D("1.50"))
    # the duty manager is a manager (cover: person): the 1 person on shift, not ⌈1.352200⌉ = 2
    assert (lines["duty_manager"].cover, lines["duty_manager"].heads) == ("person", 1)
    assert plan.baseline_heads == 8 + 4 + 6 + 1
    assert plan.baseline_monthly == (8 * D("9591.98") + 4 * D("9450.40") + 6 * D("2880")
                                     + D("12284.51"))  # fmt: skip


def test_a_team_pools_its_relief() -> None:
    # without teams every post rounds up on its own: gate ⌈1.35⌉ 2, parking 2, door ⌈2.40⌉ 3,
    # guide ⌈2.70⌉ 3 = 10 concierges instead of the team's 8
    data = card_dict()
    for rate in data["posts"].values():
        rate.pop("team", None)
    plan = make_plan(validate_card(data, "c.yaml"), load_scenario(WEEKEND), "w")
    heads = {b.post: b.heads for b in plan.baseline}
    assert [heads[p] for p in ("gate", "parking", "door", "guide")] == [2, 2, 3, 3]


def test_more_weekend_overtime_takes_fewer_people() -> None:
    # 8 weekend overtime days: 163.14 + 64 + 7.33 = 234.47 h a person; concierge 1,581.84 h
    # → 6.746449 → 7 heads (8 with 4 overtime days)
    data = card_dict()
    data["working_time"]["weekend_overtime_days"] = 8
    plan = make_plan(validate_card(data, "c.yaml"), load_scenario(WEEKEND), "w")
    concierge = next(b for b in plan.baseline if b.team == "concierge")
    assert (concierge.posts[0].person.total, concierge.heads) == (D("234.47"), 7)
