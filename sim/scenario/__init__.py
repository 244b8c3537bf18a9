"""Scenario files: schema, loading with clear errors, and derived variants.

Layer: above the policies (a scenario names its rotation policy, checked against the known
ones), the domain, the post kinds (each staffed post kind is a ``staffing:`` field) and the
core; below everything that simulates or reports.
"""

from sim.scenario.files import load_scenario
from sim.scenario.loader import ScenarioError, derive, validate_scenario
from sim.scenario.schema import Scenario

__all__ = ["Scenario", "ScenarioError", "derive", "load_scenario", "validate_scenario"]
