"""The roster in the sizing result (docs/sizing-result.md, ``roster``; issue 19 items 2 and 6).

The need rostered is each post's ``total`` per block (everyone on duty: the scenario's baseline
and the extra people), at the scenario's booking terms (``event.booking``; a field it leaves
out takes the default, as ``salesim size`` reads no rate card). Beside it, the per-desk peak
Erlang C plan (:mod:`sim.event_sizing.erlang_plan`) rostered at the same terms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sim.core.clock import format_clock
from sim.domain.labels import PROPERTY, any_post_label
from sim.event_sizing.erlang_plan import erlang_plan
from sim.event_sizing.evaluate import Counts
from sim.event_sizing.roster import PostRoster, roster
from sim.event_sizing.sizer import SizingResult
from sim.scenario.event_booking import BookingTerms

ROSTER_COLUMNS = ("post", "label_zh", "payer", "start", "end", "people", "units", "unit")


@dataclass(frozen=True)
class RosterValue:
    """The sized plan's roster and the Erlang C plan's, at the same terms."""

    terms: BookingTerms
    sized: dict[str, PostRoster]
    erlang_counts: Counts
    erlang: dict[str, PostRoster]
    payers: dict[str, str]
    desks: tuple[str, ...]
    """The desks (the posts Erlang C sizes); the others are service posts, the same in both."""
    minimal: dict[str, PostRoster] | None = None
    """The desks' roster of the person-block minimal plan (before the booking-cost phase)."""

    def units(self, which: Mapping[str, PostRoster], posts: Sequence[str] | None = None) -> float:
        """Billed units of ``which`` over ``posts`` (default all)."""
        return sum(r.units for p, r in which.items() if posts is None or p in posts)


def needs(result: SizingResult) -> tuple[Counts, dict[str, str]]:
    """Each post's total people per block (desks, then service posts) and its payer."""
    pr = result.problem
    payers = dict(pr.event.payers())
    out: Counts = {p: tuple(max(n, b) for n, b in zip(result.counts[p], pr.baseline[p],
                                                     strict=True)) for p in pr.posts}  # fmt: skip
    for post, row in result.service.items():
        out[post] = tuple(row)
        payers[post] = PROPERTY
    return out, payers


def roster_value(result: SizingResult) -> RosterValue:
    """Roster the sized plan and the Erlang C plan at the scenario's booking terms; raises
    :class:`~sim.event_sizing.roster.RosterError` when the terms cannot cover a block."""
    ev = result.problem.event
    edges = result.problem.edges
    need, payers = needs(result)
    flat = dict(need) | dict(erlang_plan(result))  # service posts: the same in both plans
    low = None if result.minimal is None else roster(result.minimal, edges, ev.booking)
    return RosterValue(ev.booking, roster(need, edges, ev.booking), flat,
                       roster(flat, edges, ev.booking), payers,
                       tuple(result.problem.posts), low)  # fmt: skip


def terms_dict(terms: BookingTerms) -> dict[str, Any]:
    """The booking terms as used (defaults filled in)."""
    return {"unit": terms.unit_or_default, "min_shift_hours": terms.min_hours,
            "max_shift_hours": terms.max_shift_hours,
            "starts": None if terms.starts is None else [format_clock(t) for t in terms.starts],
            "start_step_min": terms.start_step_min}  # fmt: skip


def _post_dict(r: PostRoster, payer: str) -> dict[str, Any]:
    return {"post": r.post, "label_zh": any_post_label(r.post)[0], "payer": payer,
            "shifts": [{"start": format_clock(s.start), "end": format_clock(s.end),
                        "people": s.people, "units": round(s.units, 4)} for s in r.shifts],
            "people": r.people, "units": round(r.units, 4), "need": list(r.need),
            "cover": list(r.cover)}  # fmt: skip


def roster_dict(value: RosterValue) -> dict[str, Any]:
    """``roster`` of sizing.json (docs/sizing-result.md)."""
    return {
        "terms": terms_dict(value.terms),
        "need": "total",
        "posts": [_post_dict(r, value.payers[p]) for p, r in value.sized.items()],
        "units": round(value.units(value.sized), 4),
        "units_by_payer": {payer: round(value.units(value.sized, [
            p for p in value.sized if value.payers[p] == payer]), 4)
            for payer in dict.fromkeys(value.payers.values())},
        "erlang_c": {
            "rule": "per-desk peak-block Erlang C, held all day; service posts as sized",
            "plan": {p: list(value.erlang_counts[p]) for p in value.desks},
            "posts": [_post_dict(r, value.payers[p]) for p, r in value.erlang.items()],
            "units": round(value.units(value.erlang), 4),
            "desk_units": round(value.units(value.erlang, value.desks), 4),
        },
        "desk_units": round(value.units(value.sized, value.desks), 4),
        "person_block_minimal": None if value.minimal is None else {
            "plan": {p: list(r.need) for p, r in value.minimal.items()},
            "desk_units": round(value.units(value.minimal), 4),
        },
    }


def booked_dict(result: SizingResult) -> dict[str, Any] | None:
    """``booked`` of sizing.json: the booking-cost phase (docs/sizing-result.md)."""
    b = result.booked
    if b is None:
        return None
    return {"objective": "billed units of the desks' roster at the booking terms",
            "unit": b.unit, "desk_units": b.units, "person_block_minimal_units": b.minimal_units,
            "erlang_c_units": b.erlang_units, "erlang_c_met_on_search_days": b.erlang_met,
            "start": b.start, "start_units": b.start_units, "moves": b.moves,
            "plans_screened": b.candidates, "note": b.note or None,
            "minimality": [{"post": r.post, "shift": r.shift, "kpi": r.target.kpi,
                            "achieved": round(r.achieved, 4), "days": r.days}
                           for r in b.removals]}  # fmt: skip


def roster_rows(data: dict[str, Any]) -> list[list[Any]]:
    """One row per post and shift (``roster.csv``, the ``roster`` sheet)."""
    unit = data["terms"]["unit"]
    return [[p["post"], p["label_zh"], p["payer"], s["start"], s["end"], s["people"],
             s["units"], unit] for p in data["posts"] for s in p["shifts"]]  # fmt: skip
