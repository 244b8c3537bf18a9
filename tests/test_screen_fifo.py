"""The screen's FIFO recursion by table lookup and the queue posts' unmasked run give the
same start times as the original recursion (issue 17 item 1).

:func:`reference_step` is the recursion as it was before (a pass over every interval of
every seat, :func:`earliest`, per job); hypothesis draws seats with random
intervals (touching, apart, one or many per seat, some seats never staffed, open ends),
random arrivals (ties, ``nan`` for no job) and services, and the new :class:`Seats` step,
:func:`fifo`, :func:`fifo_tours`, the stacked seats of several plans and
:class:`ResumableFifo` (plan after plan, resumed) must give bit-identical times.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.event.inputs import EventPlan
from sim.event.screen import fifo, fifo_tours
from sim.event.seats import INF, Seats
from sim.event_sizing import queue_fifo
from sim.event_sizing.batch import BatchSeats
from sim.event_sizing.queue_fifo import ResumableFifo


def earliest(cand: np.ndarray, begin: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """The original staffing lookup: per row and seat, the earliest time from ``cand`` (rows,
    seats) at which the seat is staffed: the start of its first interval ending after
    ``cand`` (``inf``: none). ``begin/stop[j]`` are the seats' ``j``-th intervals, sorted and
    apart, broadcastable to ``cand``; one pass per interval."""
    if len(begin) == 1:  # one interval per seat (the usual plan): no running minimum
        one: np.ndarray = np.where(stop[0] > cand, np.maximum(cand, begin[0]), INF)
        return one
    out = np.full(cand.shape, INF)
    for b, e in zip(begin, stop, strict=True):
        np.minimum(out, np.where(e > cand, np.maximum(cand, b), INF), out=out)
    return out


def reference_step(seats: Seats, arrival: np.ndarray, service: np.ndarray,
                   mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """The original :meth:`Seats.step_seat` (every interval of every seat, per job); a
    ``None`` mask is every row."""
    if mask is None:
        mask = np.ones(len(arrival), dtype=bool)
    if not len(seats.seats):
        return np.where(mask, INF, np.nan), np.zeros(len(mask), dtype=int)
    rows = seats.rows
    t = np.maximum(arrival, seats.last)
    cand = earliest(np.maximum(t[:, None], seats.free), seats.begin.T.copy(), seats.stop.T.copy())
    seat = cand.argmin(axis=1)
    start = cand[rows, seat]
    served = mask & np.isfinite(start)
    seats.free[rows, seat] = np.where(served, start + service, seats.free[rows, seat])
    seats.last = np.where(mask, start, seats.last)
    return np.where(mask, start, np.nan), seat


class ReferenceSeats(Seats):
    """:class:`Seats` stepping by :func:`reference_step`."""

    def step_seat(self, arrival: np.ndarray, service: np.ndarray, mask: np.ndarray | None,
                  ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        return reference_step(self, arrival, service, mask)


def reference_jobs(spans: list[list[tuple[float, float]]], arrival: np.ndarray,
                   service: np.ndarray) -> np.ndarray:  # fmt: skip
    """Start of each job (columns in order, ``nan``: none) by the original recursion."""
    seats = ReferenceSeats(spans, arrival.shape[0])
    key = np.where(np.isnan(arrival), INF, arrival)
    start = np.full(arrival.shape, np.nan)
    for k in range(arrival.shape[1]):
        mask = np.isfinite(key[:, k])
        if not mask.any():
            break
        start[:, k] = seats.step(key[:, k], service[:, k], mask)
    return start


@st.composite
def seat_spans(draw: st.DrawFn) -> list[list[tuple[float, float]]]:
    """Seats with sorted, non-overlapping intervals on a coarse grid (bounds shared between
    seats and touching arrivals), some empty, maybe one open to ``inf``."""
    out: list[list[tuple[float, float]]] = []
    for _ in range(draw(st.integers(0, 5))):
        cuts = sorted(set(draw(st.lists(st.integers(0, 40), max_size=8))))
        spans = [(float(a), float(b)) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
        if spans and draw(st.integers(0, 3)) == 0:
            spans[-1] = (spans[-1][0], INF)
        out.append(spans)
    return out


@st.composite
def jobs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Arrivals (rows, jobs) on a half-minute grid (many ties with the bounds), ``nan``
    here and there; services 0-6 minutes, sometimes ``nan``."""
    rows, n = draw(st.integers(1, 4)), draw(st.integers(1, 25))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    arrival = rng.integers(-2, 90, size=(rows, n)) / 2.0
    arrival[rng.random((rows, n)) < draw(st.sampled_from([0.0, 0.2, 0.6]))] = np.nan
    service = rng.integers(0, 13, size=(rows, n)) / 2.0
    if draw(st.integers(0, 4)) == 0:  # a service unknown: its seat is never free again
        service[rng.random((rows, n)) < 0.1] = np.nan
    return arrival, service


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """Bit-identical, ``nan`` equal to ``nan``."""
    return a.shape == b.shape and a.tobytes() == b.tobytes()


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(seat_spans(), jobs())
def test_step_matches_reference(spans: list[list[tuple[float, float]]],
                                data: tuple[np.ndarray, np.ndarray]) -> None:  # fmt: skip
    """Step by step, with masks (rows without a job at ``nan`` or ``inf``; ``None`` when every
    row has one) and arrivals out of order: the same start, seat (of the rows served) and
    state."""
    arrival, service = data
    new, old = Seats(spans, arrival.shape[0]), ReferenceSeats(spans, arrival.shape[0])
    for k in range(arrival.shape[1]):
        mask = np.isfinite(arrival[:, k])
        a = arrival[:, k] if k % 2 else np.where(mask, arrival[:, k], INF)  # nan or inf: none
        every = None if mask.all() else mask  # None: every row has a job (the fast path)
        got, want = new.step_seat(a, service[:, k], every), old.step_seat(a, service[:, k], mask)
        assert same(got[0], want[0])
        assert same(got[1][mask & np.isfinite(got[0])], want[1][mask & np.isfinite(want[0])])
        assert same(new.free, old.free) and same(new.last, old.last)


