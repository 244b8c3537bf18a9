"""The sizing search holds the targets together (share_of_days): a plan must meet EVERY target on
at least the level's share of the search days, the claim the fresh-day check judges
(sim.event_sizing.targets, issue 17 item 1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.event_sizing import SizingTarget, size
from sim.event_sizing.confirm import near_line
from sim.event_sizing.evaluate import PlanEvaluator
from sim.event_sizing.outcome import Outcome
from sim.event_sizing.search import Infeasible, Problem, add_people, failing_targets, worst_miss
from sim.event_sizing.sizer import make_problem
from sim.event_sizing.targets import JOINT_KPI, Mode, SizingCriterion
from sim.scenario import derive, load_scenario
from tests.helpers import small_grid_case

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "bad" / "_base_event.yaml"  # a valid 300-person launch
SIGN_IN = SizingTarget("sign_in_wait_p90", "<=", 8)
SELECTION = SizingTarget("selection_wait_p90", "<=", 4)
DAYS = 20  # at 0.9, 2 of 20 days may miss


def _problem(targets: list[SizingTarget] | None = None, mode: Mode = "share_of_days",
             ) -> Problem:  # fmt: skip
    return make_problem(load_scenario(SMALL), targets or [SIGN_IN, SELECTION], mode, 0.9, 60)


def _outcome(sign_in_bad: list[int], selection_bad: list[int]) -> Outcome:
    """20 days with both targets met by a wide margin but on the ``*_bad`` days (day 19
    has no selection sample: it meets the target)."""
    a, b = np.full(DAYS, 3.0), np.full(DAYS, 1.0)
    a[sign_in_bad], b[selection_bad], b[19] = 12.0, 6.0, np.nan
    return Outcome({SIGN_IN.kpi: a, SELECTION.kpi: b}, None, DAYS)


def test_targets_met_on_different_days_miss_together() -> None:
    """Each target alone misses on at most the 2 days allowed, but on different days: 3
    days miss one of them. The targets to act on come in order of the days they miss; the
    evidence of the miss is the joint share, 17 of 20 days."""
    pr = _problem()
    crit = pr.criterion
    out = _outcome([0, 1], [2])
    assert all(crit.met(t, out.kpis[t.kpi]) for t in (SIGN_IN, SELECTION))
    assert failing_targets(pr, out, crit) == [SIGN_IN, SELECTION]
    target, share = worst_miss(pr, [SIGN_IN, SELECTION], out, crit)
    assert (target.kpi, target.op, target.value, share) == (JOINT_KPI, ">=", 0.9, 17 / 20)
    assert failing_targets(pr, _outcome([0], [1, 2]), crit) == [SELECTION, SIGN_IN]


def test_a_further_round_holds_the_joint_share_at_the_stated_level() -> None:
    """A further search round holds each target at a stricter level (0.95: 1 of 20 days
    may miss) and the joint share at the stated 0.9 (2 of 20): one day missing each target
    on its own day passes; a second day missing sign-in fails sign-in alone."""
    pr = _problem()
    crit = SizingCriterion("share_of_days", 0.95, joint_level=0.9)
    pr.criterion = crit
    assert failing_targets(pr, _outcome([0], [1]), crit) == []
    assert crit.excess(pr.targets, _outcome([0], [1]).kpis, DAYS) == 0
    assert failing_targets(pr, _outcome([0, 3], []), crit) == [SIGN_IN]
    assert crit.excess(pr.targets, _outcome([0, 3], [1]).kpis, DAYS) == 1  # 3 together: 1 over
    assert crit.joint_target().value == 0.9
    stated = SizingCriterion("share_of_days", 0.95)  # the joint share at 0.95 too: 1 day
    assert not stated.joint_met(pr.targets, _outcome([0], [1]).kpis)


def test_excess_counts_days_beyond_the_allowance_on_fewer_days() -> None:
    """SimPy's early stop judges the days run so far against the allowance of all of them:
    10 days with 3 missing sign-in on their own are 1 over the 2 allowed of 20."""
    crit = SizingCriterion("share_of_days", 0.9)
    kpis = {SIGN_IN.kpi: np.array([12.0] * 3 + [1.0] * 7), SELECTION.kpi: np.ones(10)}
    assert crit.excess([SIGN_IN, SELECTION], kpis, DAYS) == 1
    assert crit.excess([SIGN_IN, SELECTION], kpis, 40) == 0  # 4 of 40 may miss


def test_misses_on_the_same_days_hold_together() -> None:
    """Two days missing both targets at once are the 2 allowed: nothing fails."""
    pr = _problem()
    assert failing_targets(pr, _outcome([4, 7], [4, 7]), pr.criterion) == []
    assert failing_targets(pr, _outcome([4], [4, 7]), pr.criterion) == []


def test_a_target_missed_alone_is_reported_as_before() -> None:
    """3 days missing sign-in: that target is missed on its own, and the evidence is its own
    achieved value (the 18th best day of 20: 12 minutes)."""
    pr = _problem()
    out = _outcome([0, 1, 2], [])
    assert failing_targets(pr, out, pr.criterion) == [SIGN_IN]
    assert worst_miss(pr, [SIGN_IN], out, pr.criterion) == (SIGN_IN, 12.0)


def test_no_joint_rule_for_one_target_or_the_mean_mode() -> None:
    """One target, or upper_ci_mean (a bound of each mean, no days to share): no joint miss."""
    out = _outcome([0, 1], [2])
    one = _problem([SIGN_IN])
    assert failing_targets(one, out, one.criterion) == []
    mean = _problem(mode="upper_ci_mean")
    assert failing_targets(mean, out, mean.criterion) == []


def test_near_line_counts_days_missing_any_target() -> None:
    """A removal that misses each target on 3 days (1 over the allowed 2) but on different
    days misses together on 6: 4 over, beyond the 2 that send it to SimPy."""
    pr = _problem()
    assert not near_line(pr, _outcome([0, 1, 2], [3, 4, 5]), pr.criterion, DAYS)
    assert near_line(pr, _outcome([0, 1, 2], [0, 1, 2]), pr.criterion, DAYS)
    assert near_line(pr, _outcome([0, 1, 2], [2, 3]), pr.criterion, DAYS)


def _both_met_days(ev: PlanEvaluator, counts: dict[str, tuple[int, ...]],
                   targets: list[SizingTarget]) -> int:  # fmt: skip
    """Days on which ``counts`` meets both ``targets`` at once (no sample: met)."""
    out = ev.screen(counts)
    (a, first), (b, second) = ((out.kpis[t.kpi], t) for t in targets)
    both = (np.isnan(a) | (a <= first.value)) & (np.isnan(b) | (b <= second.value))
    return int(both.sum())


def test_the_sized_plan_meets_every_target_on_the_same_days() -> None:
    """``size`` at 0.9 on 20 search days of the small grid launch (seed 3), selection within
    3 minutes: holding each target alone gave sign-in (7, 1, 1) and selection (0, 7, 4),
    which meets both together on only 17 of the days. The answer meets them together on at
    least 18 (counted here from the screen's KPIs); each single removal in its minimality
    proof misses a target alone or together (then the joint share is below 0.9), and one
    of them misses only together."""
    selection = SizingTarget("selection_wait_p90", "<=", 3)
    targets = [SIGN_IN, selection]
    sc = small_grid_case()
    res = size(sc, targets, "share_of_days", 0.9, 60, days=DAYS, seed=3, workers=1, levels=(),
               curves=False)  # fmt: skip
    plan = dict(res.minimal or res.counts)
    with PlanEvaluator(sc, 3, DAYS, res.problem.edges, targets, workers=1) as ev:
        assert _both_met_days(ev, plan, targets) >= 18
        assert _both_met_days(ev, {"sign_in": (7, 1, 1), "selection": (0, 7, 4)}, targets) == 17
        for r in res.removals:
            trial = add_people(plan, r.post, r.block, -1)
            if r.target.kpi == JOINT_KPI:
                assert r.achieved == _both_met_days(ev, trial, targets) / DAYS < 0.9
            else:
                assert r.target in targets
        assert JOINT_KPI in [r.target.kpi for r in res.removals]


def test_a_target_at_its_cap_leaves_the_joint_share_to_another_desk() -> None:
    """Sign-in capped at 3, selection within 2.5 minutes (0.9, 20 days, seed 3): the target
    missed on most days is sign-in's, at its cap; people go to selection instead, and the
    plan holds both together on at least 18 days. Within 2.2 minutes even every desk at
    its cap holds both together on only 17 days (counted here): impossible, said with the
    joint share (never the sign-in target, which holds alone)."""
    sc = derive(small_grid_case(), {"event.desks[0].cap": 3})
    caps = {"sign_in": (3, 3, 3), "selection": (8, 8, 8)}
    sign_in = SizingTarget("sign_in_wait_p90", "<=", 33.45)
    for y, feasible in ((2.5, True), (2.2, False)):
        targets = [sign_in, SizingTarget("selection_wait_p90", "<=", y)]
        edges = make_problem(sc, targets, "share_of_days", 0.9, 60).edges
        kw: dict[str, Any] = {"days": DAYS, "seed": 3, "workers": 1, "levels": (),
                              "curves": False}
        with PlanEvaluator(sc, 3, DAYS, edges, targets, workers=1) as ev:
            assert (_both_met_days(ev, caps, targets) >= 18) == feasible
            if feasible:
                res = size(sc, targets, "share_of_days", 0.9, 60, **kw)
                assert _both_met_days(ev, dict(res.minimal or res.counts), targets) >= 18
                continue
            with pytest.raises(Infeasible) as err:
                size(sc, targets, "share_of_days", 0.9, 60, **kw)
            assert (err.value.target.kpi, err.value.target.value) == (JOINT_KPI, 0.9)
            assert err.value.best < 0.9
