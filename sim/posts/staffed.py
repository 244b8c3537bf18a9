"""Staffed service posts (岗位): people on shifts who take tasks first come, first served.

A post has people, each on a shift. A task asks for one person; it waits until someone is
working and free, holds them for the task, then lets go. A person whose shift (or break)
starts while busy finishes the task first, then leaves; the time past the shift end (or into
the break) is overtime. Nobody is given work while off shift.

Once every shift of the post is over for the day (or the post has nobody), the post is
*closed* (:attr:`Post.closing` fires): a task (:meth:`Post.task`, :meth:`Post.get`) asked for
then, or still waiting, is withdrawn unserved (counted in :attr:`Post.unserved`), so a visitor
never waits for a post that will not open again. A bare :meth:`Post.acquire` keeps waiting.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Generator
from functools import partial
from heapq import heappush
from typing import Any, cast

import simpy

from sim.core.quick_process import timeout
from sim.core.shifts import work_periods
from sim.posts.lazy_ends import EventlessEnds
from sim.posts.records import Person

__all__ = ["Person", "Post"]


class _Task:
    """A task waiting in a post's queue without a SimPy process of its own."""

    __slots__ = ("done", "minutes")

    def __init__(self, minutes: float, done: simpy.Event | None) -> None:
        self.minutes = minutes
        self.done = done


