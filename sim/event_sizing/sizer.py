"""``size()``: the whole sizing run (pilot, search, SimPy confirmation, other confidences, and
optionally the out-of-sample validation on fresh days)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sim.core.collector import collector_paused
from sim.event.inputs import EventPlan
from sim.event_sizing.adding import add_until_met
from sim.event_sizing.booked import Booked, book, prove
from sim.event_sizing.confirm import confirm
from sim.event_sizing.crowd import WaitingSeats, waiting_seats
from sim.event_sizing.erlang_plan import erlang_counts, erlang_plan
from sim.event_sizing.evaluate import Counts, PlanEvaluator
from sim.event_sizing.exchange import Exchange, improve
from sim.event_sizing.forked import Beside
from sim.event_sizing.levels import start_levels
from sim.event_sizing.outcome import Outcome, Usage
from sim.event_sizing.queue_posts import ParkingCheck, parking_check
from sim.event_sizing.search import (
    Problem,
    Removal,
    achieved,
    add_people,
    analytic_start,
    baseline_counts,
    demand,
    pilot,
    remove_while_met,
)
from sim.event_sizing.service_posts import ServiceNeeds, service_needs
from sim.event_sizing.targets import Mode, SizingCriterion, SizingTarget
from sim.event_sizing.validate import ServiceCheck, Validation, validate, validate_service
from sim.scenario.schema import Scenario

OTHER_LEVELS = (0.90, 0.99)


@dataclass
class SizingResult:
    """The answer and how it was reached."""

    scenario: Scenario
    problem: Problem
    counts: Counts
    start: Counts
    achieved: list[tuple[SizingTarget, float, float]]
    removals: list[Removal]
    counts_at: dict[float, Counts]
    demand: dict[str, list[tuple[float, float]]]
    usage: Usage
    seconds: float
    days: int
    seed: int
    curves: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    validation: Validation | None = None
    validation_seconds: float = 0.0
    exchange: Exchange | None = None
    greedy: Counts | None = None
    """The greedy search's plan (before the exchange phase)."""
    service: Counts = field(default_factory=dict)
    """Property-service posts (物业选配岗位: ratio and coverage posts) per block, from the
    sized plan's simulated crowd on the search days (screen)."""
    service_at: dict[float, Counts] = field(default_factory=dict)
    seats: WaitingSeats | None = None
    """The waiting area's seats against the simulated peak (launch days with calling)."""
    parking: ParkingCheck | None = None
    """The car park's spaces against the simulated peak of cars (with ``event.parking``)."""
    service_checks: list[ServiceCheck] = field(default_factory=list)
    """The ratio posts on the fresh validation days (empty without validation)."""
    status: str = "ok"
    """``ok``, or ``failed``: the fresh check still misses after every round (NOT an answer)."""
    rounds: int = 0
    """Further search rounds the joint fresh check needed (issue 19 item 1)."""
    search_level: float = 0.0
    """The per-target level of the last search round (the stated level in round 0)."""
    minimal: Counts | None = None
    """The person-block minimal plan (``counts`` is the booked plan: every person the roster
    at the booking terms puts on duty, :mod:`sim.event_sizing.booked`)."""
    booked: Booked | None = None
    """What the booking-cost phase did (issue 19 item 2)."""
    erlang_validation: Validation | None = None
    """The per-desk peak Erlang C plan on the same fresh days (with validation days)."""


def make_edges(open_: float, close: float, block_min: float) -> tuple[float, ...]:
    """Block boundaries from opening to closing (the last block may be shorter)."""
    edges = [open_]
    while edges[-1] + block_min < close - 1e-9:
        edges.append(edges[-1] + block_min)
    return (*edges, close)


def make_problem(scenario: Scenario, targets: Sequence[SizingTarget], mode: Mode, confidence: float,
                 block_min: float, joint_level: float | None = None) -> Problem:  # fmt: skip
    """The sizing problem of an event scenario (``joint_level``:
    :attr:`SizingCriterion.joint_level`)."""
    ev = scenario.event
    if ev is None:
        raise ValueError(f"scenario {scenario.name!r} has no event: section to size")
    edges = make_edges(scenario.day.open, scenario.day.close, block_min)
    base = EventPlan.baseline(scenario)
    baseline: Counts = {str(d.post): baseline_counts(base, edges, d.post) for d in ev.desks}
    caps = {str(d.post): d.cap for d in ev.desks}
    crit = SizingCriterion(mode, confidence, joint_level)
    return Problem(ev, edges, baseline, caps, tuple(targets), crit)


