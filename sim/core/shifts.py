"""Shifts (班次) and breaks as validated value objects, and headcount over the day."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import simpy

from sim.core.clock import format_clock


@dataclass(frozen=True)
class Shift:
    """A named working period, e.g. A 08:30–16:00, with optional breaks inside it."""

    name: str
    start: float
    end: float
    breaks: tuple[tuple[float, float], ...] = field(default=())

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(
                f"shift {self.name}: end {format_clock(self.end)} must be after "
                f"start {format_clock(self.start)}"
            )
        last = self.start
        for b0, b1 in self.breaks:
            if not (last <= b0 < b1 <= self.end):
                raise ValueError(
                    f"shift {self.name}: break {format_clock(b0)}–{format_clock(b1)} must lie "
                    f"inside the shift, after the previous break, and end after it starts"
                )
            last = b1

    def working(self) -> list[tuple[float, float]]:
        """The intervals in which a person on this shift can be given work."""
        out, t = [], self.start
        for b0, b1 in self.breaks:
            out.append((t, b0))
            t = b1
        out.append((t, self.end))
        return [(a, b) for a, b in out if b > a]

    def on_at(self, t: float) -> bool:
        """Whether the shift is working (on, not on a break) at time ``t``."""
        return any(a <= t < b for a, b in self.working())


def headcount_at(t: float, staffing: Mapping[Shift, int]) -> int:
    """People working at ``t`` given a headcount per shift."""
    return sum(n for shift, n in staffing.items() if shift.on_at(t))


def uncovered(
    open_: float, close: float, staffing: Mapping[Shift, int]
) -> list[tuple[float, float]]:
    """Intervals of opening hours with nobody working (to warn about gaps)."""
    cuts = sorted(
        {open_, close}
        | {x for s in staffing for a, b in s.working() for x in (a, b) if open_ < x < close}
    )
    gaps: list[tuple[float, float]] = []
    for a, b in pairwise(cuts):
        if headcount_at((a + b) / 2, staffing) == 0:
            if gaps and gaps[-1][1] == a:
                gaps[-1] = (gaps[-1][0], b)
            else:
                gaps.append((a, b))
    return gaps


def overlaps(shifts: Iterable[Shift]) -> list[tuple[str, str]]:
    """Pairs of shifts that overlap (normal for A/B hand-over; reported, not an error)."""
    items = list(shifts)
    return [
        (a.name, b.name)
        for i, a in enumerate(items)
        for b in items[i + 1 :]
        if a.start < b.end and b.start < a.end
    ]


def work_periods(
    env: simpy.Environment, periods: Iterable[tuple[float, float]],
    on_start: Callable[[float], None], on_end: Callable[[], None],
    wait: Callable[[float], simpy.Event] | None = None,
) -> Generator[simpy.Event, Any, None]:  # fmt: skip
    """Follow working periods: ``on_start(period_end)`` when each begins (periods already over
    are skipped), ``on_end()`` when it ends. The one shift state machine of the model, for reps
    and post staff alike; ``wait`` is how to wait for a period's end (default a timeout)."""
    until = wait or env.timeout
    for a, b in periods:
        if a > env.now:
            yield env.timeout(a - env.now)
        if env.now >= b:
            continue
        on_start(b)
        yield until(b - env.now)
        on_end()
