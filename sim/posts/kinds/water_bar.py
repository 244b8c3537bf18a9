"""S1 water bar (水吧服务员, seed 003): a drink when a group sits down to negotiate, then a
refill every ``refill_every_min`` while it stays seated (F6)."""

from __future__ import annotations

import simpy
from pydantic import Field

from sim.core.schema import Positive
from sim.posts.kind import PostBehaviour, PostKind, PostSpec


class WaterBarSpec(PostSpec):
    """S1: a drink when a group sits down, refills every `refill_every_min` while seated."""

    refill_every_min: Positive = Field(20, description="refill round, minutes (≤20 per standard)")


class WaterBar(PostBehaviour):
    """Drinks for seated groups."""

    spec: WaterBarSpec

    def seated(self, until: simpy.Event) -> None:
        """A drink now, then refills until the group stands up."""
        self._round(until)

    def _round(self, until: simpy.Event) -> None:
        """One drink and the timer for the next refill, unless the group stood up or the water
        bar closed for the day (refills end with the post's day). A plain timeout with a
        callback, no SimPy process per seated group (speed, issue 17); a timer that fires
        after the group stood up does nothing."""
        if until.triggered or self.post.closed:
            return
        self.send()
        timer = self.line.env.timeout(self.spec.refill_every_min)
        timer.callbacks.append(lambda _: self._round(until))


KIND = PostKind(
    key="water_bar", code="S1", zh="水吧服务员", en="water bar", order=40,
    description="S1 water bar (水吧); per delivery", spec=WaterBarSpec, behaviour=WaterBar,
)  # fmt: skip
