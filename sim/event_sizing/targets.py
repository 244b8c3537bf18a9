"""Sizing targets (``KPI<=VALUE``) and the two ways a target must hold over replicated days.

- ``share_of_days``: the KPI meets the target on at least ``confidence`` of the days. The
  *achieved* value is the ``ceil(confidence * n)``-th best day (for ``<=``: that many days are
  at or below it), so the target holds exactly when the achieved value meets it.
- ``upper_ci_mean``: the one-sided ``confidence`` bound of the KPI's mean (upper for ``<=``,
  lower for ``>=``; Student t over the days with a sample) meets the target.

In ``share_of_days`` the targets must also hold together: at least ``confidence`` of the days
meet EVERY target (:meth:`SizingCriterion.joint_met`), the claim the fresh-day check judges
(:mod:`sim.event_sizing.validate`). Targets each met on 95 of 100 days but on different days
left a plan that every target alone passed and the day as a whole did not, which the fresh
check then sent back for a further search round on twice the days (issue 17).

The margin is how far the achieved value is on the good side of the target (negative: missed).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from sim.core.schema import did_you_mean
from sim.core.stats import t_quantile
from sim.domain.kpis import event_kpi_keys, split_key

Mode = Literal["share_of_days", "upper_ci_mean"]
MODES: tuple[Mode, ...] = ("share_of_days", "upper_ci_mean")


class TargetSyntaxError(ValueError):
    """A ``--target`` text that cannot be used."""


@dataclass(frozen=True)
class SizingTarget:
    """What ``salesim size`` must reach: an event KPI ``kpi op value``, e.g.
    ``sign_in_wait_p90 <= 10`` (how it must hold over the days: :class:`SizingCriterion`)."""

    kpi: str
    op: Literal["<=", ">="]
    value: float

    def __str__(self) -> str:
        return f"{self.kpi}{self.op}{self.value:g}"

    @property
    def post(self) -> str | None:
        """The desk this target is about (``sign_in`` for ``sign_in_wait_p90``), or ``None``
        for an event-wide KPI."""
        found = split_key(self.kpi)
        return found[0] if found else None


JOINT_KPI = "every_target_same_day"
"""The pseudo-KPI of the joint share (share of days meeting every target at once): the
evidence of a plan that misses only jointly (:meth:`SizingCriterion.joint_target`)."""


def met_days(target: SizingTarget, values: np.ndarray) -> np.ndarray:
    """Per day: whether ``values`` meets ``target`` that day (a day without a sample meets
    it; a group never served makes a wait infinite, which misses a ``<=`` target)."""
    x = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        ok: np.ndarray = (x <= target.value) if target.op == "<=" else (x >= target.value)
    out: np.ndarray = ok | np.isnan(x)
    return out


def joint_met_days(targets: Sequence[SizingTarget], kpis: Mapping[str, np.ndarray],
                   ) -> np.ndarray:  # fmt: skip
    """Per day: whether every one of ``targets`` is met that day (:func:`met_days`)."""
    days = len(next(iter(kpis.values()))) if kpis else 0
    ok = np.ones(days, dtype=bool)
    for t in targets:
        ok &= met_days(t, kpis[t.kpi])
    return ok


_TARGET = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=)\s*(\S+)\s*$")


def parse_target(text: str) -> SizingTarget:
    """``KPI<=VALUE`` or ``KPI>=VALUE`` (an event KPI key; see docs/events-and-sizing.md)."""
    match = _TARGET.match(text)
    if not match:
        raise TargetSyntaxError(f"'{text}' is not KPI<=VALUE or KPI>=VALUE "
                                "(e.g. sign_in_wait_p90<=10)")  # fmt: skip
    kpi, op, raw = match.groups()
    keys = event_kpi_keys()
    if kpi not in keys:
        raise TargetSyntaxError(f"unknown event KPI '{kpi}'{did_you_mean(kpi, keys)}")
    try:
        value = float(raw)
    except ValueError:
        raise TargetSyntaxError(f"'{raw}' is not a number (in '{text}')") from None
    if not math.isfinite(value):
        raise TargetSyntaxError(f"the target value must be finite (in '{text}')")
    return SizingTarget(kpi, "<=" if op == "<=" else ">=", value)


@dataclass(frozen=True)
class SizingCriterion:
    """How every sizing target must hold over replicated days: ``mode`` at ``confidence``."""

    mode: Mode
    confidence: float
    joint_level: float | None = None
    """The level of the joint share (share_of_days; default ``confidence``): a further search
    round holds each target at a stricter level and the joint share at the stated one."""

    def achieved(self, target: SizingTarget, values: np.ndarray) -> float:
        """The value that is compared with the target (see the module docstring). A day
        without a sample (``nan``) meets the target (share_of_days) or is left out of the mean
        (upper_ci_mean; no day with a sample: met), as in :func:`sim.event_sizing.validate.check`;
        an infinite value (a group never served) misses it."""
        x = np.asarray(values, dtype=float)
        good = -math.inf if target.op == "<=" else math.inf
        if self.mode == "share_of_days":
            x = np.where(np.isnan(x), good, x)  # no sample: met
            k = max(1, math.ceil(self.confidence * len(x) - 1e-9))
            ordered = np.sort(x) if target.op == "<=" else -np.sort(-x)
            return float(ordered[k - 1])
        x = x[~np.isnan(x)]
        n = len(x)
        if n == 0:
            return good
        if not np.isfinite(x).all():
            return -good
        # one-sided ``confidence`` quantile = two-sided at 2·confidence - 1
        half = t_quantile(2 * self.confidence - 1, n) * float(x.std(ddof=1)) / math.sqrt(n)
        return float(x.mean() + half) if target.op == "<=" else float(x.mean() - half)

    def margin(self, target: SizingTarget, values: np.ndarray) -> float:
        """How far the achieved value is inside the target (negative when it is missed)."""
        got = self.achieved(target, values)
        return target.value - got if target.op == "<=" else got - target.value

    def met(self, target: SizingTarget, values: np.ndarray) -> bool:
        """Whether the target holds over these days."""
        return self.margin(target, values) >= 0

    def failures_allowed(self, n: int, level: float | None = None) -> int:
        """Days that may miss a target (share_of_days) out of ``n`` (at ``level``, default
        ``confidence``)."""
        return n - max(1, math.ceil((level or self.confidence) * n - 1e-9))

    @property
    def joint_at(self) -> float:
        """The level of the joint share."""
        return self.joint_level or self.confidence

    def excess(self, targets: Sequence[SizingTarget], kpis: Mapping[str, np.ndarray],
               days: int) -> int:  # fmt: skip
        """share_of_days: failing days beyond those allowed out of ``days`` (the kpis may
        cover fewer: SimPy's early stop), the most of any target's and of the joint share's
        (days missing some target); 0 when every one is within its allowance."""
        worst = 0
        for t in targets:
            missing = int((~met_days(t, kpis[t.kpi])).sum())
            worst = max(worst, missing - self.failures_allowed(days))
        if self.joint(targets):
            worst = max(worst, self._joint_excess(targets, kpis, days))
        return worst

    def _joint_excess(self, targets: Sequence[SizingTarget], kpis: Mapping[str, np.ndarray],
                      days: int) -> int:  # fmt: skip
        """Days missing some target beyond those the joint share allows out of ``days``."""
        missing = int((~joint_met_days(targets, kpis)).sum())
        return missing - self.failures_allowed(days, self.joint_at)

    def joint(self, targets: Sequence[SizingTarget]) -> bool:
        """Whether ``targets`` must also hold together (share_of_days, two or more)."""
        return self.mode == "share_of_days" and len(targets) > 1

    def joint_met(self, targets: Sequence[SizingTarget], kpis: Mapping[str, np.ndarray],
                  ) -> bool:  # fmt: skip
        """Whether enough days meet every target at once (always, where :meth:`joint` is
        false): at most :meth:`failures_allowed` days (at :attr:`joint_at`) miss one of them."""
        days = len(next(iter(kpis.values()))) if kpis else 0
        return not self.joint(targets) or self._joint_excess(targets, kpis, days) <= 0

    def joint_target(self) -> SizingTarget:
        """The joint share as a target (``every_target_same_day >= level``): the evidence of
        a plan that misses only jointly."""
        return SizingTarget(JOINT_KPI, ">=", self.joint_at)
