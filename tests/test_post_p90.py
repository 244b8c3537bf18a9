"""The posts' response P90 (issue 17 item 2: plain Python instead of np.percentile) is NumPy's
default 'linear' percentile to the last bit, so the KPIs and the golden back-test are unchanged."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.office.reception import p90_linear

finite = st.floats(min_value=0.0, max_value=600.0, allow_nan=False)


@settings(max_examples=400, deadline=None)
@given(st.lists(finite, min_size=1, max_size=300))
def test_equals_numpy_percentile_exactly(values: list[float]) -> None:
    assert p90_linear(values) == float(np.percentile(values, 90))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([0.0, 0.3, 0.5, 1.0, 2.5]), min_size=1, max_size=50))
def test_equals_numpy_percentile_with_ties(values: list[float]) -> None:
    assert p90_linear(values) == float(np.percentile(values, 90))


def test_by_hand() -> None:
    # n = 11: virtual index 9.0, the 10th smallest; n = 2: index 0.9, 1 + 0.9 * (3 - 1) = 2.8
    assert p90_linear([float(v) for v in range(11, 0, -1)]) == 10.0
    assert p90_linear([3.0, 1.0]) == 2.8
    assert p90_linear([4.0]) == 4.0
