"""``salesim run`` and ``salesim policies``: simulate a scenario; list the rotation policies."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import click
from rich.console import Console

from sim.cli.common import (
    allow_large_option,
    check_limits,
    display_options,
    fail,
    load_or_fail,
    main,
    open_store_or_fail,
    reason,
    worker_lost,
)
from sim.core.atomic import all_or_nothing
from sim.core.workers import WorkerLost
from sim.domain.results import DayStalled
from sim.experiment.executor import SchedulerError, local_cores
from sim.experiment.runner import RunResult, run, summary_dict
from sim.experiment.studies import recorded
from sim.experiment.target import DEFAULT_CAP, PrecisionTarget, TargetError, parse_target
from sim.office.staffing_checks import schedule_warnings
from sim.policies import known_policies, policy_class
from sim.report.event_report import drop_office_tables, write_event_outputs
from sim.report.files import write_run
from sim.report.i18n import Lang, pick
from sim.report.terminal import print_kpis


@main.command("run")
@click.argument("scenario", metavar="SCENARIO")
@click.option(
    "-n",
    "--replications",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="重复次数（独立仿真天数；带 --target 时为首批） independent simulated days "
    "(with --target: the first batch)",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="随机种子：同一种子与情景结果相同 root seed; same seed and scenario give "
    "identical results",
)
@click.option("--policy", default=None,
              help="轮序规则 rotation policy  [默认 default: the scenario's]")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("results"),
    show_default=True,
    help="输出目录：本次运行的表格与结果数据库 folder for the run's tables and the results "
    "database",
)
@click.option("--json", "as_json", is_flag=True,
              help="以 JSON 输出汇总 print the summary as JSON, not a table")
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="本机并行进程数 local worker processes  [默认 default: every core]",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="tcp://HOST:PORT",
    help="在此 Dask 集群上运行各次重复 run the replications on this Dask scheduler's cluster",
)
@click.option(
    "--target",
    "target_text",
    default=None,
    metavar="KPI=VALUE[%]",
    help="精度目标：追加重复直至该指标95%置信区间半宽不超过 VALUE（或均值的 VALUE%） add "
    "replications until KPI's 95% CI half-width is at most VALUE (or VALUE% of its mean)",
)
@click.option(
    "--max-replications",
    type=click.IntRange(min=2),
    default=DEFAULT_CAP,
    show_default=True,
    help="重复次数上限（配合 --target） the cap with --target",
)
@display_options
@allow_large_option
def run_command(
    scenario: str, replications: int, seed: int, policy: str | None, out: Path, as_json: bool,
    workers: int | None, scheduler: str | None, target_text: str | None, max_replications: int,
    show_all: bool, lang: Lang, allow_large: bool,
) -> None:  # fmt: skip
    """模拟情景并给出目标达成与KPI（95%置信区间）
    Simulate SCENARIO (a YAML file) and print the KPI table with 95% confidence intervals.

    各次重复并行运行，完成即存入 OUT/salesim.sqlite；中断后再运行同一命令会复用已存结果。
    Replications run in parallel and are stored in OUT/salesim.sqlite as they finish; the same
    command run again (after an interruption, say) reuses them. The tables (visits.csv, ...)
    hold the first 100 replications; kpis_by_replication.csv and the summary hold all.
    """
    sc = load_or_fail(scenario, policy)
    days = {"--replications": replications}
    if target_text is not None:
        days["--max-replications"] = max_replications
    check_limits([sc], scenario, days, max(days.values()), allow_large, workers)
    if not as_json:
        for warning in schedule_warnings(sc):
            click.echo(f"salesim: 警告 warning: {scenario}: {warning}", err=True)
    target = None
    if target_text is not None:
        try:
            target = parse_target(target_text, max_replications)
        except TargetError as exc:
            fail(f"--target: {exc}")
    show = not as_json and sys.stdout.isatty() and sys.stderr.isatty()
    options = {"replications": replications, "seed": seed, "policy": policy,
               "target": target_text}  # fmt: skip
    with open_store_or_fail(out, create=True) as store, \
            recorded("run", scenario, options, out, root=out) as study:  # fmt: skip
        try:
            result = run(sc, replications, seed, policy, workers=workers, scheduler=scheduler,
                         store=store, progress=show, target=target,
                         meanwhile=_prepare_plots if sc.event is None else None)  # fmt: skip
            with all_or_nothing():  # every table and the report, or none of them
                folder = _write_outputs(result, out, workers)
                study.folder = folder
            if sc.event is not None:
                drop_office_tables(folder)  # header-only on an event day
        except SchedulerError as exc:
            fail(f"--scheduler {scheduler}: {exc}")
        except DayStalled as exc:
            fail(f"{scenario}: 模拟停滞 the simulated day stalled: {exc}")
        except TargetError as exc:
            fail(f"--target: {exc}")
        except (OSError, sqlite3.Error) as exc:
            fail(f"--out {out}: 无法写入结果 cannot write results ({reason(exc)})")
        except KeyboardInterrupt:
            click.echo(f"salesim: 已中断 interrupted; 已完成的天数保存在 finished replications are "
                       f"kept in {store.path}; 再次运行同一命令即可续跑 run the same command again "
                       "to resume", err=True)  # fmt: skip
            sys.exit(130)
        except WorkerLost as exc:
            worker_lost(exc, store.path)
    extra = {"output": str(folder), "run_key": result.run_key, "reused": result.reused}
    if as_json:
        data = summary_dict(result) | extra | result.meta
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console = Console(width=None if sys.stdout.isatty() else 80)
    print_kpis(result, console, show_all=show_all, lang=lang)
    _footer(console, result, target, folder, lang)


def _prepare_plots() -> None:
    """Import matplotlib and load the report font (in a thread while workers simulate)."""
    from sim.report.plot_pool import prepare  # matplotlib: when needed

    prepare()


def _write_outputs(result: RunResult, out: Path, workers: int | None) -> Path:
    """The run's tables and report; return their folder. With more than one worker the plots
    are drawn by forked processes while this one writes the tables (issue 17 item 4)."""
    if result.scenario.event is not None:  # event days: their own tables and report (issue 15)
        folder = write_run(result, out)
        write_event_outputs(result, folder)
        return folder
    from sim.report.html import write_html_report  # matplotlib: when needed
    from sim.report.plot_pool import can_fork, pooled_plots, report_targets

    count = workers or local_cores()
    if count <= 1 or not can_fork():
        folder = write_run(result, out)
        write_html_report(result, folder / "report.html")
        return folder
    with pooled_plots(result, count) as plots:
        folder = write_run(result, out)
        drawn = plots.get()
    write_html_report(result, folder / "report.html", drawn=drawn, targets=report_targets(result))
    return folder


def _footer(
    console: Console, result: RunResult, target: PrecisionTarget | None, folder: Path, lang: Lang
) -> None:
    """The precision target reached or not, stored replications reused, where the files are."""
    n = result.replications
    if target is not None:
        met = result.meta.get("target_met") == "yes"
        console.print(pick(lang, f"精度目标 {target}：{'达到' if met else '未达到'}（{n} 次重复）",
                           f"precision target {target}: {'reached' if met else 'NOT reached'} "
                           f"with {n} replications"))  # fmt: skip
    if result.reused:
        console.print(
            pick(
                lang,
                f"复用已存的 {result.reused} 次重复（运行 {result.run_key}）",
                f"reused {result.reused} stored replications (run {result.run_key})",
            )
        )
    report = " (report.html)" if result.scenario.event is None else (
        " (report.html, queue_by_block.csv, call_batches.csv …)")
    console.print(pick(lang, "表格已写入：", "tables written to: ") + f"{folder}{report}",
                  soft_wrap=True)  # fmt: skip


@main.command("policies")
def policies_command() -> None:
    """列出轮序规则及其说明 List the rotation policies by name, with what each does."""
    for name in known_policies():
        cls = policy_class(name)
        click.echo(f"{name:24s} {cls.description}")
