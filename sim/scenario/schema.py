"""The scenario file schema: an immutable, validated description of the office and the day.

Every field carries a description; ``docs/scenario-reference.md`` is generated from them
(``python -m sim.scenario.docs``). Times of day are ``"HH:MM"`` strings, durations minutes.
Validators raise :class:`~sim.core.schema.FieldError` naming the exact field at fault.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from sim.core.clock import format_clock
from sim.core.schedule import Schedule
from sim.core.schema import (
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
from sim.policies import known_policies
from sim.scenario.defaults import constant
from sim.scenario.event import Event
from sim.scenario.office import (
    RepSpec,
    SampleHouse,
    ServiceTimes,
    Targets,
    VipRooms,
    VisitorMix,
    parse_reps,
)
from sim.scenario.office_targets import OfficeSizing
from sim.scenario.rotation import Rotation
from sim.scenario.staffing import Staffing

__all__ = [
    "Appointments",
    "Arrivals",
    "ClockTime",
    "Day",
    "NonNegative",
    "Positive",
    "RatePiece",
    "RepSpec",
    "SampleHouse",
    "Scenario",
    "ServiceTimes",
    "Share",
    "Targets",
    "VipRooms",
    "VisitorMix",
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
        default_factory=constant(Appointments), description="booked visits (预约来访)"
    )

    @field_validator("walk_in")
    @classmethod
    def _increasing(cls, pieces: tuple[RatePiece, ...]) -> tuple[RatePiece, ...]:
        return increasing_starts(pieces)


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
    visitors: VisitorMix = Field(description="who the groups are (客户构成)")
    reps: Annotated[
        tuple[RepSpec, ...],
        BeforeValidator(parse_reps),
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
        default_factory=constant(Targets), description="KPI targets (服务标准)"
    )
    staffing: Staffing | None = Field(
        None,
        description="posts, shifts, phone duty, admission check, delegations and important "
        "visits (the reception line); null = reps only, all day",
    )
    policy: Annotated[str, TypeDoc("text", "a known policy name (`salesim policies`)")] = Field(
        "longfor",
        description="rotation policy (轮序规则) by name; the default is the rulebook the office "
        "uses (longfor, R1–R12); round_robin is the naive baseline to compare against",
    )
    rotation: Rotation = Field(
        default_factory=constant(Rotation),
        description="rotation rulebook settings (R1, R4, R4a, R6, R7, V1, V4) read by policies",
    )
    event: Event | None = Field(
        None, description="an event day (launch / site open day); when given, `salesim run` "
        "simulates the event desks instead of the office journey"
    )
    office_sizing: OfficeSizing | None = Field(
        None, description="service targets of a normal office day for `salesim size` "
        "(docs/office-sizing.md); null = an office day cannot be sized"
    )

    @field_validator("reps")
    @classmethod
    def _unique_reps(cls, reps: tuple[RepSpec, ...]) -> tuple[RepSpec, ...]:
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


def check_rotation(scenario: Scenario) -> None:
    """Cross-section checks: R1 needs a phone team and two teams; V4 needs a mentor."""
    rotation = scenario.rotation
    teams = sorted({r.team for r in scenario.reps})
    if rotation.swap_teams_daily:
        phones = scenario.staffing.phones if scenario.staffing else None
        if phones is None or phones.phone_team is None:
            raise FieldError(
                "needs staffing.phones.phone_team (the phone group of day 0)",
                loc=("rotation", "swap_teams_daily"),
                value=True,
            )
        if len(teams) != 2:
            raise FieldError(
                f"needs exactly two rep teams to swap; the reps have {len(teams)}: "
                f"{', '.join(teams)}",
                loc=("rotation", "swap_teams_daily"),
                value=True,
            )
    if rotation.mentor_new_reps and not any(r.experienced for r in scenario.reps):
        raise FieldError(
            "needs at least one experienced rep (experienced: true) to mentor",
            loc=("rotation", "mentor_new_reps"),
            value=True,
        )


def teams_today(scenario: Scenario, day_index: int) -> str | None:
    """R1: today's phone team; with ``swap_teams_daily`` odd days give it to the other team."""
    phones = scenario.staffing.phones if scenario.staffing else None
    team = phones.phone_team if phones else None
    if team is None or not scenario.rotation.swap_teams_daily or day_index % 2 == 0:
        return team
    others = sorted({r.team for r in scenario.reps} - {team})
    return others[0] if others else team
