"""The exchange phase after the greedy sizing search (:func:`improve`): "remove 2, add 1"
moves between neighbouring post-blocks on the screen, on the same search days."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sim.event_sizing.evaluate import Counts, PlanEvaluator
from sim.event_sizing.search import (
    Problem,
    above_baseline,
    add_people,
    failing_targets,
    remove_while_met,
    slack,
)
from sim.event_sizing.targets import SizingCriterion

EXCHANGE_BUDGET = 600
"""Plans the exchange phase may screen (on a reference day of :data:`REF_GROUP_DAYS`)."""
REF_GROUP_DAYS = 50_000
"""Groups x search days of the reference (100 days of about 500 groups): the budget shrinks
with the square of a larger event's group-days (each plan costs more, and there are more
post-blocks to shift), so a 3,000-person launch day skips the phase (issue 17)."""


def exchange_budget(ev: PlanEvaluator, budget: int = EXCHANGE_BUDGET) -> int:
    """Plans the phase may screen for the evaluator's days and groups."""
    group_days = float(ev.visitors.valid.sum())
    return int(budget * min(1.0, REF_GROUP_DAYS / max(group_days, 1.0)) ** 2)


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


def _frozen(counts: Counts) -> tuple[tuple[int, ...], ...]:
    return tuple(counts[p] for p in sorted(counts))


def improve(problem: Problem, ev: PlanEvaluator, counts: Counts, crit: SizingCriterion,
            max_rounds: int = 12, max_plateau: int = 2, shifts_tried: int = 4,
            budget: int | None = None) -> tuple[Counts, Exchange]:  # fmt: skip
    """The exchange phase after the greedy search (screen, the same search days).

    Each round screens every *shift* of one person from a post-block above baseline to a
    :func:`neighbours` post-block below its cap. For the ``shifts_tried`` feasible shifts with
    the most slack, every single removal is screened; the best feasible one (:func:`plan_key`)
    is a plan one person cheaper ("remove 2, add 1"), taken, and the round repeats. When no
    shift leads to a cut, the feasible shift with the most slack is taken as a plateau move
    (at most ``max_plateau`` in a row, never back to a plan already visited) in case it
    enables a cut in the next round; plateau shifts that led nowhere are undone. ``counts``
    must meet every target (the greedy plan: minimal by single removals, which is
    re-checked only after a cut); the result meets every target and never costs more. No round
    starts whose shifts would take the plans screened past ``budget`` (default
    :func:`exchange_budget`): a plan with many post-blocks above baseline has hundreds of
    shifts per round, each costing a screen (issue 17).
    """
    stats = Exchange(before=total(counts), after=total(counts))
    best = counts
    seen = {_frozen(counts)}
    flat = 0
    limit = exchange_budget(ev) if budget is None else budget
    for _ in range(max_rounds):
        shifts: list[tuple[tuple[str, int], Counts]] = []
        for p, b in above_baseline(problem, counts):
            for q, c in neighbours(problem, p, b):
                if counts[q][c] >= problem.caps[q]:
                    continue
                trial = add_people(add_people(counts, p, b, -1), q, c, 1)
                if _frozen(trial) not in seen:
                    shifts.append(((q, c), trial))
        if stats.candidates + len(shifts) > limit:
            break
        stats.rounds += 1
        outs = ev.screen_many([s for _, s in shifts], counts)
        stats.candidates += len(shifts)
        feasible = sorted(((-slack(problem, o, crit), plan_key(problem, s), added, s)
                           for (added, s), o in zip(shifts, outs, strict=True)
                           if not failing_targets(problem, o, crit)),
                          key=lambda x: (x[0], x[1]))  # fmt: skip
        cut: Counts | None = None
        for _, _, added, s in feasible[:shifts_tried]:
            fewer = [add_people(s, p, b, -1) for p, b in above_baseline(problem, s)
                     if (p, b) != added]
            outs2 = ev.screen_many(fewer, s)
            stats.candidates += len(fewer)
            ok = [f for f, o in zip(fewer, outs2, strict=True)
                  if not failing_targets(problem, o, crit)]
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
    if stats.cheaper:  # a cut may leave a plain removal (the greedy plan is minimal)
        best = remove_while_met(problem, ev, best, crit)
    stats.after = total(best)
    return best, stats
