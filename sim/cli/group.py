"""The ``salesim`` command group, which imports a subcommand only when it is called.

``salesim --help`` lists the subcommands from :data:`COMMANDS` (name, module, one-line help)
without importing them, so it starts with click alone (issue 17: numpy, pydantic, SimPy and the
plotting and Excel libraries load only for the command that needs them). A subcommand module
registers its command on :data:`main` with ``@main.command(...)`` when it is imported.
"""

from __future__ import annotations

import importlib

import click

COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("sim.cli.run", "模拟情景并给出指标 Simulate a scenario: KPIs, report, plots"),
    "policies": ("sim.cli.run", "列出轮序规则 List the rotation policies"),
    "compare": ("sim.cli.compare", "比较轮序规则与方案 Compare policies and variants"),
    "size": ("sim.cli.size", "测算所需人数 Size the staff that meets the targets"),
    "fee": ("sim.cli.fee", "写出收费方案 Write the fee plan (收费方案)"),
    "results": ("sim.cli.results", "列出/导出已存结果 List or export stored runs"),
    "init": ("sim.cli.init", "开始建模：问答或模板工作簿 Start: guided questions or a workbook"),
    "fit": ("sim.cli.fit", "由来访登记校准情景 Fit a scenario to a visit register"),
}
"""Subcommand -> (the module that defines it, its one line in ``salesim --help``)."""


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (click's documented lazy pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(COMMANDS[cmd_name][0])
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx) if name in COMMANDS]
        if rows:
            with formatter.section("命令 Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="salesim")
def main() -> None:
    """售楼处/案场 人员配置模拟器 Sales-office staffing simulator.

    \b
    salesim run scenarios/weekend.yaml      模拟一天 simulate days, KPIs and report
    salesim size scenarios/weekend.yaml     测算人数 how many people are needed
    salesim fee scenarios/weekend.yaml      收费方案 the fee plan
    """
