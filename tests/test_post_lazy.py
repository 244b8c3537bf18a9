"""Post work kept off the SimPy schedule (speed, issue 17): tasks nothing waits on, queued or
not, and an owner's work due at set times, booked as if each had happened at its time."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Generator
from typing import Any

import simpy

from sim.core.shifts import Shift
from sim.posts.staffed import Person, Post

A = Shift("A", 540, 720)  # 09:00-12:00


class CountingEnv(simpy.Environment):
    """An environment that counts the events scheduled."""

    scheduled = 0

    def schedule(self, event: simpy.Event, priority: Any = 1, delay: Any = 0) -> None:
        """Count, then schedule."""
        self.scheduled += 1
        super().schedule(event, priority, delay)


def _post(env: simpy.Environment) -> Post:
    return Post(env, "S1", [Person(0, "p0", A)], env.now, trace=True)


def test_queued_tasks_nothing_waits_on_need_no_event() -> None:
    env = CountingEnv(initial_time=540)
    post = _post(env)
    env.run(until=541)
    before = env.scheduled
    post.start(5)  # 09:01-09:06
    post.start(3)  # queued: 09:06-09:09, waited 5
    post.start(2)  # queued: 09:09-09:11, waited 8
    assert env.scheduled == before  # no SimPy event for any of them
    env.run(until=600)
    assert post.has_free()  # the post is asked: it books what happened meanwhile
    assert post.trace == [(0, 541.0, 546.0), (0, 546.0, 549.0), (0, 549.0, 551.0)]
    assert list(post.response) == [0.0, 5.0, 8.0]
    assert post.busy_by_hour == {9: 10.0}


def test_a_waiter_behind_queued_tasks_is_served_on_time() -> None:
    env = simpy.Environment(initial_time=540)
    post = _post(env)
    served: list[float] = []

    def visitor() -> Generator[simpy.Event, Any, None]:
        yield env.timeout(1)
        post.start(5)  # 09:01-09:06
        post.start(3)  # queued: 09:06-09:09
        yield post.task(1)  # queued behind: 09:09-09:10, something waits on it
        served.append(env.now)

    env.process(visitor())
    env.run(until=600)
    assert served == [550.0]
    assert post.trace == [(0, 541.0, 546.0), (0, 546.0, 549.0), (0, 549.0, 550.0)]
    assert list(post.response) == [0.0, 5.0, 8.0]


def test_owner_work_due_runs_in_time_order() -> None:
    env = CountingEnv(initial_time=540)
    post = _post(env)
    due = deque([545.0, 546.0])

    def run(t: float) -> None:
        due.popleft()
        post.due_next = due[0] if due else math.inf
        post.start_at(t, 2)

    post.on_due(run)
    post.due_next = due[0]
    env.run(until=541)  # the shift has begun
    before = env.scheduled
    env.run(until=542)
    stop = env.scheduled - before  # what a run to a time schedules itself
    before = env.scheduled
    env.run(until=546)
    assert env.scheduled - before == stop  # nothing of the owner's work
    post.catch_up(before=True)  # strictly before 09:06: only the work due 09:05
    assert post.tasks == 1 and post.due_next == 546
    post.catch_up()
    env.run(until=560)
    post.settle()
    assert post.trace == [(0, 545.0, 547.0), (0, 547.0, 549.0)]
    assert list(post.response) == [0.0, 1.0]


def test_shift_end_while_a_queued_task_runs_books_overtime() -> None:
    env = simpy.Environment(initial_time=540)
    post = _post(env)
    env.run(until=710)
    post.start(6)  # 11:50-11:56
    post.start(8)  # queued: 11:56-12:04, past the shift end 12:00
    env.run()
    assert post.trace == [(0, 710.0, 716.0), (0, 716.0, 724.0)]
    assert post.overtime() == 4.0
    assert post.closed
