"""A calling round of the launch's number calling (叫号, V5), compiled (issue 17).

:func:`sim.event.screen.call_numbers` steps the host through the calling order one place at
a time over every day at once: some twenty NumPy calls a place, so on a 3,000-person launch
day the calling rounds were the largest part of the screen. Where the selection desk's seats
are each staffed over one interval (:class:`~sim.event.single_fifo.OneIntervalSteps`, the
usual plan), this module runs each day on its own, compiled by Numba, with the numbers of the
NumPy round bit for bit (the same operations in the same order; tests/test_call_kernel.py):

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
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

from sim.event.fifo_kernel import NO_JIT


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
                pick = 0
                best = ready[row, 0] if ready[row, 0] > t else t
                s = 1
                while best > t and s < width:
                    o = ready[row, s] if ready[row, s] > t else t
                    if o < best:
                        best = o
                        pick = s
                    s += 1
                if best >= stop[row, pick] and best < inf:  # closed: close all such, again
                    pick = 0
                    best = inf
                    for s in range(width):
                        o = ready[row, s] if ready[row, s] > t else t
                        if o >= stop[row, s]:
                            ready[row, s] = inf
                            o = inf
                        if o < best:
                            best = o
                            pick = s
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
def call_kernel() -> Callable[..., None] | None:
    """The compiled round (:func:`_rounds`), or ``None`` without Numba (or with
    :data:`~sim.event.fifo_kernel.NO_JIT` set)."""
    if os.environ.get(NO_JIT):
        return None
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency
        return None
    jitted: Callable[..., None] = numba.njit(cache=True, nogil=True)(_rounds)
    return jitted