@SETTINGS
@given(seat_spans(), jobs(), st.integers(1, 3))
def test_fifo_and_tours_match_reference(spans: list[list[tuple[float, float]]],
                                        data: tuple[np.ndarray, np.ndarray], batch: int,
                                        ) -> None:  # fmt: skip
    """:func:`fifo` and :func:`fifo_tours` on the new seats equal those on the old ones."""
    arrival, service = data
    rows = arrival.shape[0]
    assert same(fifo(Seats(spans, rows), arrival, service),
                fifo(ReferenceSeats(spans, rows), arrival, service))  # fmt: skip
    got = fifo_tours(Seats(spans, rows), arrival, service, batch)
    want = fifo_tours(ReferenceSeats(spans, rows), arrival, service, batch)
    assert all(same(g, w) for g, w in zip(got, want, strict=True))


@SETTINGS
@given(st.lists(seat_spans(), min_size=1, max_size=4), jobs(), st.integers(1, 3))
def test_stacked_seats_match_each_plan(plans: list[list[list[tuple[float, float]]]],
                                       data: tuple[np.ndarray, np.ndarray], batch: int,
                                       ) -> None:  # fmt: skip
    """Several plans' seats stacked along the rows (:class:`BatchSeats`: one table per plan
    over every plan's bounds, padded seats) give each plan's block of rows the times of its
    own :class:`Seats`, FIFO and in tours."""
    arrival, service = data
    rows, k = arrival.shape[0], len(plans)
    big_a, big_s = np.tile(arrival, (k, 1)), np.tile(service, (k, 1))
    got = fifo(BatchSeats(plans, rows), big_a, big_s)
    tours = fifo_tours(BatchSeats(plans, rows), big_a, big_s, batch)
    for j, spans in enumerate(plans):
        block = slice(j * rows, (j + 1) * rows)
        assert same(got[block], fifo(Seats(spans, rows), arrival, service))
        want = fifo_tours(Seats(spans, rows), arrival, service, batch)
        assert all(same(g[block], w) for g, w in zip(tours, want, strict=True))


@SETTINGS
@given(st.lists(st.lists(st.integers(0, 4), min_size=4, max_size=4), min_size=1, max_size=6),
       jobs(), st.booleans())  # fmt: skip
def test_resumable_fifo_matches_reference(plans: list[list[int]],
                                          data: tuple[np.ndarray, np.ndarray], compact: bool,
                                          ) -> None:  # fmt: skip
    """Plan after plan (resumed where the plans share their first blocks; states saved every
    3 jobs), each day's jobs first (the unmasked run) or with gaps (the masked one): every
    plan's starts equal the original recursion from the first job."""
    arrival, service = data
    if compact:  # each day's jobs in arrival order, then none (as queue posts pass them)
        key = np.where(np.isnan(arrival), INF, arrival)
        order = np.argsort(key, axis=1, kind="stable")
        arrival = np.take_along_axis(key, order, axis=1)
        arrival[np.isinf(arrival)] = np.nan
        service = np.take_along_axis(service, order, axis=1)
    edges = (0.0, 10.0, 20.0, 30.0, 40.0)
    snap = queue_fifo.SNAP
    queue_fifo.SNAP = 3
    try:
        fifo_run = ResumableFifo(arrival, service, edges)
        for plan in plans + plans[:1]:
            want = reference_jobs(EventPlan.from_blocks(edges, {"q": plan}).seats("q"),
                                  arrival, service)  # fmt: skip
            assert same(fifo_run.start(plan), want)
    finally:
        queue_fifo.SNAP = snap


@pytest.mark.parametrize("counts", [[2, 3, 1, 0, 2], [0, 0, 0, 0, 0], [4, 4, 4, 4, 4]])
def test_resumable_fifo_many_jobs(counts: list[int]) -> None:
    """A bigger day set (30 days, 300 jobs, some days shorter), blocks of varying staff, and
    a run resumed from it: the same starts as the original recursion."""
    rng = np.random.default_rng(5)
    edges = (0.0, 60.0, 120.0, 180.0, 240.0, 300.0)
    arrival = np.sort(rng.uniform(0, 300, (30, 300)), axis=1)
    arrival[rng.random(30) < 0.5, 250:] = np.nan
    service = rng.exponential(2.0, (30, 300))
    fifo_run = ResumableFifo(arrival, service, edges)
    for plan in (counts, [*counts[:3], counts[3] + 1, counts[4]]):
        want = reference_jobs(EventPlan.from_blocks(edges, {"q": plan}).seats("q"),
                              arrival, service)  # fmt: skip
        assert same(fifo_run.start(plan), want)
