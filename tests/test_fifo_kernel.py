"""The compiled FIFO recursion (sim/event/fifo_kernel.py) gives the NumPy recursion's numbers
bit for bit: every start, every seat's free time, the last starts and the saved states, on
random one-interval staffing (one plan, and plans stacked along the rows), arrivals with
padding and services of unknown (``nan``) or endless length; and a queue post's resumed
FIFO over a sequence of plans."""

from __future__ import annotations

import itertools
import os
from typing import Any
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.event import single_fifo
from sim.event.fifo_kernel import NO_JIT, kernel
from sim.event.seats import INF, Seats
from sim.event.single_fifo import open_seats, run_single
from sim.event_sizing import queue_fifo
from sim.event_sizing.batch import BatchSeats
from sim.event_sizing.queue_fifo import ResumableFifo
from tests.test_single_fifo import _spans, desks

pytestmark = pytest.mark.skipif(bool(os.environ.get(NO_JIT)), reason=f"{NO_JIT} is set")


def numpy_only() -> Any:
    """The NumPy recursion (what runs without Numba)."""
    return patch.object(single_fifo, "kernel", lambda: None)


def test_the_recursion_is_compiled() -> None:
    """Numba is a dependency: the comparisons below compare compiled code, not NumPy twice."""
    assert kernel() is not None


def _run(seats: Seats | BatchSeats, arrival: np.ndarray, service: np.ndarray, k0: int,
         every: int) -> tuple[np.ndarray, ...]:  # fmt: skip
    """run_single over the jobs (each row's in arrival order, ``inf`` padded) from ``k0``
    with the state of a first pass to ``k0``; the starts, free times, last and saved states."""
    key = np.where(np.isnan(arrival), INF, arrival)
    order = np.argsort(key, axis=1, kind="stable")
    key_t = np.ascontiguousarray(np.take_along_axis(key, order, axis=1).T)
    svc_t = np.ascontiguousarray(np.where(np.isfinite(key_t), np.take_along_axis(
        service, order, axis=1).T, 0.0))  # fmt: skip
    begin, stop = seats.one_interval  # type: ignore[misc]
    closes = np.where(np.isfinite(begin), stop, -INF)
    closes = closes if closes.ndim == 1 else closes.max(axis=0, initial=-INF)
    upto = open_seats(closes, key_t.min(axis=1, initial=INF))
    by_job = np.full(key_t.shape, -1.0)
    if k0:
        seats.last = run_single(seats, key_t[:k0], svc_t[:k0], upto[:k0], by_job, 0)
    snaps: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    last = run_single(seats, key_t, svc_t, upto, by_job, k0, (every, snaps))
    saved = [x for k in sorted(snaps) for x in (np.array([k]), *snaps[k])]
    return (by_job, seats.free.copy(), last, *saved)


def _same(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert np.array_equal(x, y, equal_nan=True), (x, y)


@settings(max_examples=300, deadline=None)
@given(desks(), st.integers(0, 6), st.integers(0, 4))
def test_compiled_recursion_is_the_numpy_one(desk: tuple, k0: int, every: int) -> None:  # type: ignore[type-arg]
    spans, rows, arrival, service, _ = desk
    k0 = min(k0, arrival.shape[1])
    got = _run(Seats(spans, rows), arrival, service, k0, every)
    with numpy_only():
        want = _run(Seats(spans, rows), arrival, service, k0, every)
    _same(want, got)


@settings(max_examples=150, deadline=None)
@given(desks(), st.data())
def test_compiled_recursion_on_stacked_plans(desk: tuple, data: st.DataObject) -> None:  # type: ignore[type-arg]
    """Plans stacked along the rows: a stop per row and seat."""
    spans, days, arrival, service, _ = desk
    plans = [spans] + [_spans(data.draw, data.draw(st.integers(1, 5)))
                       for _ in range(data.draw(st.integers(1, 2)))]  # fmt: skip
    a, s = (np.tile(x, (len(plans), 1)) for x in (arrival, service))
    got = _run(BatchSeats(plans, days), a, s, 0, 3)
    with numpy_only():
        want = _run(BatchSeats(plans, days), a, s, 0, 3)
    _same(want, got)


def test_a_queue_posts_resumed_runs_are_the_numpy_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """A queue post's FIFO over plans that change from some block on (resumed from the saved
    states): the same starts, with the recursion compiled or not."""
    monkeypatch.setattr(queue_fifo, "SNAP", 16)
    rng = np.random.default_rng(3)
    edges = (0.0, 60.0, 120.0, 180.0)
    days = []
    for _ in range(30):
        days.append(np.concatenate([np.sort(rng.uniform(a, b, rng.poisson(2.0 * (b - a))))
                                    for a, b in itertools.pairwise(edges)]))  # fmt: skip
    width = max(len(d) for d in days)
    arrival = np.full((30, width), np.nan)
    for i, d in enumerate(days):
        arrival[i, : len(d)] = d
    service = np.where(np.isnan(arrival), 0.0, rng.exponential(2.5, arrival.shape))
    plans = ([3, 6, 4], [3, 6, 3], [3, 5, 3], [2, 5, 3], [2, 5, 4])
    compiled = ResumableFifo(arrival, service, edges)
    got = [compiled.start(p).copy() for p in plans]
    with numpy_only():
        plain = ResumableFifo(arrival, service, edges)
        want = [plain.start(p).copy() for p in plans]
    for p, x, y in zip(plans, want, got, strict=True):
        assert np.array_equal(x, y, equal_nan=True), p
