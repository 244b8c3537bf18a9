"""Out-of-sample validation (样本外验证) of a sizing answer on fresh days.

A minimal plan is tuned to its search days (replications ``0..n-1`` of the seed ``S``), so on
other days a target's met-share scatters around the stated level. After the search the chosen
plan runs on ``N`` fresh days: replications ``0..N-1`` of the seed
``S + 1_000_003`` (:func:`fresh_seed`). Every stream is ``SeedSequence(seed, spawn_key=
(replication, stream))`` (:class:`sim.core.rng.Streams`), so a different seed gives different day
streams for every replication: the fresh days never repeat a search day, and they do not
depend on ``-n``. All ``N`` days always run (no early stop), in fixed chunks, so the numbers do
not depend on the number of workers.

The fresh days are judged by the vectorised screen, which gives the SimPy model's times; the
days that decide the verdicts are re-run in SimPy, and every day is when SimPy differs from the
screen there (:mod:`sim.event_sizing.verify`).

Verdict per target, at the one-sided 5 % level (z = 1.645):

- ``share_of_days``: ``p`` = share of fresh days meeting the target (a day without a sample
  meets it, as in the search). ``meets`` if ``p >= level``; ``within sampling error`` if
  ``p >= level - 1.645·sqrt(level·(1-level)/N)`` (the binomial share of a plan that truly meets
  the level would fall this low in 5 % of validations); else ``MISSES``.
- ``upper_ci_mean``: the fresh one-sided ``level`` bound of the mean (as in the search,
  Student t) — ``meets`` if it meets the target; ``within sampling error`` if the fresh mean
  is not significantly on the wrong side of the target (``<=``: ``mean - 1.645·sd/sqrt(N) <=
  value``; ``>=`` mirrored); else ``MISSES``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from sim.event_sizing.evaluate import PlanEvaluator
from sim.event_sizing.service_posts import ratio_met_share
from sim.event_sizing.targets import SizingCriterion, SizingTarget, joint_met_days, met_days

FRESH_SEED_OFFSET = 1_000_003
"""Fresh (validation) seed = search seed + this (a prime far from any seed used by hand)."""
Z_ONE_SIDED_5 = 1.645
"""One-sided 5 % normal quantile (the 'not significantly below' test)."""
DEFAULT_DAYS = 200

Verdict = Literal["meets", "within sampling error", "MISSES"]
VERDICTS: tuple[Verdict, ...] = ("meets", "within sampling error", "MISSES")


def fresh_seed(seed: int) -> int:
    """The seed of the validation days of a search with ``seed``."""
    return seed + FRESH_SEED_OFFSET


def share_floor(level: float, days: int) -> float:
    """The lowest share of ``days`` fresh days still within sampling error of ``level``."""
    return level - Z_ONE_SIDED_5 * math.sqrt(level * (1 - level) / days)


def share_verdict(share: float, level: float, days: int) -> Verdict:
    """``share_of_days``: the verdict for a fresh met-share (see the module docstring)."""
    if share >= level - 1e-12:
        return "meets"
    if share >= share_floor(level, days) - 1e-12:
        return "within sampling error"
    return "MISSES"


def mean_verdict(target: SizingTarget, mean: float, sd: float, days: int, bound_met: bool,
                 ) -> Verdict:  # fmt: skip
    """``upper_ci_mean``: the verdict from the fresh mean, its sd and whether the fresh CI bound
    meets the target (see the module docstring)."""
    if bound_met:
        return "meets"
    half = Z_ONE_SIDED_5 * sd / math.sqrt(days)
    inside = mean - half <= target.value if target.op == "<=" else mean + half >= target.value
    return "within sampling error" if inside else "MISSES"


@dataclass(frozen=True)
class Check:
    """One target on the fresh days."""

    target: SizingTarget
    level: float
    share_met: float
    """Share of fresh days meeting the target (days without a sample meet it)."""
    mean: float
    """Mean of the KPI over the fresh days with a sample."""
    bound: float
    """The criterion's value on the fresh days: the one-sided ``level`` CI bound of the mean
    (upper for ``<=``) in ``upper_ci_mean``; the ``ceil(level·N)``-th best day in
    ``share_of_days``."""
    verdict: Verdict
    mode: str = "share_of_days"

    @property
    def fresh(self) -> float:
        """The value compared with the level: the share (share_of_days) or the CI bound."""
        return self.bound if self.mode == "upper_ci_mean" else self.share_met


@dataclass(frozen=True)
class Validation:
    """The chosen plan on fresh days."""

    seed: int
    days: int
    mode: str
    level: float
    checks: tuple[Check, ...]
    joint: Joint | None = None
    """Every target on the same fresh day (issue 19 item 1)."""
    simpy_days: int = 0
    """Fresh days re-run in SimPy (the days that decide the verdicts; all of them when SimPy
    differed from the screen there, :mod:`sim.event_sizing.verify`)."""

    @property
    def misses(self) -> list[Check]:
        """Targets significantly missed out of sample."""
        return [c for c in self.checks if c.verdict == "MISSES"]

    @property
    def passed(self) -> bool:
        """The fresh check passes: no target misses and (share_of_days) the joint share of days
        meeting every target is not significantly below the level."""
        if self.misses:
            return False
        return self.mode != "share_of_days" or self.joint is None or self.joint.verdict != "MISSES"


@dataclass(frozen=True)
class Joint:
    """The joint share of fresh days on which EVERY target holds (days without a sample meet a
    target, as in :func:`check`), with its two-sided 95 % Wilson interval."""

    met: int
    days: int
    level: float
    low: float
    high: float

    @property
    def share(self) -> float:
        """Share of fresh days meeting every target."""
        return self.met / self.days if self.days else math.nan

    @property
    def verdict(self) -> Verdict:
        """As for one ``share_of_days`` target (see the module docstring)."""
        return share_verdict(self.share, self.level, self.days)


def joint_check(targets: Sequence[SizingTarget], kpis: Mapping[str, np.ndarray], level: float,
                ) -> Joint:  # fmt: skip
    """Days meeting every target at once, with the Wilson interval (scipy, imported here so
    that importing the sizer stays light)."""
    from scipy.stats import binomtest

    ok = joint_met_days(targets, kpis)
    days, met = len(ok), int(ok.sum())
    if days == 0:
        return Joint(0, 0, level, math.nan, math.nan)
    ci = binomtest(met, days).proportion_ci(0.95, method="wilson")
    return Joint(met, days, level, float(ci.low), float(ci.high))


def check(target: SizingTarget, values: np.ndarray, crit: SizingCriterion) -> Check:
    """The verdict for one target from its KPI on each fresh day."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    sample = x[~np.isnan(x)]
    share = float(np.mean(met_days(target, x))) if n else math.nan
    mean = float(sample.mean()) if len(sample) else math.nan
    if len(sample) < 2:
        sd = 0.0
    else:  # a day that never served someone has an infinite KPI: the spread is unbounded
        sd = float(sample.std(ddof=1)) if np.isfinite(sample).all() else math.inf
    bound = crit.achieved(target, x)
    if crit.mode == "share_of_days":
        verdict = share_verdict(share, crit.confidence, n)
    else:
        verdict = mean_verdict(target, mean, sd, max(1, len(sample)), crit.met(target, x))
    return Check(target, crit.confidence, share, mean, bound, verdict, crit.mode)


