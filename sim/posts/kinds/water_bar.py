"""S1 water bar (水吧服务员, seed 003): a drink when a group sits down to negotiate, then a
refill every ``refill_every_min`` while it stays seated (F6)."""

from __future__ import annotations

import math
from collections import deque

import simpy
from pydantic import Field

from sim.core.rng import Streams
from sim.core.schema import Positive
from sim.posts.kind import Line, PostBehaviour, PostKind, PostSpec, Stay
from sim.posts.staffed import Post


class WaterBarSpec(PostSpec):
    """S1: a drink when a group sits down, refills every `refill_every_min` while seated."""

    refill_every_min: Positive = Field(20, description="refill round, minutes (≤20 per standard)")


class WaterBar(PostBehaviour):
    """Drinks for seated groups.

    The refills due are one first-in-first-out line (every stay is refilled at the same
    interval, so a refill asked later is due later) with one timer, set for the first refill
    of a group still seated: no SimPy process per seated group, and a group that stood up
    costs no timer unless it was first in line (speed, issue 17).
    """

    spec: WaterBarSpec

    def __init__(self, line: Line, post: Post, spec: WaterBarSpec, streams: Streams) -> None:
        super().__init__(line, post, spec, streams)
        self._due: deque[tuple[float, Stay]] = deque()
        self._timer_at = math.inf  # when the timer rings, if one is set
        self._every = spec.refill_every_min

    def seated(self, stay: Stay) -> None:
        """A drink now, then refills until the group stands up."""
        self._round(stay)

    def _round(self, stay: Stay) -> None:
        """One drink and the next refill due, unless the group stood up or the water bar
        closed for the day (refills end with the post's day)."""
        post = self.post
        if stay.over or post.closed:
            return
        post.start(self.task_time())  # self.send(), inlined
        self._due.append((self.line.env.now + self._every, stay))
        if self._timer_at == math.inf:  # else the timer set rings first
            self._set_timer()

    def _set_timer(self) -> None:
        """Set the timer for the first refill of a group still seated (none if one is set:
        it rings first). The delay ``due - now`` is exact (both are clock minutes within a
        factor of two), so the timer rings at ``due`` itself."""
        due = self._due
        while due and due[0][1].over:
            due.popleft()
        if not due or self._timer_at != math.inf:
            return
        env = self.line.env
        self._timer_at = due[0][0]
        env.timeout(self._timer_at - env.now).callbacks.append(self._ring)

    def _ring(self, _: simpy.Event) -> None:
        """The refills due now."""
        self._timer_at = math.inf
        now, due = self.line.env.now, self._due
        while due and due[0][0] <= now:
            self._round(due.popleft()[1])
        self._set_timer()


KIND = PostKind(
    key="water_bar", code="S1", zh="水吧服务员", en="water bar", order=40,
    description="S1 water bar (水吧); per delivery", spec=WaterBarSpec, behaviour=WaterBar,
)  # fmt: skip
