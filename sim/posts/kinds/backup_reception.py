"""The backup receptionist (备岗前台, P2): takes the calls still ringing after the transfer ring."""

from __future__ import annotations

from sim.posts.kind import PostBehaviour, PostKind, PostSpec


class BackupReception(PostBehaviour):
    """Transferred calls (the phone duty gives this post its tasks)."""

    takes_transferred_calls = True


KIND = PostKind(
    key="backup_reception", code="—", zh="备岗前台", en="backup receptionist (P2)", order=90,
    description="backup receptionist who takes calls transferred after 6 rings (P2)",
    spec=PostSpec, behaviour=BackupReception,
)  # fmt: skip
