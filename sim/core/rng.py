"""The run's random streams: one ``SeedSequence`` per replication, one child stream per name.

Streams are keyed by a stable hash of their name, so adding a stream never shifts another,
and a replication's streams do not depend on how many replications or workers there are.
Each stream feeds exactly one consumer, which draws in the same order whatever the policy or
staffing: that is what keeps common random numbers across variants.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache, partial
from itertools import chain, repeat
from typing import Any, Protocol, TypeVar, cast

import numpy as np

from sim.core.seeding import generator_of, state_words_block, stream_generator


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


T = TypeVar("T")
MakeGenerator = Callable[[], np.random.Generator]
Sampler = Callable[[], float]
"""A one-value-at-a-time draw from a stream: each call gives the stream's next value."""
RowSampler = Callable[[], Sequence[float]]
"""A row-at-a-time draw of uniforms (one row per visitor group)."""


def stream_key(name: str) -> int:
    """The stable spawn-key element of a named stream."""
    return zlib.crc32(name.encode("utf-8"))


_KNOWN: dict[int, None] = {}
"""The stream keys asked for so far in this process, in order (at most :data:`_MAX_KNOWN`):
a replication's first stream seeds them all at once (:func:`state_words_block`), the streams
of a day being, day after day, the same few dozen names (speed, issue 17)."""
_MAX_KNOWN = 512
_BLOCK = 64
"""Replications seeded together: a run's days come one after the other, and the keys' share
of the hashing, and NumPy's overhead, is then paid once for a block of them."""
_Block = tuple[np.ndarray, dict[int, int]]  # the words, and each key's row in them
_BLOCKS: dict[tuple[int, int, int], _Block] = {}
"""(seed, first replication of the block, keys known) -> the block's state words, read-only,
with the row of each key they were made for (at most :data:`_MAX_BLOCKS`, the latest kept;
4 x 64 x 512 keys x 32 bytes at most)."""
_MAX_BLOCKS = 4


def _day_words(seed: int, replication: int) -> tuple[np.ndarray, dict[int, int]]:
    """The state words of the known keys for one replication, one row per key, and each key's
    row, from the block of replications it belongs to."""
    first = replication - replication % _BLOCK
    block_key = (seed, first, len(_KNOWN))
    block = _BLOCKS.get(block_key)
    if block is None:
        keys = list(_KNOWN)  # the words and the rows from one list of keys
        words = state_words_block(seed, range(first, first + _BLOCK), keys)
        words.flags.writeable = False  # its rows seed generators: nobody may change them
        block = (words, {key: i for i, key in enumerate(keys)})
        if len(_BLOCKS) >= _MAX_BLOCKS:
            _BLOCKS.pop(next(iter(_BLOCKS), block_key), None)
        _BLOCKS[block_key] = block
    return block[0][replication - first], block[1]


class Streams:
    """Named, independent generators for one replication of one run."""

    def __init__(self, seed: int, replication: int) -> None:
        self.seed = int(seed)  # a NumPy integer would overflow in the seed hashing
        self.replication = int(replication)
        self._words: np.ndarray | None = None  # a row per known key, made at the first stream
        self._rows: dict[int, int] = {}  # each key's row in them
        # samplers of a kind that draws many streams at once, not yet drawn from, by kind
        self._joint: dict[type, list[_Pending]] = {}

    def generator(self, name: str) -> np.random.Generator:
        """A fresh generator for stream ``name`` (the same name always gives the same stream):
        ``default_rng(SeedSequence(seed, spawn_key=(replication, key)))``, the seed's and the
        replication's share of the hashing done once."""
        key = stream_key(name)
        words = self._words
        if words is None:
            if not _KNOWN or self.replication < 0:  # nothing to seed ahead (or refused below)
                return self._new_stream(key)
            words, self._rows = _day_words(self.seed, self.replication)
            self._words = words
        at = self._rows.get(key)
        if at is None:  # a stream this day has not seeded before
            return self._new_stream(key)
        return generator_of(words[at])

    def _new_stream(self, key: int) -> np.random.Generator:
        if len(_KNOWN) < _MAX_KNOWN:
            _KNOWN[key] = None
        return stream_generator(self.seed, self.replication, key)

    def sampler(self, name: str, dist: BatchSampler) -> Sampler:
        """A one-value-at-a-time sampler over stream ``name`` (a constant needs no stream)."""
        # the kind first: a missing attribute of a scenario model costs an exception
        if getattr(dist, "dist", None) == "fixed":
            value = getattr(dist, "value", None)
            if isinstance(value, float | int):
                return repeat(float(value)).__next__
        make = partial(self.generator, name)
        if not hasattr(type(dist), "batch_many"):
            return _drawn_one_by_one(_batches(dist, make))
        group = self._joint.setdefault(type(dist), [])
        pending = _Pending(dist, make)
        group.append(pending)
        return _drawn_one_by_one(_joint_batches(pending, group))

    def uniforms(self, name: str, width: int) -> RowSampler:
        """Rows of ``width`` uniforms from stream ``name`` (one row per visitor group)."""
        return _drawn_one_by_one(_row_batches(partial(self.generator, name), width))


