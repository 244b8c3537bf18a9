"""A queue post's FIFO over many headcount plans, resumed where a plan changes (issue 17).

Sizing a queue post (:mod:`sim.event_sizing.queue_posts`) runs the same jobs through the
screen's FIFO recursion (:class:`sim.event.seats.Seats`) for plan after plan, and the plans
of its adding step differ from the one before only from some block on. A job that started
before that block in the previous plan starts at the same time in the new one: seat ``s`` is
staffed where the block's count exceeds ``s``, so before the block every seat's staffing is
the same, and a seat whose staffing changed can offer a start no earlier than the block
(never the earliest one of such a job, nor tied with it). So the run resumes from the last
saved state (every :data:`SNAP` jobs) before the first job that started at or after the
block in any day, with the same numbers as a run from the first job.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.event.inputs import EventPlan
from sim.event.seats import Seats
from sim.event.single_fifo import open_seats, run_single, single_interval

SNAP = 200
"""Jobs between saved states of the recursion."""


class ResumableFifo:
    """Start times of fixed jobs (each day's jobs in arrival order, ``nan``: none) at a
    post staffed per block, resumed from the previous plan where possible."""

    def __init__(self, arrival: np.ndarray, service: np.ndarray, edges: Sequence[float]) -> None:
        self.arrival, self.service, self.edges = arrival, service, tuple(edges)
        self._key = np.where(np.isnan(arrival), np.inf, arrival)
        self._has = np.isfinite(self._key)
        # each day's jobs first, then none: the step needs no mask (:meth:`_run`)
        self._prefix = bool((self._has[:, :-1] | ~self._has[:, 1:]).all())
        self._width = int(self._has.any(axis=0).sum()) if self._prefix else 0
        self._key_t = np.ascontiguousarray(self._key.T)
        self._first = self._key.min(axis=0, initial=np.inf)  # job k's earliest arrival
        self._service_t = np.ascontiguousarray(np.where(self._has, service, 0.0).T)
        self._last: tuple[tuple[int, ...], np.ndarray, dict[int, tuple[np.ndarray, np.ndarray]]]
        self._last = ((), np.empty((0, 0)), {})
        self.last_resumed = 0
        """Jobs of the last :meth:`start` taken from the plan before (0: run from the first)."""

    def start(self, counts: Sequence[int]) -> np.ndarray:
        """Each job's start under ``counts`` people per block (``inf``: never served)."""
        plan = tuple(int(c) for c in counts)
        if plan == self._last[0]:  # the same plan again (its verdict, then its late blocks)
            self.last_resumed = self._last[1].shape[1]
            return self._last[1]
        rows, n = self.arrival.shape
        seats = Seats(EventPlan.from_blocks(self.edges, {"q": plan}).seats("q"), rows)
        start = np.full((rows, n), np.nan)
        k0, snaps = self._resume(plan, seats, start)
        self.last_resumed = k0
        if self._prefix and len(seats.seats):
            start = self._run(seats, start, k0, snaps)
        else:
            for k in range(k0, n):
                if k % SNAP == 0:
                    snaps[k] = (seats.free.copy(), seats.last.copy())
                mask = np.isfinite(self._key[:, k])
                if not mask.any():
                    break
                start[:, k] = seats.step(self._key[:, k], self.service[:, k], mask)
        self._last = (plan, start, snaps)
        return start

    def _run(self, seats: Seats, start: np.ndarray, k0: int,
             snaps: dict[int, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:  # fmt: skip
        """The recursion of :meth:`Seats.step` from job ``k0`` on, when each day's jobs come
        first (``nan`` only after them): every step then runs over all days with no mask,
        about a dozen NumPy calls (issue 17), and over the seats up to the last one still
        open at the job's earliest arrival (:attr:`Seats.closes`). A day past its last job
        starts its later slots at ``inf`` (its arrival), keeps ``last = inf`` and writes
        ``inf`` to the seat it "took"; it has no job left, so no start differs, and the
        slots are set to ``nan`` at the end. A day whose job is never served (``inf``)
        behaves the same as in :meth:`Seats.step`: its ``last`` is ``inf``, so its later
        jobs are never served."""
        rows, n = self._key.shape
        free, last = seats.free, seats.last
        width = free.shape[1]
        staffed_from = seats.staffed_from
        at = np.arange(rows) * width  # each day's first seat in free.ravel()
        by_job = np.empty((n, rows))  # start per job, contiguous per step
        upto = self._upto(seats)
        if single_interval(seats):  # one staffed interval per seat (the usual plan)
            last = run_single(seats, self._key_t, self._service_t, upto, by_job, k0,
                              (SNAP, snaps))
            return self._finish(seats, start, by_job, k0, last, snaps)
        used, view, at_view = -1, free, at
        for k in range(k0, self._width):
            if k % SNAP == 0:
                snaps[k] = (free.copy(), last.copy())
            if upto[k] != used:  # fewer seats from now on (job k's arrivals only rise)
                used = int(upto[k])
                view, at_view = free[:, :used], np.arange(rows) * used
            cand = staffed_from(np.maximum(np.maximum(self._key_t[k], last)[:, None], view))
            pick = cand.argmin(axis=1)
            last = cand.take(pick + at_view)
            pick += at
            free.put(pick, last + self._service_t[k])
            by_job[k] = last
        return self._finish(seats, start, by_job, k0, last, snaps)

    def _upto(self, seats: Seats) -> np.ndarray:
        """Per job: the seats that may still serve it on some day (:func:`open_seats`)."""
        return open_seats(seats.closes, self._first[: self._width])

    def _finish(self, seats: Seats, start: np.ndarray, by_job: np.ndarray, k0: int,
                last: np.ndarray, snaps: dict[int, tuple[np.ndarray, np.ndarray]],
                ) -> np.ndarray:  # fmt: skip
        """The run's last state and starts (``nan`` where a day has no job)."""
        n = self._key.shape[1]
        if k0 <= self._width < n and self._width % SNAP == 0:  # as the masked loop saves it
            snaps[self._width] = (seats.free.copy(), last.copy())
        seats.last = last
        start[:, k0 : self._width] = by_job[k0 : self._width].T
        return np.where(self._has, start, np.nan)

    def _resume(self, plan: tuple[int, ...], seats: Seats, start: np.ndarray,
                ) -> tuple[int, dict[int, tuple[np.ndarray, np.ndarray]]]:  # fmt: skip
        """Restore the recursion from the previous plan: the first job to run and the saved
        states kept (none when nothing can be reused)."""
        old, old_start, snaps = self._last
        same = next((b for b, (x, y) in enumerate(zip(old, plan, strict=False)) if x != y),
                    None)  # fmt: skip
        if len(old) != len(plan) or not same:  # first plan, or a change in the first block
            return 0, {}
        with np.errstate(invalid="ignore"):
            after = (old_start >= self.edges[same]).any(axis=0)  # nan (no job): False
        k0 = int(np.argmax(after)) if after.any() else old_start.shape[1]
        ks = max((k for k in snaps if k <= k0), default=0)
        if ks == 0:
            return 0, {}
        free, last = snaps[ks]
        if free.shape[1] > seats.free.shape[1]:  # fewer seats now: run from the first job
            return 0, {}
        seats.restore(free, last)
        start[:, :ks] = old_start[:, :ks]
        return ks, {k: s for k, s in snaps.items() if k <= ks}
