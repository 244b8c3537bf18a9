"""The optional ``event:`` section: a launch day (开盘) or a site open day (工地开放日).

An event day is a line of desks in series (sign-in → selection → finance → contract → gift,
or sign-in → engineer escort → gift), each a first-come-first-served station whose headcount
is set per time block. Visitors arrive in waves (invitations, buses); on a launch day the
signed-in groups wait in a waiting area until their number is called in batches (lottery or
queue order); a group absent after ``max_calls`` calls chooses after everyone else (V5,
PARAMETERS §4). ``sizing`` holds the targets that ``salesim size`` meets.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from sim.core.clock import format_clock
from sim.core.distributions import Distribution, Fixed
from sim.core.schema import (
    ClockTime,
    FieldError,
    Loc,
    NoBool,
    NonNegative,
    Positive,
    Share,
    StrictModel,
    TypeDoc,
    did_you_mean,
    increasing_starts,
)
from sim.domain.labels import EVENT_POSTS
from sim.scenario.defaults import constant
from sim.scenario.event_booking import BookingTerms
from sim.scenario.event_days import EventDaySpec
from sim.scenario.event_posts import CarPark, CoveragePost, QueuePost, RatioPost

EventPost = Literal["sign_in", "selection", "finance", "contract", "gift", "engineer"]



def _group_sizes(value: Any) -> Any:
    """A ``{persons: weight}`` mapping (or pairs) checked key by key, as sorted pairs."""
    if isinstance(value, list | tuple) and all(
        isinstance(p, list | tuple) and len(p) == 2 for p in value
    ):
        value = dict(value)
    if not isinstance(value, dict) or not value:
        raise FieldError("must be a mapping persons: weight, e.g. {1: 0.3, 2: 0.7}", value=value)
    for size, weight in value.items():
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 10:
            raise FieldError("group sizes must be whole numbers between 1 and 10", (size,), size)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight >= 0:
            raise FieldError("weights must be numbers, at least 0", (size,), weight)
    if sum(value.values()) <= 0:
        raise FieldError("needs at least one size with a weight above 0", value=value)
    return tuple(sorted(value.items()))


class Wave(StrictModel):
    """An arrival wave (到场批次): a share of the attendance arriving between two times.

    Without `bus_size` groups arrive one by one at random (uniform) times in the wave; with
    it they come by bus (班车): each bus brings `bus_size` people, who arrive together.
    """

    start: ClockTime = Field(alias="from", description="first arrivals of the wave, 'HH:MM'")
    end: Annotated[ClockTime, TypeDoc("time", "'HH:MM', after `from`")] = Field(
        alias="to", description="last arrivals of the wave, 'HH:MM'"
    )
    share: Share = Field(description="share of the attendance in this wave (shares sum to 1)")
    bus_size: Distribution | None = Field(
        None, description="people per bus (e.g. uniform 20–50); null = individual arrivals"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Wave:
        if self.end <= self.start:
            raise FieldError(
                f"must be after from ('{format_clock(self.start)}')", ("to",),
                format_clock(self.end),
            )  # fmt: skip
        return self


class Calling(StrictModel):
    """Calling numbers to the selection area (叫号): order, batches and no-shows (V5)."""

    order: Literal["lottery", "queue", "wave_lottery"] = Field(
        "lottery",
        description="'lottery' (摇号: random order), 'queue' (排队: sign-in order) or "
        "'wave_lottery' (按批次摇号: each invitation wave draws its own range of numbers, "
        "called in wave order; a number not yet signed in is waited for, only no-shows move "
        "to the end)",
    )
    opens: ClockTime = Field(description="the first batch is called at this time, 'HH:MM'")
    batch_size: Annotated[int, NoBool, Field(ge=1, le=100)] = Field(
        10, description="numbers called per batch (每批叫号数)"
    )
    max_calls: Annotated[int, NoBool, Field(ge=1, le=10)] = Field(
        3, description="calls before an absent group is moved to the end (过号)"
    )
    call_interval_min: NonNegative = Field(
        0.5, description="minutes between repeated calls of an absent number"
    )
    no_show_share: Share = Field(
        0.05, description="share of groups absent when first called (they choose at the end)"
    )


class StaffPiece(StrictModel):
    """From a clock time on, this many people staff the desk (until the next piece)."""

    start: ClockTime = Field(alias="from", description="start of this piece, 'HH:MM'")
    count: Annotated[int, NoBool, Field(ge=0, le=200)] = Field(description="people at the desk")


class EventDeskSpec(StrictModel):
    """An event desk (活动岗位) in the line, in visiting order. Post ids are unique."""

    post: EventPost = Field(description="post id: " + ", ".join(EVENT_POSTS))
    who: Literal["all", "buyers"] = Field(
        "all", description="who visits: 'all' groups or only 'buyers' (who chose a unit)"
    )
    service: Distribution = Field(description="minutes one group holds one person at the desk")
    walk: Distribution = Field(
        default_factory=constant(Fixed, dist="fixed", value=1.0),
        description="minutes to walk to this desk from the previous stage",
    )
    target_wait_min: Positive = Field(
        10, description="wait target at this desk, minutes (for the over-target share)"
    )
    headcount: Annotated[tuple[StaffPiece, ...], Field(min_length=1)] = Field(
        description="baseline people from each time on: list of {from, count} (基础人数)"
    )
    cap: Annotated[int, NoBool, Field(ge=1, le=200)] = Field(
        20, description="most people sizing may put at this desk in one block"
    )
    batch_size: Annotated[int, NoBool, Field(ge=1, le=20)] = Field(
        1, description="groups one person serves together (一批): an engineer tours up to this "
        "many waiting owner groups at once, for as long as the longest of their visits; 1: one "
        "group at a time. Not at sign_in or the called selection desk"
    )
    payer: Literal["property", "developer"] = Field(
        "developer",
        description="who pays the desk: 'property' (物业, billed in the fee plan) or "
        "'developer' (开发商/代理, the developer's or agency's staff, never billed)",
    )

    @field_validator("headcount")
    @classmethod
    def _increasing(cls, pieces: tuple[StaffPiece, ...]) -> tuple[StaffPiece, ...]:
        return increasing_starts(pieces)

    @model_validator(mode="after")
    def _cap_covers_baseline(self) -> EventDeskSpec:
        for i, piece in enumerate(self.headcount):
            if piece.count > self.cap:
                raise FieldError(f"must be at most cap ({self.cap})", ("headcount", i, "count"),
                                 piece.count)  # fmt: skip
        return self


class SizingTargetSpec(StrictModel):
    """A target `salesim size` must meet, e.g. {kpi: sign_in_wait_p90, op: '<=', value: 10}."""

    kpi: Annotated[str, Field(min_length=1)] = Field(description="an event KPI key")
    op: Literal["<=", ">="] = Field("<=", description="'<=' or '>='")
    value: Annotated[float, NoBool, Field(allow_inf_nan=False)] = Field(
        description="the target value, in the KPI's unit (minutes, share, groups)"
    )

    @field_validator("kpi")
    @classmethod
    def _known(cls, key: str) -> str:
        from sim.domain.kpis import event_kpi_keys  # the catalogue only when a target is checked

        keys = event_kpi_keys()
        if key not in keys:
            raise FieldError(f"unknown event KPI{did_you_mean(key, keys)}", value=key)
        return key


class SizingSpec(StrictModel):
    """Targets for `salesim size` and how they must hold over replicated days."""

    mode: Literal["share_of_days", "upper_ci_mean"] = Field(
        "share_of_days",
        description="'share_of_days': the KPI meets the target on at least `confidence` of "
        "days; 'upper_ci_mean': the one-sided `confidence` upper bound of its mean does",
    )
    confidence: Annotated[float, NoBool, Field(gt=0.5, lt=1)] = Field(
        0.95, description="share of days, or confidence level"
    )
    targets: tuple[SizingTargetSpec, ...] = Field((), description="the targets (list)")


class Event(StrictModel):
    """An event day (活动日): attendance, arrival waves, the desks in series and sizing targets.

    Times must lie within the day's opening hours; wave shares must sum to 1; on a launch
    day `calling` is required and the desk after sign-in is the called (selection) desk.
    """

    kind: Literal["launch", "site_open_day", "signing_day"] = Field(
        description="'launch' (开盘选房), 'site_open_day' (工地开放日) or 'signing_day' "
        "(签约日: buyers of the launch sign the contract by appointment, seed 002)"
    )
    attendance: Annotated[int, NoBool, Field(ge=1, le=20000)] = Field(
        description="expected people on the day (到场人数, e.g. 500–1,500)"
    )
    group_size: Annotated[
        tuple[tuple[int, float], ...],
        BeforeValidator(_group_sizes),
        TypeDoc("mapping persons: weight", "sizes 1–10, weights at least 0, not all 0"),
    ] = Field(description="people per buyer group (每组人数): mapping persons -> weight")
    buy_share: Share = Field(
        0.7, description="share of groups who choose a unit (then visit 'buyers' desks)"
    )
    sign_in_window: Annotated[
        tuple[ClockTime, ClockTime], TypeDoc("pair [time, time]", "start before end")
    ] = Field(description="sign-in window ['HH:MM', 'HH:MM'] (签到时段); waves end by its end")
    waiting_area_capacity: Annotated[int, NoBool, Field(ge=1)] = Field(
        description="people the waiting area seats (等候区容量)"
    )
    waves: Annotated[tuple[Wave, ...], Field(min_length=1)] = Field(
        description="arrival waves: list of {from, to, share, bus_size}"
    )
    calling: Calling | None = Field(None, description="number calling (launch days; 叫号)")
    desks: Annotated[tuple[EventDeskSpec, ...], Field(min_length=1)] = Field(
        description="the desks in visiting order, the first being sign_in"
    )
    sizing: SizingSpec = Field(default_factory=constant(SizingSpec), description="sizing targets")
    ratio_posts: tuple[RatioPost, ...] = Field(
        (), description="物业 ratio posts: list of {post, zone, per} (one person per `per` "
        "people present, from the simulated crowd)"
    )
    coverage_posts: tuple[CoveragePost, ...] = Field(
        (), description="物业 coverage posts: list of {post, where, count, from, to}"
    )
    queue_posts: tuple[QueuePost, ...] = Field(
        (), description="物业 queue-served posts: list of {post, source, service, "
        "target_wait_min, every_min, cap} (work from the simulated groups)"
    )
    parking: CarPark | None = Field(
        None, description="the car park: {car_share, spaces} (needed by source: cars)"
    )
    days: Annotated[tuple[EventDaySpec, ...], Field(max_length=14)] = Field(
        (), description="a multi-day event (多日活动): list of {label, attendance}, each day "
        "sized on its own by `salesim size` and billed once by `salesim fee`; empty: one day "
        "of `attendance` (which `salesim run` simulates either way)"
    )
    booking: BookingTerms = Field(
        default_factory=constant(BookingTerms), description="how event staff are booked "
        "(用工预订): {unit, min_shift_hours, max_shift_hours, starts | start_step_min}; a "
        "field left out takes the rate card's `booking`, else its default"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        w0, w1 = self.sign_in_window
        if w1 <= w0:
            raise FieldError(f"the window must end after it starts ('{format_clock(w0)}')",
                             ("sign_in_window", 1), format_clock(w1))  # fmt: skip
        total = sum(w.share for w in self.waves)
        if abs(total - 1) > 1e-6:
            last = len(self.waves) - 1
            raise FieldError(f"wave shares must sum to 1 (they sum to {total:g})",
                             ("waves", last, "share"), self.waves[last].share)  # fmt: skip
        for i, w in enumerate(self.waves):
            if w.end > w1:
                raise FieldError(f"must be at most the sign-in window end ('{format_clock(w1)}')",
                                 ("waves", i, "to"), format_clock(w.end))  # fmt: skip
        seen: dict[str, int] = {}
        for i, d in enumerate(self.desks):
            if d.post in seen:
                raise FieldError(f"post ids must be unique; also desks[{seen[d.post]}]",
                                 ("desks", i, "post"), d.post)  # fmt: skip
            seen[d.post] = i
            if (i == 0) != (d.post == "sign_in"):
                raise FieldError("the first desk, and only it, must be sign_in",
                                 ("desks", i, "post"), d.post)  # fmt: skip
        ids = [rp.post for rp in self.ratio_posts] + [c.post for c in self.coverage_posts]
        for i, q in enumerate(self.queue_posts):
            if q.post in ids:
                raise FieldError("a queue post's id must differ from every other property post",
                                 ("queue_posts", i, "post"), q.post)  # fmt: skip
            ids.append(q.post)
            if q.source == "cars" and self.parking is None:
                raise FieldError("source 'cars' needs event.parking: {car_share, spaces}",
                                 ("queue_posts", i, "source"), q.source)  # fmt: skip
        labels: dict[str, int] = {}
        for i, day in enumerate(self.days):
            if day.label in labels:
                raise FieldError(f"day labels must be unique; also days[{labels[day.label]}]",
                                 ("days", i, "label"), day.label)  # fmt: skip
            labels[day.label] = i
        if self.kind == "launch" and self.calling is None:
            raise FieldError("a launch day needs calling: {opens: 'HH:MM'}", ("kind",), "launch")
        if self.calling is not None and len(self.desks) < 2:
            raise FieldError("calling needs a desk after sign_in (the selection desk)", ("desks",))
        if self.desks[0].batch_size > 1:
            raise FieldError("must be 1 at sign_in (each group signs in on its own)",
                             ("desks", 0, "batch_size"), self.desks[0].batch_size)  # fmt: skip
        if self.calling is not None and self.desks[1].batch_size > 1:
            raise FieldError("must be 1 at the called selection desk (numbers are called in "
                             "batches instead: calling.batch_size)", ("desks", 1, "batch_size"),
                             self.desks[1].batch_size)  # fmt: skip
        return self

    def payers(self) -> dict[str, str]:
        """Post id -> who pays it ('property' or 'developer'), in visiting order."""
        return {d.post: d.payer for d in self.desks}

    def clock_fields(self) -> list[tuple[Loc, float]]:
        """Every time of day in the section, with its location below ``event``."""
        out: list[tuple[Loc, float]] = [(("sign_in_window", i), t)
                                        for i, t in enumerate(self.sign_in_window)]  # fmt: skip
        for i, w in enumerate(self.waves):
            out += [(("waves", i, "from"), w.start), (("waves", i, "to"), w.end)]
        if self.calling is not None:
            out.append((("calling", "opens"), self.calling.opens))
        for i, d in enumerate(self.desks):
            out += [(("desks", i, "headcount", j, "from"), p.start)
                    for j, p in enumerate(d.headcount)]  # fmt: skip
        for i, c in enumerate(self.coverage_posts):
            out += [(("coverage_posts", i, "from"), c.start), (("coverage_posts", i, "to"), c.end)]
        out += [(("booking", "starts", i), t) for i, t in enumerate(self.booking.starts or ())]
        return out

    def check_within(self, open_: float, close: float) -> None:
        """Raise a :class:`FieldError` (below ``event``) for a time outside [open, close]."""
        for loc, t in self.clock_fields():
            if not open_ <= t <= close:
                span = f"{format_clock(open_)}–{format_clock(close)}"
                raise FieldError(f"must be within the day {span}", loc, format_clock(t))
