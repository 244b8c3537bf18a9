"""The scenario file schema: an immutable, validated description of the office and the day.

Every field carries a description; ``docs/scenario-reference.md`` is generated from them
(``python -m sim.scenario.docs``). Times of day are ``"HH:MM"`` strings, durations minutes.
Validators raise :class:`~sim.scenario.base.FieldError` naming the exact field at fault.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from sim.clock import format_clock
from sim.scenario.base import (
    ClockTime,
    Count,
    FieldError,
    Loc,
    NoBool,
    NonNegative,
    Number,
    Positive,
    Share,
    StrictModel,
    TypeDoc,
    did_you_mean,
    increasing_starts,
)
from sim.scenario.distributions import Distribution, Exponential, Fixed
from sim.scenario.event import Event
from sim.scenario.rotation import Rotation, check_rotation
from sim.scenario.staffing import Staffing
from sim.schedule import Schedule

__all__ = [
    "Appointments",
    "Arrivals",
    "ClockTime",
    "Day",
    "NonNegative",
    "Positive",
    "RatePiece",
    "Rep",
    "SampleHouse",
    "Scenario",
    "ServiceTimes",
    "Share",
    "Targets",
    "VipRooms",
    "Visitors",
]


def _span(open_: float, close: float) -> str:
    return f"{format_clock(open_)}–{format_clock(close)}"


class Day(StrictModel):
    """Opening hours and the kind of day (营业日). `close` must be after `open`."""

    type: Literal["weekday", "weekend", "holiday", "event", "media"] = Field(
        description="day type (工作日/周末/节假日/活动日/媒体开放日); 'media': no customer "
        "reception under longfor (R12); weekend and holiday allow grabbing (V1)"
    )
    open: ClockTime = Field(description="doors open (开门), 'HH:MM'")
    close: Annotated[ClockTime, TypeDoc("time", "'HH:MM', after `open`")] = Field(
        description="doors close to new visitors (闭门), 'HH:MM'"
    )
    run_until: Literal["empty", "close"] = Field(
        "empty",
        description="'empty': groups inside at closing are finished (overtime is reported); "
        "'close': the clock stops at closing and groups still inside are counted as present",
    )

    @model_validator(mode="after")
    def _close_after_open(self) -> Day:
        if self.close <= self.open:
            raise FieldError(
                f"must be after day.open ('{format_clock(self.open)}')",
                loc=("close",),
                value=format_clock(self.close),
            )
        return self


class RatePiece(StrictModel):
    """From a clock time on, walk-in groups arrive at this rate (until the next piece or close)."""

    start: Annotated[
        ClockTime, TypeDoc("time", "'HH:MM' within opening hours, later than the piece before")
    ] = Field(alias="from", description="start of this piece, 'HH:MM'")
    rate: NonNegative = Field(description="walk-in groups per hour (组/小时)")


class Appointments(StrictModel):
    """Booked visits (预约来访): booked times, punctuality and no-shows.

    Booked times (`times`, or the slots of `window`) must lie within opening hours, and a
    window must end after it starts.
    """

    count: Count = Field(
        0, description="number of booked groups, spread over `window` in `slot_min` slots"
    )
    times: Annotated[
        tuple[ClockTime, ...] | None,
        TypeDoc("list of times or null", "each 'HH:MM' within opening hours"),
    ] = Field(
        None, description="explicit booked times 'HH:MM' (replaces `count` when given)"
    )
    window: Annotated[
        tuple[ClockTime, ClockTime] | None,
        TypeDoc("pair [time, time] or null", "start before end, both within opening hours"),
    ] = Field(
        None,
        description="booking window ['HH:MM', 'HH:MM'] (预约时段); "
        "default: open to one hour before close",
    )
    slot_min: Positive = Field(30, description="booking slot length, minutes")
    punctuality_mean_min: Number = Field(
        0, description="mean arrival offset from the booked time, minutes (negative = early)"
    )
    punctuality_sd_min: NonNegative = Field(
        10, description="standard deviation of the arrival offset, minutes"
    )
    no_show_share: Share = Field(0.1, description="share of booked groups that do not come (爽约)")
    designated_share: Share = Field(
        1.0, description="share of booked groups that booked with a named rep (指定顾问)"
    )
    booking: Literal["anywhere", "quiet"] = Field(
        "anywhere",
        description="R11: 'quiet' books `count` groups only into slots where the walk-in rate "
        "is below its mean over the slots (错峰预约); 'anywhere' uses every slot",
    )

    @model_validator(mode="after")
    def _window_ordered(self) -> Appointments:
        if self.window is not None and self.window[1] <= self.window[0]:
            raise FieldError(
                f"the window must end after it starts ('{format_clock(self.window[0])}')",
                loc=("window", 1),
                value=format_clock(self.window[1]),
            )
        return self


class Arrivals(StrictModel):
    """How visitor groups arrive (来访). Walk-in pieces start at increasing times within hours."""

    walk_in: Annotated[tuple[RatePiece, ...], Field(min_length=1)] = Field(
        description="piecewise-constant walk-in rate (自然来访): list of {from, rate}"
    )
    appointments: Appointments = Field(
        default_factory=lambda: Appointments(), description="booked visits (预约来访)"
    )

    @field_validator("walk_in")
    @classmethod
    def _increasing(cls, pieces: tuple[RatePiece, ...]) -> tuple[RatePiece, ...]:
        return increasing_starts(pieces)


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


class Visitors(StrictModel):
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
        default_factory=lambda: Exponential.model_validate({"dist": "exponential", "mean": 20}),
        description="how long a group waits for a rep before leaving unserved (流失), minutes; "
        "null = waits indefinitely",
    )

    @model_validator(mode="after")
    def _shares_fit(self) -> Visitors:
        if self.non_sales_share + self.survey_share > 1:
            raise FieldError(
                f"non_sales_share + survey_share must be at most 1 (non_sales_share is "
                f"{self.non_sales_share:g})",
                loc=("survey_share",),
                value=self.survey_share,
            )
        return self


class Rep(StrictModel):
    """A sales rep (置业顾问). Names must be unique."""

    name: Annotated[str, Field(min_length=1)] = Field(description="the rep's name, unique")
    team: str = Field("A", description="team or agency (组别/代理公司)")
    experienced: bool = Field(True, description="experienced rep (熟手); false = new rep (新人)")


REPS_HELP = "a list of {name, team, experienced} or a whole number of reps (at least 1)"


def _reps(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | list | tuple):
        raise FieldError(f"must be {REPS_HELP}", value=value)
    if isinstance(value, int):
        if value < 1:
            raise FieldError(f"must be {REPS_HELP}", value=value)
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
        default_factory=lambda: Fixed(dist="fixed", value=2),
        description="F8 walking the group out (送客)",
    )
    non_sales: Distribution = Field(
        default_factory=lambda: Fixed(dist="fixed", value=5),
        description="reception of a non-sales visitor at the desk (前台接待, R5)",
    )
    survey: Distribution = Field(
        default_factory=lambda: Fixed(dist="fixed", value=10),
        description="a rep's talk with a market-survey or asking-for-a-friend group (R5)",
    )


class Targets(StrictModel):
    """KPI targets (服务标准) used for 'share over target' KPIs and by sizing."""

    wait_for_rep_min: Positive = Field(5, description="wait from arrival to a rep, minutes")
    vip_wait_min: Positive = Field(10, description="wait for a VIP room, minutes")
    sample_house_wait_min: Positive = Field(10, description="wait at a sample house, minutes")


def _arrival_times(arrivals: Arrivals) -> list[tuple[Loc, float]]:
    """Every walk-in start and booked time, with its location below ``arrivals``."""
    appts = arrivals.appointments
    out: list[tuple[Loc, float]] = [
        (("walk_in", i, "from"), p.start) for i, p in enumerate(arrivals.walk_in)
    ]
    out += [(("appointments", "times", i), t) for i, t in enumerate(appts.times or ())]
    out += [(("appointments", "window", i), t) for i, t in enumerate(appts.window or ())]
    return out


def _unique(names: list[str], what: str) -> None:
    """Raise on the first repeated name, blaming its ``name`` field."""
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in first:
            raise FieldError(
                f"{what} names must be unique; this one is also entry [{first[name]}]",
                loc=(i, "name"),
                value=name,
            )
        first[name] = i


class Scenario(StrictModel):
    """A sales office and a day (or event) to simulate (案场情景)."""

    name: Annotated[str, Field(min_length=1)] = Field(description="scenario name")
    description: str = Field("", description="free text for the report")
    day: Day = Field(description="opening hours and day type (营业日)")
    arrivals: Arrivals = Field(description="walk-ins and appointments (来访)")
    visitors: Visitors = Field(description="who the groups are (客户构成)")
    reps: Annotated[
        tuple[Rep, ...],
        BeforeValidator(_reps),
        Field(min_length=1),
        TypeDoc("list of reps, or a count", "at least 1 rep; names unique"),
    ] = Field(
        description="the sales reps (置业顾问): a list of {name, team, experienced}, or a count"
    )
    vip_rooms: VipRooms = Field(description="VIP negotiation rooms (VIP室)")
    tables: Annotated[int, NoBool, Field(ge=1)] | None = Field(
        None, description="open negotiation tables (洽谈桌); null = never a constraint"
    )
    sample_houses: tuple[SampleHouse, ...] = Field(
        (), description="sample units toured in order (样板间)"
    )
    service_times: ServiceTimes = Field(description="journey stage durations (服务时长)")
    targets: Targets = Field(
        default_factory=lambda: Targets(), description="KPI targets (服务标准)"
    )
    staffing: Staffing | None = Field(
        None,
        description="posts, shifts, phone duty, admission check, delegations and important "
        "visits (the reception line); null = reps only, all day",
    )
    policy: Annotated[str, TypeDoc("text", "a known policy name (`salesim policies`)")] = Field(
        "round_robin", description="rotation policy (轮序规则) by name"
    )
    rotation: Rotation = Field(
        default_factory=lambda: Rotation(),
        description="rotation rulebook settings (R1, R4, R4a, R6, R7, V1, V4) read by policies",
    )
    event: Event | None = Field(
        None, description="an event day (launch / site open day); when given, `salesim run` "
        "simulates the event desks instead of the office journey"
    )

    @field_validator("reps")
    @classmethod
    def _unique_reps(cls, reps: tuple[Rep, ...]) -> tuple[Rep, ...]:
        _unique([r.name for r in reps], "rep")
        return reps

    @field_validator("sample_houses")
    @classmethod
    def _unique_houses(cls, houses: tuple[SampleHouse, ...]) -> tuple[SampleHouse, ...]:
        _unique([h.name for h in houses], "sample house")
        return houses

    @field_validator("policy")
    @classmethod
    def _known_policy(cls, name: str) -> str:
        from sim.policies import known_policies

        known = known_policies()
        if name not in known:
            hint = did_you_mean(name, known)
            known_list = ", ".join(known)
            raise FieldError(f"unknown policy{hint}; known policies: {known_list}", value=name)
        return name

    @model_validator(mode="after")
    def _times_within_day(self) -> Scenario:
        """Walk-in starts and booked times must fall between opening and closing."""
        for where, t in _arrival_times(self.arrivals):
            if not self.day.open <= t < self.day.close:
                raise FieldError(
                    f"must be within opening hours {_span(self.day.open, self.day.close)} "
                    "(from day.open, before day.close)",
                    loc=("arrivals", *where),
                    value=format_clock(t),
                )
        return self

    @model_validator(mode="after")
    def _event_within_day(self) -> Scenario:
        if self.event is not None:
            try:
                self.event.check_within(self.day.open, self.day.close)
            except FieldError as exc:
                raise FieldError(exc.message, ("event", *exc.loc), exc.value) from None
        return self

    @model_validator(mode="after")
    def _rep_shifts_name_reps(self) -> Scenario:
        """``staffing.rep_shifts`` may only name reps of this scenario."""
        if self.staffing is None:
            return self
        names = [r.name for r in self.reps]
        for rep in self.staffing.rep_shifts:
            if rep not in names:
                raise FieldError(
                    f"unknown rep{did_you_mean(rep, names)}; reps are {', '.join(names)}",
                    loc=("staffing", "rep_shifts", rep),
                    value=rep,
                )
        return self

    @model_validator(mode="after")
    def _rotation_fits(self) -> Scenario:
        check_rotation(self)
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
