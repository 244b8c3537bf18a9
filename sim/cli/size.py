"""``salesim size``: the fewest people per event desk and time block that meet the targets.

Writes ``OUT/sizing.json`` (docs/sizing-result.md), ``sizing_details.json`` (with the
out-of-sample ``validation``), ``headcount.csv``, ``headcount.xlsx`` and the plots
``profile.png`` and ``kpi_curves.png``. After the search the answer is run on
``--validate-days`` fresh days (seed + 1,000,003; the screen, with the deciding days re-run in
SimPy: :mod:`sim.event_sizing.validate`).
An impossible target exits with code 2 and one line naming the desk, block, KPI and the best
value reached.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from sim.cli.common import allow_large_option, check_limits, fail, load_or_fail, main
from sim.cli.recording import recorded_command
from sim.cli.size_days import size_multi_day
from sim.cli.size_joint import joint_line, retire_old_answer, shortfall, write_failed
from sim.cli.size_office import office_size
from sim.cli.size_roster import print_roster, roster_or_fail
from sim.cli.size_spread import report_spread
from sim.core.atomic import all_or_nothing
from sim.domain.kpis import describe_event
from sim.domain.labels import EVENT_POSTS, PAYER_LABELS, PROPERTY, any_post_label
from sim.event_sizing import Infeasible, SizingResult, TargetSyntaxError, parse_target, size
from sim.event_sizing.crowd import EventClass, WaitingSeats
from sim.event_sizing.output import block_labels, write_sizing
from sim.event_sizing.parking import parking_line
from sim.event_sizing.targets import MODES, Mode, SizingTarget
from sim.event_sizing.validate import (
    DEFAULT_DAYS,
    FRESH_SEED_OFFSET,
    Check,
    Validation,
    share_floor,
)

_BLOCK = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(h|min|m)?\s*$")


def parse_blocks(text: str) -> float:
    """``1h``, ``30min``, ``30m`` or plain minutes -> minutes."""
    match = _BLOCK.match(text)
    if not match or float(match.group(1)) <= 0:
        fail(f"--blocks: '{text}' is not a block length such as 1h, 30min or 90")
    value = float(match.group(1))
    return value * 60 if match.group(2) == "h" else value


GridRow = tuple[str, Sequence[int], Sequence[int]]
"""A post's grid row: id, baseline per block, total per block."""


def grid_rows(result: SizingResult) -> dict[str, list[GridRow]]:
    """Payer -> the posts it pays (desks, then the property's service posts)."""
    pr = result.problem
    out: dict[str, list[GridRow]] = {payer: [] for payer in PAYER_LABELS}
    for post, payer in pr.event.payers().items():
        out[payer].append((post, pr.baseline[post], result.counts[post]))
    for post, n in result.service.items():
        out[PROPERTY].append((post, [0] * len(n), n))
    return out


def headcount_tables(result: SizingResult) -> list[Table]:
    """One post × block grid per payer: 物业选配岗位 (billed) first, then 开发商/代理岗位."""
    return [headcount_table(result, payer, posts)
            for payer, posts in grid_rows(result).items() if posts]  # fmt: skip


def headcount_table(result: SizingResult, payer: str, posts: list[GridRow]) -> Table:
    """Post × block for one payer: baseline + extra = total, and the peak extra per post."""
    labels = [lb for lb, _, _ in block_labels(result.problem.edges)]
    zh, en = PAYER_LABELS[payer]
    table = Table(title=f"{zh} {en} — 人数 headcount: 基础 baseline + 选配 extra = 合计 total",
                  title_justify="left")  # fmt: skip
    table.add_column("岗位 post", no_wrap=True)
    for lb in labels:
        table.add_column(lb, justify="right", no_wrap=True)
    table.add_column("峰值选配 peak extra", justify="right")
    table.add_column("选配人时 extra person-blocks", justify="right")
    for post, base, total in posts:
        cells = [f"{b}+{max(0, t - b)}={max(t, b)}" if t or b else "·"
                 for b, t in zip(base, total, strict=True)]  # fmt: skip
        extras = [max(0, t - b) for b, t in zip(base, total, strict=True)]
        table.add_row(f"{any_post_label(post)[0]} {post}", *cells, str(max(extras)),
                      str(sum(extras)))  # fmt: skip
    return table


