"""What a run records: compact KPI accumulators always, tidy tables when asked for.

``level="full"`` keeps one row per visitor group, per rep assignment, per VIP-room use and per
sample-house visit (the tables planners export). ``level="kpi"`` keeps only what the KPI
summary needs (a few float arrays), so that very long runs stay small in memory.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field

from sim.domain.results import (
    Level,
    Tables,
)
from sim.domain.satisfaction import DEFAULT as SATISFACTION
from sim.office.visitors import Group


@dataclass
class Accumulator:
    """Running totals and the few per-group samples the KPI summary needs."""

    arrived: int = 0
    people: int = 0  # visitors (people) in the groups that arrived
    people_served: int = 0
    deals: int = 0  # served groups that signed (成交/签约, F7)
    extra_reps: int = 0  # V3: further reps sent with large parties
    # served groups by their 1-5 card (index = card): counts, not a value per group (memory)
    cards: list[int] = field(default_factory=lambda: [0] * 6)
    served: int = 0
    lost: int = 0
    non_sales: int = 0
    present: int = 0
    owned: int = 0  # served groups that had an own rep (returning or designated)
    owned_by_owner: int = 0
    own_rep_wait: array[float] = field(default_factory=lambda: array("d"))  # R6/R7, at the desk
    surveys: int = 0  # R5: served market-survey / asking-for-a-friend groups
    not_received: int = 0  # R12: groups not received (media open day)
    mentor_wait: array[float] = field(default_factory=lambda: array("d"))  # V4
    unmentored: int = 0  # V4: signings with no experienced rep on duty to mentor
    mentor_minutes: array[float] = field(default_factory=lambda: array("d"))  # V4
    wait_rep: array[float] = field(default_factory=lambda: array("d"))  # the waits above 0
    zero_waits: int = 0  # served groups received at once: counted, not kept (memory)
    wait_lost: array[float] = field(default_factory=lambda: array("d"))
    vip_wait: array[float] = field(default_factory=lambda: array("d"))
    vip_to_table: int = 0
    house_wait: array[float] = field(default_factory=lambda: array("d"))
    refused_protocol: int = 0  # walk-ins turned away while only booked groups are admitted
    refused_admission: int = 0  # walk-ins who left when the office could not receive them
    asked_to_wait: int = 0
    last_departure: float = 0.0
    sojourn_sum: float = 0.0
    room_busy: float = 0.0
    # number-in-office integral, for Little's law
    area: float = 0.0
    in_office: int = 0
    last_change: float = 0.0


class Recorder:
    """Receives the model's observations."""

    def __init__(self, level: Level, start: float) -> None:
        self.level = level
        self.acc = Accumulator(last_change=start)
        self.tables = Tables() if level == "full" else None

    def _count(self, now: float, delta: int) -> None:
        acc = self.acc
        acc.area += acc.in_office * (now - acc.last_change)
        acc.last_change = now
        acc.in_office += delta

    def entered(self, now: float, size: int = 1) -> None:
        """A group of ``size`` people entered the office."""
        acc = self.acc
        acc.arrived += 1
        acc.people += size
        acc.area += acc.in_office * (now - acc.last_change)  # _count(now, 1), inlined
        acc.last_change = now
        acc.in_office += 1

    def assignment(self, g: Group, rep: int, now: float) -> None:
        """A rep started serving a group."""
        if self.tables is not None:
            match = "own_rep" if g.owner == rep else ("rotation" if g.owner < 0 else "other_rep")
            self.tables.assignments.append((g.gid, rep, now, now - g.arrival, match))

    def room_use(self, room: int, g: Group, start: float, end: float) -> None:
        """A VIP room was held from ``start`` to ``end``."""
        self.acc.room_busy += end - start
        if self.tables is not None:
            self.tables.vip_rooms.append((room, g.gid, start, end))

    def house_visit(self, house: int, g: Group, request: float, start: float, end: float) -> None:
        """A group waited at a sample house from ``request`` and toured it ``start``..``end``."""
        self.acc.house_wait.append(start - request)
        if self.tables is not None:
            self.tables.sample_houses.append((house, g.gid, request, start, end))

    def left(self, g: Group, now: float, outcome: str) -> None:
        """A group left: ``served``, ``lost``, ``non_sales``, ``not_received``, ``refused``."""
        acc = self.acc
        acc.area += acc.in_office * (now - acc.last_change)  # _count(now, -1), inlined
        acc.last_change = now
        acc.in_office -= 1
        acc.sojourn_sum += now - g.arrival
        acc.last_departure = now
        if outcome == "served":
            acc.served += 1
            acc.people_served += g.size
            acc.deals += g.signs and not g.survey  # R5: a survey talk never reaches signing
            wait = g.assigned - g.arrival
            acc.cards[served_card(wait, g.t_extra > 0)] += 1
            if wait > 0.0:
                acc.wait_rep.append(wait)
            else:  # received at once: a third of an M/M/10 day at rho 0.9 (issue 17 item 5)
                acc.zero_waits += 1
            acc.surveys += g.survey
            if g.owner >= 0:
                acc.owned += 1
                if g.owner == g.rep:
                    acc.owned_by_owner += 1
                    acc.own_rep_wait.append(g.assigned - g.at_desk)
            if g.seat:
                self._seat(g)
        elif outcome == "lost":
            acc.lost += 1
            acc.wait_lost.append(now - g.arrival)
        elif outcome == "non_sales":
            acc.non_sales += 1
        elif outcome == "not_received":
            acc.not_received += 1
        if self.tables is not None:
            self.tables.visits.append(_visit_row(g, now, outcome))

    def mentor(self, wait: float, found: bool, minutes: float) -> None:
        """V4: a new rep's signing waited ``wait`` minutes for a mentor (``found`` or not),
        who was then held ``minutes``."""
        self.acc.mentor_wait.append(wait)
        self.acc.unmentored += not found
        if found:
            self.acc.mentor_minutes.append(minutes)

    def _seat(self, g: Group) -> None:
        if math.isnan(g.seat_request) or not g.asks_vip:
            return
        self.acc.vip_wait.append(g.seat_start - g.seat_request)
        self.acc.vip_to_table += g.seat == "table"

    def still_inside(self, groups: list[Group], now: float) -> None:
        """Groups inside when the clock stopped (``run_until: close``)."""
        self._count(now, 0)
        self.acc.present = len(groups)
        if self.tables is not None:
            for g in groups:
                self.tables.visits.append(_visit_row(g, math.nan, "present"))


