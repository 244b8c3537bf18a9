"""``salesim size`` on an office scenario (no ``event:``): reps per team and shift, VIP rooms,
post staff per shift (:mod:`sim.office_sizing`; docs/office-sizing.md).

Called from :mod:`sim.cli.size` with its options. The first screen answers "how many reps per
team and shift, how many rooms, how many people per post" with pass/fail per target.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.core import ParameterSource
from rich.console import Console
from rich.table import Table

from sim.cli.common import fail
from sim.core.atomic import all_or_nothing
from sim.domain.kpis import describe_kpi
from sim.event_sizing.targets import Mode, SizingTarget
from sim.office_sizing import (
    OfficeInfeasible,
    OfficeSizingResult,
    OfficeTargetError,
    default_targets,
    parse_office_target,
    size_office,
)
from sim.office_sizing.output import write_office_sizing
from sim.office_sizing.plan import cell_label
from sim.scenario.schema import Scenario

OFFICE_DAYS = 30
"""Search days when ``-n`` is not given (an office day has ~20 cells to try, not 5 desks)."""


def _label(key: str) -> str:
    kpi = describe_kpi(key)
    return f"{kpi.zh} {key}"


def _value(key: str, x: float) -> str:
    return f"{x:.1%}" if describe_kpi(key).unit == "share" else f"{x:.2f}"


def plan_table(r: OfficeSizingResult) -> Table:
    """人员与房间: each cell before and after sizing, with what removing one more would do."""
    why = {m.cell: m.reason for m in r.removals}
    table = Table(title="测算结果 staffing answer: 每组每班顾问、VIP室、各岗位每班人数 "
                        "reps per team and shift, VIP rooms, people per post and shift",
                  title_justify="left")  # fmt: skip
    for name in ("岗位/班次 post / shift", "原 before", "测算 sized", "再减1人/间 one fewer"):
        table.add_column(name, justify="left" if "/" in name else "right")
    for cell, n in r.plan.counts:
        table.add_row(cell_label(cell), str(r.start.get(cell)), f"[bold]{n}[/]",
                      why.get(cell, "—"))  # fmt: skip
    return table


def targets_table(r: OfficeSizingResult) -> Table:
    """Each target on the search days and on the fresh days, pass/fail."""
    crit, v = r.criterion, r.validation
    how = (
        "各目标同日达标天数占比 share of days with every target met"
        if crit.mode == "share_of_days"
        else "均值单侧置信上限 one-sided CI bound of the mean"
    )
    table = Table(title=f"目标 targets ({how}, {crit.confidence:g})", title_justify="left")
    heads = ["KPI", "目标 target", "搜索天 search", "达标 pass"]
    if v is not None:
        heads += ["新天均值 fresh mean", "新天达标 fresh days met", "验证 verdict"]
    for name in heads:
        table.add_column(
            name,
            justify="left" if name == "KPI" else "right",
            no_wrap=name in ("KPI", "验证 verdict"),
        )
    checks = v.checks if v is not None else (None,) * len(r.judgement.targets)
    j = r.judgement
    for t, got, m, c in zip(j.targets, j.achieved, j.margins, checks, strict=True):
        row = [_label(t.kpi), f"{t.op} {_value(t.kpi, t.value)}", _value(t.kpi, got),
               "达标 pass" if m >= 0 else "[bold red]未达标 FAIL[/]"]  # fmt: skip
        if c is not None:
            row += [_value(t.kpi, c.mean), f"{c.share_met:.1%}", _verdict(c.verdict)]
        table.add_row(*row)
    return table


def _verdict(v: str) -> str:
    return {"meets": "达标 meets", "within sampling error": "抽样误差内 within sampling error",
            "MISSES": "[bold red]未达标 MISSES[/]"}[v]  # fmt: skip


def office_size(
    sc: Scenario, scenario: str, targets: tuple[str, ...], confidence: float | None,
    mode: Mode | None, out: Path, days: int, seed: int, workers: int | None, validate_days: int,
) -> None:  # fmt: skip
    """``salesim size`` for an office scenario (the options are ``salesim size``'s)."""
    if sc.office_sizing is None and not targets:
        fail(f"{scenario}: no office_sizing: section and no --target; give --target KPI<=VALUE "
             "(e.g. lost_share<=0.03) or see docs/office-sizing.md")  # fmt: skip
    try:
        chosen: list[SizingTarget] = [parse_office_target(t) for t in targets]
    except OfficeTargetError as exc:
        fail(f"--target: {exc}")
    chosen = chosen or default_targets(sc)
    if not chosen:
        fail(f"{scenario}: office_sizing.targets is empty; name at least one target")
    spec = sc.office_sizing
    level = confidence or (spec.confidence if spec else 0.9)
    how: Mode = mode or (spec.mode if spec else "share_of_days")
    ctx = click.get_current_context()
    if ctx.get_parameter_source("days") is ParameterSource.DEFAULT:
        days = OFFICE_DAYS
    try:
        r = size_office(sc, chosen, how, level, days, seed, workers, validate_days,
                        spec.max_added if spec else 30)  # fmt: skip
    except OfficeInfeasible as exc:
        fail(f"{scenario}: impossible targets: {exc}; relax a target or raise "
             "office_sizing.max_added")  # fmt: skip
    try:
        with all_or_nothing():  # every file of the sizing, or none of them
            paths = write_office_sizing(r, out, scenario)
    except OSError as exc:
        fail(f"--out {out}: cannot write ({exc.strerror or exc})")
    console = Console(width=None if sys.stdout.isatty() else 160)
    console.print(plan_table(r))
    console.print(targets_table(r))
    v = r.validation
    if v is not None:
        share = r.criterion.mode == "share_of_days"
        joint = (f"各目标同日达标 every target met on the same day: {v.joint_share:.1%} of "
                 f"{v.days} fresh days (seed {v.seed})"
                 + (f" (level {r.criterion.confidence:g})" if share else " (for information)")
                 + f"; 验证结论 verdict: {_verdict(v.joint_verdict)}")  # fmt: skip
        console.print(joint, soft_wrap=True)
    console.print(f"模拟天数 simulated days: {r.simulated_days} = 搜索 search {r.search_days} "
                  f"(SimPy, {r.days} days a plan, seed {seed}, same days for every plan) + "
                  f"验证 validation {r.validation_days}; 加 added {r.added}; 最小性 minimality: "
                  f"{len(r.removals)} single removals each break a target or leave a post "
                  f"unmanned; 用时 {r.seconds:.1f} s", soft_wrap=True)  # fmt: skip
    console.print("写入 written: " + ", ".join(str(p) for p in paths), soft_wrap=True)
