"""The ``salesim`` command line.

User mistakes (a bad scenario file, an unknown policy, an unwritable output folder) print one
clear line per problem on stderr and exit with code 2; they never show a traceback.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import asdict
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console

from sim.experiment.executor import SchedulerError
from sim.experiment.export import Format, export_run
from sim.experiment.listing import runs_table
from sim.experiment.store import DB_NAME, Store, StoreError
from sim.experiment.target import DEFAULT_CAP, TargetError, parse_target
from sim.output import summary_dict, write_run
from sim.policies import UnknownPolicyError, known_policies, policy_class
from sim.report import print_kpis
from sim.runner import run
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.schema import Scenario
from sim.staffing_checks import schedule_warnings


def fail(lines: list[str] | str) -> NoReturn:
    """Print the problem(s) and exit with code 2."""
    for line in [lines] if isinstance(lines, str) else lines:
        click.echo(f"salesim: {line}", err=True)
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="salesim")
def main() -> None:
    """Sales-office (售楼处/案场) staffing simulator."""


@main.command("run")
@click.argument("scenario", metavar="SCENARIO")
@click.option("-n", "--replications", type=click.IntRange(min=1), default=20, show_default=True,
              help="independent simulated days (with --target: the first batch)")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="root seed; same seed and scenario give identical results")
@click.option("--policy", default=None, help="rotation policy (default: the scenario's)")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True, help="folder for the run's tables and the results database")
@click.option("--json", "as_json", is_flag=True, help="print the summary as JSON, not a table")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=None,
              help="local worker processes  [default: every core]")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="run the replications on this Dask scheduler's cluster")
@click.option("--target", "target_text", default=None, metavar="KPI=VALUE[%]",
              help="add replications until KPI's 95% CI half-width is at most VALUE "
                   "(or VALUE% of its mean)")
@click.option("--max-replications", type=click.IntRange(min=2), default=DEFAULT_CAP,
              show_default=True, help="the cap with --target")
def run_command(
    scenario: str, replications: int, seed: int, policy: str | None, out: Path, as_json: bool,
    workers: int | None, scheduler: str | None, target_text: str | None, max_replications: int,
) -> None:  # fmt: skip
    """Simulate SCENARIO (a YAML file) and print the KPI table with 95% confidence intervals.

    Replications run in parallel and are stored in OUT/salesim.sqlite as they finish; the same
    command run again (after an interruption, say) reuses them. The tables (visits.csv, ...)
    hold the first 100 replications; kpis_by_replication.csv and the summary hold all.
    """
    sc = load_or_fail(scenario, policy)
    if not as_json:
        for warning in schedule_warnings(sc):
            click.echo(f"salesim: warning: {scenario}: {warning}", err=True)
    target = None
    if target_text is not None:
        try:
            target = parse_target(target_text, max_replications)
        except TargetError as exc:
            fail(f"--target: {exc}")
    show = not as_json and sys.stdout.isatty() and sys.stderr.isatty()
    with open_store_or_fail(out, create=True) as store:
        try:
            result = run(sc, replications, seed, policy, workers=workers, scheduler=scheduler,
                         store=store, progress=show, target=target)  # fmt: skip
            folder = write_run(result, out)
            if sc.event is None:  # event days: the KPI table and CSVs (no office plots)
                from sim.html_report import write_html_report  # matplotlib: only when needed

                write_html_report(result, folder / "report.html")
        except SchedulerError as exc:
            fail(f"--scheduler {scheduler}: {exc}")
        except TargetError as exc:
            fail(f"--target: {exc}")
        except (OSError, sqlite3.Error) as exc:
            fail(f"--out {out}: cannot write results ({_reason(exc)})")
        except KeyboardInterrupt:
            click.echo(f"salesim: interrupted; finished replications are kept in {store.path}; "
                       "run the same command again to resume", err=True)  # fmt: skip
            sys.exit(130)
    extra = {"output": str(folder), "run_key": result.run_key, "reused": result.reused}
    if as_json:
        data = summary_dict(result) | extra | result.meta
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console = Console(width=None if sys.stdout.isatty() else 140)
    print_kpis(result, console)
    if target is not None:
        met = "达到 reached" if result.meta.get("target_met") == "yes" else "未达到 NOT reached"
        console.print(f"目标 target {target}: {met} with {result.replications} replications")
    if result.reused:
        console.print(f"复用 reused {result.reused} stored replications (run {result.run_key})")
    report = " (report.html)" if sc.event is None else ""
    console.print(f"表格已写入 tables written to: {folder}{report}", soft_wrap=True)


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def open_store_or_fail(out: Path, create: bool = False) -> Store:
    """The results store of ``out``; exits with code 2 if it is missing or cannot be opened."""
    if not create and not (out / DB_NAME).is_file():
        fail(f"--out {out}: no results database ({DB_NAME}) here; run `salesim run` first")
    try:
        return Store.in_folder(out)
    except (OSError, sqlite3.Error) as exc:
        fail(f"--out {out}: cannot write results ({_reason(exc)})")


@main.group("results", invoke_without_command=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True, help="the output folder whose runs to list")
@click.option("--json", "as_json", is_flag=True, help="print the runs as JSON")
@click.pass_context
def results_command(ctx: click.Context, out: Path, as_json: bool) -> None:
    """List the runs stored in OUT/salesim.sqlite (`results export KEY` exports one)."""
    if ctx.invoked_subcommand is not None:
        return
    with open_store_or_fail(out) as store:
        records = store.runs()
    if as_json:
        click.echo(json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=2))
        return
    Console(width=None if sys.stdout.isatty() else 160).print(runs_table(records))


@results_command.command("export")
@click.argument("key", metavar="RUNKEY")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True, help="the output folder holding the run")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv",
              show_default=True, help="CSV files or one Excel workbook")
@click.option("--to", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="folder to write to  [default: OUT]")
def export_command(key: str, out: Path, fmt: Format, to: Path | None) -> None:
    """Export run RUNKEY to CSV or Excel (a unique key prefix is enough).

    Writes the per-replication KPIs, the summary and the run's metadata, with Chinese and
    English headers."""
    with open_store_or_fail(out) as store:
        try:
            paths = export_run(store, key, fmt, to or out)
        except StoreError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"--to {to or out}: cannot write ({_reason(exc)})")
    for path in paths:
        click.echo(str(path))


@main.command("policies")
def policies_command() -> None:
    """List the rotation policies (轮序规则) by name."""
    for name in known_policies():
        cls = policy_class(name)
        click.echo(f"{name:24s} {cls.description}")


if __name__ == "__main__":  # pragma: no cover
    main()


# Commands defined in their own modules register themselves on ``main``.
from sim import cli_compare as _cli_compare  # noqa: E402,F401
from sim import cli_fee as _cli_fee  # noqa: E402,F401
from sim import cli_size as _cli_size  # noqa: E402,F401
