"""The fee plan (收费方案): baseline posts, optional posts and the event surcharge, in 元.

Pure computation with :class:`~decimal.Decimal` money; the workbook, CSV and HTML only show
what this module computed (the workbook as formulas that give the same numbers).

Event billing rule (one per post, by its ``event_rate.per``):

- ``per: hour``: billed person-hours = Σ over blocks of extra people × block hours;
- ``per: day``: billed person-days = the largest extra headcount over the blocks (each extra
  person is engaged for the whole event day);

amount = round(units × rate × event days) to the fen. Posts not billed by the property company
(``billed: false``, e.g. the agency's reps) are listed with amount 0, and so are the sizing
rows whose ``payer`` is ``developer`` (开发商/代理岗位: the developer's or agency's own desks,
reported for planning). Rows without a ``payer`` (sizing files written before it existed)
follow the rate card as before (docs/sizing-result.md).

A multi-day sizing (its ``days``, issue 12) has the rows of every day: each day is billed once
at its own headcount (event days 1: the card's ``event_days`` is not applied), ``per: day``
bills the sum of the days' peaks, and :meth:`FeePlan.event_by_day` gives each day's surcharge.
With a ``roster`` (issue 19) each day's extra people are rostered into that day's shifts, and
a post is billed the sum of the days' booked units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sim.domain.labels import DEVELOPER
from sim.fee.baseline import PostHours
from sim.fee.buildup import BuildUp
from sim.fee.errors import PlanError
from sim.fee.heads import BaselineLine, OptionalLine
from sim.fee.money import SIXTY, ZERO, fen
from sim.fee.posts import ALL_POSTS, label_zh
from sim.fee.ratecard import LoadedCard
from sim.fee.roster_bill import post_roster, shifts_text, unit_price
from sim.fee.sizing_file import BlockRow, SizingFile
from sim.scenario.event_booking import BookingTerms


@dataclass(frozen=True)
class EventLine:
    """The event surcharge of one post: billed units × rate × event days."""

    post: str
    per: str  # 'hour' or 'day' ('' when the post is not billed)
    peak_extra: int
    person_minutes: int
    rate: Decimal
    days: int
    billed: bool
    roster_units: Decimal | None = None
    """Billed units of the booked shifts (issue 19; ``None``: billed from the rows as before)."""
    shifts: str = ""
    """The booked shifts, e.g. '08:30-16:30 ×5' (with ``roster_units``)."""

    @property
    def units(self) -> Decimal:
        """Person-hours (per hour) or person-days per event day (per day); with a roster, the
        shifts' units (hours, half days or days)."""
        if self.roster_units is not None:
            return self.roster_units
        if self.per == "day":
            return Decimal(self.peak_extra)
        return Decimal(self.person_minutes) / SIXTY

    @property
    def amount(self) -> Decimal:
        """元 for all event days, to the fen."""
        if not self.billed:
            return ZERO
        if self.roster_units is not None:
            return fen(self.roster_units * self.rate * self.days)
        if self.per == "day":
            return fen(self.peak_extra * self.rate * self.days)
        return fen(self.person_minutes * self.rate * self.days / SIXTY)


@dataclass(frozen=True)
class Surcharge:
    """The event surcharge at one confidence level."""

    level: str
    lines: tuple[EventLine, ...]

    @property
    def total(self) -> Decimal:
        """元, all posts."""
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def extra_heads(self) -> int:
        """The extra people at the busiest block of each billed post, summed over posts."""
        return sum(line.peak_extra for line in self.lines if line.billed)


