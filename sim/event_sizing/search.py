"""The sizing search: the fewest people per desk and block that meet every target.

1. **Pilot and bounds.** The search days run once with every desk at its cap (the screen);
   if a target fails even there, sizing stops (:class:`Infeasible`). The pilot gives each
   desk's arrivals per block, from which the analytic start is computed: Erlang C's required
   agents for the desk's wait target in each block (or the offered load ``ceil(λ·s)``),
   never below the scenario's baseline. The called (selection) desk is a closed loop — its
   arrivals follow its own speed — so it starts from its baseline.
2. **Adding (screen).** While a target fails, one person is added to the desk the target
   concerns, in the block where most groups wait past the target (the block in which the
   target time runs out); event-wide targets, and a desk at its cap in every block where its
   groups wait (they wait because of the desks upstream), try every desk's most-blamed block
   and keep the best.
3. **Removing (screen).** One person at a time is removed from post-blocks above baseline
   while every target still holds, until no single removal does: the plan is then minimal.
4. **Confirmation (SimPy).** The plan is run in the SimPy model on the same days (it must
   meet every target), and so is every plan with one person fewer in one post-block above
   baseline (each must miss a target): minimality is proven on the full model.

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
from sim.event_sizing.evaluate import Counts, Outcome, PlanEvaluator
from sim.event_sizing.targets import SizingCriterion, SizingTarget
from sim.scenario.event import Event


class Infeasible(Exception):
    """No headcount up to the caps meets a target: ``post`` is at its cap in ``block`` (from
    ``span[0]`` to ``span[1]``, minutes); ``best`` is the target KPI's best achieved value."""

    def __init__(self, target: SizingTarget, post: str, block: int, best: float,
                 edges: Sequence[float]) -> None:  # fmt: skip
        super().__init__(str(target))
        self.target, self.post, self.block, self.best = target, post, block, best
        self.span = (edges[block], edges[block + 1])


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
    from when it was ready, ``wait_from``); with ``room`` (blocks where the desk is below its
    cap) it is blamed on the first block with room from ``stuck + threshold`` on: the closing
    block blamed before piled people at the end of the day while the groups waited from the
    morning, and then declared a false "impossible" (issue 17)."""
    arr, st = times.arrive[post], times.start[post]
    with np.errstate(invalid="ignore"):  # never served (start nan or inf) is late too
        late = ~np.isnan(arr) & ~(st - np.where(np.isnan(arr), 0, arr) <= threshold)
    stuck = arr
    if times.wait_from is not None and post == problem.posts[1]:
        stuck = np.where(np.isinf(arr), times.wait_from, arr)
    when = np.where(late, stuck + threshold, np.nan)
    blocks = _block_of(problem.edges, np.where(np.isfinite(when), when, problem.edges[-1]))
    if room is not None and room.any():
        never = late & ~np.isfinite(st)
        blocks = np.where(never, _next_with_room(room)[blocks], blocks)
    return np.bincount(blocks[late], minlength=problem.blocks).astype(float)


def _next_with_room(room: np.ndarray) -> np.ndarray:
    """Per block: the first block from it on with room, else the last block with room."""
    last = int(np.flatnonzero(room)[-1])
    out = np.full(len(room), last)
    nxt = last
    for b in range(len(room) - 1, -1, -1):
        if room[b]:
            nxt = b
        out[b] = nxt if b <= last else last
    return out


def _threshold(problem: Problem, target: SizingTarget, post: str) -> float:
    desk = next(d for d in problem.event.desks if d.post == post)
    metric = target.kpi.removeprefix(f"{post}_")
    return target.value if metric in ("wait_p90", "wait_mean") else desk.target_wait_min


def _failing(problem: Problem, out: Outcome, crit: SizingCriterion) -> list[SizingTarget]:
    return [t for t in problem.targets if not crit.met(t, out.kpis[t.kpi])]


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
                            need = max(need, _erlang_need(t, lam, 1 / s, _threshold(problem, t, p)))
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


def add_until_met(problem: Problem, ev: PlanEvaluator, counts: Counts, crit: SizingCriterion,
                  ) -> Counts:  # fmt: skip
    """Step 2: add people where groups wait too long until every target holds (screen)."""
    while True:
        out = ev.screen(counts, keep_times=True)
        assert out.times is not None
        failing = _failing(problem, out, crit)
        if not failing:
            return counts
        posts_done: set[str] = set()
        for t in failing:
            post = t.post
            if post is None:
                counts = _best_single(problem, ev, counts, crit, t, out.times)
                break
            if post in posts_done or t.op != "<=":
                continue
            posts_done.add(post)
            room = np.array(counts[post]) < problem.caps[post]
            b = blame(problem, out.times, post, _threshold(problem, t, post), room)
            b = np.where(room, b, -1)
            if b.max() <= 0:
                # the desk is at its cap wherever its groups wait: they wait because of the
                # desks upstream (issue 17), so try one more person at every desk's most-blamed
                # block and keep the best; impossible only when every desk is at its cap
                upstream = problem.posts[:problem.posts.index(post)]
                counts = _best_single(problem, ev, counts, crit, t, out.times, upstream,
                                      crit.achieved(t, out.kpis[t.kpi]))  # fmt: skip
                break
            counts = _add_where_late(counts, post, b)
        else:
            if not posts_done:  # only '>=' targets fail: adding people cannot help
                t = failing[0]
                raise Infeasible(t, t.post or problem.posts[0], 0,
                                 crit.achieved(t, out.kpis[t.kpi]), problem.edges)  # fmt: skip


def _add_where_late(counts: Counts, post: str, late: np.ndarray) -> Counts:
    """One more person in every block (below the cap: ``late >= 0``) with at least half as
    many late groups as the worst block: a large event needs many people, and one per screen
    made the search grow with the square of attendance (issue 17); the removal step trims any
    person too many."""
    for block in np.flatnonzero(late >= max(1.0, late.max() / 2)):
        counts = add_people(counts, post, int(block))
    return counts


def _best_single(problem: Problem, ev: PlanEvaluator, counts: Counts, crit: SizingCriterion,
                 t: SizingTarget, times: EventTimes, posts: Sequence[str] | None = None,
                 reached: float = math.nan) -> Counts:  # fmt: skip
    """An event-wide target (or a desk at its cap, with ``posts`` its upstream desks): try one
    more person at each desk's most-blamed block and keep the best; :class:`Infeasible` (with
    ``reached``, the target's value now) when every one of them is at its cap."""
    best: tuple[float, Counts] | None = None
    for p in problem.posts if posts is None else posts:
        room = np.array(counts[p]) < problem.caps[p]
        b = blame(problem, times, p, next(d.target_wait_min for d in problem.event.desks
                                          if d.post == p), room)  # fmt: skip
        b = np.where(room, b, -1)
        if b.max() < 0:
            continue
        trial = add_people(counts, p, int(b.argmax()))
        margin = crit.margin(t, ev.screen(trial).kpis[t.kpi])
        if best is None or margin > best[0]:
            best = (margin, trial)
    if best is None:
        post = t.post or problem.posts[0]
        raise Infeasible(t, post, int(np.argmax(counts[post])), reached, problem.edges)
    return best[1]


