"""``salesim init`` (issue 16, item 2): questions in Chinese give complete, valid scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.scenario import load_scenario
from sim.scenario.starter import DAY_SHAPE, Answers, starter_scenario, walk_in_pieces


def test_guided_init_writes_weekday_and_weekend_scenarios(tmp_path: Path) -> None:
    answers = "小\nshop\n08:30\n17:30\n5\n2\n1\n12\n40\n"
    result = CliRunner().invoke(main, ["init", "--out", str(tmp_path)], input=answers)
    assert result.exit_code == 0, result.output
    assert "售楼处规模" in result.output and "周末来访组数" in result.output
    weekday = load_scenario(tmp_path / "shop_weekday.yaml")
    weekend = load_scenario(tmp_path / "shop_weekend.yaml")
    assert (weekday.day.type, weekend.day.type) == ("weekday", "weekend")
    assert (weekday.day.open, weekday.day.close) == (8 * 60 + 30, 17 * 60 + 30)
    assert len(weekday.reps) == 5 and weekday.vip_rooms.count == 2
    assert [h.name for h in weekday.sample_houses] == ["样板间A"]
    # 80% of the day's groups walk in (BOOKED_SHARE 0.2): 0.8 x 12 and 0.8 x 40
    assert weekday.expected_walk_ins() == pytest.approx(9.6, abs=0.01)
    assert weekend.expected_walk_ins() == pytest.approx(32.0, abs=0.01)
    # booked: 20% of the groups come, after 15% no-shows: round(0.2 x 40 / 0.85) = 9
    assert weekend.arrivals.appointments.count == 9


def test_init_rejects_a_bad_clock_time_and_asks_again(tmp_path: Path) -> None:
    answers = "中\nx\n9点\n09:00\n18:00\n8\n3\n2\n30\n70\n"
    result = CliRunner().invoke(main, ["init", "--out", str(tmp_path)], input=answers)
    assert result.exit_code == 0, result.output
    assert "请写成 HH:MM" in result.output
    assert load_scenario(tmp_path / "x_weekday.yaml").day.open == 9 * 60


def test_walk_in_pieces_follow_the_day_shape_and_sum_to_the_traffic() -> None:
    """Five equal parts of 09:00-19:00 (2 h each); rate_i = w_i x N / (sum(w) x 2 h)."""
    pieces = walk_in_pieces("09:00", "19:00", 50)
    assert [p["from"] for p in pieces] == ["09:00", "11:00", "13:00", "15:00", "17:00"]
    total = sum(DAY_SHAPE)  # 5.0
    assert [p["rate"] for p in pieces] == pytest.approx([w * 50 / (total * 2) for w in DAY_SHAPE])
    assert sum(p["rate"] * 2 for p in pieces) == pytest.approx(50)


def test_starter_without_sample_houses_is_valid() -> None:
    scenario = starter_scenario(Answers(sample_houses=0, reps=1), "weekend")
    assert scenario.sample_houses == () and len(scenario.reps) == 1
