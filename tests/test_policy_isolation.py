"""Every policy: common random numbers hold, and simulations never share policy state."""

from __future__ import annotations

import pytest

from sim.model import OfficeModel, simulate_day
from sim.policies import known_policies
from sim.scenario import load_scenario
from tests.helpers import WEEKEND_ISSUE13, visitor_rows

WEEKEND = load_scenario(WEEKEND_ISSUE13)
BASE = simulate_day(WEEKEND, seed=5, replication=1, policy="round_robin")


@pytest.mark.parametrize("name", [p for p in known_policies() if p != "round_robin"])
def test_same_visitors_different_assignments(name: str) -> None:
    other = simulate_day(WEEKEND, seed=5, replication=1, policy=name)
    assert visitor_rows(other) == visitor_rows(BASE)
    assert BASE.tables is not None and other.tables is not None
    mine = [(g, r) for g, r, *_ in other.tables.assignments]
    theirs = [(g, r) for g, r, *_ in BASE.tables.assignments]
    assert mine != theirs


@pytest.mark.parametrize("name", known_policies())
def test_two_models_in_one_process_share_no_policy_state(name: str) -> None:
    alone = simulate_day(WEEKEND, seed=9, replication=0, policy=name)
    first = OfficeModel(WEEKEND, seed=3, replication=1, policy=name)
    second = OfficeModel(WEEKEND, seed=9, replication=0, policy=name)
    assert first.policy is not second.policy
    first.run()  # runs first, leaving whatever state its policy keeps
    again = second.run()
    assert again.kpis == alone.kpis
    assert again.tables == alone.tables
