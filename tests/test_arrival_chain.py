"""A chain of arrivals goes on from the rate piece the last one fell in
(:class:`sim.office.visitors.PoissonArrivals`): the same times, bit for bit, as inverting the
cumulative rate over the whole schedule each time (:func:`next_arrival`)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.schedule import Schedule
from sim.office.visitors import next_arrival, next_arrival_from


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    rates=st.lists(st.sampled_from([0.0, 0.02, 0.1, 0.5, 3.0]), min_size=1, max_size=8),
    lengths=st.lists(st.sampled_from([0.5, 15.0, 30.0, 60.0]), min_size=8, max_size=8),
    seed=st.integers(0, 1000),
)
def test_a_chain_from_the_last_piece_is_the_chain_from_scratch(
    rates: list[float], lengths: list[float], seed: int
) -> None:
    starts = [540.0 + sum(lengths[:i]) for i in range(len(rates))]
    schedule = Schedule(tuple(starts), tuple(rates), starts[-1] + lengths[len(rates) - 1])
    draws = np.random.default_rng(seed).standard_exponential(400).tolist()
    t_scratch = t_chain = 530.0
    piece = 0
    for draw in draws:
        t_scratch = next_arrival(schedule, t_scratch, draw)
        t_chain, piece = next_arrival_from(schedule.pieces(), piece, t_chain, draw)
        assert t_chain == t_scratch
        if math.isinf(t_scratch):
            break
