"""Post utilisation by hour: the tidy table agrees with the day's per-post KPIs."""

from __future__ import annotations

import math

import pytest

from sim.model import simulate_day
from sim.scenario import load_scenario
from tests.helpers import SCENARIOS


def test_post_hours_add_up_to_the_post_kpis() -> None:
    day = simulate_day(load_scenario(SCENARIOS / "weekend.yaml"), seed=3)
    assert day.tables is not None
    rows = day.tables.post_hours
    posts = {r[0] for r in rows}
    assert {"gate", "water_bar", "butler", "cleaner"} <= posts
    for post in posts:
        mine = [r for r in rows if r[0] == post]
        busy = math.fsum(float(r[2]) for r in mine)  # type: ignore[arg-type]
        duty = math.fsum(float(r[3]) for r in mine)  # type: ignore[arg-type]
        assert busy / duty == pytest.approx(day.kpis[f"post.{post}.utilisation"])
        peak = max(float(r[4]) for r in mine if float(r[3]) > 0)  # type: ignore[arg-type]
        assert peak == pytest.approx(day.kpis[f"post.{post}.peak_hour_utilisation"])
        hours = [r[1] for r in mine]
        assert hours == sorted(hours) and len(set(hours)) == len(hours)
