"""The FIFO recursion of :func:`sim.event.single_fifo.run_single`, compiled (issue 17).

The vectorised recursion steps one job at a time over every day at once: a dozen NumPy calls
per job, over all seats, so a 3,000-person launch day's water bar (about 14,000 requests a
day) costs a fifth of a second per plan however few seats the pick has to look at. Here each
day runs on its own, compiled by Numba: a job looks at the seats in order and stops at the
first one ready by its moment (no later seat can offer an earlier start, and ties go to the
lowest seat), so a step costs a few seats, not all of them.

The numbers are those of the NumPy recursion, bit for bit (the same maxima, sums and
comparisons in the same order; tests/test_fifo_kernel.py compares the two on random days):

- a job's moment is ``t = max(arrival, last start)``; seat ``s`` offers ``max(ready[s], t)``;
  the pick is the lowest seat with the least offer;
- a picked offer not before the seat's stop (and finite) closes, for the rest of the day,
  every seat whose offer is not before its stop, and the day picks again among the others
  (``inf``: none left);
- the seat is then free from ``start + service`` (``free``), ready from that moment, or never
  again when it is ``nan`` (a job of unknown length).

The compiled function is cached on disk beside this module (Numba's ``cache=True``), so a
process compiles it once per machine. :func:`kernel` returns ``None`` where Numba is missing;
the caller then runs the NumPy recursion.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

NO_JIT = "SALESIM_NO_JIT"
"""Set (to anything but empty) to run the NumPy recursion instead (comparisons, debugging)."""


def _days(ready: Any, free: Any, last: Any, key_t: Any, service_t: Any, upto: Any,
          stop: Any, by_job: Any, k0: int, every: int, snap_free: Any,
          snap_last: Any) -> None:  # fmt: skip
    """Jobs ``k0..len(upto)-1`` of every day (row) in turn; see the module docstring. Writes
    ``free``, ``last``, ``by_job`` and, at each job ``k`` that is a multiple of ``every``
    (``every > 0``), the state before it in ``snap_free[j]``, ``snap_last[j]`` (``j``: the
    multiple's place from ``k0`` on)."""
    rows = free.shape[0]
    n = len(upto)
    inf = np.inf
    for row in range(rows):
        lt = last[row]
        j = 0
        for k in range(k0, n):
            if every > 0 and k % every == 0:
                snap_free[j, row, :] = free[row, :]
                snap_last[j, row] = lt
                j += 1
            used = upto[k]
            tk = key_t[k, row]
            t = tk if tk >= lt else lt
            pick = 0
            best = ready[row, 0] if ready[row, 0] > t else t
            s = 1
            while best > t and s < used:
                o = ready[row, s] if ready[row, s] > t else t
                if o < best:
                    best = o
                    pick = s
                s += 1
            if best >= stop[row, pick] and best < inf:  # closed: close all such, pick again
                pick = 0
                best = inf
                for s in range(used):
                    o = ready[row, s] if ready[row, s] > t else t
                    if o >= stop[row, s]:
                        ready[row, s] = inf
                        o = inf
                    if o < best:
                        best = o
                        pick = s
            until = best + service_t[k, row]
            free[row, pick] = until
            ready[row, pick] = inf if until != until else until  # nan: never again
            by_job[k, row] = best
            lt = best
        last[row] = lt


@cache
def kernel() -> Callable[..., None] | None:
    """The compiled recursion (:func:`_days`), or ``None`` without Numba (or with
    :data:`NO_JIT` set)."""
    if os.environ.get(NO_JIT):
        return None
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency
        return None
    jitted: Callable[..., None] = numba.njit(cache=True, nogil=True)(_days)
    return jitted


def run_compiled(fn: Callable[..., None], ready: np.ndarray, free: np.ndarray,
                 last: np.ndarray, key_t: np.ndarray, service_t: np.ndarray, upto: np.ndarray,
                 stop: np.ndarray, by_job: np.ndarray, k0: int, every: int,
                 ) -> tuple[np.ndarray, dict[int, tuple[np.ndarray, np.ndarray]]]:  # fmt: skip
    """Run ``fn`` (:func:`kernel`) from job ``k0``: ``stop`` per seat or per row and seat;
    returns the last starts and the states saved every ``every`` jobs (0: none)."""
    rows, width = free.shape
    n = len(upto)
    ks = [k for k in range(k0, n) if every and k % every == 0]
    snap_free = np.empty((len(ks), rows, width))
    snap_last = np.empty((len(ks), rows))
    stop2 = np.ascontiguousarray(np.broadcast_to(stop[..., :width], (rows, width)))
    last = np.array(last, dtype=float)
    fn(ready, free, last, key_t, service_t, np.asarray(upto, dtype=np.int64), stop2, by_job,
       k0, every, snap_free, snap_last)  # fmt: skip
    return last, {k: (snap_free[j], snap_last[j]) for j, k in enumerate(ks)}
