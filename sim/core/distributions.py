"""Service-time and patience distributions, as scenario values that can sample in batches.

All durations are in minutes. Each distribution draws a batch of values from a NumPy
generator; the model consumes them one by one (see :mod:`sim.core.rng`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from sim.core.schema import FieldError, NonNegative, Positive, StrictModel, TypeDoc


class Fixed(StrictModel):
    """Always the same duration (固定时长)."""

    dist: Literal["fixed"] = Field(description="kind selector: `fixed`")
    value: NonNegative = Field(description="the duration, minutes")

    def batch(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` values."""
        return np.full(n, self.value)

    def mean(self) -> float:
        """The distribution's mean."""
        return self.value


class Exponential(StrictModel):
    """Exponential with the given mean (指数分布; memoryless, used for queueing-theory checks)."""

    dist: Literal["exponential"] = Field(description="kind selector: `exponential`")
    mean_min: Positive = Field(alias="mean", description="mean duration, minutes")

    def batch(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` values."""
        return rng.standard_exponential(n) * self.mean_min

    def mean(self) -> float:
        """The distribution's mean."""
        return self.mean_min


class Lognormal(StrictModel):
    """Lognormal (对数正态) given by its mean and standard deviation, not the log-scale ones.

    Right-skewed: most durations near the mean, a few much longer; a good default for
    negotiation and patience.
    """

    dist: Literal["lognormal"] = Field(description="kind selector: `lognormal`")
    mean_min: Positive = Field(alias="mean", description="mean duration, minutes")
    sd: Positive = Field(description="standard deviation (标准差), minutes")

    def _log_params(self) -> tuple[float, float]:
        sigma2 = math.log1p((self.sd / self.mean_min) ** 2)
        return math.log(self.mean_min) - sigma2 / 2, math.sqrt(sigma2)

    def batch(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` values."""
        mu, sigma = self._log_params()
        return np.exp(mu + sigma * rng.standard_normal(n))

    def mean(self) -> float:
        """The distribution's mean."""
        return self.mean_min


class Triangular(StrictModel):
    """Triangular (三角分布) between ``min`` and ``max``, most likely ``mode``.

    The usual choice when a manager can say "at least 10, usually 15, at most 25 minutes".
    Needs min <= mode <= max and min < max.
    """

    dist: Literal["triangular"] = Field(description="kind selector: `triangular`")
    low: NonNegative = Field(alias="min", description="shortest duration, minutes")
    mode: NonNegative = Field(description="most likely duration (众数), minutes")
    high: Positive = Field(alias="max", description="longest duration, minutes")

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise FieldError(
                "triangular needs min <= mode <= max and min < max",
                value={"min": self.low, "mode": self.mode, "max": self.high},
            )
        return self

    def batch(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` values (inverse transform, one uniform per value)."""
        a, c, b = self.low, self.mode, self.high
        u = rng.random(n)
        split = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1 - u) * (b - a) * (b - c))
        return np.where(u < split, left, right)

    @classmethod
    def batch_many(
        cls, dists: Sequence[Triangular], rngs: Sequence[np.random.Generator], n: int
    ) -> list[np.ndarray]:
        """``n`` values of each distribution from its generator, as :meth:`batch` draws them
        (the same operations, value for value), in one transform for all: a day's first
        batches of its many triangular streams (speed, issue 17)."""
        u = np.concatenate([rng.random(n) for rng in rngs])

        def each(values: list[float]) -> np.ndarray:
            return np.repeat(np.array(values, dtype=float), n)

        a, c, b = (each([getattr(d, k) for d in dists]) for k in ("low", "mode", "high"))
        split = each([(d.mode - d.low) / (d.high - d.low) for d in dists])
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1 - u) * (b - a) * (b - c))
        out = np.where(u < split, left, right)
        return [out[i * n : (i + 1) * n] for i in range(len(dists))]

    def mean(self) -> float:
        """The distribution's mean."""
        return (self.low + self.mode + self.high) / 3


class Uniform(StrictModel):
    """Uniform (均匀分布) between ``min`` and ``max``; needs min < max."""

    dist: Literal["uniform"] = Field(description="kind selector: `uniform`")
    low: NonNegative = Field(alias="min", description="shortest duration, minutes")
    high: Positive = Field(alias="max", description="longest duration, minutes")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.low >= self.high:
            raise FieldError(
                "uniform needs min < max", value={"min": self.low, "max": self.high}
            )
        return self

    def batch(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` values."""
        return self.low + (self.high - self.low) * rng.random(n)

    def mean(self) -> float:
        """The distribution's mean."""
        return (self.low + self.high) / 2


class Empirical(StrictModel):
    """Resampled with equal weight from observed durations (经验分布, e.g. a timed week)."""

    dist: Literal["empirical"] = Field(description="kind selector: `empirical`")
    values: Annotated[list[NonNegative], Field(min_length=1)] = Field(
        description="observed durations, minutes: a list such as [12, 15, 9, 30]"
    )

    def batch(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` values."""
        data = np.asarray(self.values, dtype=float)
        return data[(rng.random(n) * len(data)).astype(np.int64)]

    def mean(self) -> float:
        """The distribution's mean."""
        return float(np.mean(self.values))


KINDS: dict[str, type[StrictModel]] = {
    "fixed": Fixed,
    "exponential": Exponential,
    "lognormal": Lognormal,
    "triangular": Triangular,
    "uniform": Uniform,
    "empirical": Empirical,
}
"""Every distribution kind by its ``dist`` name, in the order the docs present them."""

Distribution = Annotated[
    Fixed | Exponential | Lognormal | Triangular | Uniform | Empirical,
    Field(discriminator="dist"),
    TypeDoc("distribution", "a mapping with `dist:` one of " + ", ".join(KINDS)),
]
"""Any duration distribution; the ``dist`` key selects the kind."""
