"""The terminal KPI table (rich), grouped by post/area with Chinese and English labels."""

from __future__ import annotations

import math

from rich.console import Console
from rich.table import Table

from sim.core.stats import Estimate
from sim.domain.kpis import BY_KEY, SECTIONS
from sim.experiment.runner import RunResult
from sim.report.fmt import fmt, fmt_interval

_UNITS = {
    "groups": "组 groups", "tasks": "次 tasks", "calls": "通 calls", "min": "分钟 min",
    "turns": "次 turns", "reps": "人 reps",
    "share": "%", "ratio": "", "people": "人 people",
}  # fmt: skip


def kpi_table(result: RunResult) -> Table:
    """A rich table of every KPI's mean and 95% confidence interval."""
    s = result.scenario
    title = (
        f"{s.name} · 策略 policy {result.policy} · {result.replications} 次重复 replications · "
        f"seed {result.seed}"
    )
    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("指标", no_wrap=True)
    table.add_column("KPI")
    table.add_column("均值 mean", justify="right")
    table.add_column("95% 置信区间 CI", justify="right")
    table.add_column("单位 unit")
    section = ""
    for key, est in result.summary.items():
        k = BY_KEY[key]
        if k.section != section:
            section = k.section
            table.add_section()
            table.add_row(f"[bold]{SECTIONS[section]}[/bold]", "", "", "", "")
        mean = fmt(est.mean, k.unit)
        if est.n < result.replications:
            mean = _unbounded(result, key, est, mean)
        table.add_row(k.zh, k.en, mean, fmt_interval(est.low, est.high, k.unit), _UNITS[k.unit])
    return table


def _unbounded(result: RunResult, key: str, est: Estimate, mean: str) -> str:
    """Days on which a KPI is infinite (an event desk left groups unserved: the wait has no
    bound) are left out of the mean; say so rather than show a mean of the other days alone."""
    inf_days = sum(math.isinf(v) for v in result.kpi_values(key))
    if not inf_days:
        return mean
    if est.n == 0:
        return f"∞ ({inf_days}天未服务完 unserved)"
    return f"{mean} (+{inf_days}天∞)"


def print_kpis(result: RunResult, console: Console | None = None) -> None:
    """Print the KPI table."""
    (console or Console()).print(kpi_table(result))
