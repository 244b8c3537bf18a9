"""Y1/Y2 door greeters (大门迎宾, seed 003): greet every group at the door (F2)."""

from __future__ import annotations

from sim.posts.kind import PostBehaviour, PostKind, PostSpec, Process, Step, Visitor, run_step


class Door(PostBehaviour):
    """F2 at the door."""

    def after_gate(self, g: Visitor) -> Process:
        """Greet the group at the door."""
        yield from run_step(self.after_gate_step(g))

    def after_gate_step(self, g: Visitor) -> Step:
        """The greeting's event (no generator: speed, issue 17)."""
        return self.greeting(g)


KIND = PostKind(
    key="door", code="Y1/Y2", zh="大门迎宾", en="door greeter", order=30,
    description="Y1/Y2 door greeters (大门迎宾); per group", spec=PostSpec, behaviour=Door,
)  # fmt: skip
