"""The booking-cost phase (issue 19 item 2): the sizer minimises the MONEY at the booking terms.

The person-block search (:mod:`sim.event_sizing.search`) finds the fewest people per desk and
block. Event staff are booked as shifts (:class:`~sim.scenario.event_booking.BookingTerms`),
so what a plan costs is its roster's billed units (:mod:`sim.event_sizing.roster`; ``salesim
size`` reads no rate card: one unit = one price). By the day a desk costs its peak, and the
people of its off-peak blocks are free: a plan with more person-blocks can be cheaper.

State: a plan whose desks hold **every free person** — each desk's cover is
:func:`~sim.event_sizing.roster.full_cover` of its need (cheapest roster, then the most
person-minutes on duty, at most the cap). Because the free people are always on duty, a move
that lowers the money is already "repaired" with everything that costs nothing more: by the
day, lowering one desk's peak leaves the other desks at their peak all day.

1. **Start**: the full cover of the person-block minimal plan; also the per-desk peak Erlang C
   plan (:mod:`sim.event_sizing.erlang_plan`) when its full cover meets every target on the
   screen and costs less (the tool then never costs more than that plan at the same terms).
2. **Moves** (screen, all search days): for each desk and booked shift, one person fewer on
   it, or the shift one block shorter at either end when that lowers its units; each re-filled
   to the full cover of the lower money. The cheapest move offered that meets every target
   is taken (ties: the first that holds, moves at desks with the most slack first,
   :func:`desk_slack`); a move that missed is offered again only once no other
   holds, so the phase stops on a round that screened every move and none held.
   By the hour the person-block minimum is already the least money (one unit = one
   person-block), so no move holds and the plan stays.
3. **Proof** (SimPy, :func:`prove`): the plan meets every target and one booked person fewer
   on any shift (re-filled) misses one — minimality in money.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.event_sizing.confirm import near_line
from sim.event_sizing.evaluate import Counts, PlanEvaluator
from sim.event_sizing.outcome import Outcome
from sim.event_sizing.roster import PostRoster, RosterError, full_cover, roster_post
from sim.event_sizing.search import Problem, failing_targets, slack, worst_miss
from sim.event_sizing.targets import SizingCriterion, SizingTarget
from sim.scenario.event_booking import BookingTerms


@dataclass
class BookedRemoval:
    """Evidence of minimality in money: one person fewer on ``shift`` at ``post`` misses
    ``target`` (SimPy, the search days)."""

    post: str
    shift: str
    target: SizingTarget
    achieved: float
    days: int


@dataclass
class Booked:
    """What the booking-cost phase did (units: the terms' person-hours, -half-days or -days,
    desks only; the service posts are rostered as sized in both plans)."""

    unit: str
    minimal_units: float
    """The person-block minimal plan's roster."""
    erlang_units: float
    """The per-desk peak Erlang C plan's roster."""
    erlang_met: bool
    """Whether the Erlang C plan meets every target on the search days (screen)."""
    start: str = "minimal"
    """``minimal`` or ``erlang_c``: the plan the phase started from."""
    start_units: float = 0.0
    units: float = 0.0
    """The booked plan's roster (the answer)."""
    moves: int = 0
    candidates: int = 0
    """Plans screened by the phase (each on every search day)."""
    removals: list[BookedRemoval] = field(default_factory=list)
    note: str = ""
    """Why the phase kept the minimal plan unchanged, when it did."""


class _Costs:
    """Full covers and their money per desk need, cached (each is a small integer program)."""

    def __init__(self, problem: Problem, terms: BookingTerms) -> None:
        self.problem, self.terms = problem, terms
        self._cache: dict[tuple[str, tuple[int, ...]], PostRoster] = {}

    def full(self, post: str, need: Sequence[int]) -> PostRoster:
        key = (post, tuple(need))
        if key not in self._cache:
            cap = [self.problem.caps[post]] * self.problem.blocks
            self._cache[key] = full_cover(post, need, self.problem.edges, self.terms, cap)
        return self._cache[key]

    def fill(self, counts: Counts) -> Counts:
        """Every desk at the full cover of its need."""
        return {p: self.full(p, counts[p]).cover for p in self.problem.posts}

    def units(self, counts: Counts) -> float:
        """Money of the desks' rosters (units)."""
        return sum(self.full(p, counts[p]).units for p in self.problem.posts)