@dataclass(frozen=True)
class FeePlan:
    """Everything the fee plan states, with its inputs."""

    loaded: LoadedCard
    scenario_name: str
    scenario_source: str
    basis: str  # 'scenario' or 'areas'
    build_ups: dict[str, BuildUp]
    baseline: tuple[BaselineLine, ...]
    optional: tuple[OptionalLine, ...]
    event: Surcharge | None = None
    event_at: dict[str, Surcharge] = field(default_factory=dict)
    sizing: SizingFile | None = None
    sizing_source: str = ""
    areas: dict[str, Decimal] = field(default_factory=dict)
    unpriced: tuple[str, ...] = ()  # staffed posts the card does not price: not billed
    product_type: str | None = None  # 业态 whose optional posts the plan proposes
    booking: BookingTerms | None = None  # the terms the surcharge was booked at (None: rows)

    @property
    def billed_event_days(self) -> int:
        """Event days billed: the sized days of a multi-day sizing, else the card's
        ``event_days``."""
        if self.sizing is not None and self.sizing.days:
            return len(self.sizing.days)
        return self.loaded.card.event_days

    def event_by_day(self) -> list[tuple[str, Surcharge]]:
        """A multi-day sizing's surcharge per day, at the plan's level (empty otherwise)."""
        if self.sizing is None or not self.sizing.days:
            return []
        return day_surcharges(self.loaded, self.sizing, self.sizing_source, self.booking)

    @property
    def product_label(self) -> str:
        """``别墅 villa``: the product type's Chinese label and id (or 未选 none)."""
        if self.product_type is None:
            return "未选业态 no product type"
        kind = self.loaded.card.product_types[self.product_type]
        return f"{kind.label_zh} {self.product_type}"

    @property
    def baseline_monthly(self) -> Decimal:
        """元 per month of the billed baseline posts."""
        return sum((line.monthly for line in self.baseline), ZERO)

    @property
    def baseline_heads(self) -> int:
        """People of the billed baseline posts."""
        return sum(line.heads for line in self.baseline if line.billed)

    @property
    def optional_heads(self) -> int:
        """People of the optional posts."""
        return sum(line.heads for line in self.optional)

    @property
    def optional_monthly(self) -> Decimal:
        """元 per month of the optional posts."""
        return sum((line.monthly for line in self.optional), ZERO)

    @property
    def baseline_amount(self) -> Decimal:
        """元 of the baseline posts over the plan's months."""
        return sum((line.amount for line in self.baseline), ZERO)

    @property
    def optional_amount(self) -> Decimal:
        """元 of the optional posts, each over its months."""
        return sum((line.amount for line in self.optional), ZERO)

    @property
    def period_total(self) -> Decimal:
        """元 over the plan: baseline and optional amounts (each over its months)."""
        return self.baseline_amount + self.optional_amount


def _minutes(row: BlockRow, times: dict[str, tuple[float, float]]) -> int:
    if row.start is not None and row.end is not None:
        return round(row.end - row.start)
    start, end = times[row.block]
    return round(end - start)


def _peak(rows: Sequence[BlockRow]) -> int:
    """The extra people at the busiest block, summed over the days of the rows (one day: the
    busiest block's)."""
    days = dict.fromkeys(r.day for r in rows)
    return sum(max(r.extra for r in rows if r.day == d) for d in days)


def surcharge(
    loaded: LoadedCard, rows: Sequence[BlockRow], level: str, times: dict[str, tuple[float, float]],
    where: str, days: int | None = None, terms: BookingTerms | None = None,
) -> Surcharge:  # fmt: skip
    """The event surcharge of sizing rows: each post's extra people priced by its event rate,
    for ``days`` event days (default: the card's ``event_days``); with booking ``terms`` the
    billed posts' extra people are rostered into shifts and billed per booking unit."""
    card, lines = loaded.card, []
    billed_days = card.event_days if days is None else days
    for post in ALL_POSTS:
        mine = [r for r in rows if r.post == post and r.extra > 0]
        if mine and all(r.payer == DEVELOPER for r in mine):
            lines.append(_developer_line(post, mine, times, billed_days))
            continue
        mine = [r for r in mine if r.payer != DEVELOPER]
        if not mine or post not in card.posts:  # unpriced: left unbilled (see unpriced_posts)
            continue
        for r in mine:
            if r.start is None and r.block not in times:
                raise PlanError([f"{where}: block {r.block!r} of post {post} has no start/end "
                                 "and is not a block of headcount"])  # fmt: skip
        rate = card.posts[post]
        peak = _peak(mine)
        minutes = sum(r.extra * _minutes(r, times) for r in mine)
        if rate.billed and terms is not None:
            lines.append(_roster_line(loaded, post, mine, times, terms, where, billed_days))
            continue
        if rate.billed and rate.event_rate is None:
            raise PlanError([f"{loaded.where('posts', post)}: posts.{post}.event_rate: missing; "
                             f"the sizing file {where} has {peak} extra people at this post "
                             "(give {per: hour|day, amount} or billed: false)"])  # fmt: skip
        per, amount = ("", ZERO)
        if rate.billed and rate.event_rate is not None:
            per, amount = rate.event_rate.per, rate.event_rate.amount
        lines.append(EventLine(post, per, peak, minutes, amount, billed_days, rate.billed))
    return Surcharge(level, tuple(lines))


