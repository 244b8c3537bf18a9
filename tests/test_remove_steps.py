"""Removing people (sim.event_sizing.search.remove_while_met): the first removal that holds is
taken down to the lowest count that holds, in steps of one, two, four, ... people from the
current count and then bisection, so a near-minimal plan (the other confidence levels start
from the sized plan) costs a screen or two per post-block, not a bisection from the
baseline (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from sim.event_sizing.evaluate import Counts
from sim.event_sizing.outcome import Outcome
from sim.event_sizing.search import Problem, remove_while_met
from sim.event_sizing.sizer import make_problem
from sim.event_sizing.targets import SizingTarget
from sim.scenario import load_scenario

SMALL = Path(__file__).resolve().parent / "fixtures" / "bad" / "_base_event.yaml"
TARGET = SizingTarget("sign_in_wait_p90", "<=", 0.5)


class NeedEvaluator:
    """Sign-in meets its target on all 10 days with at least ``need`` people, else on none."""

    def __init__(self, need: int) -> None:
        self.need = need
        self.plans: list[int] = []

    def screen(self, counts: Counts, keep_times: bool = False) -> Outcome:
        self.plans.append(counts["sign_in"][0])
        ok = counts["sign_in"][0] >= self.need
        return Outcome({TARGET.kpi: np.full(10, 0.0 if ok else 1.0)}, None, 10)

    def in_turn(self, cands: list[Counts], base: Counts | None = None,
                crit: object = None) -> Iterator[Outcome]:  # fmt: skip
        return (self.screen(c) for c in cands)

    def judge(self, counts: Counts, crit: object, near: Counts) -> Outcome:
        return self.screen(counts)


def _problem(baseline: int) -> Problem:
    pr = make_problem(load_scenario(SMALL), [TARGET], "share_of_days", 0.9, 60)
    return replace(pr, edges=(540.0, 600.0), baseline={"sign_in": (baseline,), "selection": (0,)},
                   caps={"sign_in": 60, "selection": 0})  # fmt: skip


def _plan(sign_in: int) -> Counts:
    return {"sign_in": (sign_in,), "selection": (0,)}


@pytest.mark.parametrize(("start", "need", "baseline"), [(20, 19, 0), (20, 18, 0), (40, 5, 0),
                                                         (40, 5, 5), (33, 12, 3), (9, 9, 0)])
def test_the_lowest_count_that_holds(start: int, need: int, baseline: int) -> None:
    """The answer is the need, or the baseline when above it (never below)."""
    pr, ev = _problem(baseline), NeedEvaluator(need)
    out = remove_while_met(pr, ev, _plan(start), pr.criterion)  # type: ignore[arg-type]
    assert out == _plan(max(need, baseline))


def test_one_person_less_costs_two_screens_and_the_proof() -> None:
    """From 20 with 19 needed: 19 holds (the scan), 18 misses (the first step down): the
    answer; the closing turn screens 18 again (a known plan for the real evaluator). A
    bisection from the baseline 0 screened 10, 14, 16, ... (five plans more)."""
    pr, ev = _problem(0), NeedEvaluator(19)
    remove_while_met(pr, ev, _plan(20), pr.criterion)  # type: ignore[arg-type]
    assert ev.plans == [19, 18, 18]
