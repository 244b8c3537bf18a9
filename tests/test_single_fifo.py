"""The one-interval FIFO recursion (sim/event/single_fifo.py) gives the starts of
Seats.step bit for bit: a step at a time with masks (the number calling), and a whole desk
(the screen's fifo), on random staffing, arrivals, services (some of unknown length) and
masks; and the screen takes it for the plans it applies to."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.event.screen import fifo
from sim.event.seats import INF, Seats
from sim.event.single_fifo import OneIntervalSteps, single_interval


@st.composite
def desks(draw: st.DrawFn) -> tuple[list[list[tuple[float, float]]], int, np.ndarray,
                                    np.ndarray, np.ndarray]:  # fmt: skip
    """Seats staffed over one interval each (or never), rows, and (rows, jobs) arrivals
    (``nan``: no job), services (some ``nan``) and masks."""
    seats = draw(st.integers(1, 5))
    spans: list[list[tuple[float, float]]] = []
    for _ in range(seats):
        if draw(st.integers(0, 5)) == 0:
            spans.append([])  # never staffed
            continue
        begin = float(draw(st.integers(0, 300)))
        spans.append([(begin, begin + draw(st.integers(1, 400)))])
    rows, jobs = draw(st.integers(1, 4)), draw(st.integers(1, 25))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    arrival = np.round(rng.uniform(0, 700, (rows, jobs)), 1)
    arrival[rng.random((rows, jobs)) < 0.15] = np.nan
    service = np.round(rng.exponential(40, (rows, jobs)), 1)
    service[rng.random((rows, jobs)) < 0.05] = np.nan
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
    """fifo() on Seats (the one-interval path) against the loop of Seats.step it replaces."""
    spans, rows, arrival, service, _ = desk
    got = fifo(Seats(spans, rows), arrival, service)
    seats = Seats(spans, rows)
    key = np.where(np.isnan(arrival), INF, arrival)
    order = np.argsort(key, axis=1, kind="stable")
    want = np.full(arrival.shape, np.nan)
    for k in range(arrival.shape[1]):
        a = np.take_along_axis(key, order[:, k : k + 1], axis=1)[:, 0]
        s = np.take_along_axis(service, order[:, k : k + 1], axis=1)[:, 0]
        m = np.isfinite(a)
        if not m.any():
            break
        start = seats.step(a, s, m)
        np.put_along_axis(want, order[:, k : k + 1], start[:, None], axis=1)
    assert np.array_equal(want, got, equal_nan=True), (want, got)


def test_several_intervals_a_seat_are_not_one_interval() -> None:
    assert not single_interval(Seats([[(0, 60), (120, 180)], [(0, 180)]], 2))
    assert not single_interval(Seats([], 2))  # no seat: Seats.step's own path
