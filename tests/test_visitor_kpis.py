"""Visitors as people and as groups, and deals (成交/签约) on office days (issue 14 item 4)."""

from __future__ import annotations

from tests.rotation_script import Visit, run_script, script_scenario


def test_people_groups_and_deals_counted_by_hand() -> None:
    """Five groups: 2 people who sign (F7), 4 people who only talk, 3 people on a market survey
    (R5: a turn, never a deal, even if drawn as a signer), 1 person asking the way (R5
    non-sales: no rep) and 5 people who negotiate without signing. Arrived: 5 groups,
    2 + 4 + 3 + 1 + 5 = 15 people; served: 4 groups, 14 people; deals: 1, i.e. 1/4 of
    the groups served."""
    scenario = script_scenario([("A1", "A", True), ("A2", "A", True)], rotation={"standing_by": 0})
    visits = [
        Visit("09:00", 10, negotiate=10, sign=10, size=2),
        Visit("09:05", 10, size=4),
        Visit("09:10", 5, survey=True, sign=10, size=3),
        Visit("09:15", 1, non_sales=True, size=1),
        Visit("10:00", 10, negotiate=20, size=5),
    ]
    kpis = run_script(scenario, visits, policy="round_robin").day.kpis
    assert (kpis["groups_arrived"], kpis["people_arrived"]) == (5, 15)
    assert (kpis["groups_served"], kpis["people_served"]) == (4, 14)
    assert (kpis["deals"], kpis["deal_share"]) == (1, 0.25)