# A sampler is the ``__next__`` of a C iterator over the stream's batches, one after the
# other: a value costs no Python call, where a sampler object's ``__call__`` cost one per
# value, a dozen per visitor group (speed, issue 17). The batches are vectorised draws; the
# stream's generator is made at the first draw (a day makes a sampler for every stream it
# might use, and seeding one costs more than a dozen draws), or, for a kind drawn jointly
# (JointSampler), at the first draw from any sampler of that kind on the streams. The values
# do not depend on the batch sizes: NumPy draws a batch value by value from the stream,
# elementwise. A batch is kept as an ``array('d')``, not a list: the same doubles, a Python
# float made only for a value drawn, and nothing for the garbage collector to walk (a day's
# batches are some thousands of values, most of a pass over the day's objects; speed,
# issue 17).


def _drawn_one_by_one(batches: Iterator[Iterable[T]]) -> Callable[[], T]:
    return chain.from_iterable(batches).__next__


def _batches(
    dist: BatchSampler, make: MakeGenerator, first: np.ndarray | None = None,
) -> Iterator[Iterable[float]]:  # fmt: skip
    """The values of one stream, batch by batch (from :data:`_FIRST_BATCH` up to
    :data:`_MAX_BATCH` values), each batch an ``array('d')`` (a Python float when drawn);
    ``first``: its first batch, drawn already."""
    rng, size = make(), _FIRST_BATCH
    while True:
        values = dist.batch(rng, size) if first is None else first
        first = None
        # a batch of another type than float64 (none of the scenario's): its own values
        yield array("d", values.tobytes()) if values.dtype == np.float64 else values.tolist()
        size = min(size * 2, _MAX_BATCH)


class JointSampler(BatchSampler, Protocol):
    """A distribution that also draws the first batches of many streams at once."""

    @classmethod
    def batch_many(
        cls, dists: Sequence[Any], rngs: Sequence[np.random.Generator], n: int
    ) -> list[np.ndarray]:  # pragma: no cover
        """``[d.batch(rng, n) for d, rng in zip(dists, rngs)]``, value for value."""
        ...


class _Pending:
    """A sampler of a :class:`JointSampler` kind whose stream has not been drawn from yet:
    its first batch is drawn with those of every other such sampler of the day at the first
    draw from any of them (one vectorised transform for all, where NumPy's overhead per call
    was most of each first batch; speed, issue 17)."""

    __slots__ = ("dist", "first", "make", "rng")

    def __init__(self, dist: BatchSampler, make: MakeGenerator) -> None:
        self.dist = dist
        self.make = make
        self.first: np.ndarray | None = None
        self.rng: np.random.Generator | None = None


def _draw_jointly(group: list[_Pending]) -> None:
    """The first batch of every sampler in ``group`` (then emptied), drawn together. A
    validated distribution cannot fail here; if one did, every sampler of the group would
    raise at its first draw."""
    kind = cast(type[JointSampler], type(group[0].dist))
    rngs = [p.make() for p in group]
    firsts = kind.batch_many([p.dist for p in group], rngs, _FIRST_BATCH)
    for p, rng, first in zip(group, rngs, firsts, strict=True):
        p.rng, p.first = rng, first
    group.clear()


def _joint_batches(pending: _Pending, group: list[_Pending]) -> Iterator[Iterable[float]]:
    """:func:`_batches` of a :class:`JointSampler` waiting in ``group`` (the samplers of its
    kind not drawn from yet), its first batch drawn jointly. Until then ``pending`` refers,
    through its ``make``, to the streams that hold ``group``: a cycle that
    :meth:`sim.office.day.OfficeModel.dispose` breaks for a sampler never drawn from."""
    if pending.first is None:
        _draw_jointly(group)
    rng, first = pending.rng, pending.first
    pending.rng = pending.first = None
    yield from _batches(pending.dist, lambda: cast(np.random.Generator, rng), first)


def _row_batches(make: MakeGenerator, width: int) -> Iterator[Iterable[array[float]]]:
    """Rows of ``width`` uniforms, batch by batch (32 up to :data:`_MAX_ROWS` rows), each row
    an ``array('d')`` cut from its batch when drawn."""
    rng, rows = make(), 32
    while True:
        flat = array("d", rng.random((rows, width)).tobytes())
        yield map(flat.__getitem__, _row_slices(rows, width))
        rows = min(rows * 2, _MAX_ROWS)


@cache
def _row_slices(rows: int, width: int) -> tuple[slice, ...]:
    return tuple(slice(i * width, (i + 1) * width) for i in range(rows))