JOINT_ROUNDS = 2
"""Budget of further search rounds when the joint fresh check misses (issue 19 item 1)."""


def inner_level(level: float, targets: int, round_: int, rounds: int = JOINT_ROUNDS) -> float:
    """The per-target level the search uses in ``round_`` (0 = the stated level): from ``level``
    to the union (Bonferroni) level ``1 - (1 - level)/k`` at the last round, at which every one
    of ``k`` targets failing on at most ``(1 - level)/k`` of the days leaves all of them met on
    at least ``level`` of the days (P(any fails) <= sum of the shares)."""
    union = 1 - (1 - level) / max(1, targets)
    return level + (union - level) * min(round_, rounds) / rounds


def exchange_pays(problem: Problem) -> bool:
    """Whether the exchange phase (:func:`~sim.event_sizing.exchange.improve`) can lower what
    the developer is billed: only when desks are booked by the hour, where the person-block
    plan is the money. Booked by the half day or the day, the booking-cost phase
    (:mod:`sim.event_sizing.booked`) minimises the money itself from the person-block plan;
    there the exchange left the booked units unchanged on the launch day scaled to 1,200 and
    1,600 people, at about 25,100 of 37,460 simulated days at 1,200 and a further search
    round at 1,600 (issue 17 item 1)."""
    return problem.event.booking.unit_or_default == "hour"


@collector_paused()  # collected after the run (sim.core.collector; its workers: between tasks)
def size(scenario: Scenario, targets: Sequence[SizingTarget], mode: Mode = "share_of_days",
         confidence: float = 0.95, block_min: float = 60.0, days: int = 100, seed: int = 0,
         workers: int | None = None, start: str = "erlang_c",
         levels: Sequence[float] = OTHER_LEVELS, curves: bool = True,
         validate_days: int = 0, exchange_moves: bool | None = None,
         joint_rounds: int = JOINT_ROUNDS) -> SizingResult:  # fmt: skip
    """Size every desk of ``scenario`` per block; raises
    :class:`~sim.event_sizing.search.Infeasible` when a target cannot be met within the caps.
    With ``validate_days`` the answer is then run on that many fresh days (the screen, SimPy
    on the deciding ones: :mod:`sim.event_sizing.validate`; ``salesim size`` uses 200). When
    that fresh check misses (a target, or every target on the same day: the joint share), the
    search goes on for up to
    ``joint_rounds`` rounds from the current plan with twice the search days and a stricter
    per-target level (:func:`inner_level`); ``result.status`` says whether it passed.
    ``exchange_moves=None`` runs the exchange phase where person-blocks are the money
    (:func:`exchange_pays`)."""
    t0 = time.perf_counter()
    problem = make_problem(scenario, targets, mode, confidence, block_min)
    if exchange_moves is None:
        exchange_moves = exchange_pays(problem)
    rounds = joint_rounds if mode == "share_of_days" else 0
    result = _size_once(problem, scenario, targets, days, seed, workers, start, levels, curves,
                        validate_days, exchange_moves, None, last=rounds == 0)  # fmt: skip
    round_ = 0
    while result.validation is not None and not result.validation.passed and round_ < rounds:
        round_ += 1
        days *= 2
        inner = inner_level(confidence, len(targets), round_, joint_rounds)
        again = make_problem(scenario, targets, mode, inner, block_min, joint_level=confidence)
        before = result.usage
        result = _size_once(again, scenario, targets, days, seed, workers, start, levels,
                            curves, validate_days, exchange_moves, result.counts,
                            confidence, last=round_ == rounds)  # fmt: skip
        result.usage = Usage(before.screen_days + result.usage.screen_days,
                             before.simpy_days + result.usage.simpy_days,
                             before.validation_days + result.usage.validation_days)  # fmt: skip
        result.problem = replace(result.problem, criterion=problem.criterion)
    result.rounds = round_
    result.status = ("ok" if result.validation is None or result.validation.passed
                     else "failed")  # fmt: skip
    result.seconds = time.perf_counter() - t0
    return result


