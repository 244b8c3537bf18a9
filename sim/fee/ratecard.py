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

from sim.core.schema import NO_VALUE, FieldError, Loc, NoBool, StrictModel, TypeDoc, did_you_mean
from sim.fee.inputs import read_input
from sim.fee.posts import ALL_POSTS, REPS
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
Area = Annotated[
    Decimal, NoBool, Field(ge=0, decimal_places=2, allow_inf_nan=False), TypeDoc("m²", "≥ 0")
]
Months = Annotated[int, NoBool, Field(ge=1, le=120)]
DayType = Literal["weekday", "weekend", "holiday", "event"]
AreaName = Literal["hall", "offices", "sample_houses", "grounds"]
AREA_LABELS: dict[str, str] = {
    "hall": "大厅 hall", "offices": "办公区 offices", "sample_houses": "样板间 sample houses",
    "grounds": "室外场地 grounds",
}  # fmt: skip
BUILD_UP = ("base_wage", "weekend_overtime", "holiday_overtime", "welfare", "social_base")


class RateCardError(Exception):
    """A rate card that cannot be used; ``lines`` are ready to print."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def _known_post(post: str, loc: Loc = ()) -> str:
    if post not in ALL_POSTS:
        raise FieldError(
            f"unknown post{did_you_mean(post, ALL_POSTS)}; posts are {', '.join(ALL_POSTS)}",
            loc=loc, value=post if not loc else NO_VALUE,
        )  # fmt: skip
    return post


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
    relief_factor: Relief | None = Field(None, description="heads per post (default: card's)")
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


class OptionalPost(StrictModel):
    """An optional post (选配岗位) proposed for normal days, billed per month on top."""

    post: str = Field(description="post id, e.g. butler")
    heads: Annotated[int, NoBool, Field(ge=1, le=500)] | None = Field(
        None, description="people; or give `posts` (people on shift a day) to apply the relief"
    )
    posts: Annotated[int, NoBool, Field(ge=1, le=500)] | None = Field(
        None, description="people on shift a day; heads = ceil(posts × relief factor)"
    )
    day_types: Annotated[tuple[DayType, ...], Field(min_length=1)] = Field(
        ("weekday", "weekend", "holiday"), description="days the post is on duty (shown in plan)"
    )
    months: Months | None = Field(None, description="months billed (default: the card's months)")
    note: str = Field("", description="why the post is proposed")

    @field_validator("post")
    @classmethod
    def _post(cls, post: str) -> str:
        return _known_post(post)

    @model_validator(mode="after")
    def _heads_or_posts(self) -> OptionalPost:
        if (self.heads is None) == (self.posts is None):
            raise FieldError("give exactly one of heads (people) or posts (people on shift a day)")
        return self


class AreaRule(StrictModel):
    """One line of the staffing standard: one post per so many m² of an area."""

    area: AreaName = Field(description="hall, offices, sample_houses or grounds")
    post: str = Field(description="post id staffed for this area")
    m2_per_post: Annotated[Decimal, NoBool, Field(gt=0, decimal_places=2, allow_inf_nan=False)] = (
        Field(description="m² per post; posts = ceil(area m² / m2_per_post)")
    )

    @field_validator("post")
    @classmethod
    def _post(cls, post: str) -> str:
        return _known_post(post)


class StaffingStandard(StrictModel):
    """The company's staffing standard (财务收支界面测算标准): posts from measured areas."""

    rules: Annotated[tuple[AreaRule, ...], Field(min_length=1)] = Field(
        description="list of {area, post, m2_per_post}"
    )
    fixed_posts: dict[str, Annotated[int, NoBool, Field(ge=0, le=200)]] = Field(
        default_factory=dict, description="posts staffed whatever the area, e.g. {duty_manager: 1}"
    )

    @field_validator("fixed_posts")
    @classmethod
    def _posts(cls, fixed: dict[str, int]) -> dict[str, int]:
        for post in fixed:
            _known_post(post, loc=(post,))
        return fixed


class Site(StrictModel):
    """Measured areas of the sales office (测量面积), m²."""

    hall: Area = Field(Decimal(0), description="sales hall 销售大厅, m²")
    offices: Area = Field(Decimal(0), description="offices and back rooms 办公区, m²")
    sample_houses: Area = Field(Decimal(0), description="sample houses 样板间, m²")
    grounds: Area = Field(Decimal(0), description="grounds, parking, paths 室外场地, m²")


class RateCard(StrictModel):
    """A city's or company's labour rates for the fee plan (收费方案费率卡)."""

    name: Annotated[str, Field(min_length=1)] = Field(description="card name")
    source: Annotated[str, Field(min_length=1)] = Field(description="where the figures come from")
    example: bool = Field(False, description="true = example figures, to be replaced")
    months: Months = Field(12, description="months the plan covers (合同期)")
    event_days: Annotated[int, NoBool, Field(ge=1, le=366)] = Field(
        1, description="event days billed at the sized headcount (each day the same)"
    )
    relief_factor: Relief = Field(description="heads per post (covers rest days)")
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
    optional_posts: tuple[OptionalPost, ...] = Field((), description="选配岗位 for normal days")
    staffing_standard: StaffingStandard | None = Field(
        None, description="posts from measured areas (with `site` or --area)"
    )
    site: Site | None = Field(None, description="measured areas, m²")

    @field_validator("posts")
    @classmethod
    def _every_post(cls, posts: dict[str, PostRate]) -> dict[str, PostRate]:
        for post in posts:
            _known_post(post, loc=(post,))
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
        for i, opt in enumerate(self.optional_posts):
            rate = self.posts.get(opt.post)
            if rate is None or not (rate.billed and rate.has_monthly):
                raise FieldError(
                    f"posts.{opt.post} has no monthly rate (base_wage or flat_monthly) "
                    "or is not billed", loc=("optional_posts", i, "post"), value=opt.post,
                )  # fmt: skip
        return self

    def relief(self, post: str) -> Decimal:
        """The relief factor of a post: its own, or the card's."""
        return self.posts[post].relief_factor or self.relief_factor


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
