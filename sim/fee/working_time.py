"""Labour terms of a rate card (工时与用工条件) and the hours one person covers in a month.

A post is a position the office keeps covered; the people it takes follow from the hours to
cover and the hours one person works in a month (人均月工时), each rounded to 0.01 h:

    contract_hours = round((365 × days_per_week / 7 − statutory_holidays − annual_leave)
                           × hours_per_day / 12)
    overtime_hours = round(weekend_overtime_days × hours_per_day
                           + (statutory_holidays × hours_per_day / 12 if works_holidays))
    hours_per_person = contract_hours + overtime_hours

The open days of the office per month (weekdays, weekend days, statutory holidays) say on how
many days a month the posts are covered.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import Field, model_validator

from sim.core.schema import FieldError, NoBool, StrictModel, TypeDoc

YEAR_DAYS = Decimal(365)
WEEK_DAYS = Decimal(7)
MONTHS = Decimal(12)
HOUR = Decimal("0.01")

Days = Annotated[
    Decimal, NoBool, Field(ge=0, le=31, decimal_places=2, allow_inf_nan=False),
    TypeDoc("days", "between 0 and 31, at most 2 decimals"),
]  # fmt: skip
HoursPerDay = Annotated[
    Decimal, NoBool, Field(gt=0, le=12, decimal_places=2, allow_inf_nan=False),
    TypeDoc("hours", "greater than 0, at most 12"),
]  # fmt: skip
DaysPerWeek = Annotated[
    Decimal, NoBool, Field(ge=1, le=7, decimal_places=1, allow_inf_nan=False),
    TypeDoc("days", "between 1 and 7 (5.5 for alternating 5- and 6-day weeks)"),
]  # fmt: skip
LeaveDays = Annotated[int, NoBool, Field(ge=0, le=15)]
OvertimeDays = Annotated[
    Decimal, NoBool, Field(ge=0, le=10, decimal_places=2, allow_inf_nan=False),
    TypeDoc("days", "between 0 and 10 a month"),
]  # fmt: skip


def hours(value: Decimal) -> Decimal:
    """``value`` rounded to 0.01 h, halves up (Excel ``ROUND(x, 2)``)."""
    return value.quantize(HOUR, rounding=ROUND_HALF_UP)


class OpenDays(StrictModel):
    """Days a month the office is open, by kind of day (每月开放天数)."""

    weekday: Days = Field(description="工作日 weekdays open a month (365×5/7/12 − 11/12 = 20.81)")
    weekend: Days = Field(description="周末 weekend days open a month (365×2/7/12 = 8.69)")
    holiday: Days = Field(description="法定节假日 statutory holidays open a month (11/12 = 0.92)")

    @model_validator(mode="after")
    def _a_month(self) -> OpenDays:
        if self.total > 31:
            raise FieldError(f"weekday + weekend + holiday = {self.total}: more than the 31 days "
                             "of a month")  # fmt: skip
        return self

    @property
    def total(self) -> Decimal:
        """Open days a month, every kind of day."""
        return self.weekday + self.weekend + self.holiday

    def of(self, day_types: tuple[str, ...]) -> Decimal:
        """Open days a month of the given kinds (``event`` days are billed by the surcharge)."""
        return sum((getattr(self, t) for t in day_types if t != "event"), Decimal(0))


class TermsOverride(StrictModel):
    """One post's own labour terms; a key left out takes the card's ``working_time``."""

    hours_per_day: HoursPerDay | None = Field(None, description="contract hours a day")
    days_per_week: DaysPerWeek | None = Field(None, description="contract days a week")
    annual_leave: LeaveDays | None = Field(None, description="paid annual leave, days a year")
    weekend_overtime_days: OvertimeDays | None = Field(
        None, description="weekend days a month each person works as overtime"
    )
    works_holidays: bool | None = Field(None, description="works the statutory holidays")


class WorkingTime(StrictModel):
    """The labour terms of the card (工时与用工条件): the office's open days and each person's
    contract hours, rest days, holidays, leave and overtime."""

    open_days: OpenDays = Field(description="days a month the office is open, by kind of day")
    hours_per_day: HoursPerDay = Field(description="contract hours a day (标准工时 8)")
    days_per_week: DaysPerWeek = Field(description="contract days a week (5: two rest days)")
    statutory_holidays: LeaveDays = Field(description="statutory holidays a year (法定节假日 11)")
    annual_leave: LeaveDays = Field(description="paid annual leave, days a year (年休假)")
    weekend_overtime_days: OvertimeDays = Field(
        description="weekend days a month each person works as overtime (paid weekend_overtime)"
    )
    works_holidays: bool = Field(
        description="true: people work the statutory holidays (paid holiday_overtime)"
    )


@dataclass(frozen=True)
class PersonHours:
    """The hours one person at a post works in a month, step by step."""

    hours_per_day: Decimal
    days_per_week: Decimal
    annual_leave: int
    weekend_overtime_days: Decimal
    works_holidays: bool
    statutory_holidays: int
    contract_hours: Decimal  # 合同工时/月
    overtime_hours: Decimal  # 加班工时/月 (weekend overtime and holidays worked)

    @property
    def total(self) -> Decimal:
        """人均月工时: contract plus overtime hours."""
        return self.contract_hours + self.overtime_hours


def person_hours(card: WorkingTime, own: TermsOverride | None) -> PersonHours:
    """The monthly hours of one person under the card's terms and a post's own overrides."""
    pick = own or TermsOverride()
    per_day = pick.hours_per_day or card.hours_per_day
    per_week = pick.days_per_week or card.days_per_week
    leave = card.annual_leave if pick.annual_leave is None else pick.annual_leave
    weekend = (card.weekend_overtime_days if pick.weekend_overtime_days is None
               else pick.weekend_overtime_days)  # fmt: skip
    holidays = card.works_holidays if pick.works_holidays is None else pick.works_holidays
    stat = card.statutory_holidays
    days = YEAR_DAYS * per_week / WEEK_DAYS - stat - leave
    contract = hours(days * per_day / MONTHS)
    overtime = hours(weekend * per_day + (stat * per_day / MONTHS if holidays else 0))
    return PersonHours(per_day, per_week, leave, weekend, holidays, stat, contract, overtime)
