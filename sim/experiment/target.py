"""Sequential replications: run until a KPI's confidence interval is narrow enough, with a cap.

After the first ``n`` replications (the pilot), the half-width of the KPI's 95% interval is
compared with the target. While it is wider, the run grows to the size the current standard
deviation suggests (``n * (half_width / target)**2``), by at least ``max(10, n // 10)``
replications, never beyond the cap. Every decision depends only on replications ``0..n-1``,
which are fixed by the seed, so the stopping point is the same for any worker count.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sim.core.schema import did_you_mean
from sim.core.stats import Estimate, estimate
from sim.domain.kpis import BY_KEY, fixed_kpis

DEFAULT_CAP = 1000


def known_keys() -> list[str]:
    """The fixed KPI keys (catalogue, turns, mentoring, phones), for messages."""
    return [k.key for k in fixed_kpis()]


class TargetError(ValueError):
    """A target that cannot be used: a malformed text, or a KPI the scenario lacks."""


@dataclass(frozen=True)
class PrecisionTarget:
    """Stop when the 95% half-width of ``kpi`` is at most ``half_width`` (in the KPI's unit,
    or, if ``relative``, as a share of its mean), or at ``max_replications``."""

    kpi: str
    half_width: float
    relative: bool = False
    max_replications: int = DEFAULT_CAP

    def __post_init__(self) -> None:
        if self.kpi not in BY_KEY:
            raise TargetError(
                f"unknown KPI '{self.kpi}'{did_you_mean(self.kpi, known_keys())}; KPIs are "
                f"{', '.join(known_keys())}, and post.<post>.<metric> for a staffed post"
            )
        if not self.half_width > 0:
            raise TargetError(f"the target half-width must be positive, not {self.half_width}")
        if self.max_replications < 2:
            raise TargetError("the replication cap must be at least 2")

    def goal(self, est: Estimate) -> float:
        """The half-width to reach, in the KPI's unit."""
        return self.half_width * abs(est.mean) if self.relative else self.half_width

    def met(self, est: Estimate) -> bool:
        """Whether the interval is narrow enough."""
        return est.n >= 2 and est.half_width <= self.goal(est)

    def __str__(self) -> str:
        value = f"{100 * self.half_width:g}%" if self.relative else f"{self.half_width:g}"
        return f"{self.kpi}={value}"


def parse_target(text: str, max_replications: int = DEFAULT_CAP) -> PrecisionTarget:
    """``KPI=VALUE`` (absolute half-width) or ``KPI=VALUE%`` (relative to the mean)."""
    kpi, sep, value = text.partition("=")
    if not sep or not value.strip():
        raise TargetError(f"'{text}' is not KPI=VALUE (e.g. wait_rep_mean=0.5 or lost_share=10%)")
    value = value.strip()
    relative = value.endswith("%")
    try:
        number = float(value.rstrip("%"))
    except ValueError:
        raise TargetError(f"'{value}' is not a number (e.g. 0.5 or 10%)") from None
    half_width = number / 100 if relative else number
    return PrecisionTarget(kpi.strip(), half_width, relative, max_replications)


def next_size(target: PrecisionTarget, values: Sequence[float]) -> int | None:
    """How many replications to have next, given the target KPI's ``values`` over the
    replications so far, or ``None`` to stop (target met or cap reached)."""
    n = len(values)
    est = estimate(values)
    if target.met(est) or n >= target.max_replications:
        return None
    step = max(10, n // 10)
    goal = target.goal(est)
    wanted = n + step
    if est.n >= 2 and goal > 0 and math.isfinite(est.half_width):
        wanted = max(wanted, math.ceil(n * (est.half_width / goal) ** 2))
    return min(wanted, target.max_replications)
