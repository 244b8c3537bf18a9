"""The cost build-up and the rounding rules against hand calculations.

The expected figures are worked out by hand below from the Yancheng template of
shared/PARAMETERS.md §4 (the example card's inputs), never by calling the code under test.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from sim.fee.buildup import build_up
from sim.fee.money import fen, pct_of
from sim.fee.ratecard import RateCard, validate_card

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "ratecards" / "example_yancheng.yaml"
D = Decimal


def card_dict() -> dict[str, Any]:
    """The shipped example card as a plain dict."""
    return copy.deepcopy(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))


def card(data: dict[str, Any] | None = None) -> RateCard:
    """A validated card (the example, or ``data``)."""
    return validate_card(data if data is not None else card_dict(), "<test>").card


def test_concierge_build_up_by_hand() -> None:
    # gate = concierge: base 4,200 + weekend OT 754 + holiday OT 259 = 5,213
    # social insurance 30 % × 3,125 = 937.50; housing fund 10 % × 3,125 = 312.50; welfare 1,125
    # direct 5,213 + 937.50 + 312.50 + 1,125 = 7,588.00
    # contingency 3 % = 227.64 → subtotal 7,815.64
    # management 15 % = 1,172.346 → 1,172.35; subtotal + management = 8,987.99
    # tax 6.72 % = 603.992928 → 603.99; all-in 8,987.99 + 603.99 = 9,591.98 (template: 9,592)
    b = build_up(card(), "gate")
    assert b is not None
    assert (b.wage, b.social_insurance, b.housing_fund) == (D(5213), D("937.50"), D("312.50"))
    assert (b.direct, b.contingency, b.subtotal) == (D("7588.00"), D("227.64"), D("7815.64"))
    assert (b.management_fee, b.tax, b.all_in) == (D("1172.35"), D("603.99"), D("9591.98"))


def test_supervisor_build_up_by_hand() -> None:
    # duty manager = supervisor: 5,100 + 754 + 259 = 6,113; + 937.50 + 312.50 + 2,355 = 9,718.00
    # contingency 291.54 → 10,009.54; management 1,501.431 → 1,501.43 → 11,510.97
    # tax 773.537184 → 773.54; all-in 12,284.51 (template: 12,285)
    b = build_up(card(), "duty_manager")
    assert b is not None
    assert (b.contingency, b.management_fee, b.tax) == (D("291.54"), D("1501.43"), D("773.54"))
    assert b.all_in == D("12284.51")


def test_cs_staff_build_up_by_hand() -> None:
    # water bar = CS staff: base 4,000 + weekend OT 754 + holiday OT 259 = 5,013
    # direct 5,013 + 937.50 + 312.50 + welfare 1,213 = 7,476.00
    # contingency 3 % = 224.28 → subtotal 7,700.28
    # management 15 % = 1,155.042 → 1,155.04; subtotal + management = 8,855.32
    # tax 6.72 % = 595.077504 → 595.08; all-in 8,855.32 + 595.08 = 9,450.40 (template: 9,450)
    b = build_up(card(), "water_bar")
    assert b is not None
    assert (b.wage, b.social_insurance, b.housing_fund) == (D(5013), D("937.50"), D("312.50"))
    assert (b.direct, b.contingency, b.subtotal) == (D("7476.00"), D("224.28"), D("7700.28"))
    assert (b.management_fee, b.tax, b.all_in) == (D("1155.04"), D("595.08"), D("9450.40"))


def test_concierge_lead_build_up_by_hand() -> None:
    # butler = concierge lead: base 4,600 + 754 + 259 = 5,613
    # direct 5,613 + 937.50 + 312.50 + welfare 1,036 = 7,899.00
    # contingency 3 % = 236.97 → subtotal 8,135.97
    # management 15 % = 1,220.3955 → 1,220.40 (half up); subtotal + management = 9,356.37
    # tax 6.72 % = 628.748064 → 628.75; all-in 9,356.37 + 628.75 = 9,985.12 (template: 9,985)
    b = build_up(card(), "butler")
    assert b is not None
    assert (b.wage, b.social_insurance, b.housing_fund) == (D(5613), D("937.50"), D("312.50"))
    assert (b.direct, b.contingency, b.subtotal) == (D("7899.00"), D("236.97"), D("8135.97"))
    assert (b.management_fee, b.tax, b.all_in) == (D("1220.40"), D("628.75"), D("9985.12"))


def test_template_all_in_figures_within_one_yuan() -> None:
    # PARAMETERS.md §4 all-in results: supervisor 12,285, CS 9,450, lead 9,985, concierge 9,592
    published = {"duty_manager": 12285, "water_bar": 9450, "butler": 9985, "gate": 9592}
    c = card()
    for post, figure in published.items():
        b = build_up(c, post)
        assert b is not None
        assert abs(b.all_in - figure) < 1, post


def test_flat_rate_is_all_in_and_no_rate_is_none() -> None:
    c = card()
    cleaner = build_up(c, "cleaner")
    assert cleaner is not None and cleaner.flat and cleaner.all_in == D("2880.00")
    assert build_up(c, "sign_in") is None  # event post: no monthly rate


def test_post_social_base_override() -> None:
    data = card_dict()
    for post in ("gate", "parking", "door", "guide"):  # one team: the same pay for all four
        data["posts"][post]["social_base"] = 4000
    b = build_up(card(data), "gate")
    # 30 % × 4,000 = 1,200; 10 % × 4,000 = 400
    assert b is not None and (b.social_insurance, b.housing_fund) == (D(1200), D(400))


def test_money_rounds_half_up_to_the_fen() -> None:
    # 15 % of 100.30 = 15.045: half up gives 15.05 (banker's rounding and floats give 15.04)
    assert round(100.30 * 0.15, 2) == 15.04
    assert pct_of(D("100.30"), D(15)) == D("15.05")
    assert fen(D("0.005")) == D("0.01") and fen(D("0.0049")) == D("0.00")
    assert fen(D("2.675")) == D("2.68")  # round(2.675, 2) == 2.67 in binary floats


def test_half_up_inside_the_build_up() -> None:
    # base 100.30, no overtime, social base 0, welfare 0, contingency 0 → subtotal 100.30;
    # management 15 % = 15.045 → 15.05 (half up); tax 0 → all-in 115.35
    data = card_dict()
    data.update(social_base=0, contingency_pct=0, tax_pct=0)
    data["posts"]["gate"] = {"base_wage": "100.30", "event_rate": {"per": "hour", "amount": 1}}
    b = build_up(card(data), "gate")
    assert b is not None and b.management_fee == D("15.05") and b.all_in == D("115.35")
