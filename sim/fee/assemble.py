"""Putting a fee plan together from a rate card, a scenario and (optionally) a sizing result."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from sim.fee.baseline import from_areas, from_scenario
from sim.fee.buildup import build_ups
from sim.fee.plan import (
    FeePlan,
    PlanError,
    Surcharge,
    baseline_lines,
    event_surcharges,
    optional_lines,
    unpriced_posts,
)
from sim.fee.ratecard import LoadedCard, Site
from sim.fee.sizing_file import Sizing
from sim.scenario.schema import Scenario

Basis = Literal["scenario", "areas"]


def site_areas(site: Site) -> dict[str, Decimal]:
    """The measured areas by name (hall, offices, sample_houses, grounds), m²."""
    return {name: getattr(site, name) for name in Site.model_fields}


def make_plan(
    loaded: LoadedCard, scenario: Scenario, scenario_source: str, basis: Basis = "scenario",
    site: Site | None = None, sizing: Sizing | None = None, sizing_source: str = "",
) -> FeePlan:  # fmt: skip
    """The fee plan: baseline from the scenario's shifts or from measured areas (``site``, else
    the card's ``site``), the card's optional posts and, with a sizing result, the surcharge."""
    card = loaded.card
    areas: dict[str, Decimal] = {}
    if basis == "areas":
        where = site or card.site
        if card.staffing_standard is None:
            raise PlanError([f"{loaded.source}: staffing_standard: missing; pricing from measured "
                             "areas needs the card's staffing standard (m² per post)"])  # fmt: skip
        if where is None:
            raise PlanError([f"{loaded.source}: site: missing; give the measured areas in the "
                             "card's site: block or with --area hall=M2 ..."])  # fmt: skip
        counts = from_areas(card, where, scenario)
        areas = site_areas(where)
    else:
        counts = from_scenario(scenario)
    ups = build_ups(card)
    baseline = baseline_lines(loaded, counts, ups)
    event: Surcharge | None = None
    event_at: dict[str, Surcharge] = {}
    if sizing is not None:
        event, event_at = event_surcharges(loaded, sizing, sizing_source)
    return FeePlan(
        loaded=loaded, scenario_name=scenario.name, scenario_source=scenario_source, basis=basis,
        build_ups=ups, baseline=tuple(baseline), optional=tuple(optional_lines(loaded, ups)),
        event=event, event_at=event_at, sizing=sizing, sizing_source=sizing_source, areas=areas,
        unpriced=unpriced_posts(loaded, counts, sizing),
    )  # fmt: skip
