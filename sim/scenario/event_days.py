"""The days of a multi-day event (多日活动): a site open weekend over three days, each day with
its own expected attendance (``event.days``).

Every day is the event section with its own ``attendance`` (waves, desks, calling and
property-service posts as written); ``salesim size`` sizes each day on its own and reports the
headcount per day and in total, and ``salesim fee`` bills each sized day once
(docs/events-and-sizing.md). Without ``days`` the event is one day of ``attendance``.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, field_validator

from sim.core.schema import FieldError, NoBool, StrictModel

_SAFE = re.compile(r"^[^\s/\\.:*?\"<>|]+$")


class EventDaySpec(StrictModel):
    """One day of a multi-day event: its label and expected attendance (当日到场人数)."""

    label: Annotated[str, Field(min_length=1, max_length=20)] = Field(
        description="the day's name, unique, no spaces or slashes (e.g. 'D1', '周六'); also "
        "the name of the day's output folder"
    )
    attendance: Annotated[int, NoBool, Field(ge=1, le=20000)] = Field(
        description="expected people on this day (当日到场人数)"
    )

    @field_validator("label")
    @classmethod
    def _safe(cls, label: str) -> str:
        if not _SAFE.match(label):
            raise FieldError("must be one word without spaces, dots or any of / \\ : * ? \" < > |",
                             value=label)  # fmt: skip
        return label