def roster_units(problem: Problem, counts: Counts, terms: BookingTerms) -> float:
    """Billed units of the desks' cheapest rosters (:func:`roster_post`)."""
    return sum(roster_post(p, counts[p], problem.edges, terms).units for p in problem.posts)


def _covered(problem: Problem, start: float, end: float) -> np.ndarray:
    e = problem.edges
    return np.array([start <= e[b] + 1e-6 and e[b + 1] <= end + 1e-6
                     for b in range(problem.blocks)], dtype=int)  # fmt: skip


def moves(problem: Problem, costs: _Costs, counts: Counts, drops_only: bool = False,
          ) -> list[tuple[str, str, Counts]]:  # fmt: skip
    """``(post, shift label, plan)``: each plan one booked person fewer on a shift of one desk
    (or, unless ``drops_only``, the shift one block shorter at either end), re-filled, when it
    costs less and stays at or above the baseline."""
    out: list[tuple[str, str, Counts]] = []
    seen: set[tuple[tuple[int, ...], ...]] = set()
    for p in problem.posts:
        now = costs.full(p, counts[p])
        cover, base = np.array(now.cover), np.array(problem.baseline[p])
        for s in now.shifts:
            lost = _covered(problem, s.start, s.end)
            e = problem.edges
            options = [lost]
            if not drops_only:
                inner = [b for b in range(problem.blocks) if lost[b]]
                if len(inner) > 1:
                    options.append(lost - _covered(problem, e[inner[1]], s.end))
                    options.append(lost - _covered(problem, s.start, e[inner[-1]]))
            for cut in options:
                need = cover - cut
                if (need < base).any():
                    continue
                new = costs.full(p, [int(v) for v in need])
                if new.units >= now.units - 1e-9:
                    continue
                plan = dict(counts) | {p: new.cover}
                key = tuple(plan[q] for q in problem.posts)
                if key not in seen:
                    seen.add(key)
                    out.append((p, s.label, plan))
    return out


def book(problem: Problem, ev: PlanEvaluator, minimal: Counts, crit: SizingCriterion,
         terms: BookingTerms, erlang: Counts) -> tuple[Counts, Booked]:  # fmt: skip
    """The booking-cost phase (module docstring): the cheapest plan at ``terms`` found from
    the person-block ``minimal`` plan (which meets every target) and the ``erlang`` plan."""
    costs = _Costs(problem, terms)
    try:
        low, flat = roster_units(problem, minimal, terms), roster_units(problem, erlang, terms)
        starts = [("minimal", costs.fill(minimal)), ("erlang_c", costs.fill(erlang))]
    except RosterError as exc:  # the CLI reports it with the roster (one line, exit 2)
        return minimal, Booked(terms.unit_or_default, 0.0, 0.0, False, note=str(exc))
    outs = ev.screen_many([c for _, c in starts], minimal)
    info = Booked(terms.unit_or_default, low, flat, not failing_targets(problem, outs[1], crit),
                  candidates=2)  # fmt: skip
    ok = [(costs.units(c), i, name, c) for i, ((name, c), o) in enumerate(zip(starts, outs,
          strict=True)) if not failing_targets(problem, o, crit)]  # fmt: skip
    if not ok:  # every free person on duty misses a target (in series, a faster upstream
        info.note = "the full cover misses a target: kept the person-block plan"  # desk floods)
        info.units = info.start_units = low
        return minimal, info
    info.start_units, _, info.start, counts = min(ok)
    missed: set[tuple[str, str]] = set()
    while True:
        skip = frozenset(missed)
        found = [m for m in moves(problem, costs, counts) if (m[0], m[1]) not in skip]
        best = _cheapest(problem, ev, found, counts, costs, crit, info, missed)
        if best is None and not skip:  # every move screened on this plan: none holds
            break
        if best is None:  # the moves that missed before: once more, all of them
            missed.clear()
            continue
        counts = best
        info.moves += 1
    info.units = costs.units(counts)
    return counts, info


