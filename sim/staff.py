"""Sales reps as the model sees them, and the read-only office view given to policies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.visitors import Group


class Rep:
    """A sales rep during one simulated day."""

    __slots__ = (
        "busy", "busy_since", "busy_time", "calls", "duty_start", "duty_time", "experienced",
        "group", "index", "leaving", "name", "on_duty", "overtime", "receptions", "shift_end",
        "team",
    )  # fmt: skip

    def __init__(self, index: int, name: str, team: str, experienced: bool) -> None:
        self.index = index
        self.name = name
        self.team = team
        self.experienced = experienced
        self.on_duty = True
        self.busy = False
        self.group: Group | None = None
        self.busy_since = 0.0
        self.busy_time = 0.0
        self.receptions = 0
        self.calls = 0
        self.leaving = False
        self.shift_end = 0.0
        self.overtime = 0.0
        self.duty_start = 0.0
        self.duty_time = 0.0  # closed on-duty intervals; the model adds the open one at the end

    @property
    def available(self) -> bool:
        """On duty and not serving a group."""
        return self.on_duty and not self.busy

    def __repr__(self) -> str:
        return f"Rep({self.index}, {self.name!r})"


@dataclass
class OfficeView:
    """What a rotation policy may look at: the reps (with their live state) and the clock."""

    reps: Sequence[Rep]
    day_type: str
    phone_team: str | None = None
    visit_reps_answer_calls: bool = True
    clock: object = field(default=None, repr=False)  # a simpy Environment (``now``)

    @property
    def now(self) -> float:
        """The simulated time, minutes since midnight."""
        return float(self.clock.now)  # type: ignore[attr-defined]
