"""The adding step of the sizing search (sim/event_sizing/adding.py, issue 17 item 1): which
days a failing target is blamed on, and the escalating step of the other levels' search."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from sim.event_sizing import SizingTarget
from sim.event_sizing.adding import add_until_met, escalate_adds
from sim.event_sizing.evaluate import PlanEvaluator
from sim.event_sizing.search import days_to_fix, failing_targets
from sim.event_sizing.sizer import make_problem
from sim.event_sizing.targets import SizingCriterion
from sim.scenario import derive, load_scenario

SMALL = Path(__file__).resolve().parent / "fixtures" / "bad" / "_base_event.yaml"
WAIT = SizingTarget("sign_in_wait_p90", "<=", 5.0)


def test_days_to_fix_are_the_missing_days_nearest_the_target() -> None:
    """Ten days at 0.9 allow one miss; four days miss (9, 6, inf, 7), so three must be fixed:
    the three nearest the target (6, 7, 9, at indices 3, 7, 2); ``nan`` (no sample) meets."""
    x = np.array([1, 2, 9, 6, math.inf, math.nan, 3, 7, 4, 5], dtype=float)
    mask = days_to_fix(WAIT, x, SizingCriterion("share_of_days", 0.9))
    assert mask is not None and sorted(np.flatnonzero(mask).tolist()) == [2, 3, 7]
    # '>=' targets: the misses below the value, nearest first
    share = SizingTarget("sign_in_wait_p90", ">=", 5.0)
    low = days_to_fix(share, 10 - x, SizingCriterion("share_of_days", 0.9))
    assert low is not None and sorted(np.flatnonzero(low).tolist()) == [2, 3, 7]


def test_days_to_fix_is_none_where_every_day_counts() -> None:
    """No mask when the target holds, for the mean criterion, or when every day must be
    fixed (none may miss and every one does)."""
    met = np.array([1.0, 2.0, 9.0] + [1.0] * 7)  # one miss of ten, one allowed at 0.9
    assert days_to_fix(WAIT, met, SizingCriterion("share_of_days", 0.9)) is None
    assert days_to_fix(WAIT, np.full(10, 9.0), SizingCriterion("share_of_days", 1.0)) is None
    nine = days_to_fix(WAIT, np.full(10, 9.0), SizingCriterion("share_of_days", 0.9))
    assert nine is not None and int(nine.sum()) == 9  # one of the ten may still miss
    assert days_to_fix(WAIT, np.full(10, 9.0), SizingCriterion("upper_ci_mean", 0.9)) is None


def _problem(level: float = 0.95):  # type: ignore[no-untyped-def]
    sc = derive(load_scenario(SMALL), {"event.desks[0].cap": 8, "event.desks[1].cap": 8})
    targets = [SizingTarget("sign_in_wait_p90", "<=", 8.0),
               SizingTarget("selection_wait_p90", "<=", 4.0)]
    return sc, make_problem(sc, targets, "share_of_days", level, 60)


def test_escalate_doubles_a_post_block_added_to_again_up_to_its_cap() -> None:
    """A post-block added to on the screen before gets twice that (never past the cap); a
    post-block added to for the first time keeps its own step."""
    _, pr = _problem()
    blocks = pr.blocks
    before = {p: (1,) * blocks for p in pr.posts}
    counts = dict(before)
    counts["sign_in"] = (2,) + (1,) * (blocks - 1)  # +1 at block 0 (added 1 last time)
    counts["selection"] = (1, 2) + (1,) * (blocks - 2)  # +1 at block 1, new
    out, added = escalate_adds(pr, before, counts, {("sign_in", 0): 1, ("sign_in", 1): 3})
    assert out["sign_in"][0] == 1 + 2 and out["selection"][1] == 2
    assert added == {("sign_in", 0): 2, ("selection", 1): 1}
    capped, _ = escalate_adds(pr, before, counts, {("sign_in", 0): 6})
    assert capped["sign_in"][0] == pr.caps["sign_in"]  # twice 6 is past the cap of 8


def test_escalating_add_meets_every_target_like_the_plain_one() -> None:
    """At a high level from a thin plan both ways of adding end with every target met on the
    screen; escalating takes fewer screens here."""
    sc, pr = _problem(0.95)
    crit = pr.criterion
    thin = {p: tuple(max(b, 1) for b in pr.baseline[p]) for p in pr.posts}
    with PlanEvaluator(sc, 3, 30, pr.edges, pr.targets, workers=1) as ev:
        start = ev.usage.screen_days
        plain = add_until_met(pr, ev, thin, crit)
        plain_days = ev.usage.screen_days - start
    with PlanEvaluator(sc, 3, 30, pr.edges, pr.targets, workers=1) as ev:
        start = ev.usage.screen_days
        fast = add_until_met(pr, ev, thin, crit, escalate=True)
        fast_days = ev.usage.screen_days - start
        assert not failing_targets(pr, ev.screen(fast), crit)
        assert not failing_targets(pr, ev.screen(plain), crit)
    assert fast_days < plain_days  # 120 against 150 screen days on this case
