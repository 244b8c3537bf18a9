"""Longest idle (最久空闲): the free rep who has waited longest since their last group.

Balances idle time rather than turns: after a long visit a rep goes to the back naturally.
"""

from __future__ import annotations

from sim.policies.base import RotationPolicy
from sim.policies.view import GroupView, OfficeView, RepView


class LongestIdle(RotationPolicy):
    """The free rep whose last group left earliest (ties: list order)."""

    name = "longest_idle"
    description = "free rep idle the longest since their last group"

    def __init__(self, office: OfficeView) -> None:
        super().__init__(office)
        self.free_since = [float("-inf")] * len(office.reps)

    def choose(self, group: GroupView, now: float) -> RepView | None:
        """The available rep with the earliest free-since time."""
        free = [r for r in self.office.reps if r.available]
        return min(free, key=lambda r: (self.free_since[r.index], r.index), default=None)

    def on_released(self, rep: RepView, group: GroupView, now: float) -> None:
        """The rep is idle from now."""
        self.free_since[rep.index] = now
