"""V2 (熟手轮序): important groups are received only by experienced reps; others by rotation.

An important group waits for an experienced rep (groups behind it may be served meanwhile);
every other group takes the plain rotation, so experienced reps also keep their normal turns.
With no experienced rep on duty at all the important group takes the plain rotation too: it is
received rather than left waiting for a shift that may not come today.
"""

from __future__ import annotations

from sim.policies.base import experienced_on_duty
from sim.policies.round_robin import RoundRobin
from sim.policies.view import GroupView, RepView


class ExperiencedForImportant(RoundRobin):
    """Plain rotation, except that important groups go to the next experienced rep in turn."""

    name = "experienced_for_important"
    description = "V2: important groups only to experienced reps, else plain rotation"

    def choose(self, group: GroupView, now: float) -> RepView | None:
        """The next free rep in turn order; experienced only for an important group."""
        if not group.important or not experienced_on_duty(self.office):
            return super().choose(group, now)
        return next((r for r in self.order if r.available and r.experienced), None)
