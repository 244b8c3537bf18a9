"""The state words of ``SeedSequence(seed, spawn_key=(replication, key))``, computed without
building a ``SeedSequence`` for every stream.

A day seeds about thirty named streams, and NumPy's ``SeedSequence`` plus ``default_rng``
cost about 23 us each, more than the draws of a whole stream on a quiet day (speed, issue 17).
A ``SeedSequence`` hashes its entropy words in order (O'Neill's ``seed_seq`` alternative, as
NumPy implements it), so the work on the seed is the same for every stream of a run and the
work on the replication the same for every stream of a day: both are done once and kept, and
a stream only mixes in its own key and draws its state. The words are those of NumPy's
algorithm exactly (``tests/test_seeding.py`` compares them with NumPy's own over many seeds,
replications and keys, and the generators' draws with ``default_rng``'s).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, cast

import numpy as np
from numpy.random.bit_generator import ISeedSequence

_MASK = 0xFFFFFFFF
_POOL = 4  # NumPy's default pool size (words)
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_SHIFT = 16

_Pool = tuple[tuple[int, ...], int]  # the pool words and the hash constant after them


def _words(n: int) -> list[int]:
    """An int as little-endian 32-bit words (0 is one word), as NumPy coerces entropy."""
    if n < 0:
        raise ValueError(f"a seed must be non-negative, not {n}")
    out = [n & _MASK]
    n >>= 32
    while n:
        out.append(n & _MASK)
        n >>= 32
    return out


def _mix_in(pool: _Pool, words: list[int]) -> _Pool:
    """Mix further entropy words into every pool word (the last step of NumPy's mixing)."""
    mixer, h = list(pool[0]), pool[1]
    for word in words:
        for i in range(_POOL):
            v = word ^ h
            h = (h * _MULT_A) & _MASK
            v = (v * h) & _MASK
            v ^= v >> _SHIFT
            r = (_MIX_L * mixer[i] - _MIX_R * v) & _MASK
            mixer[i] = r ^ (r >> _SHIFT)
    return tuple(mixer), h


@lru_cache(maxsize=64)
def _seed_pool(seed: int) -> _Pool:
    """The pool after the run entropy (the seed, zero-padded to the pool size because a spawn
    key follows): NumPy's first two mixing steps and any seed words past the pool."""
    entropy = _words(seed)
    entropy += [0] * (_POOL - len(entropy))
    mixer, h = [], _INIT_A
    for word in entropy[:_POOL]:
        v = word ^ h
        h = (h * _MULT_A) & _MASK
        v = (v * h) & _MASK
        mixer.append(v ^ (v >> _SHIFT))
    for src in range(_POOL):
        for dst in range(_POOL):
            if src != dst:
                v = mixer[src] ^ h
                h = (h * _MULT_A) & _MASK
                v = (v * h) & _MASK
                v ^= v >> _SHIFT
                r = (_MIX_L * mixer[dst] - _MIX_R * v) & _MASK
                mixer[dst] = r ^ (r >> _SHIFT)
    return _mix_in((tuple(mixer), h), entropy[_POOL:])


@lru_cache(maxsize=256)
def _replication_pool(seed: int, replication: int) -> _Pool:
    """The pool after the seed and the replication (the first spawn-key element)."""
    return _mix_in(_seed_pool(seed), _words(replication))


def _constants(h: int, n: int) -> tuple[int, ...]:
    """The hash constant before and after each of ``n`` hash steps (it depends on no data)."""
    out = [h]
    for _ in range(n):
        h = (h * _MULT_A) & _MASK
        out.append(h)
    return tuple(out)


_OUT_H = tuple(
    (h, (h * _MULT_B) & _MASK)
    for h in (_INIT_B * pow(_MULT_B, i, 1 << 32) & _MASK for i in range(8))
)  # (xor, multiplier) of each of generate_state's 8 words


def state_words(seed: int, replication: int, key: int) -> list[int]:
    """``SeedSequence(seed, spawn_key=(replication, key)).generate_state(4, np.uint64)`` as
    Python ints."""
    mixer, h = _replication_pool(seed, replication)
    if key > _MASK:
        mixer, h = _mix_in((mixer, h), _words(key))
    else:  # one key word, unrolled: the stream's own share of the work
        c = _key_constants(h)
        m = []
        for i in range(_POOL):
            v = ((key ^ c[i]) * c[i + 1]) & _MASK
            v ^= v >> _SHIFT
            r = (_MIX_L * mixer[i] - _MIX_R * v) & _MASK
            m.append(r ^ (r >> _SHIFT))
        mixer = tuple(m)
    out = []
    for i in range(0, 8, 2):
        (xa, ma), (xb, mb) = _OUT_H[i], _OUT_H[i + 1]
        lo = ((mixer[i % _POOL] ^ xa) * ma) & _MASK
        hi = ((mixer[(i + 1) % _POOL] ^ xb) * mb) & _MASK
        out.append((lo ^ (lo >> _SHIFT)) | ((hi ^ (hi >> _SHIFT)) << 32))
    return out


@lru_cache(maxsize=64)
def _key_constants(h: int) -> tuple[int, ...]:
    return _constants(h, _POOL)


_XA = np.array([_OUT_H[i][0] for i in range(0, 8, 2)], dtype=np.uint64)
_MA = np.array([_OUT_H[i][1] for i in range(0, 8, 2)], dtype=np.uint64)
_XB = np.array([_OUT_H[i][0] for i in range(1, 8, 2)], dtype=np.uint64)
_MB = np.array([_OUT_H[i][1] for i in range(1, 8, 2)], dtype=np.uint64)
_LO, _HI = [0, 2, 0, 2], [1, 3, 1, 3]  # the pool word of each output word's low and high half


def state_words_block(
    seed: int, replications: Sequence[int], keys: Sequence[int]
) -> np.ndarray:
    """:func:`state_words` of many one-word keys (each below 2**32) for several replications
    at once: ``[r, k]`` is the row (4 x uint64) of ``replications[r]`` and ``keys[k]``, the
    same arithmetic on NumPy arrays, every product below 2**64. The keys' own hashing is
    shared by all of them, and a run's days, one after the other, are seeded a block at a
    time (speed, issue 17)."""
    pools = [_replication_pool(seed, r) for r in replications]
    h = pools[0][1]
    if any(pool[1] != h for pool in pools):  # replications of one and of two words
        return np.stack([state_words_block(seed, (r,), keys)[0] for r in replications])
    c = np.array(_key_constants(h), dtype=np.uint64)
    u = np.uint64
    mask, shift = u(_MASK), u(_SHIFT)
    k = np.array(keys, dtype=np.uint64)[:, None]
    v = ((k ^ c[:-1]) * c[1:]) & mask  # the key word hashed into each pool word
    v ^= v >> shift
    mixed = np.array([[_MIX_L * m for m in pool[0]] for pool in pools], dtype=np.uint64)
    # (_MIX_L * mixer - _MIX_R * v) mod 2**32: wrapping mod 2**64 first changes nothing
    r = (mixed[:, None, :] - u(_MIX_R) * v) & mask
    m = r ^ (r >> shift)
    lo = ((m[..., _LO] ^ _XA) * _MA) & mask
    hi = ((m[..., _HI] ^ _XB) * _MB) & mask
    # C order: a row is then 4 words side by side, handed to PCG64 as they are
    out: np.ndarray = np.ascontiguousarray((lo ^ (lo >> shift)) | ((hi ^ (hi >> shift)) << u(32)))
    return out


class _Words(ISeedSequence):
    """A seed sequence that hands over state words already computed (PCG64 asks for 4)."""

    __slots__ = ("_words",)

    def __init__(self, words: Sequence[int] | np.ndarray) -> None:
        self._words = words

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> Any:
        """The words, as PCG64 asks for them (4 x uint64)."""
        words = self._words
        if (dtype is np.uint64 and type(words) is np.ndarray and words.dtype == np.uint64
                and words.shape == (n_words,) and words.flags.c_contiguous):  # fmt: skip
            # a row of a block of seeded words (read-only) as it is: PCG64 reads its 4 words
            # (its seed sequence, this object, keeps the block alive as long as it lives)
            return words
        if n_words != len(self._words) or np.dtype(dtype) != np.uint64:
            raise ValueError("only the 4 uint64 words of a PCG64 state are kept")
        return np.array(self._words, dtype=np.uint64)


def stream_generator(seed: int, replication: int, key: int) -> np.random.Generator:
    """The generator ``default_rng(SeedSequence(seed, spawn_key=(replication, key)))``."""
    return generator_of(state_words(seed, replication, key))


def generator_of(words: Sequence[int] | np.ndarray) -> np.random.Generator:
    """The generator whose seed sequence gives these 4 state words (see :func:`state_words`)."""
    # PCG64 takes any ISeedSequence (NumPy's documented seeding interface); its stubs name
    # only SeedSequence
    seq = cast(np.random.SeedSequence, _Words(words))
    return np.random.Generator(np.random.PCG64(seq))
