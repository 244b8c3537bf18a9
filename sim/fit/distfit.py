"""Fit a service-time distribution to observed minutes with scipy.stats and choose by AIC.

The candidates are the kinds a scenario can hold (exponential, lognormal, triangular,
uniform), each fitted by maximum likelihood (``scipy.stats.<dist>.fit``; exponential and
lognormal with their location fixed at 0, as the scenario's kinds have none). The criterion is
Akaike's: AIC = 2k - 2 ln L, the smallest wins (k = number of fitted parameters). Each fit gets
a Kolmogorov-Smirnov test against the data (``scipy.stats.kstest``; with estimated parameters
its p-value is conservative, i.e. too high, so it flags only clear misfits). The chosen fit's
scenario parameters get 95% bootstrap intervals (percentile, resampling the observations).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

CANDIDATES = ("exponential", "lognormal", "triangular", "uniform")
BOOTSTRAP = 400
"""Resamples for the parameter intervals (enough for a 95% percentile interval's ends)."""


@dataclass(frozen=True)
class Fit:
    """One candidate's fit: scenario parameters, log-likelihood, AIC and the KS test."""

    kind: str
    params: dict[str, float]
    loglik: float
    k: int
    ks_stat: float
    ks_p: float

    @property
    def aic(self) -> float:
        """Akaike's information criterion, 2k - 2 ln L."""
        return 2 * self.k - 2 * self.loglik

    def spec(self) -> dict[str, Any]:
        """The scenario's distribution mapping, e.g. ``{dist: lognormal, mean: 35, sd: 15}``."""
        return {"dist": self.kind, **{k: round(float(v), 3) for k, v in self.params.items()}}


@dataclass(frozen=True)
class Choice:
    """All candidates (best first), the sample and the chosen fit's parameter intervals."""

    fits: tuple[Fit, ...]
    n: int
    sample_mean: float
    sample_sd: float
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def best(self) -> Fit:
        """The fit with the smallest AIC."""
        return self.fits[0]


def frozen_dist(kind: str, x: np.ndarray) -> tuple[Any, dict[str, float], int]:
    """The fitted scipy distribution, its scenario parameters and its parameter count."""
    from scipy import stats

    if kind == "exponential":
        loc, scale = stats.expon.fit(x, floc=0)
        return stats.expon(loc, scale), {"mean": scale}, 1
    if kind == "lognormal":
        s, loc, scale = stats.lognorm.fit(x, floc=0)
        mean = scale * math.exp(s * s / 2)
        return (
            stats.lognorm(s, loc, scale),
            {"mean": mean, "sd": mean * math.sqrt(math.expm1(s * s))},
            2,
        )
    if kind == "uniform":
        loc, scale = stats.uniform.fit(x)
        return stats.uniform(loc, scale), {"min": loc, "max": loc + scale}, 2
    c, loc, scale = stats.triang.fit(x)
    params = {"min": max(loc, 0.0), "mode": loc + c * scale, "max": loc + scale}
    return stats.triang(c, loc, scale), params, 3


def fit_one(kind: str, x: np.ndarray) -> Fit:
    """Maximum-likelihood fit of one candidate kind, with its AIC and KS test."""
    from scipy import stats

    dist, params, k = frozen_dist(kind, x)
    with np.errstate(divide="ignore"):
        loglik = float(np.sum(dist.logpdf(x)))
    ks = stats.kstest(x, dist.cdf)
    return Fit(kind, params, loglik, k, float(ks.statistic), float(ks.pvalue))


def _closed_form(kind: str, x: np.ndarray) -> dict[str, np.ndarray]:
    """Scenario parameters of ``kind`` for each row of resamples ``x`` (closed-form MLE)."""
    if kind == "exponential":
        return {"mean": x.mean(axis=1)}
    if kind == "lognormal":
        logs = np.log(x)
        mu, s2 = logs.mean(axis=1), logs.var(axis=1)
        mean = np.exp(mu + s2 / 2)
        return {"mean": mean, "sd": mean * np.sqrt(np.expm1(s2))}
    if kind == "uniform":
        return {"min": x.min(axis=1), "max": x.max(axis=1)}
    return {}  # triangular: no closed form; no interval


def intervals(kind: str, x: np.ndarray, seed: int = 0) -> dict[str, tuple[float, float]]:
    """95% percentile bootstrap intervals of the chosen kind's scenario parameters."""
    rng = np.random.default_rng(seed)
    resamples = x[rng.integers(0, len(x), size=(BOOTSTRAP, len(x)))]
    return {
        name: (float(np.quantile(v, 0.025)), float(np.quantile(v, 0.975)))
        for name, v in _closed_form(kind, resamples).items()
    }


def choose(values: np.ndarray | list[float], seed: int = 0) -> Choice:
    """Fit every candidate to the positive, finite values; best (smallest AIC) first."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x) & (x > 0)]
    if len(x) < 5:
        raise ValueError(f"needs at least 5 positive durations to fit, has {len(x)}")
    fits = sorted((fit_one(kind, x) for kind in CANDIDATES), key=lambda f: f.aic)
    return Choice(
        tuple(fits), len(x), float(x.mean()), float(x.std(ddof=1)), intervals(fits[0].kind, x, seed)
    )
