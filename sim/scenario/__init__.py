"""Scenario files: schema, loading with clear errors, and derived variants."""

from sim.scenario.loader import ScenarioError, derive, load_scenario, validate_scenario
from sim.scenario.schema import Scenario

__all__ = ["Scenario", "ScenarioError", "derive", "load_scenario", "validate_scenario"]
