"""Property-service posts on an event day (物业选配岗位): sized from the simulated crowd.

Two rules (docs/events-and-sizing.md, PARAMETERS §4):

- ``ratio_posts``: one person per ``per`` people present in a zone (等候区 waiting area, or the
  whole site 全场), minute by minute in the simulated days; per block the post needs
  ``ceil(peak present / per)`` people on the confidence share of days.
- ``coverage_posts``: a fixed line-up while a place is open (安保 at each entrance and at the
  selection hall; the VIP-visit line-up of 4–8 guards for its time window).

- ``queue_posts``: a queue whose work arrives from the simulated groups (each group on
  arrival; each car, from the groups that drive; a water request when a group sits down in the
  waiting area and every ``every_min`` while it waits), served first come first served; per
  block the fewest people whose wait meets ``target_wait_min`` (P90 per day) on the confidence
  share of days.

Every one is paid by the property-service company (``payer: property``) and billed in the fee
plan as the event surcharge.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.core.clock import format_clock
from sim.core.distributions import Distribution
from sim.core.schema import ClockTime, FieldError, NoBool, Positive, Share, StrictModel, TypeDoc

ServicePost = Literal["security", "usher", "vip_guard", "cleaner", "door", "water_bar", "guide",
                      "gate", "parking", "sign_in_helper"]
"""Post ids a property-service company staffs on an event day (labels: sim.domain.labels)."""


class RatioPost(StrictModel):
    """A ratio post: one person per ``per`` people present in ``zone`` (比例岗位)."""

    post: ServicePost = Field(description="post id, e.g. usher (等候区引导) or cleaner (保洁)")
    zone: Literal["waiting_area", "site"] = Field(
        description="'waiting_area' (等候区: signed-in groups waiting to be called) or 'site' "
        "(全场: everyone from arrival to leaving the last desk)"
    )
    per: Annotated[int, NoBool, Field(ge=1, le=10_000)] = Field(
        description="people present per staff member (e.g. 100 per cleaner, PARAMETERS §4)"
    )


class CoveragePost(StrictModel):
    """A coverage post: ``count`` people at a place from ``from`` to ``to`` (定岗)."""

    post: ServicePost = Field(description="post id, e.g. security (秩序维护/安保)")
    where: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        description="the place covered, e.g. '主入口 main entrance' (shown in the report)"
    )
    count: Annotated[int, NoBool, Field(ge=1, le=200)] = Field(
        description="people at the place while it is covered"
    )
    start: ClockTime = Field(alias="from", description="covered from, 'HH:MM'")
    end: Annotated[ClockTime, TypeDoc("time", "'HH:MM', after `from`")] = Field(
        alias="to", description="covered until, 'HH:MM'"
    )

    @model_validator(mode="after")
    def _ordered(self) -> CoveragePost:
        if self.end <= self.start:
            raise FieldError(f"must be after from ('{format_clock(self.start)}')", ("to",),
                             format_clock(self.end))  # fmt: skip
        return self


class QueuePost(StrictModel):
    """A queue-served post (排队服务岗位): its work arrives from the simulated crowd."""

    post: ServicePost = Field(description="post id, e.g. parking (停车引导), door (门岗迎宾), "
                              "water_bar (水吧), sign_in_helper (签到引导/协助)")
    source: Literal["arrivals", "cars", "waiting_area"] = Field(
        description="'arrivals' (每组到场: each group as it arrives), 'cars' (each group that "
        "comes by car: not a bus wave, share `event.parking.car_share`) or 'waiting_area' (a "
        "water request when a group sits down, then every `every_min` while it waits)"
    )
    service: Distribution = Field(description="minutes one person spends per arrival/request")
    target_wait_min: Positive = Field(description="wait target (P90 of a day), minutes")
    every_min: Positive = Field(
        30, description="waiting_area: minutes between a seated group's water requests"
    )
    cap: Annotated[int, NoBool, Field(ge=1, le=100)] = Field(
        10, description="most people sizing may put at the post in one block"
    )


class CarPark(StrictModel):
    """The car park of an event day (停车场): who drives and how many spaces."""

    car_share: Share = Field(
        description="share of the groups not on a bus who come by car (自驾比例)"
    )
    spaces: Annotated[int, NoBool, Field(ge=1, le=20_000)] = Field(
        description="parking spaces (车位); cars beyond them overflow"
    )
