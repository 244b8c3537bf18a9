"""The report plots drawn by forked processes while the tables are written (issue 17 item 4)
are the very plots drawn in one process, in the same order."""

from __future__ import annotations

import os
import signal
import time

import pytest

import sim.report.plot_pool as plot_pool
from sim.core.workers import WorkerLost
from sim.experiment.runner import run
from sim.report.html import default_labels
from sim.report.plot_pool import pooled_plots, report_targets, split
from sim.report.plots import draw
from sim.scenario import load_scenario
from tests.helpers import SCENARIOS

NAMES = ["waits", "profiles", "receptions", "occupancy", "lost_by_hour"]


def test_pooled_plots_equal_the_plots_drawn_in_one_process() -> None:
    result = run(load_scenario(SCENARIOS / "weekend.yaml"), replications=3, seed=2, workers=1)
    alone = draw([result], default_labels([result]), svg=False, targets=report_targets(result))
    with pooled_plots(result, 2) as pending:
        pooled = pending.get()
    assert [p.name for p in pooled] == NAMES == [p.name for p in alone]
    assert pooled == alone  # titles and PNG bytes


def test_split_hands_out_every_plot_once_and_balances_the_costs() -> None:
    # costs 3, 2, 1.5, 1, 1 and 2 for the tables: this process starts with the tables
    theirs, ours = split(NAMES, 1)
    assert sorted(theirs + ours) == sorted(NAMES)
    assert theirs == ["occupancy", "waits", "lost_by_hour"] and ours == ["profiles", "receptions"]
    theirs, ours = split(NAMES, 2)  # three processes: 3+1 | 2+1.5 | tables 2 + 1
    assert sorted(theirs + ours) == sorted(NAMES) and ours == ["receptions"]
    assert split(["waits"], 1) == (["waits"], [])


def test_a_plot_worker_that_dies_ends_the_wait_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child killed while it draws (out of memory, say) raises WorkerLost in get() within
    seconds; with multiprocessing.Pool the run's end waited for its plot for ever."""
    result = run(load_scenario(SCENARIOS / "weekend.yaml"), replications=2, seed=2, workers=1)
    monkeypatch.setattr(plot_pool, "_draw", _dying_draw)
    monkeypatch.setitem(_PARENT, "pid", os.getpid())
    started = time.monotonic()
    with pytest.raises(WorkerLost), pooled_plots(result, 2) as pending:
        pending.get()
    assert time.monotonic() - started < 60


_PARENT: dict[str, int] = {}


def _dying_draw(name: str) -> object:
    """A plot worker that kills itself (module-level: a pool may pickle it by name)."""
    if os.getpid() != _PARENT["pid"]:
        os.kill(os.getpid(), signal.SIGKILL)
    return _REAL_DRAW(name)  # this process's own share


_REAL_DRAW = plot_pool._draw
