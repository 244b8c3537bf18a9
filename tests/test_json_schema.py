"""The shipped JSON Schema of scenario files (issue 16, item 4): current, and it accepts every
shipped scenario and rejects what the loader rejects for types, choices and bounds."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from sim.scenario.jsonschema import SCHEMA_FILE, schema_text
from sim.scenario.loader import ScenarioYamlLoader
from tests.helpers import SCENARIOS, scenario_dict

SHIPPED = sorted(SCENARIOS.glob("*.yaml"))


def _as_json(data: Any) -> Any:
    """What an editor sees: mapping keys are strings."""
    return json.loads(json.dumps(data))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_shipped_schema_is_current() -> None:
    """Regenerate with: python -m sim.scenario.jsonschema"""
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_schema_accepts_every_shipped_scenario(path: Any, validator: Draft202012Validator) -> None:
    import yaml

    data = yaml.load(path.read_text(encoding="utf-8"), Loader=ScenarioYamlLoader)
    assert [e.message for e in validator.iter_errors(_as_json(data))] == []


@pytest.mark.parametrize(
    ("section", "key", "value", "ok"),
    [
        ("visitors", "car_share", "70%", True),
        ("visitors", "car_share", 0.7, True),
        ("visitors", "car_share", 65, False),
        ("visitors", "car_share", "70 percent", False),
        ("day", "open", "09:00", True),
        ("day", "open", 9, False),
        ("day", "type", "weekend", True),
        ("day", "type", "weekends", False),
        ("vip_rooms", "count", -1, False),
        ("vip_rooms", "colour", "red", False),
    ],
)
def test_schema_checks_types_choices_bounds_and_keys(
    section: str, key: str, value: Any, ok: bool, validator: Draft202012Validator
) -> None:
    data = scenario_dict("weekday")
    data[section][key] = value
    assert validator.is_valid(_as_json(data)) is ok


def test_reps_may_be_a_count(validator: Draft202012Validator) -> None:
    data = scenario_dict("weekday")
    data["reps"] = 8
    data["staffing"].pop("rep_shifts")
    assert validator.is_valid(_as_json(data))
    data["reps"] = 0
    assert not validator.is_valid(_as_json(data))
