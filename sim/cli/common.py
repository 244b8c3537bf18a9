"""What every ``salesim`` subcommand shares: the command group, clean failures, loading.

The subcommands register on :data:`main` (:mod:`sim.cli.group`).
User mistakes (a bad scenario file, an unknown policy, an unwritable output folder) print one
clear line per problem on stderr and exit with code 2; they never show a traceback.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import click

from sim.cli.group import main as main  # re-exported: subcommands register on it
from sim.core.says import said_line
from sim.experiment.store import DB_NAME, Store
from sim.policies import UnknownPolicyError, policy_class
from sim.report.i18n import LANGS
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.limits import (
    MAX_CALLS_A_DAY,
    MAX_DAYS,
    MAX_GROUPS_A_DAY,
    MAX_WORK,
    days_problem,
    scenario_problems,
    work_problem,
    workers_problem,
)
from sim.scenario.schema import Scenario


def fail(lines: list[str] | str) -> NoReturn:
    """Print the problem(s), each Chinese first (:func:`sim.core.says.said_line`), and exit
    with code 2."""
    for line in [lines] if isinstance(lines, str) else lines:
        click.echo(f"salesim: {said_line(line)}", err=True)
    sys.exit(2)


def load_or_fail(path: str, policy: str | None) -> Scenario:
    """The validated scenario, with the policy name checked too."""
    try:
        scenario = load_scenario(path)
        if policy is not None:
            policy_class(policy)
    except ScenarioError as exc:
        fail(exc.lines)
    except UnknownPolicyError as exc:
        fail(f"--policy: {exc}")
    return scenario


def allow_large_option(command: Callable[..., None]) -> Callable[..., None]:
    """The ``--allow-large`` flag of the commands that simulate (issue 18)."""
    return click.option(
        "--allow-large",
        is_flag=True,
        help="超出安全上限也运行 run work beyond the limits that catch mistyped numbers "
        f"(more than {MAX_GROUPS_A_DAY:,} groups or {MAX_CALLS_A_DAY:,} calls a day, "
        f"{MAX_DAYS:,} days, {MAX_WORK:,} groups in all)",
    )(command)


def check_limits(
    scenarios: Sequence[Scenario], source: str, days: dict[str, int], total_days: int,
    allow_large: bool, workers: int | None = None,
) -> None:  # fmt: skip
    """Exit 2, before any work starts, if the command would start more work than the limits
    (:mod:`sim.scenario.limits`) allow; ``--allow-large`` lifts all but the workers' limit.
    ``days`` maps each option to the days it asks for; ``total_days`` is per scenario."""
    problems = workers_problem(workers)
    if not allow_large:
        for sc in scenarios:
            problems += [p for p in scenario_problems(sc, source) if p not in problems]
        for option, n in days.items():
            problems += days_problem(option, n)
        if not problems:
            problems += work_problem(scenarios, total_days, " + ".join(days))
    if problems:
        fail(problems)


def worker_lost(exc: BaseException, store: Path | None = None) -> NoReturn:
    """A worker process died mid-run (killed, out of memory): one line, exit 1. With
    ``store``, what was finished is kept there and the same command resumes from it."""
    kept = (f"已完成的天数保存在 finished days are kept in {store}; 再次运行同一命令即可续跑 run "
            "the same command again to resume") if store is not None else (
            "再次运行同一命令 run the same command again")  # fmt: skip
    click.echo(f"salesim: 工作进程意外终止 {exc}; {kept}", err=True)
    sys.exit(1)


def reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def open_store_or_fail(out: Path, create: bool = False) -> Store:
    """The results store of ``out``; exits with code 2 if it is missing or cannot be opened."""
    if not create and not (out / DB_NAME).is_file():
        fail(f"--out {out}: 这里没有结果数据库 no results database ({DB_NAME}) here; "
             "请先运行 run `salesim run` first")
    try:
        return Store.in_folder(out)
    except (OSError, sqlite3.Error) as exc:
        fail(f"--out {out}: 无法写入结果 cannot write results ({reason(exc)})")


def display_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--all`` and ``--lang``: what ``run`` and ``compare`` print (issue 15 item 6)."""
    command = click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True,
                           help="输出语言 language of the table and messages")(command)  # fmt: skip
    return click.option("--all", "show_all", is_flag=True,
                        help="显示全部指标 print every KPI, not only the targets and headline "
                             "KPIs")(command)  # fmt: skip
