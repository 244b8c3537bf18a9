"""Service-time and patience distributions, as scenario values that can sample in batches.

All durations are in minutes. Each distribution draws a batch of values from a NumPy
generator; the model consumes them one by one (see :mod:`sim.rng`).
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from sim.scenario.base import StrictModel

Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]


class Fixed(StrictModel):
    """Always the same duration."""

    dist: Literal["fixed"]
    value: NonNegative

    def batch(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` values."""
        return np.full(n, self.value)

    def mean(self) -> float:
        """The distribution's mean."""
        return self.value


class Exponential(StrictModel):
    """Exponential with the given mean (memoryless; used for queueing-theory checks)."""

    dist: Literal["exponential"]
    mean_min: Positive = Field(alias="mean")

    def batch(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` values."""
        return rng.standard_exponential(n) * self.mean_min

    def mean(self) -> float:
        """The distribution's mean."""
        return self.mean_min


class Lognormal(StrictModel):
    """Lognormal given by its mean and standard deviation (not the log-scale parameters)."""

    dist: Literal["lognormal"]
    mean_min: Positive = Field(alias="mean")
    sd: Positive

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
    """Triangular between ``min`` and ``max`` with the most likely value ``mode``."""

    dist: Literal["triangular"]
    low: NonNegative = Field(alias="min")
    mode: NonNegative
    high: Positive = Field(alias="max")

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError(
                f"triangular needs min <= mode <= max and min < max "
                f"(got min={self.low}, mode={self.mode}, max={self.high})"
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

    def mean(self) -> float:
        """The distribution's mean."""
        return (self.low + self.mode + self.high) / 3


class Uniform(StrictModel):
    """Uniform between ``min`` and ``max``."""

    dist: Literal["uniform"]
    low: NonNegative = Field(alias="min")
    high: Positive = Field(alias="max")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.low >= self.high:
            raise ValueError(f"uniform needs min < max (got min={self.low}, max={self.high})")
        return self

    def batch(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` values."""
        return self.low + (self.high - self.low) * rng.random(n)

    def mean(self) -> float:
        """The distribution's mean."""
        return (self.low + self.high) / 2


class Empirical(StrictModel):
    """Resampled with equal weight from observed durations (e.g. a timed week at the office)."""

    dist: Literal["empirical"]
    values: Annotated[list[NonNegative], Field(min_length=1)]

    def batch(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` values."""
        data = np.asarray(self.values, dtype=float)
        return data[(rng.random(n) * len(data)).astype(np.int64)]

    def mean(self) -> float:
        """The distribution's mean."""
        return float(np.mean(self.values))


Distribution = Annotated[
    Fixed | Exponential | Lognormal | Triangular | Uniform | Empirical,
    Field(discriminator="dist"),
]
"""Any duration distribution; the ``dist`` key selects the kind."""
