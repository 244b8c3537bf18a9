"""Validation against queueing theory: the formulas, M/M/c (Erlang C), VIP rooms as a loss
system (Erlang B), and Little's law as an exact accounting identity.

Statistical tests compare a confidence interval over independent replications (fixed seeds)
with the theoretical value. The file runs 15 such interval checks; each uses the Šidák level
``0.95 ** (1 / 15) ≈ 0.9966`` so that, if the model is right, the chance that *any* of them
fails is at most 5 % (the replications of different checks are independent: distinct seeds).
With fixed seeds the outcome is deterministic; the family-wise level says how unlucky a seed
would have to be for a correct model to fail after an unrelated change to the random streams.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from scipy import integrate, linalg
from scipy import stats as sps

from sim.core.queueing import erlang_b, erlang_c, mmc_mean_wait, mmc_wait_tail, required_agents
from sim.core.stats import estimate
from sim.domain.results import VISIT_COLUMNS
from sim.model import OfficeModel, simulate_day
from sim.scenario import validate_scenario
from tests.conftest import MmcData
from tests.helpers import scenario_dict

N_INTERVAL_CHECKS = 15  # 11 M/M/c + 4 Erlang B
LEVEL = 0.95 ** (1 / N_INTERVAL_CHECKS)
DAY_MIN = 30 * 60.0  # 00:00 to 30:00


# -- independent reference computations ------------------------------------------------------
def _exact_erlang_b(c: int, a: Fraction) -> Fraction:
    """Erlang B from its defining sum, in exact rational arithmetic."""
    terms = [a**k / math.factorial(k) for k in range(c + 1)]
    return terms[-1] / sum(terms)


def _exact_erlang_c(c: int, a: Fraction) -> Fraction:
    """Erlang C from the explicit sum (stationary M/M/c probabilities), exactly."""
    top = a**c / math.factorial(c) * Fraction(c) / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def _tail_by_states(c: int, lam: float, mu: float, t: float) -> float:
    """P(Wq > t) from the stationary M/M/c distribution: an arrival finding n >= c inside
    waits for n - c + 1 service completions at rate c mu (an Erlang/Gamma wait), by PASTA."""
    a, rho = lam / mu, lam / (c * mu)
    n_max = c + 2000
    log_p = np.array(
        [k * math.log(a) - math.lgamma(k + 1) if k <= c else
         c * math.log(a) - math.lgamma(c + 1) + (k - c) * math.log(rho)
         for k in range(n_max + 1)]
    )  # fmt: skip
    p = np.exp(log_p - log_p.max())
    p /= p.sum()
    n = np.arange(c, n_max + 1)
    # P(Gamma(n - c + 1, c mu) > t) = P(Poisson(c mu t) <= n - c)
    return float((p[c:] * sps.poisson.cdf(n - c, c * mu * t)).sum())


# -- unit tests of the formulas --------------------------------------------------------------
def test_erlang_b_hand_values() -> None:
    assert erlang_b(0, 3.0) == 1.0
    assert erlang_b(1, 2.0) == pytest.approx(2 / 3)  # a / (1 + a)
    assert erlang_b(2, 1.0) == pytest.approx(0.2)  # (1/2) / (1 + 1 + 1/2)
    assert erlang_b(3, 0.0) == 0.0
    assert erlang_b(10, 5.0) == pytest.approx(0.018385, abs=5e-6)  # traffic tables: 1.84 %


@pytest.mark.parametrize(
    ("c", "a"),
    [(1, Fraction(1, 2)), (3, Fraction(2)), (7, Fraction(9, 2)), (12, Fraction(10)),
     (25, Fraction(31, 2)), (40, Fraction(45))],
)  # fmt: skip
def test_erlang_b_matches_explicit_sum(c: int, a: Fraction) -> None:
    assert erlang_b(c, float(a)) == pytest.approx(float(_exact_erlang_b(c, a)), rel=1e-12)


def test_erlang_b_stable_for_large_systems() -> None:
    b = erlang_b(5000, 4800.0)  # a**c and c! overflow floats; the recursion does not
    assert 0 < b < 0.05
    assert erlang_b(5000, 4800.0) > erlang_b(5001, 4800.0)


def test_erlang_c_hand_values() -> None:
    for rho in (0.1, 0.5, 0.9):
        assert erlang_c(1, rho) == pytest.approx(rho)  # M/M/1: P(wait) = rho
        assert erlang_c(2, 2 * rho) == pytest.approx(2 * rho**2 / (1 + rho))  # M/M/2
    assert erlang_c(1, 0.0) == 0.0
    assert erlang_c(3, 3.0) == 1.0  # unstable: every arrival waits
    assert erlang_c(3, 7.5) == 1.0


@pytest.mark.parametrize(
    ("c", "a"),
    [(1, Fraction(3, 10)), (2, Fraction(3, 2)), (4, Fraction(2)), (8, Fraction(32, 5)),
     (10, Fraction(8)), (30, Fraction(57, 2))],
)  # fmt: skip
def test_erlang_c_matches_explicit_sum(c: int, a: Fraction) -> None:
    assert erlang_c(c, float(a)) == pytest.approx(float(_exact_erlang_c(c, a)), rel=1e-12)


def test_mmc_mean_wait_hand_values() -> None:
    assert mmc_mean_wait(1, 0.5, 1.0) == pytest.approx(1.0)  # rho / (mu - lam)
    assert mmc_mean_wait(2, 1.0, 1.0) == pytest.approx(1 / 3)  # C = 1/3, c mu - lam = 1
    assert mmc_mean_wait(4, 0.0, 1.0) == 0.0
    assert mmc_mean_wait(2, 2.0, 1.0) == math.inf


@pytest.mark.parametrize(("c", "lam", "mu"), [(1, 0.8, 1.0), (3, 2.0, 0.9), (8, 5.0, 0.75)])
def test_mmc_wait_tail_against_state_sum(c: int, lam: float, mu: float) -> None:
    assert mmc_wait_tail(c, lam, mu, 0.0) == pytest.approx(erlang_c(c, lam / mu))
    assert mmc_wait_tail(c, lam, mu, -1.0) == 1.0
    for t in (0.0, 0.3, 1.0, 4.0):
        assert mmc_wait_tail(c, lam, mu, t) == pytest.approx(
            _tail_by_states(c, lam, mu, t), rel=1e-9
        )
    # E[Wq] = integral of P(Wq > t)
    area, _ = integrate.quad(lambda t: mmc_wait_tail(c, lam, mu, t), 0, math.inf)
    assert area == pytest.approx(mmc_mean_wait(c, lam, mu), rel=1e-8)


def _brute_force_agents(lam: float, mu: float, target: float, level: float) -> int:
    c = 1
    while c <= lam / mu or 1 - _tail_by_states(c, lam, mu, target) < level:
        c += 1
    return c


@pytest.mark.parametrize(
    ("lam", "mu", "target", "level"),
    [(100 / 30, 1 / 3, 20 / 60, 0.8), (0.5, 1 / 12, 5.0, 0.9), (2.0, 1.0, 0.0, 0.5),
     (0.05, 1 / 20, 5.0, 0.8), (12.0, 0.5, 0.25, 0.95)],
)  # fmt: skip
def test_required_agents_against_brute_force(
    lam: float, mu: float, target: float, level: float
) -> None:
    c = required_agents(lam, mu, target, level)
    assert c == _brute_force_agents(lam, mu, target, level)
    assert 1 - mmc_wait_tail(c, lam, mu, target) >= level
    if c > 1:
        assert 1 - mmc_wait_tail(c - 1, lam, mu, target) < level


def test_required_agents_hand_values_and_errors() -> None:
    # 10 Erlangs, 80 % within 20 s: 13 agents reach 79.6 %, 14 reach 88.8 %
    assert required_agents(100 / 30, 1 / 3, 20 / 60, 0.8) == 14
    assert required_agents(0.0, 1.0, 1.0, 0.99) == 1
    assert required_agents(3.0, 1.0, 5.0, 0.0) == 4  # only stability is required
    with pytest.raises(ValueError):
        required_agents(1.0, 1.0, 1.0, 1.0)
    with pytest.raises(ValueError):
        required_agents(1.0, 1.0, 1.0, 1.5)
    with pytest.raises(ValueError):
        required_agents(1000.0, 1.0, 1.0, 0.9, limit=10)


def test_invalid_inputs_raise() -> None:
    with pytest.raises(ValueError):
        erlang_b(-1, 1.0)
    with pytest.raises(ValueError):
        erlang_b(2, -0.1)
    with pytest.raises(ValueError):
        erlang_c(0, 0.5)
    with pytest.raises(ValueError):
        erlang_c(2, math.nan)
    with pytest.raises(ValueError):
        mmc_mean_wait(2, 1.0, 0.0)
    with pytest.raises(ValueError):
        mmc_wait_tail(2, 1.0, 1.0, math.nan)


# -- M/M/c: the office reduced to Erlang C --------------------------------------------------
def _transient_mean_wait(c: int, lam: float, mu: float, horizon: float) -> float:
    """Expected mean queue wait of the arrivals in ``[0, horizon]`` when M/M/c starts empty.

    An arrival at ``t`` sees the state distribution ``p(t)`` (Poisson arrivals) and, finding
    ``n >= c`` inside, waits ``(n - c + 1) / (c mu)`` on average (FCFS). Arrivals come at a
    constant rate, so the expected day mean is ``(1/T) ∫ w(t) dt``. The integral is the last
    entry of ``p(0) expm(A T)`` for the birth-death generator augmented with a reward column
    (chain truncated where the stationary tail is below 1e-18).
    """
    rho = lam / (c * mu)
    n_max = c + math.ceil(math.log(1e-18) / math.log(rho)) + 20
    gen = np.zeros((n_max + 2, n_max + 2))
    for n in range(n_max + 1):
        if n < n_max:
            gen[n, n + 1] = lam
        if n > 0:
            gen[n, n - 1] = min(n, c) * mu
        gen[n, n] = -gen[n, : n_max + 1].sum()
        gen[n, -1] = (n - c + 1) / (c * mu) if n >= c else 0.0
    return float(linalg.expm(gen * horizon)[0, -1] / horizon)


def test_transient_helper_converges_to_erlang_c() -> None:
    assert _transient_mean_wait(2, 1.6, 1.0, 1e6) == pytest.approx(
        mmc_mean_wait(2, 1.6, 1.0), rel=1e-3
    )


# (c, rho, mean service in minutes, replications). The day is 30 hours (00:00-30:00, about
# 1800 * rho * c / mean_service arrivals). Per-day mean waits are right-skewed when the day is
# short against the queue's relaxation time (~ 1 / (c mu (1 - sqrt(rho))^2)), and then the
# t-interval under-covers. A coverage study (vectorised Lindley recursion, M/M/1 rho 0.8, 400
# intervals each) gave 99.3 % for 1800 service times a day x 150 days but 99.75 % for 7200 x 40
# (nominal 99.66 %), so the heavy-traffic cases use shorter services (more per day). The
# replications keep every half-width below ~15 % of Wq within the time budget.
MMC_CASES = [
    (1, 0.3, 1.0, 40), (1, 0.5, 0.5, 30), (1, 0.8, 0.25, 40), (2, 0.6, 1.0, 40),
    (2, 0.8, 0.5, 40), (3, 0.7, 1.0, 30), (4, 0.5, 1.0, 30), (5, 0.75, 1.0, 20),
    (6, 0.6, 1.0, 20), (7, 0.7, 1.0, 20), (8, 0.8, 1.0, 20),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("index", "case"), list(enumerate(MMC_CASES)), ids=str)
def test_mmc_mean_wait_matches_erlang_c(
    index: int, case: tuple[int, float, float, int], mmc_data: MmcData
) -> None:
    c, rho, mean_service, replications = case
    mu = 1.0 / mean_service
    lam = rho * c * mu
    scenario = validate_scenario(mmc_data(c, lam, mean_service), "mmc")
    theory = mmc_mean_wait(c, lam, mu)
    days = [
        simulate_day(scenario, seed=1000 + index, replication=r, level="kpi").kpis
        for r in range(replications)
    ]
    assert sum(d["groups_arrived"] for d in days) == pytest.approx(
        lam * DAY_MIN * replications, rel=0.05
    )
    est = estimate([d["wait_rep_mean"] for d in days], LEVEL)
    # Initial transient: each day starts empty, so early arrivals wait less than Wq. The
    # expected day mean under that transient is computed exactly (the KPI is a ratio of sums
    # over >500 arrivals a day, so the ratio-estimator bias is O(1/arrivals), negligible).
    # It lies 0.1-0.4 % below Wq, under 5 % of the half-width, so the CI is a fair test of
    # the stationary Erlang C value; we require both to be inside.
    expected_day = _transient_mean_wait(c, lam, mu, DAY_MIN)
    bias = theory - expected_day
    assert 0 <= bias < 0.1 * est.half_width
    assert est.half_width < 0.2 * theory, "the check has lost its power"
    msg = f"M/M/{c} rho={rho}: Wq={theory:.4f}, sim {est.mean:.4f} ± {est.half_width:.4f}"
    assert est.low <= theory <= est.high, msg
    assert est.low <= expected_day <= est.high, msg
    print(
        f"\nM/M/{c} rho={rho}: Wq/E[S]={theory / mean_service:.4f} transient-day "
        f"{expected_day / mean_service:.4f} sim {est.mean / mean_service:.4f} "
        f"± {est.half_width / mean_service:.4f} ({replications} days)"
    )


# -- VIP rooms as an Erlang loss system ------------------------------------------------------
def _transient_blocking(rooms: int, lam: float, mu: float, horizon: float) -> float:
    """Expected share of requests in ``[0, horizon]`` that find all rooms busy, M/M/n/n from
    empty (same augmented-generator method as :func:`_transient_mean_wait`)."""
    gen = np.zeros((rooms + 2, rooms + 2))
    for k in range(rooms + 1):
        if k < rooms:
            gen[k, k + 1] = lam
        if k > 0:
            gen[k, k - 1] = k * mu
        gen[k, k] = -gen[k, : rooms + 1].sum()
    gen[rooms, -1] = 1.0
    return float(linalg.expm(gen * horizon)[0, -1] / horizon)


HOLD_MIN = 2.0  # mean negotiation (= room holding) time
# (rooms, offered load a, negotiation distribution with mean HOLD_MIN). Erlang B depends on the
# holding time only through its mean, so non-exponential holding times must fit as well.
ERLANG_B_CASES: list[tuple[int, float, dict[str, Any]]] = [
    (1, 0.5, {"dist": "exponential", "mean": HOLD_MIN}),
    (2, 1.5, {"dist": "exponential", "mean": HOLD_MIN}),
    (3, 2.0, {"dist": "lognormal", "mean": HOLD_MIN, "sd": 3.0}),
    (4, 3.0, {"dist": "uniform", "min": 0.0, "max": 2 * HOLD_MIN}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("index", "case"), list(enumerate(ERLANG_B_CASES)), ids=str)
def test_vip_blocking_matches_erlang_b(
    index: int, case: tuple[int, float, dict[str, Any]], mmc_data: MmcData
) -> None:
    rooms, load, negotiation = case
    lam = load / HOLD_MIN
    # 40 reps against a mean of lam * (1 + 2) <= 4.5 busy: no group ever waits for a rep, so
    # VIP requests happen at arrival + sandbox time, i.i.d. delays of a Poisson stream, which
    # is again Poisson (M/G/inf output theorem). Every group negotiates and asks for a room;
    # nobody signs, so a room is held exactly for the negotiation (released before walk-out).
    data = mmc_data(40, lam, 1.0)
    data["visitors"].update(negotiation_share=1, vip_share=1, signing_share=0)
    data["vip_rooms"] = {"count": rooms, "when_full": "table"}
    data["service_times"]["negotiation"] = negotiation
    scenario = validate_scenario(data, "erlang_b")
    days = [
        simulate_day(scenario, seed=2000 + index, replication=r, level="kpi").kpis
        for r in range(30)
    ]
    assert all(d["wait_rep_mean"] == 0 for d in days), "a group waited for a rep"
    assert all(d["vip_requests"] == d["groups_served"] for d in days)
    theory = erlang_b(rooms, load)
    est = estimate([d["vip_to_table_share"] for d in days], LEVEL)
    # The day starts with empty rooms; the transient lasts a few holding times (~minutes) of
    # an 1800-minute day. Its effect (exact for exponential holding) is far inside the CI.
    bias = theory - _transient_blocking(rooms, lam, 1 / HOLD_MIN, DAY_MIN)
    assert 0 <= bias < 0.1 * est.half_width
    assert est.half_width < 0.1 * theory, "the check has lost its power"
    msg = f"{rooms} rooms, a={load}: B={theory:.4f}, sim {est.mean:.4f} ± {est.half_width:.4f}"
    assert est.low <= theory <= est.high, msg
    print(f"\n{msg} ({negotiation['dist']} holding, 30 days)")


# -- Little's law as an exact identity -------------------------------------------------------
_COL = {name: i for i, name in enumerate(VISIT_COLUMNS)}


def _until(row: tuple[object, ...], column: str, end: float) -> float:
    """A time column of a visits row; ``nan`` (a group still inside) reads as ``end``."""
    value = float(row[_COL[column]])  # type: ignore[arg-type]
    return end if math.isnan(value) else value


def _area_from_events(rows: list[tuple[object, ...]], start: float, end: float) -> float:
    """∫ N(t) dt over [start, end] by sweeping the arrival (+1) and departure (-1) events;
    groups still inside (departure nan) count until ``end``."""
    events: list[tuple[float, int]] = []
    for row in rows:
        events.append((_until(row, "arrival", end), 1))
        events.append((_until(row, "departure", end), -1))
    events.sort()
    area, inside, last = 0.0, 0, start
    for time, delta in events:
        area += inside * (time - last)
        inside, last = inside + delta, time
    area += inside * (end - last)
    assert inside == 0
    return area


@pytest.mark.parametrize("run_until", ["empty", "close"])
def test_littles_law_is_an_identity(run_until: str) -> None:
    data = scenario_dict("weekend")
    data["day"]["run_until"] = run_until
    scenario = validate_scenario(data, "weekend")
    for replication in range(3):
        model = OfficeModel(scenario, seed=11, replication=replication, level="full")
        day = model.run()
        assert day.tables is not None
        rows = day.tables.visits
        acc = model.recorder.acc
        assert acc.arrived == len(rows) == day.kpis["groups_arrived"] > 0
        assert len({row[_COL["group"]] for row in rows}) == len(rows)
        open_, end = scenario.day.open, day.end
        horizon = end - open_
        sojourn = math.fsum(_until(r, "departure", end) - _until(r, "arrival", end) for r in rows)
        from_events = _area_from_events(rows, open_, end)
        # L (time average in office) = area / T = (sum of time in office) / T = lambda W
        assert from_events / horizon == pytest.approx(sojourn / horizon, rel=1e-9)
        assert acc.area / horizon == pytest.approx(from_events / horizon, rel=1e-9)
        arrivals_rate, mean_sojourn = len(rows) / horizon, sojourn / len(rows)
        assert arrivals_rate * mean_sojourn == pytest.approx(acc.area / horizon, rel=1e-9)
        if run_until == "empty":
            assert acc.in_office == 0
            assert day.kpis["visit_mean"] == pytest.approx(mean_sojourn, rel=1e-9)
            assert day.kpis["present_at_end"] == 0
        else:
            present = sum(r[_COL["outcome"]] == "present" for r in rows)
            assert acc.in_office == present == day.kpis["present_at_end"]
