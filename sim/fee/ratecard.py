"""The rate card (费率卡): what one person costs per post and month, per city and company.

A rate card is a YAML file (``ratecards/example_yancheng.yaml`` is the shipped example; the
fields are described in ``docs/fee-plan.md``). Money is in 元 to the fen, percentages are
written as percent (``6.72`` means 6.72 %). Every mistake in a card is reported like a scenario
mistake: ``file:line: path = value: what is allowed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from sim.core.schema import FieldError, NoBool, StrictModel, TypeDoc, did_you_mean
from sim.fee.booking import CardBooking
from sim.fee.card_sections import (
    Months,
    ProductType,
    Site,
    StaffingStandard,
    known_post,
)
from sim.fee.inputs import read_input
from sim.fee.posts import REPS
from sim.fee.working_time import TermsOverride, WorkingTime
from sim.scenario.loader import ScenarioError, error_lines, line_of, parse_yaml

Money = Annotated[
    Decimal, NoBool, Field(ge=0, decimal_places=2, allow_inf_nan=False),
    TypeDoc("元", "at least 0, to the fen (at most 2 decimals)"),
]  # fmt: skip
PositiveMoney = Annotated[
    Decimal, NoBool, Field(gt=0, decimal_places=2, allow_inf_nan=False),
    TypeDoc("元", "greater than 0, to the fen (at most 2 decimals)"),
]  # fmt: skip
Percent = Annotated[
    Decimal, NoBool, Field(ge=0, le=100, decimal_places=4, allow_inf_nan=False),
    TypeDoc("percent", "between 0 and 100 (6.72 means 6.72 %)"),
]  # fmt: skip
Relief = Annotated[
    Decimal, NoBool, Field(ge=1, le=3, decimal_places=4, allow_inf_nan=False),
    TypeDoc("ratio", "between 1 and 3 (heads per post)"),
]  # fmt: skip
BUILD_UP = ("base_wage", "weekend_overtime", "holiday_overtime", "welfare", "social_base")
TEAM_SAME = (*BUILD_UP, "billed", "flat_monthly", "cover", "working_time")


class RateCardError(Exception):
    """A rate card that cannot be used; ``lines`` are ready to print."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class EventRate(StrictModel):
    """What one extra person costs at an event: per hour or per day."""

    per: Literal["hour", "day"] = Field(description="billing unit: 'hour' or 'day'")
    amount: PositiveMoney = Field(description="元 per person-hour or person-day")


class PostRate(StrictModel):
    """One post's monthly labour cost per person: a build-up or a flat all-in rate."""

    label_zh: str | None = Field(None, description="Chinese label (default: the post's own)")
    billed: bool = Field(
        True, description="false = not billed by the property company (e.g. the agency's reps)"
    )
    base_wage: Money | None = Field(None, description="base wage 基本工资, 元/month")
    weekend_overtime: Money = Field(Decimal(0), description="weekend overtime 周末加班费, 元/month")
    holiday_overtime: Money = Field(Decimal(0), description="holiday overtime 节假日加班费, 元/mo.")
    welfare: Money = Field(
        Decimal(0), description="welfare, meals, uniform, other 福利/餐费/服装/其他, 元/month"
    )
    social_base: Money | None = Field(
        None, description="contribution base of social insurance and housing fund (default: card's)"
    )
    flat_monthly: PositiveMoney | None = Field(
        None, description="all-in 元/person/month instead of the build-up (e.g. outsourcing)"
    )
    team: Annotated[str, Field(min_length=1)] | None = Field(
        None, description="班组: posts of one team relieve each other (share their heads)"
    )
    cover: Literal["position", "person"] = Field(
        "position", description="position: kept covered on every open day (heads from hours); "
        "person: a role held by the people on shift (a manager; a deputy stands in)",
    )
    working_time: TermsOverride | None = Field(
        None, description="this post's own labour terms (default: the card's working_time)"
    )
    event_rate: EventRate | None = Field(None, description="rate for extra event staff")
    note: str = Field("", description="free text shown on the assumptions sheet")

    @model_validator(mode="after")
    def _one_way(self) -> PostRate:
        given = [k for k in BUILD_UP if k in self.model_fields_set]
        if self.flat_monthly is not None and given:
            raise FieldError(
                f"give either flat_monthly or the build-up ({', '.join(given)}), not both",
                loc=("flat_monthly",), value=self.flat_monthly,
            )  # fmt: skip
        if given and self.base_wage is None:
            raise FieldError("missing; the build-up needs a base wage (元/month)", ("base_wage",))
        return self

    @property
    def has_monthly(self) -> bool:
        """Whether the card gives a monthly cost (build-up or flat) for this post."""
        return self.base_wage is not None or self.flat_monthly is not None


