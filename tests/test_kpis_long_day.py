"""A long day's KPIs from compact records (issue 17 item 5): the P90 of a long array is sorted
in NumPy and still NumPy's linear percentile; the satisfaction KPIs come from card counts."""

from __future__ import annotations

import random
from array import array

import numpy as np

from sim.office.kpis import p90


def test_p90_of_a_long_array_is_numpy_linear_percentile() -> None:
    rng = random.Random(7)
    values = array("d", (rng.expovariate(0.1) for _ in range(5001)))
    assert p90(values) == float(np.percentile(np.asarray(values), 90))
    assert p90(values) == p90(list(values))  # the short path on the same values


def test_p90_by_hand() -> None:
    long = array("d", range(2001))  # 0..2000: position 0.9 * 2000 = 1800 exactly
    assert p90(long) == 1800.0
    assert p90([0.0, 10.0]) == 9.0  # position 0.9 between 0 and 10
