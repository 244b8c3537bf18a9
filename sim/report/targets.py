"""The targets a report answers: what the scenario asks for, and whether a run achieves it.

A scenario states targets in one of three places, read in this order:

- an event day: ``event.sizing.targets`` (``{kpi, op, value}``, what ``salesim size`` meets);
- an office day with an ``office_sizing:`` section: its ``targets`` and, when
  ``post_over_target_max`` is set, each staffed post's ``post.<post>.over_target``;
- otherwise the office's service standards (服务标准, ``targets:``): the P90 wait for a rep,
  for a VIP room and at a sample house within ``wait_for_rep_min``, ``vip_wait_min`` and
  ``sample_house_wait_min`` — nine groups in ten served within the standard.

Each target is judged on the mean over the simulated days and its 95% CI: met (达标) when the
whole interval is on the right side, borderline (临界) when the mean is but the interval
crosses the target, missed (未达标) when the mean is not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sim.core.stats import Estimate
from sim.experiment.runner import RunResult

Op = Literal["<=", ">="]
Status = Literal["met", "borderline", "missed", "unknown"]

STATUS_LABELS: dict[Status, tuple[str, str]] = {
    "met": ("达标", "met"),
    "borderline": ("临界", "borderline"),
    "missed": ("未达标", "missed"),
    "unknown": ("无数据", "no data"),
}
"""Status -> (Chinese, English)."""

_STANDARDS = (
    ("wait_rep_p90", "wait_for_rep_min"),
    ("vip_wait_p90", "vip_wait_min"),
    ("house_wait_p90", "sample_house_wait_min"),
)
"""Service standard -> the KPI it is judged on (the P90: nine groups in ten within it)."""


@dataclass(frozen=True)
class ReportTarget:
    """``kpi op value`` (e.g. ``wait_rep_p90 <= 5``) and the scenario field it comes from."""

    kpi: str
    op: Op
    value: float
    source: str

    def holds(self, x: float) -> bool:
        """Whether the value ``x`` meets the target."""
        return x <= self.value if self.op == "<=" else x >= self.value


@dataclass(frozen=True)
class TargetOutcome:
    """A target, the run's estimate of its KPI, and the judgement."""

    target: ReportTarget
    estimate: Estimate
    status: Status


def _spec_targets(specs: Iterable[Any], source: str) -> list[ReportTarget]:
    return [ReportTarget(s.kpi, s.op, float(s.value), source) for s in specs]


def scenario_targets(scenario: Any, keys: Iterable[str] = ()) -> list[ReportTarget]:
    """The scenario's targets (see the module doc); ``keys``: the run's KPI keys, for the
    per-post targets of ``office_sizing.post_over_target_max``."""
    if scenario.event is not None:
        return _spec_targets(scenario.event.sizing.targets, "event.sizing.targets")
    office = getattr(scenario, "office_sizing", None)  # the section exists from issue 19 on
    if office is not None:
        found = _spec_targets(office.targets, "office_sizing.targets")
        limit = getattr(office, "post_over_target_max", None)
        if limit is not None:
            named = {t.kpi for t in found}
            posts = sorted(k for k in keys if k.startswith("post.") and k.endswith(".over_target"))
            found += [ReportTarget(k, "<=", float(limit), "office_sizing.post_over_target_max")
                      for k in posts if k not in named]  # fmt: skip
        if found:
            return found
    standards = scenario.targets
    return [ReportTarget(kpi, "<=", float(getattr(standards, field)), f"targets.{field}")
            for kpi, field in _STANDARDS]  # fmt: skip


def judge(target: ReportTarget, est: Estimate, unbounded_days: int = 0) -> TargetOutcome:
    """Met, borderline, missed or unknown (no day measured the KPI); a KPI that was unbounded
    on some day (an event desk left groups unserved) misses an upper target."""
    if unbounded_days and target.op == "<=":
        return TargetOutcome(target, est, "missed")
    if est.n == 0 or math.isnan(est.mean):
        return TargetOutcome(target, est, "unknown")
    if not target.holds(est.mean):
        return TargetOutcome(target, est, "missed")
    far = est.high if target.op == "<=" else est.low
    sure = not math.isnan(far) and target.holds(far)
    return TargetOutcome(target, est, "met" if sure else "borderline")


def judge_run(result: RunResult, targets: Sequence[ReportTarget]) -> list[TargetOutcome]:
    """Every target judged on ``result`` (targets on KPIs the run does not have are left out)."""
    out = []
    for t in targets:
        if t.kpi not in result.summary:
            continue
        unbounded = sum(math.isinf(v) for v in result.kpi_values(t.kpi))
        out.append(judge(t, result.summary[t.kpi], unbounded))
    return out


def all_met(outcomes: Sequence[TargetOutcome]) -> bool:
    """True when no target is missed (borderline counts as met by the mean; a KPI no day
    measured, e.g. the VIP wait on days without a VIP request, misses nothing)."""
    return all(o.status != "missed" for o in outcomes)
