"""The cyclic collector is paused for a simulated day and back on after it (sim.core.collector),
whatever the day does, and left off when the caller had turned it off."""

from __future__ import annotations

import contextlib
import gc

import pytest

import sim.model as model
from sim.core.collector import collector_paused
from sim.event_sizing import parse_target, size, sizer
from sim.model import simulate_day
from sim.office.day import OfficeModel
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
