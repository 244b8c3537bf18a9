"""Piecewise-constant schedules as validated value objects (arrival rates, headcounts)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Schedule:
    """A value that is ``values[i]`` from ``times[i]`` until ``times[i + 1]``.

    Before ``times[0]`` and from ``end`` on the value is zero. Times are minutes since midnight.
    """

    times: tuple[float, ...]
    values: tuple[float, ...]
    end: float

    def __post_init__(self) -> None:
        if len(self.times) != len(self.values) or not self.times:
            raise ValueError("a schedule needs one value per start time, and at least one")
        if any(b <= a for a, b in zip(self.times, self.times[1:], strict=False)):
            raise ValueError("schedule start times must be strictly increasing")
        if self.end <= self.times[-1]:
            raise ValueError("a schedule must end after its last start time")
        if any(v < 0 for v in self.values):
            raise ValueError("schedule values must be non-negative")

    @classmethod
    def constant(cls, value: float, start: float, end: float) -> Schedule:
        """A schedule holding one value from ``start`` to ``end``."""
        return cls((start,), (value,), end)

    def value_at(self, t: float) -> float:
        """The value in force at time ``t``."""
        if t < self.times[0] or t >= self.end:
            return 0.0
        return self.values[bisect.bisect_right(self.times, t) - 1]

    @cached_property
    def _pieces(self) -> tuple[tuple[float, float, float], ...]:
        stops: Sequence[float] = (*self.times[1:], self.end)
        return tuple(zip(self.times, stops, self.values, strict=True))

    def pieces(self) -> tuple[tuple[float, float, float], ...]:
        """``(start, stop, value)`` for every piece."""
        return self._pieces

    def integral(self, start: float, stop: float) -> float:
        """The integral of the schedule over ``[start, stop]``."""
        total = 0.0
        for a, b, v in self.pieces():
            lo, hi = max(a, start), min(b, stop)
            if hi > lo:
                total += (hi - lo) * v
        return total
