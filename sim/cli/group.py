"""The ``salesim`` command group, which imports a subcommand only when it is called.

``salesim --help`` lists the subcommands from :data:`COMMANDS` (name, module, one-line help)
without importing them, so it starts with click alone (issue 17: numpy, pydantic, SimPy and the
plotting and Excel libraries load only for the command that needs them). A subcommand module
registers its command on :data:`main` with ``@main.command(...)`` when it is imported.

Every command's ``--help`` is Chinese first, English beside it (the users read Chinese): the
subcommands are :class:`HelpCommand` (groups :class:`HelpGroup`), whose usage line, headings,
``-h/--help`` line and shown defaults are bilingual; each option's own ``help=`` text is written
Chinese first in its module (tests/test_cli_help.py checks every option of every command).
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

HELP_OPTION_HELP = "显示本帮助并退出 Show this message and exit."
"""The ``-h, --help`` line of every command."""


class BilingualHelp(click.Command):
    """Chinese-first frame of a command's ``--help``: ``用法 Usage:``, ``选项 Options``, the
    ``-h, --help`` line and ``[默认 default: …]`` for the defaults click shows. Only the help
    text changes; the options, their defaults and parsing are click's."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法 Usage: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None and not isinstance(param, click.Argument):
                rows.append((record[0], record[1].replace("[default: ", "[默认 default: ")))
        if rows:
            with formatter.section("选项 Options"):
                formatter.write_dl(rows)


class HelpCommand(BilingualHelp):
    """A ``salesim`` subcommand (``@main.command`` makes one)."""


class HelpGroup(BilingualHelp, click.Group):
    """A ``salesim`` command group (``@main.group``): its commands are :class:`HelpCommand`
    and listed under ``命令 Commands``."""

    command_class = HelpCommand

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows: list[tuple[str, str]] = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("命令 Commands"):
                formatter.write_dl(rows)


class LazyGroup(HelpGroup):
    """A group whose subcommands are imported on first use (click's documented lazy pattern)."""

    group_class = HelpGroup

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
@click.version_option(package_name="salesim", help="显示版本并退出 Show the version and exit.")
def main() -> None:
    """售楼处/案场 人员配置模拟器 Sales-office staffing simulator.

    \b
    salesim run scenarios/weekend.yaml      模拟一天 simulate days, KPIs and report
    salesim size scenarios/weekend.yaml     测算人数 how many people are needed
    salesim fee scenarios/weekend.yaml      收费方案 the fee plan
    """
