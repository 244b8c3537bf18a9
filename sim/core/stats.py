"""Replication statistics: means with Student-t confidence intervals."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its confidence interval (``nan`` where undefined)."""

    mean: float
    half_width: float
    n: int
    sd: float
    level: float = 0.95

    @property
    def low(self) -> float:
        """Lower end of the interval."""
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        """Upper end of the interval."""
        return self.mean + self.half_width


def t_quantile(level: float, n: int) -> float:
    """Two-sided Student-t critical value for ``n`` observations."""
    # scipy.special's Student-t inverse is what scipy.stats.t.ppf evaluates; importing it alone
    # costs about a third of scipy.stats, which a run otherwise imports just for this.
    from scipy.special import stdtrit

    return float(stdtrit(n - 1, 0.5 + level / 2))


def t_p_value(mean: float, sd: float, n: int) -> float:
    """Two-sided p-value of a one-sample t-test of ``mean == 0`` (``n`` >= 2 values)."""
    if sd == 0:
        return 1.0 if mean == 0 else 0.0
    from scipy.special import stdtr  # t.sf(x, df) == stdtr(df, -x), as in scipy.stats

    return float(2 * stdtr(n - 1, -abs(mean) / (sd / math.sqrt(n))))


def estimate(values: Sequence[float], level: float = 0.95) -> Estimate:
    """Mean and t-interval of the finite values (a day with no sample for a KPI is skipped)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return Estimate(math.nan, math.nan, 0, math.nan, level)
    mean = float(x.mean())
    if n == 1:
        return Estimate(mean, math.nan, 1, math.nan, level)
    sd = float(x.std(ddof=1))
    return Estimate(mean, t_quantile(level, n) * sd / math.sqrt(n), n, sd, level)
