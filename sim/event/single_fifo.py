"""The FIFO recursion where every seat is staffed over one interval (the usual plan: a
person per block from the first block of their count to the last), shared by the screen's
desks (:func:`sim.event.screen.fifo`) and the sizing of queue posts
(:mod:`sim.event_sizing.queue_fifo`).

A seat free from ``f`` and staffed over ``[begin, stop)`` offers a job that may start from
``t`` the moment ``max(t, f, begin)`` if that is before ``stop``, else never. So each day
keeps ``ready = max(f, begin)`` per seat, updated where a seat is taken, and a step is one
maximum with ``t`` and one argmin, about half the NumPy calls of
:meth:`~sim.event.seats.SeatSteps.step` (issue 17); a picked seat whose moment is not before
its stop shows that seats have closed for that day: every such seat is closed for the day for
good (``t`` never falls, as the jobs come in arrival order) and the day picks again. The
starts are those of :meth:`~sim.event.seats.SeatSteps.step`, tie to the lowest seat.
"""

from __future__ import annotations

import numpy as np

from sim.event.fifo_kernel import kernel, run_compiled
from sim.event.seats import SeatSteps

Snaps = dict[int, tuple[np.ndarray, np.ndarray]]


def single_interval(seats: SeatSteps) -> bool:
    """Whether every seat is staffed over one interval (:attr:`SeatSteps.one_interval`)."""
    return seats.one_interval is not None


