"""What the M/M/c path loads (issue 17 item 5: whole-process memory of a day <= 2x bare SimPy).

``from sim import Scenario, validate_scenario, simulate_day``, validating an office scenario
and simulating its day under one policy must not load the layers above the model (experiment,
event sizing, office sizing, fee, report, CLI), the heavy libraries, the other rotation
policies, the KPI catalogue or the validation error messages. Each check runs in a fresh
interpreter, so what it sees is what the benchmark's child process pays for.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.policies import RotationPolicy, known_policies, policy_class

ROOT = Path(__file__).resolve().parent.parent

_DAY = """
import json, sys
from sim import Scenario, simulate_day, validate_scenario
z = {"dist": "fixed", "value": 0}
scenario = validate_scenario({
    "name": "mmc", "day": {"type": "weekday", "open": "09:00", "close": "12:00",
                           "run_until": "empty"},
    "arrivals": {"walk_in": [{"from": "09:00", "rate": 20}], "appointments": {"count": 0}},
    "visitors": {"group_size": {1: 1.0}, "patience": None},
    "reps": 3, "vip_rooms": {"count": 0}, "sample_houses": [],
    "service_times": {"sandbox": {"dist": "exponential", "mean": 8}, "sample_house": z,
                      "negotiation": z, "signing": z, "walk_out": z},
    "policy": "round_robin",
}, "<mmc>")
day = simulate_day(scenario, 0, 0, level="kpi")
assert day.kpis["groups_arrived"] > 0
print(json.dumps(sorted(sys.modules)))
"""


def _loaded(code: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)  # fmt: skip
    loaded: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return loaded


@pytest.fixture(scope="module")
def day_modules() -> list[str]:
    return _loaded(_DAY)


@pytest.mark.parametrize(
    "prefix",
    ["sim.experiment", "sim.event", "sim.domain.kpis", "sim.event_sizing", "sim.office_sizing",
     "sim.fee", "sim.report", "sim.cli", "sim.fit", "sim.scenario.xlsx", "sim.scenario.files",
     "sim.scenario.messages",
     "scipy", "pandas", "matplotlib", "openpyxl", "yaml", "difflib"],
)  # fmt: skip
def test_a_validated_office_day_does_not_load(day_modules: list[str], prefix: str) -> None:
    assert [m for m in day_modules if m == prefix or m.startswith(prefix + ".")] == []


def test_validating_a_scenario_loads_neither_the_catalogue_nor_the_messages() -> None:
    """(Nor does an office day: sim.model imports the event-day model, whose KPIs name the
    catalogue, only for a scenario with an event.)"""
    code = _DAY.replace('day = simulate_day(scenario, 0, 0, level="kpi")', "")
    code = code.replace('assert day.kpis["groups_arrived"] > 0', "")
    code = code.replace("from sim import Scenario, simulate_day,", "from sim import Scenario,")
    loaded = _loaded(code)
    unwanted = ("sim.domain.kpis", "sim.scenario.messages", "sim.model")
    assert [m for m in unwanted if m in loaded] == []


def test_a_day_loads_only_its_own_policy(day_modules: list[str]) -> None:
    policies = [m for m in day_modules if m.startswith("sim.policies.")]
    assert sorted(policies) == ["sim.policies.base", "sim.policies.round_robin",
                                "sim.policies.view"]  # fmt: skip


def test_importing_a_scenario_module_does_not_load_the_readers() -> None:
    code = "import json, sys, sim.scenario.schema; print(json.dumps(sorted(sys.modules)))"
    loaded = _loaded(code)
    assert [m for m in ("sim.scenario.files", "sim.scenario.loader", "sim.scenario.messages")
            if m in loaded] == []  # fmt: skip


def test_the_scenario_package_names_load_on_first_use() -> None:
    import sim.scenario

    for name in sim.scenario.__all__:
        assert getattr(sim.scenario, name) is not None
    assert set(sim.scenario.__all__) <= set(dir(sim.scenario))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        sim.scenario.nope  # type: ignore[attr-defined]  # noqa: B018


def test_the_loader_still_offers_the_message_functions() -> None:
    from sim.scenario import loader, messages

    for name in ("error_line", "error_lines", "field_at"):
        assert getattr(loader, name) is getattr(messages, name)


@pytest.mark.parametrize("name", known_policies())
def test_each_policy_module_defines_the_policy_named_after_it(name: str) -> None:
    module = importlib.import_module(f"sim.policies.{name}")
    named = [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, RotationPolicy) and obj.name == name
    ]
    assert len(named) == 1
    assert policy_class(name) is named[0]


def test_every_policy_module_is_a_known_policy() -> None:
    modules = sorted(p.stem for p in (ROOT / "sim" / "policies").glob("*.py")
                     if not p.stem.startswith("_") and p.stem not in ("base", "view"))  # fmt: skip
    assert known_policies() == modules