def seats_line(s: WaitingSeats) -> str:
    """等候区座位: the simulated peak against the seats, and the seats needed at the level."""
    verdict = (f"缺 {s.short} 座 short of {s.short} seats" if s.short
               else "座位足够 enough seats")  # fmt: skip
    return (f"等候区座位 waiting-area seats: {s.seats} 座 seats; 模拟峰值 simulated peak "
            f"{s.peak_mean:.0f} 人 people on average, at most {s.peak_max}; 需 {s.needed} 座 "
            f"seats needed on {s.level:g} of the days: {verdict}")


def margins_table(result: SizingResult) -> Table:
    """Each target with the achieved value and the margin."""
    crit = result.problem.criterion
    how = ("达标天数占比 share of days" if crit.mode == "share_of_days"
           else "均值单侧置信上限 upper CI of mean")  # fmt: skip
    table = Table(title=f"目标 targets ({how} ≥ {crit.confidence:g})", title_justify="left")
    for name in ("KPI", "目标 target", "达到 achieved", "余量 margin"):
        table.add_column(name, justify="left" if name == "KPI" else "right")
    for t, got, margin in result.achieved:
        table.add_row(_kpi_label(t.kpi), f"{t.op} {t.value:g}", f"{got:.2f}", f"{margin:+.2f}")
    return table


def validation_table(v: Validation) -> Table:
    """样本外验证: each target on the fresh days, with the verdict."""
    share = v.mode == "share_of_days"
    table = Table(title=f"样本外验证 out-of-sample validation: {v.days} 新天数 fresh days "
                        f"(筛选 screen; SimPy 复核 re-run of the {v.simpy_days} deciding days; "
                        f"seed {v.seed})", title_justify="left")  # fmt: skip
    heads = ["KPI", "目标 target", "水平 level"]
    heads += (["新天数达标占比 fresh share met", f"容差下限 floor (5%, n={v.days})"] if share
              else ["新均值 fresh mean", "单侧置信界 CI bound"])  # fmt: skip
    heads.append("结论 verdict")
    for name in heads:
        table.add_column(name, justify="left" if name in ("KPI", "结论 verdict") else "right")
    floor = share_floor(v.level, v.days)
    zh = {"meets": "达标 meets", "within sampling error": "抽样误差内 within sampling error",
          "MISSES": "[bold red]未达标 MISSES[/]"}  # fmt: skip
    for c in v.checks:
        t = c.target
        values = ([f"{c.share_met:.3f}", f"{floor:.3f}"] if share
                  else [f"{c.mean:.2f}", f"{c.bound:.2f}"])  # fmt: skip
        table.add_row(_kpi_label(t.kpi), f"{t.op} {t.value:g}", f"{c.level:g}", *values,
                      zh[c.verdict])
    return table


@main.command("size")
@click.argument("scenario", metavar="SCENARIO")
@click.option("--target", "targets", multiple=True, metavar="KPI<=VALUE",
              help="目标，可重复给出 a target (repeatable)  "
                   "[默认 default: event.sizing.targets of the scenario]")
@click.option("--confidence", type=click.FloatRange(0.5, 1, min_open=True, max_open=True),
              default=None, help="达标天数占比/置信水平 share of days / confidence level  "
                                "[默认 default: the scenario's]")
@click.option("--mode", type=click.Choice(MODES), default=None,
              help="达标方式：按天数占比或均值置信区间上限 share_of_days or upper_ci_mean  "
                   "[默认 default: the scenario's]")
@click.option("--blocks", "blocks", default="1h", show_default=True,
              help="时段长度 time block length (1h, 30min, ...)")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("results/size"), show_default=True, help="输出目录 output folder")
@click.option("-n", "--days", type=click.IntRange(min=10), default=100, show_default=True,
              help="搜索所用重复天数（共同随机数） replicated days the search uses (common random "
                   "numbers)")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="随机种子 root seed of the search days")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=None,
              help="并行进程数（SimPy 复核） processes for the SimPy confirmation  "
                   "[默认 default: every core]")
@click.option("--start", type=click.Choice(["erlang_c", "offered_load"]), default="erlang_c",
              show_default=True, help="搜索的解析起点 analytic starting point of the search")
