"""The one-interval FIFO recursion (sim/event/single_fifo.py) gives the starts of
Seats.step bit for bit: a step at a time with masks (the number calling), and a whole desk
(the screen's fifo), on random staffing, arrivals, services (some of unknown length) and
masks, for one plan (Seats) and for plans stacked along the rows (BatchSeats)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.event.screen import fifo
from sim.event.seats import INF, Seats, SeatSteps
from sim.event.single_fifo import OneIntervalSteps, single_interval
from sim.event_sizing.batch import BatchSeats


def _spans(draw: st.DrawFn, seats: int) -> list[list[tuple[float, float]]]:
    spans: list[list[tuple[float, float]]] = []
    for _ in range(seats):
        if draw(st.integers(0, 5)) == 0:
            spans.append([])  # never staffed
            continue
        begin = float(draw(st.integers(0, 300)))
        spans.append([(begin, begin + draw(st.integers(1, 400)))])
    return spans


@st.composite
def desks(draw: st.DrawFn) -> tuple[list[list[tuple[float, float]]], int, np.ndarray,
                                    np.ndarray, np.ndarray]:  # fmt: skip
    """Seats staffed over one interval each (or never), rows, and (rows, jobs) arrivals
    (``nan``: no job; some ``inf``), services (some ``nan`` or ``inf``) and masks."""
    spans = _spans(draw, draw(st.integers(1, 5)))
    rows, jobs = draw(st.integers(1, 4)), draw(st.integers(1, 25))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    arrival = np.round(rng.uniform(0, 700, (rows, jobs)), 1)
    arrival[rng.random((rows, jobs)) < 0.15] = np.nan
    service = np.round(rng.exponential(40, (rows, jobs)), 1)
    service[rng.random((rows, jobs)) < 0.05] = np.nan
    arrival[rng.random((rows, jobs)) < 0.03] = np.inf  # a host that never calls
    service[rng.random((rows, jobs)) < 0.03] = np.inf
    mask = rng.random((rows, jobs)) < 0.8
    return spans, rows, arrival, service, mask


@settings(max_examples=300, deadline=None)
@given(desks())
def test_a_step_at_a_time_with_masks_is_seats_step(desk: tuple) -> None:  # type: ignore[type-arg]
    spans, rows, arrival, service, mask = desk
    ref = Seats(spans, rows)
    assert single_interval(ref)
    one = OneIntervalSteps(Seats(spans, rows))
    for k in range(arrival.shape[1]):
        a, s = arrival[:, k], service[:, k]
        m = None if k % 3 == 0 else mask[:, k]
        want, got = ref.step(a, s, m), one.step(a, s, m)
        assert np.array_equal(want, got, equal_nan=True), (k, want, got)
        assert np.array_equal(ref.last, one.last, equal_nan=True)


@settings(max_examples=300, deadline=None)
@given(desks())
def test_a_whole_desk_is_the_step_loop(desk: tuple) -> None:  # type: ignore[type-arg]
    """fifo() on Seats (the one-interval path) against the loop of Seats.step it replaces
    (:func:`_step_loop`)."""
    spans, rows, arrival, service, _ = desk
    got = fifo(Seats(spans, rows), arrival, service)
    want = _step_loop(Seats(spans, rows), arrival, service)
    assert np.array_equal(want, got, equal_nan=True), (want, got)


@settings(max_examples=200, deadline=None)
@given(desks(), st.data())
def test_stacked_plans_step_as_batch_seats(desk: tuple, data: st.DataObject) -> None:  # type: ignore[type-arg]
    """Two or three plans stacked (each its own one-interval seats, padded to the most):
    steps with masks and whole desks give BatchSeats.step's starts."""
    spans, days, arrival, service, mask = desk
    plans = [spans]
    for _ in range(data.draw(st.integers(1, 2))):
        plans.append(_spans(data.draw, data.draw(st.integers(1, 5))))
    k = len(plans)
    a, s, m = (np.tile(x, (k, 1)) for x in (arrival, service, mask))
    ref, one = BatchSeats(plans, days), OneIntervalSteps(BatchSeats(plans, days))
    assert single_interval(ref)
    for j in range(a.shape[1]):
        mj = None if j % 3 == 0 else m[:, j]
        want, got = ref.step(a[:, j], s[:, j], mj), one.step(a[:, j], s[:, j], mj)
        assert np.array_equal(want, got, equal_nan=True), (j, want, got)
    got = fifo(BatchSeats(plans, days), a, s)
    want = _step_loop(BatchSeats(plans, days), a, s)
    assert np.array_equal(want, got, equal_nan=True)


def _step_loop(seats: SeatSteps, arrival: np.ndarray, service: np.ndarray) -> np.ndarray:
    key = np.where(np.isnan(arrival), INF, arrival)
    order = np.argsort(key, axis=1, kind="stable")
    want = np.full(arrival.shape, np.nan)
    for k in range(arrival.shape[1]):  # fifo()'s loop of steps, a column at a time
        a = np.take_along_axis(key, order[:, k : k + 1], axis=1)[:, 0]
        s = np.take_along_axis(service, order[:, k : k + 1], axis=1)[:, 0]
        m = np.isfinite(a)
        if not m.any():
            break
        np.put_along_axis(want, order[:, k : k + 1], seats.step(a, s, m)[:, None], axis=1)
    return want


def test_several_intervals_a_seat_are_not_one_interval() -> None:
    assert not single_interval(Seats([[(0, 60), (120, 180)], [(0, 180)]], 2))
    assert not single_interval(Seats([], 2))  # no seat: Seats.step's own path
