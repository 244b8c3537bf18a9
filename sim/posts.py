"""Staffed service posts (岗位): people on shifts who take tasks first come, first served.

A post has people, each on a shift. A task asks for one person; it waits until someone is
working and free, holds them for the task, then lets go. A person whose shift (or break)
starts while busy finishes the task first, then leaves; the time past the shift end is
overtime. Nobody is given work while off shift.
"""

from __future__ import annotations

import math
from array import array
from collections import deque
from collections.abc import Generator
from typing import Any

import simpy

from sim.shifts import Shift

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


class Post:
    """A post with its people, FIFO task queue and KPI records."""

    def __init__(self, env: simpy.Environment, key: str, people: list[Person], start: float) -> None:
        self.env = env
        self.key = key
        self.people = people
        self.queue: deque[tuple[float, simpy.Event]] = deque()
        self.response = array("d")  # request -> service start, minutes
        self.busy_by_hour: dict[int, float] = {}
        self.duty_by_hour: dict[int, float] = {}
        self.tasks = 0
        self._day_start = start
        for p in people:
            env.process(self._shift_cycle(p))

    # -- people coming and going ------------------------------------------------------------
    def _shift_cycle(self, person: Person) -> Generator[simpy.Event, Any, None]:
        for a, b in person.shift.working():
            if a > self.env.now:
                yield self.env.timeout(a - self.env.now)
            if self.env.now >= b:
                continue
            person.on_duty, person.leaving, person.shift_end = True, False, b
            self._add_duty(self.env.now, b)
            self._dispatch()
            yield self.env.timeout(b - self.env.now)
            if person.busy:
                person.leaving = True
            else:
                person.on_duty = False

    def _add_duty(self, a: float, b: float) -> None:
        _spread(self.duty_by_hour, a, b)

    # -- tasks --------------------------------------------------------------------------------
    def acquire(self) -> simpy.Event:
        """An event whose value is the person assigned, when one is working and free."""
        event = self.env.event()
        self.queue.append((self.env.now, event))
        self._dispatch()
        return event

    def release(self, person: Person) -> None:
        """``person`` has finished a task."""
        now = self.env.now
        person.busy = False
        _spread(self.busy_by_hour, person.busy_since, now)
        if person.leaving:
            person.leaving = False
            person.on_duty = False
            person.overtime += now - person.shift_end
            self._add_duty(person.shift_end, now)
        self._dispatch()

    def has_free(self) -> bool:
        """Whether someone is working and free right now (and nobody is queued)."""
        return not self.queue and any(
            p.on_duty and not p.busy and not p.leaving for p in self.people
        )

    def hold(self, count: int, until: float) -> None:
        """Take ``count`` people off the post (as soon as they are free) until ``until``."""
        for _ in range(count):
            self.env.process(self._hold_one(until))

    def _hold_one(self, until: float) -> Generator[simpy.Event, Any, None]:
        person = yield self.acquire()
        if until > self.env.now:
            yield self.env.timeout(until - self.env.now)
        self.release(person)

    def task(self, minutes: float) -> simpy.Process:
        """A task of ``minutes`` by one person; the process ends when the task is done."""
        return self.env.process(self._do(minutes))

    def _do(self, minutes: float) -> Generator[simpy.Event, Any, None]:
        person = yield self.acquire()
        yield self.env.timeout(minutes)
        self.release(person)

    def _dispatch(self) -> None:
        while self.queue:
            person = next((p for p in self.people if p.on_duty and not p.busy and not p.leaving), None)
            if person is None:
                return
            asked, event = self.queue.popleft()
            person.busy = True
            person.busy_since = self.env.now
            self.tasks += 1
            self.response.append(self.env.now - asked)
            event.succeed(person)

    # -- reporting ----------------------------------------------------------------------------
    def overtime(self) -> float:
        """Total minutes worked past shift ends."""
        return sum(p.overtime for p in self.people)

    def utilisation_by_hour(self) -> dict[int, float]:
        """Busy person-minutes over working person-minutes, per clock hour (0–23…)."""
        return {
            h: self.busy_by_hour.get(h, 0.0) / duty
            for h, duty in sorted(self.duty_by_hour.items())
            if duty > 0
        }


def _spread(buckets: dict[int, float], a: float, b: float) -> None:
    """Add the interval ``[a, b)`` to per-hour buckets."""
    t = a
    while t < b:
        hour = int(t // HOUR)
        stop = min(b, (hour + 1) * HOUR)
        buckets[hour] = buckets.get(hour, 0.0) + (stop - t)
        t = stop
