"""G1 VIP butler (大客户管家, seed 003): prepares a VIP room before the group enters and clears
it after it leaves; the room is usable again only once cleared (F6)."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import Field

from sim.core.distributions import Distribution
from sim.core.rng import Streams
from sim.posts.kind import Line, PostBehaviour, PostKind, PostSpec, Process, fixed
from sim.posts.staffed import Post


class ButlerSpec(PostSpec):
    """G1: prepares a VIP room before the group enters and clears it after it leaves."""

    clear: Distribution = Field(
        default_factory=lambda: fixed(5.0), description="clearing a VIP room, minutes"
    )


class Butler(PostBehaviour):
    """VIP rooms ready before and cleared after."""

    spec: ButlerSpec

    def __init__(self, line: Line, post: Post, spec: ButlerSpec, streams: Streams) -> None:
        super().__init__(line, post, spec, streams)
        self.clear_time = streams.sampler("post.butler.clear", spec.clear)

    def prepare_room(self) -> Process:
        """G1 readies the room first."""
        yield self.work()

    def clear_room(self, give_back: Callable[[], None]) -> None:
        """G1 clears the room; it is given back when done (by the task's event itself: no
        event of its own; speed, issue 17)."""
        done = self.post.task(self.clear_time())
        done.callbacks.append(lambda _: give_back())


KIND = PostKind(
    key="butler", code="G1", zh="大客户管家", en="VIP butler", order=50,
    description="G1 VIP butler (大客户管家); prepares rooms", spec=ButlerSpec, behaviour=Butler,
)  # fmt: skip
