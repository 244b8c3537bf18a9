"""Paired comparison of variants run with common random numbers.

Every variant of a comparison uses the same root seed and the same replication indices, so
replication *i* of each variant sees the same visitors (as far as the variants allow). The
difference of a KPI between a variant and the first (the base) is therefore taken per
replication, and its mean gets a Student-t interval over those paired differences: the
day-to-day noise common to both cancels, which makes the interval much narrower than the two
separate intervals suggest. A difference is *significant* when its interval excludes 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.core.stats import Estimate, estimate, t_p_value
from sim.domain.kpis import BY_KEY
from sim.experiment.runner import RunResult

if TYPE_CHECKING:
    import pandas as pd  # the notebook API only; imported when a frame is asked for


@dataclass(frozen=True)
class PairedDiff(Estimate):
    """Mean of the paired differences ``variant - base`` with its t-interval and p-value."""

    p_value: float = field(default=math.nan, kw_only=True)

    @property
    def significant(self) -> bool:
        """True when the interval excludes 0 (undefined intervals are never significant)."""
        if math.isnan(self.half_width):
            return False
        return self.low > 0 or self.high < 0


def paired_difference(
    base: Sequence[float], other: Sequence[float], level: float = 0.95
) -> PairedDiff:
    """Paired t-interval of ``other[i] - base[i]``; pairs where either value is not finite are
    dropped (a day without a sample for the KPI)."""
    if len(base) != len(other):
        raise ValueError(f"paired samples differ in length ({len(base)} and {len(other)})")
    # a pair with a non-finite value has a non-finite difference, which estimate() drops
    d = estimate(np.asarray(other, dtype=float) - np.asarray(base, dtype=float), level)
    p = t_p_value(d.mean, d.sd, d.n) if d.n > 1 else math.nan
    return PairedDiff(d.mean, d.half_width, d.n, d.sd, level, p_value=p)


@dataclass(frozen=True)
class Comparison:
    """Every KPI of every variant, and each variant's paired difference to the first."""

    labels: tuple[str, ...]
    seed: int
    replications: int
    estimates: dict[str, tuple[Estimate, ...]]  # kpi key -> one per variant
    diffs: dict[str, tuple[PairedDiff | None, ...]]  # kpi key -> None for the base
    level: float = 0.95

    @property
    def base(self) -> str:
        """The label of the variant every other is compared with."""
        return self.labels[0]

    def to_frame(self) -> pd.DataFrame:
        """One row per KPI and variant (index ``kpi``, ``variant``): Chinese and English
        label, unit, mean and 95% CI, and the paired difference to the first variant."""
        from sim.experiment.frames import comparison_frame

        return comparison_frame(comparison_rows(self))


def _check_paired(results: Sequence[RunResult]) -> None:
    first = results[0]
    indices = [d.replication for d in first.days]
    for r in results[1:]:
        if r.seed != first.seed:
            raise ValueError(f"variants use different seeds ({first.seed} and {r.seed})")
        if [d.replication for d in r.days] != indices:
            raise ValueError("variants do not share the same replication indices")


def compare(results: Sequence[RunResult], labels: Sequence[str], level: float = 0.95) -> Comparison:
    """Paired comparison of ``results`` (same seed, same replications) against ``results[0]``."""
    if not results or len(results) != len(labels):
        raise ValueError("need one label per result, and at least one result")
    if len(set(labels)) != len(labels):
        raise ValueError(f"variant labels must be unique: {list(labels)}")
    _check_paired(results)
    estimates: dict[str, tuple[Estimate, ...]] = {}
    diffs: dict[str, tuple[PairedDiff | None, ...]] = {}
    for key in results[0].days[0].kpis:
        per_day = [r.kpi_values(key) for r in results]
        estimates[key] = tuple(r.summary[key] for r in results)
        diffs[key] = (None, *(paired_difference(per_day[0], x, level) for x in per_day[1:]))
    first = results[0]
    return Comparison(tuple(labels), first.seed, first.replications, estimates, diffs, level)


def _num(x: float) -> float | None:
    return None if math.isnan(x) else x


def comparison_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """One flat row per KPI and variant (what ``comparison.csv`` holds)."""
    rows: list[dict[str, Any]] = []
    for key, ests in comparison.estimates.items():
        k = BY_KEY[key]
        for label, est, diff in zip(comparison.labels, ests, comparison.diffs[key], strict=True):
            row: dict[str, Any] = {
                "kpi": key, "zh": k.zh, "en": k.en, "unit": k.unit, "variant": label,
                "mean": _num(est.mean), "ci_low": _num(est.low), "ci_high": _num(est.high),
                "n": est.n, "diff_vs": comparison.base if diff else None,
                "diff_mean": _num(diff.mean) if diff else None,
                "diff_ci_low": _num(diff.low) if diff else None,
                "diff_ci_high": _num(diff.high) if diff else None,
                "diff_n": diff.n if diff else None,
                "diff_p_value": _num(diff.p_value) if diff else None,
                "significant": diff.significant if diff else None,
            }  # fmt: skip
            rows.append(row)
    return rows


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """The comparison as nested plain data (what ``--json`` prints)."""
    kpis: dict[str, Any] = {}
    for row in comparison_rows(comparison):
        entry = kpis.setdefault(
            row["kpi"],
            {"zh": row["zh"], "en": row["en"], "unit": row["unit"], "variants": {}, "diff": {}},
        )
        entry["variants"][row["variant"]] = {k: row[k] for k in ("mean", "ci_low", "ci_high", "n")}
        if row["diff_vs"] is not None:
            entry["diff"][row["variant"]] = {
                "mean": row["diff_mean"], "ci_low": row["diff_ci_low"],
                "ci_high": row["diff_ci_high"], "n": row["diff_n"],
                "p_value": row["diff_p_value"], "significant": row["significant"],
            }  # fmt: skip
    return {
        "base": comparison.base,
        "variants": list(comparison.labels),
        "seed": comparison.seed,
        "replications": comparison.replications,
        "confidence": comparison.level,
        "kpis": kpis,
    }
