"""Billing the event staff as booked (issue 19 item 3): the property posts' extra people per
block rostered into shifts at the booking terms (:mod:`sim.event_sizing.roster`), each shift
paid its units (hours, half days or days) at the post's price per unit.

Used only for a sizing file that carries a ``roster`` (written by a ``salesim size`` that
rosters) when the rate card or the scenario gives booking terms; an older sizing file, or a
card and scenario without terms, is billed as before (person-hours or the peak per day at
``event_rate``), so an archived fee plan re-reads to the same figures (docs/sizing-result.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal

from sim.event_sizing.roster import PostRoster, RosterError, roster_post
from sim.fee.errors import PlanError
from sim.fee.money import fen
from sim.fee.ratecard import LoadedCard
from sim.fee.sizing_file import BlockRow
from sim.scenario.event_booking import BookingTerms
from sim.scenario.schema import Scenario

UNIT_HOURS = {"hour": Decimal(1), "half_day": Decimal(4), "day": Decimal(8)}
"""Hours of a booking unit when a price per hour or per day is converted (A)."""
UNIT_WORDS = {"hour": "person-hour", "half_day": "person-half-day", "day": "person-day"}


def booking_terms(loaded: LoadedCard, scenario: Scenario) -> BookingTerms | None:
    """The scenario's ``event.booking`` over the card's ``booking``; ``None`` when neither
    gives a field (then the surcharge is billed as before)."""
    card = loaded.card.booking.terms() if loaded.card.booking is not None else None
    mine = scenario.event.booking if scenario.event is not None else BookingTerms()
    if card is None and not mine.model_fields_set:
        return None
    return mine.over(card)


def unit_price(loaded: LoadedCard, post: str, unit: str) -> Decimal:
    """元 per booking unit at ``post``: the card's ``booking.prices`` (per the card's unit),
    else its ``event_rate``; a price per another unit is converted by the units' hours (hour
    1, half day 4, day 8: the statutory day, (A))."""
    booking = loaded.card.booking
    if booking is not None and post in booking.prices:  # per the card's unit
        price, per = booking.prices[post], booking.unit_or_default
        return price if per == unit else fen(price * UNIT_HOURS[unit] / UNIT_HOURS[per])
    rate = loaded.card.posts[post].event_rate
    if rate is None:
        raise PlanError([f"{loaded.where('posts', post)}: posts.{post}.event_rate: missing; "
                         f"the event staff are booked per {unit} (give booking.prices.{post}: "
                         f"元 per {unit}, or an event_rate)"])  # fmt: skip
    if rate.per == unit:
        return rate.amount
    return fen(rate.amount * UNIT_HOURS[unit] / UNIT_HOURS[rate.per])


def edges_of(times: dict[str, tuple[float, float]], where: str) -> tuple[float, ...]:
    """Block edges from the blocks' start and end (they must follow each other)."""
    spans = sorted(times.values())
    for (_, end), (start, _) in itertools.pairwise(spans):
        if abs(end - start) > 1e-6:
            raise PlanError([f"{where}: the blocks of headcount do not follow each other, so "
                             "their people cannot be rostered into shifts"])  # fmt: skip
    return (spans[0][0], *(end for _, end in spans))


def post_roster(post: str, rows: Sequence[BlockRow], times: dict[str, tuple[float, float]],
                terms: BookingTerms, where: str) -> PostRoster:  # fmt: skip
    """The extra people of ``post`` per block (``rows``), rostered at ``terms``."""
    order = sorted(times, key=lambda b: times[b])
    need = {b: 0 for b in order}
    for r in rows:
        need[r.block] += r.extra
    try:
        return roster_post(post, [need[b] for b in order], edges_of(times, where), terms)
    except RosterError as exc:
        raise PlanError([f"{where}: {exc}"]) from None


def shifts_text(r: PostRoster) -> str:
    """'08:30-16:30 ×5, 09:30-13:30 ×2'."""
    return ", ".join(f"{s.label} ×{s.people}" for s in r.shifts)
