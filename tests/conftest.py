"""Shared fixtures: the office reduced to a textbook queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

MmcData = Callable[..., dict[str, Any]]


def _mmc_data(c: int, lam: float, mean_service: float, close: str = "30:00") -> dict[str, Any]:
    """A scenario dict of the office reduced to M/M/c (rates per minute, times in minutes).

    Poisson walk-ins at ``lam`` per minute from 00:00 to ``close``, ``c`` reps, FCFS (the
    round-robin desk serves waiting groups in arrival order), exponential sandbox of mean
    ``mean_service`` as the whole service, no appointments, non-sales visitors, negotiation,
    sample houses, VIP rooms or patience. The day runs until empty, so every arrival's wait
    is complete. Callers may edit the returned dict before ``validate_scenario``.
    """
    zero = {"dist": "fixed", "value": 0}
    return {
        "name": f"mm{c}",
        "day": {"type": "weekday", "open": "00:00", "close": close, "run_until": "empty"},
        "arrivals": {
            "walk_in": [{"from": "00:00", "rate": lam * 60.0}],  # groups per hour
            "appointments": {"count": 0},
        },
        "visitors": {
            "group_size": {1: 1.0},
            "returning_share": 0,
            "designated_share": 0,
            "important_share": 0,
            "non_sales_share": 0,
            "negotiation_share": 0,
            "vip_share": 0,
            "sample_house_share": 0,
            "signing_share": 0,
            "patience": None,
        },
        "reps": c,
        "vip_rooms": {"count": 0},
        "tables": None,
        "sample_houses": [],
        "service_times": {
            "sandbox": {"dist": "exponential", "mean": mean_service},
            "sample_house": zero,
            "negotiation": zero,
            "signing": zero,
            "walk_out": zero,
            "non_sales": zero,
        },
        "policy": "round_robin",
    }


@pytest.fixture(scope="session")
def mmc_data() -> MmcData:
    """Builder of M/M/c scenario dicts: ``mmc_data(c, lam, mean_service, close="30:00")``."""
    return _mmc_data
