"""First free (先到先接): the first free rep in the fixed list order, with no rotation.

A common informal practice and a useful contrast: the reps at the top of the list take most
of the groups, so fairness KPIs degrade while waits match any work-conserving rule.
"""

from __future__ import annotations

from sim.policies.base import RotationPolicy
from sim.policies.view import GroupView, RepView


class FirstFree(RotationPolicy):
    """The free rep who comes first in the scenario's rep list."""

    name = "first_free"
    description = "first free rep in list order, no rotation (unfair baseline)"

    def choose(self, group: GroupView, now: float) -> RepView | None:
        """The first available rep of the list."""
        return next((r for r in self.office.reps if r.available), None)
