"""The tasks :class:`~sim.event_sizing.evaluate.PlanEvaluator` runs on its worker pools: SimPy
days of a plan (the pool holds the scenario), and screens of a plan on the search days (a
forked pool holding the parent's evaluator as it was, visitors and all)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.event.day import day_kpis, simulate_event_times
from sim.event.inputs import EventPlan, draw_event_visitors
from sim.scenario.schema import Scenario

_STATE: dict[str, Any] = {}


def init_simpy(scenario: Scenario) -> None:
    """A SimPy worker's scenario."""
    _STATE["scenario"] = scenario


def simpy_chunk(args: tuple[EventPlan, int, tuple[int, ...], tuple[str, ...]],
                ) -> dict[str, np.ndarray]:  # fmt: skip
    """The KPIs ``keys`` of replications ``indices`` of ``seed`` under ``plan``, in SimPy."""
    plan, seed, indices, keys = args
    sc = _STATE["scenario"]
    vis = draw_event_visitors(sc, seed, indices)
    return day_kpis(sc, plan, simulate_event_times(sc, plan, vis), set(keys))


def init_screens(ev: Any) -> None:
    """A screen worker's evaluator (forked: the parent's as it was)."""
    _STATE["ev"] = ev


def screen_task(counts: Mapping[str, Sequence[int]]) -> dict[str, np.ndarray]:
    """The targets' KPIs of ``counts`` on the search days, by the screen."""
    kpis: dict[str, np.ndarray] = _STATE["ev"].screen_kpis(counts)
    return kpis
