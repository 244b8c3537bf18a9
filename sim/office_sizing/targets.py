"""Office sizing targets: ``--target`` parsing, the scenario's targets, the joint criterion.

A target is a :class:`~sim.event_sizing.targets.SizingTarget` on an office KPI (``lost_share``,
``wait_rep_p90``, ``calls_within_rings_share``, ``vip_wait_p90``, ``post.<post>.over_target``
…). ``share_of_days`` is *joint*: a day counts only if every target holds on it (the planner's
"all targets on the same day"); ``upper_ci_mean`` bounds each target's mean separately.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sim.core.schema import did_you_mean
from sim.domain.kpis import describe_kpi
from sim.event_sizing.targets import SizingCriterion, SizingTarget
from sim.scenario.office_targets import POST_TARGET_METRIC, office_kpi_keys
from sim.scenario.schema import Scenario

_TARGET = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(<=|>=)\s*(\S+)\s*$")


class OfficeTargetError(ValueError):
    """A ``--target`` that is not an office target."""


def parse_office_target(text: str) -> SizingTarget:
    """``KPI<=VALUE`` / ``KPI>=VALUE`` on an office KPI (shares as fractions: 0.03 = 3%)."""
    match = _TARGET.match(text)
    if not match:
        raise OfficeTargetError(f"'{text}' is not KPI<=VALUE or KPI>=VALUE "
                                "(e.g. lost_share<=0.03)")  # fmt: skip
    kpi, op, raw = match.groups()
    try:
        describe_kpi(kpi)
    except KeyError:
        raise OfficeTargetError(f"unknown office KPI '{kpi}'"
                                f"{did_you_mean(kpi, office_kpi_keys())}") from None  # fmt: skip
    try:
        value = float(raw)
    except ValueError:
        raise OfficeTargetError(f"'{raw}' is not a number (in '{text}')") from None
    if not math.isfinite(value):
        raise OfficeTargetError(f"the target value must be finite (in '{text}')")
    return SizingTarget(kpi, "<=" if op == "<=" else ">=", value)


def scenario_targets(scenario: Scenario, posts: Sequence[str]) -> list[SizingTarget]:
    """The scenario's ``office_sizing`` targets, plus one per staffed post when
    ``post_over_target_max`` is set (each post's response target, seed 003)."""
    spec = scenario.office_sizing
    if spec is None:
        return []
    out = [SizingTarget(t.kpi, t.op, t.value) for t in spec.targets]
    if spec.post_over_target_max is not None:
        named = {t.kpi for t in out}
        for post in posts:
            key = f"post.{post}.{POST_TARGET_METRIC}"
            if key not in named:
                out.append(SizingTarget(key, "<=", spec.post_over_target_max))
    return out


def day_meets(target: SizingTarget, x: np.ndarray) -> np.ndarray:
    """Per day: whether ``target`` holds (a day without a sample, NaN, holds)."""
    ok = x <= target.value + 1e-12 if target.op == "<=" else x >= target.value - 1e-12
    return np.asarray(ok | np.isnan(x), dtype=bool)


@dataclass(frozen=True)
class Judgement:
    """How a plan fares on some days: per target (achieved, margin) and the joint share."""

    targets: tuple[SizingTarget, ...]
    achieved: tuple[float, ...]
    margins: tuple[float, ...]
    joint_share: float
    met: bool

    def missed(self) -> list[SizingTarget]:
        """Targets whose own criterion fails (for share_of_days: share of days under level)."""
        return [t for t, m in zip(self.targets, self.margins, strict=True) if m < 0]


def judge(targets: Sequence[SizingTarget], values: Mapping[str, np.ndarray],
          crit: SizingCriterion) -> Judgement:  # fmt: skip
    """Judge one plan's per-day KPI values against every target."""
    n = len(next(iter(values.values()))) if values else 0
    every = np.ones(n, dtype=bool)
    achieved, margins = [], []
    for t in targets:
        x = values[t.kpi]
        every &= day_meets(t, x)
        achieved.append(crit.achieved(t, x))
        if crit.mode == "share_of_days":
            margins.append(float(day_meets(t, x).mean()) - crit.confidence)
        else:
            margins.append(crit.margin(t, x))
    joint = float(every.mean()) if n else 1.0
    if crit.mode == "share_of_days":
        met = joint >= crit.confidence - 1e-12
    else:
        met = all(m >= 0 for m in margins)
    return Judgement(tuple(targets), tuple(achieved), tuple(margins), joint, met)


def shortfall(j: Judgement, crit: SizingCriterion) -> float:
    """How far a plan is from meeting its targets (0 when met): the search's guide."""
    if crit.mode == "share_of_days":
        return max(0.0, crit.confidence - j.joint_share) + sum(max(0.0, -m) for m in j.margins)
    return sum(max(0.0, -m) / (abs(t.value) or 1.0)
               for t, m in zip(j.targets, j.margins, strict=True))  # fmt: skip
