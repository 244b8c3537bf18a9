"""The duty manager (值班经理, seed 003): receives important groups and delegations (V2/V3)."""

from __future__ import annotations

from sim.posts.kind import PostBehaviour, PostKind, PostSpec


class DutyManager(PostBehaviour):
    """Receptions of important groups."""

    def receive_important(self) -> None:
        """Receive the group, unless the manager stands in an important visit's line-up
        (then that visit is what they receive)."""
        if self.post.held == 0:
            self.send()


KIND = PostKind(
    key="duty_manager", code="—", zh="值班经理", en="duty manager", order=80,
    description="duty manager (值班经理): receives important groups and delegations",
    spec=PostSpec, behaviour=DutyManager,
)  # fmt: skip
