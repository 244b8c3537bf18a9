"""Sections of a rate card besides the post rates: optional posts by product type (业态),
the staffing standard by measured area, and the measured site."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from sim.core.schema import NO_VALUE, FieldError, Loc, NoBool, StrictModel, TypeDoc, did_you_mean
from sim.fee.posts import ALL_POSTS
from sim.fee.working_time import HoursPerDay

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


def known_post(post: str, loc: Loc = ()) -> str:
    """``post`` if it is a post id; else a field error listing the ids (with a close match)."""
    if post not in ALL_POSTS:
        raise FieldError(
            f"unknown post{did_you_mean(post, ALL_POSTS)}; posts are {', '.join(ALL_POSTS)}",
            loc=loc, value=post if not loc else NO_VALUE,
        )  # fmt: skip
    return post


class OptionalPost(StrictModel):
    """An optional post (选配岗位) proposed for a product type, billed per month on top."""

    post: str = Field(description="post id, e.g. butler")
    heads: Annotated[int, NoBool, Field(ge=1, le=500)] | None = Field(
        None, description="people hired for it; or give `positions` to work the heads out"
    )
    positions: Annotated[int, NoBool, Field(ge=1, le=500)] | None = Field(
        None, description="positions kept covered on its day types; heads follow from the hours"
    )
    hours_per_day: HoursPerDay | None = Field(
        None, description="hours a day each position is covered (default: the office's hours)"
    )
    day_types: Annotated[tuple[DayType, ...], Field(min_length=1)] = Field(
        ("weekday", "weekend", "holiday"), description="days the post is on duty"
    )
    months: Months | None = Field(None, description="months billed (default: the card's months)")
    note: str = Field("", description="why the post is proposed")

    @field_validator("post")
    @classmethod
    def _post(cls, post: str) -> str:
        return known_post(post)

    @model_validator(mode="after")
    def _heads_or_positions(self) -> OptionalPost:
        if (self.heads is None) == (self.positions is None):
            raise FieldError("give exactly one of heads (people) or positions (kept covered)")
        return self


class ProductType(StrictModel):
    """A product type (业态) and the optional posts the company proposes for it (seed 000)."""

    label_zh: Annotated[str, Field(min_length=1)] = Field(description="Chinese name, e.g. 别墅")
    optional_posts: tuple[OptionalPost, ...] = Field((), description="选配岗位 for this type")

    @model_validator(mode="after")
    def _each_post_once(self) -> ProductType:
        seen: set[str] = set()
        for i, opt in enumerate(self.optional_posts):
            if opt.post in seen:
                raise FieldError("proposed twice for this product type; a post is proposed once",
                                 loc=("optional_posts", i, "post"), value=opt.post)  # fmt: skip
            seen.add(opt.post)
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
        return known_post(post)


class StaffingStandard(StrictModel):
    """The company's staffing standard (财务收支界面测算标准): positions from measured areas."""

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
            known_post(post, loc=(post,))
        return fixed


class Site(StrictModel):
    """Measured areas of the sales office (测量面积), m²."""

    hall: Area = Field(Decimal(0), description="sales hall 销售大厅, m²")
    offices: Area = Field(Decimal(0), description="offices and back rooms 办公区, m²")
    sample_houses: Area = Field(Decimal(0), description="sample houses 样板间, m²")
    grounds: Area = Field(Decimal(0), description="grounds, parking, paths 室外场地, m²")
