"""Which way each KPI is better: lower, higher, or neither (a count of demand, a load).

Compare (issue 15 item 2) colours a difference green when it moves a KPI the better way and red
when it moves it the worse way; a neutral KPI (groups arrived, utilisation, turns taken) is not
coloured. The direction follows from the key by rules (waits, losses, shares over target and
overtime are better lower; groups served and calls answered within the ring target (P1) are
better higher) with the exceptions named in :data:`EXCEPTIONS`; :func:`direction` raises
``KeyError`` for a KPI no rule or exception covers, so a new KPI must be classified here.
"""

from __future__ import annotations

from typing import Literal

Direction = Literal[-1, 0, 1]
LOWER: Direction = -1
NEUTRAL: Direction = 0
HIGHER: Direction = 1

EXCEPTIONS: dict[str, Direction] = {
    "visit_mean": NEUTRAL,  # a longer visit is neither good nor bad in itself
    "receptions_min": NEUTRAL,  # fairness is read from the spread and the Gini
    "receptions_max": NEUTRAL,
    "own_rep_share": HIGHER,  # R6/R7: returning and named-rep groups by their own rep
    "vip_to_table_share": LOWER,  # a VIP request seated at a table is a downgrade
    "turns_skipped": NEUTRAL,  # R7 skips are the rule working, not a fault
    "makeups_granted": NEUTRAL,
    "turns_made_up": NEUTRAL,
    "turns_lent": NEUTRAL,
    "phone_makeups": NEUTRAL,
    "own_rep_fallbacks": LOWER,  # R6/R7: the own rep was not there
    "unmentored_signings": LOWER,  # V4
    "mentor_wait_mean": LOWER,
    "calls_within_rings_share": HIGHER,  # P1
    "calls_transferred_share": LOWER,  # P2
    "waiting_area_overflow_min": LOWER,
    "event_duration_min": LOWER,
    "time_in_event_mean": LOWER,
    "follow_up_calls": LOWER,  # seed 002: buyers scoring below 4, each a call to put things right
    "extra_reps": NEUTRAL,  # V3: the rule working for a large party
    "card_mean": HIGHER,  # V5 launch-day satisfaction card
    "card_follow_ups": LOWER,
    "card_low_share": LOWER,
}
"""KPIs whose direction the rules below would get wrong or not find."""

_LOWER_PARTS = ("wait", "lost", "over_target", "overtime", "refused", "unserved", "queue_max",
                "spread", "gini", "grab", "not_received", "present_at_end",
                "response_")  # fmt: skip
_HIGHER_PARTS = ("served", "deal", "satisfaction")
_NEUTRAL_PARTS = ("arrived", "utilisation", "occupancy", "requests", "calls", "tasks", "turns",
                  "non_sales", "surveys", "mentor_", "groups", "persons", "peak",
                  "moved_to_end")  # fmt: skip


def direction(key: str) -> Direction:
    """The better direction of KPI ``key``: ``LOWER`` (-1), ``HIGHER`` (1) or ``NEUTRAL`` (0).

    Per-post KPIs ``post.<post>.<metric>`` and event desk KPIs ``<desk>_<metric>`` follow
    their metric. ``KeyError`` when no rule or exception covers ``key``.
    """
    if key in EXCEPTIONS:
        return EXCEPTIONS[key]
    metric = key.rsplit(".", 1)[-1]
    for parts, found in ((_LOWER_PARTS, LOWER), (_HIGHER_PARTS, HIGHER), (_NEUTRAL_PARTS, NEUTRAL)):
        if any(part in metric for part in parts):
            return found
    raise KeyError(f"no better direction known for KPI '{key}' (sim/domain/kpi_direction.py)")


def is_better(key: str, change: float) -> bool | None:
    """Whether a change of ``change`` in KPI ``key`` is an improvement (``None``: neutral KPI
    or no change)."""
    d = direction(key)
    if d == NEUTRAL or change == 0:
        return None
    return (change > 0) == (d == HIGHER)
