"""Evaluating a staffing plan on the search days: by the vectorised screen or by SimPy.

The search days are replications ``0..days-1`` of the seed; their visitors are drawn once
(common random numbers), so every candidate plan meets the very same groups. SimPy days run on
a local process pool in fixed chunks (each task carries its seed, so the same pool also runs
the fresh validation days of another seed); a SimPy evaluation may stop early once its verdict is
certain (share_of_days: more failing days than allowed), chunk by chunk in index order, so the
verdict and the days counted never depend on the number of workers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any

import numpy as np

from sim.core.workers import Workers
from sim.event.day import day_kpis
from sim.event.inputs import EventPlan, EventVisitors, draw_event_visitors
from sim.event.kpis import EventTimes
from sim.event.screen import Cache, screen
from sim.event_sizing.batch import screen_batch
from sim.event_sizing.fresh import FreshDays
from sim.event_sizing.outcome import Outcome, Usage
from sim.event_sizing.pool_tasks import init_screens, init_simpy, screen_task, simpy_chunk
from sim.event_sizing.probe import ProbeDays, hard_stages, joined
from sim.event_sizing.targets import SizingCriterion, SizingTarget
from sim.event_sizing.verify import agree, deciding_days
from sim.experiment.executor import local_cores
from sim.scenario.schema import Scenario

Counts = dict[str, tuple[int, ...]]
"""People per block for each sized post."""

BATCH = 8  # candidate plans per stacked screen run (sim/event_sizing/batch.py)
TURN_MAX = 2
"""With several workers, :meth:`PlanEvaluator.in_turn` screens ahead on the screen pool
when no more than this many plans would stack: stacking two saves less than a second worker
screening ahead."""
STACK_CELLS = 10_000
"""Most rows x seats in a stacked screen step: past it, stacking costs more per plan than
one plan at a time (3,000 people, 100 days, 45 seats: 8 stacked plans took 14x one plan)."""
CHUNK = 10  # SimPy days per pool task
STEP = 2  # chunks per early-stopping step (fixed: the same verdict for any worker count)


MEMO = 20_000  # plans whose KPIs PlanEvaluator remembers


def _memo_key(counts: Mapping[str, Sequence[int]]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    return tuple(sorted((p, tuple(c)) for p, c in counts.items()))


def _chunks(days: int) -> list[tuple[int, ...]]:
    return [tuple(range(i, min(i + CHUNK, days))) for i in range(0, days, CHUNK)]


class PlanEvaluator:
    """Evaluates event staffing plans (people per sized post and block, ``Counts``) for one
    scenario, seed and set of search days, by the screen or the SimPy model; ``usage`` counts
    the days simulated. Use it as a context manager (SimPy days may start a process pool)."""

    def __init__(self, scenario: Scenario, seed: int, days: int, edges: Sequence[float],
                 targets: Sequence[SizingTarget], workers: int | None = None) -> None:  # fmt: skip
        self.scenario, self.seed, self.days = scenario, seed, days
        self.edges = tuple(edges)
        self.targets = tuple(targets)
        self.keys = tuple(dict.fromkeys(t.kpi for t in targets))
        self.visitors: EventVisitors = draw_event_visitors(scenario, seed, range(days))
        self.usage = Usage()
        self.workers = max(1, workers or local_cores())
        self._pool: Workers[Any, Any] | None = None
        self._screens: Workers[Any, Any] | None = None
        """The screen pool (:meth:`in_turn`), forked when first needed."""
        self.fixed = EventPlan.baseline(scenario)
        self._cache: Cache = {}
        """The screen's per-desk results keyed by the headcount up to that desk: a plan that
        differs from an earlier one only downstream re-runs only the desks from the change."""
        self._fresh = FreshDays(scenario)
        self._memo: dict[Any, dict[str, np.ndarray]] = {}
        """KPIs of plans already screened (the removal steps, the SimPy confirmation's
        single removals and the 0.90/0.99 searches meet the same plans again), and of probes
        (:meth:`judge`, keyed by their rows too); a plan found here is not simulated again
        and counts no days."""
        self._probes = ProbeDays(self.visitors)
        self._staged: dict[Any, list[tuple[int, ...]]] = {}  # plan -> rows of its stages

    def plan(self, counts: Mapping[str, Sequence[int]]) -> EventPlan:
        """The plan: sized posts per block; posts not sized keep the scenario's headcount."""
        sized = EventPlan.from_blocks(self.edges, counts)
        pieces = dict(self.fixed.pieces) | dict(sized.pieces)
        return EventPlan(pieces, self.edges[-1])

    def screen_kpis(self, counts: Mapping[str, Sequence[int]]) -> dict[str, np.ndarray]:
        """The targets' KPIs of ``counts`` by the screen, neither remembered nor counted."""
        ev = self.scenario.event
        assert ev is not None
        plan = self.plan(counts)
        return self._kpis(plan, screen(ev, plan, self.visitors, self._cache))

    def screen(self, counts: Mapping[str, Sequence[int]], keep_times: bool = False) -> Outcome:
        """All search days through the vectorised screen."""
        ev = self.scenario.event
        assert ev is not None
        key = _memo_key(counts)
        if not keep_times and key in self._memo:
            return Outcome(self._memo[key], None, self.days)
        plan = self.plan(counts)
        times = screen(ev, plan, self.visitors, self._cache)
        self.usage.screen_days += self.days
        kpis = self._kpis(plan, times)
        self._remember(key, kpis)
        return Outcome(kpis, times if keep_times else None, self.days)

    def judge(self, counts: Mapping[str, Sequence[int]], crit: SizingCriterion,
              near: Mapping[str, Sequence[int]]) -> Outcome:  # fmt: skip
        """:meth:`screen` of ``counts`` in the stages of :mod:`sim.event_sizing.probe` (the
        days the screened ``near`` came closest to failing first): once the days so far fail
        more than ``crit`` allows of every search day, their KPIs alone (``days``: their
        number); else the stages joined (each remembered and counted once)."""
        return self._in_stages(counts, crit, self._probe_stages(near, crit))

    def _in_stages(self, counts: Mapping[str, Sequence[int]], crit: SizingCriterion,
                   stages: list[tuple[int, ...]] | None) -> Outcome:  # fmt: skip
        key = _memo_key(counts)
        if stages is None or key in self._memo:
            return self.screen(counts)
        parts: list[tuple[tuple[int, ...], dict[str, np.ndarray]]] = []
        for rows in stages[:-1]:
            parts.append((rows, self._stage(counts, key, rows)))
            if self._hopeless([p for _, p in parts], crit):
                so_far = {k: np.concatenate([p[k] for _, p in parts]) for k in self.keys}
                return Outcome(so_far, None, sum(len(r) for r, _ in parts))
        kpis = joined(self.days, *parts, (stages[-1], self._stage(counts, key, stages[-1])))
        self._remember(key, kpis)
        return Outcome(kpis, None, self.days)

    def _stage(self, counts: Mapping[str, Sequence[int]], key: Any, rows: tuple[int, ...],
               keep: bool = True) -> dict[str, np.ndarray]:  # fmt: skip
        """The KPIs of ``counts`` on the search days ``rows`` (remembered, counted once)."""
        kpis = self._memo.get((rows, key))
        if kpis is None:
            ev = self.scenario.event
            assert ev is not None
            plan = self.plan(counts)
            kpis = self._kpis(plan, screen(ev, plan, *self._probes.inputs(rows, keep)))
            self.usage.screen_days += len(rows)
            self._remember((rows, key), kpis)
            self._staged.setdefault(key, []).append(rows)
        return kpis

    def complete(self, counts: Mapping[str, Sequence[int]]) -> None:
        """Remember ``counts`` on every day from its stages already screened (:meth:`judge`;
        none: nothing done) and a screen of the other days (for the minimality proofs)."""
        key = _memo_key(counts)
        parts = [(rows, self._memo[(rows, key)]) for rows in self._staged.get(key, ())
                 if (rows, key) in self._memo]  # fmt: skip
        if key in self._memo or not parts:
            return
        done = {r for rows, _ in parts for r in rows}
        rest = tuple(r for r in range(self.days) if r not in done)
        if rest:
            parts.append((rest, self._stage(counts, key, rest, keep=False)))
        self._remember(key, joined(self.days, *parts))

    def _probe_stages(self, near: Mapping[str, Sequence[int]] | None,
                      crit: SizingCriterion) -> list[tuple[int, ...]] | None:
        kpis = None if near is None else self._memo.get(_memo_key(near))
        return None if kpis is None else hard_stages(self.targets, kpis, crit)

    def memo_state(self) -> dict[Any, Any]:
        """A copy of the plans whose KPIs are remembered (they count no days again)."""
        return dict(self._memo)

    def set_memo_state(self, state: dict[Any, Any]) -> None:
        """Remember exactly the plans of ``state`` (a :meth:`memo_state`), e.g. to run a
        step from an earlier state whatever ran since."""
        self._memo = dict(state)

    def _remember(self, key: Any, kpis: dict[str, np.ndarray]) -> None:
        if len(self._memo) >= MEMO:
            self._memo.clear()
        self._memo[key] = kpis

    def batch_size(self, candidates: Sequence[Mapping[str, Sequence[int]]]) -> int:
        """Candidates :meth:`screen_many` stacks per run: up to ``BATCH``, at most
        :data:`STACK_CELLS` rows x seats."""
        seats = max([max(c, default=0) for cand in candidates for c in cand.values()] + [1])
        return max(1, min(BATCH, STACK_CELLS // (self.days * seats)))

    def stacks(self, candidates: Sequence[Mapping[str, Sequence[int]]]) -> bool:
        """Whether :meth:`in_turn` screens ``candidates`` ahead stacked in this process rather
        than on the screen pool: when more than one would stack with one worker, more than
        :data:`TURN_MAX` with several (the days counted do not depend on it)."""
        return self.batch_size(candidates) > (TURN_MAX if self.workers > 1 else 1)

    def screen_many(self, candidates: Sequence[Mapping[str, Sequence[int]]],
                    base: Mapping[str, Sequence[int]]) -> list[Outcome]:  # fmt: skip
        """Every candidate on all search days through the screen, stacked up to ``BATCH`` at a
        time (at most :data:`STACK_CELLS` rows x seats; the same times as :meth:`screen` one by
        one); candidates are grouped by the first desk at which they differ from ``base``.
        Each plan not remembered counts ``days`` screen days once, as :meth:`screen` counts
        it (a remembered plan, or one met again in the list, counts none)."""
        batch = self.batch_size(candidates)
        keys = [_memo_key(c) for c in candidates]
        known = {k: self._memo[k] for k in keys if k in self._memo}
        if batch == 1 or len(known) == len(set(keys)):
            return list(self.in_turn(candidates))  # one at a time
        todo = [j for j, k in enumerate(keys) if k not in known and k not in keys[:j]]
        for first, members in sorted(self._by_first_change(candidates, todo, base).items()):
            for lo in range(0, len(members), batch):
                part = members[lo : lo + batch]
                for j, kpis in zip(part, self._stack(candidates, part, first), strict=True):
                    known[keys[j]] = kpis
                    self._remember(keys[j], kpis)
                self.usage.screen_days += self.days * len(part)
        return [Outcome(known[k], None, self.days) for k in keys]

    def in_turn(self, candidates: Sequence[Mapping[str, Sequence[int]]],
                base: Mapping[str, Sequence[int]] | None = None,
                crit: SizingCriterion | None = None) -> Iterator[Outcome]:
        """:meth:`screen` of each candidate in order, lazily: a caller that stops early has
        counted and remembered only the candidates it took, whatever was screened ahead.
        Ahead means the next batch stacked in this process, where :meth:`stacks` (with
        ``base``, the plan the candidates differ from), else the next ``workers`` candidates
        at once on the screen pool (forked processes holding the search days' visitors).
        So the KPIs and the days counted are the same for any number of workers. With
        ``crit`` (and ``base``, screened): each candidate by :meth:`judge`, in this process."""
        if crit is not None and (stages := self._probe_stages(base, crit)) is not None:
            yield from (self._in_stages(c, crit, stages) for c in candidates)
            return
        stack = base is not None and self.stacks(candidates)
        step = self.batch_size(candidates) if stack else max(1, self.workers)
        for lo in range(0, len(candidates), step):
            window = candidates[lo : lo + step]
            ahead = self._stacked(window, base) if stack and base is not None else (
                self._ahead(window))  # fmt: skip
            for c, kpis in zip(window, ahead, strict=True):
                yield self._took(c, kpis)

    def _stacked(self, candidates: Sequence[Mapping[str, Sequence[int]]],
                 base: Mapping[str, Sequence[int]]) -> list[dict[str, np.ndarray] | None]:
        """KPIs of the candidates not remembered (each plan once), stacked as in
        :meth:`screen_many`, neither counted nor remembered; ``None`` for the others."""
        keys = [_memo_key(c) for c in candidates]
        todo = [j for j, k in enumerate(keys) if k not in self._memo and k not in keys[:j]]
        out: list[dict[str, np.ndarray] | None] = [None] * len(candidates)
        for first, members in sorted(self._by_first_change(candidates, todo, base).items()):
            for j, kpis in zip(members, self._stack(candidates, members, first), strict=True):
                out[j] = kpis
        return out

    def _stack(self, candidates: Sequence[Mapping[str, Sequence[int]]], members: Sequence[int],
               first: int) -> list[dict[str, np.ndarray]]:  # fmt: skip
        """The KPIs of the candidates ``members``, stacked in one screen run from desk
        ``first`` on (:mod:`sim.event_sizing.batch`); neither counted nor remembered."""
        ev = self.scenario.event
        assert ev is not None
        plans = [self.plan(candidates[j]) for j in members]
        times = screen_batch(ev, plans, self.visitors, first, self._cache)
        return [self._kpis(plan, t) for plan, t in zip(plans, times, strict=True)]

    def _by_first_change(self, candidates: Sequence[Mapping[str, Sequence[int]]],
                         which: Sequence[int], base: Mapping[str, Sequence[int]],
                         ) -> dict[int, list[int]]:  # fmt: skip
        """The candidates ``which`` grouped by the first desk at which they differ from
        ``base`` (the stacked screen re-runs the desks from there)."""
        ev = self.scenario.event
        assert ev is not None
        posts = [d.post for d in ev.desks]
        groups: dict[int, list[int]] = {}
        for j in which:
            c = candidates[j]
            first = next((i for i, p in enumerate(posts)
                          if p in c and tuple(c[p]) != tuple(base[p])), len(posts))  # fmt: skip
            groups.setdefault(first, []).append(j)
        return groups

    def _ahead(self, candidates: Sequence[Mapping[str, Sequence[int]]],
               ) -> list[dict[str, np.ndarray] | None]:  # fmt: skip
        """KPIs of the candidates not remembered, screened in parallel (neither counted nor
        remembered); ``None`` for the others, and for all with one worker or one to do."""
        out: list[dict[str, np.ndarray] | None] = [None] * len(candidates)
        todo = [i for i, c in enumerate(candidates) if _memo_key(c) not in self._memo]
        if self.workers < 2 or len(todo) < 2:
            return out
        if self._screens is None:
            self._screens = Workers(self.workers, init_screens, (self,), screen_task)
        for i, kpis in zip(todo, self._screens.map_in_order([candidates[i] for i in todo]),
                           strict=True):  # fmt: skip
            out[i] = kpis
        return out

    def _took(self, counts: Mapping[str, Sequence[int]],
              kpis: dict[str, np.ndarray] | None) -> Outcome:  # fmt: skip
        """:meth:`screen` of ``counts``, with its KPIs when screened ahead."""
        key = _memo_key(counts)
        if kpis is None or key in self._memo:
            return self.screen(counts)
        self.usage.screen_days += self.days  # as screen() counts it
        self._remember(key, kpis)
        return Outcome(kpis, None, self.days)

    def _kpis(self, plan: EventPlan, times: EventTimes) -> dict[str, np.ndarray]:
        """The targets' KPIs of screen times (only those: :func:`sim.event.kpis.event_kpis`)."""
        return day_kpis(self.scenario, plan, times, set(self.keys))

    def simpy(self, counts: Mapping[str, Sequence[int]], criterion: SizingCriterion | None = None,
              ) -> Outcome:  # fmt: skip
        """The search days in the SimPy model; with ``criterion`` (share_of_days) stop as
        soon as more days have failed than allowed (a target's, or the joint share's: days
        missing some target, :meth:`SizingCriterion.excess`)."""
        plan = self.plan(counts)
        chunks = _chunks(self.days)
        parts: list[dict[str, np.ndarray]] = []
        early = criterion is not None and criterion.mode == "share_of_days"
        step = STEP if early else len(chunks)
        done = 0
        while done < len(chunks):
            batch = chunks[done : done + step]
            parts.extend(self._map(plan, self.seed, batch))
            done += len(batch)
            self.usage.simpy_days += sum(len(c) for c in batch)
            if early and done < len(chunks) and self._hopeless(parts, criterion):
                break
        kpis = {k: np.concatenate([p[k] for p in parts]) for k in self.keys}
        return Outcome(kpis, None, len(kpis[self.keys[0]]))

    def verified(self, counts: Mapping[str, Sequence[int]],
                 criterion: SizingCriterion | None = None) -> Outcome:  # fmt: skip
        """The search days by the screen, the days that decide the verdict re-run in SimPy
        (:mod:`sim.event_sizing.verify`); when SimPy differs there, :meth:`simpy` on every
        day (with ``criterion``: its early stop)."""
        out = self.screen(counts)
        rows = deciding_days(out.kpis, self.targets)
        ref = self._simpy_rows(self.plan(counts), self.seed, rows)
        self.usage.simpy_days += len(rows)
        if agree(out.kpis, ref, self.keys, rows):
            return out
        return self.simpy(counts, criterion)  # pragma: no cover - screen == SimPy

    def fresh_times(self, counts: Mapping[str, Sequence[int]], seed: int, days: int,
                    ) -> EventTimes:  # fmt: skip
        """The screen's times of replications ``0..days-1`` of another ``seed`` (fresh days)
        under ``counts``, counted as screen days when screened (:mod:`~sim.event_sizing.
        fresh` keeps the visitors and the last plans' times)."""
        times, new = self._fresh.times(self.plan(counts), _memo_key(counts), seed, days)
        self.usage.screen_days += days if new else 0
        return times

    def verified_fresh(self, counts: Mapping[str, Sequence[int]], seed: int, days: int,
                       ) -> tuple[Outcome, int]:  # fmt: skip
        """Fresh days (as :meth:`simpy_fresh`) by the screen, the days that decide the
        verdict re-run in SimPy (counted as validation days); every day in SimPy when SimPy
        differs there. Returns the outcome and the fresh days run in SimPy."""
        plan = self.plan(counts)
        kpis = self._kpis(plan, self.fresh_times(counts, seed, days))
        rows = deciding_days(kpis, self.targets)
        ref = self._simpy_rows(plan, seed, rows)
        self.usage.validation_days += len(rows)
        if agree(kpis, ref, self.keys, rows):
            return Outcome(kpis, None, days), len(rows)
        return self.simpy_fresh(counts, seed, days), days  # pragma: no cover - screen == SimPy

    def _simpy_rows(self, plan: EventPlan, seed: int, rows: Sequence[int],
                    ) -> dict[str, np.ndarray]:  # fmt: skip
        """The KPIs of replications ``rows`` of ``seed`` in SimPy (in chunks on the pool)."""
        chunks = [tuple(rows[i : i + CHUNK]) for i in range(0, len(rows), CHUNK)]
        parts = self._map(plan, seed, chunks)
        return {k: np.concatenate([p[k] for p in parts]) for k in self.keys}

    def simpy_fresh(self, counts: Mapping[str, Sequence[int]], seed: int, days: int) -> Outcome:
        """Replications ``0..days-1`` of another ``seed`` (fresh days, not the search days) in
        the SimPy model, all of them (no early stop); counted as validation days."""
        parts = self._map(self.plan(counts), seed, _chunks(days))
        self.usage.validation_days += days
        kpis = {k: np.concatenate([p[k] for p in parts]) for k in self.keys}
        return Outcome(kpis, None, days)

    def _hopeless(self, parts: list[dict[str, np.ndarray]],
                  criterion: SizingCriterion | None) -> bool:  # fmt: skip
        """Whether the days so far already fail more than ``criterion`` allows."""
        assert criterion is not None
        kpis = {t.kpi: np.concatenate([p[t.kpi] for p in parts]) for t in self.targets}
        return criterion.excess(self.targets, kpis, self.days) > 0

    def _map(self, plan: EventPlan, seed: int, chunks: list[tuple[int, ...]],
             ) -> list[dict[str, np.ndarray]]:  # fmt: skip
        tasks = [(plan, seed, c, self.keys) for c in chunks]
        if self.workers == 1 or len(chunks) == 1:
            init_simpy(self.scenario)
            return [simpy_chunk(t) for t in tasks]
        if self._pool is None:
            self._pool = Workers(self.workers, init_simpy, (self.scenario,), simpy_chunk)
        return self._pool.map_in_order(tasks)

    def alone(self) -> None:
        """In a forked child process: work in this process only (the parent's pools answer
        the parent; they are left untouched, not even dropped, which would signal them)."""
        self.workers = 1

    def close(self, abort: bool = False) -> None:
        """Stop the worker pools (``abort``: at once, dropping what they are doing)."""
        for pool in (self._pool, self._screens):
            if pool is not None:
                pool.close(abort)
        self._pool = self._screens = None

    def __enter__(self) -> PlanEvaluator:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:  # fmt: skip
        self.close(abort=kind is not None)
