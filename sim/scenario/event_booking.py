"""How event staff are booked (用工预订条件, issue 19 item 2): the ``event.booking`` section.

Event staff are not booked per person-block: an agency books a person for a shift, billed by
the hour, the half day or the day, with a minimum shift length and at set start times. The
same fields sit in the rate card's ``booking:`` block (with the price per unit per post); a
field the scenario gives wins over the card's, and a field neither gives takes the default
below. ``salesim size`` rosters the sized need at these terms (sim/event_sizing/roster.py).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.core.clock import format_clock
from sim.core.schema import ClockTime, FieldError, NoBool, StrictModel, TypeDoc

BookingUnit = Literal["hour", "half_day", "day"]
HALF_DAY_HOURS = 4.0
"""A half day (半天) is 4 hours (assumption (A): half of the statutory 8-hour day)."""

ShiftHours = Annotated[
    float, NoBool, Field(gt=0, le=24, allow_inf_nan=False),
    TypeDoc("hours", "greater than 0, at most 24"),
]  # fmt: skip
StepMinutes = Annotated[
    int, NoBool, Field(ge=1, le=1440), TypeDoc("minutes", "a whole number, 1 to 1440"),
]  # fmt: skip


class BookingTerms(StrictModel):
    """Booking terms of event staff; every field may be left out (then the rate card's, else
    the default applies)."""

    unit: BookingUnit | None = Field(
        None, description="billing unit: 'hour' (按小时), 'half_day' (按半天, 4 h) or 'day' "
        "(按天: one person for the whole event day)  [default: day]",
    )
    min_shift_hours: ShiftHours | None = Field(
        None, description="shortest shift paid, hours (a shorter one is paid as this long)  "
        "[default: 1]",
    )
    max_shift_hours: ShiftHours | None = Field(
        None, description="longest shift, hours  [default: the whole event day]"
    )
    starts: Annotated[
        tuple[ClockTime, ...], TypeDoc("list of times", "'HH:MM', each later than the one before"),
    ] | None = Field(None, description="allowed shift start times ['HH:MM', ...]  "
                     "[default: every block start]")  # fmt: skip
    start_step_min: StepMinutes | None = Field(
        None, description="instead of `starts`: a shift may start every this many minutes "
        "from opening",
    )

    @model_validator(mode="after")
    def _consistent(self) -> BookingTerms:
        if self.starts is not None and self.start_step_min is not None:
            raise FieldError("give either starts or start_step_min, not both",
                             ("start_step_min",), self.start_step_min)  # fmt: skip
        starts = self.starts or ()
        for i in range(1, len(starts)):
            if starts[i] <= starts[i - 1]:
                raise FieldError(f"must be after starts[{i - 1}] ('{format_clock(starts[i - 1])}')",
                                 ("starts", i), format_clock(starts[i]))  # fmt: skip
        if self.starts is not None and not self.starts:
            raise FieldError("needs at least one start time, e.g. ['08:30']", ("starts",))
        lo, hi = self.min_shift_hours, self.max_shift_hours
        if lo is not None and hi is not None and hi < lo:
            raise FieldError(f"must be at least min_shift_hours ({lo:g})",
                             ("max_shift_hours",), hi)  # fmt: skip
        return self

    def over(self, default: BookingTerms | None) -> BookingTerms:
        """These terms with every field left out taken from ``default`` (scenario over card;
        a shift-length clash between the two shows when the roster is built)."""
        if default is None:
            return self
        mine = {k: getattr(self, k) for k in self.model_fields_set}
        if "starts" in mine or "start_step_min" in mine:  # one way of giving starts wins whole
            mine.setdefault("starts", None)
            mine.setdefault("start_step_min", None)
        return default.model_copy(update=mine)

    @property
    def unit_or_default(self) -> BookingUnit:
        """The unit (default ``day``: event staff are booked by the day, issue 19)."""
        return self.unit or "day"

    @property
    def min_hours(self) -> float:
        """The shortest shift paid, hours (default 1)."""
        return self.min_shift_hours if self.min_shift_hours is not None else 1.0

    def describe(self) -> str:
        """One line, Chinese first: unit, minimum, maximum and the starts."""
        unit = {"hour": "按小时 per hour", "day": "按天 per day",
                "half_day": f"按半天 per half day ({HALF_DAY_HOURS:g} h)"}[self.unit_or_default]
        parts = [unit, f"最短 min {self.min_hours:g} h"]
        if self.max_shift_hours is not None:
            parts.append(f"最长 max {self.max_shift_hours:g} h")
        if self.starts is not None:
            parts.append("开始 starts " + ", ".join(format_clock(t) for t in self.starts))
        elif self.start_step_min is not None:
            parts.append(f"每 {self.start_step_min} 分钟可开始 a start every "
                         f"{self.start_step_min} min")
        else:
            parts.append("每个时段开始可上岗 a start at every block")
        return "; ".join(parts)
