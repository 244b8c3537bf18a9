"""What a staffed post records for its KPIs: its people, response times, busy and on-duty
minutes by clock hour, overtime (the base of :class:`~sim.posts.lazy_ends.EventlessEnds` and
so of :class:`~sim.posts.staffed.Post`, which add the event-less task ends, the tasks, the
queue and the shifts)."""

from __future__ import annotations

import math
from array import array

from sim.core.shifts import Shift

HOUR = 60.0


class Person:
    """One member of staff at a post."""

    __slots__ = ("busy", "busy_since", "index", "leaving", "name", "on_duty", "overtime",
                 "shift", "shift_end")  # fmt: skip

    def __init__(self, index: int, name: str, shift: Shift) -> None:
        self.index = index
        self.name = name
        self.shift = shift
        self.on_duty = False
        self.busy = False
        self.leaving = False
        self.busy_since = 0.0
        self.overtime = 0.0
        self.shift_end = math.nan


class PostRecords:
    """A post's people and KPI records.

    ``trace=True`` keeps :attr:`trace`, one ``(person index, start, end)`` per finished task or
    hold (for tests; off by default for speed).
    """

    def __init__(self, people: list[Person], trace: bool = False) -> None:
        self.people = people
        self.response = array("d")  # request -> service start, minutes
        # busy intervals (start, end, ...) in the order let go, spread over the clock hours
        # only when :attr:`busy_by_hour` is read: a task costs two appends (speed, issue 17)
        self._busy = array("d")
        self._busy_spread = 0  # how much of ``_busy`` is in ``_busy_hours``
        self._busy_hours: dict[int, float] = {}
        self.duty_by_hour: dict[int, float] = {}
        self.tasks = 0
        self.unserved = 0  # tasks withdrawn because the post had closed for the day
        self.trace: list[tuple[int, float, float]] | None = [] if trace else None

    def _add_duty(self, a: float, b: float) -> None:
        duty = self.duty_by_hour
        get = duty.get
        for hour, minutes in _hour_pieces(a, b):
            duty[hour] = get(hour, 0.0) + minutes

    def _take(self, person: Person, now: float, asked: float, counted: bool) -> None:
        """``person`` starts a task (or a hold) at ``now`` (the clock), asked for at ``asked``."""
        person.busy = True
        person.busy_since = now
        if counted:
            self.tasks += 1
            self.response.append(now - asked)

    @property
    def busy_by_hour(self) -> dict[int, float]:
        """Busy person-minutes per clock hour, of the tasks and holds let go so far."""
        busy, hours, done = self._busy, self._busy_hours, self._busy_spread
        get = hours.get
        # in the order let go: the same sums; an interval within one hour (the usual case) is
        # :func:`spread`'s one step, inlined (speed, issue 17)
        length = HOUR  # a local: read twice for every interval
        for a, b in zip(busy[done::2], busy[done + 1 :: 2], strict=True):
            hour = int(a // length)
            if a < b <= (hour + 1) * length:
                hours[hour] = get(hour, 0.0) + (b - a)
            else:
                spread(hours, a, b)
        self._busy_spread = len(busy)
        return hours

    def overtime(self) -> float:
        """Total minutes worked past shift ends."""
        return sum(p.overtime for p in self.people)

    def utilisation_by_hour(self) -> dict[int, float]:
        """Busy person-minutes over working person-minutes, per clock hour (0–23…)."""
        busy = self.busy_by_hour
        return {
            h: busy.get(h, 0.0) / duty
            for h, duty in sorted(self.duty_by_hour.items())
            if duty > 0
        }


_PIECES: dict[tuple[float, float], tuple[tuple[int, float], ...]] = {}


def _hour_pieces(a: float, b: float) -> tuple[tuple[int, float], ...]:
    """``[a, b)`` cut at the clock hours: (hour, minutes) in time order, as :func:`spread`
    adds them. Kept by interval: the on-duty periods are the shifts' and breaks', the same
    every day and for everyone on the shift (speed, issue 17)."""
    pieces = _PIECES.get((a, b))
    if pieces is None:
        cut: dict[int, float] = {}
        spread(cut, a, b)  # one piece an hour, in time order (dicts keep insertion order)
        pieces = tuple(cut.items())
        if len(_PIECES) >= 4096:  # many scenarios in one process: start again
            _PIECES.clear()
        _PIECES[(a, b)] = pieces
    return pieces


def spread(buckets: dict[int, float], a: float, b: float) -> None:
    """Add the interval ``[a, b)`` to per-hour buckets."""
    hour = int(a // HOUR)
    if a < b <= (hour + 1) * HOUR:  # within one hour, the usual case: the loop's one step
        buckets[hour] = buckets.get(hour, 0.0) + (b - a)
        return
    t = a
    while t < b:
        hour = int(t // HOUR)
        stop = min(b, (hour + 1) * HOUR)
        buckets[hour] = buckets.get(hour, 0.0) + (stop - t)
        t = stop
