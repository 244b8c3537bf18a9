"""The crowd of an event day as a planner must report it: the waiting area's seats against
the simulated peak (等候区座位), and the event class (活动规模) with its approvals.

Event classes (PARAMETERS §4, DOMAIN "Events"): under 500 attendees the office handles the
event with its own staff (中小型); from 500 extra staff and an approved plan are needed
(大型活动); from 1,000 expected attendees it is a 大型群众性活动, which needs a police permit
applied for 20 days ahead (lawparks.com; 830687.com).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.event.kpis import EventTimes, occupancy
from sim.event_sizing.service_posts import needed_at_level

LARGE, MASS_GATHERING = 500, 1000


@dataclass(frozen=True)
class WaitingSeats:
    """The waiting area on the simulated days: seats, peak people present, seats needed."""

    seats: int
    level: float
    peak_mean: float
    peak_max: int
    needed: int
    """Seats for the peak on ``level`` of the days (the ``ceil(level·days)``-th smallest)."""

    @property
    def short(self) -> int:
        """Seats missing at the level (0 when the area suffices)."""
        return max(0, self.needed - self.seats)


def waiting_seats(times: EventTimes, seats: int, level: float) -> WaitingSeats:
    """The waiting area's seats against the peak people present per day: the peak of the
    ``waiting_area_peak`` KPI (:func:`sim.event.kpis.occupancy`), so seats and KPI agree."""
    if times.wait_from is None or times.wait_to is None:
        return WaitingSeats(seats, level, 0.0, 0, 0)
    peaks = occupancy(times.wait_from, times.wait_to, times.size, seats)[0]
    needed = needed_at_level(peaks[:, None], level)[0] if len(peaks) else 0
    return WaitingSeats(seats, level, float(np.mean(peaks)) if len(peaks) else 0.0,
                        int(peaks.max(initial=0.0)), needed)  # fmt: skip


@dataclass(frozen=True)
class EventClass:
    """The event's class by its expected attendance."""

    attendance: int

    @property
    def large(self) -> bool:
        """≥ 500: extra staff and an approved plan."""
        return self.attendance >= LARGE

    @property
    def mass_gathering(self) -> bool:
        """≥ 1,000: 大型群众性活动, police permit 20 days ahead."""
        return self.attendance >= MASS_GATHERING

    def lines(self) -> list[str]:
        """The class in words, Chinese first."""
        if not self.large:
            head = (f"活动规模 event class: 中小型活动 small/medium (<{LARGE} 人 people, "
                    f"{self.attendance}): 售楼处内接待，无需增派人员 handled in the office, "
                    "no extra staff")  # fmt: skip
        else:
            head = (f"活动规模 event class: 大型活动 large (≥{LARGE} 人 people, "
                    f"{self.attendance}): 需增派物业人员并报批活动方案 extra staff and an "
                    "approved event plan")  # fmt: skip
        out = [head]
        if self.mass_gathering:
            out.append(f"大型群众性活动 mass gathering (≥{MASS_GATHERING:,} people): 须提前20天向"
                       "公安机关申请安全许可 police permit to be applied for 20 days ahead")
        return out
