"""Plain rotation (轮序): the next rep in turn order who is free; a busy rep keeps its place.

No customer ownership and no make-up turns: returning and designated groups are received by
whoever is on turn. This is the naive baseline against which the rulebook is compared.
"""

from __future__ import annotations

from sim.policies.base import RotationPolicy
from sim.policies.view import GroupView, OfficeView, RepView


class RoundRobin(RotationPolicy):
    """Round-robin over free reps in a fixed turn order."""

    name = "round_robin"
    description = "plain rotation: next free rep in turn order; busy reps keep their place"

    def __init__(self, office: OfficeView) -> None:
        super().__init__(office)
        self.order: list[RepView] = list(office.reps)

    def choose(self, group: GroupView, now: float) -> RepView | None:
        """The first free rep in the turn order."""
        for rep in self.order:
            if rep.available:
                return rep
        return None

    def on_assigned(self, group: GroupView, rep: RepView, now: float) -> None:
        """The rep who took the turn goes to the back of the order."""
        super().on_assigned(group, rep, now)
        self.order.remove(rep)
        self.order.append(rep)
