"""The sizing search: the fewest people per desk and block that meet every target.

1. **Pilot and bounds.** The search days run once with every desk at its cap (the screen);
   if a target fails even there, sizing stops (:class:`Infeasible`). The pilot gives each
   desk's arrivals per block, from which the analytic start is computed: Erlang C's required
   agents for the desk's wait target in each block (or the offered load ``ceil(λ·s)``),
   never below the scenario's baseline. The called (selection) desk is a closed loop — its
   arrivals follow its own speed — so it starts from its baseline.
2. **Adding (screen).** While a target fails, people are added to the desk the target
   concerns, in the blocks where most groups wait past the target (the block in which the
   target time runs out; a group never served, e.g. never called by closing, in the first
   block below the cap from when it got stuck), half the late groups' work per day at once
   (at least one, and at least twice the previous round's where a block needs people
   again); a desk at its cap in every block where its groups wait (they wait because of
   the desks upstream) has people added where those groups waited upstream;
   event-wide targets try every desk's most-blamed block and keep the best
   (:mod:`sim.event_sizing.adding`).
3. **Removing (screen).** The single removals from post-blocks above baseline are screened in
   order; the first that keeps every target is taken down to the lowest count
   that does (the baseline, then bisection), and the scan goes on from there
   round the order until no single removal does: the plan is then minimal. Each candidate is
   first judged on the current plan's hardest days (:mod:`sim.event_sizing.probe`).
4. **Confirmation (SimPy)**, in :mod:`sim.event_sizing.confirm`.

The exchange phase that may follow is in :mod:`sim.event_sizing.exchange`.

Every step judges a plan by :func:`failing_targets`: in ``share_of_days`` a plan must meet every
target alone and all of them on the same days (:meth:`SizingCriterion.joint_met`).

All candidates meet the same visitors (common random numbers), so comparisons between plans
are paired and the search is deterministic for a given seed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.core.queueing import mmc_mean_wait, required_agents
from sim.event.inputs import EventPlan
from sim.event.kpis import EventTimes
from sim.event_sizing.evaluate import Counts, PlanEvaluator
from sim.event_sizing.outcome import Outcome
from sim.event_sizing.targets import SizingCriterion, SizingTarget, joint_met_days, met_days
from sim.scenario.event import Event


class Infeasible(Exception):
    """No headcount up to the caps meets a target: ``post`` is at its cap in ``block`` (from
    ``span[0]`` to ``span[1]``, minutes); ``best`` is the target KPI's best achieved value."""

    def __init__(self, target: SizingTarget, post: str, block: int, best: float,
                 edges: Sequence[float]) -> None:  # fmt: skip
        super().__init__(str(target))
        self.target, self.post, self.block, self.best = target, post, block, best
        self.edges = tuple(edges)
        self.span = (edges[block], edges[block + 1])

    def __reduce__(self) -> tuple[type[Infeasible], tuple[object, ...]]:
        # picklable (raised in a level's process, re-raised in the parent)
        return (Infeasible, (self.target, self.post, self.block, self.best, self.edges))


@dataclass
class Problem:
    """What is sized: desks (posts) × blocks, their baseline and cap, and the targets."""

    event: Event
    edges: tuple[float, ...]
    baseline: Counts
    caps: dict[str, int]
    targets: tuple[SizingTarget, ...]
    criterion: SizingCriterion

    @property
    def posts(self) -> list[str]:
        """Sized posts in visiting order."""
        return [d.post for d in self.event.desks]

    @property
    def blocks(self) -> int:
        """Number of time blocks."""
        return len(self.edges) - 1


@dataclass
class Removal:
    """Evidence of minimality: one person fewer at ``post`` in ``block`` misses ``target``."""

    post: str
    block: int
    target: SizingTarget
    achieved: float
    days: int


def baseline_counts(plan: EventPlan, edges: Sequence[float], post: str) -> tuple[int, ...]:
    """The scenario's people at ``post`` in each block (the most at any time in the block)."""
    pieces = plan.pieces.get(post, ())
    out = []
    for a, b in itertools.pairwise(edges):
        inside = [c for t, c in pieces if a <= t < b]
        before = [c for t, c in pieces if t <= a]
        out.append(max([*inside, before[-1] if before else 0]))
    return tuple(out)