class Post(EventlessEnds):
    """A post with its people, FIFO task queue and KPI records.

    ``trace=True`` keeps :attr:`trace`, one ``(person index, start, end)`` per finished task or
    hold (for tests; off by default for speed). Tests may also set ``post.trace = []`` before
    the run starts.
    """

    def __init__(
        self, env: simpy.Environment, key: str, people: list[Person], start: float,
        trace: bool = False, cycles: bool = True,
    ) -> None:  # fmt: skip
        super().__init__(env, people, trace)
        self.key = key
        # (asked, event or task, counted): ``counted`` tasks record a response; holds do not
        self.queue: deque[tuple[float, simpy.Event | _Task, bool]] = deque()
        self.held = 0  # people held off the post right now (important-visit line-up)
        self._day_start = start
        self._waiters = 0  # queued requests and tasks that something waits on
        # people next to each other on the same shift come and go together: one SimPy process
        # (and one event per shift boundary) for the run of them (speed, issue 17)
        runs = [list(run) for _, run in itertools.groupby(people, key=lambda p: id(p.shift))]
        self.runs = runs
        """People next to each other on one shift, who come and go together; ``cycles=False``:
        their owner drives them (:meth:`period_starts`, :meth:`period_ends`, :meth:`cycle_over`;
        one process per shift for all posts of a line, speed, issue 17)."""
        self._cycles = len(runs)  # shift cycles not yet over
        self.closing = env.event()  # fires when the post closes for the day
        self.closing.callbacks.append(self._withdraw_tasks)
        self.closed = False
        """Whether every shift is over for the day and nobody is still finishing a task (set
        when :attr:`closing` is triggered; a plain attribute, read once per task)."""
        if not people:
            self._close()
        if cycles:
            for run in runs:
                env.process(self._shift_cycle(run))

    # -- people coming and going ------------------------------------------------------------
    def _shift_cycle(self, run: list[Person]) -> Generator[simpy.Event, Any, None]:
        """The working periods of ``run``, people on one shift, each in turn at every
        boundary (as one process per person, started in that order, would)."""

        yield from work_periods(
            self.env, run[0].shift.working(), partial(self.period_starts, run),
            partial(self.period_ends, run),
        )  # fmt: skip
        self.cycle_over()

    def period_starts(self, run: list[Person], end: float) -> None:
        """A working period of ``run`` (one of :attr:`runs`) starts; it ends at ``end``."""
        for person in run:
            self._on_duty(person, end)

    def period_ends(self, run: list[Person]) -> None:
        """A working period of ``run`` ends (a busy person finishes the task first)."""
        for person in run:
            self._off_duty(person)

    def cycle_over(self) -> None:
        """The last working period of one of :attr:`runs` has ended."""
        self._cycles -= 1
        self._close_if_over()

    def _on_duty(self, person: Person, end: float) -> None:
        """A working period of ``person`` starts (it ends at ``end``)."""
        now = self.env._now
        if self._lazy_next <= now or self.due_next <= now:
            self._catch_up(now)
        if person.leaving:  # worked through the whole break: that time is overtime too
            person.overtime += now - person.shift_end
            self._add_duty(person.shift_end, now)
        person.on_duty, person.leaving, person.shift_end = True, False, end
        self._add_duty(now, end)
        self._dispatch()

    def _off_duty(self, person: Person) -> None:
        """A working period of ``person`` ends: a busy person finishes the task first."""
        now = self.env._now
        if self._lazy_next <= now or self.due_next <= now:
            self._catch_up(now)
        if person.busy:
            person.leaving = True
            self._materialize(person)  # the end of their task is now an event (overtime)
        else:
            person.on_duty = False

    def _close(self) -> None:
        self.closed = True
        self.closing.succeed()

    def _close_if_over(self) -> None:
        if self.closed or self._cycles or any(p.on_duty for p in self.people):
            return
        self._close()

    # -- tasks --------------------------------------------------------------------------------
    def acquire(self) -> simpy.Event:
        """An event whose value is the person assigned, when one is working and free (it
        never fires once the post has closed: see :meth:`get`)."""
        return self._request(counted=True)

    def get(self, counted: bool = True) -> Generator[simpy.Event, Any, Person | None]:
        """Wait for a person, or for the post to close for the day: then withdraw the request
        and return ``None``. ``counted=False`` is a hold: it goes before the waiting tasks and
        records no response time."""
        if self.closed:
            self.unserved += counted
            return None
        now = self.env._now
        if self._lazy_next <= now or self.due_next <= now:
            self._catch_up(now)
        if not self.queue:  # someone free now: no request event (speed, issue 17)
            person = self._free_person(now)
            if person is not None:
                self._take(person, now, now, counted)
                return person
        request = self._request(counted)
        if not request.triggered:
            yield request | self.closing
        if request.triggered:
            return cast(Person, request.value)
        self.queue.remove(next(item for item in self.queue if item[1] is request))
        self._waiters -= 1
        self.unserved += counted
        return None

    def get_now(self) -> Person | None:
        """A person taken for a task now if one is free and nobody is queued (as :meth:`get`
        would, without a generator; speed, issue 17), else ``None`` and nothing is counted."""
        now = self.env._now
        if self._lazy_next <= now or self.due_next <= now:
            self._catch_up(now)
        if self.closed or self.queue:
            return None
        person = self._free_person(now)
        if person is not None:
            self._take(person, now, now, True)
        return person

    def end_at(self, person: Person, end: float) -> None:
        """``person``, taken now, is let go at ``end`` (the clock then): without an event
        while nothing waits on the post (see :meth:`_begin_lazy`)."""
        self._begin_lazy(person, end)

    def _request(self, counted: bool) -> simpy.Event:
        now = self.env._now
        if self._lazy_next <= now or self.due_next <= now:
            self._catch_up(now)
        event = self.env.event()
        self._waiters += 1
        if counted:
            self.queue.append((self.env._now, event, True))
        else:  # a hold goes before the waiting tasks: the line-up is ordered
            self.queue.appendleft((self.env._now, event, False))
        self._dispatch()
        return event

    def release(self, person: Person) -> None:
        """``person`` has finished a task."""
        now = self.env._now
        if self._lazy_next <= now or self.due_next <= now:
            self._catch_up(now)  # what ended or fell due earlier is booked first, in time order
        person.busy = False
        busy = self._busy
        busy.append(person.busy_since)
        busy.append(now)
        if self.trace is not None:
            self.trace.append((person.index, person.busy_since, now))
        if person.leaving:
            person.leaving = False
            person.on_duty = False
            person.overtime += now - person.shift_end
            self._add_duty(person.shift_end, now)
        if self.queue:
            self._dispatch()
        if not self._cycles:
            self._close_if_over()

    def close_out(self) -> None:
        """The clock stops now (``run_until: close``): count the work still in progress and
        the overtime of anyone past their shift end, as :meth:`release` would."""
        now = self.env._now
        if self._lazy_next <= now or self.due_next <= now:
            self._catch_up(now)
        for person in self.people:
            if person.busy:
                self._busy.extend((person.busy_since, now))
                person.busy_since = now
            if person.leaving:
                person.overtime += now - person.shift_end
                self._add_duty(person.shift_end, now)
                person.shift_end = now

    def has_free(self) -> bool:
        """Whether someone is working and free right now (and nobody is queued)."""
        now = self.env._now
        if self._lazy_next <= now or self.due_next <= now:
            self._catch_up(now)
        return not self.queue and self._free_person(now) is not None

    def _free_person(self, now: float) -> Person | None:
        """Someone working and free at ``now`` (the clock, or the time the post is caught up
        to). Nobody is given work at the instant their working period ends, even if SimPy has
        not yet processed the shift-end event of that instant."""
        for p in self.people:  # a plain loop: this runs once per task and release
            if p.on_duty and not p.busy and not p.leaving and now < p.shift_end:
                return p
        return None

    def hold(self, count: int, until: float) -> None:
        """Take ``count`` people off the post until ``until``: each as soon as they are free,
        before any waiting task. Holds are not tasks: no response time is recorded."""
        for _ in range(count):
            self.env.process(self._hold_one(until))

    def _hold_one(self, until: float) -> Generator[simpy.Event, Any, None]:
        person = yield from self.get(counted=False)
        if person is None:
            return
        self.held += 1
        if until > self.env._now:
            yield timeout(self.env, until - self.env._now)
        self.held -= 1
        self.release(person)

    def task(self, minutes: float) -> simpy.Event:
        """A task of ``minutes`` by one person; the event fires when the task is done (or at
        once if the post has closed for the day)."""
        now = self.env._now
        if self._lazy_next <= now or self.due_next <= now:
            self._catch_up(now)
        if not self.queue and not self.closed and self._start_now(now, minutes):
            return timeout(self.env, minutes)  # served at once: its own timeout is the event
        done = self.env.event()
        self.start(minutes, done)
        return done

    def task_then(self, minutes: float, then: float) -> Generator[simpy.Event, Any, None]:
        """A task of ``minutes`` by one person, then ``then`` minutes more of the caller's own
        (the tour after the briefing at a sample unit's door). Served at once, it is one
        timeout for both, and the person is let go without an event, as for :meth:`start`
        (speed, issue 17); otherwise the task's event, then a timeout."""
        step = self.task_then_step(minutes, then)
        if isinstance(step, simpy.Timeout):
            yield step
        else:
            yield from step

    def task_then_step(
        self, minutes: float, then: float
    ) -> simpy.Timeout | Generator[simpy.Event, Any, None]:
        """:meth:`task_then` as a step: served at once, its one timeout (no generator; speed,
        issue 17), otherwise the process that waits for the task, then ``then`` minutes."""
        now = self.env._now
        if self._lazy_next <= now or self.due_next <= now:
            self._catch_up(now)
        if not self.queue and not self.closed:
            last = now + minutes + then
            # served at once: one timeout for the task and the tour, if it ends where two
            # would; the person is let go at the task's end
            if now + (last - now) == last and self._start_now(now, minutes):
                return timeout(self.env, last - now)
        return self._task_then_queued(minutes, then)

    def _task_then_queued(self, minutes: float, then: float) -> Generator[simpy.Event, Any, None]:
        yield self.task(minutes)
        if then:
            yield timeout(self.env, then)

    def start(self, minutes: float, done: simpy.Event | None = None) -> None:
        """Queue a task of ``minutes`` that nothing waits on, unless ``done`` is given (it
        fires when the task is done or withdrawn). No SimPy process: the person is taken now
        or by :meth:`_dispatch`, and let go by a timeout's callback or, for a task nothing
        waits on, without an event (:meth:`_begin_lazy`; speed, issue 17)."""
        now = self.env._now
        if self._lazy_next <= now or self.due_next <= now:
            self._catch_up(now)
        if done is None:
            self.start_at(now, minutes)
        elif self.closed:
            self.unserved += 1
            done.succeed()
        else:
            self.queue.append((now, _Task(minutes, done), True))
            self._waiters += 1
            self._dispatch_at(now)

    def start_at(self, when: float, minutes: float) -> None:
        """:meth:`start` a task nothing waits on at ``when``: now, or a time the post is being
        caught up to by its owner's work due then (:meth:`on_due`)."""
        if self.closed:
            self.unserved += 1
            return
        if not self.queue and self._start_now(when, minutes):
            return
        self.queue.append((when, _Task(minutes, None), True))
        self._dispatch_at(when)

    def _start_now(self, when: float, minutes: float) -> bool:
        """Give a task of ``minutes`` asked for at ``when`` to someone free then, let go at its
        end without an event (:meth:`_begin_lazy`); ``False`` if nobody is free. What
        :meth:`_dispatch_at` does for a task nothing waits on, without the queue: this runs
        for every task served at once (``_free_person``, ``_take`` and ``_begin_lazy``,
        inlined; speed, issue 17)."""
        for person in self.people:
            if (person.on_duty and not person.busy and not person.leaving
                    and when < person.shift_end):  # fmt: skip
                person.busy = True
                person.busy_since = when
                self.tasks += 1
                self.response.append(0.0)  # served when asked
                end = when + minutes  # as a timeout would be scheduled
                heappush(self._lazy, (end, next(self._order), person))
                if end < self._lazy_next:
                    self._lazy_next = end
                return True
        return False

    def _finish(self, person: Person, done: simpy.Event | None, _: simpy.Event) -> None:
        self.release(person)
        if done is not None:
            done.succeed()

    def _withdraw_tasks(self, _: simpy.Event) -> None:
        """The post closed for the day: tasks still queued are withdrawn unserved."""
        self.catch_up()
        waiting = [item for item in self.queue if isinstance(item[1], _Task)]
        for item in waiting:
            self.queue.remove(item)
            self.unserved += 1
            task = item[1]
            if isinstance(task, _Task) and task.done is not None:
                self._waiters -= 1
                task.done.succeed()

    def _dispatch(self) -> None:
        if self.queue:
            self._dispatch_at(self.env._now)

    def _dispatch_at(self, now: float) -> None:
        """Give free people to the queue at ``now`` (the clock, or the time caught up to:
        then nothing in the queue waits, see :meth:`_catch_up`)."""
        queue = self.queue
        while queue:
            person = self._free_person(now)
            if person is None:
                break
            asked, target, counted = queue.popleft()
            self._take(person, now, asked, counted)
            if type(target) is _Task:
                task = target
                if task.done is None:
                    self._begin_lazy(person, now + task.minutes)  # as a timeout would end
                    continue
                self._waiters -= 1
                ends = timeout(self.env, task.minutes)
                ends.callbacks.append(partial(self._finish, person, task.done))
            else:
                self._waiters -= 1
                cast(simpy.Event, target).succeed(person)
        if self._waiters and self._lazy:  # someone waits: who frees up next must be an event
            self._materialize_first()
