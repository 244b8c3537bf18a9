"""Cleaners (保洁): one task after each served group (tables, restrooms, shoe covers) (F8)."""

from __future__ import annotations

from sim.posts.kind import PostBehaviour, PostKind, PostSpec


class CleanerSpec(PostSpec):
    """Cleaners: one task per group served (tables, restrooms, shoe covers)."""


class Cleaner(PostBehaviour):
    """Tidying after served groups."""

    def served(self) -> None:
        """Tidy after the group."""
        self.send()


KIND = PostKind(
    key="cleaner", code="—", zh="保洁", en="cleaner", order=70,
    description="cleaners (保洁); a task per group served", spec=CleanerSpec, behaviour=Cleaner,
)  # fmt: skip
