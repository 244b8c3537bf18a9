"""Hard days first (sim.event_sizing.probe, PlanEvaluator.judge): a candidate that fails more
of its neighbour's hardest days than the criterion allows of ALL the search days misses on the
full screen too, so it is judged on those days alone; any other candidate is screened on the
other days as well. The verdicts and KPIs are the full screen's, on fewer simulated days
(issue 17 item 1)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.event_sizing.evaluate import PlanEvaluator
from sim.event_sizing.probe import day_margins, hard_stages, joined
from sim.event_sizing.search import above_baseline, add_people, failing_targets, remove_while_met
from sim.event_sizing.sizer import make_problem
from sim.event_sizing.targets import SizingCriterion, SizingTarget
from tests.helpers import small_grid_case

A = SizingTarget("sign_in_wait_p90", "<=", 8)
B = SizingTarget("selection_wait_p90", "<=", 4)
DAYS = 20


def test_margins_per_day_are_the_tightest_target_relative_to_its_value() -> None:
    kpis = {A.kpi: np.array([4.0, 8.0, 10.0, np.nan]), B.kpi: np.array([1.0, 0.0, 0.0, 5.0])}
    # A: (8 - x) / 8; B: (4 - x) / 4; a day without a sample meets the target
    assert day_margins([A, B], kpis).tolist() == [0.5, 0.0, -0.25, -0.25]


def test_hard_rows_are_the_days_closest_to_failing() -> None:
    """0.95 of 20 days: 1 day may fail, so 1.5 x (1 + 1) = 3 days are probed first: those with
    the smallest margin to either target, in index order."""
    a = np.full(DAYS, 1.0)
    b = np.full(DAYS, 0.5)
    a[[3, 11]] = [9.0, 7.5]  # A: day 3 missed, day 11 close
    b[[0, 7, 15, 19]] = [3.9, 3.0, 3.5, 2.0]  # B: close on these, by 0.1/4 .. 2/4
    stages = hard_stages([A, B], {A.kpi: a, B.kpi: b}, SizingCriterion("share_of_days", 0.95))
    rows = stages[0] if stages else None
    assert rows == (0, 3, 11)


def test_stages_double_and_cover_every_day_once() -> None:
    """0.95 of 100 days: the 9 hardest, the next 18, 36, then the other 37; 0.99: 3, 6, 12,
    24, 48 and the last 7; 0.90: 16, 32 and the other 52 (64 would pass the last day)."""
    margins = np.linspace(0.0, 1.0, 100)[::-1]  # day 99 the hardest, day 0 the easiest
    kpis = {A.kpi: A.value - margins * A.value, B.kpi: np.zeros(100)}
    for level, sizes in ((0.95, [9, 18, 36, 37]), (0.99, [3, 6, 12, 24, 48, 7]),
                         (0.90, [16, 32, 52])):  # fmt: skip
        stages = hard_stages([A, B], kpis, SizingCriterion("share_of_days", level))
        assert stages is not None and [len(s) for s in stages] == sizes
        assert sorted(r for s in stages for r in s) == list(range(100))
        assert stages[0] == tuple(range(100 - sizes[0], 100))  # the hardest first


def test_no_probe_where_it_cannot_pay() -> None:
    kpis = {A.kpi: np.zeros(DAYS), B.kpi: np.zeros(DAYS)}
    assert hard_stages([A, B], kpis, SizingCriterion("upper_ci_mean", 0.95)) is None
    # 0.6 of 20 days: 8 may fail, 14 rows would be more than half the days
    assert hard_stages([A, B], kpis, SizingCriterion("share_of_days", 0.6)) is None


@pytest.fixture(scope="module")
def minimal() -> tuple[object, dict[str, tuple[int, ...]]]:
    """The small launch's plan minimal on the screen at 0.95 of 20 days."""
    sc = small_grid_case()
    pr = make_problem(sc, [A, B], "share_of_days", 0.95, 60)
    caps = {p: (pr.caps[p],) * pr.blocks for p in pr.posts}
    with PlanEvaluator(sc, 3, DAYS, pr.edges, pr.targets, workers=1) as ev:
        return pr, remove_while_met(pr, ev, caps, pr.criterion)