def _block_of(edges: Sequence[float], t: np.ndarray) -> np.ndarray:
    return np.clip(np.searchsorted(edges, t, side="right") - 1, 0, len(edges) - 2)


def blame(problem: Problem, times: EventTimes, post: str, threshold: float,
          room: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """Groups per block (summed over days) still waiting at ``post`` when ``threshold``
    minutes have passed since they arrived, by the block in which that happens.

    A group never served there is stuck from its arrival (at the called desk, never called:
    from when it was ready, ``wait_from``, or when the calling opens if later); with ``room``
    (blocks where the desk is below its cap) it is blamed on the first block with room from
    ``stuck + threshold`` on, else on the latest block with room from ``stuck`` on: the
    closing block blamed before piled people at the end of the day while the groups waited
    from the morning, and then declared a false "impossible" (issue 17). One that reached
    the desk after its last block with room (after closing: it was held up upstream) is not
    blamed on this desk at all."""
    arr, st = times.arrive[post], times.start[post]
    late = late_groups(times, post, threshold)
    stuck = arr
    if times.wait_from is not None and post == problem.posts[1]:
        calling = problem.event.calling  # nobody is called before it opens
        opens = calling.opens if calling is not None else -np.inf
        stuck = np.where(np.isinf(arr), np.maximum(times.wait_from, opens), arr)
    when = np.where(late, stuck + threshold, np.nan)
    blocks = _block_of(problem.edges, np.where(np.isfinite(when), when, problem.edges[-1]))
    if room is not None and room.any():
        never = late & ~np.isfinite(st)
        first = _block_of(problem.edges, np.where(never, stuck, problem.edges[0]))
        nxt, fallback = next_with_room(room)[blocks], latest_with_room(room)[blocks]
        chosen = np.where(nxt >= 0, nxt, np.where(fallback >= first, fallback, -1))
        chosen = np.where(never & (stuck >= problem.edges[-1]), -1, chosen)
        blocks = np.where(never, chosen, blocks)
        late = late & (blocks >= 0)
    return np.bincount(blocks[late], minlength=problem.blocks).astype(float)


def late_groups(times: EventTimes, post: str, threshold: float) -> np.ndarray:
    """Days x groups: reached ``post`` and waited there longer than ``threshold`` minutes, or
    were never served there."""
    arr, st = times.arrive[post], times.start[post]
    with np.errstate(invalid="ignore"):  # never served (start nan or inf) is late too
        late: np.ndarray = ~np.isnan(arr) & ~(st - np.where(np.isnan(arr), 0, arr) <= threshold)
    return late


def next_with_room(room: np.ndarray) -> np.ndarray:
    """Per block: the first block from it on with room (-1 when none)."""
    out = np.full(len(room), -1)
    nxt = -1
    for b in range(len(room) - 1, -1, -1):
        nxt = b if room[b] else nxt
        out[b] = nxt
    return out


def latest_with_room(room: np.ndarray) -> np.ndarray:
    """Per block: the latest block up to it with room (-1 when none)."""
    out = np.full(len(room), -1)
    seen = -1
    for b in range(len(room)):
        seen = b if room[b] else seen
        out[b] = seen
    return out


def wait_threshold(problem: Problem, target: SizingTarget, post: str) -> float:
    """The wait (minutes) past which a group at ``post`` counts as late for ``target``: the
    target's own value for a wait percentile or mean, else the desk's target wait."""
    desk = next(d for d in problem.event.desks if d.post == post)
    metric = target.kpi.removeprefix(f"{post}_")
    return target.value if metric in ("wait_p90", "wait_mean") else desk.target_wait_min


def failing_targets(problem: Problem, out: Outcome, crit: SizingCriterion) -> list[SizingTarget]:
    """The targets ``out`` misses. When each holds alone but too few days meet every target
    at once (:meth:`SizingCriterion.joint_met`): the targets missed on any day, to act on in
    this order: those of a desk that people can help (``<=``) first, each group by the days
    missed (most first), then the smallest margin."""
    missed = [t for t in problem.targets if not crit.met(t, out.kpis[t.kpi])]
    if missed or crit.joint_met(problem.targets, out.kpis):
        return missed
    days = {t: int((~met_days(t, out.kpis[t.kpi])).sum()) for t in problem.targets}
    return sorted((t for t in problem.targets if days[t] > 0),
                  key=lambda t: (t.post is None or t.op != "<=", -days[t],
                                 crit.margin(t, out.kpis[t.kpi])))  # fmt: skip


def worst_miss(problem: Problem, missed: Sequence[SizingTarget], out: Outcome,
               crit: SizingCriterion) -> tuple[SizingTarget, float]:  # fmt: skip
    """Of the ``missed`` targets, the one ``out`` misses by most, and its achieved value (the
    evidence that a removal breaks the plan); a plan that misses only jointly: the joint
    target and the share of days meeting every target."""
    worst = min(missed, key=lambda t: crit.margin(t, out.kpis[t.kpi]))
    if crit.met(worst, out.kpis[worst.kpi]):  # every target alone holds: the joint share
        return crit.joint_target(), float(joint_met_days(problem.targets, out.kpis).mean())
    return worst, crit.achieved(worst, out.kpis[worst.kpi])


def slack(problem: Problem, out: Outcome, crit: SizingCriterion,
          targets: Sequence[SizingTarget] | None = None) -> float:  # fmt: skip
    """The smallest margin relative to its target value (the plan's tightest target; of
    ``targets`` when given, ``inf`` for none)."""
    return min((crit.margin(t, out.kpis[t.kpi]) / max(abs(t.value), 1.0)
                for t in (problem.targets if targets is None else targets)),
               default=math.inf)  # fmt: skip


def add_people(counts: Counts, post: str, block: int, delta: int = 1) -> Counts:
    """A copy of ``counts`` with ``delta`` more people (negative: fewer) at ``post`` in
    ``block``."""
    new = dict(counts)
    row = list(new[post])
    row[block] += delta
    new[post] = tuple(row)
    return new


def pilot(problem: Problem, ev: PlanEvaluator) -> Outcome:
    """The search days with every desk at its cap (for the demand per block).

    Missing a target here does not prove it impossible (in series, a faster upstream desk can
    flood the next one); impossibility is declared by :func:`add_until_met` when the desk a
    target needs is at its cap in every block where groups wait too long.
    """
    caps = {p: (problem.caps[p],) * problem.blocks for p in problem.posts}
    return ev.screen(caps, keep_times=True)


def demand(problem: Problem, times: EventTimes) -> dict[str, list[tuple[float, float]]]:
    """Per post and block: arrival rate (groups/min, mean over days) and mean service (min)."""
    out: dict[str, list[tuple[float, float]]] = {}
    days = times.valid.shape[0]
    for p in problem.posts:
        arr, svc = times.arrive[p], times.service[p]
        ok = np.isfinite(arr)
        blocks = _block_of(problem.edges, np.where(ok, arr, problem.edges[0]))
        mean_s = float(np.nanmean(np.where(ok, svc, np.nan))) if ok.any() else 0.0
        rows = []
        for b in range(problem.blocks):
            length = problem.edges[b + 1] - problem.edges[b]
            n = int((ok & (blocks == b)).sum())
            rows.append((n / days / length, mean_s))
        out[p] = rows
    return out


def analytic_start(problem: Problem, load: dict[str, list[tuple[float, float]]],
                   how: str = "erlang_c") -> Counts:  # fmt: skip
    """Per post and block: Erlang C's required agents for the post's wait targets (or the
    offered load), clipped to [baseline, cap]; the called desk starts at its baseline."""
    called = problem.posts[1] if problem.event.calling is not None else None
    start: Counts = {}
    for p in problem.posts:
        row = []
        for b, (lam, s) in enumerate(load[p]):
            need = 0
            if p != called and lam > 0 and s > 0:
                need = math.ceil(lam * s)
                if how == "erlang_c":
                    for t in problem.targets:
                        if t.post == p and t.op == "<=":
                            thr = wait_threshold(problem, t, p)
                            need = max(need, _erlang_need(t, lam, 1 / s, thr))
            row.append(min(problem.caps[p], max(problem.baseline[p][b], need)))
        start[p] = tuple(row)
    return start


def _erlang_need(t: SizingTarget, lam: float, mu: float, threshold: float) -> int:
    metric = t.kpi.split("_wait_")[-1] if "_wait_" in t.kpi else ""
    try:
        if metric == "p90":
            return required_agents(lam, mu, t.value, 0.9)
        if metric == "over_target":
            return required_agents(lam, mu, threshold, max(0.0, 1 - t.value))
        if metric == "mean":
            c = max(1, math.ceil(lam / mu))
            while mmc_mean_wait(c, lam, mu) > t.value:
                c += 1
            return c
    except ValueError:
        return 0
    return 0


def remove_while_met(problem: Problem, ev: PlanEvaluator, counts: Counts, crit: SizingCriterion,
                     ) -> Counts:  # fmt: skip
    """Step 3: remove people (post-blocks above baseline) while all targets hold; ends when no
    single removal keeps them (minimal on the screen).

    The single removals are screened in order (downstream desks first), each judged on the
    plan's hardest days first (:meth:`PlanEvaluator.judge`, through
    :meth:`PlanEvaluator.in_turn`; only those taken count their days), until one still meets
    every target; there the lowest count that does
    is found (:func:`_lowest_holding`) between the baseline and the current count, and the scan
    goes on from the next post-block, round the order, until a whole turn finds
    no removal that holds (every single removal of the plan then misses a target). One
    removal per screen made the search grow with the square of the attendance, and so did
    screening every removal of every pass, and then starting each pass again from the first
    post-block (issue 17)."""
    order = [(p, b) for p in reversed(problem.posts) for b in range(problem.blocks)]
    at = 0  # where the scan goes on: the post-block after the last removal
    while True:
        cells = [(p, b) for p, b in order[at:] + order[:at]
                 if counts[p][b] > problem.baseline[p][b]]  # fmt: skip
        trials = [add_people(counts, p, b, -1) for p, b in cells]
        hit = next((i for i, o in enumerate(ev.in_turn(trials, counts, crit))
                    if not failing_targets(problem, o, crit)), None)  # fmt: skip
        if hit is None:
            return counts
        p, b = cells[hit]
        counts = _lowest_holding(problem, ev, trials[hit], p, b, crit)
        at = (order.index((p, b)) + 1) % len(order)


def _lowest_holding(problem: Problem, ev: PlanEvaluator, counts: Counts, post: str,
                    block: int, crit: SizingCriterion) -> Counts:  # fmt: skip
    """The lowest count at ``post`` in ``block`` from the baseline up to the current one
    (which meets every target) at which every target still holds: the baseline first, then
    bisection. A count far below the need misses on the plan's hardest days alone
    (:meth:`PlanEvaluator.judge`), so the bisection's low trials cost a few days each, and
    a count that holds costs every day. Steps down of one, two, four, ... people from the
    current count (mostly counts that hold) took 20,808 simulated days on the launch day
    scaled to 3,200 people (seed 0, levels, curves), bisection 19,360, for the same plans
    at every level (issue 17)."""
    lo, hi = problem.baseline[post][block] - 1, counts[post][block]  # hi meets, lo: not known
    while hi - lo > 1:
        mid = (lo + hi) // 2 if lo >= problem.baseline[post][block] else lo + 1
        trial = add_people(counts, post, block, mid - counts[post][block])
        if failing_targets(problem, ev.judge(trial, crit, counts), crit):
            lo = mid
        else:
            hi = mid
    return add_people(counts, post, block, hi - counts[post][block])


def above_baseline(problem: Problem, counts: Counts) -> list[tuple[str, int]]:
    """The post-blocks where ``counts`` is above the scenario's baseline."""
    return [(p, b) for p in problem.posts for b in range(problem.blocks)
            if counts[p][b] > problem.baseline[p][b]]  # fmt: skip


def achieved(problem: Problem, out: Outcome, crit: SizingCriterion,
             ) -> list[tuple[SizingTarget, float, float]]:  # fmt: skip
    """(target, achieved, margin) for every target."""
    return [(t, crit.achieved(t, out.kpis[t.kpi]), crit.margin(t, out.kpis[t.kpi]))
            for t in problem.targets]  # fmt: skip
