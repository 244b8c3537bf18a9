"""Readable names of comparison variants: ``VIP室 3间`` for ``vip_rooms.count=3``, ``龙湖轮序``
for ``longfor`` (issue 15 item 7: no raw identifiers in what a planner reads).

A variant's label (:mod:`sim.experiment.variants`) is its policy and its ``path=value``
changes joined by `` · ``; the files keep those labels (they name the field to vary), the
tables, reports and plots show :func:`display_name`.
"""

from __future__ import annotations

from sim.domain.labels import EVENT_POSTS, POST_LABELS
from sim.report.i18n import Lang, pick

POLICY_NAMES: dict[str, tuple[str, str]] = {
    "round_robin": ("顺序轮流", "plain rotation"),
    "first_free": ("先空先接", "first free"),
    "longest_idle": ("最久空闲优先", "longest idle"),
    "experienced_for_important": ("熟手接重要客户", "experienced for important"),
    "longfor": ("龙湖轮序", "Longfor rulebook"),
    "joint_agency": ("联合代理", "joint agency"),
}
"""Rotation policy -> (Chinese, English) name."""

FIELD_NAMES: dict[str, tuple[str, str]] = {
    "reps": ("置业顾问 {v}人", "{v} reps"),
    "vip_rooms.count": ("VIP室 {v}间", "{v} VIP rooms"),
    "vip_rooms.max_wait_min": ("VIP室最长等待 {v}分钟", "VIP wait up to {v} min"),
    "vip_rooms.when_full": ("VIP室满时 {v}", "VIP rooms full: {v}"),
    "tables": ("洽谈桌 {v}张", "{v} tables"),
    "policy": ("轮序 {v}", "policy {v}"),
    "targets.wait_for_rep_min": ("等待顾问标准 {v}分钟", "rep wait standard {v} min"),
    "event.attendance": ("到场 {v}人", "{v} attending"),
    "arrivals.appointments.count": ("预约 {v}组", "{v} appointments"),
}
"""Field path -> (Chinese, English) pattern of a changed value ``{v}``."""

_SEGMENTS: dict[str, tuple[str, str]] = {
    "count": ("数量", "count"), "headcount": ("人数", "headcount"), "rate": ("速率", "rate"),
    "capacity": ("容量", "capacity"), "staffing": ("岗位", "staffing"), "event": ("活动", "event"),
    "desks": ("", ""), "rotation": ("轮序", "rotation"), "visitors": ("来访", "visitors"),
}  # fmt: skip


def policy_name(policy: str, lang: Lang = "zh") -> str:
    """The readable name of a rotation policy."""
    zh, en = POLICY_NAMES.get(policy, (policy, policy.replace("_", " ")))
    return pick(lang, zh, en)


def _segment(part: str, lang: Lang) -> str:
    if part in POST_LABELS:
        _code, zh, en = POST_LABELS[part]
        return pick(lang, zh, en)
    if part in EVENT_POSTS:
        return pick(lang, *EVENT_POSTS[part])
    zh, en = _SEGMENTS.get(part, (part, part))
    return pick(lang, zh, en) if zh or en else ""


def change_name(path: str, value: str, lang: Lang = "zh") -> str:
    """``vip_rooms.count``, ``3`` -> ``VIP室 3间`` (a field without a pattern: its readable
    path segments and the value)."""
    if path in FIELD_NAMES:
        return pick(lang, *FIELD_NAMES[path]).format(v=value)
    words = [w for w in (_segment(p, lang) for p in path.split(".")) if w]
    return f"{''.join(words) if lang == 'zh' else ' '.join(words)} {value}"


def display_name(label: str, lang: Lang = "zh") -> str:
    """The readable name of a variant label (``longfor · vip_rooms.count=3``)."""
    parts = []
    for part in label.split(" · "):
        number, dot, rest = part.partition(". ")  # "2. longfor": a repeated policy's number
        prefix = ""
        if dot and number.isdigit():
            prefix, part = f"{number}. ", rest
        path, eq, value = part.partition("=")
        text = change_name(path, value, lang) if eq else policy_name(part, lang)
        parts.append(prefix + text)
    return " · ".join(parts)
