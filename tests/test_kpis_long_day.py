"""A long day's KPIs from compact records (issue 17 item 5): the P90 of a long array is sorted
in NumPy and still NumPy's linear percentile; the satisfaction KPIs come from card counts."""

from __future__ import annotations

import math
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


def test_zero_waits_counted_not_kept() -> None:
    """The groups received at once are a count beside the positive waits (issue 17 item 5):
    the P90 and mean of the positives and that many zeros are NumPy's P90 and the fsum mean
    of the whole day, on the long and the short path, the P90 among the zeros or not."""
    from sim.office.kpis import mean_or_nan

    rng = random.Random(11)
    for n, zero_share in ((5001, 0.6), (5001, 0.95), (40, 0.5), (40, 0.97), (3, 1.0)):
        day = [0.0 if rng.random() < zero_share else rng.expovariate(0.2) for _ in range(n)]
        kept = [w for w in day if w > 0]
        zeros = n - len(kept)
        want = float(np.percentile(np.asarray(day), 90))
        assert p90(array("d", kept), zeros) == want
        assert p90(kept, zeros) == want
        assert mean_or_nan(array("d", kept), zeros) == math.fsum(day) / n  # as before
    assert np.isnan(p90([], 0)) and np.isnan(mean_or_nan([], 0))
