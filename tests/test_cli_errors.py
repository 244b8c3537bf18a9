"""Click's own command-line errors (unknown option or command, missing scenario, a value of
the wrong kind) are said Chinese first, with click's English detail and what would be valid,
and still exit 2 (sim/cli/errors.py)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.cli.errors import BilingualUsageError, bilingual

ROOT = Path(__file__).resolve().parent.parent
WEEKEND = str(ROOT / "scenarios" / "weekend.yaml")

CASES = [
    (["run", WEEKEND, "--bogus"], "没有这个选项 No such option: --bogus", "salesim run --help"),
    (["run", WEEKEND, "-n", "abc"],
     "取值无效 '-n' / '--replications': 'abc' is not a valid integer range.（应为 valid: 整数 an "
     "integer, x >= 1）", "salesim run --help"),
    (["run", WEEKEND, "-n", "0"],
     "0 is not in the range x>=1.（应为 valid: 整数 an integer, x >= 1）", "salesim run --help"),
    (["size"], "缺少参数 Missing argument 'SCENARIO'.", "salesim size --help"),
    (["nosuchcmd"], "没有这个命令 No such command 'nosuchcmd'.", "salesim --help"),
    (["run", WEEKEND, "-n"], "这个选项后面缺少取值 Option '-n' requires an argument.",
     "salesim run --help"),
    (["run", WEEKEND, WEEKEND], "多余的参数 Got unexpected extra argument", "salesim run --help"),
    (["size", WEEKEND, "--mode", "nope"],
     "（应为 valid: 其中之一 one of share_of_days, upper_ci_mean）", "salesim size --help"),
    (["--bogus"], "没有这个选项 No such option: --bogus", "salesim --help"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "said", "help_line"), CASES)
def test_click_errors_are_said_chinese_first(args: list[str], said: str, help_line: str) -> None:
    result = CliRunner().invoke(main, args, prog_name="salesim")
    assert result.exit_code == 2, result.output
    err = result.stderr
    assert "错误 Error: " in err and said in err, err
    assert f"帮助 Help: {help_line}" in err
    assert "Try '" not in err  # click's English frame is replaced, not printed twice
    last = err.strip().splitlines()[-1]
    assert last.startswith("错误 Error: ") and not last[len("错误 Error: ")].isascii(), last


def test_a_bare_salesim_shows_its_help_not_an_error() -> None:
    """click's 'no arguments: show the help' is a usage error it prints as help (exit 2, as
    click does); it is kept as it is, not said as a mistake."""
    result = CliRunner().invoke(main, [], prog_name="salesim")
    assert result.exit_code == 2
    assert "命令 Commands" in result.output and "错误 Error" not in result.output


def test_a_path_of_the_wrong_kind_says_what_kind_is_wanted(tmp_path: Path) -> None:
    a_file = tmp_path / "f.txt"
    a_file.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["results", "--out", str(a_file)], prog_name="salesim")
    assert result.exit_code == 2
    assert "is a file.（应为 valid: 文件夹 a folder）" in result.stderr, result.stderr


def test_a_misspelt_option_gets_the_near_ones() -> None:
    result = CliRunner().invoke(main, ["run", WEEKEND, "--ou", "x"], prog_name="salesim")
    assert result.exit_code == 2
    said = "没有这个选项 No such option: --ou；是否要用 did you mean: --json, --out?"
    assert said in result.stderr


def test_bilingual_keeps_a_translated_error_and_a_generic_one_gets_a_headline() -> None:
    done = BilingualUsageError("已译 done", None, "salesim")
    assert bilingual(done) is done
    other = bilingual(click.UsageError("Something else went wrong."))
    assert other.format_message() == "命令行有误 Something else went wrong."
    assert other.exit_code == 2
