"""How much a sizing answer moves across search seeds (issue 19 item 3): per post and block
the fewest and the most people any seed's plan gives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sim.event_sizing.evaluate import Counts


@dataclass(frozen=True)
class Spread:
    """Per post, per block: ``(min, max)`` people over the plans of ``seeds``."""

    seeds: tuple[int, ...]
    ranges: dict[str, tuple[tuple[int, int], ...]]

    @property
    def widest(self) -> int:
        """The largest ``max - min`` over every post and block."""
        return max((hi - lo for row in self.ranges.values() for lo, hi in row), default=0)

    def totals(self, plans: Sequence[Counts]) -> list[int]:
        """Total person-blocks of each plan (the same order as ``seeds``)."""
        return [sum(sum(row) for row in p.values()) for p in plans]


def seed_spread(seeds: Sequence[int], plans: Sequence[Counts]) -> Spread:
    """The spread of ``plans`` (one per seed, same posts and blocks)."""
    if not plans or len(seeds) != len(plans):
        raise ValueError("one plan per seed, at least one")
    ranges = {post: tuple((min(c), max(c)) for c in zip(*(p[post] for p in plans), strict=True))
              for post in plans[0]}  # fmt: skip
    return Spread(tuple(seeds), ranges)
