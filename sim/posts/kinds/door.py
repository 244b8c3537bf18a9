"""Y1/Y2 door greeters (大门迎宾, seed 003): greet every group at the door (F2)."""

from __future__ import annotations

from sim.posts.kind import PostBehaviour, PostKind, PostSpec, Process, Visitor, lined_up_for


class Door(PostBehaviour):
    """F2 at the door."""

    def after_gate(self, g: Visitor) -> Process:
        """Greet the group at the door."""
        if not lined_up_for(g, self.post):
            yield self.post.task(self.task_time())  # self.greet(g), inlined


KIND = PostKind(
    key="door", code="Y1/Y2", zh="大门迎宾", en="door greeter", order=30,
    description="Y1/Y2 door greeters (大门迎宾); per group", spec=PostSpec, behaviour=Door,
)  # fmt: skip
