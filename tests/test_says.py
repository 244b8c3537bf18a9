"""Input errors are said Chinese first (sim/core/says.py): every bad scenario fixture's
lines, and the headline rules on their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.core.says import FALLBACK, chinese_first, said_line
from sim.scenario import ScenarioError, load_scenario

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
HEADLINE = re.compile(r": [\u4e00-\u9fff]")  # a colon, then a Chinese character


def test_every_bad_fixture_says_each_problem_chinese_first() -> None:
    checked = 0
    for file in sorted(BAD.glob("*.yaml")):
        try:
            load_scenario(file)
        except ScenarioError as exc:
            for line in exc.lines:
                assert HEADLINE.search(line), line
                checked += 1
    assert checked > 100, checked  # the fixtures do reach the validation messages


@pytest.mark.parametrize(("english", "chinese"), [
    ("must be between 0 and 200", "应在 0 到 200 之间"),
    ("must be at least 0", "应不小于 0"),
    ("must be at least min_shift_hours (2)", "太小"),
    ("must be a whole number, at least 1", "应为整数"),
    ("must be one of hour, half_day, day", "应为以下之一"),
    ("missing; this key is required", "缺少此项"),
    ("unknown key (did you mean 'count'?); valid keys here: count", "未知的键"),
    ("wave shares must sum to 1 (they sum to 0.9)", "合计不对"),
    ("give either starts or start_step_min, not both", "只能给其中一个"),
    ("weights must be numbers, at least 0", "权重应为不小于 0 的数"),
    ("must be after day.open ('09:00')", "时间先后不对"),
])  # fmt: skip
def test_headlines(english: str, chinese: str) -> None:
    assert chinese_first(english) == f"{chinese} {english}"


def test_an_unknown_explanation_still_opens_in_chinese() -> None:
    said = chinese_first("the first desk, and only it, must be sign_in")
    assert said == f"{FALLBACK} the first desk, and only it, must be sign_in"


@pytest.mark.parametrize(("line", "want"), [
    ("--target: unknown KPI 'nope'; KPIs are a, b",
     "--target: 未知 unknown KPI 'nope'; KPIs are a, b"),
    ("c.yaml:70: posts.door.event_rate: missing; the sizing file",
     "c.yaml:70: posts.door.event_rate: 缺少此项 missing; the sizing file"),
    ('p.json: format = "x/2": must be "x/1"', 'p.json: format = "x/2": 应为 must be "x/1"'),
    ("--out o: cannot write (disk full)", "--out o: 无法写入 cannot write (disk full)"),
    ("run 1a2b: something odd", f"run 1a2b: {FALLBACK} something odd"),
    ("c.yaml:7: posts.door.event_rate: missing; the sizing file needs it",
     "c.yaml:7: posts.door.event_rate: 缺少此项 missing; the sizing file needs it"),
    ("--out 结果: cannot write (disk full)", "--out 结果: 无法写入 cannot write (disk full)"),
    ("d.yaml: impossible target w<=5: the binding post gift (礼品) is at its cap",
     "d.yaml: 目标无法达到 impossible target w<=5: the binding post gift (礼品) is at its cap"),
    ("--area x: 区域应为其中之一 the area …", "--area x: 区域应为其中之一 the area …"),
])  # fmt: skip
def test_a_command_line_problem_gets_its_headline_where_the_explanation_starts(
    line: str, want: str
) -> None:
    """said_line (every `salesim: …` problem line): the headline goes before the first part
    a rule knows, the generic one after the first ': '; a line with Chinese is left as is."""
    assert said_line(line) == want
