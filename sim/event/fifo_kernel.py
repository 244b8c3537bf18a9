"""Compiled kernels of the screen (issue 17): the FIFO recursion of
:func:`sim.event.single_fifo.run_single` and a calling round of the launch's number calling.

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

The launch's calling rounds (:func:`sim.event.screen.call_numbers`) are compiled the same
way (:func:`call_kernel`) where the selection desk's seats each have one interval:

- at every ``batch_size``-th place a new batch: after the first, the host's time is the
  later of the last batch's latest start and its deadline (``absent x max_calls x
  call_interval`` after it started);
- the host waits for a group to have signed in where the round says so (``signed``; a
  ``nan``, never ready, leaves the host's time); in the lottery's first round a group not yet
  signed in is absent;
- a present group walks to the desk and takes its seat as in
  :meth:`OneIntervalSteps.step <sim.event.single_fifo.OneIntervalSteps.step>` (a ``nan``
  moment starts never; a job of unknown length keeps its seat for good);
- in the first round a group called and absent counts towards the batch's deadline.

Places a day does not have (``valid`` false) change nothing; their outputs stay ``nan``.
Otherwise the calling round's numbers are the NumPy round's bit for bit
(tests/test_call_kernel.py).

The compiled functions are cached on disk beside this module (Numba's ``cache=True``): they
are compiled once per machine (about 5 s here) and loaded in under half a second after. Both
kernels and the seat pick they share (:func:`seat`) live in this one module because Numba's
cache is renewed when the file of the compiled function changes, not when a file it calls
does. :func:`kernel` and :func:`call_kernel` return ``None`` where Numba is missing (or with
:data:`NO_JIT` set); the callers then run the NumPy code.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

NO_JIT = "SALESIM_NO_JIT"
"""Set (to anything but empty) to run the NumPy recursion instead (comparisons, debugging)."""


def seat(ready: Any, row: int, t: float, stop: Any, used: int) -> tuple[int, float]:
    """The seat (of the first ``used``) that a job which may start from ``t`` takes on day
    ``row``, and its start: the lowest seat with the least offer ``max(ready, t)``, looked at
    in order only until one is ready by ``t``; when that seat's offer is not before its stop
    (and finite), every seat whose offer is not before its stop is closed for the day
    (``ready`` set to ``inf``) and the day picks again (``inf``: none left, seat 0)."""
    inf = np.inf
    pick = 0
    best = ready[row, 0] if ready[row, 0] > t else t
    s = 1
    while best > t and s < used:
        o = ready[row, s] if ready[row, s] > t else t
        if o < best:
            best = o
            pick = s
        s += 1
    if best >= stop[row, pick] and best < inf:
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
    return pick, best


_pick: Any = seat
"""What the kernels call for the pick: :func:`seat`, compiled by :func:`jit` before they are
(Numba binds a global function when it compiles its caller)."""


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
            tk = key_t[k, row]
            t = tk if tk >= lt else lt
            pick, best = _pick(ready, row, t, stop, upto[k])
            until = best + service_t[k, row]
            free[row, pick] = until
            ready[row, pick] = inf if until != until else until  # nan: never again
            by_job[k, row] = best
            lt = best
        last[row] = lt


def jit(fn: Callable[..., Any]) -> Callable[..., Any] | None:
    """``fn`` compiled by Numba (cached on disk), with :func:`seat` compiled first for it to
    call; ``None`` without Numba or with :data:`NO_JIT` set."""
    global _pick
    if os.environ.get(NO_JIT):
        return None
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency
        return None
    if _pick is seat:
        _pick = numba.njit(cache=True, nogil=True)(seat)
    out: Callable[..., Any] = numba.njit(cache=True, nogil=True)(fn)
    return out


def _rounds(rnd: int, lottery: bool, batch_size: int, max_calls: int, interval: float,
            first: bool, valid: Any, present: Any, has_signed: bool, signed: Any, rd: Any,
            walk: Any, svc: Any, ready: Any, last: Any, stop: Any, now: Any, batch_last: Any,
            absent: Any, called: Any, arrive: Any, start: Any, gone: Any) -> None:  # fmt: skip
    """One calling round over the places (rows of the place-major inputs) of every day
    (their columns); writes the state (``ready``, ``last``, ``now``, ``batch_last``,
    ``absent``), the outputs and, in the lottery's first round, ``present``."""
    places, rows = valid.shape
    width = ready.shape[1]
    inf = np.inf
    for row in range(rows):
        fresh = first
        nw, bl, ab, lt = now[row], batch_last[row], absent[row], last[row]
        for k in range(places):
            if k % batch_size == 0:
                if not fresh:
                    deadline = nw + ab * max_calls * interval
                    after_all = nw if nw >= bl else bl
                    if nw != nw or bl != bl:
                        after_all = np.nan  # np.maximum: nan wins
                    nw = deadline if after_all < deadline else after_all
                fresh = False
                bl = -inf
                ab = 0.0
            if not valid[k, row]:
                continue
            if has_signed:
                sg = signed[k, row]
                if sg == sg and (nw != nw or sg > nw):  # np.fmax: a nan leaves the other
                    nw = sg
            here = present[k, row]
            if rnd == 1 and lottery:
                here = here and rd[k, row] <= nw
                present[k, row] = here
            rel = nw + walk[k, row]
            st = np.nan
            if here:
                t = rel if rel >= lt else lt
                if rel != rel or lt != lt:
                    t = inf  # fmin(nan, inf)
                pick, best = _pick(ready, row, t, stop, width)
                until = best + svc[k, row]
                ready[row, pick] = inf if until != until else until
                lt = best
                st = best
                if bl != bl or st > bl:
                    bl = st
            called[k, row], arrive[k, row], start[k, row] = nw, rel, st
            if rnd == 1:
                g = (not here) and abs(nw) < inf
                gone[k, row] = g
                ab += 1.0 if g else 0.0
        now[row], batch_last[row], absent[row], last[row] = nw, bl, ab, lt


@cache
def kernel() -> Callable[..., None] | None:
    """The compiled recursion (:func:`_days`), or ``None`` (see :func:`jit`)."""
    return jit(_days)


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
    # each state its own copy: a view would keep the whole block alive while one is kept
    return last, {k: (snap_free[j].copy(), snap_last[j].copy()) for j, k in enumerate(ks)}


@cache
def call_kernel() -> Callable[..., None] | None:
    """The compiled round (:func:`_rounds`), or ``None`` without Numba (see :func:`jit`)."""
    return jit(_rounds)
