"""The cyclic collector is paused for a simulated day and back on after it (sim.core.collector),
whatever the day does, and left off when the caller had turned it off."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable

import pytest

import sim.model as model
from sim.core.collector import collector_paused
from sim.core.distributions import Triangular
from sim.domain.results import Level
from sim.event_sizing import parse_target, size, sizer
from sim.model import simulate_day
from sim.office.day import OfficeModel
from sim.policies import known_policies
from sim.scenario import load_scenario
from tests.helpers import ROOT, SCENARIOS


def test_paused_during_the_block_and_on_after_it_even_on_an_error() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("a day that fails")
    assert gc.isenabled()


def test_left_off_when_the_caller_turned_it_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_day_runs_paused_and_gives_the_same_kpis(monkeypatch: pytest.MonkeyPatch) -> None:
    """The weekend day's model runs with the collector off and leaves it on; its KPIs are
    those of the same day with the pause undone."""
    seen: list[bool] = []
    run = OfficeModel.run

    def spying(self: OfficeModel) -> object:
        seen.append(gc.isenabled())
        return run(self)

    monkeypatch.setattr(OfficeModel, "run", spying)
    sc = load_scenario(SCENARIOS / "weekend.yaml")
    paused = simulate_day(sc, 0, 3, level="kpi").kpis
    assert seen == [False] and gc.isenabled()
    monkeypatch.setattr(model, "collector_paused", contextlib.nullcontext)
    assert repr(simulate_day(sc, 0, 3, level="kpi").kpis) == repr(paused)
    assert seen == [False, True]


class _Stop(Exception):
    """Ends a sizing at its first round (the test only looks at the collector)."""


def test_an_event_sizing_runs_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []

    def first_round(*_: object, **__: object) -> None:
        seen.append(gc.isenabled())
        raise _Stop

    monkeypatch.setattr(sizer, "_size_once", first_round)
    sc = load_scenario(ROOT / "tests" / "fixtures" / "bad" / "_base_event.yaml")
    with pytest.raises(_Stop):
        size(sc, [parse_target("sign_in_wait_p90<=8")], days=10, workers=1)
    assert seen == [False] and gc.isenabled()


OFFICE_DAYS = ("weekday", "weekend", "weekend_understaffed", "yancheng_office")


def _cycles_left(run: Callable[[], object]) -> list[str]:
    """The types of the objects ``run`` left in reference cycles (collector off meanwhile)."""
    gc.collect()
    gc.disable()
    try:
        run()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
    finally:
        gc.set_debug(0)
        gc.enable()
    left = sorted({type(o).__name__ for o in gc.garbage})
    gc.garbage.clear()
    return left


@pytest.mark.parametrize("name", OFFICE_DAYS)
@pytest.mark.parametrize("level", ["kpi", "full"])
def test_an_office_day_leaves_no_reference_cycle(name: str, level: Level) -> None:
    """simulate_day frees an office day by reference counting (OfficeModel.dispose): the
    collector back on after it finds nothing to collect, on every shipped office scenario."""
    sc = load_scenario(SCENARIOS / f"{name}.yaml")
    simulate_day(sc, 0, 0, level=level)  # the first day of a process fills its caches
    assert _cycles_left(lambda: simulate_day(sc, 0, 1, level=level)) == []


def test_a_sampler_never_drawn_from_leaves_no_cycle() -> None:
    """A triangular sampler waits for its stream's joint first draw with the day's streams
    (sim.core.rng): one never drawn from is still freed with the day."""
    sc = load_scenario(SCENARIOS / "weekend.yaml")
    simulate_day(sc, 0, 0, level="kpi")

    def day() -> None:
        model = OfficeModel(sc, 0, 3, level="kpi")
        model.run()  # the day's samplers drew their first batches together
        model.streams.sampler("never.drawn", Triangular(dist="triangular", min=1, mode=2, max=3))
        model.dispose()

    assert _cycles_left(day) == []


@pytest.mark.parametrize("policy", known_policies())
def test_no_reference_cycle_under_any_policy(policy: str) -> None:
    sc = load_scenario(SCENARIOS / "weekend.yaml")
    simulate_day(sc, 0, 0, policy=policy)
    assert _cycles_left(lambda: simulate_day(sc, 0, 2, policy=policy, level="kpi")) == []


def test_the_model_is_kept_whole_when_run_directly() -> None:
    """Only simulate_day disposes of its model: one built and run by hand (as the tests do)
    keeps its parts to inspect after the day."""
    sc = load_scenario(SCENARIOS / "weekend.yaml")
    m = OfficeModel(sc, 0, 0, level="kpi")
    m.run()
    assert m.reception is not None and m.reception.posts["gate"].tasks > 0
    assert m.desk.reps and m.env.now >= sc.day.close