@click.option("--validate-days", type=click.IntRange(min=0), default=DEFAULT_DAYS,
              show_default=True, metavar="N",
              help=f"样本外验证天数，0 为不验证 fresh days (seed + {FRESH_SEED_OFFSET}) on "
                   "which the answer is checked out of sample (the screen; SimPy re-runs the "
                   "deciding days); 0: no validation")  # fmt: skip
@click.option("--spread-seeds", type=click.IntRange(min=1), default=1, show_default=True,
              metavar="K", help="跨种子波动 also size with K-1 further search seeds and show per "
                                "post and block the min–max people (spread.json)")  # fmt: skip
@click.option("--no-plots", is_flag=True, help="不画 PNG 图 skip the PNG plots")
@allow_large_option
@recorded_command("size", Path("results") / "size")  # the results store (issue 15 item 4)
def size_command(
    scenario: str, targets: tuple[str, ...], confidence: float | None, mode: Mode | None,
    blocks: str, out: Path, days: int, seed: int, workers: int | None, start: str,
    validate_days: int, spread_seeds: int, no_plots: bool, allow_large: bool,
) -> None:  # fmt: skip
    """测算所需人数：活动各岗位每时段人数，或案场每班顾问、VIP室与岗位人数
    Size the event desks of SCENARIO per time block, or an office day's reps, VIP rooms and
    post staff per shift, so that every target holds."""
    sc = load_or_fail(scenario, None)
    check_limits([sc], scenario, {"--days": days, "--validate-days": validate_days},
                 days + validate_days, allow_large, workers)  # fmt: skip
    if sc.event is None:  # an office day: reps, rooms and posts (docs/office-sizing.md)
        office_size(sc, scenario, targets, confidence, mode, out, days, seed, workers,
                    validate_days)  # fmt: skip
        return
    try:
        chosen = [parse_target(t) for t in targets]
    except TargetSyntaxError as exc:
        fail(f"--target: {exc}")
    if not chosen:
        chosen = [SizingTarget(t.kpi, t.op, t.value) for t in sc.event.sizing.targets]
    if not chosen:
        fail(f"{scenario}: no targets: give --target KPI<=VALUE or event.sizing.targets")
    if 0 < validate_days < 10:
        fail(f"--validate-days: {validate_days} is too few fresh days to judge a share; "
             "give 0 (no validation) or at least 10")  # fmt: skip
    level = confidence if confidence is not None else sc.event.sizing.confidence
    how: Mode = mode or sc.event.sizing.mode
    if sc.event.days:  # a multi-day event: each day sized on its own (issue 12)
        size_multi_day(sc, scenario, lambda day, day_seed: size(
            day, chosen, how, level, parse_blocks(blocks), days, day_seed, workers, start,
            validate_days=validate_days), seed, out, workers)  # fmt: skip
        return
    try:
        result = size(sc, chosen, how, level, parse_blocks(blocks), days, seed, workers, start,
                      validate_days=validate_days)  # fmt: skip
    except Infeasible as exc:
        label = block_labels(exc.span)[0][0]
        zh = EVENT_POSTS.get(exc.post, ("", ""))[0]
        fail(f"{scenario}: impossible target {exc.target}: the binding post {exc.post} ({zh}) "
             f"is at its cap in block {label}; best {exc.target.kpi} reached "
             f"{exc.best:.2f} ({how} at {level:g}); raise event.desks[].cap or relax the target")
    if result.status == "failed":
        _report_failed(result, out, scenario)
    booked = roster_or_fail(result, scenario)  # shifts at the booking terms (issue 19)
    try:
        with all_or_nothing():  # every file of the sizing, or none of them
            paths = write_sizing(result, out, scenario)
            if not no_plots:
                from sim.report.sizing_plots import write_sizing_plots  # matplotlib

                paths += write_sizing_plots(result, out)
    except OSError as exc:
        fail(f"--out {out}: cannot write ({exc.strerror or exc})")
    console = Console(width=None if sys.stdout.isatty() else 160)
    for line in EventClass(sc.event.attendance).lines():
        console.print(line, soft_wrap=True)
    for table in headcount_tables(result):
        console.print(table)
    console.print(margins_table(result))
    if result.seats is not None:
        console.print(seats_line(result.seats), soft_wrap=True)
    if result.parking is not None:
        console.print(parking_line(result.parking), soft_wrap=True)
    v = result.validation
    if v is not None:
        console.print(validation_table(v))
        console.print(joint_line(v, result.rounds, result.search_level), soft_wrap=True)
        for sc_ in result.service_checks:
            console.print(f"样本外验证 fresh days: {any_post_label(sc_.post)[0]} {sc_.post} "
                          f"covers the crowd on {sc_.share_met:.1%} of {sc_.days} fresh days "
                          f"(level {sc_.level:g}): {sc_.verdict}")  # fmt: skip
        for c in v.misses:
            console.print(f"[bold red]警告 warning[/]: {c.target} misses out of sample "
                          f"({_fresh_text(c)} on {v.days} fresh days, significantly short of "
                          f"{c.level:g}); the plan is over-tuned to its {result.days} search "
                          f"days: search on more days (-n {2 * result.days}) or raise "
                          "--confidence", soft_wrap=True)  # fmt: skip
    print_roster(console, booked, result, validate_days, workers)
    u = result.usage
    fresh = (f"样本外验证 validation: {v.days} fresh days by the screen, SimPy on "
             f"{u.validation_days} deciding ones, seed {v.seed}" if v is not None
             else "样本外验证 validation: off")  # fmt: skip
    console.print(f"模拟天数 simulated days: {u.total} = 搜索 search {u.search} (向量化筛选 "
                  f"screen {u.screen_days} + SimPy {u.simpy_days}; {result.days} search days, "
                  f"seed {seed}) + {fresh}; 最小性 minimality: {len(result.removals)} single "
                  f"removals each miss a target (screen; SimPy on the close ones); 用时 "
                  f"{result.seconds:.1f} s (validation {result.validation_seconds:.1f} s)",
                  soft_wrap=True)  # fmt: skip
    x = result.exchange
    if x is not None:
        console.print(f"交换改进 exchange moves: {x.before} → {x.after} person-blocks "
                      f"({x.cheaper} cheaper moves, {x.candidates} plans screened)")
    else:  # `size` skips the phase only where desks are booked by the day or half day
        console.print("交换改进 exchange moves: 未运行 not run — 按天/半天计费，"
                      "由计费优化直接求最省 (desks booked by the day or half day: the booking "
                      "phase minimises the money)", soft_wrap=True)  # fmt: skip
    if spread_seeds > 1:
        paths.append(report_spread(result, spread_seeds, lambda s: size(
            sc, chosen, how, level, parse_blocks(blocks), days, s, workers, start, levels=(),
            curves=False), out, console))  # fmt: skip
    console.print("写入 written: " + ", ".join(str(p) for p in paths), soft_wrap=True)


