"""salesim: a discrete-event simulator for staffing real-estate sales offices (售楼处/案场).

The public API: what scripts (``experiments/``, ``benchmarks/``) and users import, as
``from sim import X`` or ``import sim`` then ``sim.X``. Everything else under ``sim`` may
change without notice. Names load lazily (PEP 562): ``import sim`` or ``import sim.core.clock``
costs nothing until a name is used. docs/api.md has the same list with examples.

Scenarios and rotation policies
    Scenario              a validated scenario (the office, the day, the visitors, the reps)
    ScenarioError         an unusable scenario; ``lines`` holds one message per problem
    load_scenario         read and validate a scenario file (YAML, or an .xlsx workbook)
    validate_scenario     validate scenario data already parsed (a dict)
    derive                a scenario with some dotted fields changed, validated again
    format_clock          minutes since midnight as the scenario files' 'HH:MM'
    write_workbook        a scenario as a Chinese-first .xlsx workbook (load_scenario reads it)
    scenario_json_schema  the JSON Schema of scenario files (editor completion and checks)
    RotationPolicy        the base class of rotation policies (轮序)
    known_policies        the names of the rotation policies
    policy_class          a rotation policy class by name

Simulate and replicate
    simulate_day          one replication of a scenario (an office day or an event day)
    OfficeModel           the SimPy model of one office day
    Level                 how much a simulated day keeps: 'full' (tables) or 'kpi'
    run                   many replications on local cores or Dask, stored and resumable
    PrecisionTarget       run() until a KPI's 95% CI half-width is small enough
    Store                 the SQLite results store (salesim.sqlite) of run()
    local_cores           the cores this process may use (run()'s default workers)
    replication_chunks    how run() splits replications into tasks for the workers

Results and the KPI catalogue
    DayResult             one simulated day: its KPIs and, at level 'full', its tables
    RunResult             the replications of one run and their summary (to_frame(), ...)
    Estimate              a mean over replications with its confidence interval
    Kpi                   a KPI's key, Chinese and English labels, unit and section
    describe_kpi          the Kpi for a key (office, per-post, phone or event-day KPI)

Comparisons and variants
    compare               paired comparison of runs made on common random numbers
    Comparison            every KPI per variant and its paired difference to the first
    PairedDiff            a paired difference with its CI, p-value and significance
    build_variants        policies crossed with a grid of changed scenario fields
    parse_vary            'FIELD=V1,V2,...' as a Vary
    Vary                  one field to vary and the values to try
    Variant               one labelled scenario variant to run
    VaryError             an unusable --vary specification

Sizing event days
    size                  the fewest people per event desk and block that meet the targets
    SizingResult          what size() found and how
    scale_event           an event scenario at another attendance, caps scaled with it
    SizingTarget          an event KPI target, e.g. sign_in_wait_p90 <= 10
    SizingCriterion       how targets must hold over days: share_of_days or upper_ci_mean
    PlanEvaluator         evaluates staffing plans on the search days (screen or SimPy)
    EventPlan             people at each event desk over the day
    EventVisitors         the visitor groups of replicated event days
    EventTimes            every group's times at every desk on replicated event days
    draw_event_visitors   the visitor groups of some replications of a seed
    simulate_event_times  the groups' times by the SimPy event-day model
    screen_event_times    the same times by the vectorised screen, much faster

Reports
    write_run             a run's tables, per-day KPIs, summary and scenario echo
    write_comparison      a comparison's CSV/JSON, plots and report.html
    fmt                   a KPI value (or difference) as text in its unit
    fmt_interval          a confidence interval as text in the KPI's unit
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__all__ = [  # noqa: RUF022  (grouped as in the docstring, not sorted)
    # scenarios and rotation policies
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "validate_scenario",
    "derive",
    "format_clock",
    "write_workbook",
    "scenario_json_schema",
    "RotationPolicy",
    "known_policies",
    "policy_class",
    # simulate and replicate
    "simulate_day",
    "OfficeModel",
    "Level",
    "run",
    "PrecisionTarget",
    "Store",
    "local_cores",
    "replication_chunks",
    # results and the KPI catalogue
    "DayResult",
    "RunResult",
    "Estimate",
    "Kpi",
    "describe_kpi",
    # comparisons and variants
    "compare",
    "Comparison",
    "PairedDiff",
    "build_variants",
    "parse_vary",
    "Vary",
    "Variant",
    "VaryError",
    # sizing event days
    "size",
    "SizingResult",
    "scale_event",
    "SizingTarget",
    "SizingCriterion",
    "PlanEvaluator",
    "EventPlan",
    "EventVisitors",
    "EventTimes",
    "draw_event_visitors",
    "simulate_event_times",
    "screen_event_times",
    # reports
    "write_run",
    "write_comparison",
    "fmt",
    "fmt_interval",
]

_MODULES: dict[str, tuple[str, ...]] = {
    "sim.scenario.schema": ("Scenario",),
    "sim.scenario.yaml_text": ("ScenarioError",),
    "sim.scenario.loader": ("validate_scenario", "derive"),
    "sim.scenario.files": ("load_scenario",),
    "sim.scenario.xlsx.write": ("write_workbook",),
    "sim.scenario.jsonschema": ("scenario_json_schema",),
    "sim.core.clock": ("format_clock",),
    "sim.policies.base": ("RotationPolicy",),
    "sim.policies": ("known_policies", "policy_class"),
    "sim.model": ("simulate_day",),
    "sim.office.day": ("OfficeModel",),
    "sim.domain.results": ("Level", "DayResult"),
    "sim.experiment.runner": ("run", "RunResult"),
    "sim.experiment.target": ("PrecisionTarget",),
    "sim.experiment.store": ("Store",),
    "sim.experiment.executor": ("local_cores", "replication_chunks"),
    "sim.core.stats": ("Estimate",),
    "sim.domain.kpis": ("Kpi", "describe_kpi"),
    "sim.experiment.pairing": ("compare", "Comparison", "PairedDiff"),
    "sim.experiment.variants": ("build_variants", "parse_vary", "Vary", "Variant", "VaryError"),
    "sim.event_sizing.sizer": ("size", "SizingResult"),
    "sim.event_sizing.scale": ("scale_event",),
    "sim.event_sizing.targets": ("SizingTarget", "SizingCriterion"),
    "sim.event_sizing.evaluate": ("PlanEvaluator",),
    "sim.event.inputs": ("EventPlan", "EventVisitors", "draw_event_visitors"),
    "sim.event.kpis": ("EventTimes",),
    "sim.event.day": ("simulate_event_times",),
    "sim.event.screen": ("screen_event_times",),
    "sim.report.files": ("write_run",),
    "sim.report.comparison": ("write_comparison",),
    "sim.report.fmt": ("fmt", "fmt_interval"),
}
"""Where each public name is defined: its module is imported when the name is first used."""

_MODULE_OF: dict[str, str] = {name: module for module, names in _MODULES.items() for name in names}
"""Public name -> the module that defines it."""


def _load(name: str) -> object:
    """The public object ``name``, imported from its module on first use and then kept in this
    module's namespace (so the next lookup does not come here)."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value: object = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """This module's names, with every public name whether loaded yet or not."""
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # what mypy and editors see; at run time the names load on first use
    from sim.core.clock import format_clock
    from sim.core.stats import Estimate
    from sim.domain.kpis import Kpi, describe_kpi
    from sim.domain.results import DayResult, Level
    from sim.event.day import simulate_event_times
    from sim.event.inputs import EventPlan, EventVisitors, draw_event_visitors
    from sim.event.kpis import EventTimes
    from sim.event.screen import screen_event_times
    from sim.event_sizing.evaluate import PlanEvaluator
    from sim.event_sizing.scale import scale_event
    from sim.event_sizing.sizer import SizingResult, size
    from sim.event_sizing.targets import SizingCriterion, SizingTarget
    from sim.experiment.executor import local_cores, replication_chunks
    from sim.experiment.pairing import Comparison, PairedDiff, compare
    from sim.experiment.runner import RunResult, run
    from sim.experiment.store import Store
    from sim.experiment.target import PrecisionTarget
    from sim.experiment.variants import Variant, Vary, VaryError, build_variants, parse_vary
    from sim.model import simulate_day
    from sim.office.day import OfficeModel
    from sim.policies import known_policies, policy_class
    from sim.policies.base import RotationPolicy
    from sim.report.comparison import write_comparison
    from sim.report.files import write_run
    from sim.report.fmt import fmt, fmt_interval
    from sim.scenario.files import load_scenario
    from sim.scenario.jsonschema import scenario_json_schema
    from sim.scenario.loader import derive, validate_scenario
    from sim.scenario.schema import Scenario
    from sim.scenario.xlsx.write import write_workbook
    from sim.scenario.yaml_text import ScenarioError
else:
    __getattr__ = _load  # PEP 562; hidden from mypy, so a misspelt name is still an error
