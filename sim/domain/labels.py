"""Identifiers with their Chinese and English labels: visitor sources, office posts, event desks."""

from __future__ import annotations

WALK_IN, APPOINTMENT = "walk_in", "appointment"
DELEGATION, VISIT = "delegation", "important_visit"
"""How a group came: walked in, booked, a delegation (参观团), a scheduled important visit."""

POST_LABELS: dict[str, tuple[str, str, str]] = {
    "gate": ("L1", "门岗礼宾", "gate greeter"),
    "parking": ("L2", "停车场礼宾", "parking greeter"),
    "door": ("Y1/Y2", "大门迎宾", "door greeter"),
    "water_bar": ("S1", "水吧服务员", "water bar"),
    "butler": ("G1", "大客户管家", "VIP butler"),
    "guide": ("—", "样板间讲解/看护", "sample-house guide"),
    "cleaner": ("—", "保洁", "cleaner"),
    "duty_manager": ("—", "值班经理", "duty manager"),
    "backup_reception": ("—", "备岗前台", "backup receptionist (P2)"),
}
"""Office post id -> (code in the seeds, Chinese, English)."""

EVENT_POSTS: dict[str, tuple[str, str]] = {
    "sign_in": ("签到台", "sign-in desk"),
    "selection": ("选房/销控台", "selection desk"),
    "finance": ("财务/定金台", "finance / deposit desk"),
    "contract": ("签约台", "contract desk"),
    "gift": ("礼品台", "gift desk"),
    "engineer": ("工程讲解", "engineer escort"),
}
"""Event post id -> (Chinese, English) label; the ids of docs/sizing-result.md."""
