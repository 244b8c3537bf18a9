"""Step 4 of the sizing search (:mod:`sim.event_sizing.search`): the confirmation.

The plan is checked against the SimPy model on the same search days (it must meet every
target): by the screen on every day, with the days that decide the verdict re-run in SimPy
(:meth:`~sim.event_sizing.evaluate.PlanEvaluator.verified`). Every plan with one person fewer
in one post-block above baseline must miss a target: on the screen (the SimPy model's times),
and verified in SimPy too where the screen has it close to the line (:data:`CLOSE_DAYS`).
"""

from __future__ import annotations

from sim.event_sizing.adding import add_until_met
from sim.event_sizing.evaluate import Counts, PlanEvaluator
from sim.event_sizing.outcome import Outcome
from sim.event_sizing.search import (
    Problem,
    Removal,
    above_baseline,
    add_people,
    failing_targets,
    worst_miss,
)
from sim.event_sizing.targets import SizingCriterion

CLOSE_DAYS = 2
"""A single removal is run in SimPy when the screen has it within this many failing days of
those allowed (share_of_days; every removal in upper_ci_mean)."""


def confirm(problem: Problem, ev: PlanEvaluator, counts: Counts, crit: SizingCriterion,
            ) -> tuple[Counts, list[Removal], Outcome]:  # fmt: skip
    """Step 4: SimPy confirms the plan (verified: the screen on every day, SimPy on the days
    that decide), and each single removal misses a target: all of them on the screen
    (stacked; it gives the SimPy model's times, tests/test_event_model.py), verified in SimPy
    those the screen has close to the line (:data:`CLOSE_DAYS`; one SimPy run per removal
    made the confirmation the largest cost of a large event, issue 17). A removal that
    (against the screen) still met every target would be taken and re-checked."""
    while True:
        out = ev.verified(counts)
        if failing_targets(problem, out, crit):
            counts = add_until_met(problem, ev, counts, crit)  # pragma: no cover - screen == SimPy
            continue
        cells = above_baseline(problem, counts)
        trials = [add_people(counts, p, b, -1) for p, b in cells]
        for trial in trials:
            ev.complete(trial)
        removals: list[Removal] = []
        for (p, b), trial, res in zip(cells, trials, ev.screen_many(trials, counts), strict=True):
            if near_line(problem, res, crit, ev.days):
                res = ev.verified(trial, crit)
            missed = failing_targets(problem, res, crit)
            if not missed:  # pragma: no cover - the screen said it misses
                counts = trial
                break
            removals.append(Removal(p, b, *worst_miss(problem, missed, res, crit), res.days))
        else:
            return counts, removals, out


def near_line(problem: Problem, out: Outcome, crit: SizingCriterion, days: int) -> bool:
    """Whether a plan's screen result is near enough to the targets to be verified in SimPy
    (within :data:`CLOSE_DAYS` failing days of those allowed; every plan in upper_ci_mean)."""
    if crit.mode != "share_of_days":
        return True
    return crit.excess(problem.targets, out.kpis, days) <= CLOSE_DAYS
