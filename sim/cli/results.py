"""``salesim results``: list the stored runs and export one to CSV or Excel."""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from sim.cli.common import fail, main, open_store_or_fail, reason
from sim.core.atomic import all_or_nothing
from sim.experiment.listing import runs_table, studies_table
from sim.experiment.store import StoreError
from sim.experiment.studies import studies

if TYPE_CHECKING:
    from sim.report.export import Format


@main.group("results", invoke_without_command=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True,
              help="输出目录：列出其中的运行 the output folder whose runs to list")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出运行列表 print the runs as JSON")
@click.pass_context
def results_command(ctx: click.Context, out: Path, as_json: bool) -> None:
    """列出已保存的研究与模拟运行
    List the studies (run, compare, size, fee) and the simulation runs stored in
    OUT/salesim.sqlite, in local time (`results export KEY` exports one run)."""
    if ctx.invoked_subcommand is not None:
        return
    with open_store_or_fail(out) as store:
        try:
            records = store.runs()
            done = studies(store)
        except sqlite3.Error as exc:
            fail(f"--out {out}: 无法读取结果数据库 cannot read the results database "
                 f"({reason(exc)})")
    if as_json:
        click.echo(json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=2))
        return
    console = Console(width=None if sys.stdout.isatty() else 160)
    console.print(studies_table(done))
    console.print(runs_table(records))


@results_command.command("export",
                         short_help="导出一次运行为 CSV 或 Excel Export a run to CSV or Excel")
@click.argument("key", metavar="RUNKEY")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True, help="输出目录：运行所在处 the output folder holding the run")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv",
              show_default=True,
              help="导出格式：CSV 文件或一个 Excel 工作簿 CSV files or one Excel workbook")
@click.option("--to", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="写入目录 folder to write to  [默认 default: OUT]")
def export_command(key: str, out: Path, fmt: Format, to: Path | None) -> None:
    """导出运行 RUNKEY 为 CSV 或 Excel 工作簿 Export run RUNKEY to CSV or Excel (a unique key
    prefix is enough).

    写出各次重复的指标、汇总与运行信息，表头中英并列；存储受损的运行不导出（退出码 2）。
    Writes the per-replication KPIs, the summary and the run's metadata, with Chinese and
    English headers. A run with damaged stored replications is not exported (exit code 2):
    repeat the `salesim run` command that made it (it simulates them again), then export."""
    with open_store_or_fail(out) as store:
        try:
            from sim.report.export import export_run  # openpyxl: only when exporting

            with all_or_nothing():  # every exported file, or none of them
                paths = export_run(store, key, fmt, to or out)
        except StoreError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"--to {to or out}: 无法写入 cannot write ({reason(exc)})")
        except sqlite3.Error as exc:
            fail(f"--out {out}: 无法读取结果数据库 cannot read the results database "
                 f"({reason(exc)})")
    for path in paths:
        click.echo(str(path))