def _report_failed(result: SizingResult, out: Path, scenario: str) -> None:
    """The best plan when the fresh check misses after every round: its tables and shortfall
    on the terminal, ``sizing_failed.json`` (status failed), exit 2 (issue 19 item 1)."""
    v = result.validation
    assert v is not None
    console = Console(width=None if sys.stdout.isatty() else 160)
    for table in headcount_tables(result):
        console.print(table)
    console.print(validation_table(v))
    console.print(joint_line(v, result.rounds, result.search_level), soft_wrap=True)
    try:
        path = write_failed(result, out, scenario)
        retired = retire_old_answer(out)
    except OSError as exc:
        fail(f"--out {out}: cannot write ({exc.strerror or exc})")
    fail(f"{scenario}: 未找到可信方案 no plan passes the fresh-day check after "
         f"{result.rounds} further search rounds ({result.days} search days): {shortfall(v)}; "
         f"best plan (NOT an answer) in {path}; search on more days (-n) or relax the "
         f"targets{retired}")


def _kpi_label(key: str) -> str:
    """'财务/定金台等待P90 finance_wait_p90 (分钟)': the Chinese label, the id, the unit."""
    kpi = describe_event(key)
    if kpi is None:
        return key
    unit = {"min": "分钟 min", "share": "%", "groups": "组", "people": "人"}.get(kpi.unit, kpi.unit)
    return f"{kpi.zh} {key} ({unit})"


def _fresh_text(c: Check) -> str:
    if c.mode == "share_of_days":
        return f"met on {c.share_met:.1%} of days"
    return f"mean {c.mean:.2f}, CI bound {c.bound:.2f}"
