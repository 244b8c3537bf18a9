"""L2 parking greeter (停车场礼宾, seed 003): parks each car, unless L1 and L2 met a large party
together at the gate (F1)."""

from __future__ import annotations

from sim.posts.kind import PostBehaviour, PostKind, PostSpec, Process, Step, Visitor, run_step


class Parking(PostBehaviour):
    """F1 after the gate."""

    def after_gate(self, g: Visitor) -> Process:
        """Park a car (a large party was already met at the gate by L1 and L2)."""
        yield from run_step(self.after_gate_step(g))

    def after_gate_step(self, g: Visitor) -> Step:
        """The parking's event, if any (no generator: speed, issue 17)."""
        if not g.by_car:
            return None
        line = self.line
        if g.size >= line.large_party_min and line.post("gate") is not None:
            return None  # a large party: met at the gate by L1 and L2 together
        return self.greeting(g)


KIND = PostKind(
    key="parking", code="L2", zh="停车场礼宾", en="parking greeter", order=20,
    description="L2 parking greeter (停车场礼宾); per car", spec=PostSpec, behaviour=Parking,
)  # fmt: skip