class RateCard(StrictModel):
    """A city's or company's labour rates for the fee plan (收费方案费率卡)."""

    name: Annotated[str, Field(min_length=1)] = Field(description="card name")
    source: Annotated[str, Field(min_length=1)] = Field(description="where the figures come from")
    example: bool = Field(False, description="true = example figures, to be replaced")
    months: Months = Field(12, description="months the plan covers (合同期)")
    event_days: Annotated[int, NoBool, Field(ge=1, le=366)] = Field(
        1, description="event days billed at the sized headcount (each day the same)"
    )
    relief_factor: Relief | None = Field(
        None, description="heads per post of the company's rule of thumb: shown beside the "
        "relief factor the plan works out (heads ÷ positions), never used to count heads",
    )
    working_time: WorkingTime = Field(description="labour terms: open days, hours, rest, leave")
    social_base: Money = Field(description="social insurance / housing fund base, 元/month")
    social_insurance_pct: Percent = Field(description="employer social insurance, % of the base")
    housing_fund_pct: Percent = Field(description="employer housing fund, % of the base")
    contingency_pct: Percent = Field(description="contingency 不可预见费, % of the direct cost")
    management_fee_pct: Percent = Field(description="management fee 管理费, % of the subtotal")
    tax_pct: Percent = Field(description="tax 税金, % of (subtotal + management fee)")
    posts: Annotated[
        dict[str, PostRate],
        TypeDoc("mapping post: rate", "post ids, each once; a post left out is not billed"),
    ] = Field(description="rate per post id")
    product_types: dict[str, ProductType] = Field(
        default_factory=dict, description="业态 -> the optional posts proposed for it"
    )
    default_product_type: str | None = Field(
        None, description="the product type used when --product-type is not given"
    )
    staffing_standard: StaffingStandard | None = Field(
        None, description="posts from measured areas (with `site` or --area)"
    )
    site: Site | None = Field(None, description="measured areas, m²")
    booking: CardBooking | None = Field(
        None, description="how event staff are booked (issue 19): {unit, min_shift_hours, "
        "max_shift_hours, starts | start_step_min, prices}; a sizing with a roster is then "
        "billed by shifts (a scenario's event.booking wins field by field)",
    )

    @field_validator("posts")
    @classmethod
    def _every_post(cls, posts: dict[str, PostRate]) -> dict[str, PostRate]:
        for post in posts:
            known_post(post, loc=(post,))
        for post in posts:  # a post the card leaves out is unbilled, with a warning
            if posts[post].billed and post != REPS and not posts[post].has_monthly and (
                posts[post].event_rate is None
            ):
                raise FieldError(
                    "a billed post needs base_wage, flat_monthly or event_rate", loc=(post,)
                )
        return posts

    @model_validator(mode="after")
    def _optional_posts_priced(self) -> RateCard:
        for name, kind in self.product_types.items():
            for i, opt in enumerate(kind.optional_posts):
                rate = self.posts.get(opt.post)
                if rate is None or not (rate.billed and rate.has_monthly):
                    raise FieldError(
                        f"posts.{opt.post} has no monthly rate (base_wage or flat_monthly) "
                        "or is not billed", value=opt.post,
                        loc=("product_types", name, "optional_posts", i, "post"),
                    )  # fmt: skip
        default = self.default_product_type
        if default is not None and default not in self.product_types:
            raise FieldError(
                f"not a product type of this card{did_you_mean(default, self.product_types)}; "
                f"product types are {', '.join(self.product_types) or 'none'}",
                loc=("default_product_type",), value=default,
            )  # fmt: skip
        return self

    @model_validator(mode="after")
    def _teams_alike(self) -> RateCard:
        first: dict[str, str] = {}
        for post, rate in self.posts.items():
            if rate.team is None:
                continue
            lead = first.setdefault(rate.team, post)
            other = self.posts[lead]
            differ = [k for k in TEAM_SAME if getattr(rate, k) != getattr(other, k)]
            if differ:
                raise FieldError(
                    f"posts of team {rate.team!r} relieve each other, so they need the same pay "
                    f"and terms; this post differs from {lead} in {', '.join(differ)}",
                    loc=("posts", post, "team"), value=rate.team,
                )  # fmt: skip
        return self

    def team(self, post: str) -> str:
        """The team (班组) of a post: its ``team``, or the post itself."""
        return self.posts[post].team or post

    def product(self, name: str | None) -> ProductType | None:
        """The product type ``name`` (or the card's default; ``None`` when neither is set)."""
        chosen = name or self.default_product_type
        return None if chosen is None else self.product_types[chosen]


@dataclass(frozen=True)
class LoadedCard:
    """A validated rate card and where it came from (to point at its lines)."""

    card: RateCard
    source: str
    root: yaml.Node | None = None

    def where(self, *loc: str | int) -> str:
        """``file:line`` of a key of the card (``file`` alone when not found)."""
        line = line_of(self.root, loc)
        return f"{self.source}:{line}" if line else self.source


def validate_card(data: Any, source: str, root: yaml.Node | None = None) -> LoadedCard:
    """Validate parsed rate-card data; raise :class:`RateCardError` listing every problem."""
    if not isinstance(data, dict):
        raise RateCardError([f"{source}: a rate card must be a mapping of keys such as name:, "
                             "source:, relief_factor:, posts:"])  # fmt: skip
    try:
        return LoadedCard(RateCard.model_validate(data), source, root)
    except ValidationError as exc:
        raise RateCardError(error_lines(exc, data, root, source, RateCard)) from None


def load_card(path: str | Path) -> LoadedCard:
    """Read and validate a rate-card YAML file."""
    source = str(path)
    text = read_input(path, "rate card", RateCardError)
    try:
        data, root = parse_yaml(text, source)
    except ScenarioError as exc:
        raise RateCardError(exc.lines) from None
    return validate_card(data, source, root)
