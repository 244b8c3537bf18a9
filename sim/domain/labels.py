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

SERVICE_POSTS: dict[str, tuple[str, str]] = {
    "security": ("秩序维护/安保", "order keeping / security"),
    "usher": ("等候区引导", "waiting-area usher"),
    "vip_guard": ("VIP接待安保", "VIP-visit guard"),
    "sign_in_helper": ("签到引导/协助", "sign-in helper"),
}
"""Event-only property-service posts (物业选配岗位) besides the office posts an event also uses
(cleaner, door, water_bar, guide): id -> (Chinese, English)."""

PROPERTY, DEVELOPER = "property", "developer"
"""Who pays an event post: the property-service company (物业, billed through the fee plan) or
the developer / sales agency (开发商/代理: reported for planning, never billed by the property
company)."""

PAYER_LABELS: dict[str, tuple[str, str]] = {
    PROPERTY: ("物业选配岗位", "property-service posts, billed in the fee plan"),
    DEVELOPER: ("开发商/代理岗位", "developer / agency posts, not billed"),
}
"""Payer -> (Chinese, English) heading, in report order (property first)."""


def any_post_label(post: str) -> tuple[str, str]:
    """(Chinese, English) of any post id: event desk, service post or office post."""
    if post in EVENT_POSTS:
        return EVENT_POSTS[post]
    if post in SERVICE_POSTS:
        return SERVICE_POSTS[post]
    if post in POST_LABELS:
        return POST_LABELS[post][1], POST_LABELS[post][2]
    return post, post
