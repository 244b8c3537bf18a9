"""Baseline posts (基础岗位): posts per post, from the scenario or measured areas.

- From the scenario: a post's posts (岗位) are its people on shift a day, the sum of its
  headcounts over all shifts (each person works one shift a day, so a post covered by an early
  and a late shift, 一岗两班, is two posts whether the shifts overlap or run back to back). The
  most people on duty at once is only shown in the basis text.
- From measured areas: each staffing-standard rule gives ``ceil(area m² / m2_per_post)``
  posts (0 when the area is 0); a post's posts are the sum over its rules plus its fixed posts.

Heads are then ``ceil(posts × relief factor)`` (see :mod:`sim.fee.money`): the relief factor
covers rest days. The sales reps are people, not posts: their posts and heads are the reps the
scenario names (each on one shift a day).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from sim.core.clock import format_clock
from sim.fee.posts import REPS, STAFFING_POSTS
from sim.fee.ratecard import RateCard, Site
from sim.scenario.schema import Scenario
from sim.scenario.staffing import ShiftSpec


@dataclass(frozen=True)
class PostCount:
    """Posts (people on shift a day) of one post, with how they were found (for the plan)."""

    post: str
    posts: int
    peak: int | None  # most on duty at once (information only; None from areas)
    basis: str
    heads: int | None = None  # set for people counted directly (the reps)


def peak_on_duty(shifts: dict[str, ShiftSpec], headcount: dict[str, int]) -> tuple[int, str]:
    """The most people of a post on duty at once, and when/which shifts (e.g. '13:00 A1+B1').

    Not the number of posts (that is the sum of the headcounts): shown in the basis text only.
    """
    best, when = 0, "—"
    for t in sorted({shifts[name].start for name in headcount}):
        on = [(n, k) for n, k in headcount.items() if shifts[n].start <= t < shifts[n].end and k]
        total = sum(k for _, k in on)
        if total > best:
            best = total
            when = f"{format_clock(t)} " + "+".join(f"{n}{k}" for n, k in on)
    return best, when


def _shift_sum(headcount: dict[str, int]) -> str:
    """The headcounts of the shifts that have people, e.g. 'A2+B1'."""
    return "+".join(f"{name}{k}" for name, k in headcount.items() if k) or "0"


def _reps(scenario: Scenario) -> PostCount:
    """The reps' line: each named rep is on shift once a day (a post and a head each)."""
    staffing = scenario.staffing
    rep_shifts = staffing.rep_shifts if staffing is not None else {}
    reps = len(scenario.reps)
    all_day = sum(1 for rep in scenario.reps if rep.name not in rep_shifts)
    if staffing is None or not rep_shifts:
        return PostCount(REPS, reps, reps, f"场景 scenario: {reps} reps, all day", heads=reps)
    counts: dict[str, int] = {}
    for shift in rep_shifts.values():
        counts[shift] = counts.get(shift, 0) + 1
    peak, when = peak_on_duty(staffing.shifts, counts)
    extra = f" + {all_day} all day" if all_day else ""
    basis = (f"场景 scenario: {reps} reps a day ({_shift_sum(counts)}{extra}); at most "
             f"{peak + all_day} at once ({when}{extra})")  # fmt: skip
    return PostCount(REPS, reps, peak + all_day, basis, heads=reps)


def from_scenario(scenario: Scenario) -> list[PostCount]:
    """Posts per staffed post of the scenario: the sum of its shift headcounts (people on shift
    a day); posts with nobody on shift are left out. The reps' line comes last."""
    staffing = scenario.staffing
    if staffing is None:
        return [_reps(scenario)]
    counts = []
    for post in STAFFING_POSTS:
        spec = getattr(staffing, post)
        if spec is None:
            continue
        per_day = sum(spec.headcount.values())
        if per_day:
            peak, when = peak_on_duty(staffing.shifts, spec.headcount)
            basis = (f"场景 scenario: {_shift_sum(spec.headcount)} = {per_day} on shift a day; "
                     f"at most {peak} at once ({when})")  # fmt: skip
            counts.append(PostCount(post, per_day, peak, basis))
    counts.append(_reps(scenario))
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
        PostCount(post, totals[post], None, "面积 areas: " + "; ".join(notes[post]))
        for post in STAFFING_POSTS
        if totals.get(post)
    ]
    others = [p for p in totals if p not in (*STAFFING_POSTS, REPS) and totals[p]]
    counts += [PostCount(p, totals[p], None, "面积 areas: " + "; ".join(notes[p]))
               for p in others]  # fmt: skip
    counts.append(_reps(scenario))
    return counts
