"""Replications of a scenario, and their summary with confidence intervals."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sim.kpi import CATALOGUE
from sim.model import DayResult, simulate_day
from sim.policies import RotationPolicy
from sim.recorder import Level
from sim.scenario.schema import Scenario
from sim.stats import Estimate, estimate
from sim.versioning import code_version, scenario_hash


@dataclass(frozen=True)
class RunResult:
    """Replicated days of one scenario under one policy; explains where it came from."""

    scenario: Scenario
    seed: int
    policy: str
    days: tuple[DayResult, ...]
    summary: dict[str, Estimate]
    scenario_hash: str
    code_version: str
    started: str
    wall_seconds: float
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def replications(self) -> int:
        """Number of simulated days."""
        return len(self.days)


def summarize(days: tuple[DayResult, ...], level: float = 0.95) -> dict[str, Estimate]:
    """Mean and confidence interval of every KPI over the days."""
    return {k.key: estimate([d.kpis[k.key] for d in days], level) for k in CATALOGUE}


def run(
    scenario: Scenario,
    replications: int = 20,
    seed: int = 0,
    policy: str | type[RotationPolicy] | None = None,
    level: Level = "full",
) -> RunResult:
    """Simulate ``replications`` independent days; replication ``i`` always uses stream ``i``."""
    if replications < 1:
        raise ValueError("replications must be at least 1")
    started = datetime.now(UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    chosen = policy or scenario.policy
    days = tuple(simulate_day(scenario, seed, i, chosen, level) for i in range(replications))
    return RunResult(
        scenario=scenario,
        seed=seed,
        policy=days[0].policy,
        days=days,
        summary=summarize(days),
        scenario_hash=scenario_hash(scenario),
        code_version=code_version(),
        started=started,
        wall_seconds=time.perf_counter() - t0,
    )
