"""The water bar (S1) alone, reduced to M/M/c and checked against Erlang C.

Reduction: Poisson walk-ins (rate lam), one person each, no sandbox, sample house, VIP room or
table limit; every group negotiates for a fixed 0.5 min at an open table, shorter than the
refill round, so it asks for exactly one drink, at the moment it sits down. With far more
reps than ever busy at once (40 against a mean of lam * 0.5 <= 1), no group waits for a rep,
so a group sits down when it arrives: the drink requests are the Poisson arrival stream itself
(a fixed delay of 0 - the M/G/inf output theorem in its simplest form). S1 has c people on
one shift covering the whole run and exponential delivery times of mean 1/mu, served first
come first served: the water bar is M/M/c, and its mean response (request to service start)
is the Erlang C mean wait ``sim.core.queueing.mmc_mean_wait``.

As in tests/test_theory.py: each day starts empty, so the expected day mean lies slightly
below the stationary value; that transient mean is computed exactly and both must be inside
a t-interval over independent replications (fixed seeds). The three checks use the Šidák
level 0.95 ** (1 / 3).
"""

from __future__ import annotations

from typing import Any

import pytest

from sim.core.queueing import mmc_mean_wait
from sim.core.stats import estimate
from sim.model import OfficeModel
from sim.scenario import validate_scenario
from tests.conftest import MmcData
from tests.test_theory import _transient_mean_wait

DAY_MIN = 30 * 60.0  # walk-ins from 00:00 to 30:00
SEAT_MIN = 0.5

# (c, rho, mean delivery minutes, replications)
CASES = [(1, 0.6, 1.0, 30), (2, 0.8, 0.5, 30), (4, 0.7, 2.0, 24)]
LEVEL = 0.95 ** (1 / len(CASES))


def water_bar_scenario(mmc_data: MmcData, c: int, lam: float, mean_task: float) -> Any:
    data = mmc_data(40, lam, 1.0)
    data["visitors"].update(negotiation_share=1, vip_share=0, signing_share=0)
    data["service_times"]["sandbox"] = {"dist": "fixed", "value": 0}
    data["service_times"]["negotiation"] = {"dist": "fixed", "value": SEAT_MIN}
    data["staffing"] = {
        # the shift outlasts the arrivals by far: every request of the day is served
        "shifts": {"all": {"start": "00:00", "end": "60:00"}},
        "water_bar": {
            "headcount": {"all": c},
            "task": {"dist": "exponential", "mean": mean_task},
            "refill_every_min": 10 * SEAT_MIN,
        },
    }
    return validate_scenario(data, "water_bar_mmc")


@pytest.mark.slow
@pytest.mark.parametrize(("index", "case"), list(enumerate(CASES)), ids=str)
def test_water_bar_mean_response_matches_erlang_c(
    index: int, case: tuple[int, float, float, int], mmc_data: MmcData
) -> None:
    c, rho, mean_task, replications = case
    mu = 1.0 / mean_task
    lam = rho * c * mu
    scenario = water_bar_scenario(mmc_data, c, lam, mean_task)
    means, drinks, arrivals = [], 0, 0
    for r in range(replications):
        model = OfficeModel(scenario, seed=3000 + index, replication=r, level="kpi")
        day = model.run()
        assert model.reception is not None
        bar = model.reception.posts["water_bar"]
        # exactly one drink per group, every one served, no group waited for a rep
        assert bar.tasks == day.kpis["groups_served"] == day.kpis["groups_arrived"]
        assert day.kpis["wait_rep_mean"] == 0.0
        assert bar.unserved == 0 and bar.overtime() == 0.0
        means.append(day.kpis["post.water_bar.response_mean"])
        drinks += bar.tasks
        arrivals += int(day.kpis["groups_arrived"])
    assert drinks == pytest.approx(lam * DAY_MIN * replications, rel=0.05)
    theory = mmc_mean_wait(c, lam, mu)
    expected_day = _transient_mean_wait(c, lam, mu, DAY_MIN)
    est = estimate(means, LEVEL)
    assert 0 <= theory - expected_day < 0.1 * est.half_width
    assert est.half_width < 0.25 * theory, "the check has lost its power"
    msg = f"water bar M/M/{c} rho={rho}: Wq={theory:.4f}, sim {est.mean:.4f} ± {est.half_width:.4f}"
    assert est.low <= theory <= est.high, msg
    assert est.low <= expected_day <= est.high, msg
    print(f"\n{msg} (transient day {expected_day:.4f}, {replications} days)")
