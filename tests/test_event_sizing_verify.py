"""Verified evaluations (issue 17): the screen on every day, SimPy on the days that decide the
verdict, and every day in SimPy when the two models differ there."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pytest

import sim.event_sizing.evaluate as evaluate
from sim.event_sizing import parse_target
from sim.event_sizing.evaluate import PlanEvaluator
from sim.event_sizing.sizer import make_problem
from sim.event_sizing.targets import SizingCriterion, SizingTarget
from sim.event_sizing.validate import check, fresh_seed, validate
from sim.event_sizing.verify import VERIFY_DAYS, agree, deciding_days
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "bad" / "_base_event.yaml"  # a valid 300-person launch
TARGETS = [parse_target("sign_in_wait_p90<=8"), parse_target("selection_wait_p90<=4")]


def test_deciding_days_are_those_nearest_each_line_in_turn() -> None:
    kpis = {"sign_in_wait_p90": np.array([0.0, 7.9, 20.0, 8.2, np.nan, 3.0]),
            "selection_wait_p90": np.array([4.1, 0.0, 4.0, 9.0, 1.0, 0.0])}  # fmt: skip
    # sign-in: days 1 (0.1 off), 3 (0.2); selection: days 2 (0), 0 (0.1); then 5, 4 ...
    assert deciding_days(kpis, TARGETS, 4) == [0, 1, 2, 3]
    assert deciding_days(kpis, TARGETS, 2) == [1, 2]
    assert deciding_days(kpis, TARGETS, 10) == list(range(6))  # every day when few
    screen = {k: v.copy() for k, v in kpis.items()}
    rows = [1, 2]
    assert agree(screen, {k: v[rows] for k, v in kpis.items()}, list(kpis), rows)
    other = {k: v[rows] + (k == "selection_wait_p90") * 1e-3 for k, v in kpis.items()}
    assert not agree(screen, other, list(kpis), rows)


def _plan(ev: PlanEvaluator) -> dict[str, tuple[int, ...]]:
    sc = ev.scenario
    pr = make_problem(sc, TARGETS, "share_of_days", 0.95, 60)
    return {p: tuple(min(pr.caps[p], max(2, n)) for n in pr.baseline[p]) for p in pr.posts}


def test_verified_fresh_days_give_simpys_verdicts() -> None:
    """On 60 fresh days the screen with the deciding days re-run in SimPy gives the same KPIs
    and verdicts as all 60 days in SimPy, and runs only the deciding days in SimPy."""
    sc = load_scenario(SMALL)
    crit = SizingCriterion("share_of_days", 0.95)
    pr = make_problem(sc, TARGETS, "share_of_days", 0.95, 60)
    with PlanEvaluator(sc, 4, 20, pr.edges, TARGETS, workers=1) as ev:
        plan = _plan(ev)
        checked, simpy_days = ev.verified_fresh(plan, fresh_seed(4), 60)
        assert simpy_days == VERIFY_DAYS and ev.usage.validation_days == VERIFY_DAYS
        full = ev.simpy_fresh(plan, fresh_seed(4), 60)
        for t in TARGETS:
            assert np.allclose(checked.kpis[t.kpi], full.kpis[t.kpi], equal_nan=True)
        v = validate(ev, plan, TARGETS, crit, 60)
        assert v.simpy_days == VERIFY_DAYS
        for c in v.checks:
            x = full.kpis[c.target.kpi]
            share = float(np.mean((x <= c.target.value) | np.isnan(x)))
            assert c.share_met == pytest.approx(share)


def test_verified_falls_back_to_simpy_on_every_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """When SimPy differs from the screen on a deciding day, every day runs in SimPy."""
    sc = load_scenario(SMALL)
    pr = make_problem(sc, TARGETS, "share_of_days", 0.95, 60)
    with PlanEvaluator(sc, 4, 30, pr.edges, TARGETS, workers=1) as ev:
        plan = _plan(ev)
        ev.verified(plan)
        assert ev.usage.simpy_days == VERIFY_DAYS
        monkeypatch.setattr(evaluate, "agree", lambda *a: False)
        out = ev.verified(plan)
        assert ev.usage.simpy_days == VERIFY_DAYS * 2 + 30
        assert out.days == 30
        _, days = ev.verified_fresh(plan, fresh_seed(4), 40)
        assert days == 40 and ev.usage.validation_days == VERIFY_DAYS + 40


@pytest.mark.parametrize("mode", ["share_of_days", "upper_ci_mean"])
def test_a_fresh_day_with_an_infinite_kpi_misses_quietly(mode: str) -> None:
    """A fresh day on which a group was never served has an infinite wait: the check judges
    it without NumPy's warning about inf - inf in the spread; by the mean, it misses."""
    target = SizingTarget("gift_wait_p90", "<=", 5.0)
    values = np.array([1.0, 2.0, np.inf, 3.0, np.nan])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = check(target, values, SizingCriterion(mode, 0.95))
    assert result.mean == math.inf
    assert result.share_met == 0.8  # the day without a sample meets it
    assert result.verdict == "MISSES" or mode == "share_of_days"
