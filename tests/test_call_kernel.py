"""The compiled calling round (sim/event/fifo_kernel.py) gives the NumPy round's numbers bit
for bit: every time of the screen (sign-in, call, walk, selection, later desks) on the
800-person launch day under each calling order, batch size, number of calls, call interval
and no-show share, with the selection desk staffed over one interval per seat (the compiled
path) on random headcounts."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any
from unittest.mock import patch

import numpy as np
import pytest

from sim.event import screen as screen_module
from sim.event.fifo_kernel import NO_JIT, call_kernel
from sim.event.inputs import EventPlan, draw_event_visitors
from sim.event.screen import screen
from sim.scenario.loader import derive, load_scenario

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(bool(os.environ.get(NO_JIT)), reason=f"{NO_JIT} is set")


def numpy_round() -> Any:
    """The NumPy calling round (what runs without Numba)."""
    return patch.object(screen_module, "call_kernel", lambda: None)


def test_the_calling_round_is_compiled() -> None:
    """Numba is a dependency: the comparison below compares compiled code, not NumPy twice."""
    assert call_kernel() is not None


def _same(a: Any, b: Any, name: str) -> None:
    if isinstance(a, np.ndarray):
        assert np.array_equal(a, b, equal_nan=True), name
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), name
        for key in a:
            _same(a[key], b[key], f"{name}.{key}")
    elif dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            _same(getattr(a, f.name), getattr(b, f.name), f"{name}.{f.name}")


CALLING = [
    {"order": "lottery", "batch_size": 10, "max_calls": 3, "call_interval_min": 0.5,
     "no_show_share": 0.05},
    {"order": "queue", "batch_size": 1, "max_calls": 1, "call_interval_min": 0.0,
     "no_show_share": 0.0},
    {"order": "wave_lottery", "batch_size": 7, "max_calls": 2, "call_interval_min": 1.5,
     "no_show_share": 0.2},
    {"order": "lottery", "batch_size": 3, "max_calls": 5, "call_interval_min": 2.0,
     "no_show_share": 0.3},
]  # fmt: skip


@pytest.mark.parametrize("calling", CALLING, ids=lambda c: f"{c['order']}-{c['batch_size']}")
def test_compiled_calling_round_is_the_numpy_one(calling: dict[str, Any]) -> None:
    base = load_scenario(ROOT / "scenarios" / "launch_day_800.yaml")
    sc = derive(base, {f"event.calling.{k}": v for k, v in calling.items()})
    ev = sc.event
    assert ev is not None and ev.calling is not None
    edges = tuple(510.0 + 60.0 * i for i in range(9))
    vis = draw_event_visitors(sc, 4, range(12))
    rng = np.random.default_rng(len(calling["order"]) * 10 + calling["batch_size"])
    used = []
    kernel = screen_module.call_kernel

    def counted() -> Any:
        used.append(1)
        return kernel()

    for _ in range(3):
        counts = {str(d.post): _one_interval(rng, len(edges) - 1) for d in ev.desks}
        fixed = EventPlan.baseline(sc)
        plan = EventPlan(dict(fixed.pieces) | dict(EventPlan.from_blocks(edges, counts).pieces),
                         edges[-1])  # fmt: skip
        screen_module.call_kernel = counted
        try:
            got = screen(ev, plan, vis)
        finally:
            screen_module.call_kernel = kernel
        with numpy_round():
            want = screen(ev, plan, vis)
        _same(want, got, "times")
    assert len(used) >= 3  # the compiled round ran (two rounds a screen)


def _one_interval(rng: np.random.Generator, blocks: int) -> tuple[int, ...]:
    """People per block rising then falling (each seat staffed over one interval)."""
    x = rng.integers(1, 9, blocks)
    peak = int(rng.integers(0, blocks))
    return tuple(int(v) for v in np.concatenate([np.sort(x[:peak]), np.sort(x[peak:])[::-1]]))
