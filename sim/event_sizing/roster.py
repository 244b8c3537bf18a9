"""Rostering (排班, issue 19 item 2): shifts people can be booked for, covering the sized need.

The sizer answers people per post and time block (person-blocks). Event staff are booked as
shifts — a start, a length, billed by the hour, half day or day at a minimum length
(:class:`~sim.scenario.event_booking.BookingTerms`). For each post an integer program picks how
many people to book on each allowed shift so that

    Σ people on shifts covering block b  ≥  need[b]       for every block b

at the least billed units Σ units(shift)·people (the price per unit is the post's, so least
units is least money). Among the cheapest rosters a second solve prefers the fewest distinct
shifts, then the fewest people (a smooth roster: one long shift rather than three short ones
at the same cost). Coverage ≥ need in every block, so the sized plan's targets still hold: a
roster only adds people-time.

A shift covers a block when it starts at or before the block's start and ends at or after its
end. Its paid length is ``max(end - start, min_shift_hours)`` (a shift cut short by closing is
still paid the minimum); its units are hours (``hour``), started half days of 4 h
(``half_day``) or 1 (``day``: the person is booked for the event day).

Solver: :func:`scipy.optimize.milp` (HiGHS branch and bound). SciPy is already a dependency;
the programs are small (a post has at most blocks² candidate shifts, a few dozen to a few
hundred integers), HiGHS proves the optimum in milliseconds, and an exact optimum is what the
hand-derived tests check (a heuristic could not be tested that way).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from sim.core.clock import format_clock
from sim.scenario.event_booking import HALF_DAY_HOURS, BookingTerms

EPS = 1e-6


class RosterError(ValueError):
    """The need cannot be rostered at the terms (e.g. no allowed start reaches a block)."""


@dataclass(frozen=True)
class BookedShift:
    """``people`` booked from ``start`` to ``end`` (minutes since midnight), each paid
    ``units`` (hours, half days or days)."""

    start: float
    end: float
    units: float
    people: int

    @property
    def label(self) -> str:
        """'08:30-12:30'."""
        return f"{format_clock(self.start)}-{format_clock(self.end)}"


@dataclass(frozen=True)
class PostRoster:
    """One post's roster: the need per block, the shifts booked and the people they put in
    each block (``cover`` ≥ ``need``)."""

    post: str
    need: tuple[int, ...]
    shifts: tuple[BookedShift, ...]
    cover: tuple[int, ...]

    @property
    def units(self) -> float:
        """Billed units (person-hours, -half-days or -days)."""
        return sum(s.units * s.people for s in self.shifts)

    @property
    def people(self) -> int:
        """People booked."""
        return sum(s.people for s in self.shifts)


def allowed_starts(edges: Sequence[float], terms: BookingTerms) -> list[float]:
    """Start times the terms allow within the day (default: every block start)."""
    open_, close = edges[0], edges[-1]
    if terms.starts is not None:
        return [t for t in terms.starts if open_ <= t < close]
    if terms.start_step_min is not None:
        n = math.ceil((close - open_) / terms.start_step_min)
        return [open_ + k * terms.start_step_min for k in range(n)]
    return list(edges[:-1])


def shift_units(paid_min: float, terms: BookingTerms) -> float:
    """Billed units of a shift paid ``paid_min`` minutes."""
    unit = terms.unit_or_default
    if unit == "hour":
        return paid_min / 60
    if unit == "half_day":
        return float(math.ceil(paid_min / (60 * HALF_DAY_HOURS) - EPS))
    return 1.0


def candidates(edges: Sequence[float], terms: BookingTerms) -> list[tuple[float, float, float]]:
    """``(start, end, units)`` of every shift worth booking: allowed start, ending at a block
    end, not longer than the maximum; of the shifts with one start and the same units only the
    longest (it covers more at the same price)."""
    longest = (terms.max_shift_hours or 24.0) * 60
    best: dict[tuple[float, float], float] = {}
    for t in allowed_starts(edges, terms):
        for e in edges:
            if e <= t + EPS or e - t > longest + EPS:
                continue
            units = shift_units(max(e - t, terms.min_hours * 60), terms)
            best[(t, units)] = max(best.get((t, units), e), e)
    return sorted((t, e, u) for (t, u), e in best.items())


def _coverage(edges: Sequence[float], shifts: list[tuple[float, float, float]]) -> np.ndarray:
    a = np.zeros((len(edges) - 1, len(shifts)))
    for j, (t, e, _) in enumerate(shifts):
        for b in range(len(edges) - 1):
            a[b, j] = t <= edges[b] + EPS and edges[b + 1] <= e + EPS
    return a


def roster_post(post: str, need: Sequence[int], edges: Sequence[float],
                terms: BookingTerms) -> PostRoster:  # fmt: skip
    """The cheapest roster of one post at the terms, smooth among the cheapest."""
    need_v = np.asarray(need, dtype=float)
    if not need_v.any():
        return PostRoster(post, tuple(need), (), (0,) * len(need))
    shifts = candidates(edges, terms)
    a = _coverage(edges, shifts)
    for b in np.flatnonzero((need_v > 0) & (a.sum(axis=1) == 0) if shifts else need_v > 0):
        i = int(b)
        raise RosterError(f"{post}: no shift allowed by the booking terms covers block "
                          f"{format_clock(edges[i])}-{format_clock(edges[i + 1])} "
                          f"({terms.describe()})")  # fmt: skip
    x = _solve(a, need_v, np.array([u for _, _, u in shifts]))
    booked = tuple(BookedShift(t, e, u, int(n))
                   for (t, e, u), n in zip(shifts, x, strict=True) if n)  # fmt: skip
    cover = tuple(int(v) for v in a @ x)
    return PostRoster(post, tuple(int(v) for v in need), booked, cover)


def full_cover(post: str, need: Sequence[int], edges: Sequence[float], terms: BookingTerms,
               ceiling: Sequence[int]) -> PostRoster:  # fmt: skip
    """The cheapest roster of one post with every free person on duty (the booking-cost
    phase, :mod:`sim.event_sizing.booked`): among the rosters of least cost whose cover is at
    least ``need`` and at most ``ceiling`` (the desk's cap) in every block, the most
    person-minutes on duty, then the fewest distinct shifts. By the day this is the peak on
    duty all day: a person booked for the day costs the same whether or not they stay."""
    need_v = np.asarray(need, dtype=float)
    if not need_v.any():
        return PostRoster(post, tuple(need), (), (0,) * len(need))
    shifts = candidates(edges, terms)
    a = _coverage(edges, shifts)
    if not shifts or (need_v > a.sum(axis=1) * np.asarray(ceiling)).any():
        return roster_post(post, need, edges, terms)  # raises the RosterError of the block
    lengths = np.diff(np.asarray(edges, dtype=float))
    minutes = np.rint(lengths @ a)  # minutes on duty of one person on each shift
    x = _solve(a, need_v, np.array([u for _, _, u in shifts]),
               np.asarray(ceiling, dtype=float), minutes)  # fmt: skip
    booked = tuple(BookedShift(t, e, u, int(n))
                   for (t, e, u), n in zip(shifts, x, strict=True) if n)  # fmt: skip
    return PostRoster(post, tuple(int(v) for v in need), booked,
                      tuple(int(v) for v in a @ x))  # fmt: skip


def _solve(a: np.ndarray, need: np.ndarray, cost: np.ndarray, ceiling: np.ndarray | None = None,
           minutes: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """Least cost; then, at that cost, fewest distinct shifts, then fewest people. With
    ``ceiling`` the cover is at most it; with ``minutes`` (each shift's minutes on duty) the
    second solve takes the most person-minutes first, then the fewest distinct shifts."""
    n = a.shape[1]
    hi = np.full(len(need), np.inf) if ceiling is None else ceiling
    top = float(need.max() if ceiling is None else ceiling.max())
    cover = LinearConstraint(a, lb=need, ub=hi)
    first = milp(cost, constraints=[cover], integrality=np.ones(n), bounds=Bounds(0, top))
    if not first.success:
        raise RosterError(f"the roster program failed: {first.message}")
    best = float(first.fun)
    # x_j ≤ top·y_j (y_j = 1: shift j is used); cost within rounding of the optimum
    zeros = np.zeros((len(need), n))
    used = LinearConstraint(np.hstack([np.eye(n), -top * np.eye(n)]), lb=-np.inf, ub=0)
    weights = (np.concatenate([np.ones(n), np.full(n, top * n + 1)]) if minutes is None
               else np.concatenate([-(n + 1) * minutes, np.ones(n)]))  # fmt: skip
    second = milp(
        weights,
        constraints=[LinearConstraint(np.hstack([a, zeros]), lb=need, ub=hi), used,
                     LinearConstraint(np.concatenate([cost, np.zeros(n)]), ub=best + 1e-6)],
        integrality=np.ones(2 * n),
        bounds=Bounds(0, np.concatenate([np.full(n, top), np.ones(n)])),
    )  # fmt: skip
    chosen: np.ndarray = second.x if second.success else first.x
    out: np.ndarray = np.rint(chosen[:n]).astype(int)
    return out


def roster(needs: Mapping[str, Sequence[int]], edges: Sequence[float],
           terms: BookingTerms) -> dict[str, PostRoster]:  # fmt: skip
    """The roster of every post (in the order of ``needs``)."""
    return {post: roster_post(post, need, edges, terms) for post, need in needs.items()}
