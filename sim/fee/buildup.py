"""The monthly labour cost build-up of one person at a post (单人月度人工成本测算).

For a post with a build-up (the Yancheng template of PARAMETERS.md §4), each step to the fen:

    wage          = base_wage + weekend_overtime + holiday_overtime
    social_ins    = round(social_base × social_insurance_pct %)
    housing_fund  = round(social_base × housing_fund_pct %)
    direct        = wage + social_ins + housing_fund + welfare
    contingency   = round(direct × contingency_pct %)
    subtotal      = direct + contingency
    management    = round(subtotal × management_fee_pct %)
    tax           = round((subtotal + management) × tax_pct %)
    all_in        = subtotal + management + tax

A post with ``flat_monthly`` costs that amount all-in (management fee and tax included).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sim.fee.money import ZERO, fen, pct_of
from sim.fee.ratecard import RateCard


@dataclass(frozen=True)
class BuildUp:
    """One person's monthly cost at a post, step by step (元, to the fen)."""

    post: str
    flat: bool
    base_wage: Decimal
    weekend_overtime: Decimal
    holiday_overtime: Decimal
    wage: Decimal
    social_base: Decimal
    social_insurance: Decimal
    housing_fund: Decimal
    welfare: Decimal
    direct: Decimal
    contingency: Decimal
    subtotal: Decimal
    management_fee: Decimal
    tax: Decimal
    all_in: Decimal


def _flat(post: str, amount: Decimal) -> BuildUp:
    z = ZERO
    return BuildUp(post, True, z, z, z, z, z, z, z, z, z, z, z, z, z, amount)


def build_up(card: RateCard, post: str) -> BuildUp | None:
    """The cost build-up of one person at ``post`` (``None`` if the card has no monthly rate)."""
    rate = card.posts[post]
    if rate.flat_monthly is not None:
        return _flat(post, fen(rate.flat_monthly))
    if rate.base_wage is None:
        return None
    wage = rate.base_wage + rate.weekend_overtime + rate.holiday_overtime
    base = rate.social_base if rate.social_base is not None else card.social_base
    social = pct_of(base, card.social_insurance_pct)
    housing = pct_of(base, card.housing_fund_pct)
    direct = wage + social + housing + rate.welfare
    contingency = pct_of(direct, card.contingency_pct)
    subtotal = direct + contingency
    management = pct_of(subtotal, card.management_fee_pct)
    tax = pct_of(subtotal + management, card.tax_pct)
    return BuildUp(
        post=post, flat=False, base_wage=rate.base_wage,
        weekend_overtime=rate.weekend_overtime, holiday_overtime=rate.holiday_overtime,
        wage=wage, social_base=base, social_insurance=social, housing_fund=housing,
        welfare=rate.welfare, direct=direct, contingency=contingency, subtotal=subtotal,
        management_fee=management, tax=tax, all_in=subtotal + management + tax,
    )  # fmt: skip


def build_ups(card: RateCard) -> dict[str, BuildUp]:
    """The build-up of every post the card gives a monthly rate for."""
    out = {}
    for post in card.posts:
        found = build_up(card, post)
        if found is not None:
            out[post] = found
    return out
