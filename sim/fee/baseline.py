"""Baseline posts (基础岗位): posts on duty per post, from the scenario or measured areas.

- From the scenario: a post's posts (岗位) are the peak number of its people on duty at once
  over the day (the sum of the headcounts of the shifts that overlap at the busiest time).
- From measured areas: each staffing-standard rule gives ``ceil(area m² / m2_per_post)``
  posts (0 when the area is 0); a post's posts are the sum over its rules plus its fixed posts.

Heads are then ``ceil(posts × relief factor)`` (see :mod:`sim.fee.money`). The sales reps are
people, not posts: their heads are the reps the scenario names.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from sim.clock import format_clock
from sim.fee.posts import REPS, STAFFING_POSTS
from sim.fee.ratecard import RateCard, Site
from sim.scenario.schema import Scenario
from sim.scenario.staffing import ShiftSpec


@dataclass(frozen=True)
class PostCount:
    """Posts on duty at once for one post, with how they were found (for the plan)."""

    post: str
    posts: int
    per_day: int
    basis: str
    heads: int | None = None  # set for people counted directly (the reps)


def peak_on_duty(shifts: dict[str, ShiftSpec], headcount: dict[str, int]) -> tuple[int, str]:
    """The most people of a post on duty at once, and when/which shifts (e.g. '13:00 A1+B1')."""
    best, when = 0, "—"
    for t in sorted({shifts[name].start for name in headcount}):
        on = [(n, k) for n, k in headcount.items() if shifts[n].start <= t < shifts[n].end and k]
        total = sum(k for _, k in on)
        if total > best:
            best = total
            when = f"{format_clock(t)} " + "+".join(f"{n}{k}" for n, k in on)
    return best, when


def _rep_peak(scenario: Scenario) -> tuple[int, str]:
    staffing = scenario.staffing
    rep_shifts = staffing.rep_shifts if staffing is not None else {}
    all_day = sum(1 for rep in scenario.reps if rep.name not in rep_shifts)
    if staffing is None or not rep_shifts:
        return all_day, "all day"
    counts: dict[str, int] = {}
    for shift in rep_shifts.values():
        counts[shift] = counts.get(shift, 0) + 1
    peak, when = peak_on_duty(staffing.shifts, counts)
    return peak + all_day, when + (f" + {all_day} all day" if all_day else "")


def from_scenario(scenario: Scenario) -> list[PostCount]:
    """Posts per staffed post of the scenario (posts with nobody on duty are left out)."""
    counts = []
    staffing = scenario.staffing
    for post in STAFFING_POSTS if staffing is not None else ():
        assert staffing is not None
        spec = getattr(staffing, post)
        if spec is None:
            continue
        peak, when = peak_on_duty(staffing.shifts, spec.headcount)
        if peak:
            per_day = sum(spec.headcount.values())
            counts.append(PostCount(post, peak, per_day, f"场景 scenario: peak {when}"))
    reps, when = _rep_peak(scenario)
    counts.append(PostCount(REPS, reps, len(scenario.reps),
                            f"场景 scenario: {len(scenario.reps)} reps, peak {when}",
                            heads=len(scenario.reps)))  # fmt: skip
    return counts


def rule_posts(area_m2: Decimal, m2_per_post: Decimal) -> int:
    """Posts a staffing-standard rule gives for an area: ceil(area / m² per post)."""
    return int((area_m2 / m2_per_post).to_integral_value(rounding=ROUND_CEILING))


def from_areas(card: RateCard, site: Site, scenario: Scenario) -> list[PostCount]:
    """Posts per post from measured areas and the card's staffing standard (reps from scenario)."""
    standard = card.staffing_standard
    assert standard is not None
    totals: dict[str, int] = dict(standard.fixed_posts)
    notes: dict[str, list[str]] = {p: [f"fixed {n}"] for p, n in standard.fixed_posts.items()}
    for rule in standard.rules:
        area = getattr(site, rule.area)
        n = rule_posts(area, rule.m2_per_post)
        totals[rule.post] = totals.get(rule.post, 0) + n
        notes.setdefault(rule.post, []).append(f"{rule.area} {area}m²/{rule.m2_per_post}={n}")
    counts = [
        PostCount(post, totals[post], totals[post], "面积 areas: " + "; ".join(notes[post]))
        for post in STAFFING_POSTS
        if totals.get(post)
    ]
    others = [p for p in totals if p not in (*STAFFING_POSTS, REPS) and totals[p]]
    counts += [PostCount(p, totals[p], totals[p], "面积 areas: " + "; ".join(notes[p]))
               for p in others]  # fmt: skip
    reps = len(scenario.reps)
    counts.append(PostCount(REPS, reps, reps, f"场景 scenario: {reps} reps", heads=reps))
    return counts
