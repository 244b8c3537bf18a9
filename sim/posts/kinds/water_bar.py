"""S1 water bar (水吧服务员, seed 003): a drink when a group sits down to negotiate, then a
refill every ``refill_every_min`` while it stays seated (F6)."""

from __future__ import annotations

import simpy
from pydantic import Field

from sim.core.schema import Positive
from sim.posts.kind import PostBehaviour, PostKind, PostSpec, Process


class WaterBarSpec(PostSpec):
    """S1: a drink when a group sits down, refills every `refill_every_min` while seated."""

    refill_every_min: Positive = Field(20, description="refill round, minutes (≤20 per standard)")


class WaterBar(PostBehaviour):
    """Drinks for seated groups."""

    spec: WaterBarSpec

    def seated(self, until: simpy.Event) -> None:
        """A drink now, then refills until the group stands up."""
        self.line.env.process(self._drinks(until))

    def _drinks(self, until: simpy.Event) -> Process:
        """Refill rounds until the group stands up or the water bar closes for the day."""
        every = self.spec.refill_every_min
        env = self.line.env
        while not (until.triggered or self.post.closed):  # refills end with the post's day
            self.work()
            yield env.timeout(every) | until


KIND = PostKind(
    key="water_bar", code="S1", zh="水吧服务员", en="water bar", order=40,
    description="S1 water bar (水吧); per delivery", spec=WaterBarSpec, behaviour=WaterBar,
)  # fmt: skip
