"""Scenario section defaults built without their own validator (issue 17 item 5, memory).

Each ``default_factory`` made by :func:`sim.scenario.defaults.constant` must give exactly what
validating the same values gives (same field values, types and fields set), and validating a
scenario that leaves those sections out must build no validator but the Scenario's.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from sim.core.schema import StrictModel
from sim.scenario.schema import Scenario  # and every section model, event ones too

ROOT = Path(__file__).resolve().parent.parent


def _models(cls: type[StrictModel]) -> Iterator[type[StrictModel]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _models(sub)


def _constant_defaults() -> list[tuple[str, BaseModel]]:
    out: list[tuple[str, BaseModel]] = []
    for model in {Scenario, *_models(StrictModel)}:
        for name, info in model.model_fields.items():
            factory = info.default_factory
            if factory is not None and factory.__qualname__.startswith("constant("):
                value = factory()  # type: ignore[call-arg]
                assert isinstance(value, BaseModel)
                out.append((f"{model.__name__}.{name}", value))
    return sorted(out, key=lambda item: item[0])


def _same(built: BaseModel, validated: BaseModel) -> None:
    assert type(built) is type(validated)
    assert built == validated
    assert built.model_fields_set == validated.model_fields_set
    for name in type(built).model_fields:
        a, b = getattr(built, name), getattr(validated, name)
        assert type(a) is type(b), name
        if isinstance(a, BaseModel):
            _same(a, b)


DEFAULTS = _constant_defaults()


def test_the_section_defaults_are_found() -> None:
    names = [name for name, _ in DEFAULTS]
    assert {"Scenario.targets", "Scenario.rotation", "Arrivals.appointments",
            "ServiceTimes.walk_out", "VisitorMix.patience"} <= set(names)  # fmt: skip


@pytest.mark.parametrize(("where", "value"), DEFAULTS, ids=[n for n, _ in DEFAULTS])
def test_a_constant_default_equals_its_values_validated(where: str, value: BaseModel) -> None:
    data = {k: getattr(value, k) for k in value.model_fields_set}
    # by field name, as the default gives them; dumped sub-sections validated again
    data = {k: v.model_dump(by_alias=True) if isinstance(v, BaseModel) else v
            for k, v in data.items()}  # fmt: skip
    validated = type(value).model_validate(data)
    _same(value, validated)


def test_defaulted_sections_build_no_validator_of_their_own() -> None:
    """Validating a scenario builds the Scenario's validator only: a defaulted section
    (targets, rotation, ...) does not build its own beside the copy inside the Scenario's."""
    code = (
        "from sim import validate_scenario\n"
        "from sim.core.schema import StrictModel\n"
        "from pydantic._internal._mock_val_ser import MockValSer\n"
        "def subs(c):\n"
        "    for s in c.__subclasses__():\n"
        "        yield s\n"
        "        yield from subs(s)\n"
        "z = {'dist': 'fixed', 'value': 0}\n"
        "validate_scenario({'name': 'm', 'day': {'type': 'weekday', 'open': '09:00',\n"
        "    'close': '17:00'}, 'arrivals': {'walk_in': [{'from': '09:00', 'rate': 6}]},\n"
        "    'visitors': {'group_size': {1: 1.0}}, 'reps': 2, 'vip_rooms': {'count': 0},\n"
        "    'service_times': {'sandbox': z, 'sample_house': z, 'negotiation': z,\n"
        "    'signing': z}, 'policy': 'round_robin'}, '<test>')\n"
        "print(sorted(c.__name__ for c in subs(StrictModel)\n"
        "             if not isinstance(c.__pydantic_validator__, MockValSer)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert out.strip() == "['Scenario']"