_GRACE_MIN = SATISFACTION.wait_grace_min


def _visit_row(g: Group, departure: float, outcome: str) -> tuple[object, ...]:
    return (
        g.gid, g.source, g.size, g.by_car, g.returning, g.designated, g.important, g.non_sales,
        g.owner, g.booked, g.arrival, g.rep, g.assigned, g.lost_at, g.tour_start, g.tour_end,
        g.house_wait, g.seat, g.seat_request, g.seat_start,
        g.signs and not g.survey and outcome == "served",
        departure, outcome, g.survey, g.mentor_wait,
    )  # fmt: skip


def served_card(wait: float, grabbed: bool) -> int:
    """The satisfaction card of one served group (V1, V5), as ``SATISFACTION.card(wait, 0.0,
    grabbed)`` computes it, in plain floats: the numpy version costs ~50 µs a group (speed,
    issue 17). Same IEEE operations in the same order, so the same card."""
    if wait <= _GRACE_MIN and not grabbed:  # no penalty point: the usual case
        return 5
    if not math.isfinite(wait):
        return SATISFACTION.card(wait, 0.0, grabbed)
    m = SATISFACTION
    points = max(wait - m.wait_grace_min, 0.0) / m.wait_min_per_point + 0.0
    points += m.grab_points * float(grabbed)
    return int(min(5.0, max(1.0, 5 - math.floor(points + 1e-9))))
