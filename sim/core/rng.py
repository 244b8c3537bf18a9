"""The run's random streams: one ``SeedSequence`` per replication, one child stream per name.

Streams are keyed by a stable hash of their name, so adding a stream never shifts another,
and a replication's streams do not depend on how many replications or workers there are.
Each stream feeds exactly one consumer, which draws in the same order whatever the policy or
staffing: that is what keeps common random numbers across variants.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import partial
from typing import Protocol

import numpy as np

from sim.core.seeding import stream_generator


class BatchSampler(Protocol):
    """Anything that draws a batch of values from a generator (see scenario distributions)."""

    def batch(self, rng: np.random.Generator, n: int) -> np.ndarray:  # pragma: no cover
        """Draw ``n`` values."""
        ...


# Batches grow (rows from 32, values from _FIRST_BATCH) to these caps: big enough to amortise
# NumPy's call overhead, small enough that the buffered Python floats stay a fraction of a bare
# SimPy run's memory.
_MAX_BATCH = 512
_MAX_ROWS = 128
_FIRST_BATCH = 128
"""A sampler's first batch: most streams of a day draw 30-200 values, and a batch of 128 costs
little more than one of 32 (speed, issue 17). The values do not depend on the batch sizes:
NumPy draws a batch value by value from the stream, and the transforms are elementwise."""


MakeGenerator = Callable[[], np.random.Generator]


def _generator_or_maker(
    rng: np.random.Generator | MakeGenerator,
) -> tuple[np.random.Generator | None, MakeGenerator]:
    """A generator now, or none yet and the function that makes it at the first draw."""
    if isinstance(rng, np.random.Generator):
        return rng, partial(_same, rng)
    return None, rng


def _same(rng: np.random.Generator) -> np.random.Generator:
    return rng


def stream_key(name: str) -> int:
    """The stable spawn-key element of a named stream."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """Named, independent generators for one replication of one run."""

    def __init__(self, seed: int, replication: int) -> None:
        self.seed = int(seed)  # a NumPy integer would overflow in the seed hashing
        self.replication = int(replication)

    def generator(self, name: str) -> np.random.Generator:
        """A fresh generator for stream ``name`` (the same name always gives the same stream)."""
        # default_rng(SeedSequence(seed, spawn_key=(replication, key))), the seed's and the
        # replication's share of the hashing done once (a day seeds ~30 streams)
        return stream_generator(self.seed, self.replication, stream_key(name))

    def sampler(self, name: str, dist: BatchSampler) -> Sampler | Constant:
        """A one-value-at-a-time sampler over stream ``name`` (a constant needs no stream)."""
        # the kind first: a missing attribute of a scenario model costs an exception
        if getattr(dist, "dist", None) == "fixed":
            value = getattr(dist, "value", None)
            if isinstance(value, float | int):
                return Constant(float(value))
        return Sampler(dist, partial(self.generator, name))

    def uniforms(self, name: str, width: int) -> RowSampler:
        """Rows of ``width`` uniforms from stream ``name`` (one row per visitor group)."""
        return RowSampler(partial(self.generator, name), width)


class Constant:
    """A 'sampler' of a fixed duration: no stream, no buffer."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = value

    def __call__(self) -> float:
        """The constant."""
        return self.value


class Sampler:
    """Draws values one at a time from batches (vectorised draws, cheap per-value access).

    The stream's generator is made at the first draw: a day makes a sampler for every stream
    it might use, and seeding one costs more than a dozen draws (speed, issue 17). A batch is
    kept reversed, so a value is one ``list.pop`` (speed, issue 17)."""

    __slots__ = ("_buffer", "_dist", "_make", "_next_size", "_rng")

    def __init__(self, dist: BatchSampler, rng: np.random.Generator | MakeGenerator) -> None:
        self._dist = dist
        self._rng, self._make = _generator_or_maker(rng)
        self._buffer: list[float] = []
        self._next_size = _FIRST_BATCH

    def __call__(self) -> float:
        """The next value of the stream."""
        try:
            return self._buffer.pop()
        except IndexError:
            self._refill()
            return self._buffer.pop()

    def _refill(self) -> None:
        if self._rng is None:
            self._rng = self._make()
        buffer = self._dist.batch(self._rng, self._next_size).tolist()
        buffer.reverse()
        self._buffer = buffer
        self._next_size = min(self._next_size * 2, _MAX_BATCH)


class RowSampler:
    """Rows of uniforms, drawn in batches; row ``k`` is the same whatever is done with it."""

    __slots__ = ("_buffer", "_make", "_next_size", "_rng", "_width")

    def __init__(self, rng: np.random.Generator | MakeGenerator, width: int) -> None:
        self._rng, self._make = _generator_or_maker(rng)  # made at the first draw
        self._width = width
        self._buffer: list[list[float]] = []
        self._next_size = 32

    def __call__(self) -> list[float]:
        """The next row."""
        try:
            return self._buffer.pop()
        except IndexError:
            self._refill()
            return self._buffer.pop()

    def _refill(self) -> None:
        if self._rng is None:
            self._rng = self._make()
        buffer = self._rng.random((self._next_size, self._width)).tolist()
        buffer.reverse()
        self._buffer = buffer
        self._next_size = min(self._next_size * 2, _MAX_ROWS)
