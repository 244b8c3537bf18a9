"""The ``salesim`` command group, which imports a subcommand only when it is called.

``salesim --help`` lists the subcommands from :data:`COMMANDS` (name, module, one-line help)
without importing them, so it starts with click alone (issue 17: numpy, pydantic, SimPy and the
plotting and Excel libraries load only for the command that needs them). A subcommand module
registers its command on :data:`main` with ``@main.command(...)`` when it is imported.

Every command's ``--help`` is Chinese first, English beside it (the users read Chinese): the
subcommands are :class:`HelpCommand` (groups :class:`HelpGroup`), whose usage line, headings,
``-h/--help`` line and shown defaults are bilingual; each option's own ``help=`` text is written
Chinese first in its module (tests/test_cli_help.py checks every option of every command). The
help is wrapped by terminal columns (:class:`ChineseHelpFormatter`: a Chinese character takes two
and a line may break between two of them), so it fits the terminal.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any
from unicodedata import east_asian_width

import click

from sim.cli.errors import chinese_first_usage

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

NO_LINE_START = frozenset("，。、；：！？）》」』】,.;:!?)]")
"""Punctuation kept on the line of the character before it."""
NO_LINE_END = frozenset("（《「『【([")
"""Opening brackets kept on the line of the character after them."""


def is_wide(char: str) -> bool:
    """A character a terminal shows two columns wide (Unicode East Asian Wide or Full-width:
    Chinese characters and full-width punctuation)."""
    return east_asian_width(char) in ("W", "F")


def columns(text: str) -> int:
    """The columns ``text`` takes on a terminal (a Chinese character takes two)."""
    return sum(2 if is_wide(c) else 1 for c in text)


def tokens(text: str) -> list[str]:
    """What a line may break between: spaces (one token each), each Chinese character (with
    its punctuation and brackets), and other words whole."""
    out: list[str] = []
    glue = False  # the last token is an opening bracket: the next character joins it
    for c in text:
        if c == " ":
            out.append(c)
        elif out and out[-1] != " " and (
            glue or c in NO_LINE_START or not (is_wide(c) or is_wide(out[-1][-1]))
        ):
            out[-1] += c
        else:
            out.append(c)
        glue = c in NO_LINE_END
    return out


def fill(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` columns (a longer word alone on its line), the
    first line starting with ``first``, the others with ``rest``."""
    lines: list[str] = []
    line, used, spaces, empty = first, columns(first), 0, True
    for token in tokens(text):
        if token == " ":
            spaces += not empty
            continue
        if not empty and used + spaces + columns(token) > width:
            lines.append(line)
            line, used, spaces = rest, columns(rest), 0
        line += " " * spaces + token
        used += spaces + columns(token)
        spaces, empty = 0, False
    lines.append(line)
    return lines


def join_lines(lines: list[str]) -> str:
    """A paragraph's source lines as one text: a space between them, none between two
    Chinese characters (a Chinese sentence broken in the source reads as one)."""
    text = ""
    for line in lines:
        space = text and not (is_wide(text[-1]) and is_wide(line[0]))
        text += (" " if space else "") + line
    return text


def wrap(text: str, width: int, indent: str = "") -> str:
    """click's paragraph wrapping (paragraphs kept, a ``\\b`` paragraph not rewrapped, each
    paragraph's own indent kept), measured in terminal columns and breaking between Chinese
    characters, which click's wrapping (by spaces, one column a character) does not."""
    paragraphs: list[tuple[int, bool, list[str]]] = []
    for block in text.expandtabs().split("\n\n"):
        lines = [line for line in block.splitlines() if line]
        if not lines:
            continue
        own = len(lines[0]) - len(lines[0].lstrip())
        raw = lines[0].strip() == "\b"
        paragraphs.append((own, raw, lines[1:] if raw else [x.strip() for x in lines]))
    out = []
    for own, raw, lines in paragraphs:
        pad = indent + " " * own
        if raw:
            out.append("\n".join(pad + line for line in lines))
        else:
            out.append("\n".join(fill(join_lines(lines), width, pad, pad)))
    return "\n\n".join(out)


class ChineseHelpFormatter(click.HelpFormatter):
    """click's help layout with the text wrapped by :func:`wrap`: lines that mix Chinese and
    English fit the terminal."""

    def write_text(self, text: str) -> None:
        self.write(wrap(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:  # fmt: skip
        rows = list(rows)
        first_col = min(max((columns(first) for first, _ in rows), default=0), col_max)
        first_col += col_spacing
        hang = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if columns(first) <= first_col - col_spacing:
                self.write(" " * (first_col - columns(first)))
            else:
                self.write("\n" + hang)
            lines = wrap(second, max(self.width - first_col - 2, 10)).splitlines() or [""]
            self.write("\n".join([lines[0], *(hang + line for line in lines[1:])]) + "\n")


class HelpContext(click.Context):
    """A context whose help is laid out by :class:`ChineseHelpFormatter`."""

    formatter_class = ChineseHelpFormatter


class BilingualHelp(click.Command):
    """Chinese-first frame of a command's ``--help``: ``用法 Usage:``, ``选项 Options``, the
    ``-h, --help`` line and ``[默认 default: …]`` for the defaults click shows. Only the help
    text changes; the options, their defaults and parsing are click's."""

    context_class = HelpContext

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any,
                     ) -> click.Context:  # fmt: skip
        """click's, with its command-line errors Chinese first (:mod:`sim.cli.errors`)."""
        path = info_name if parent is None else f"{parent.command_path} {info_name}"
        with chinese_first_usage(path):
            return super().make_context(info_name, args, parent, **extra)

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

    def resolve_command(self, ctx: click.Context, args: list[str],
                        ) -> tuple[str | None, click.Command | None, list[str]]:  # fmt: skip
        """click's, with an unknown command said Chinese first."""
        with chinese_first_usage():
            return super().resolve_command(ctx, args)

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
    salesim run scenarios/weekend.yaml    模拟情景 simulate days: KPIs, report
    salesim size scenarios/weekend.yaml   测算人数 how many people are needed
    salesim fee scenarios/weekend.yaml    收费方案 the fee plan
    """
