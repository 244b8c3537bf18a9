"""Staffed posts and shifts: FIFO tasks, shift edges, overtime, breaks, utilisation."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
import simpy

from sim.core.shifts import Shift, headcount_at, overlaps, uncovered
from sim.posts.staffed import Person, Post

A = Shift("A", 540, 600)  # 09:00-10:00
B = Shift("B", 630, 720)  # 10:30-12:00


def _post(env: simpy.Environment, *shifts: Shift) -> Post:
    return Post(env, "S1", [Person(i, f"p{i}", s) for i, s in enumerate(shifts)], env.now)


def _ask(env: simpy.Environment, post: Post, at: float, minutes: float, log: list[Any]) -> None:
    def proc() -> Generator[simpy.Event, Any, None]:
        yield env.timeout(at - env.now)
        person = yield post.acquire()
        log.append((at, env.now, person.name))
        yield env.timeout(minutes)
        post.release(person)

    env.process(proc())


def test_shift_end_while_busy_finishes_then_leaves_with_overtime() -> None:
    env = simpy.Environment(initial_time=480)
    post = _post(env, A, B)
    log: list[Any] = []
    _ask(env, post, 590, 20, log)  # 09:50, 20 min: p0 works until 10:10
    _ask(env, post, 605, 5, log)  # 10:05: p0's shift is over, p1 starts 10:30
    env.run()
    assert log == [(590, 590, "p0"), (605, 630, "p1")]
    assert post.people[0].overtime == pytest.approx(10)
    assert post.overtime() == pytest.approx(10)
    assert list(post.response) == [0.0, 25.0]


def test_no_assignment_before_shift_start_or_after_end() -> None:
    env = simpy.Environment(initial_time=480)
    post = _post(env, A)
    log: list[Any] = []
    _ask(env, post, 500, 5, log)  # before 09:00: waits for the shift to start
    _ask(env, post, 601, 5, log)  # after 10:00, no later shift: never served
    env.run(until=900)
    assert log == [(500, 540, "p0")]
    assert len(post.queue) == 1


def test_break_works_like_a_shift_end() -> None:
    env = simpy.Environment(initial_time=540)
    post = _post(env, Shift("A", 540, 720, breaks=((600, 630),)))
    log: list[Any] = []
    _ask(env, post, 595, 10, log)  # runs into the break: finishes 10:05
    _ask(env, post, 606, 1, log)  # during the break: waits to 10:30
    env.run()
    assert log == [(595, 595, "p0"), (606, 630, "p0")]
    assert post.overtime() == pytest.approx(5)


def test_utilisation_by_hour() -> None:
    env = simpy.Environment(initial_time=540)
    post = _post(env, Shift("A", 540, 660))
    log: list[Any] = []
    _ask(env, post, 550, 30, log)  # 09:10-09:40 busy
    env.run()
    util = post.utilisation_by_hour()
    assert util[9] == pytest.approx(0.5)
    assert util[10] == pytest.approx(0.0)


def test_shift_validation_and_coverage() -> None:
    with pytest.raises(ValueError, match="end 08:00 must be after start 09:00"):
        Shift("X", 540, 480)
    with pytest.raises(ValueError, match="break"):
        Shift("X", 540, 600, breaks=((590, 610),))
    a, b = Shift("A", 510, 960), Shift("B", 780, 1230)
    assert overlaps([a, b]) == [("A", "B")]
    assert headcount_at(800, {a: 2, b: 1}) == 3
    assert uncovered(480, 1260, {a: 1, b: 1}) == [(480, 510), (1230, 1260)]


def test_close_out_counts_work_in_progress_and_overtime_when_the_clock_stops() -> None:
    # run_until: close stops the clock at 10:20 with p0 busy since 09:50 (shift ended 10:00):
    # 30 busy minutes (10 in hour 9, 20 in hour 10) and 20 minutes of overtime.
    env = simpy.Environment(initial_time=480)
    post = _post(env, A)
    _ask(env, post, 590, 60, [])
    env.run(until=620)
    assert post.busy_by_hour == {}  # nothing released yet
    post.close_out()
    assert post.busy_by_hour == pytest.approx({9: 10.0, 10: 20.0})
    assert post.people[0].overtime == pytest.approx(20)


def _start_at(env: simpy.Environment, post: Post, at: float, minutes: float) -> None:
    """A task nothing waits on (Post.start), asked at ``at``."""
    env.timeout(at - env.now).callbacks.append(lambda _e: post.start(minutes))


def test_tasks_nothing_waits_on_book_the_same_as_timed_ones() -> None:
    # issue 17: a task nothing waits on ends without a SimPy event while nobody queues. One
    # person 09:00-12:00: T0 09:00-09:10; T1 asked 09:05 queues (T0's end becomes an event)
    # and runs 09:10-09:15; T2 asked 09:30 runs 09:30-09:40 with nobody queued behind it.
    # Bookings (trace, busy minutes by hour) are those of timed tasks, in time order.
    env = simpy.Environment(initial_time=540)
    post = Post(env, "S1", [Person(0, "p0", Shift("A", 540, 720))], 540, trace=True)
    for at, minutes in ((540, 10), (545, 5), (570, 10)):
        _start_at(env, post, at, minutes)
    env.run(until=575)
    assert len(post.trace or ()) == 2  # T1 booked when T2 asked for the person at 09:30
    assert post.settle()  # T2 still running: its end becomes a timeout (09:40)
    env.run()
    assert not post.settle()  # nothing left unbooked
    assert post.trace == [(0, 540.0, 550.0), (0, 550.0, 555.0), (0, 570.0, 580.0)]
    assert list(post.response) == [0.0, 5.0, 0.0] and post.tasks == 3
    assert post.busy_by_hour == {9: 25.0}


def test_a_task_nothing_waits_on_through_the_shift_end_is_overtime() -> None:
    # Shift 09:00-10:00; a 20-minute task from 09:50 ends 10:10: 10 minutes of overtime, and
    # the post closes only then (its end became an event at the shift end).
    env = simpy.Environment(initial_time=540)
    post = Post(env, "S1", [Person(0, "p0", A)], 540, trace=True)
    _start_at(env, post, 590, 20)
    env.run()
    assert post.trace == [(0, 590.0, 610.0)]
    assert post.overtime() == pytest.approx(10)
    assert post.closed and env.now == 610.0


def test_a_task_then_the_callers_own_minutes_is_one_timeout_when_served_at_once() -> None:
    # issue 17 (F5 briefing, then the tour): served at once, the caller waits one timeout for
    # both and the person is free after the task; queued, the task and then the minutes.
    env = simpy.Environment(initial_time=540)
    post = Post(env, "S1", [Person(0, "p0", Shift("A", 540, 720))], 540, trace=True)
    ends: list[float] = []

    def visitor(at: float) -> Generator[simpy.Event, Any, None]:
        yield env.timeout(at - env.now)
        yield from post.task_then(2.0, 10.0)
        ends.append(env.now)

    env.process(visitor(540))  # briefed 09:00-09:02, tour until 09:12
    env.process(visitor(541))  # p0 busy: queued, briefed 09:02-09:04, tour until 09:14
    env.run()
    post.settle()
    assert ends == [552.0, 554.0]
    assert post.trace == [(0, 540.0, 542.0), (0, 542.0, 544.0)]
    assert list(post.response) == [0.0, 1.0] and post.busy_by_hour == {9: 4.0}
