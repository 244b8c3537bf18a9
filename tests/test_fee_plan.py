"""Covered hours, optional posts by product type, no double billing, and the event billing
rule, against hand-worked numbers."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sim.fee.assemble import make_plan
from sim.fee.baseline import PostHours, from_scenario, peak_on_duty, rule_posts
from sim.fee.card_sections import Site
from sim.fee.errors import PlanError
from sim.fee.plan import surcharge
from sim.fee.ratecard import LoadedCard, load_card, validate_card
from sim.fee.sizing_file import validate_sizing
from sim.scenario import load_scenario, validate_scenario
from sim.scenario.staffing import ShiftSpec
from tests.helpers import WEEKEND_ISSUE13, scenario_dict

ROOT = Path(__file__).resolve().parent.parent
CARD = ROOT / "ratecards" / "example_yancheng.yaml"
SIZING = ROOT / "tests" / "fixtures" / "sizing_launch_day.json"
D = Decimal


def shifts(**spans: tuple[str, str]) -> dict[str, ShiftSpec]:
    return {n: ShiftSpec.model_validate({"start": a, "end": b}) for n, (a, b) in spans.items()}


def test_peak_adds_overlapping_shifts() -> None:
    # The most on duty at once (breaks left out): the positions of a post.
    two = shifts(A=("08:30", "16:00"), B=("13:00", "20:30"))
    assert peak_on_duty(two, {"A": 2, "B": 1}) == (3, "13:00 A2+B1")
    apart = shifts(A=("08:00", "14:00"), B=("14:00", "20:00"))
    assert peak_on_duty(apart, {"A": 1, "B": 2})[0] == 2  # back to back: never together
    assert peak_on_duty(two, {"A": 0, "B": 0})[0] == 0


def test_lunch_breaks_are_not_on_duty() -> None:
    early = ShiftSpec.model_validate({"start": "08:30", "end": "17:30",
                                      "breaks": [["11:30", "12:30"]]})  # fmt: skip
    late = ShiftSpec.model_validate({"start": "09:30", "end": "18:30",
                                     "breaks": [["12:30", "13:30"]]})  # fmt: skip
    # both on from 09:30 (A until its lunch at 11:30): 2 at once
    assert peak_on_duty({"A": early, "B": late}, {"A": 1, "B": 1}) == (2, "09:30 A1+B1")
    assert peak_on_duty({"A": early}, {"A": 3}) == (3, "08:30 A3")


WEEKEND_HOURS = {
    # covered hours a day = Σ headcount × the shift's hours less its lunch (scenarios/weekend.yaml:
    # A 08:30–17:30 less 11:30–12:30 = 8 h, B 09:30–18:30 less 12:30–13:30 = 8 h, D 09:00–18:00
    # = 9 h): post -> (positions = most on duty at once, hours a day)
    "gate": (1, 9), "parking": (1, 9), "door": (2, 16), "water_bar": (2, 16), "butler": (1, 9),
    "guide": (2, 18), "cleaner": (4, 32), "duty_manager": (1, 9), "backup_reception": (1, 9),
    "reps": (12, 108),  # 12 named reps, no rep_shifts: each on 09:00–18:00
}  # fmt: skip


def test_weekend_covered_hours_by_hand() -> None:
    counts = {c.post: c for c in from_scenario(load_scenario(WEEKEND_ISSUE13))}
    assert {p: (c.positions, c.hours_per_day) for p, c in counts.items()} == WEEKEND_HOURS
    assert counts["reps"].heads == 12  # reps are the named people
    assert counts["door"].basis.startswith("场景 scenario: A1×8 h + B1×8 h = 16 h a day")


def gate_hours(a: tuple[str, str], b: tuple[str, str]) -> PostHours:
    data = scenario_dict("weekend_issue13")
    data["staffing"]["shifts"].update({"A": {"start": a[0], "end": a[1]},
                                       "B": {"start": b[0], "end": b[1]}})  # fmt: skip
    data["staffing"]["gate"]["headcount"] = {"A": 1, "B": 1}
    return next(c for c in from_scenario(validate_scenario(data)) if c.post == "gate")


def test_covered_hours_not_shifts_count() -> None:
    # back to back (08:00–14:00, 14:00–20:00): one position covered 12 h a day
    gate = gate_hours(("08:00", "14:00"), ("14:00", "20:00"))
    assert (gate.positions, gate.people, gate.hours_per_day) == (1, 2, 12)
    # overlapping (08:00–15:00, 13:00–20:00): 7 h + 7 h = 14 h, two at once 13:00–15:00
    gate = gate_hours(("08:00", "15:00"), ("13:00", "20:00"))
    assert (gate.positions, gate.hours_per_day) == (2, 14)


def test_rule_posts_round_up() -> None:
    assert rule_posts(D(800), D(400)) == 2
    assert rule_posts(D(801), D(400)) == 3
    assert rule_posts(D(0), D(400)) == 0
    assert rule_posts(D("0.01"), D(3000)) == 1


def test_area_basis_uses_the_given_site() -> None:
    site = Site.model_validate({"hall": 1600})
    plan = make_plan(load_card(CARD), load_scenario(WEEKEND_ISSUE13), "w",
                     "areas", site)  # fmt: skip
    lines = {b.post: b for b in plan.baseline}
    # cleaner 1600/400 = 4 positions, each covered 09:00–18:00: 36 h a day × 30.42 days =
    # 1,095.12 h; a cleaner works 173.81 h (test_fee_hours.py): 6.300673 → 7 heads
    cleaner = lines["cleaner"]
    assert (cleaner.positions, cleaner.covered, cleaner.fte, cleaner.heads) == (
        4, D("1095.12"), D("6.300673"), 7)
    assert "guide" not in lines and "parking" not in lines  # no sample houses, no grounds
    assert lines["duty_manager"].heads == 1  # fixed 1, a manager counted per person


def test_area_basis_without_site_is_an_error() -> None:
    data = card_dict()
    del data["site"]
    with pytest.raises(PlanError, match="site: missing"):
        make_plan(validate_card(data, "c.yaml"), load_scenario(WEEKEND_ISSUE13),
                  "w", "areas")  # fmt: skip


def test_product_type_optional_posts() -> None:
    weekend = load_scenario(WEEKEND_ISSUE13)
    plan = make_plan(load_card(CARD), weekend, "w")  # the card's default: high_rise
    (butler,) = plan.optional
    # the scenario staffs the butler (D1, 9 h): weekend and holidays 8.69 + 0.92 = 9.61 days
    # → 86.49 h ÷ 202.47 h = 0.427174 → 1 head × 9,985.12
    assert (butler.post, butler.source, butler.cover.covered, butler.heads) == (
        "butler", "scenario", D("86.49"), 1)
    assert butler.monthly == D("9985.12")
    villa = make_plan(load_card(CARD), weekend, "w", product="villa")
    # every open day (30.42): butler 273.78 h → 1.352200 → 2; guides 547.56 h → 2.704401 → 3
    assert {o.post: o.heads for o in villa.optional} == {"butler": 2, "guide": 3}


def test_a_post_the_scenario_lacks_is_proposed_from_the_card() -> None:
    data = scenario_dict("weekend_issue13")
    del data["staffing"]["butler"]
    plan = make_plan(load_card(CARD), validate_scenario(data), "w")
    (butler,) = plan.optional
    # 1 position × the opening hours 09:00–18:00 (9 h) × 9.61 days = 86.49 h → 1 head
    assert (butler.source, butler.cover.positions, butler.cover.covered, butler.heads) == (
        "card", 1, D("86.49"), 1)


@pytest.mark.parametrize("product", ["high_rise", "villa", "commercial"])
def test_no_post_is_billed_twice(product: str) -> None:
    """Issue 13: a post is either baseline or optional, never both, and its hours count once."""
    weekend = load_scenario(WEEKEND_ISSUE13)
    plan = make_plan(load_card(CARD), weekend, "w", product=product)
    baseline = [c.post for b in plan.baseline for c in b.posts]
    optional = [o.post for o in plan.optional]
    assert optional and not set(baseline) & set(optional)
    assert sorted(baseline + optional) == sorted(WEEKEND_HOURS)  # each staffed post once
    per_day = [c.hours_per_day for b in plan.baseline for c in b.posts]
    per_day += [o.cover.hours_per_day for o in plan.optional]
    assert sum(per_day) == sum(h for _, h in WEEKEND_HOURS.values())


def test_the_old_double_billing_is_gone() -> None:
    # the card before issue 13 offered a second water bar and a weekend butler as optional posts
    # while the weekend scenario already staffed both: they were billed twice
    data = card_dict()
    data["product_types"]["high_rise"]["optional_posts"] = [
        {"post": "water_bar", "positions": 1, "day_types": ["weekend", "holiday"]},
        {"post": "butler", "heads": 1, "day_types": ["weekend", "holiday"]},
    ]  # fmt: skip
    plan = make_plan(validate_card(data, "c.yaml"),
                     load_scenario(WEEKEND_ISSUE13), "w")  # fmt: skip
    in_baseline = {c.post for b in plan.baseline for c in b.posts}
    assert {"water_bar", "butler"}.isdisjoint(in_baseline)
    assert [o.post for o in plan.optional] == ["water_bar", "butler"]


def test_unknown_product_type_is_one_clear_error() -> None:
    with pytest.raises(PlanError, match=r"--product-type vila: .*did you mean 'villa'"):
        make_plan(load_card(CARD), load_scenario(WEEKEND_ISSUE13), "w",
                  product="vila")  # fmt: skip


def card_dict() -> dict[str, Any]:
    import yaml

    return copy.deepcopy(yaml.safe_load(CARD.read_text(encoding="utf-8")))


def sizing_rows(rows: list[dict[str, Any]]) -> dict[str, Any]:
    data = json.loads(SIZING.read_text(encoding="utf-8"))
    data["headcount"] = rows
    data["blocks"] = sorted({r["block"] for r in rows})
    return data


def row(post: str, start: str, end: str, extra: int) -> dict[str, Any]:
    return {"post": post, "block": f"{start}-{end}", "start": start, "end": end, "baseline": 1,
            "extra": extra, "total": 1 + extra}  # fmt: skip


def billed(loaded: LoadedCard, rows: list[dict[str, Any]]) -> dict[str, Decimal]:
    sizing = validate_sizing(sizing_rows(rows), "s.json")
    s = surcharge(loaded, sizing.headcount, "0.95", sizing.block_times(), "s.json")
    return {line.post: line.amount for line in s.lines}


def test_day_rate_bills_the_peak_extra_per_event_day() -> None:
    data = card_dict()
    data["event_days"] = 2
    loaded = validate_card(data, "c.yaml")
    rows = [row("engineer", "09:00", "10:00", 1), row("engineer", "10:00", "11:00", 3),
            row("engineer", "11:00", "12:00", 2)]  # fmt: skip
    assert billed(loaded, rows) == {"engineer": D(3 * 800 * 2)}  # 3 person-days × 800 × 2 days


def test_hour_rate_bills_person_hours_of_any_block_length() -> None:
    loaded = load_card(CARD)
    rows = [row("door", "09:00", "09:30", 3), row("sign_in", "09:00", "09:20", 1),
            row("gift", "09:00", "09:20", 0)]  # fmt: skip
    # door 3 × 0.5 h × 55 = 82.50; sign-in 1 × 20 min × 50/60 = 16.666… → 16.67; gift: no extra
    assert billed(loaded, rows) == {"door": D("82.50"), "sign_in": D("16.67")}


def test_reps_are_listed_but_not_billed() -> None:
    assert billed(load_card(CARD), [row("reps", "09:00", "10:00", 4)]) == {"reps": D(0)}


@pytest.mark.parametrize(("confidence", "label"), [(0.9, "0.90"), (0.95, "0.95"), (0.975, "0.975")])
def test_plan_level_is_written_exactly(confidence: float, label: str) -> None:
    # 0.975 used to be shown as "0.97" (:.2f), a level the sizing never stated
    data = json.loads(SIZING.read_text(encoding="utf-8"))
    data["confidence"] = confidence
    sized = validate_sizing(data, "s.json")
    plan = make_plan(load_card(CARD), load_scenario(WEEKEND_ISSUE13),
                     "weekend.yaml", sizing=sized, sizing_source="s.json")  # fmt: skip
    assert plan.event is not None and plan.event.level == label
    assert sorted(plan.event_at) == ["0.90", "0.99"]