def remove_while_met(problem: Problem, ev: PlanEvaluator, counts: Counts, crit: SizingCriterion,
                     ) -> Counts:  # fmt: skip
    """Step 3: remove one person at a time (post-blocks above baseline) while all targets
    hold; ends when no single removal keeps them (minimal on the screen)."""
    changed = True
    while changed:
        changed = False
        for p in reversed(problem.posts):  # downstream first: cheapest to re-screen
            for b in range(problem.blocks):
                while counts[p][b] > problem.baseline[p][b]:
                    trial = add_people(counts, p, b, -1)
                    if _failing(problem, ev.screen(trial), crit):
                        break
                    counts, changed = trial, True
    return counts


def confirm(problem: Problem, ev: PlanEvaluator, counts: Counts, crit: SizingCriterion,
            ) -> tuple[Counts, list[Removal], Outcome]:  # fmt: skip
    """Step 4: SimPy confirms the plan and that each single removal misses a target; a
    removal that (against the screen) still met every target would be taken and re-checked."""
    while True:
        out = ev.simpy(counts)
        if _failing(problem, out, crit):
            counts = add_until_met(problem, ev, counts, crit)  # pragma: no cover - screen == SimPy
            continue
        removals: list[Removal] = []
        for p in problem.posts:
            for b in range(problem.blocks):
                if counts[p][b] <= problem.baseline[p][b]:
                    continue
                trial = add_people(counts, p, b, -1)
                res = ev.simpy(trial, crit)
                missed = _failing(problem, res, crit)
                if not missed:  # pragma: no cover - the screen said it misses
                    counts = trial
                    break
                worst = min(missed, key=lambda t: crit.margin(t, res.kpis[t.kpi]))
                removals.append(Removal(p, b, worst, crit.achieved(worst, res.kpis[worst.kpi]),
                                        res.days))  # fmt: skip
            else:
                continue
            break
        else:
            return counts, removals, out


def achieved(problem: Problem, out: Outcome, crit: SizingCriterion,
             ) -> list[tuple[SizingTarget, float, float]]:  # fmt: skip
    """(target, achieved, margin) for every target."""
    return [(t, crit.achieved(t, out.kpis[t.kpi]), crit.margin(t, out.kpis[t.kpi]))
            for t in problem.targets]  # fmt: skip


@dataclass
class Exchange:
    """What the exchange phase (:func:`improve`) did."""

    before: int = 0
    """Total person-blocks of the greedy (minimal) plan."""
    after: int = 0
    """Total person-blocks after the exchange moves."""
    cheaper: int = 0
    """Accepted moves that cut the total by one (a shift, then a removal: remove 2, add 1)."""
    plateau: int = 0
    """Accepted shifts at the same total that a later cut built on."""
    rounds: int = 0
    candidates: int = 0
    """Plans screened by the phase (each on every search day)."""

    @property
    def accepted(self) -> int:
        """Exchange moves in the final plan (cuts and the plateau shifts they needed)."""
        return self.cheaper + self.plateau


