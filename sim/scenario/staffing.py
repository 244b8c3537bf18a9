"""Scenario sections for the reception line (issue: posts, phone duty and shifts).

Shifts name working periods; every post gives a headcount per shift. Post ids follow the
Longfor reception model (seed 003): L1 gate, L2 parking, Y door, S1 water bar, G1 VIP
butler, sample-house guides, cleaners, the duty manager, and the backup receptionist who takes
transferred calls (P2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from pydantic import Field, create_model, field_validator, model_validator

from sim.core.clock import format_clock
from sim.core.distributions import Distribution, Fixed
from sim.core.schema import (
    NO_VALUE,
    ClockTime,
    FieldError,
    NonNegative,
    Positive,
    Share,
    StrictModel,
    TypeDoc,
    did_you_mean,
    increasing_starts,
)
from sim.core.shifts import Shift
from sim.posts import PostSpec, kinds, post_keys
from sim.scenario.defaults import constant
from sim.scenario.visit_tiers import TIERS


class ShiftSpec(StrictModel):
    """A working period (班次) and its breaks."""

    start: ClockTime = Field(description="shift start, 'HH:MM'")
    end: ClockTime = Field(description="shift end, 'HH:MM'")
    breaks: tuple[tuple[ClockTime, ClockTime], ...] = Field(
        (), description="breaks inside the shift: list of ['HH:MM', 'HH:MM']"
    )

    @model_validator(mode="after")
    def _ordered(self) -> ShiftSpec:
        if self.end <= self.start:
            raise FieldError(
                f"must be after start ('{format_clock(self.start)}')",
                loc=("end",),
                value=format_clock(self.end),
            )
        last = self.start
        for i, (b0, b1) in enumerate(self.breaks):
            if not last <= b0 < b1 <= self.end:
                raise FieldError(
                    f"a break must end after it starts and lie inside the shift "
                    f"({format_clock(self.start)}–{format_clock(self.end)}), after the "
                    "previous break",
                    loc=("breaks", i),
                    value=[format_clock(b0), format_clock(b1)],
                )
            last = b1
        return self


class CallRate(StrictModel):
    """From a clock time on, calls arrive at this rate (until the next piece or close)."""

    start: ClockTime = Field(alias="from", description="start of this piece, 'HH:MM'")
    rate: NonNegative = Field(description="calls per hour (来电/小时)")


class Phones(StrictModel):
    """Phone duty (P1–P3, R10): calls to the sales line."""

    calls: Annotated[tuple[CallRate, ...], Field(min_length=1)] = Field(
        description="calls per hour from each time on: list of {from, rate}"
    )
    ring_sec: Positive = Field(5, description="length of one ring, seconds")
    answer_within_rings: Annotated[int, Field(ge=1, le=20)] = Field(
        3, description="P1: a call should be answered within this many rings"
    )
    transfer_after_rings: Annotated[int, Field(ge=1, le=30)] = Field(
        6, description="P2: after this many rings the call goes to the backup receptionist"
    )
    duration: Distribution = Field(
        default_factory=constant(Fixed, dist="fixed", value=3.0), description="call length, minutes"
    )
    max_call_min: Positive = Field(10, description="P3: calls are cut at this length, minutes")
    phone_team: str | None = Field(
        None, description="team of reps on phone duty today (R1); null = any rep may answer"
    )
    visit_reps_answer_when_desk_empty: bool = Field(
        True, description="P1: when no phone rep is free a free visit rep answers"
    )
    receptionist_answers_first: bool = Field(
        False,
        description="R3/P1: the front-desk receptionist (the backup_reception post), when free, "
        "answers a call at the first ring before any rep; transferred calls (P2) still go there",
    )

    @field_validator("calls")
    @classmethod
    def _increasing(cls, pieces: tuple[CallRate, ...]) -> tuple[CallRate, ...]:
        return increasing_starts(pieces)

    @model_validator(mode="after")
    def _rings(self) -> Phones:
        if self.transfer_after_rings < self.answer_within_rings:
            raise FieldError(
                f"must be at least answer_within_rings ({self.answer_within_rings})",
                loc=("transfer_after_rings",),
                value=self.transfer_after_rings,
            )
        return self


class Admission(StrictModel):
    """The gate's admission check (seed 003): L1 radios the office for a walk-in group."""

    queue_limit: Annotated[int, Field(ge=0)] = Field(
        4, description="groups waiting at the desk at which the office answers 'cannot receive'"
    )
    wait_share: Share = Field(
        0.7, description="share of turned groups who wait in the waiting area (else they leave)"
    )


