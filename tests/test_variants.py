"""Policy list × ``--vary`` grid → labelled, validated scenario variants."""

from __future__ import annotations

import pytest

from sim.experiment.variants import VaryError, build_variants, parse_vary
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.schema import Scenario
from tests.helpers import SCENARIOS


@pytest.fixture(scope="module")
def weekend() -> Scenario:
    return load_scenario(SCENARIOS / "weekend.yaml")


def test_values_are_yaml_scalars() -> None:
    assert parse_vary("reps=6,8,12").values == (6, 8, 12)
    assert parse_vary("visitors.vip_share=0.2, 0.5").values == (0.2, 0.5)
    assert parse_vary("vip_rooms.when_full=wait,table").values == ("wait", "table")
    assert parse_vary("day.close=17:30,18:00").values == ("17:30", "18:00")  # not base 60
    v = parse_vary(" vip_rooms.count = 2,3")
    assert v.path == "vip_rooms.count" and v.texts == ("2", "3")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("reps", "FIELD=VALUE1,VALUE2"),
        ("=1,2", "FIELD=VALUE1,VALUE2"),
        ("reps=", "FIELD=VALUE1,VALUE2"),
        ("reps=8,,10", "empty value"),
        ("reps=8,8", "given twice"),
        ("reps=[8]", "not lists"),
    ],
)
def test_bad_vary_specs_are_one_clear_line(spec: str, message: str) -> None:
    with pytest.raises(VaryError, match=message) as info:
        parse_vary(spec)
    assert "\n" not in str(info.value)


def test_grid_of_policies_and_fields(weekend: Scenario) -> None:
    varies = [parse_vary("reps=6,8"), parse_vary("vip_rooms.count=2,3,5")]
    variants = build_variants(weekend, ["round_robin"], varies)
    assert len(variants) == 6
    assert variants[0].label == "reps=6 · vip_rooms.count=2"
    assert variants[-1].label == "reps=8 · vip_rooms.count=5"
    last = variants[-1]
    assert len(last.scenario.reps) == 8 and last.scenario.vip_rooms.count == 5
    assert last.changes == {"reps": 8, "vip_rooms.count": 5}
    assert all(v.policy == "round_robin" for v in variants)
    assert len({v.label for v in variants}) == 6


def test_policies_only_label_by_policy(weekend: Scenario) -> None:
    (only,) = build_variants(weekend)
    assert only.label == weekend.policy and only.scenario is weekend and only.changes == {}


def test_repeated_policy_or_field_is_refused(weekend: Scenario) -> None:
    with pytest.raises(VaryError, match="given twice"):
        build_variants(weekend, ["round_robin", "round_robin"])
    with pytest.raises(VaryError, match="varied twice"):
        build_variants(weekend, [], [parse_vary("reps=6,8"), parse_vary("reps=10")])


def test_invalid_variant_names_the_field(weekend: Scenario) -> None:
    with pytest.raises(ScenarioError) as info:
        build_variants(weekend, [], [parse_vary("vip_rooms.cuont=2,3")])
    assert "vip_rooms.cuont: 没有这个字段 no such field" in info.value.lines[0]
    with pytest.raises(ScenarioError) as info:
        build_variants(weekend, [], [parse_vary("reps=0,4")])
    assert "reps" in info.value.lines[0] and "--vary reps=0" in info.value.lines[0]
