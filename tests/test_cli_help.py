"""Every ``salesim`` command's ``--help`` is Chinese first, English beside it.

The planners who use salesim read Chinese (DOMAIN.md, "Who uses the simulator"): each command's
description, each subcommand's line and each option's help line must start in Chinese and keep
an English text beside it. The help is read as printed (click's CliRunner), wide enough that
each option is one entry.
"""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.cli.group import columns, fill, wrap

COMMANDS: list[tuple[str, ...]] = [
    (), ("run",), ("policies",), ("compare",), ("size",), ("fee",), ("results",),
    ("results", "export"), ("init",), ("fit",),
]  # fmt: skip
"""Every command and subcommand, as the words typed after ``salesim``."""

WIDTH = 200
ENGLISH = re.compile(r"[A-Za-z]{3,}")


def is_cjk(char: str) -> bool:
    """A Chinese character (CJK unified ideographs, with extension A)."""
    return "\u3400" <= char <= "\u9fff"


def chinese_first(text: str) -> bool:
    """The first letter of ``text`` is a Chinese character (digits, signs and spaces skipped)."""
    return any(is_cjk(c) for c in text) and is_cjk(next(c for c in text if c.isalpha()))


def bilingual(text: str) -> bool:
    """Chinese first, with English words beside it."""
    return chinese_first(text) and ENGLISH.search(text) is not None


def command_at(path: tuple[str, ...]) -> tuple[click.Command, click.Context]:
    """The command ``salesim PATH...`` and a context for it."""
    command: click.Command = main
    ctx = click.Context(main, info_name="salesim")
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(ctx, name)
        assert found is not None, name
        command, ctx = found, click.Context(found, info_name=name, parent=ctx)
    return command, ctx


def help_output(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(main, [*path, "--help"], terminal_width=WIDTH,
                                max_content_width=WIDTH)  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output


def entry_text(output: str, first_column: str) -> str:
    """The help text printed beside (or under, when the first column is long) an entry of a
    definition list: ``  -n, --replications INTEGER RANGE  …``."""
    lines = output.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(f"  {first_column}  ")
              or line == f"  {first_column}"]  # fmt: skip
    assert len(starts) == 1, f"{first_column!r} is not one entry of:\n{output}"
    i = starts[0]
    parts = [lines[i][2 + len(first_column):]]
    for line in lines[i + 1:]:
        if not line.startswith("    "):  # the next entry, a blank line or a heading
            break
        parts.append(line)
    return " ".join(" ".join(parts).split())


def option_help_lines(path: tuple[str, ...]) -> dict[str, str]:
    """Each shown option of ``salesim PATH... --help``: its first column -> its help as printed."""
    output = help_output(path)
    command, ctx = command_at(path)
    records = [p.get_help_record(ctx) for p in command.get_params(ctx)
               if isinstance(p, click.Option)]  # fmt: skip
    return {r[0]: entry_text(output, r[0]) for r in records if r is not None}


def own_help(text: str) -> str:
    """An option's help without the bracketed notes at its end (``[默认 default: 20; x>=1]``):
    an option with no help text of its own shows only these."""
    return re.sub(r"(\s*\[[^\[\]]*\])+$", "", text)


def command_id(path: tuple[str, ...]) -> str:
    return " ".join(("salesim", *path))


@pytest.mark.parametrize("path", COMMANDS, ids=command_id)
def test_every_option_help_is_chinese_first_then_english(path: tuple[str, ...]) -> None:
    lines = option_help_lines(path)
    assert "-h, --help" in lines
    wrong = {spec: text for spec, text in lines.items() if not bilingual(own_help(text))}
    assert not wrong, f"{command_id(path)}: option help not Chinese first + English: {wrong}"


@pytest.mark.parametrize("path", COMMANDS, ids=command_id)
def test_every_command_description_is_chinese_first_then_english(path: tuple[str, ...]) -> None:
    command, _ = command_at(path)
    assert command.help is not None
    first_paragraph = " ".join(command.help.strip().split("\n\n")[0].split())
    assert bilingual(first_paragraph), first_paragraph
    output = help_output(path)
    assert output.startswith("用法 Usage: ") and "选项 Options:" in output


@pytest.mark.parametrize("path", [p for p in COMMANDS if isinstance(command_at(p)[0], click.Group)],
                         ids=command_id)  # fmt: skip
def test_every_subcommand_line_is_chinese_first(path: tuple[str, ...]) -> None:
    group, ctx = command_at(path)
    assert isinstance(group, click.Group)
    output = help_output(path)
    assert "命令 Commands:" in output
    names = group.list_commands(ctx)
    assert names
    for name in names:
        assert bilingual(entry_text(output, name)), f"{command_id(path)} {name}"


def test_shown_defaults_are_bilingual() -> None:
    """click's ``[default: 20]`` reads ``[默认 default: 20]``, as the hand-written ones do."""
    lines = option_help_lines(("run",))
    assert "[默认 default: 20; x>=1]" in lines["-n, --replications INTEGER RANGE"]
    assert all("[default:" not in text for text in lines.values())


def test_help_checks_catch_english_only_text() -> None:
    assert bilingual("种子 root seed") and bilingual("95% 置信区间 confidence interval")
    assert not bilingual("root seed (种子)")  # English first
    assert not bilingual("root seed") and not bilingual("只有中文")
    assert own_help("[默认 default: 0; x>=0]") == ""
    assert own_help("种子 root seed  [默认 default: 0]  [x>=0]") == "种子 root seed"


@pytest.mark.parametrize("path", COMMANDS, ids=command_id)
def test_help_fits_an_80_column_terminal(path: tuple[str, ...]) -> None:
    """A Chinese character takes two columns: the help is wrapped by terminal columns and may
    break between Chinese characters, so no line is wider than the terminal."""
    result = CliRunner().invoke(main, [*path, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    wide = [line for line in result.output.splitlines() if columns(line) > 80]
    assert not wide, "\n".join(wide)


def test_wrap_breaks_between_chinese_characters_not_before_punctuation() -> None:
    text = "各次重复并行运行，完成即存入结果库；中断后再运行同一命令会复用已存结果。 Replications"
    lines = fill(text, 20)
    assert all(columns(line) <= 20 for line in lines), lines
    assert "".join(lines) == text.replace(" ", "")
    assert not any(line[0] in "，；。" for line in lines[1:]), lines
    assert fill("[默认 default: 20]", 6) == ["[默认", "default:", "20]"]  # not "[" alone
    assert wrap("第一行\n接着\n\nnext paragraph", 40, "  ") == "  第一行接着\n\n  next paragraph"
    assert wrap("\b\na   b\n  c", 3) == "a   b\n  c"  # click's \b: not rewrapped
