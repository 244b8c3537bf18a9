"""The better direction of every KPI (issue 15 item 2): compare colours a difference green or
red by it, so every KPI of the catalogue must have one or be explicitly neutral."""

from __future__ import annotations

import pytest

from sim.domain.kpi_direction import HIGHER, LOWER, NEUTRAL, direction, is_better
from sim.domain.kpis import POST_METRICS, event_kpi_keys, fixed_kpis
from sim.domain.labels import POST_LABELS


def every_kpi_key() -> list[str]:
    """Every KPI the catalogue can name: fixed, per post (every post kind), event day."""
    posts = [f"post.{p}.{m}" for p in POST_LABELS for m in POST_METRICS]
    return [k.key for k in fixed_kpis()] + posts + event_kpi_keys()


def test_every_catalogue_kpi_has_a_direction_or_is_neutral() -> None:
    unclassified = []
    for key in every_kpi_key():
        try:
            direction(key)
        except KeyError:
            unclassified.append(key)
    assert unclassified == []


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("wait_rep_p90", LOWER),  # the rep-wait service standard
        ("lost_share", LOWER),
        ("house_wait_over_target", LOWER),
        ("rep_overtime_min", LOWER),
        ("receptions_gini", LOWER),  # fairness of the rotation (R4)
        ("groups_served", HIGHER),
        ("calls_within_rings_share", HIGHER),  # P1
        ("calls_transferred_share", LOWER),  # P2
        ("own_rep_share", HIGHER),  # R6/R7
        ("groups_arrived", NEUTRAL),  # demand, not performance
        ("rep_utilisation", NEUTRAL),
        ("turns_skipped", NEUTRAL),  # R7 working as meant
        ("post.water_bar.response_p90", LOWER),
        ("post.water_bar.utilisation", NEUTRAL),
        ("sign_in_wait_p90", LOWER),
        ("finance_unserved", LOWER),
        ("event_duration_min", LOWER),
        ("persons", NEUTRAL),
    ],
)
def test_directions_follow_what_a_planner_wants(key: str, expected: int) -> None:
    assert direction(key) == expected


def test_is_better_reads_the_sign_against_the_direction() -> None:
    assert is_better("lost_share", -0.02) is True
    assert is_better("lost_share", 0.02) is False
    assert is_better("groups_served", 1.5) is True
    assert is_better("groups_arrived", 3.0) is None  # neutral
    assert is_better("wait_rep_mean", 0.0) is None  # no change


def test_an_unknown_kpi_must_be_classified() -> None:
    with pytest.raises(KeyError, match="kpi_direction"):
        direction("brand_new_metric")
