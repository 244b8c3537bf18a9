"""The people ("seats") of a screened desk across replicated days: when each is free, when
each is staffed, and the step of the first-come-first-served recursion (:mod:`sim.event.screen`).

A seat's staffing is a function ``g`` from a time ``x`` to the earliest moment from ``x`` on at
which the seat is staffed (``inf``: never again). ``g`` never decreases, so for a group that may
start from ``t`` at a seat free from ``f``, ``g(max(t, f)) == max(g(t), g(f))``, exactly. The
step keeps ``ready = g(free)`` per row and seat, updated only where a seat is taken, and
evaluates ``g`` at the rows' ``t`` once per row (a search among the staffing's bounds, then one
row of :attr:`Seats.table` per day), instead of a search per row and seat (issue 17 item 1).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

INF = np.inf


class Steps(Protocol):
    """What the number calling needs of a desk's seats: the FIFO step."""

    def step(self, arrival: np.ndarray, service: np.ndarray, mask: np.ndarray | None,
             ) -> np.ndarray:  # fmt: skip
        """Start times of the next group of each row (``mask``: rows that have one)."""


class SeatSteps:
    """The step of the recursion over seats whose staffing is a lookup table (see the module
    docstring), for one plan (:class:`Seats`) or several stacked along the rows
    (:class:`sim.event_sizing.batch.BatchSeats`).

    A subclass sets ``edges`` (the sorted bounds, then ``nan``), ``free`` and ``last``,
    ``seats`` (their numbers), and the lookups: ``_by_segment`` (per segment of the time
    line, possibly offset per row by ``_segment_base``, the staffed-from time of every seat)
    and ``_flat`` (the same values per seat then segment, offset per row by ``_flat_base``
    and per seat by ``_seat_base``); ``None`` bases mean one table for every row.
    """

    edges: np.ndarray
    free: np.ndarray
    last: np.ndarray
    seats: np.ndarray
    _at: np.ndarray
    _by_segment: np.ndarray
    _flat: np.ndarray
    _seat_base: np.ndarray
    _segment_base: np.ndarray | None = None
    _flat_base: np.ndarray | None = None
    _ready: np.ndarray
    one_interval: tuple[np.ndarray, np.ndarray] | None = None
    """``(begin, stop)`` of every seat when each is staffed over one interval (a seat never
    staffed has ``inf`` for both; one plan with no seat at all has ``None``): shape (seats,)
    for one plan, (rows, seats) for plans stacked along the rows (padded with never-staffed
    seats); ``None`` otherwise (:mod:`sim.event.single_fifo` steps such seats in fewer
    calls)."""

    def step(self, arrival: np.ndarray, service: np.ndarray, mask: np.ndarray | None,
             ) -> np.ndarray:  # fmt: skip
        """Start times of the next group of each replication (``mask``: rows that have one;
        ``None``: every row); ``inf`` when no seat will be staffed again."""
        return self.step_seat(arrival, service, mask)[0]

    def step_seat(self, arrival: np.ndarray, service: np.ndarray, mask: np.ndarray | None,
                  ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """:meth:`step`, and the seat each row's group took (the lowest-numbered seat on
        ties)."""
        if not len(self.seats):
            never = np.full(len(arrival), INF) if mask is None else np.where(mask, INF, np.nan)
            return never, np.zeros(len(arrival), dtype=int)
        t = np.maximum(arrival, self.last)
        seg = self.edges.searchsorted(t, side="right")
        if self._segment_base is not None:
            seg += self._segment_base
        cand = self._by_segment.take(seg, axis=0)
        np.fmax(cand, t[:, None], out=cand)  # g(t) per seat (fmax: t = nan gives inf)
        np.maximum(cand, self._ready, out=cand)  # g(max(t, free)) = max(g(t), g(free))
        seat = cand.argmin(axis=1)
        at = seat + self._at
        start = cand.ravel().take(at)
        served = np.isfinite(start) if mask is None else mask & np.isfinite(start)
        # a row not served keeps its seat's time (one write for every row: cheaper than
        # selecting the served rows, the same numbers)
        until = np.where(served, start + service, self.free.ravel().take(at))
        self._put(at, seat, until, self._flat_base)
        if mask is None:  # every row has a group
            self.last = start
            return start, seat
        self.last = np.where(mask, start, self.last)
        return np.where(mask, start, np.nan), seat

    def _put(self, at: np.ndarray, seat: np.ndarray, until: np.ndarray,
             flat_base: np.ndarray | None) -> None:  # fmt: skip
        """Seat ``seat`` of each row (``at``: its place in ``free.ravel()``; ``flat_base``:
        the row's table in ``_flat``) free from ``until``, and its staffed-from time."""
        self.free.ravel()[at] = until
        where = self.edges.searchsorted(until, side="right")
        where += self._seat_base.take(seat)
        if flat_base is not None:
            where += flat_base
        self._ready.ravel()[at] = np.fmax(until, self._flat.take(where))

    def hold(self, rows: np.ndarray, seat: np.ndarray, until: np.ndarray) -> None:
        """Seat ``seat[i]`` of row ``rows[i]`` is busy until ``until[i]`` (a longer tour)."""
        base = None if self._flat_base is None else self._flat_base[rows]
        self._put(rows * self.free.shape[1] + seat, seat, until, base)


class Seats(SeatSteps):
    """The seats of one desk across replications, with the recursion's state.

    Seat intervals are held padded, ``begin/stop`` of shape (seats, intervals) (``inf``
    beyond a seat's last interval), so one step handles every seat and replication at once.
    ``free`` (rows, seats) is when each seat is next free; write it only through
    :meth:`hold` or :meth:`restore`, which keep the step's lookup of it in line.
    """

    def __init__(self, spans: list[list[tuple[float, float]]], rows: int) -> None:
        width = max([len(s) for s in spans] + [1])
        self.begin = np.full((len(spans), width), INF)
        self.stop = np.full((len(spans), width), INF)
        for s, sp in enumerate(spans):
            self.begin[s, : len(sp)] = [a for a, _ in sp]
            self.stop[s, : len(sp)] = [b for _, b in sp]
        self.seats = np.arange(len(spans))
        self._begin, self._stop = self.begin.T.copy(), self.stop.T.copy()  # by interval
        self.edges, self.table = staffed_table(self.begin, self.stop)
        if len(spans) and width == 1:
            self.one_interval = (self.begin[:, 0], self.stop[:, 0])
        self.offset = self.seats * (len(self.edges) + 1)
        """Per seat, where its row of ``table`` starts in ``table.ravel()``."""
        self.closes = np.where(np.isfinite(self.begin), self.stop, -INF).max(axis=1, initial=-INF)
        """Per seat, the end of its last interval: from then on it is never free (``inf``)."""
        self.free = np.full((rows, max(len(spans), 1)), -INF)
        self.last = np.full(rows, -INF)
        self.rows = np.arange(rows)
        self._at = self.rows * self.free.shape[1]  # each row's first seat in free.ravel()
        self._by_segment = np.ascontiguousarray(self.table.T)
        self._flat, self._seat_base = self.table.ravel(), self.offset
        self._sync_ready()

    def restore(self, free: np.ndarray, last: np.ndarray) -> None:
        """Set the first ``free.shape[1]`` seats' free times and ``last`` (a saved state)."""
        self.free[:, : free.shape[1]] = free
        self.last = last.copy()
        self._sync_ready()

    def _sync_ready(self) -> None:
        """Every seat's staffed-from time from ``free`` (the step keeps it up to date)."""
        self._ready = self.staffed_from(self.free.copy()) if len(self.seats) else self.free.copy()

    def staffed_from(self, x: np.ndarray) -> np.ndarray:
        """The earliest staffed moment from ``x`` (rows, seats), per seat (``inf``: never
        again), for these seats or the first ``x.shape[1]`` of them (``x`` may be
        overwritten): with one interval per seat its formula (three elementwise calls), else
        one lookup in :attr:`table`."""
        width = x.shape[1]  # the first seats only (a caller may leave out closed ones)
        if self.begin.shape[1] == 1:
            stop, begin = self._stop[0, :width], self._begin[0, :width]
            one: np.ndarray = np.where(stop > x, np.maximum(x, begin), INF)
            return one
        seg = np.searchsorted(self.edges, x, side="right")
        seg += self.offset[:width]
        out: np.ndarray = np.fmax(x, self.table.take(seg), out=x)  # fmax: nan -> inf
        return out


def staffed_table(begin: np.ndarray, stop: np.ndarray, bounds: np.ndarray | None = None,
                  ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """The seats' staffing as a lookup: the sorted finite interval bounds, then ``nan``
    (``edges``), and, per seat and segment ``i`` of the time line (``edges[i-1] <= x <
    edges[i]``; ``i = 0`` before the first bound; ``x = nan`` alone in the last), the begin
    of the seat's first interval ending after any ``x`` of the segment (``inf``: none),
    shape (seats, segments). As every bound is in ``edges``, that interval is the same for
    the whole segment (its stop is at least ``edges[i]``), so the earliest staffed moment from
    ``x`` is ``max(x, table[seat, i])`` (``inf`` for ``nan``): one search instead of a pass
    per interval. ``begin/stop``: (seats, intervals), padded with ``inf``; ``bounds``: sorted
    finite bounds to use, a superset of these seats' (default: exactly theirs)."""
    if bounds is None:
        every = np.concatenate([begin.ravel(), stop.ravel()])
        bounds = np.unique(every[np.isfinite(every)])
    pad = np.full((begin.shape[0], 1), INF)
    b, e = np.hstack([begin, pad]), np.hstack([stop, pad])  # a last "interval" for none
    thr = np.append(bounds, INF)  # segment i: the first interval whose stop >= thr[i]
    first = (e[:, None, :] >= thr[None, :, None]).argmax(axis=2)  # (seats, segments)
    table = np.hstack([np.take_along_axis(b, first, axis=1), pad])
    # a last bound nan (searchsorted sorts it after inf): x = nan gets inf
    return np.append(bounds, np.nan), np.ascontiguousarray(table)
