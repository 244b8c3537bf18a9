"""The search: grow the scenario's plan until every target holds, then remove people and rooms
one at a time while they still hold; the last pass is the minimality proof.

Every candidate is simulated in SimPy on the same replications of the same seed (common random
numbers: replication ``i`` draws the same visitors and calls whatever the plan), so candidates
differ only by their staffing. Results are cached per plan; :attr:`Evaluator.days_simulated`
counts every simulated day. A removal that would leave a post (or the sales desk) unmanned in
part of opening hours is ruled out without simulating (:func:`.plan.floor_reason`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from sim.event_sizing.targets import SizingCriterion, SizingTarget
from sim.experiment.runner import run
from sim.office_sizing.plan import REPS, ROOMS, Cell, Plan, apply, floor_reason
from sim.office_sizing.targets import Judgement, judge, shortfall
from sim.scenario.schema import Scenario


class OfficeInfeasible(Exception):
    """No plan within ``max_added`` extra people and rooms meets the targets."""

    def __init__(self, added: int, judgement: Judgement) -> None:
        missed = ", ".join(str(t) for t in judgement.missed()) or "joint share"
        super().__init__(f"after adding {added} people/rooms the targets still miss ({missed}; "
                         f"all met on {judgement.joint_share:.1%} of days)")  # fmt: skip
        self.added = added
        self.judgement = judgement


@dataclass
class Evaluator:
    """Simulates plans on fixed replications ``0..days-1`` of ``seed`` and judges them."""

    scenario: Scenario
    targets: Sequence[SizingTarget]
    criterion: SizingCriterion
    days: int
    seed: int
    workers: int | None = None
    _cache: dict[tuple[int, ...], dict[str, np.ndarray]] = field(default_factory=dict, init=False)
    _count: list[int] = field(default_factory=lambda: [0], init=False)

    @property
    def days_simulated(self) -> int:
        """Days simulated so far by this evaluator and its :meth:`at` copies."""
        return self._count[0]

    def values(self, plan: Plan, seed: int, days: int) -> dict[str, np.ndarray]:
        """Each target's KPI per day for ``plan`` (simulated; counted)."""
        res = run(apply(self.scenario, plan), replications=days, seed=seed, level="kpi",
                  workers=self.workers)  # fmt: skip
        self._count[0] += days
        out: dict[str, np.ndarray] = {}
        for t in self.targets:
            try:
                out[t.kpi] = np.asarray(res.kpi_values(t.kpi), dtype=float)
            except KeyError:  # the post has no task that day in any form: nothing to miss
                out[t.kpi] = np.full(days, np.nan)
        return out

    def judge(self, plan: Plan) -> Judgement:
        """The plan on the search days (values cached per plan, so another criterion reuses
        them)."""
        key = plan.key()
        if key not in self._cache:
            self._cache[key] = self.values(plan, self.seed, self.days)
        return judge(self.targets, self._cache[key], self.criterion)

    def at(self, confidence: float) -> Evaluator:
        """The same search days and cache, judged at another confidence."""
        other = replace(self, criterion=SizingCriterion(self.criterion.mode, confidence))
        other._cache, other._count = self._cache, self._count
        return other


def responsible(target: SizingTarget, cells: Sequence[Cell]) -> list[Cell]:
    """The cells that can move a target: a post's own cells, rooms and butlers for VIP waits,
    else the reps."""
    if target.kpi.startswith("post."):
        post = target.kpi.split(".")[1]
        own = [c for c in cells if c[0] == post]
    elif target.kpi.startswith("vip_"):  # a room must be free and prepared by the butler (G1)
        own = [c for c in cells if c[0] in (ROOMS, "butler")]
    else:
        own = [c for c in cells if c[0] == REPS]
    return own or list(cells)


def grow(ev: Evaluator, plan: Plan, max_added: int) -> tuple[Plan, int]:
    """Add one person or room at a time (the one that brings the plan closest to its
    targets) until every target holds."""
    cells = [c for c, _ in plan.counts]
    added = 0
    while not (j := ev.judge(plan)).met:
        if added >= max_added:
            raise OfficeInfeasible(added, j)
        options = dict.fromkeys(c for t in j.missed() or ev.targets for c in responsible(t, cells))
        scored = [(shortfall(ev.judge(p), ev.criterion), i, p) for i, p in
                  enumerate(plan.with_count(c, plan.get(c) + 1) for c in options)]  # fmt: skip
        plan = min(scored, key=lambda s: (s[0], s[1]))[2]
        added += 1
    return plan, added


@dataclass(frozen=True)
class OfficeRemoval:
    """One fewer in a cell of the final plan, and why that is not enough."""

    cell: Cell
    reason: str  # the structural reason, or the targets missed
    joint_share: float | None  # the simulated joint share (None: ruled out without SimPy)


def descend(ev: Evaluator, plan: Plan) -> Plan:
    """Remove one at a time, in cell order, while every target still holds; repeat until a
    whole pass removes nothing."""
    cells = [c for c, _ in plan.counts]
    changed = True
    while changed:
        changed = False
        for cell in cells:
            while floor_reason(ev.scenario, plan, cell) is None:
                fewer = plan.with_count(cell, plan.get(cell) - 1)
                if not ev.judge(fewer).met:
                    break
                plan, changed = fewer, True
    return plan


def removals(ev: Evaluator, plan: Plan) -> list[OfficeRemoval]:
    """The minimality proof: each single removal from ``plan`` and the target it breaks."""
    out = []
    for cell, n in plan.counts:
        if n == 0:
            continue
        why = floor_reason(ev.scenario, plan, cell)
        if why is not None:
            out.append(OfficeRemoval(cell, why, None))
            continue
        j = ev.judge(plan.with_count(cell, n - 1))
        missed = ", ".join(str(t) for t in j.missed()) or "joint"
        verdict = "仍达标 still meets" if j.met else f"未达标 misses: {missed}"
        out.append(OfficeRemoval(cell, verdict, j.joint_share))
    return out