def validate(ev: PlanEvaluator, counts: Mapping[str, Sequence[int]],
             targets: Sequence[SizingTarget], crit: SizingCriterion, days: int = DEFAULT_DAYS,
             ) -> Validation:  # fmt: skip
    """Run ``counts`` on ``days`` fresh days (seed :func:`fresh_seed` of the evaluator's seed)
    and judge every target: the screen (the SimPy model's times) on every fresh day, the days
    that decide the verdicts re-run in SimPy, and every day in SimPy if SimPy differs there
    (:meth:`PlanEvaluator.verified_fresh`; 200 SimPy days cost about a minute of CPU on a
    3,000-person launch day, issue 17)."""
    seed = fresh_seed(ev.seed)
    out, simpy_days = ev.verified_fresh(counts, seed, days)
    checks = tuple(check(t, out.kpis[t.kpi], crit) for t in targets)
    joint = joint_check(targets, out.kpis, crit.confidence)
    return Validation(seed, days, crit.mode, crit.confidence, checks, joint, simpy_days)


@dataclass(frozen=True)
class ServiceCheck:
    """A ratio post on the fresh days: share of days its sized people cover the crowd."""

    post: str
    level: float
    share_met: float
    days: int

    @property
    def verdict(self) -> Verdict:
        """As for a share_of_days target (see the module docstring)."""
        return share_verdict(self.share_met, self.level, self.days)


def validate_service(ev: PlanEvaluator, counts: Mapping[str, Sequence[int]],
                     service: Mapping[str, Sequence[int]], level: float, days: int,
                     ) -> list[ServiceCheck]:  # fmt: skip
    """The ratio posts on ``days`` fresh days (same fresh seed as :func:`validate`; the crowd
    from the vectorised screen, which gives the SimPy model's times; the same screened days
    as :func:`validate`'s)."""
    event = ev.scenario.event
    if event is None or not event.ratio_posts:
        return []
    times = ev.fresh_times(counts, fresh_seed(ev.seed), days)
    shares = ratio_met_share(event, times, ev.edges, {p: list(c) for p, c in service.items()})
    return [ServiceCheck(p, level, share, days) for p, share in shares.items()]