def _cheapest(problem: Problem, ev: PlanEvaluator, found: list[tuple[str, str, Counts]],
              counts: Counts, costs: _Costs, crit: SizingCriterion, info: Booked,
              missed: set[tuple[str, str]]) -> Counts | None:  # fmt: skip
    """The cheapest of the ``found`` moves' plans meeting every target, or ``None``: screened
    cheapest first and, at one cost, the moves at desks with the most slack in the current
    plan first (:func:`desk_slack`), up to the first that holds (each judged on the current
    plan's hardest days first, :meth:`PlanEvaluator.judge`). Screening every move of the
    cheapest cost that holds something and taking the most slack screened 63 plans that
    held for 25 moves on the launch day scaled to 3,200 people (some 6,300 of its 20,110
    simulated days); the first that holds, in this order, gave the same booked units at
    1,600 and 3,200 people, seeds 0, 1 and 2 (issue 17).

    A move that misses a target is added to ``missed`` (desk, shift), and :func:`book` does
    not offer it again until no other move holds: with fewer people elsewhere it seldom
    holds later, and re-screening every desk's drop at every move was most of the phase's
    screens (131 plans for 25 moves on the launch day scaled to 3,200 people, issue 17).
    The phase ends on a round that screened every move."""
    plans = [c for _, _, c in found]
    units = [costs.units(c) for c in plans]
    room = desk_slack(problem, ev.screen(counts), crit)
    order = sorted(range(len(plans)), key=lambda i: (units[i], -room[found[i][0]]))
    for i, o in zip(order, ev.in_turn([plans[i] for i in order], counts, crit), strict=False):
        info.candidates += 1  # counted when taken
        if not failing_targets(problem, o, crit):
            return plans[i]
        missed.add((found[i][0], found[i][1]))
    return None


def desk_slack(problem: Problem, out: Outcome, crit: SizingCriterion) -> dict[str, float]:
    """Per desk: the smallest margin (relative to the value) of the targets a change there can
    hurt (its own and those of the desks after it, and the event-wide ones)."""
    posts = problem.posts
    return {p: slack(problem, out, crit, [t for t in problem.targets
                                          if t.post is None or t.post in posts[i:]])
            for i, p in enumerate(posts)}  # fmt: skip


def prove(problem: Problem, ev: PlanEvaluator, counts: Counts, crit: SizingCriterion,
          terms: BookingTerms, info: Booked) -> tuple[Counts, Outcome] | None:  # fmt: skip
    """SimPy on the search days: the booked plan meets every target, and one booked person
    fewer on any desk's shift (re-filled) misses one (``info.removals``): every plan on the
    screen, verified in SimPy (:meth:`PlanEvaluator.verified`: the days that decide the
    verdict) the plan and the removals the screen has close to the line, as in
    :func:`sim.event_sizing.confirm.confirm`. A removal that (against the screen) still met
    every target would be taken and re-checked. ``None`` when the plan itself misses in SimPy
    (the caller keeps the person-block plan)."""
    costs = _Costs(problem, terms)
    while True:
        out = ev.verified(counts)
        if failing_targets(problem, out, crit):  # pragma: no cover - screen == SimPy
            return None
        info.removals = []
        drops = moves(problem, costs, counts, drops_only=True)
        for _, _, trial in drops:
            ev.complete(trial)
        screened = ev.screen_many([trial for _, _, trial in drops], counts)
        for (post, label, trial), res in zip(drops, screened, strict=True):
            if near_line(problem, res, crit, ev.days):
                res = ev.verified(trial, crit)
            missed = failing_targets(problem, res, crit)
            if not missed:  # pragma: no cover - the screen said it misses
                counts = trial
                break
            evidence = worst_miss(problem, missed, res, crit)
            info.removals.append(BookedRemoval(post, label, *evidence, res.days))
        else:
            info.units = costs.units(counts)
            return counts, out
