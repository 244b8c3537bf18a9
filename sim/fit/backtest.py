"""Back-test: does the fitted scenario reproduce the register's own KPIs?

The register's days and the fitted scenario's simulated days are summarised by the same
functions (a simulated day is first written as the register it would have produced,
:func:`sim.fit.register.visits_of_day`). For each KPI the observed and simulated daily values
get 95% t-intervals, and the KPI passes when the Welch 95% interval of the difference
(simulated - observed) contains 0, i.e. the fitted model's mean lies within what the register's
sampling error (and the simulation's) allows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from sim.core.stats import Estimate, estimate
from sim.fit.register import Visit, visits_of_day
from sim.model import simulate_day
from sim.scenario.schema import Scenario

REGISTER_KPIS: tuple[tuple[str, str, str, str], ...] = (
    ("groups", "到访组数", "groups a day", "组 groups"),
    ("walk_ins", "自然来访组数", "walk-in groups a day", "组 groups"),
    ("booked", "预约来访组数", "booked groups a day", "组 groups"),
    ("lost_share", "流失率", "share lost", "share"),
    ("reception_mean", "平均接待时长", "mean reception time", "min"),
    ("people_per_group", "平均每组人数", "people per group", "人 people"),
)
"""Register KPI key, Chinese label, English label, unit."""


def day_kpis(day: list[Visit]) -> dict[str, float]:
    """One day's register KPIs."""
    served = [v.reception_min for v in day if v.outcome == "served"]
    return {
        "groups": float(len(day)),
        "walk_ins": float(sum(not v.booked for v in day)),
        "booked": float(sum(v.booked for v in day)),
        "lost_share": sum(v.outcome == "lost" for v in day) / len(day) if day else math.nan,
        "reception_mean": float(np.mean(served)) if served else math.nan,
        "people_per_group": float(np.mean([v.group_size for v in day])) if day else math.nan,
    }


def register_kpis(visits: list[Visit]) -> dict[str, Estimate]:
    """Mean and 95% interval over the days of a register (or of simulated days)."""
    by_day: dict[str, list[Visit]] = defaultdict(list)
    for v in visits:
        by_day[v.date].append(v)
    days = [day_kpis(d) for d in by_day.values()]
    return {key: estimate([d[key] for d in days]) for key, *_ in REGISTER_KPIS}


@dataclass(frozen=True)
class KpiCheck:
    """One KPI of the back-test."""

    key: str
    observed: Estimate
    simulated: Estimate
    diff_low: float
    diff_high: float

    @property
    def ok(self) -> bool:
        """The difference's interval contains 0."""
        return self.diff_low <= 0 <= self.diff_high


def welch(a: Estimate, b: Estimate, level: float = 0.95) -> tuple[float, float]:
    """Welch interval of ``b.mean - a.mean`` from two summaries."""
    from scipy import stats

    va, vb = a.sd**2 / a.n, b.sd**2 / b.n
    se = math.sqrt(va + vb)
    if se == 0:
        d = b.mean - a.mean
        return d, d
    df = (va + vb) ** 2 / (va**2 / (a.n - 1) + vb**2 / (b.n - 1))
    half = float(stats.t.ppf(0.5 + level / 2, df)) * se
    return b.mean - a.mean - half, b.mean - a.mean + half


def simulated_register(scenario: Scenario, days: int, seed: int) -> list[Visit]:
    """``days`` simulated days of ``scenario`` written as a register."""
    names = [r.name for r in scenario.reps]
    out: list[Visit] = []
    for i in range(days):
        day = simulate_day(scenario, seed, replication=i)
        out += visits_of_day(day, f"sim-{i:04d}", scenario.day.type, names)
    return out


def backtest(
    scenario: Scenario, observed: list[Visit], days: int = 40, seed: int = 1
) -> list[KpiCheck]:
    """Compare the register's KPIs (its days of the scenario's day type) with simulated days."""
    obs = register_kpis([v for v in observed if v.day_type == scenario.day.type])
    sim = register_kpis(simulated_register(scenario, days, seed))
    return [KpiCheck(k, obs[k], sim[k], *welch(obs[k], sim[k])) for k, *_ in REGISTER_KPIS]
