"""Baseline posts, optional posts and the event billing rule, against hand-worked numbers."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sim.fee.assemble import make_plan
from sim.fee.baseline import from_scenario, peak_on_duty, rule_posts
from sim.fee.plan import BaselineLine, PlanError, surcharge
from sim.fee.ratecard import LoadedCard, Site, load_card, validate_card
from sim.fee.sizing_file import validate_sizing
from sim.scenario import load_scenario, validate_scenario
from sim.scenario.staffing import ShiftSpec
from tests.helpers import scenario_dict

ROOT = Path(__file__).resolve().parent.parent
CARD = ROOT / "ratecards" / "example_yancheng.yaml"
SIZING = ROOT / "tests" / "fixtures" / "sizing_launch_day.json"
D = Decimal


def shifts(**spans: tuple[str, str]) -> dict[str, ShiftSpec]:
    return {n: ShiftSpec.model_validate({"start": a, "end": b}) for n, (a, b) in spans.items()}


def test_peak_adds_overlapping_shifts() -> None:
    # The most on duty at once: only shown in the basis text, never priced.
    two = shifts(A=("08:30", "16:00"), B=("13:00", "20:30"))
    assert peak_on_duty(two, {"A": 2, "B": 1}) == (3, "13:00 A2+B1")
    apart = shifts(A=("08:00", "14:00"), B=("14:00", "20:00"))
    assert peak_on_duty(apart, {"A": 1, "B": 2})[0] == 2  # back to back: never together
    assert peak_on_duty(two, {"A": 0, "B": 0})[0] == 0


def test_weekend_baseline_posts_and_heads() -> None:
    counts = {c.post: c for c in from_scenario(load_scenario(ROOT / "scenarios" / "weekend.yaml"))}
    # posts = Σ headcounts over shifts A, B and D (scenarios/weekend.yaml):
    # gate D1 = 1, parking D1 = 1, door A1+B1 = 2, water bar A1+B1 = 2, butler D1 = 1,
    # guide D2 = 2, cleaner A2+B2 = 4, duty manager D1 = 1, backup reception D1 = 1;
    # reps: 12 named reps, no rep_shifts, so each is on shift once a day: 12
    assert {p: c.posts for p, c in counts.items()} == {
        "gate": 1, "parking": 1, "door": 2, "water_bar": 2, "butler": 1, "guide": 2,
        "cleaner": 4, "duty_manager": 1, "backup_reception": 1, "reps": 12,
    }  # fmt: skip
    assert counts["reps"].heads == 12  # reps are the named people, not posts × relief
    # A 08:30–17:30 and B 09:30–18:30 overlap 09:30–17:30, so at most 1+1 = 2 doormen at once
    assert counts["door"].peak == 2
    assert counts["door"].basis.startswith("场景 scenario: A1+B1 = 2 on shift a day")


def two_shift_gate(a: tuple[str, str], b: tuple[str, str]) -> BaselineLine:
    data = scenario_dict("weekend")
    data["staffing"]["shifts"].update({"A": {"start": a[0], "end": a[1]},
                                       "B": {"start": b[0], "end": b[1]}})  # fmt: skip
    data["staffing"]["gate"]["headcount"] = {"A": 1, "B": 1}
    plan = make_plan(load_card(CARD), validate_scenario(data), "x.yaml")
    return next(b for b in plan.baseline if b.post == "gate")


def test_back_to_back_shifts_count_one_post_each() -> None:
    # 一岗两班: A 08:00–14:00 × 1 and B 14:00–20:00 × 1 are 1 + 1 = 2 people on shift a day,
    # so 2 posts and heads = ceil(2 × 1.35) = ceil(2.70) = 3, though only 1 is ever on duty.
    gate = two_shift_gate(("08:00", "14:00"), ("14:00", "20:00"))
    assert (gate.posts, gate.peak, gate.heads) == (2, 1, 3)
    # overlapping shifts (A 08:00–15:00, B 13:00–20:00): still 1 + 1 = 2 posts, ceil(2.70) = 3
    gate = two_shift_gate(("08:00", "15:00"), ("13:00", "20:00"))
    assert (gate.posts, gate.peak, gate.heads) == (2, 2, 3)
    # monthly: 3 heads × 9,591.98 (gate all-in, test_fee_buildup.py) = 28,775.94
    assert gate.monthly == D("28775.94")


def test_rule_posts_round_up() -> None:
    assert rule_posts(D(800), D(400)) == 2
    assert rule_posts(D(801), D(400)) == 3
    assert rule_posts(D(0), D(400)) == 0
    assert rule_posts(D("0.01"), D(3000)) == 1


def test_area_basis_uses_the_given_site() -> None:
    site = Site.model_validate({"hall": 1600})
    plan = make_plan(load_card(CARD), load_scenario(ROOT / "scenarios" / "weekend.yaml"), "w",
                     "areas", site)  # fmt: skip
    posts = {b.post: (b.posts, b.heads) for b in plan.baseline}
    # cleaner 1600/400 = 4 posts → ceil(5.4) = 6 heads; no sample houses → no guide
    assert posts["cleaner"] == (4, 6) and "guide" not in posts and "parking" not in posts
    assert posts["duty_manager"] == (1, 2)


def test_area_basis_without_site_is_an_error() -> None:
    data = card_dict()
    del data["site"]
    with pytest.raises(PlanError, match="site: missing"):
        make_plan(validate_card(data, "c.yaml"), load_scenario(ROOT / "scenarios" / "weekend.yaml"),
                  "w", "areas")  # fmt: skip


def test_optional_posts_heads() -> None:
    plan = make_plan(load_card(CARD), load_scenario(ROOT / "scenarios" / "weekend.yaml"), "w")
    lines = {o.post: o for o in plan.optional}
    assert lines["water_bar"].heads == 2  # 1 post × 1.35 → 2 people
    assert lines["butler"].heads == 1
    assert lines["butler"].amount == 12 * D("9985.12")


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
    plan = make_plan(load_card(CARD), load_scenario(ROOT / "scenarios" / "weekend.yaml"),
                     "weekend.yaml", sizing=sized, sizing_source="s.json")  # fmt: skip
    assert plan.event is not None and plan.event.level == label
    assert sorted(plan.event_at) == ["0.90", "0.99"]
