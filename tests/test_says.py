"""Input errors are said Chinese first (sim/core/says.py): every bad scenario fixture's
lines, and the headline rules on their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.core.says import FALLBACK, chinese_first
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
])  # fmt: skip
def test_headlines(english: str, chinese: str) -> None:
    assert chinese_first(english) == f"{chinese} {english}"


def test_an_unknown_explanation_still_opens_in_chinese() -> None:
    said = chinese_first("the first desk, and only it, must be sign_in")
    assert said == f"{FALLBACK} the first desk, and only it, must be sign_in"
