"""S1 water bar (水吧服务员, seed 003): a drink when a group sits down to negotiate, then a
refill every ``refill_every_min`` while it stays seated (F6)."""

from __future__ import annotations

import math
from collections import deque

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
    interval, so a refill asked later is due later) kept off the SimPy schedule: the post runs
    each when it is next asked for anything (:meth:`Post.on_due`), in time order with its
    tasks' ends, as a timer at each refill would have: no SimPy process or event per seated
    group or refill (speed, issue 17). A group standing up books the refills due before.
    """

    spec: WaterBarSpec

    def __init__(self, line: Line, post: Post, spec: WaterBarSpec, streams: Streams) -> None:
        super().__init__(line, post, spec, streams)
        self._due: deque[tuple[float, Stay]] = deque()
        self._every = spec.refill_every_min
        post.on_due(self._refill)

    def seated(self, stay: Stay) -> None:
        """A drink now, then refills until the group stands up (seated means [seat, leave):
        no refill for a group leaving when it falls due)."""
        post = self.post
        post.catch_up()
        stay.watch(self._stood_up)
        self._round(stay, self.line.env._now)

    def _stood_up(self) -> None:
        self.post.catch_up(before=True)

    def _round(self, stay: Stay, now: float) -> None:
        """One drink at ``now`` and the next refill due, unless the group stood up or the
        water bar closed for the day (refills end with the post's day)."""
        post = self.post
        if stay.over or post.closed:
            return
        post.start_at(now, self.task_time())
        due = self._due
        due.append((now + self._every, stay))
        post.due_next = due[0][0]

    def _refill(self, now: float) -> None:
        """The first refill in line, due ``now``."""
        due = self._due
        stay = due.popleft()[1]
        self.post.due_next = due[0][0] if due else math.inf
        self._round(stay, now)


KIND = PostKind(
    key="water_bar", code="S1", zh="水吧服务员", en="water bar", order=40,
    description="S1 water bar (水吧); per delivery", spec=WaterBarSpec, behaviour=WaterBar,
)  # fmt: skip
