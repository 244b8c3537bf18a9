"""People from hours (人数测算): each post's covered hours a month against one person's hours.

For a post kept covered (``cover: position``):

    covered h/month = round(covered h/day × open days a month, 0.01)
    FTE             = round(covered h/month ÷ hours per person a month, 6 decimals)
    heads           = ceil(Σ FTE over the posts of its team)   (班组: they relieve each other)
    relief factor   = heads ÷ positions                        (an output, to 0.01)

A ``cover: person`` post (a manager) is held by the people on shift a day: its heads are those
people (a deputy stands in on their rest days). The reps are the people the scenario names.
Monthly cost = heads × all-in cost per person (:mod:`sim.fee.buildup`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from sim.fee.baseline import PostHours
from sim.fee.buildup import BuildUp
from sim.fee.card_sections import OptionalPost, ProductType
from sim.fee.errors import PlanError
from sim.fee.money import SIXTY, ZERO
from sim.fee.ratecard import LoadedCard, RateCard
from sim.fee.working_time import PersonHours, hours, person_hours

MICRO = Decimal("0.000001")
CENT = Decimal("0.01")


def fte_of(covered: Decimal, per_person: Decimal) -> Decimal:
    """Full-time people for ``covered`` hours a month: to 6 decimals, halves up."""
    return (covered / per_person).quantize(MICRO, rounding=ROUND_HALF_UP)


def whole_people(fte: Decimal) -> int:
    """Heads for a number of full-time people: ceil (Excel ``ROUNDUP(ROUND(x, 6), 0)``)."""
    return int(fte.quantize(MICRO).to_integral_value(rounding=ROUND_CEILING))


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
class PostCover:
    """One post's arithmetic: covered hours a month against one person's hours."""

    post: str
    positions: int
    hours_per_day: Decimal
    days: Decimal  # open days a month it is covered
    person: PersonHours
    basis: str

    @property
    def covered(self) -> Decimal:
        """Covered hours a month, to 0.01 h."""
        return hours(self.hours_per_day * self.days)

    @property
    def fte(self) -> Decimal:
        """Full-time people the covered hours take."""
        return fte_of(self.covered, self.person.total)


@dataclass(frozen=True)
class BaselineLine(_PerMonth):
    """One team (班组) of baseline posts: their hours, the heads and the monthly cost."""

    team: str
    posts: tuple[PostCover, ...]
    cover: str  # 'position', 'person' (a manager) or 'people' (the reps, named)
    heads: int
    billed: bool
    unit: Decimal  # all-in 元 per person-month (0 when not billed)
    months: int
    card_relief: Decimal | None  # the card's rule of thumb, for comparison

    @property
    def post(self) -> str:
        """The post id of a one-post line, else the team name."""
        return self.posts[0].post if len(self.posts) == 1 else self.team

    @property
    def positions(self) -> int:
        """Positions of the team's posts."""
        return sum(p.positions for p in self.posts)

    @property
    def covered(self) -> Decimal:
        """Covered hours a month of the team's posts."""
        return sum((p.covered for p in self.posts), ZERO)

    @property
    def fte(self) -> Decimal:
        """Full-time people of the team's posts."""
        return sum((p.fte for p in self.posts), ZERO)

    @property
    def relief(self) -> Decimal | None:
        """Heads ÷ positions, to 0.01 (the relief factor the hours work out); ``None`` for a
        manager or the reps, whose heads are people, not positions kept covered."""
        if self.cover != "position" or not self.positions:
            return None
        return (Decimal(self.heads) / self.positions).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OptionalLine(_PerMonth):
    """An optional post (选配岗位) of the product type, billed per month on top."""

    post: str
    source: str  # 'scenario' (staffed there, so not in the baseline) or 'card' (proposed)
    cover: PostCover
    heads: int
    heads_given: bool
    unit: Decimal
    months: int
    day_types: tuple[str, ...]
    note: str


def person_hours_by_post(card: RateCard) -> dict[str, PersonHours]:
    """One person's monthly hours at each post of the card."""
    return {post: person_hours(card.working_time, rate.working_time)
            for post, rate in card.posts.items()}  # fmt: skip


def _cover(count: PostHours, days: Decimal, person: PersonHours) -> PostCover:
    return PostCover(count.post, count.positions, count.hours_per_day, days, person,
                     count.basis)  # fmt: skip


def _team_heads(card: RateCard, members: list[PostHours], covers: list[PostCover]) -> int:
    rate = card.posts[members[0].post]
    if members[0].heads is not None:
        return members[0].heads
    if rate.cover == "person":
        return sum(m.people for m in members)
    return whole_people(sum((c.fte for c in covers), ZERO))


def baseline_lines(
    loaded: LoadedCard, counts: Sequence[PostHours], ups: dict[str, BuildUp]
) -> list[BaselineLine]:
    """Price the baseline posts team by team (``ups``: the card's build-ups)."""
    card = loaded.card
    persons = person_hours_by_post(card)
    days = card.working_time.open_days.total
    teams: dict[str, list[PostHours]] = {}
    for count in counts:
        if count.post in card.posts:  # unpriced posts are left unbilled (see unpriced_posts)
            teams.setdefault(card.team(count.post), []).append(count)
    lines = []
    for team, members in teams.items():
        first = card.posts[members[0].post]
        if first.billed and members[0].post not in ups:
            raise PlanError([f"{loaded.where('posts', members[0].post)}: posts.{members[0].post}: "
                             "has no monthly rate (base_wage or flat_monthly) but the baseline "
                             f"covers it ({members[0].basis})"])  # fmt: skip
        covers = [_cover(m, days, persons[m.post]) for m in members]
        kind = "people" if members[0].heads is not None else first.cover
        unit = ups[members[0].post].all_in if first.billed else ZERO
        lines.append(BaselineLine(team, tuple(covers), kind, _team_heads(card, members, covers),
                                  first.billed, unit, card.months, card.relief_factor))  # fmt: skip
    return lines


def _optional(
    card: RateCard, opt: OptionalPost, staffed: PostHours | None, open_minutes: int,
) -> PostCover:  # fmt: skip
    days = card.working_time.open_days.of(opt.day_types)
    person = person_hours(card.working_time, card.posts[opt.post].working_time)
    if staffed is not None:
        return _cover(staffed, days, person)
    per_day = opt.hours_per_day or hours(Decimal(open_minutes) / SIXTY)
    n = opt.positions or 0
    basis = f"费率卡建议 card proposal: {n} × {per_day:g} h a day on {'/'.join(opt.day_types)}"
    return PostCover(opt.post, n, hours(n * per_day), days, person, basis)


def optional_lines(
    loaded: LoadedCard, product: ProductType | None, counts: Sequence[PostHours],
    ups: dict[str, BuildUp], open_minutes: int,
) -> list[OptionalLine]:  # fmt: skip
    """The product type's optional posts. A post the scenario staffs is billed here from the
    scenario's hours (and left out of the baseline); any other from the card's proposal."""
    if product is None:
        return []
    card, by_post = loaded.card, {c.post: c for c in counts}
    out = []
    for opt in product.optional_posts:
        staffed = by_post.get(opt.post)
        cover = _optional(card, opt, staffed, open_minutes)
        heads = opt.heads if opt.heads is not None else whole_people(cover.fte)
        out.append(OptionalLine(opt.post, "scenario" if staffed else "card", cover, heads,
                                opt.heads is not None, ups[opt.post].all_in,
                                opt.months or card.months, opt.day_types, opt.note))  # fmt: skip
    return out
