"""The tables that ``salesim results`` prints: the studies (every kind of run) and the stored
simulation runs, with times in the planner's local time."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from rich.table import Table

from sim.experiment.store import RunRecord
from sim.experiment.studies import StudyRecord

KIND_LABELS = {"run": "模拟 run", "compare": "比较 compare", "size": "测算 size", "fee": "收费 fee"}
STATUS_LABELS = {"running": "进行中 running", "done": "完成 done",
                 "interrupted": "已中断 interrupted", "failed": "失败 failed"}  # fmt: skip


def _count(r: RunRecord) -> str:
    if r.finished is not None and r.replications is not None:
        return str(r.replications)
    return f"{r.stored}/{r.requested}" + (f" ({r.target})" if r.target else "")


def local_time(stamp: str | None) -> str:
    """A stored UTC stamp in local time (``YYYY-MM-DD HH:MM:SS``), or 'unfinished'."""
    if not stamp:
        return "未完成 unfinished"
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return stamp


def _options(text: str) -> str:
    """A study's options as ``key=value`` pairs, the unset ones left out."""
    try:
        data = json.loads(text)
    except ValueError:
        return text
    return " ".join(f"{k}={v}" for k, v in data.items() if not _unset(v))


def _unset(value: object) -> bool:
    """An option left at nothing (None, off, empty); 0 is a value (seed 0)."""
    return value is None or value is False or value in ("", [])


def studies_table(records: Sequence[StudyRecord]) -> Table:
    """One row per study: kind, scenario, status, times, output folder, options."""
    title = f"{len(records)} 项研究 studies (run / compare / size / fee; 本地时间 local time)"
    table = Table(title=title, title_justify="left")
    for name in ("类别 kind", "场景 scenario", "状态 status", "开始 started",
                 "完成 finished", "输出 folder", "选项 options"):  # fmt: skip
        table.add_column(name, overflow="fold")
    for s in records:
        table.add_row(
            KIND_LABELS.get(s.kind, s.kind), Path(s.scenario).name,
            STATUS_LABELS.get(s.status, s.status), local_time(s.started),
            local_time(s.finished), s.folder, _options(s.options),
        )  # fmt: skip
    return table


def runs_table(records: Sequence[RunRecord]) -> Table:
    """One row per stored run: key, scenario, policy, seed, replications, code version, times."""
    title = f"{len(records)} 次运行 stored runs (本地时间 local time)"
    table = Table(title=title, title_justify="left")
    columns = (
        "运行键 key", "场景 scenario", "策略 policy", "种子 seed", "重复 replications",
        "级别 level", "代码版本 code", "开始 started", "完成 finished",
    )  # fmt: skip
    for name in columns:
        table.add_column(name, justify="right" if name.startswith(("种子", "重复")) else "left")
    for r in records:
        table.add_row(
            r.run_key[:12], r.scenario, r.policy, str(r.seed), _count(r), r.level,
            r.code_version, local_time(r.started), local_time(r.finished),
        )  # fmt: skip
    return table
