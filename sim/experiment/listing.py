"""The table of stored runs that ``salesim results`` prints."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from sim.experiment.store import RunRecord


def _count(r: RunRecord) -> str:
    if r.finished is not None and r.replications is not None:
        return str(r.replications)
    return f"{r.stored}/{r.requested}" + (f" ({r.target})" if r.target else "")


def _when(stamp: str | None) -> str:
    return stamp.replace("T", " ").replace("+00:00", "Z") if stamp else "未完成 unfinished"


def runs_table(records: Sequence[RunRecord]) -> Table:
    """One row per stored run: key, scenario, policy, seed, replications, code version, times."""
    table = Table(title=f"{len(records)} 次运行 stored runs", title_justify="left")
    columns = (
        "运行键 key", "场景 scenario", "策略 policy", "种子 seed", "重复 replications",
        "级别 level", "代码版本 code", "开始 started (UTC)", "完成 finished (UTC)",
    )  # fmt: skip
    for name in columns:
        table.add_column(name, justify="right" if name.startswith(("种子", "重复")) else "left")
    for r in records:
        table.add_row(
            r.run_key[:12], r.scenario, r.policy, str(r.seed), _count(r), r.level,
            r.code_version, _when(r.started), _when(r.finished),
        )  # fmt: skip
    return table