class Delegations(StrictModel):
    """Delegations (参观团, V3): large groups needing a rep and the duty manager."""

    per_day: NonNegative = Field(0, description="expected delegations per day (Poisson)")
    size_min: Annotated[int, Field(ge=2)] = Field(10, description="smallest delegation, people")
    size_max: Annotated[int, Field(ge=2)] = Field(40, description="largest delegation, people")
    house_slots: Annotated[int, Field(ge=1)] = Field(
        2, description="sample-house capacity a delegation takes (in groups)"
    )

    @model_validator(mode="after")
    def _sizes(self) -> Delegations:
        if self.size_max < self.size_min:
            raise FieldError(
                f"must be at least size_min ({self.size_min})", loc=("size_max",),
                value=self.size_max,
            )  # fmt: skip
        return self


class ImportantVisit(StrictModel):
    """A scheduled important visit (重要活动接待), tier 1 (officials) to 4 (ordinary groups).

    The tier sets who lines up and how many, whether walk-ins are refused before, and whether
    the grounds are cleared (:mod:`sim.scenario.visit_tiers`); the fields below override it."""

    at: ClockTime = Field(description="arrival time of the visit, 'HH:MM'")
    tier: Annotated[int, Field(ge=1, le=4)] = Field(
        description="1 officials, 2 inspections, 3 peer companies, 4 ordinary groups: sets the "
        "defaults of staff, booked_only_before_min and clear_grounds_before_min"
    )
    size: Annotated[int, Field(ge=1)] = Field(10, description="people in the visiting party")
    stay_min: Positive = Field(60, description="length of the visit, minutes")
    staff: Annotated[
        dict[str, Annotated[int, Field(ge=0)]] | None,
        TypeDoc(
            "mapping post: people, or null",
            "staffed post names (e.g. door, duty_manager); at least 0; null = by tier",
        ),
    ] = Field(
        None,
        description="people taken off each post to stand at the entrance, e.g. {door: 2}; null: "
        "the tier's (1-2 everyone of the receiving posts, 3 one each of duty manager, butler "
        "and door, 4 the duty manager)",
    )
    booked_only_before_min: NonNegative | None = Field(
        None,
        description="from this long before, only booked groups are admitted; null: the tier's "
        "(60 for tiers 1-2, 0 for 3-4)",
    )
    line_up_before_min: NonNegative = Field(
        20, description="listed staff stand at the entrance from this long before"
    )
    clear_grounds_before_min: NonNegative | None = Field(
        None,
        description="园区清场: the cleaners leave the grounds from this long before until the "
        "visit ends; null: the tier's (30 for tiers 1-2, 0 for 3-4)",
    )

    def line_up(self) -> dict[str, int]:
        """People of each post at the entrance: the visit's ``staff`` or the tier's."""
        return dict(self.staff) if self.staff is not None else dict(TIERS[self.tier].staff)

    def booked_only_min(self) -> float:
        """Minutes before the visit from which walk-ins are refused (0: never)."""
        given = self.booked_only_before_min
        return given if given is not None else TIERS[self.tier].booked_only_before_min

    def clear_grounds_min(self) -> float:
        """Minutes before the visit from which the cleaners are off the grounds (0: never)."""
        given = self.clear_grounds_before_min
        return given if given is not None else TIERS[self.tier].clear_grounds_before_min

    @field_validator("staff")
    @classmethod
    def _known_posts(cls, staff: dict[str, int] | None) -> dict[str, int] | None:
        if staff is None:
            return None
        keys = post_keys()
        for key in staff:
            if key not in keys:
                raise FieldError(
                    f"unknown post{did_you_mean(key, keys)}; posts are " + ", ".join(keys),
                    loc=(key,),
                )
        return staff


