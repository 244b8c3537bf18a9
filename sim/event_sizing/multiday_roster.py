"""The roster of a multi-day event (issue 19 item 2 on ``event.days``): each day's roster at
the booking terms, as the one-day ``sizing.json`` writes it (``roster``,
:func:`sim.event_sizing.roster_output.roster_dict`), and the totals over the days.

People are counted per day: a person booked on two days is two bookings (agencies book event
staff by the day), so the totals are sums over the days (docs/sizing-result.md, "Multi-day
events").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sim.event_sizing.roster_output import ROSTER_COLUMNS, roster_rows

DAY_ROSTER_COLUMNS = ("day", *ROSTER_COLUMNS)
"""``roster.csv`` of a multi-day event: the one-day columns after the day's label."""


def _r4(x: float) -> float:
    return round(x, 4)


def _post_totals(days: Sequence[tuple[str, dict[str, Any]]], key: str) -> list[dict[str, Any]]:
    """Per post (in first-seen order): people and units summed over the days, and per day."""
    out: dict[str, dict[str, Any]] = {}
    for label, roster in days:
        posts = roster[key]["posts"] if key else roster["posts"]
        for p in posts:
            mine = out.setdefault(p["post"], {
                "post": p["post"], "label_zh": p["label_zh"], "payer": p["payer"],
                "people": 0, "units": 0.0, "days": {}})  # fmt: skip
            mine["people"] += p["people"]
            mine["units"] = _r4(mine["units"] + p["units"])
            mine["days"][label] = {"people": p["people"], "units": p["units"]}
    return list(out.values())


def combined_roster(days: Sequence[tuple[str, dict[str, Any] | None]]) -> dict[str, Any] | None:
    """The combined file's ``roster``: the terms, per post the people and units over the days
    (with each day's), the units in all, per payer and of the desks, and the per-desk peak
    Erlang C plan's units over the days. ``None`` when a day has no roster."""
    have = [(label, r) for label, r in days if r is not None]
    if not have or len(have) != len(days):
        return None
    by_payer: dict[str, float] = {}
    for _, r in have:
        for payer, units in r["units_by_payer"].items():
            by_payer[payer] = _r4(by_payer.get(payer, 0.0) + units)
    return {
        "terms": have[0][1]["terms"],
        "need": have[0][1]["need"],
        "per_day": "days[].roster",
        "posts": _post_totals(have, ""),
        "units": _r4(sum(r["units"] for _, r in have)),
        "units_by_payer": by_payer,
        "desk_units": _r4(sum(r["desk_units"] for _, r in have)),
        "erlang_c": {
            "rule": have[0][1]["erlang_c"]["rule"],
            "posts": _post_totals(have, "erlang_c"),
            "units": _r4(sum(r["erlang_c"]["units"] for _, r in have)),
            "desk_units": _r4(sum(r["erlang_c"]["desk_units"] for _, r in have)),
        },
    }  # fmt: skip


def day_roster_rows(days: Sequence[tuple[str, dict[str, Any]]]) -> list[list[Any]]:
    """One row per day, post and shift (the multi-day ``roster.csv``)."""
    return [[label, *row] for label, roster in days for row in roster_rows(roster)]
