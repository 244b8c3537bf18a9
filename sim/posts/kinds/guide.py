"""Sample-house guides (样板间讲解/看护, seed 003): brief each group at the door of a sample
unit (shoe covers) before it goes in (F5)."""

from __future__ import annotations

from sim.posts.kind import PostBehaviour, PostKind, PostSpec, Process, Step, Visitor, run_step


class Guide(PostBehaviour):
    """F5 briefings."""

    def house_entry(self, g: Visitor, then: float = 0.0) -> Process:
        """Brief the group at the door of the unit; it tours ``then`` minutes after."""
        yield from run_step(self.house_step(g, then))

    def house_step(self, g: Visitor, then: float = 0.0) -> Step:
        """The briefing (and the tour after it) as a step: one timeout when served at once."""
        return self.post.task_then_step(self.task_time(), then)


KIND = PostKind(
    key="guide", code="—", zh="样板间讲解/看护", en="sample-house guide", order=60,
    description="sample-house guides (样板间); a briefing per group entering a unit",
    spec=PostSpec, behaviour=Guide,
)  # fmt: skip