def total(counts: Counts) -> int:
    """Person-blocks of a plan (the sum of its counts over posts and blocks)."""
    return sum(sum(row) for row in counts.values())


def plan_key(problem: Problem, counts: Counts) -> tuple[int, float, tuple[int, ...]]:
    """Plans are ranked by total person-blocks, then person-minutes (a shorter last block is
    cheaper), then the lexicographically earlier counts (posts in order): deterministic ties."""
    lengths = [b - a for a, b in itertools.pairwise(problem.edges)]
    minutes = sum(c * m for p in problem.posts for c, m in zip(counts[p], lengths, strict=True))
    return total(counts), round(minutes, 6), tuple(c for p in problem.posts for c in counts[p])


def neighbours(problem: Problem, post: str, block: int) -> list[tuple[str, int]]:
    """Where a person from ``(post, block)`` may be shifted: the same desk in the adjacent
    blocks, and the previous or next desk in the same or an adjacent block (in series,
    throttling upstream can shorten the waits downstream)."""
    i = problem.posts.index(post)
    out = []
    for di in (-1, 0, 1):
        for db in (-1, 0, 1):
            j, b = i + di, block + db
            if (di, db) == (0, 0) or not (0 <= j < len(problem.posts)) or not (
                    0 <= b < problem.blocks):  # fmt: skip
                continue
            out.append((problem.posts[j], b))
    return out


def _above(problem: Problem, counts: Counts) -> list[tuple[str, int]]:
    return [(p, b) for p in problem.posts for b in range(problem.blocks)
            if counts[p][b] > problem.baseline[p][b]]  # fmt: skip


def _slack(problem: Problem, out: Outcome, crit: SizingCriterion) -> float:
    """The smallest margin relative to its target value (the plan's tightest target)."""
    return min(crit.margin(t, out.kpis[t.kpi]) / max(abs(t.value), 1.0) for t in problem.targets)


def _frozen(counts: Counts) -> tuple[tuple[int, ...], ...]:
    return tuple(counts[p] for p in sorted(counts))


def improve(problem: Problem, ev: PlanEvaluator, counts: Counts, crit: SizingCriterion,
            max_rounds: int = 12, max_plateau: int = 2, shifts_tried: int = 4,
            ) -> tuple[Counts, Exchange]:  # fmt: skip
    """The exchange phase after the greedy search (screen, the same search days).

    Each round screens every *shift* of one person from a post-block above baseline to a
    :func:`neighbours` post-block below its cap. For the ``shifts_tried`` feasible shifts with
    the most slack, every single removal is screened; the best feasible one (:func:`plan_key`)
    is a plan one person cheaper ("remove 2, add 1"), taken, and the round repeats. When no
    shift leads to a cut, the feasible shift with the most slack is taken as a plateau move
    (at most ``max_plateau`` in a row, never back to a plan already visited) in case it
    enables a cut in the next round; plateau shifts that led nowhere are undone. ``counts``
    must meet every target; the result meets every target and never costs more.
    """
    stats = Exchange(before=total(counts), after=total(counts))
    best = counts
    seen = {_frozen(counts)}
    flat = 0
    for _ in range(max_rounds):
        stats.rounds += 1
        shifts: list[tuple[tuple[str, int], Counts]] = []
        for p, b in _above(problem, counts):
            for q, c in neighbours(problem, p, b):
                if counts[q][c] >= problem.caps[q]:
                    continue
                trial = add_people(add_people(counts, p, b, -1), q, c, 1)
                if _frozen(trial) not in seen:
                    shifts.append(((q, c), trial))
        outs = ev.screen_many([s for _, s in shifts], counts)
        stats.candidates += len(shifts)
        feasible = sorted(((-_slack(problem, o, crit), plan_key(problem, s), added, s)
                           for (added, s), o in zip(shifts, outs, strict=True)
                           if not _failing(problem, o, crit)),
                          key=lambda x: (x[0], x[1]))  # fmt: skip
        cut: Counts | None = None
        for _, _, added, s in feasible[:shifts_tried]:
            fewer = [add_people(s, p, b, -1) for p, b in _above(problem, s) if (p, b) != added]
            outs2 = ev.screen_many(fewer, s)
            stats.candidates += len(fewer)
            ok = [f for f, o in zip(fewer, outs2, strict=True) if not _failing(problem, o, crit)]
            if ok:
                cut = min(ok, key=lambda f: plan_key(problem, f))
                break
        if cut is not None:
            stats.cheaper += 1
            stats.plateau += flat
            flat = 0
            counts = best = cut
            seen.add(_frozen(cut))
            continue
        if flat < max_plateau and feasible:
            flat += 1
            counts = feasible[0][3]
            seen.add(_frozen(counts))
            continue
        break
    best = remove_while_met(problem, ev, best, crit)  # a cut may leave a plain removal
    stats.after = total(best)
    return best, stats
