"""Property-service posts on an event day (物业选配岗位): sized from the simulated crowd.

Two rules (docs/events-and-sizing.md, PARAMETERS §4):

- ``ratio_posts``: one person per ``per`` people present in a zone (等候区 waiting area, or the
  whole site 全场), minute by minute in the simulated days; per block the post needs
  ``ceil(peak present / per)`` people on the confidence share of days.
- ``coverage_posts``: a fixed line-up while a place is open (安保 at each entrance and at the
  selection hall; the VIP-visit line-up of 4–8 guards for its time window).

Every one is paid by the property-service company (``payer: property``) and billed in the fee
plan as the event surcharge.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.core.clock import format_clock
from sim.core.schema import ClockTime, FieldError, NoBool, StrictModel, TypeDoc

ServicePost = Literal["security", "usher", "vip_guard", "cleaner", "door", "water_bar", "guide"]
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
