"""Issue 17 item 1: sizing the launch day scaled by attendance (caps, seats and parking scaled
with it) finds a plan at 1,600 and 3,200 people instead of a false "impossible target … at its
cap": with every desk at its cap every target holds on the search days (checked here), so
the search must end with a plan, and that plan meets every target on those days. At 3,200
the groups never called by closing used to be blamed on the closing block of the selection
desk (nothing useful to add there); they are now blamed on the first block below its cap
from when they were ready."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.event_sizing import SizingTarget, size
from sim.event_sizing.evaluate import PlanEvaluator
from sim.event_sizing.scale import scale_event
from sim.event_sizing.sizer import make_problem
from sim.event_sizing.targets import SizingCriterion
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = ROOT / "scenarios" / "launch_day_800.yaml"


def test_scale_event_scales_caps_and_seats() -> None:
    base = load_scenario(LAUNCH)
    sc = scale_event(base, 3000)  # x 3.75, rounded up
    assert sc.event is not None and base.event is not None
    assert sc.event.attendance == 3000
    assert [d.cap for d in sc.event.desks] == [90, 45, 113, 150, 30]  # 24 12 30 40 8 x 3.75
    assert sc.event.waiting_area_capacity == 1875
    shipped = load_scenario(ROOT / "scenarios" / "bench" / "launch_day_3000.yaml")
    assert shipped.event is not None
    assert [d.cap for d in shipped.event.desks] == [d.cap for d in sc.event.desks]
    assert shipped.event.attendance == 3000


@pytest.mark.slow
@pytest.mark.parametrize("attendance", [1600, 3200])
def test_scaled_launch_day_is_sized_without_a_false_impossible(attendance: int) -> None:
    sc = scale_event(load_scenario(LAUNCH), attendance)
    assert sc.event is not None
    targets = [SizingTarget(t.kpi, t.op, t.value) for t in sc.event.sizing.targets]
    crit = SizingCriterion("share_of_days", 0.95)
    problem = make_problem(sc, targets, "share_of_days", 0.95, 60)
    days = 10
    with PlanEvaluator(sc, 0, days, problem.edges, targets, workers=1) as ev:
        caps = {p: (problem.caps[p],) * problem.blocks for p in problem.posts}
        at_caps = ev.screen(caps)
        assert all(crit.met(t, at_caps.kpis[t.kpi]) for t in targets)  # so not impossible
    res = size(sc, targets, "share_of_days", 0.95, 60, days=days, seed=0, workers=1,
               levels=(), curves=False, exchange_moves=False, validate_days=100,
               joint_rounds=0)  # fmt: skip
    assert all(margin >= 0 for _, _, margin in res.achieved)
    # the fresh-day validation ran on the answer: every target judged on the 100 fresh days
    # (the screen on each of them, SimPy on the deciding ones, which agreed with it)
    v = res.validation
    assert v is not None and v.days == 100 and 0 < v.simpy_days < 100
    assert [c.target for c in v.checks] == targets
    assert res.usage.validation_days == v.simpy_days
    for p in problem.posts:
        assert all(problem.baseline[p][b] <= n <= problem.caps[p]
                   for b, n in enumerate(res.counts[p]))  # fmt: skip
    # minimal: each post-block of the person-block plan above baseline has its single
    # removal's missed target (``counts`` is the booked plan, issue 19 item 2)
    assert res.minimal is not None
    above = {(p, b) for p in problem.posts for b in range(problem.blocks)
             if res.minimal[p][b] > problem.baseline[p][b]}  # fmt: skip
    assert {(r.post, r.block) for r in res.removals} == above
    assert all(not crit.met(r.target, np.array([r.achieved])) for r in res.removals)
