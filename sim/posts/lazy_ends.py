"""A staffed post's event-less task ends (speed, issue 17): a task nothing waits on lets its
person go without a SimPy event, when the post is next asked for anything, and the work its
owner keeps off the SimPy schedule (S1 refills) runs then too, in time order with those ends.
The base of :class:`~sim.posts.staffed.Post`, which adds the tasks, the queue and the shifts.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from collections.abc import Callable
from functools import partial
from heapq import heapify, heappop, heappush
from typing import Any

import simpy

from sim.posts.records import Person, PostRecords


class EventlessEnds(PostRecords):
    """A post's people and records, with the ends of its event-less tasks kept in a heap and
    booked by :meth:`catch_up` (a subclass keeps the queue, :meth:`_dispatch_at` and
    :meth:`_finish`)."""

    queue: deque[Any]
    """The post's FIFO queue (the subclass's): an end that frees someone serves it."""

    def __init__(self, env: simpy.Environment, people: list[Person], trace: bool) -> None:
        super().__init__(people, trace)
        self.env = env
        # tasks nothing waits on: (end, order, person), a heap, let go without a SimPy event
        # unless one becomes needed (see _begin_lazy)
        self._lazy: list[tuple[float, int, Person]] = []
        self._lazy_next = math.inf  # the earliest end among them
        self.due_next = math.inf
        """When the work its owner keeps off the SimPy schedule is next due (see :meth:`on_due`);
        the owner keeps it up to date."""
        self._run_due: Callable[[float], None] = _no_work
        self._order = itertools.count()

    def _dispatch_at(self, now: float) -> None:
        """Give free people to the queue at ``now`` (the subclass's)."""
        raise NotImplementedError

    def _finish(self, person: Person, done: simpy.Event | None, _: simpy.Event) -> None:
        """A task's timeout fired: let ``person`` go (the subclass's)."""
        raise NotImplementedError

    def on_due(self, run: Callable[[float], None]) -> None:
        """Work of the post's owner kept off the SimPy schedule (S1 refills): before the post
        does anything at a later time, ``run(t)`` is called for each ``t`` = :attr:`due_next`
        reached, in time order with the ends of the event-less tasks (an end first at a tie);
        ``run`` may :meth:`start_at` ``t`` and must move :attr:`due_next` on (speed, issue 17)."""
        self._run_due = run

    def catch_up(self, before: bool = False) -> None:
        """Book what has ended or fallen due by now (``before``: strictly before now, for the
        owner's work), as if each had happened at its time."""
        now = self.env._now
        if self._lazy_next <= now or self.due_next <= now:
            self._catch_up(now, before)

    def _begin_lazy(self, person: Person, end: float) -> None:
        """``person``'s task ends at ``end`` without a SimPy event while nothing waits in the
        queue (speed, issue 17): they are let go, with the same bookkeeping, when the post is
        next asked for anything (:meth:`_catch_up`); it becomes a timeout when something
        waiting queues, the person's shift ends, or the day ends (:meth:`settle`)."""
        heappush(self._lazy, (end, next(self._order), person))
        if end < self._lazy_next:
            self._lazy_next = end

    def _catch_up(self, now: float, before: bool = False) -> None:
        """Let go the people whose event-less tasks have ended by ``now`` and run the owner's
        work due by then (``before``: due strictly before), one at a time in time order: a
        queued task nothing waits on is dispatched at the end that frees someone."""
        lazy = self._lazy
        while True:
            end = self._lazy_next
            due = self.due_next
            if end <= due:
                if end > now:
                    return
                _, _, person = heappop(lazy)
                self._lazy_next = lazy[0][0] if lazy else math.inf
                person.busy = False  # never leaving (see _off_duty)
                self._busy.extend((person.busy_since, end))
                if self.trace is not None:
                    self.trace.append((person.index, person.busy_since, end))
                if self.queue:  # nothing in it waits (else this end was an event)
                    self._dispatch_at(end)
            elif due < now or (due == now and not before):
                self._run_due(due)
            else:
                return

    def _materialize(self, person: Person | None = None) -> None:
        """Give the event-less tasks still running (of ``person``, or all) a timeout at their
        end. ``end - now`` is exact (both clock minutes within a factor of two), so the timeout
        fires at ``end`` itself."""
        now, keep = self.env._now, []
        for item in self._lazy:
            end, _, who = item
            if person is None or who is person:
                timeout = self.env.timeout(end - now)
                timeout.callbacks.append(partial(self._finish, who, None))
            else:
                keep.append(item)
        heapify(keep)
        self._lazy = keep
        self._lazy_next = keep[0][0] if keep else math.inf

    def _materialize_first(self) -> None:
        """Give the first event-less task to end a timeout at its end (see :meth:`_materialize`).
        Only the next release matters to a queued task: the one after gets its timeout when
        the queue is still there then (speed, issue 17)."""
        lazy = self._lazy
        end, _, who = heappop(lazy)
        self._lazy_next = lazy[0][0] if lazy else math.inf
        timeout = self.env.timeout(end - self.env._now)
        timeout.callbacks.append(partial(self._finish, who, None))

    def settle(self) -> bool:
        """The schedule ran empty: book the event-less tasks that have ended and give those
        still running a timeout; ``True`` if the day must run on for them."""
        self.catch_up()
        if not self._lazy:
            return False
        self._materialize()
        return True


def _no_work(_: float) -> None:
    """No owner's work is due (see :meth:`EventlessEnds.on_due`)."""
