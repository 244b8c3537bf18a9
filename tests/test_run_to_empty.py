"""The day's event loop (:func:`sim.office.watchdog.run_to_empty`, ``step()`` inlined for speed,
issue 17) processes events exactly as ``simpy.Environment.step`` does: same order, same clock,
and a failure surfaces the same way."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import pytest
import simpy

from sim.domain.results import DayStalled
from sim.office.watchdog import MAX_PAST_CLOSING_MIN, run_to_empty


class SteppedEnvironment(simpy.Environment):
    """An environment with its own ``step`` (the loop then calls it)."""

    def step(self) -> None:
        """simpy's own step."""
        super().step()


def _day(env: simpy.Environment, log: list[tuple[float, str]]) -> None:
    def visitor(name: str, gaps: list[float]) -> Generator[simpy.Event, Any, None]:
        for gap in gaps:
            yield env.timeout(gap)
            log.append((env.now, name))

    env.process(visitor("a", [1.0, 2.0, 0.0, 3.0]))
    env.process(visitor("b", [3.0, 0.0, 1.0]))
    late = env.event()
    late.callbacks.append(lambda _e: log.append((env.now, "late")))
    env.schedule(late, delay=2.0)
    late._ok, late._value = True, None


@pytest.mark.parametrize("make", [simpy.Environment, SteppedEnvironment])
def test_same_order_and_clock_as_env_run(make: Callable[[], simpy.Environment]) -> None:
    expected: list[tuple[float, str]] = []
    reference = simpy.Environment()
    _day(reference, expected)
    reference.run()
    got: list[tuple[float, str]] = []
    env = make()
    _day(env, got)
    run_to_empty(env, close=100.0, replication=0)
    assert got == expected
    assert env.now == reference.now


def test_settle_runs_the_day_on() -> None:
    env = simpy.Environment()
    log: list[float] = []
    rounds = iter([True, False])

    def settle() -> bool:
        if next(rounds):  # the first time: one more event to run
            env.timeout(5.0).callbacks.append(lambda _e: log.append(env.now))
            return True
        return False

    env.timeout(1.0).callbacks.append(lambda _e: log.append(env.now))
    run_to_empty(env, close=100.0, replication=0, settle=settle)
    assert log == [1.0, 6.0]


def test_a_failure_nobody_waits_on_crashes_the_day_with_its_cause() -> None:
    env = simpy.Environment()

    def broken() -> Generator[simpy.Event, Any, None]:
        yield env.timeout(1.0)
        raise ValueError("a post broke")

    env.process(broken())
    with pytest.raises(ValueError, match="a post broke") as caught:
        run_to_empty(env, close=100.0, replication=0)
    assert isinstance(caught.value.__cause__, ValueError)
    assert env.now == 1.0


def test_a_defused_failure_does_not_crash() -> None:
    env = simpy.Environment()
    failed = env.event()
    failed.fail(RuntimeError("handled"))
    failed.defused = True
    run_to_empty(env, close=100.0, replication=0)
    assert env.now == 0.0


def _leaving_every(env: simpy.Environment, gap: float, times: int, left: list[float]) -> None:
    def leave() -> Generator[simpy.Event, Any, None]:
        for _ in range(times):
            yield env.timeout(gap)
            left.append(env.now)

    env.process(leave())


def test_a_queue_that_still_moves_runs_past_the_bound() -> None:
    """Groups leaving at 0.9 x the bound apart, five times: each span saw one leave, so the
    run goes on to the last (4.5 bounds past closing)."""
    env, left = simpy.Environment(), []  # type: ignore[var-annotated]
    _leaving_every(env, 0.9 * MAX_PAST_CLOSING_MIN, 5, left)
    run_to_empty(env, close=0.0, replication=0, progress=lambda: len(left))
    assert len(left) == 5 and env.now == pytest.approx(4.5 * MAX_PAST_CLOSING_MIN)


def test_no_group_leaving_for_a_whole_bound_is_a_stall() -> None:
    """The same events with nobody counted as leaving: stopped at the first bound."""
    env, left = simpy.Environment(), []  # type: ignore[var-annotated]
    _leaving_every(env, 0.9 * MAX_PAST_CLOSING_MIN, 5, left)
    with pytest.raises(DayStalled, match="a process that never ends"):
        run_to_empty(env, close=0.0, replication=0, progress=lambda: 0)
    assert len(left) == 1 and env.now <= MAX_PAST_CLOSING_MIN


def test_progress_that_stops_is_a_stall_one_bound_later() -> None:
    """Two leaves, then a loop that ticks forever: stopped one bound after the last span that
    saw a leave."""
    env, left = simpy.Environment(), []  # type: ignore[var-annotated]
    _leaving_every(env, 0.9 * MAX_PAST_CLOSING_MIN, 2, left)

    def tick() -> Generator[simpy.Event, Any, None]:
        while True:
            yield env.timeout(60.0)

    env.process(tick())
    with pytest.raises(DayStalled):
        run_to_empty(env, close=0.0, replication=0, progress=lambda: len(left))
    assert len(left) == 2
    assert 2 * MAX_PAST_CLOSING_MIN < env.now <= 3 * MAX_PAST_CLOSING_MIN
