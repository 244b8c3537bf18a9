"""The post identifiers a fee plan prices: the staffing posts, the sales reps and event posts.

The ids are the ones of ``sim/scenario/staffing.py`` and of ``docs/sizing-result.md``; every
rate card must price each of them (or mark it ``billed: false``).
"""

from __future__ import annotations

from sim.domain.labels import (
    EVENT_POSTS,  # launch-day and open-day posts of the sizing file
    POST_LABELS,
    SERVICE_POSTS,  # the property company's event-only posts (security, ushers, VIP guards)
)

REPS = "reps"
"""The sales desk (置业顾问): the agency's staff, usually not billed by the property company."""


LABELS: dict[str, tuple[str, str]] = {
    **{key: (zh, en) for key, (_, zh, en) in POST_LABELS.items()},
    REPS: ("置业顾问", "sales reps"),
    **EVENT_POSTS,
    **SERVICE_POSTS,
}
"""Every post a rate card must price: id -> (Chinese, English), in plan order."""

ALL_POSTS: tuple[str, ...] = tuple(LABELS)
STAFFING_POSTS: tuple[str, ...] = tuple(POST_LABELS)


def label_zh(post: str) -> str:
    """The Chinese label of a post id (the id itself when unknown)."""
    return LABELS.get(post, (post, post))[0]


def label_en(post: str) -> str:
    """The English label of a post id (the id itself when unknown)."""
    return LABELS.get(post, (post, post))[1]