def _size_once(problem: Problem, scenario: Scenario, targets: Sequence[SizingTarget], days: int,
               seed: int, workers: int | None, start: str, levels: Sequence[float],
               curves: bool, validate_days: int, exchange_moves: bool,
               warm: Counts | None, stated_level: float | None = None, last: bool = True,
               ) -> SizingResult:  # fmt: skip
    """One search (from the analytic start, or from ``warm``, the previous round's plan) on
    ``days`` search days, then its fresh-day validation judged at the STATED level. The
    property-service posts (and their fresh check), the other ``levels`` and the KPI curves
    are worked out only for a plan that is kept: one that passes the fresh check, has none,
    or is the ``last`` round's (a round that misses is searched again and its extras were
    thrown away, issue 17)."""
    crit = problem.criterion
    with PlanEvaluator(scenario, seed, days, problem.edges, targets, workers) as ev:
        first_run = pilot(problem, ev)
        assert first_run.times is not None
        load = demand(problem, first_run.times)
        first = analytic_start(problem, load, start) if warm is None else warm
        greedy = remove_while_met(problem, ev, add_until_met(problem, ev, first, crit), crit)
        counts, exchange = (improve(problem, ev, greedy, crit) if exchange_moves
                            else (greedy, None))  # fmt: skip
        minimal, removals, out = confirm(problem, ev, counts, crit)
        # the other levels start from the person-block plan, so they run beside the booking
        # phase, which judges its moves one at a time on one core (issue 17)
        pending = start_levels(problem, ev, minimal, levels)
        service: ServiceWork | None = None
        try:
            counts, booked, out = _book(problem, ev, minimal, load, out)
            result = SizingResult(scenario, problem, counts, first, achieved(problem, out, crit),
                                  removals, {}, load, ev.usage, 0.0, days, seed,
                                  exchange=exchange, greedy=greedy, minimal=minimal,
                                  booked=booked)  # fmt: skip
            stated = SizingCriterion(crit.mode, stated_level or crit.confidence)
            if validate_days > 0:
                t1 = time.perf_counter()
                result.validation = validate(ev, counts, problem.targets, stated, validate_days)
                result.validation_seconds = time.perf_counter() - t1
            if last or result.validation is None or result.validation.passed:
                # the queue posts are sized beside the Erlang C plan's fresh check and the
                # curves (in a forked child; issue 17)
                service = start_service(result, ev)
                if validate_days > 0:
                    result.erlang_validation = erlang_fresh(ev, result, stated, validate_days)
                if curves:
                    result.curves = kpi_curves(problem, ev, counts, sized=minimal)
                result.service_at = finish_service(result, service, levels, ev.workers)
                if validate_days > 0:
                    t1 = time.perf_counter()
                    result.service_checks = validate_service(
                        ev, counts, result.service, stated.confidence, validate_days)
                    result.validation_seconds += time.perf_counter() - t1
                result.counts_at = pending.result(ev)
        finally:
            pending.cancel()  # a round whose plan is not kept (or an error)
            if service is not None:
                service.first.cancel()
    result.search_level = crit.confidence
    return result


def _book(problem: Problem, ev: PlanEvaluator, minimal: Counts,
          load: dict[str, list[tuple[float, float]]], out: Outcome,
          ) -> tuple[Counts, Booked, Outcome]:  # fmt: skip
    """The booking-cost phase and its SimPy proof (:mod:`sim.event_sizing.booked`); the
    person-block plan and its outcome when the booked plan fails in SimPy."""
    terms = problem.event.booking
    flat = erlang_counts(problem, minimal, load)
    counts, info = book(problem, ev, minimal, problem.criterion, terms, flat)
    if info.note:  # the terms cannot cover a block (the CLI says so), or the full cover misses
        return minimal, info, out
    proven = prove(problem, ev, counts, problem.criterion, terms, info)
    if proven is None:  # pragma: no cover - screen == SimPy
        info.note, info.units = "the booked plan missed in SimPy", info.minimal_units
        return minimal, info, out
    return proven[0], info, proven[1]


@dataclass
class ServiceWork:
    """The property-service posts' needs on the sized plan's crowd, and the queue posts'
    sizing at the confidence, under way beside the sizer (:class:`~sim.event_sizing.
    forked.Beside`)."""

    needs: ServiceNeeds
    first: Beside[dict[str, tuple[int, ...]]]


