"""``size_office``: the fewest reps per team and shift, VIP rooms and post staff per shift that
meet an office day's targets with the stated confidence, checked on fresh days.

Steps: (1) the scenario's own plan is simulated on the search days; while a target misses, the
person or room that helps most is added (:func:`~sim.office_sizing.search.grow`); (2) people
and rooms are removed one at a time while every target still holds
(:func:`~sim.office_sizing.search.descend`); (3) every single removal from the answer is shown
to break a target or to leave a post unmanned (minimality); (4) the same is done at 0.90 and
0.99 for the fee plan's ``headcount_at``; (5) the answer runs on ``validate_days`` fresh days
(seed + 1,000,003) and each target and the joint share get a verdict.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.event_sizing.targets import Mode, SizingCriterion, SizingTarget
from sim.event_sizing.validate import VERDICTS, Verdict, fresh_seed, mean_verdict, share_verdict
from sim.office_sizing.plan import Plan, plan_of, staffed_posts
from sim.office_sizing.search import Evaluator, OfficeRemoval, descend, grow, removals
from sim.office_sizing.targets import Judgement, day_meets, judge, scenario_targets
from sim.scenario.schema import Scenario

OTHER_LEVELS = (0.90, 0.99)


@dataclass(frozen=True)
class FreshCheck:
    """One target on the fresh days: share of days met, mean, verdict."""

    target: SizingTarget
    share_met: float
    mean: float
    achieved: float
    verdict: Verdict


@dataclass(frozen=True)
class OfficeValidation:
    """The answer on fresh days: each target, and every target on the same day (joint)."""

    seed: int
    days: int
    checks: tuple[FreshCheck, ...]
    joint_share: float
    joint_verdict: Verdict

    @property
    def all_met(self) -> bool:
        """No target (nor the joint share) significantly misses."""
        return self.joint_verdict != "MISSES" and all(c.verdict != "MISSES" for c in self.checks)


@dataclass(frozen=True)
class OfficeSizingResult:
    """What :func:`size_office` found and how."""

    scenario: Scenario
    criterion: SizingCriterion
    start: Plan
    plan: Plan
    at_levels: dict[float, Plan]
    judgement: Judgement
    removals: tuple[OfficeRemoval, ...]
    added: int
    days: int
    seed: int
    search_days: int
    validation: OfficeValidation | None
    validation_days: int
    seconds: float

    @property
    def simulated_days(self) -> int:
        """Search and validation days, all simulated in SimPy."""
        return self.search_days + self.validation_days


def _fresh(ev: Evaluator, plan: Plan, days: int) -> OfficeValidation:
    seed = fresh_seed(ev.seed)
    values = ev.values(plan, seed, days)
    crit = ev.criterion
    j = judge(ev.targets, values, crit)
    checks = []
    for t, got in zip(ev.targets, j.achieved, strict=True):
        x = values[t.kpi]
        share = float(day_meets(t, x).mean())
        sample = x[~np.isnan(x)]
        mean = float(sample.mean()) if len(sample) else float("nan")
        if crit.mode == "share_of_days":
            verdict = share_verdict(share, crit.confidence, days)
        else:
            sd = float(sample.std(ddof=1)) if len(sample) > 1 else 0.0
            verdict = mean_verdict(t, mean, sd, max(1, len(sample)), crit.met(t, x))
        checks.append(FreshCheck(t, share, mean, got, verdict))
    joint: Verdict
    if crit.mode == "share_of_days":
        joint = share_verdict(j.joint_share, crit.confidence, days)
    else:  # each mean bounded separately: the worst of the targets' verdicts
        joint = max((c.verdict for c in checks), key=VERDICTS.index, default="meets")
    return OfficeValidation(seed, days, tuple(checks), j.joint_share, joint)


def size_office(
    scenario: Scenario, targets: Sequence[SizingTarget], mode: Mode, confidence: float,
    days: int, seed: int, workers: int | None = None, validate_days: int = 100,
    max_added: int = 30,
) -> OfficeSizingResult:  # fmt: skip
    """Size an office day (see the module docstring); raises
    :class:`~sim.office_sizing.search.OfficeInfeasible` if ``max_added`` is not enough."""
    t0 = time.perf_counter()
    crit = SizingCriterion(mode, confidence)
    ev = Evaluator(scenario, list(targets), crit, days, seed, workers)
    start = plan_of(scenario)
    grown, added = grow(ev, start, max_added)
    plan = descend(ev, grown)
    proof = removals(ev, plan)
    at_levels = {}
    for level in OTHER_LEVELS:
        other = ev.at(level)
        at_levels[level] = descend(other, grow(other, plan, max_added)[0])
    search_days = ev.days_simulated
    validation = _fresh(ev, plan, validate_days) if validate_days else None
    return OfficeSizingResult(
        scenario=scenario, criterion=crit, start=start, plan=plan, at_levels=at_levels,
        judgement=ev.judge(plan), removals=tuple(proof), added=added, days=days, seed=seed,
        search_days=search_days, validation=validation, validation_days=validate_days,
        seconds=time.perf_counter() - t0,
    )  # fmt: skip


def default_targets(scenario: Scenario) -> list[SizingTarget]:
    """The scenario's office targets (with one per staffed post if asked)."""
    return scenario_targets(scenario, staffed_posts(scenario))
