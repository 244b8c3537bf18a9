"""Identifiers with their Chinese and English labels: visitor sources, office posts, event desks."""

from __future__ import annotations

from sim.posts import kinds

WALK_IN, APPOINTMENT = "walk_in", "appointment"
DELEGATION, VISIT = "delegation", "important_visit"
"""How a group came: walked in, booked, a delegation (参观团), a scheduled important visit."""

POST_LABELS: dict[str, tuple[str, str, str]] = {k.key: (k.code, k.zh, k.en) for k in kinds()}
"""Office post id -> (code in the seeds, Chinese, English), from the post kinds (plug-ins)."""

EVENT_POSTS: dict[str, tuple[str, str]] = {
    "sign_in": ("签到台", "sign-in desk"),
    "selection": ("选房/销控台", "selection desk"),
    "finance": ("财务/定金台", "finance / deposit desk"),
    "contract": ("签约台", "contract desk"),
    "gift": ("礼品台", "gift desk"),
    "engineer": ("工程讲解", "engineer escort"),
}
"""Event post id -> (Chinese, English) label; the ids of docs/sizing-result.md."""
