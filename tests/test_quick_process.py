"""QuickProcess (issue 17 item 2): a SimPy process that starts at once and schedules its end
only when something waits on it; otherwise it behaves as simpy.Process."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Generator
from typing import Any

import pytest
import simpy

from sim.core.quick_process import QuickProcess


def _walk(env: simpy.Environment, log: list[tuple[str, float]]) -> Generator[Any, Any, str]:
    log.append(("start", env.now))
    yield env.timeout(2.0)
    log.append(("after 2", env.now))
    done = env.event()
    done.succeed("v")
    value = yield done
    log.append((value, env.now))
    return "end"


def test_it_runs_up_to_its_first_wait_at_once_then_like_a_process() -> None:
    env = simpy.Environment(initial_time=10.0)
    log: list[tuple[str, float]] = []
    proc = QuickProcess(env, _walk(env, log))
    assert log == [("start", 10.0)]  # before any step: no Initialize event
    env.run()
    assert log == [("start", 10.0), ("after 2", 12.0), ("v", 12.0)]
    assert proc.triggered and proc.processed and proc.value == "end"


def test_its_end_is_an_event_only_when_something_waits() -> None:
    env = simpy.Environment()
    lonely = QuickProcess(env, _walk(env, []))
    awaited = QuickProcess(env, _walk(env, []))
    got: list[tuple[str, float]] = []

    def waiter() -> Generator[Any, Any, None]:
        got.append(((yield awaited), env.now))
        got.append(((yield lonely), env.now))  # already over: goes on at once

    env.process(waiter())
    steps = 0
    while env.peek() != float("inf"):
        env.step()
        steps += 1
    assert got == [("end", 2.0), ("end", 2.0)]
    # the waiter (a simpy.Process): Initialize and its end; per walk: its timeout and 'done'
    # (2 x 2); the awaited walk's end. The lonely walk's end is no event: 7, not 8
    assert steps == 7


def test_a_finished_process_is_freed_without_the_cycle_collector() -> None:
    """Once over, nothing in it refers back to it (its bound callback is dropped): reference
    counting frees it and its generator, with the cyclic garbage collector off."""
    env = simpy.Environment()
    walk = _walk(env, [])
    gen_gone = weakref.ref(walk)
    proc = QuickProcess(env, walk)
    del walk
    env.run()
    gone = weakref.ref(proc)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del proc
        assert gone() is None and gen_gone() is None
    finally:
        if was_enabled:
            gc.enable()


def test_a_failed_event_is_thrown_into_the_generator() -> None:
    env = simpy.Environment()
    caught: list[str] = []

    def body() -> Generator[Any, Any, None]:
        bad = env.event()
        bad.fail(ValueError("no table"))
        try:
            yield bad
        except ValueError as exc:
            caught.append(str(exc))

    QuickProcess(env, body())
    env.run()
    assert caught == ["no table"]


def test_an_exception_in_the_generator_reaches_the_run() -> None:
    env = simpy.Environment()

    def body() -> Generator[Any, Any, None]:
        yield env.timeout(1.0)
        raise RuntimeError("stuck")

    QuickProcess(env, body())
    with pytest.raises(RuntimeError, match="stuck"):
        env.run()