def _roster_line(loaded: LoadedCard, post: str, mine: Sequence[BlockRow],
                 times: dict[str, tuple[float, float]], terms: BookingTerms, where: str,
                 days: int) -> EventLine:  # fmt: skip
    """A billed post's extra people as booked shifts at ``terms`` (issue 19): rostered day by
    day (a multi-day sizing's rows name their day), the units summed over the days."""
    unit = terms.unit_or_default
    per_day = [(day, post_roster(post, [x for x in mine if x.day == day], times, terms, where))
               for day in dict.fromkeys(x.day for x in mine)]  # fmt: skip
    units = sum((Decimal(repr(round(r.units, 4))) for _, r in per_day), ZERO).normalize()
    shifts = "; ".join(f"{day}: {shifts_text(r)}" if day is not None else shifts_text(r)
                       for day, r in per_day)  # fmt: skip
    minutes = sum(x.extra * _minutes(x, times) for x in mine)
    return EventLine(post, unit, _peak(mine), minutes, unit_price(loaded, post, unit), days,
                     True, units, shifts)  # fmt: skip


def _developer_line(
    post: str, mine: Sequence[BlockRow], times: dict[str, tuple[float, float]], days: int
) -> EventLine:
    """A developer/agency post (开发商/代理岗位): shown with its people, never billed."""
    peak = _peak(mine)
    minutes = sum(r.extra * _minutes(r, times) for r in mine)
    return EventLine(post, "", peak, minutes, ZERO, days, False)


def unpriced_posts(
    loaded: LoadedCard, counts: Sequence[PostHours], sizing: SizingFile | None
) -> tuple[str, ...]:
    """Posts the plan staffs (baseline or event extra) that the rate card does not price: they
    are left unbilled, and the plan warns about each."""
    staffed = [c.post for c in counts]
    if sizing is not None:
        staffed += [r.post for r in sizing.headcount if r.extra > 0 and r.payer != DEVELOPER]
    return tuple(dict.fromkeys(p for p in staffed if p not in loaded.card.posts))


def unpriced_warning(post: str) -> str:
    """The warning for one unpriced post (Chinese first)."""
    return (f"费率卡未定价岗位 {label_zh(post)} ({post})，不计费 — the rate card does not price "
            f"post '{post}', so it is left unbilled; add posts.{post} to the card to bill it")


def level_label(confidence: float) -> str:
    """A confidence level as written, exactly, with at least two decimals like the levels of
    ``headcount_at``: 0.9 → '0.90', 0.95 → '0.95', 0.975 → '0.975'."""
    exact = Decimal(repr(float(confidence)))
    two = exact.quantize(Decimal("0.01"))
    return f"{two if two == exact else exact:f}"


def billed_terms(sizing: SizingFile, terms: BookingTerms | None) -> BookingTerms | None:
    """``terms`` when the sizing carries a ``roster`` (one day, or every day of a multi-day
    sizing; issue 19), else ``None``: an older file is billed from its rows as before."""
    return None if sizing.roster is None else terms


def event_surcharges(
    loaded: LoadedCard, sizing: SizingFile, where: str, terms: BookingTerms | None = None,
) -> tuple[Surcharge, dict[str, Surcharge]]:  # fmt: skip
    """The surcharge at the sizing's confidence and at each level of ``headcount_at``; booked
    as shifts at ``terms`` only for a sizing that carries a ``roster`` (issue 19)."""
    times = sizing.block_times()
    days = 1 if sizing.days else None
    terms = billed_terms(sizing, terms)
    main = surcharge(loaded, sizing.headcount, level_label(sizing.confidence), times, where, days,
                     terms)  # fmt: skip
    at = {lv: surcharge(loaded, rows, lv, times, where, days, terms)
          for lv, rows in sorted(sizing.headcount_at.items())}  # fmt: skip
    return main, at


def day_surcharges(loaded: LoadedCard, sizing: SizingFile, where: str,
                   terms: BookingTerms | None = None) -> list[tuple[str, Surcharge]]:  # fmt: skip
    """Each day of a multi-day sizing: its surcharge at the sizing's level, billed once (as
    the day's booked shifts at ``terms`` when the sizing carries a ``roster``)."""
    times, level = sizing.block_times(), level_label(sizing.confidence)
    terms = billed_terms(sizing, terms)
    return [(str(label), surcharge(loaded, [r for r in sizing.headcount if r.day == label],
                                   level, times, where, 1, terms))
            for label in sizing.day_labels()]  # fmt: skip