class StaffingFields(StrictModel):
    """Shifts, posts and their work, phones, admission, delegations, important visits.

    The posts' fields (one per post kind, :mod:`sim.posts.kinds`) are added to this class to
    make :class:`Staffing`."""

    shifts: Annotated[
        dict[str, ShiftSpec],
        TypeDoc("mapping name: shift", "at least one; each {start, end, breaks}"),
    ] = Field(description="named shifts, e.g. A and B")
    rep_shifts: Annotated[
        dict[str, str], TypeDoc("mapping rep: shift", "rep names from `reps`; shift names")
    ] = Field(
        default_factory=dict, description="rep name -> shift name; reps not listed work all day"
    )
    phones: Phones | None = Field(None, description="phone duty; null = no calls simulated")
    admission: Admission | None = Field(None, description="gate admission check; null = none")
    delegations: Delegations = Field(default_factory=constant(Delegations), description="参观团")
    important_visits: tuple[ImportantVisit, ...] = Field((), description="scheduled visits")
    large_party_min: Annotated[int, Field(ge=1)] = Field(
        2,
        description="F1: a car with at least this many people is attended by both L1 and L2; "
        "seed 003 (如果1车多人,L1、L2一同为客户开门): several people, so 2",
    )

    @field_validator("shifts")
    @classmethod
    def _some_shift(cls, shifts: dict[str, ShiftSpec]) -> dict[str, ShiftSpec]:
        if not shifts:
            raise ValueError("name at least one shift, e.g. {A: {start: '08:30', end: '16:00'}}")
        return shifts

    def post_spec(self, key: str) -> PostSpec | None:
        """The spec of post ``key`` if the scenario staffs it."""
        spec = getattr(self, key, None)
        return spec if isinstance(spec, PostSpec) else None

    def staffed_posts(self) -> dict[str, PostSpec]:
        """Every staffed post's spec, in journey order."""
        specs = {k.key: self.post_spec(k.key) for k in kinds()}
        return {key: spec for key, spec in specs.items() if spec is not None}

    @model_validator(mode="after")
    def _known_shift_names(self) -> StaffingFields:
        names = list(self.shifts)

        def unknown(shift: str, loc: tuple[str | int, ...], value: object) -> FieldError:
            return FieldError(
                f"unknown shift{did_you_mean(shift, names)}; shifts are {', '.join(names)}",
                loc=loc,
                value=value,
            )

        for key, spec in self.staffed_posts().items():
            for shift in spec.headcount:
                if shift not in self.shifts:  # the key is the shift name: no value to show
                    raise unknown(shift, (key, "headcount", shift), NO_VALUE)
        for rep, shift in self.rep_shifts.items():
            if shift not in self.shifts:
                raise unknown(shift, ("rep_shifts", rep), shift)
        for i, visit in enumerate(self.important_visits):
            for key in visit.staff or {}:  # the tier's defaults skip posts not staffed
                if self.post_spec(key) is None:
                    raise FieldError(
                        f"the {key} post is not staffed in this scenario (add staffing.{key})",
                        loc=("important_visits", i, "staff", key),
                    )
        return self


_STAFFING_DOC = "Shifts, posts and their work, phones, admission, delegations, important visits."


def _post_fields() -> dict[str, Any]:
    return {
        k.key: (k.spec | None, Field(None, description=k.description)) for k in kinds()
    }


if TYPE_CHECKING:
    Staffing: TypeAlias = StaffingFields
else:
    Staffing = create_model(
        "Staffing", __base__=StaffingFields, __doc__=_STAFFING_DOC, **_post_fields()
    )


def shift_of(name: str, spec: ShiftSpec) -> Shift:
    """One named shift of the scenario as a value object."""
    return Shift(name, spec.start, spec.end, tuple(spec.breaks))


def build_shifts(staffing: StaffingFields) -> dict[str, Shift]:
    """The scenario's shifts as value objects."""
    return {name: shift_of(name, spec) for name, spec in staffing.shifts.items()}
