"""Scenario files: schema, loading with clear errors, and derived variants.

Layer: above the policies (a scenario names its rotation policy, checked against the known
ones), the domain, the post kinds (each staffed post kind is a ``staffing:`` field) and the
core; below everything that simulates or reports.

The names below load lazily (PEP 562), as in :mod:`sim`: importing one module of this package
(``sim.scenario.schema``) does not load the file readers, and validating data does not load
the error messages until a mistake needs them (memory, issue 17 item 5).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__all__ = ["Scenario", "ScenarioError", "derive", "load_scenario", "validate_scenario"]

_MODULES: dict[str, tuple[str, ...]] = {
    "sim.scenario.files": ("load_scenario",),
    "sim.scenario.loader": ("ScenarioError", "derive", "validate_scenario"),
    "sim.scenario.schema": ("Scenario",),
}
"""Where each name of ``__all__`` is imported from on first use."""

_MODULE_OF: dict[str, str] = {name: module for module, names in _MODULES.items() for name in names}


def _load(name: str) -> object:
    """The name ``name``, imported from its module on first use, then kept here."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value: object = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """This module's names, with every name of ``__all__`` whether loaded yet or not."""
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:
    from sim.scenario.files import load_scenario
    from sim.scenario.loader import ScenarioError, derive, validate_scenario
    from sim.scenario.schema import Scenario
else:
    __getattr__ = _load  # PEP 562
