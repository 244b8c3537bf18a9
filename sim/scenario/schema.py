"""The scenario file schema: an immutable, validated description of the office and the day.

Every field carries a description; ``docs/scenario-reference.md`` is generated from them
(``python -m sim.scenario.docs``). Times of day are ``"HH:MM"`` strings, durations minutes.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from sim.clock import format_clock, parse_clock
from sim.schedule import Schedule
from sim.scenario.base import StrictModel, closest
from sim.scenario.distributions import Distribution, Exponential, Fixed


def _clock(value: Any) -> float:
    if isinstance(value, str):
        return parse_clock(value)
    raise ValueError(f"write clock times as 'HH:MM' in quotes, e.g. '09:30' (got {value!r})")


ClockTime = Annotated[float, BeforeValidator(_clock)]
Share = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]


class Day(StrictModel):
    """Opening hours and the kind of day."""

    type: Literal["weekday", "weekend", "holiday", "event"] = Field(
        description="day type (工作日/周末/节假日/活动日); informs reports only"
    )
    open: ClockTime = Field(description="doors open, 'HH:MM' (开门)")
    close: ClockTime = Field(description="doors close to new visitors, 'HH:MM' (闭门)")
    run_until: Literal["empty", "close"] = Field(
        "empty",
        description="'empty': groups inside at closing are finished (overtime is reported); "
        "'close': the clock stops at closing and groups still inside are counted as present",
    )

    @model_validator(mode="after")
    def _close_after_open(self) -> Day:
        if self.close <= self.open:
            raise ValueError(
                f"close ({format_clock(self.close)}) must be after open ({format_clock(self.open)})"
            )
        return self


class RatePiece(StrictModel):
    """From a clock time on, walk-in groups arrive at this rate (until the next piece or close)."""

    start: ClockTime = Field(alias="from", description="start of this piece, 'HH:MM'")
    rate: NonNegative = Field(description="walk-in groups per hour (组/小时)")


class Appointments(StrictModel):
    """Booked visits (预约来访): booked times, punctuality and no-shows."""

    count: Annotated[int, Field(ge=0)] = Field(
        0, description="number of booked groups, spread over `window` in `slot_min` slots"
    )
    times: tuple[ClockTime, ...] | None = Field(
        None, description="explicit booked times 'HH:MM' (replaces `count` when given)"
    )
    window: tuple[ClockTime, ClockTime] | None = Field(
        None, description="booking window ['HH:MM', 'HH:MM']; default: open to one hour before close"
    )
    slot_min: Positive = Field(30, description="booking slot length, minutes")
    punctuality_mean_min: float = Field(
        0, description="mean arrival offset from the booked time, minutes (negative = early)"
    )
    punctuality_sd_min: NonNegative = Field(
        10, description="standard deviation of the arrival offset, minutes"
    )
    no_show_share: Share = Field(0.1, description="share of booked groups that do not come (爽约)")
    designated_share: Share = Field(
        1.0, description="share of booked groups that booked with a named rep (指定顾问)"
    )


class Arrivals(StrictModel):
    """How visitor groups arrive."""

    walk_in: Annotated[tuple[RatePiece, ...], Field(min_length=1)] = Field(
        description="piecewise-constant walk-in rate (自然来访): list of {from, rate}"
    )
    appointments: Appointments = Field(
        default_factory=lambda: Appointments(), description="booked visits"
    )

    @field_validator("walk_in")
    @classmethod
    def _increasing(cls, pieces: tuple[RatePiece, ...]) -> tuple[RatePiece, ...]:
        for a, b in zip(pieces, pieces[1:], strict=False):
            if b.start <= a.start:
                raise ValueError(
                    f"walk-in pieces must start at increasing times "
                    f"({format_clock(b.start)} follows {format_clock(a.start)})"
                )
        return pieces


def _size_pairs(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return value


class Visitors(StrictModel):
    """Who the visitor groups are: size, shares of each type, routing and patience."""

    group_size: Annotated[
        tuple[tuple[Annotated[int, Field(ge=1, le=60)], NonNegative], ...],
        BeforeValidator(_size_pairs),
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
        0.03, description="share of groups flagged important (重要客户, V2); they ask for a VIP room"
    )
    non_sales_share: Share = Field(
        0.05, description="share of non-sales visitors (非销售来访: staff, asking the way; R5)"
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
        default_factory=lambda: Exponential(dist="exponential", mean=20),
        description="how long a group waits for a rep before leaving unserved (流失); "
        "null = waits indefinitely",
    )

    @field_validator("group_size")
    @classmethod
    def _weights(
        cls, pairs: tuple[tuple[int, float], ...]
    ) -> tuple[tuple[int, float], ...]:
        if not pairs or sum(w for _, w in pairs) <= 0:
            raise ValueError("group_size needs at least one size with a positive weight")
        return pairs


class Rep(StrictModel):
    """A sales rep (置业顾问)."""

    name: Annotated[str, Field(min_length=1)] = Field(description="the rep's name, unique")
    team: str = Field("A", description="team or agency (组别/代理公司)")
    experienced: bool = Field(True, description="experienced rep (熟手); false = new rep (新人)")


def _reps(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 1:
            raise ValueError(f"reps must be at least 1 (got {value})")
        return tuple(
            {"name": f"顾问{i + 1:02d}", "team": "AB"[i % 2], "experienced": i < max(1, value * 2 // 3)}
            for i in range(value)
        )
    return value


class VipRooms(StrictModel):
    """VIP negotiation rooms (VIP室)."""

    count: Annotated[int, Field(ge=0, le=100)] = Field(description="number of VIP rooms")
    when_full: Literal["wait", "table"] = Field(
        "wait", description="a group asking for a full VIP room: 'wait' for one, or take a 'table'"
    )
    max_wait_min: Positive | None = Field(
        15, description="with 'wait': after this many minutes take a table; null = wait for a room"
    )


class SampleHouse(StrictModel):
    """A sample unit (样板间) toured by the groups that visit sample houses."""

    name: Annotated[str, Field(min_length=1)] = Field(description="name shown in reports")
    capacity: Annotated[int, Field(ge=1, le=100)] = Field(
        description="groups that can be inside at once"
    )


class ServiceTimes(StrictModel):
    """Duration distributions of the journey stages, minutes."""

    sandbox: Distribution = Field(description="F4 sandbox / model explanation (沙盘讲解)")
    sample_house: Distribution = Field(description="F5 time in each sample house (样板间)")
    negotiation: Distribution = Field(description="F6 negotiation (洽谈)")
    signing: Distribution = Field(description="F7 deposit / signing (收订/签约)")
    walk_out: Distribution = Field(
        default_factory=lambda: Fixed(dist="fixed", value=2),
        description="F8 walking the group out (送客)",
    )
    non_sales: Distribution = Field(
        default_factory=lambda: Fixed(dist="fixed", value=5),
        description="reception of a non-sales visitor at the desk (R5)",
    )


class Targets(StrictModel):
    """KPI targets (服务标准) used for 'share over target' KPIs and by sizing."""

    wait_for_rep_min: Positive = Field(5, description="wait from arrival to a rep, minutes")
    vip_wait_min: Positive = Field(10, description="wait for a VIP room, minutes")
    sample_house_wait_min: Positive = Field(10, description="wait at a sample house, minutes")


class Scenario(StrictModel):
    """A sales office and a day (or event) to simulate."""

    name: Annotated[str, Field(min_length=1)] = Field(description="scenario name")
    description: str = Field("", description="free text for the report")
    day: Day
    arrivals: Arrivals
    visitors: Visitors
    reps: Annotated[tuple[Rep, ...], BeforeValidator(_reps), Field(min_length=1)] = Field(
        description="the sales reps: a list of {name, team, experienced}, or a count"
    )
    vip_rooms: VipRooms
    tables: Annotated[int, Field(ge=1)] | None = Field(
        None, description="open negotiation tables (洽谈桌); null = never a constraint"
    )
    sample_houses: tuple[SampleHouse, ...] = Field(
        (), description="sample units toured in order (样板间)"
    )
    service_times: ServiceTimes
    targets: Targets = Field(default_factory=lambda: Targets(), description="KPI targets")
    policy: str = Field("round_robin", description="rotation policy (轮序规则) by name")

    @field_validator("reps")
    @classmethod
    def _unique_names(cls, reps: tuple[Rep, ...]) -> tuple[Rep, ...]:
        seen: set[str] = set()
        for rep in reps:
            if rep.name in seen:
                raise ValueError(f"rep name '{rep.name}' appears twice; names must be unique")
            seen.add(rep.name)
        return reps

    @field_validator("policy")
    @classmethod
    def _known_policy(cls, name: str) -> str:
        from sim.policies import known_policies

        known = known_policies()
        if name not in known:
            hint = closest(name, known)
            did = f"did you mean '{hint}'? " if hint else ""
            raise ValueError(f"unknown policy '{name}': {did}known policies: {', '.join(known)}")
        return name

    @model_validator(mode="after")
    def _times_within_day(self) -> Scenario:
        first = self.arrivals.walk_in[0].start
        last = self.arrivals.walk_in[-1].start
        if first < self.day.open or last >= self.day.close:
            raise ValueError(
                "arrivals.walk_in: pieces must start within opening hours "
                f"{format_clock(self.day.open)}–{format_clock(self.day.close)}"
            )
        return self

    def walk_in_schedule(self) -> Schedule:
        """Walk-in groups per minute as a schedule ending at closing time."""
        pieces = self.arrivals.walk_in
        return Schedule(
            tuple(p.start for p in pieces), tuple(p.rate / 60.0 for p in pieces), self.day.close
        )

    def expected_walk_ins(self) -> float:
        """Expected number of walk-in groups over the day."""
        sched = self.walk_in_schedule()
        return sched.integral(self.day.open, self.day.close)
