"""salesim: a discrete-event simulator for staffing real-estate sales offices (售楼处/案场).

The public API: load a scenario, run replications, read the results, find policies.
"""

from sim.experiment.runner import RunResult, run
from sim.model import DayResult, OfficeModel, simulate_day
from sim.policies import RotationPolicy, known_policies, policy_class
from sim.scenario import Scenario, ScenarioError, derive, load_scenario

__all__ = [
    "DayResult",
    "OfficeModel",
    "RotationPolicy",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "derive",
    "known_policies",
    "load_scenario",
    "policy_class",
    "run",
    "simulate_day",
]
