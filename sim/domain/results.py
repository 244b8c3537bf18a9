"""The records a simulated day produces (office or event day)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["full", "kpi"]

VISIT_COLUMNS = (
    "group", "source", "size", "by_car", "returning", "designated", "important", "non_sales",
    "owner_rep", "booked", "arrival", "rep", "assigned", "lost_at", "tour_start", "tour_end",
    "house_wait", "seat", "seat_request", "seat_start", "signed", "departure", "outcome",
    "survey", "mentor_wait",
)  # fmt: skip
ASSIGNMENT_COLUMNS = ("group", "rep", "time", "waited", "match")
ROOM_COLUMNS = ("room", "group", "start", "end")
HOUSE_COLUMNS = ("house", "group", "request", "start", "end")
POST_HOUR_COLUMNS = ("post", "hour", "busy_min", "duty_min", "utilisation")


@dataclass
class Tables:
    """Tidy tables of one replication: each a list of rows matching its ``*_COLUMNS``."""

    visits: list[tuple[object, ...]] = field(default_factory=list)
    assignments: list[tuple[object, ...]] = field(default_factory=list)
    vip_rooms: list[tuple[object, ...]] = field(default_factory=list)
    sample_houses: list[tuple[object, ...]] = field(default_factory=list)
    post_hours: list[tuple[object, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class RepStats:
    """One rep's day."""

    name: str
    team: str
    receptions: int
    busy_min: float
    calls: int = 0
    overtime_min: float = 0.0
    duty_min: float = 0.0
    turns: int = 0  # rotation turns taken
    skipped: int = 0  # turns lost by rule (R7 轮空)
    made_up: int = 0  # make-up turns used (R4a, R6, R8)
    lent: int = 0  # times lent from the phone group to the desk (R4, R9)
    mentored: int = 0  # V4: signings attended as mentor


@dataclass(frozen=True)
class DayResult:
    """The outcome of one simulated day (one replication)."""

    replication: int
    seed: int
    policy: str
    kpis: dict[str, float]
    reps: tuple[RepStats, ...]
    tables: Tables | None
    end: float


class DayStalled(RuntimeError):
    """A simulated day could not finish: groups are stuck, or the day's events never end.

    A model error, never a figure: the message names the replication, the stuck groups, their
    reps and what each was waiting for.
    """