def test_a_probe_gives_the_full_screens_verdict_on_fewer_days(minimal: tuple) -> None:
    """Every single removal of a minimal plan misses; judged from the plan, those that miss
    on its 3 (or 9) hardest days count only those days, the others every day once (the
    same KPIs as screening all 20 at once), and a fresh evaluator screening every day
    agrees on every verdict."""
    pr, plan = minimal
    crit = pr.criterion
    probed = 0
    sc = small_grid_case()
    with (PlanEvaluator(sc, 3, DAYS, pr.edges, pr.targets, workers=1) as ev,
          PlanEvaluator(sc, 3, DAYS, pr.edges, pr.targets, workers=1) as full):  # fmt: skip
        ev.screen(plan)
        for p, b in above_baseline(pr, plan):
            trial = add_people(plan, p, b, -1)
            before = ev.usage.screen_days
            out = ev.judge(trial, crit, plan)
            ref = full.screen(trial)
            assert failing_targets(pr, ref, crit)  # minimal: every removal misses
            assert bool(failing_targets(pr, out, crit)) == bool(failing_targets(pr, ref, crit))
            # a probe that decides counts its days so far (3 or 9); one that holds all 20 once
            assert ev.usage.screen_days - before == (out.days if out.days < DAYS else DAYS)
            if out.days == DAYS:  # joined from the two parts: each day as screening them all
                for k in ref.kpis:
                    assert np.array_equal(out.kpis[k], ref.kpis[k], equal_nan=True)
            if out.days < DAYS:
                probed += 1
                assert crit.excess(pr.targets, out.kpis, DAYS) > 0
                assert crit.excess(pr.targets, ref.kpis, DAYS) >= crit.excess(
                    pr.targets, out.kpis, DAYS)  # the full screen fails every probed day too
        again = ev.usage.screen_days
        for p, b in above_baseline(pr, plan):  # judged once: remembered, no days again
            ev.judge(add_people(plan, p, b, -1), crit, plan)
        assert ev.usage.screen_days == again
    assert probed > 0


def test_the_proof_completes_a_probed_removal_with_its_other_days(minimal: tuple) -> None:
    """A removal judged on its hardest days alone is completed for the minimality proof with
    a screen of its other days only: every day then counted once, its KPIs those of the full
    screen, and a plan never judged is left to the full screen."""
    pr, plan = minimal
    sc = small_grid_case()
    with (PlanEvaluator(sc, 3, DAYS, pr.edges, pr.targets, workers=1) as ev,
          PlanEvaluator(sc, 3, DAYS, pr.edges, pr.targets, workers=1) as full):  # fmt: skip
        ev.screen(plan)
        partial = 0
        for p, b in above_baseline(pr, plan):
            trial = add_people(plan, p, b, -1)
            seen = ev.judge(trial, pr.criterion, plan).days
            partial += seen < DAYS
            before = ev.usage.screen_days
            ev.complete(trial)
            assert ev.usage.screen_days - before == DAYS - seen  # 0 when judged on every day
            again = ev.usage.screen_days
            out, ref = ev.screen(trial), full.screen(trial)
            assert ev.usage.screen_days == again  # remembered whole
            for k in ref.kpis:
                assert np.array_equal(out.kpis[k], ref.kpis[k], equal_nan=True)
        assert partial > 0  # some removals were completed from a few days
        unseen = add_people(plan, pr.posts[0], 0, 2)
        before = ev.usage.screen_days
        ev.complete(unseen)
        assert ev.usage.screen_days == before  # nothing known: nothing done


def test_a_plan_that_holds_is_screened_on_every_day(minimal: tuple) -> None:
    pr, plan = minimal
    more = add_people(plan, pr.posts[0], 0, 1)
    with PlanEvaluator(small_grid_case(), 3, DAYS, pr.edges, pr.targets, workers=1) as ev:
        ev.screen(plan)
        out = ev.judge(more, pr.criterion, plan)
        assert out.days == DAYS and not failing_targets(pr, out, pr.criterion)
        # without the neighbour's days known there is nothing to probe: every day
        with PlanEvaluator(small_grid_case(), 3, DAYS, pr.edges, pr.targets, workers=1) as cold:
            assert cold.judge(add_people(plan, pr.posts[0], 0, -1), pr.criterion,
                              plan).days == DAYS  # fmt: skip


def test_rows_joined_back_in_day_order() -> None:
    rows, rest = (1, 3), (0, 2, 4)
    out = joined(5, (rows, {A.kpi: np.array([10.0, 30.0])}),
                 (rest, {A.kpi: np.array([0.0, 20.0, 40.0])}))  # fmt: skip
    assert out[A.kpi].tolist() == [0.0, 10.0, 20.0, 30.0, 40.0]


class EveryDay(PlanEvaluator):
    """The evaluator without the probe: every candidate screened on every day."""

    def judge(self, counts, crit, near):  # type: ignore[no-untyped-def]
        return self.screen(counts)

    def in_turn(self, candidates, base=None, crit=None):  # type: ignore[no-untyped-def]
        return super().in_turn(candidates, base)


def test_the_removal_step_finds_the_same_plan_on_fewer_days() -> None:
    """The small launch from its caps down to a minimal plan: the same plan as screening every
    candidate on every day, on fewer simulated days."""
    sc = small_grid_case()
    pr = make_problem(sc, [A, B], "share_of_days", 0.95, 60)
    caps = {p: (pr.caps[p],) * pr.blocks for p in pr.posts}
    with (PlanEvaluator(sc, 3, DAYS, pr.edges, pr.targets, workers=1) as ev,
          EveryDay(sc, 3, DAYS, pr.edges, pr.targets, workers=1) as full):  # fmt: skip
        assert remove_while_met(pr, ev, caps, pr.criterion) == remove_while_met(
            pr, full, caps, pr.criterion)  # type: ignore[arg-type]
        assert ev.usage.screen_days < full.usage.screen_days