def start_service(result: SizingResult, ev: PlanEvaluator) -> ServiceWork:
    """The sized plan's crowd on the search days: the waiting area's seats and the car park
    (set on ``result``), every property-service post's needs, and the queue posts' sizing at
    the confidence started beside (a forked child, with more than one worker)."""
    pr = result.problem
    times = ev.screen(result.counts, keep_times=True).times
    assert times is not None
    if times.wait_from is not None:
        result.seats = waiting_seats(times, pr.event.waiting_area_capacity,
                                     pr.criterion.confidence)  # fmt: skip
    if pr.event.parking is not None:
        posts = [str(d.post) for d in pr.event.desks]
        result.parking = parking_check(pr.event.parking, times, posts, pr.criterion.confidence)
    needs = service_needs(pr.event, times, pr.edges)
    conf = pr.criterion.confidence
    return ServiceWork(needs, Beside(lambda: needs.queue_first(conf), ev.workers))


def finish_service(result: SizingResult, work: ServiceWork, levels: Sequence[float] = (),
                   workers: int = 1) -> dict[float, Counts]:  # fmt: skip
    """The property-service posts at the confidence (set as ``result.service``) and, returned,
    at the other ``levels`` (each queue post sized from its answer at the confidence, the
    posts and levels on ``workers`` forked workers)."""
    needs, conf = work.needs, result.problem.criterion.confidence
    queues = needs.queue_levels(work.first.result(), levels, workers)
    result.service = needs.counts(conf, queues=False) | {p: q[0] for p, q in queues.items()}
    return {level: needs.counts(level, queues=False) | {p: q[1][level] for p, q in queues.items()}
            for level in levels}  # fmt: skip


def erlang_fresh(ev: PlanEvaluator, result: SizingResult, crit: SizingCriterion,
                 days: int) -> Validation:  # fmt: skip
    """The per-desk peak Erlang C plan (:func:`~sim.event_sizing.erlang_plan.erlang_plan`) on
    the sized plan's fresh days, the same check as :func:`validate`'s; its days are not
    counted in ``ev.usage`` (they are no part of the sizing)."""
    plan = erlang_plan(result)
    before = replace(ev.usage)
    try:
        return validate(ev, {p: plan[p] for p in result.problem.posts}, result.problem.targets,
                        crit, days)  # fmt: skip
    finally:
        ev.usage.screen_days, ev.usage.simpy_days, ev.usage.validation_days = (
            before.screen_days, before.simpy_days, before.validation_days)  # fmt: skip


def kpi_curves(problem: Problem, ev: PlanEvaluator, counts: Counts, span: int = 3,
               binding_n: int = 2, sized: Counts | None = None,
               ) -> dict[str, list[tuple[int, float]]]:  # fmt: skip
    """For the ``binding_n`` targets with the smallest margins (the binding posts): the
    achieved value as the headcount of the desk's busiest sized block goes from ``span`` fewer
    to ``span`` more people, everything else fixed (screen; the KPI-vs-headcount plot).

    The block is chosen on ``sized``, the person-block plan (default ``counts``): a booked plan
    keeps every free person on duty, so by the day a desk has its peak in every block, and the
    block most above the baseline there was one without demand, where the curve is flat."""
    out: dict[str, list[tuple[int, float]]] = {}
    crit = problem.criterion
    sized = counts if sized is None else sized
    base = ev.screen(counts)
    binding = sorted(problem.targets, key=lambda t: crit.margin(t, base.kpis[t.kpi]))[:binding_n]
    for t in binding:
        post = t.post
        if post is None:
            continue
        row, need = counts[post], sized[post]
        b = max(range(len(row)), key=lambda i: (need[i] - problem.baseline[post][i], need[i]))
        steps = [d for d in range(-span, span + 1) if 0 <= row[b] + d <= problem.caps[post]]
        screened = ev.in_turn([add_people(counts, post, b, d) for d in steps])  # all of them
        out[f"{t.kpi}@{b}"] = [(row[b] + d, crit.achieved(t, res.kpis[t.kpi]))
                               for d, res in zip(steps, screened, strict=True)]  # fmt: skip
    return out
