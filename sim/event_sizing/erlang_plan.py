"""The value shown (issue 19 item 6): the per-desk peak Erlang C plan a planner would write.

For each desk with a wait target of its own: the people Erlang C (M/M/c) needs to meet that
target at the desk's **peak-block** arrival rate (the pilot's groups per minute in its busiest
block, :func:`sim.event_sizing.search.demand`) and mean service time, **held all day** — in
every block from the desk's first to its last block with arrivals or staff in the sized plan —
and never below the scenario's baseline nor above the desk's cap. A desk without a wait target
of its own, and the called (selection) desk, whose arrivals follow its own speed, hold the
sized plan's own peak all day. The property's service posts are the same in both plans (they
are sized from the crowd, not by Erlang C).

Checking it on the sized plan's fresh days uses the validation API unchanged
(:func:`sim.event_sizing.validate.validate`, same fresh seed).
"""

from __future__ import annotations

import math
from typing import Protocol

from sim.core.queueing import mmc_mean_wait, required_agents
from sim.event_sizing.evaluate import Counts, PlanEvaluator
from sim.event_sizing.search import Problem
from sim.event_sizing.targets import SizingTarget
from sim.event_sizing.validate import Validation, validate
from sim.scenario.schema import Scenario

Load = dict[str, list[tuple[float, float]]]


class Sized(Protocol):
    """What the Erlang C plan reads of a sizing result (:class:`~sim.event_sizing.sizer.
    SizingResult`; a protocol so that the sizer's booking-cost phase can use this module)."""

    scenario: Scenario
    problem: Problem
    counts: Counts
    demand: Load
    seed: int
    minimal: Counts | None


def erlang_agents(t: SizingTarget, lam: float, mu: float, target_wait: float) -> int:
    """Erlang C's people for one wait target (P90, mean, or share over ``target_wait``);
    0 when the KPI is not a wait Erlang C speaks to."""
    metric = t.kpi.split("_wait_")[-1] if "_wait_" in t.kpi else ""
    if lam <= 0 or t.op != "<=":
        return 0
    if metric == "p90":
        return required_agents(lam, mu, t.value, 0.9)
    if metric == "over_target":
        return required_agents(lam, mu, target_wait, max(0.0, 1 - t.value))
    if metric == "mean":
        c = max(1, math.ceil(lam / mu + 1e-9))
        while mmc_mean_wait(c, lam, mu) > t.value:
            c += 1
        return c
    return 0


def _peak_need(problem: Problem, load: Load, post: str) -> int | None:
    """Erlang C at the desk's peak-block rate, ``None`` when no target of its own applies."""
    called = problem.posts[1] if problem.event.calling is not None else None
    mine = [t for t in problem.targets if t.post == post]
    rows = load.get(post, [])
    if post == called or not mine or not rows:
        return None
    lam, s = max(rows)
    if lam <= 0 or s <= 0:
        return 0
    desk = next(d for d in problem.event.desks if d.post == post)
    return max(erlang_agents(t, lam, 1 / s, desk.target_wait_min) for t in mine)


def erlang_counts(problem: Problem, sized: Counts, load: Load) -> Counts:
    """The per-desk peak Erlang C plan beside the sized plan ``sized`` (see the module
    docstring; ``load``: the pilot's demand per post and block)."""
    out: Counts = {}
    for post in problem.posts:
        row, base = sized[post], problem.baseline[post]
        rates = [lam for lam, _ in load.get(post, [])] or [0.0] * problem.blocks
        active = [b for b in range(problem.blocks) if row[b] or base[b] or rates[b] > 0]
        need = _peak_need(problem, load, post)
        level = max(row) if need is None else need
        out[post] = tuple(
            min(problem.caps[post], max(base[b], level if active and active[0] <= b <= active[-1]
                                        else 0))
            for b in range(problem.blocks)
        )  # fmt: skip
    return out


def erlang_plan(result: Sized) -> Counts:
    """The per-desk peak Erlang C plan beside the person-block minimal plan (the answer's
    own plan when the result has no other)."""
    sized = result.minimal if result.minimal is not None else result.counts
    return erlang_counts(result.problem, sized, result.demand)


def check_fresh(result: Sized, counts: Counts, days: int,
                workers: int | None = None) -> Validation:  # fmt: skip
    """``counts`` on the same fresh days as the sized plan's validation (search seed +
    1,000,003, replications 0..days-1), SimPy."""
    pr = result.problem
    with PlanEvaluator(result.scenario, result.seed, 1, pr.edges, pr.targets, workers) as ev:
        return validate(ev, counts, pr.targets, pr.criterion, days)