def open_seats(closes: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Per job: the seats that may still serve it on some day, up to the last one closing
    (``closes``: per seat, the end of its last interval on any day) after the job's earliest
    arrival ``first`` (a seat closed by then offers inf, never the least); at least one."""
    width = len(closes)
    open_ = closes[None, :] > first[:, None]
    upto: np.ndarray = np.maximum(width - np.argmax(open_[:, ::-1], axis=1), 1)
    upto[~open_.any(axis=1)] = 1
    return upto


def _stop_at(stop: np.ndarray, pick: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The stop of each row's picked seat (``at``: each row's first seat in the full
    width; ``stop`` per seat, or per row and seat)."""
    out: np.ndarray = stop.take(pick) if stop.ndim == 1 else stop.ravel().take(pick + at)
    return out


def fifo_single(seats: SeatSteps, key_t: np.ndarray, service_t: np.ndarray) -> np.ndarray:
    """Start times (jobs, rows) of the jobs ``key_t`` (per row in arrival order, then
    ``inf``: none) with service ``service_t`` at ``seats`` (:func:`single_interval`), from
    their state; ``inf`` where a job is never served or there is none. The seats are used
    up: their ``free`` is written, their other state is not kept in line."""
    assert seats.one_interval is not None
    begin, stop = seats.one_interval
    ends = np.where(np.isfinite(begin), stop, -np.inf)
    closes = ends if ends.ndim == 1 else ends.max(axis=0, initial=-np.inf)
    first = key_t.min(axis=1, initial=np.inf)
    by_job = np.empty(key_t.shape)
    run_single(seats, key_t, service_t, open_seats(closes, first), by_job, 0)
    return by_job


class OneIntervalSteps:
    """:meth:`~sim.event.seats.SeatSteps.step` for seats staffed over one interval each
    (:func:`single_interval`), a job at a time with a mask: the same starts and ties in about
    half the NumPy calls. Rows the mask leaves out change nothing and close no seat (their
    ``t`` is no bound on the next). Starts from the seats' state; keeps its own."""

    def __init__(self, seats: SeatSteps) -> None:
        assert seats.one_interval is not None
        rows, width = seats.free.shape
        begin, self.stop = seats.one_interval
        self.ready = np.fmin(np.maximum(seats.free, begin), np.inf)
        self.last = seats.last.copy()
        self.at = np.arange(rows) * width

    def step(self, arrival: np.ndarray, service: np.ndarray, mask: np.ndarray | None,
             ) -> np.ndarray:  # fmt: skip
        """Start times of the next group of each row (``mask``: rows that have one; ``None``:
        every row); ``inf`` when no seat will be staffed again (also for a ``nan`` time)."""
        t = np.fmin(np.maximum(arrival, self.last), np.inf)  # fmin: nan -> inf
        r = self.ready
        _, flat, start = _pick(r, t, self.stop, self.at, self.at, mask)
        until = np.fmin(start + service, np.inf)  # a job of unknown length: never again
        if mask is None:
            r.put(flat, until)
            self.last = start
            return start
        r.put(flat, np.where(mask, until, r.take(flat)))
        self.last = np.where(mask, start, self.last)
        out: np.ndarray = np.where(mask, start, np.nan)
        return out


def run_single(seats: SeatSteps, key_t: np.ndarray, service_t: np.ndarray, upto: np.ndarray,
               by_job: np.ndarray, k0: int, snaps: tuple[int, Snaps] | None = None,
               ) -> np.ndarray:  # fmt: skip
    """The recursion (module docstring) over jobs ``k0`` to ``len(upto)`` of ``key_t``
    (jobs, rows: per row in arrival order, then ``inf``; ``service_t`` 0 there), each among
    its ``upto`` first seats. A day past its last job starts its later slots at ``inf``, keeps
    ``last = inf`` and writes ``inf`` to the seat it "took"; it has no job left, so no start
    differs. A seat free from ``nan`` (a job of unknown length) never serves again, as in
    :meth:`~sim.event.seats.SeatSteps.step`: its ``ready`` is ``inf``. Writes
    ``by_job[k0:]`` and ``seats.free``, and ``(every, snaps)`` the state every ``every``
    jobs; returns the last starts."""
    assert seats.one_interval is not None
    free, last = seats.free, seats.last
    rows, width = free.shape
    begin, stop = seats.one_interval
    # the working copy below: ``r``; fmin(nan, inf) = inf
    ready = np.fmin(np.maximum(free, begin), np.inf)
    every, saved = snaps if snaps is not None else (0, {})
    fn = kernel()
    if fn is not None and not np.isnan(key_t[k0 : len(upto)]).any():  # compiled, same numbers
        last, more = run_compiled(fn, ready, free, last, key_t, service_t, upto, stop, by_job,
                                  k0, every)  # fmt: skip
        saved.update(more)
        return last
    unknown = not np.isfinite(service_t[k0 : len(upto)]).all()
    at = np.arange(rows) * width
    used, r, at_r = -1, ready, at
    maximum = np.maximum
    for k in range(k0, len(upto)):
        if every and k % every == 0:
            saved[k] = (free.copy(), last.copy())
        if upto[k] != used:  # fewer seats: a contiguous copy of those (a faster maximum)
            if used > 0:
                ready[:, :used] = r
            used = int(upto[k])
            r, at_r = np.ascontiguousarray(ready[:, :used]), np.arange(rows) * used
        t = maximum(key_t[k], last)
        pick, flat, start = _pick(r, t, stop, at_r, at, None)
        until = start + service_t[k]
        free.put(pick + at, until)
        r.put(flat, np.fmin(until, np.inf) if unknown else until)
        by_job[k] = start
        last = start
    return last


def _pick(r: np.ndarray, t: np.ndarray, stop: np.ndarray, at_r: np.ndarray, at: np.ndarray,
          mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Each row's seat for a job that may start from ``t``, among the seats of ``r`` (their
    ready moments; ``at_r``: each row's first in ``r.ravel()``, ``at``: in the full width):
    the seat, its place in ``r.ravel()`` and the start. A picked seat that is closed for the
    day closes for good, and the day picks again (only rows of ``mask``: the others' ``t`` is
    no bound on the next)."""
    offer = np.maximum(r, t[:, None])
    pick = offer.argmin(axis=1)
    flat = pick + at_r
    start: np.ndarray = offer.take(flat)
    closed = _closed(start, _stop_at(stop, pick, at))
    if mask is not None:
        closed &= mask
    if np.count_nonzero(closed):
        flat = _pick_again(r, t, closed, pick, start, stop, at_r)
    return pick, flat, start


def _closed(start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Days whose picked seat offers a (finite) moment not before its stop."""
    out: np.ndarray = start >= stop
    out &= start < np.inf
    return out


def _pick_again(r: np.ndarray, t: np.ndarray, closed: np.ndarray, pick: np.ndarray,
                start: np.ndarray, stop: np.ndarray, at_r: np.ndarray) -> np.ndarray:
    """For the ``closed`` days: close every seat whose moment is not before its stop
    (``inf`` in ``r``: closed for good, as the day's ``t`` and the seat's free time only
    rise), and pick again among the others (``inf``: none left); ``pick`` and ``start`` are
    updated in place. Returns the picks' places in ``r.ravel()``."""
    days = np.flatnonzero(closed)
    mine = r[days]
    offer = np.maximum(mine, t[days, None])
    gone = offer >= (stop[: r.shape[1]] if stop.ndim == 1 else stop[days, : r.shape[1]])
    offer[gone] = mine[gone] = np.inf
    r[days] = mine
    again = offer.argmin(axis=1)
    pick[days] = again
    start[days] = offer[np.arange(len(days)), again]
    out: np.ndarray = pick + at_r
    return out
