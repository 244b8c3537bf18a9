"""The streams' seeding (:mod:`sim.core.seeding`) gives NumPy's own states and draws: the
words of ``SeedSequence(seed, spawn_key=(replication, key))`` and the generator that
``default_rng`` builds from it, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.rng import Streams, stream_key
from sim.core.seeding import (
    generator_of,
    state_words,
    state_words_block,
    stream_generator,
)


def numpy_words(seed: int, replication: int, key: int) -> list[int]:
    """NumPy's own state words, the reference."""
    seq = np.random.SeedSequence(seed, spawn_key=(replication, key))
    return [int(w) for w in seq.generate_state(4, np.uint64)]


EDGES = [
    (0, 0, 0), (1, 2, 3), (2**32 - 1, 0, 2**32 - 1), (2**32, 1, 7), (2**64 + 3, 2**32, 5),
    (2**130 + 5, 2**33 + 1, 12345), (123456, 0, 2**32), (5, 5, 2**70),
]  # fmt: skip


@pytest.mark.parametrize(("seed", "replication", "key"), EDGES)
def test_edge_words_equal_numpys(seed: int, replication: int, key: int) -> None:
    """One-word and many-word seeds, replications and keys (the hashing takes each as
    little-endian 32-bit words)."""
    assert state_words(seed, replication, key) == numpy_words(seed, replication, key)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    seed=st.one_of(st.integers(0, 2**32 - 1), st.integers(0, 2**140)),
    replication=st.integers(0, 100_000),
    key=st.integers(0, 2**32 - 1),
)
def test_random_words_equal_numpys(seed: int, replication: int, key: int) -> None:
    assert state_words(seed, replication, key) == numpy_words(seed, replication, key)


def test_the_generators_draw_what_default_rng_draws() -> None:
    for name in ("walk_in.attributes", "post.gate.task", "phone.arrivals"):
        ours = Streams(np.int64(7), np.int64(3)).generator(name)  # NumPy ints too
        seq = np.random.SeedSequence(7, spawn_key=(3, stream_key(name)))
        theirs = np.random.default_rng(seq)
        assert np.array_equal(ours.random(1000), theirs.random(1000))
        assert np.array_equal(ours.exponential(2.0, 100), theirs.exponential(2.0, 100))
        assert ours.bit_generator.state == theirs.bit_generator.state


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    seed=st.one_of(st.integers(0, 2**32 - 1), st.integers(0, 2**140)),
    replication=st.integers(0, 2**40),
    keys=st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=40),
)
def test_many_keys_at_once_give_each_keys_words(seed: int, replication: int,
                                                keys: list[int]) -> None:  # fmt: skip
    """The vectorised seeding of a day's streams, row by row, is :func:`state_words`."""
    rows = state_words_block(seed, (replication,), keys)[0]
    assert [[int(w) for w in row] for row in rows] == [
        state_words(seed, replication, k) for k in keys
    ]


def test_streams_seen_before_are_seeded_together_and_still_numpys() -> None:
    """A replication's first stream seeds every stream the process has asked for before, at
    once; each is still ``default_rng``'s generator, whichever replication asks first."""
    names = ("walk_in.attributes", "post.gate.task", "phone.arrivals", "a.new.stream")
    for replication in (11, 12):  # the first learns the names, the second seeds them together
        streams = Streams(5, replication)
        for name in reversed(names) if replication == 12 else names:
            seq = np.random.SeedSequence(5, spawn_key=(replication, stream_key(name)))
            theirs = np.random.default_rng(seq)
            ours = streams.generator(name)
            assert ours.bit_generator.state == theirs.bit_generator.state
            assert np.array_equal(ours.random(50), theirs.random(50))


def test_days_seeded_a_block_at_a_time_are_each_numpys() -> None:
    """Days seeded from a block of replications (the block's first, last, the next block's
    first, and days in any order) each get ``default_rng``'s generators."""
    names = ("walk_in.attributes", "post.gate.task")
    Streams(9, 0).generator(names[0])  # the keys are known before the days below
    Streams(9, 0).generator(names[1])
    for replication in (127, 64, 63, 0, 128, 2**32 - 1, 2**32):
        streams = Streams(9, replication)
        for name in names:
            seq = np.random.SeedSequence(9, spawn_key=(replication, stream_key(name)))
            theirs = np.random.default_rng(seq)
            assert streams.generator(name).bit_generator.state == theirs.bit_generator.state


def test_a_block_of_replications_is_each_replications_rows() -> None:
    """The rows seeded for a block of replications are each replication's own, also where
    the block crosses from one-word to two-word replications."""
    keys = [1, 7, 2**32 - 1]
    replications = [0, 1, 2**32 - 1, 2**32]
    block = state_words_block(3, replications, keys)
    for r, replication in enumerate(replications):
        assert [[int(w) for w in row] for row in block[r]] == [
            state_words(3, replication, k) for k in keys
        ]


def test_seeded_words_are_read_only_and_other_arrays_are_converted() -> None:
    """A day's row of seeded words goes to PCG64 as it is, so nobody may change it; words
    in any other array (another integer type) are converted, as a list of ints is."""
    Streams(2, 70).generator("walk_in.attributes")  # a key known before the day below
    seeded = Streams(2, 71).generator("walk_in.attributes")  # from a block of days
    row = seeded.bit_generator.seed_seq.generate_state(4, np.uint64)
    assert not row.flags.writeable
    plain = generator_of([1, 2, 3, 4]).bit_generator.state
    for array in (np.array([1, 2, 3, 4], dtype=np.int32), np.array([1, 2, 3, 4], dtype=np.int64)):
        assert generator_of(array).bit_generator.state == plain


def test_a_negative_seed_is_refused_as_numpy_refuses_it() -> None:
    with pytest.raises(ValueError):
        np.random.SeedSequence(-1, spawn_key=(0, 0))
    with pytest.raises(ValueError, match="non-negative"):
        stream_generator(-1, 0, 0)
