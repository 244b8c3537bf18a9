"""The office and its visitors: who comes (group sizes and type shares), the reps, the VIP
rooms, sample houses, service times and KPI targets. Part of the scenario schema
(:mod:`sim.scenario.schema` re-exports every class).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from sim.core.distributions import Distribution, Exponential, Fixed
from sim.core.schema import (
    FieldError,
    NoBool,
    Positive,
    Share,
    StrictModel,
    TypeDoc,
)
from sim.scenario.defaults import constant

GROUP_SIZE_HELP = "a mapping size: weight, e.g. {1: 0.2, 2: 0.5, 3: 0.3}"


def _is_pair(item: Any) -> bool:
    return isinstance(item, list | tuple) and len(item) == 2 and isinstance(item[0], int)


def _size_weights(value: Any) -> Any:
    """Check a ``{size: weight}`` mapping key by key and return it as sorted pairs."""
    if isinstance(value, list | tuple) and all(_is_pair(p) for p in value):
        value = dict(value)  # pairs, as a dump or Python code may give them
    if not isinstance(value, dict) or not value:
        raise FieldError(f"must be {GROUP_SIZE_HELP}", value=value)
    for size, weight in value.items():
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 60:
            raise FieldError(
                "group sizes must be whole numbers between 1 and 60", loc=(size,), value=size
            )
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight >= 0:
            raise FieldError("weights must be numbers, at least 0", loc=(size,), value=weight)
    if sum(value.values()) <= 0:
        raise FieldError("needs at least one size with a weight above 0", value=value)
    return tuple(sorted(value.items()))


class VisitorMix(StrictModel):
    """Who the visitor groups are (客户构成): size, shares of each type, routing and patience."""

    group_size: Annotated[
        tuple[tuple[int, float], ...],
        BeforeValidator(_size_weights),
        TypeDoc("mapping size: weight", "sizes 1–60, weights at least 0, not all 0"),
    ] = Field(
        description="people per group (每组人数): mapping size -> weight (weights are normalised)"
    )
    car_share: Share = Field(0.6, description="share of groups arriving by car (驾车)")
    returning_share: Share = Field(
        0.25, description="share of walk-ins who visited before and have a rep (老客户/复访)"
    )
    designated_share: Share = Field(
        0.05, description="share of new walk-ins who ask for a rep by name (指定顾问)"
    )
    important_share: Share = Field(
        0.03, description="share of groups flagged important (重要客户, V2); they want a VIP room"
    )
    non_sales_share: Share = Field(
        0.05, description="share of non-sales visitors (非销售来访: staff, asking the way; R5)"
    )
    survey_share: Share = Field(
        0.0,
        description="share of walk-ins doing a market survey or asking for a friend (市调/代问): "
        "a rep receives them briefly and it counts as a turn (R5)",
    )
    negotiation_share: Share = Field(
        0.7, description="share of walk-in groups that sit down to negotiate (洽谈)"
    )
    vip_share: Share = Field(
        0.3, description="share of negotiating walk-ins who ask for a VIP room (serious buyers)"
    )
    sample_house_share: Share = Field(
        0.8, description="share of groups that tour the sample houses (看样板间)"
    )
    signing_share: Share = Field(
        0.1, description="share of negotiating groups that pay a deposit or sign (收订/签约)"
    )
    patience: Distribution | None = Field(
        default_factory=constant(Exponential, dist="exponential", mean_min=20.0),
        description="how long a group waits for a rep before leaving unserved (流失), minutes; "
        "null = waits indefinitely",
    )

    @model_validator(mode="after")
    def _shares_fit(self) -> VisitorMix:
        if self.non_sales_share + self.survey_share > 1:
            raise FieldError(
                f"non_sales_share + survey_share must be at most 1 (non_sales_share is "
                f"{self.non_sales_share:g})",
                loc=("survey_share",),
                value=self.survey_share,
            )
        return self


class RepSpec(StrictModel):
    """A sales rep (置业顾问). Names must be unique."""

    name: Annotated[str, Field(min_length=1)] = Field(description="the rep's name, unique")
    team: str = Field("A", description="team or agency (组别/代理公司)")
    experienced: bool = Field(True, description="experienced rep (熟手); false = new rep (新人)")


MAX_REPS = 1_000
"""The most reps a scenario may give as a count (issue 18: a typo never builds millions)."""

REPS_HELP = "a list of {name, team, experienced} or a whole number of reps (at least 1)"


def parse_reps(value: Any) -> Any:
    """The reps as written: a list passes through; a count n becomes n named reps in teams A
    and B, two thirds of them experienced."""
    if isinstance(value, bool) or not isinstance(value, int | list | tuple):
        raise FieldError(f"must be {REPS_HELP}", value=value)
    if isinstance(value, int):
        if value < 1:
            raise FieldError(f"must be {REPS_HELP}", value=value)
        if value > MAX_REPS:  # checked before building them: a mistyped count never hangs
            raise FieldError(f"must be at most {MAX_REPS:,} reps (a sales office)", value=value)
        experienced = max(1, value * 2 // 3)
        return tuple(
            {"name": f"顾问{i + 1:02d}", "team": "AB"[i % 2], "experienced": i < experienced}
            for i in range(value)
        )
    return value


class VipRooms(StrictModel):
    """VIP negotiation rooms (VIP室)."""

    count: Annotated[int, NoBool, Field(ge=0, le=100)] = Field(description="number of VIP rooms")
    when_full: Literal["wait", "table"] = Field(
        "wait", description="a group asking for a full VIP room: 'wait' for one, or take a 'table'"
    )
    max_wait_min: Positive | None = Field(
        15, description="with 'wait': after this many minutes take a table; null = wait for a room"
    )


class SampleHouse(StrictModel):
    """A sample unit (样板间) toured by the groups that visit sample houses. Names are unique."""

    name: Annotated[str, Field(min_length=1)] = Field(description="name shown in reports, unique")
    capacity: Annotated[int, NoBool, Field(ge=1, le=100)] = Field(
        description="groups that can be inside at once"
    )


class ServiceTimes(StrictModel):
    """Duration distributions of the journey stages (服务时长), minutes."""

    sandbox: Distribution = Field(description="F4 sandbox / model explanation (沙盘讲解)")
    sample_house: Distribution = Field(description="F5 time in each sample house (样板间)")
    negotiation: Distribution = Field(description="F6 negotiation (洽谈)")
    signing: Distribution = Field(description="F7 deposit / signing (收订/签约)")
    walk_out: Distribution = Field(
        default_factory=constant(Fixed, dist="fixed", value=2.0),
        description="F8 walking the group out (送客)",
    )
    non_sales: Distribution = Field(
        default_factory=constant(Fixed, dist="fixed", value=5.0),
        description="reception of a non-sales visitor at the desk (前台接待, R5)",
    )
    survey: Distribution = Field(
        default_factory=constant(Fixed, dist="fixed", value=10.0),
        description="a rep's talk with a market-survey or asking-for-a-friend group (R5)",
    )


class Targets(StrictModel):
    """KPI targets (服务标准) used for 'share over target' KPIs and by sizing."""

    wait_for_rep_min: Positive = Field(5, description="wait from arrival to a rep, minutes")
    vip_wait_min: Positive = Field(10, description="wait for a VIP room, minutes")
    sample_house_wait_min: Positive = Field(10, description="wait at a sample house, minutes")
