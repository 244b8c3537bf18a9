"""The plans at the other confidence levels (0.90 and 0.99 beside the sizing's own), worked
out beside the rest of the sizing.

Each level starts from the sized person-block minimal plan: people are added until the level
holds (none at a lower level), then removed while it does. The levels do not depend on the
booking phase, the service posts or the fresh-day validation that the sizer runs after the
SimPy confirmation, so with more than one worker each level runs in a forked child process
while the parent goes on with those (the booking phase judges its moves one at a time on one
core); on a 3,000-person launch day the 0.99 level alone is some 15 screened seconds.

Results and simulated days are the same for any number of workers: every level starts from
the evaluator as it was when the levels were started (the plans it already knows count no
days, :class:`~sim.event_sizing.evaluate.PlanEvaluator`), and what a level learns is not kept
for what comes after it. With one worker the levels run one after the other, when asked for,
from that same state.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.event_sizing.adding import add_until_met
from sim.event_sizing.evaluate import Counts, PlanEvaluator
from sim.event_sizing.search import Problem, remove_while_met
from sim.event_sizing.targets import SizingCriterion


def level_plan(problem: Problem, ev: PlanEvaluator, minimal: Counts, level: float) -> Counts:
    """The person-block minimal plan at ``level`` from the sized ``minimal`` plan."""
    other = SizingCriterion(problem.criterion.mode, level)
    return remove_while_met(problem, ev, add_until_met(problem, ev, minimal, other), other)


def _child(conn: Any, problem: Problem, ev: PlanEvaluator, minimal: Counts,
           level: float) -> None:  # fmt: skip
    ev.alone()
    before = ev.usage.screen_days
    try:
        conn.send(("ok", level_plan(problem, ev, minimal, level),
                   ev.usage.screen_days - before))  # fmt: skip
    except Exception as exc:  # the parent raises it (Infeasible at this level, say)
        conn.send(("error", exc, 0))
    finally:
        conn.close()


@dataclass
class PendingLevels:
    """The other levels' plans, started by :func:`start_levels`; :meth:`result` waits for
    them (or works them out, with one worker), :meth:`cancel` drops them."""

    problem: Problem
    minimal: Counts
    levels: tuple[float, ...]
    memo: dict[Any, Any]
    children: list[tuple[float, Any, Any]] = field(default_factory=list)
    redone: tuple[float, ...] = ()
    """The levels whose child died without an answer, worked out in this process instead."""

    def result(self, ev: PlanEvaluator) -> dict[float, Counts]:
        """Each level's plan; the days they simulated are added to ``ev.usage``."""
        if not self.children:
            return self._serial(ev)
        out: dict[float, Counts] = {}
        lost: list[float] = []
        try:
            for level, proc, conn in self.children:
                try:
                    status, plan, days = conn.recv()
                except EOFError:  # the child died before it answered
                    lost.append(level)
                    continue
                finally:
                    proc.join()
                if status != "ok":
                    raise plan
                out[level] = plan
                ev.usage.screen_days += days
        finally:
            self.cancel()
        self.redone = tuple(lost)
        if lost:
            out |= self._serial(ev, lost)
        return {level: out[level] for level in self.levels}

    def _serial(self, ev: PlanEvaluator, levels: Sequence[float] | None = None,
                ) -> dict[float, Counts]:  # fmt: skip
        kept = ev.memo_state()
        out: dict[float, Counts] = {}
        try:
            for level in self.levels if levels is None else levels:
                ev.set_memo_state(self.memo)
                out[level] = level_plan(self.problem, ev, self.minimal, level)
        finally:
            ev.set_memo_state(kept)
        return out

    def cancel(self) -> None:
        """Stop the children still running (a round whose plan is not kept)."""
        for _, proc, conn in self.children:
            if proc.is_alive():
                proc.terminate()
            proc.join()
            conn.close()
        self.children = []


def start_levels(problem: Problem, ev: PlanEvaluator, minimal: Counts,
                 levels: Sequence[float]) -> PendingLevels:  # fmt: skip
    """Start the plans at ``levels`` from ``minimal``: in forked children with more than one
    worker (where processes can be forked), else later, on :meth:`PendingLevels.result`."""
    pending = PendingLevels(problem, minimal, tuple(levels), ev.memo_state())
    if ev.workers < 2 or not levels or "fork" not in mp.get_all_start_methods():
        return pending
    ctx = mp.get_context("fork")
    for level in levels:
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(child, problem, ev, minimal, level), daemon=True)
        proc.start()
        child.close()
        pending.children.append((level, proc, parent))
    return pending
