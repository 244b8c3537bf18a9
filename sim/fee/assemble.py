"""Putting a fee plan together from a rate card, a scenario and (optionally) a sizing result."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from sim.core.schema import did_you_mean
from sim.fee.baseline import PostHours, from_areas, from_scenario
from sim.fee.buildup import build_ups
from sim.fee.card_sections import Site
from sim.fee.errors import PlanError
from sim.fee.heads import baseline_lines, optional_lines
from sim.fee.plan import FeePlan, Surcharge, billed_terms, event_surcharges, unpriced_posts
from sim.fee.ratecard import LoadedCard
from sim.fee.roster_bill import booking_terms
from sim.fee.sizing_file import SizingFile
from sim.scenario.schema import Scenario

Basis = Literal["scenario", "areas"]


def site_areas(site: Site) -> dict[str, Decimal]:
    """The measured areas by name (hall, offices, sample_houses, grounds), m²."""
    return {name: getattr(site, name) for name in Site.model_fields}


def product_type(loaded: LoadedCard, chosen: str | None) -> str | None:
    """The product type the plan proposes optional posts for: ``chosen`` or the card's default;
    an unknown name is a :class:`PlanError` listing the card's product types."""
    card = loaded.card
    if chosen is None:
        return card.default_product_type
    if chosen not in card.product_types:
        known = ", ".join(f"{k} ({v.label_zh})" for k, v in card.product_types.items())
        raise PlanError([f"--product-type {chosen}: 费率卡无此业态 not a product type of "
                         f"{loaded.source}{did_you_mean(chosen, card.product_types)}; "
                         f"product types are {known or 'none'}"])  # fmt: skip
    return chosen


def _counts(loaded: LoadedCard, scenario: Scenario, basis: Basis, site: Site | None
            ) -> tuple[list[PostHours], dict[str, Decimal]]:  # fmt: skip
    card = loaded.card
    if basis != "areas":
        return from_scenario(scenario), {}
    where = site or card.site
    if card.staffing_standard is None:
        raise PlanError([f"{loaded.source}: staffing_standard: missing; pricing from measured "
                         "areas needs the card's staffing standard (m² per post)"])  # fmt: skip
    if where is None:
        raise PlanError([f"{loaded.source}: site: missing; give the measured areas in the "
                         "card's site: block or with --area hall=M2 ..."])  # fmt: skip
    return from_areas(card, where, scenario), site_areas(where)


def make_plan(
    loaded: LoadedCard, scenario: Scenario, scenario_source: str, basis: Basis = "scenario",
    site: Site | None = None, sizing: SizingFile | None = None, sizing_source: str = "",
    product: str | None = None,
) -> FeePlan:  # fmt: skip
    """The fee plan: baseline from the scenario's shifts or from measured areas (``site``, else
    the card's ``site``), the optional posts of the product type (``product`` or the card's
    default) and, with a sizing result, the event surcharge. A post is billed once: an
    optional post the scenario staffs leaves the baseline."""
    card = loaded.card
    counts, areas = _counts(loaded, scenario, basis, site)
    chosen = product_type(loaded, product)
    kind = card.product(chosen)
    optional_ids = {o.post for o in kind.optional_posts} if kind else set()
    ups = build_ups(card)
    open_minutes = round(scenario.day.close - scenario.day.open)
    baseline = baseline_lines(loaded, [c for c in counts if c.post not in optional_ids], ups)
    event: Surcharge | None = None
    event_at: dict[str, Surcharge] = {}
    terms = None
    if sizing is not None:
        terms = billed_terms(sizing, booking_terms(loaded, scenario))
        event, event_at = event_surcharges(loaded, sizing, sizing_source, terms)
    return FeePlan(
        loaded=loaded, scenario_name=scenario.name, scenario_source=scenario_source, basis=basis,
        build_ups=ups, baseline=tuple(baseline),
        optional=tuple(optional_lines(loaded, kind, counts, ups, open_minutes)),
        event=event, event_at=event_at, sizing=sizing, sizing_source=sizing_source, areas=areas,
        unpriced=unpriced_posts(loaded, counts, sizing), product_type=chosen, booking=terms,
    )  # fmt: skip
