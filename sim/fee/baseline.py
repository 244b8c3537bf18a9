"""The hours each post is covered a day (每日覆盖工时), from the scenario or measured areas.

- From the scenario: a post's covered hours a day are the hours its people are on duty, summed
  over its shifts (headcount × the shift's hours, breaks left out). A single position held
  09:00–18:00 is 9 h; an early and a late person with staggered lunch hours are 8 h + 8 h. Its
  positions (岗位数) are the most people on duty at once.
- From measured areas: each staffing-standard rule gives ``ceil(area m² / m2_per_post)``
  positions (0 when the area is 0), plus the standard's fixed posts; each position is covered
  through the scenario's opening hours.

The people this takes follow from the hours (:mod:`sim.fee.heads`). The sales reps are people,
not positions: their count is the reps the scenario names.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from sim.core.clock import format_clock
from sim.core.shifts import Shift, headcount_at
from sim.fee.card_sections import Site
from sim.fee.money import SIXTY
from sim.fee.posts import REPS, STAFFING_POSTS
from sim.fee.ratecard import RateCard
from sim.fee.working_time import hours
from sim.scenario.schema import Scenario
from sim.scenario.staffing import ShiftSpec, shift_of


@dataclass(frozen=True)
class PostHours:
    """One post's positions and covered person-minutes a day, with how they were found."""

    post: str
    positions: int  # most people on duty at once (or the staffing standard's positions)
    people: int  # people on shift a day (Σ headcount; the reps named)
    minutes: int  # person-minutes on duty a day, breaks left out
    basis: str
    heads: int | None = None  # set for people counted directly (the reps)

    @property
    def hours_per_day(self) -> Decimal:
        """Covered hours a day, to 0.01 h."""
        return hours(Decimal(self.minutes) / SIXTY)


def worked_minutes(shift: Shift) -> int:
    """Minutes a person on ``shift`` is on duty (its breaks left out)."""
    return round(sum(b - a for a, b in shift.working()))


def peak_on_duty(shifts: dict[str, ShiftSpec], headcount: dict[str, int]) -> tuple[int, str]:
    """The most people of a post on duty at once (breaks left out), and when: e.g.
    ``(2, '09:30 A1+B1')``."""
    built = {name: shift_of(name, shifts[name]) for name, k in headcount.items() if k}
    starts = sorted({a for s in built.values() for a, _ in s.working()})
    best, when = 0, "—"
    for t in starts:
        on = {s: headcount[n] for n, s in built.items() if s.on_at(t)}
        total = headcount_at(t, on)
        if total > best:
            best = total
            when = f"{format_clock(t)} " + "+".join(f"{s.name}{k}" for s, k in on.items())
    return best, when


def _hours_text(minutes: int) -> str:
    return f"{Decimal(minutes) / SIXTY:g} h"


def _post_hours(post: str, shifts: dict[str, ShiftSpec], headcount: dict[str, int]) -> PostHours:
    used = {name: k for name, k in headcount.items() if k}
    parts = [(name, k, worked_minutes(shift_of(name, shifts[name]))) for name, k in used.items()]
    minutes = sum(k * m for _, k, m in parts)
    peak, when = peak_on_duty(shifts, used)
    terms = " + ".join(f"{name}{k}×{_hours_text(m)}" for name, k, m in parts)
    basis = (f"场景 scenario: {terms} = {_hours_text(minutes)} a day; at most {peak} at once "
             f"({when})")  # fmt: skip
    return PostHours(post, peak, sum(used.values()), minutes, basis)


def _reps(scenario: Scenario) -> PostHours:
    """The reps' line: the people the scenario names (not billed by the property company); a
    rep on no shift is on through opening hours."""
    staffing = scenario.staffing
    on_shift = staffing.rep_shifts if staffing is not None else {}
    all_day = round(scenario.day.close - scenario.day.open)
    minutes = 0
    for rep in scenario.reps:
        name = on_shift.get(rep.name)
        if staffing is not None and name is not None:
            minutes += worked_minutes(shift_of(name, staffing.shifts[name]))
        else:
            minutes += all_day
    n = len(scenario.reps)
    basis = f"场景 scenario: {n} reps named ({len(on_shift)} on shifts, the rest all day)"
    return PostHours(REPS, n, n, minutes, basis, heads=n)


def from_scenario(scenario: Scenario) -> list[PostHours]:
    """Covered hours of each staffed post of the scenario; posts with nobody on shift are left
    out. The reps' line comes last."""
    staffing = scenario.staffing
    if staffing is None:
        return [_reps(scenario)]
    out = []
    for post in STAFFING_POSTS:
        spec = getattr(staffing, post)
        if spec is not None and sum(spec.headcount.values()):
            out.append(_post_hours(post, staffing.shifts, spec.headcount))
    out.append(_reps(scenario))
    return out


def rule_posts(area_m2: Decimal, m2_per_post: Decimal) -> int:
    """Positions a staffing-standard rule gives for an area: ceil(area / m² per post)."""
    return int((area_m2 / m2_per_post).to_integral_value(rounding=ROUND_CEILING))


def from_areas(card: RateCard, site: Site, scenario: Scenario) -> list[PostHours]:
    """Positions from measured areas and the card's staffing standard, each covered through the
    scenario's opening hours (reps from the scenario)."""
    standard = card.staffing_standard
    assert standard is not None
    totals: dict[str, int] = dict(standard.fixed_posts)
    notes: dict[str, list[str]] = {p: [f"fixed {n}"] for p, n in standard.fixed_posts.items()}
    for rule in standard.rules:
        area = getattr(site, rule.area)
        n = rule_posts(area, rule.m2_per_post)
        totals[rule.post] = totals.get(rule.post, 0) + n
        notes.setdefault(rule.post, []).append(f"{rule.area} {area}m²/{rule.m2_per_post}={n}")
    day = scenario.day
    open_minutes = round(day.close - day.open)
    span = f"{format_clock(day.open)}–{format_clock(day.close)}"
    order = [*STAFFING_POSTS, *(p for p in totals if p not in (*STAFFING_POSTS, REPS))]
    return [
        PostHours(post, totals[post], totals[post], totals[post] * open_minutes,
                  f"面积 areas: {'; '.join(notes[post])}; each covered {span}")
        for post in order if totals.get(post)
    ] + [_reps(scenario)]  # fmt: skip
