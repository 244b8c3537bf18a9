"""Click's own command-line errors, Chinese first (the users read Chinese).

An unknown option, a missing scenario, a value of the wrong kind: click reports these itself,
in English ("Error: No such option '--bogus'."). :func:`bilingual` turns such an error into a
:class:`BilingualUsageError` whose message names the problem in Chinese, then keeps click's
English detail beside it, and says what would be valid where click's type knows it (an
integer of a range, one of the choices). It is still a usage error (exit code 2), so scripts
that check the code are unaffected. :class:`~sim.cli.group.BilingualHelp` raises it from
``make_context``, where click parses the command line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import click

from sim.core.says import Rules, headline

HELP_HINT = "帮助 Help: {command} --help"

KEEP: tuple[type[click.UsageError], ...] = tuple(
    getattr(click.exceptions, name) for name in ("NoArgsIsHelpError",)
    if hasattr(click.exceptions, name))  # fmt: skip
"""Click's usage errors that are not mistakes (a bare ``salesim`` shows its help): kept."""

_PATTERNS: Rules = (
    (r"^No such command", "没有这个命令"),
    (r"requires an argument", "这个选项后面缺少取值"),
    (r"^Got unexpected extra argument", "多余的参数"),
    (r"^Option .* does not take a value", "这个选项不接受取值"),
)
"""Click usage messages without a class of their own -> their Chinese headline."""


class BilingualUsageError(click.UsageError):
    """A command-line error shown Chinese first, with click's English message kept."""

    def __init__(self, message: str, ctx: click.Context | None, command: str | None = None,
                 ) -> None:  # fmt: skip
        super().__init__(message, ctx)
        self.command = ctx.command_path if ctx is not None else command
        """The command whose ``--help`` to point to."""

    def show(self, file: IO[Any] | None = None) -> None:
        """The usage line, where to find help, and the error (as click lays it out)."""
        if self.ctx is not None:
            click.echo(self.ctx.get_usage(), file=file, err=True, color=self.ctx.color)
        if self.command:
            click.echo(HELP_HINT.format(command=self.command), file=file, err=True)
            click.echo(file=file, err=True)
        click.echo(f"错误 Error: {self.format_message()}", file=file, err=True)


@contextmanager
def chinese_first_usage(command: str | None = None) -> Iterator[None]:
    """Click's usage errors raised inside, said Chinese first (:func:`bilingual`); those of
    :data:`KEEP` as they are."""
    try:
        yield
    except KEEP:
        raise
    except click.UsageError as exc:
        raise bilingual(exc, command) from exc


def bilingual(exc: click.UsageError, command: str | None = None) -> BilingualUsageError:
    """``exc`` said Chinese first (an error already translated is returned as it is);
    ``command``: the command line's command, where click's error has no context."""
    if isinstance(exc, BilingualUsageError):
        return exc
    return BilingualUsageError(_message(exc), exc.ctx, command)


def _message(exc: click.UsageError) -> str:
    if isinstance(exc, click.NoSuchOption):
        found = sorted(exc.possibilities or ())
        guess = f"；是否要用 did you mean: {', '.join(found)}?" if found else ""
        return f"没有这个选项 No such option: {exc.option_name}{guess}"
    if isinstance(exc, click.MissingParameter):
        kind = "参数" if isinstance(exc.param, click.Argument) else "选项"
        return f"缺少{kind} {exc.format_message()}"
    if isinstance(exc, click.BadParameter):
        return _bad_value(exc)
    return f"{headline(exc.message, _PATTERNS) or '命令行有误'} {exc.message}"


def _bad_value(exc: click.BadParameter) -> str:
    """A value that click's type refused: the option, the value, and what would be valid."""
    param = exc.param
    hint = exc.param_hint
    if param is not None and exc.ctx is not None:
        hint = param.get_error_hint(exc.ctx)
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(f"'{h}'" for h in hint)
    expected = _expected(param.type) if param is not None else ""
    valid = f"（应为 valid: {expected}）" if expected else ""
    where = f" {hint}" if hint else ""
    return f"取值无效{where}: {exc.message}{valid}"


def _expected(kind: click.ParamType[Any, Any]) -> str:
    """What click's type accepts, in words ("" for the project's own types: their messages
    already say it, Chinese first)."""
    if isinstance(kind, click.Choice):
        return "其中之一 one of " + ", ".join(str(c) for c in kind.choices)
    if isinstance(kind, click.IntRange):
        return f"整数 an integer{_range(kind)}"
    if isinstance(kind, click.FloatRange):
        return f"数 a number{_range(kind)}"
    if kind is click.INT:
        return "整数 an integer"
    if kind is click.FLOAT:
        return "数 a number"
    if isinstance(kind, click.Path):
        what = ("文件或文件夹 a file or folder" if kind.file_okay and kind.dir_okay
                else "文件 a file" if kind.file_okay else "文件夹 a folder")  # fmt: skip
        return f"存在的{what} (existing)" if kind.exists else what
    return ""


def _range(kind: click.IntRange | click.FloatRange) -> str:
    """The range's bounds, as ", >= 10" or ", 0 < x <= 1"."""
    low = "" if kind.min is None else f"{kind.min} {'<' if kind.min_open else '<='} "
    high = "" if kind.max is None else f" {'<' if kind.max_open else '<='} {kind.max}"
    if not low and not high:
        return ""
    if not low:
        return f", x{high}"
    if not high:
        return f", x {'>' if kind.min_open else '>='} {kind.min}"
    return f", {low}x{high}"
