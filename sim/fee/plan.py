"""The fee plan (收费方案): baseline posts, optional posts and the event surcharge, in 元.

Pure computation with :class:`~decimal.Decimal` money; the workbook, CSV and HTML only show
what this module computed (the workbook as formulas that give the same numbers).

Event billing rule (one per post, by its ``event_rate.per``):

- ``per: hour``: billed person-hours = Σ over blocks of extra people × block hours;
- ``per: day``: billed person-days = the largest extra headcount over the blocks (each extra
  person is engaged for the whole event day);

amount = round(units × rate × event days) to the fen. Posts not billed by the property company
(``billed: false``, e.g. the agency's reps) are listed with amount 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sim.fee.baseline import PostCount
from sim.fee.buildup import BuildUp
from sim.fee.money import fen, heads_for
from sim.fee.posts import ALL_POSTS, label_zh
from sim.fee.ratecard import LoadedCard
from sim.fee.sizing_file import BlockRow, Sizing

ZERO = Decimal(0)
SIXTY = Decimal(60)


class PlanError(Exception):
    """Inputs that do not fit together (e.g. a sized post without an event rate)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class _PerMonth:
    """Heads × all-in unit cost per month, over a number of months."""

    heads: int
    unit: Decimal
    months: int

    @property
    def monthly(self) -> Decimal:
        """元 per month: heads × unit."""
        return self.heads * self.unit

    @property
    def amount(self) -> Decimal:
        """元 over the line's months."""
        return self.monthly * self.months


@dataclass(frozen=True)
class BaselineLine(_PerMonth):
    """One baseline post: posts, heads, monthly cost and the amount over the plan."""

    post: str
    posts: int  # people on shift a day (scenario) or posts of the staffing standard (areas)
    peak: int | None  # most on duty at once, information only (None from areas)
    relief: Decimal
    heads: int
    billed: bool
    unit: Decimal  # all-in 元 per person-month (0 when not billed)
    months: int
    basis: str
    heads_given: bool = False  # heads counted directly (reps), not ceil(posts × relief)


@dataclass(frozen=True)
class OptionalLine(_PerMonth):
    """An optional post for normal days, billed per month on top of the baseline."""

    post: str
    posts: int | None
    relief: Decimal
    heads: int
    unit: Decimal
    months: int
    day_types: tuple[str, ...]
    note: str


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

    @property
    def units(self) -> Decimal:
        """Person-hours (per hour) or person-days per event day (per day)."""
        if self.per == "day":
            return Decimal(self.peak_extra)
        return Decimal(self.person_minutes) / SIXTY

    @property
    def amount(self) -> Decimal:
        """元 for all event days, to the fen."""
        if not self.billed:
            return ZERO
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
    sizing: Sizing | None = None
    sizing_source: str = ""
    areas: dict[str, Decimal] = field(default_factory=dict)
    unpriced: tuple[str, ...] = ()  # staffed posts the card does not price: not billed

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


def baseline_lines(
    loaded: LoadedCard, counts: Sequence[PostCount], ups: dict[str, BuildUp]
) -> list[BaselineLine]:
    """Price each post count: heads = ceil(posts × relief) and the all-in monthly cost
    (``ups``: the card's build-ups, :func:`sim.fee.buildup.build_ups`)."""
    card, lines = loaded.card, []
    for count in counts:
        if count.post not in card.posts:
            continue  # unpriced: left unbilled (see unpriced_posts)
        rate, relief = card.posts[count.post], card.relief(count.post)
        heads = count.heads if count.heads is not None else heads_for(count.posts, relief)
        if rate.billed and count.post not in ups:
            raise PlanError([f"{loaded.where('posts', count.post)}: posts.{count.post}: has no "
                             "monthly rate (base_wage or flat_monthly) but the baseline staffs "
                             f"{count.posts} post(s) ({count.basis})"])  # fmt: skip
        unit = ups[count.post].all_in if rate.billed else ZERO
        lines.append(BaselineLine(count.post, count.posts, count.peak, relief, heads,
                                  rate.billed, unit, card.months, count.basis,
                                  heads_given=count.heads is not None))  # fmt: skip
    return lines


def optional_lines(loaded: LoadedCard, ups: dict[str, BuildUp]) -> list[OptionalLine]:
    """The card's optional posts, each heads × all-in monthly cost × months (``ups``: the
    card's build-ups)."""
    card = loaded.card
    out = []
    for opt in card.optional_posts:
        relief = card.relief(opt.post)
        heads = opt.heads if opt.heads is not None else heads_for(opt.posts or 0, relief)
        months = opt.months or card.months
        out.append(OptionalLine(opt.post, opt.posts, relief, heads, ups[opt.post].all_in, months,
                                opt.day_types, opt.note))  # fmt: skip
    return out


def _minutes(row: BlockRow, times: dict[str, tuple[float, float]]) -> int:
    if row.start is not None and row.end is not None:
        return round(row.end - row.start)
    start, end = times[row.block]
    return round(end - start)


def surcharge(
    loaded: LoadedCard, rows: Sequence[BlockRow], level: str, times: dict[str, tuple[float, float]],
    where: str,
) -> Surcharge:  # fmt: skip
    """The event surcharge of sizing rows: each post's extra people priced by its event rate."""
    card, lines = loaded.card, []
    for post in ALL_POSTS:
        mine = [r for r in rows if r.post == post and r.extra > 0]
        if not mine or post not in card.posts:  # unpriced: left unbilled (see unpriced_posts)
            continue
        for r in mine:
            if r.start is None and r.block not in times:
                raise PlanError([f"{where}: block {r.block!r} of post {post} has no start/end "
                                 "and is not a block of headcount"])  # fmt: skip
        rate = card.posts[post]
        peak = max(r.extra for r in mine)
        minutes = sum(r.extra * _minutes(r, times) for r in mine)
        if rate.billed and rate.event_rate is None:
            raise PlanError([f"{loaded.where('posts', post)}: posts.{post}.event_rate: missing; "
                             f"the sizing file {where} has {peak} extra people at this post "
                             "(give {per: hour|day, amount} or billed: false)"])  # fmt: skip
        per, amount = ("", ZERO)
        if rate.billed and rate.event_rate is not None:
            per, amount = rate.event_rate.per, rate.event_rate.amount
        lines.append(EventLine(post, per, peak, minutes, amount, card.event_days, rate.billed))
    return Surcharge(level, tuple(lines))


def unpriced_posts(
    loaded: LoadedCard, counts: Sequence[PostCount], sizing: Sizing | None
) -> tuple[str, ...]:
    """Posts the plan staffs (baseline or event extra) that the rate card does not price: they
    are left unbilled, and the plan warns about each."""
    staffed = [c.post for c in counts]
    if sizing is not None:
        staffed += [r.post for r in sizing.headcount if r.extra > 0]
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


def event_surcharges(
    loaded: LoadedCard, sizing: Sizing, where: str
) -> tuple[Surcharge, dict[str, Surcharge]]:
    """The surcharge at the sizing's confidence and at each level of ``headcount_at``."""
    times = sizing.block_times()
    main = surcharge(loaded, sizing.headcount, level_label(sizing.confidence), times, where)
    at = {lv: surcharge(loaded, rows, lv, times, where)
          for lv, rows in sorted(sizing.headcount_at.items())}  # fmt: skip
    return main, at

