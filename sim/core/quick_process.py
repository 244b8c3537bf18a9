"""A SimPy process for the many short ones of a day (a visitor group's journey, a phone call):
it starts at once instead of through an ``Initialize`` event, and its end is scheduled as an
event only when something waits on it (speed, issue 17: two SimPy events fewer per process).

Otherwise it is a :class:`simpy.Process`: it is an event (fired with the generator's return
value), a failed event it waits on is thrown into the generator, and an exception escaping
the generator propagates to whoever runs the environment.
"""

from __future__ import annotations

from collections.abc import Generator
from heapq import heappush
from typing import Any

import simpy
from simpy.events import NORMAL, PENDING

ProcessGenerator = Generator[simpy.Event, Any, Any]


class QuickProcess(simpy.Event):
    """Run ``generator`` now, up to its first wait; see the module docstring."""

    def __init__(self, env: simpy.Environment, generator: ProcessGenerator) -> None:
        # Event.__init__ inlined, as simpy.Process does
        self.env = env
        self.callbacks: list[Any] | None = []  # type: ignore[assignment]
        self._value = PENDING
        self._generator = generator
        self._wake = self._advance  # the callback on what it waits for, bound once
        self._advance(None)

    def _resume(self, event: simpy.Event) -> None:
        self._advance(event)

    def _advance(self, event: simpy.Event | None) -> None:
        """Send ``event``'s value (or throw its failure) into the generator until it waits on
        an event not yet processed, or ends."""
        generator = self._generator
        try:
            while True:
                if event is None:
                    event = generator.send(None)
                elif event._ok:
                    event = generator.send(event._value)
                else:
                    event._defused = True
                    failure = event._value
                    exc = type(failure)(*failure.args)
                    exc.__cause__ = failure
                    event = generator.throw(exc)
                if event.callbacks is not None:
                    event.callbacks.append(self._wake)
                    return
        except StopIteration as stop:
            # the bound callback refers back to this process: dropping it (and the spent
            # generator) lets reference counting free the process at once, not the cyclic
            # garbage collector later (~310 objects of a weekend day were these; issue 17)
            self._wake = self._generator = None  # type: ignore[assignment]
            self._ok = True
            self._value = stop.value
            if self.callbacks:
                self.env.schedule(self)
            else:  # nothing waits: processed now, so a later ``yield`` on it goes on at once
                self.callbacks = None


_new = object.__new__
_Environment = simpy.Environment
_Timeout = simpy.Timeout


def timeout(env: simpy.Environment, delay: float) -> simpy.Timeout:
    """``env.timeout(delay)``, built without ``Timeout.__init__`` and ``Environment.schedule``:
    the same event, scheduled with the same priority and the next event id (so in the same
    order), for the many timeouts of a day (speed, issue 17). An environment of a subclass
    (one that may schedule its own way) gets ``env.timeout``."""
    if type(env) is not _Environment:
        return env.timeout(delay)
    if delay < 0:
        raise ValueError(f"Negative delay {delay}")
    event = _new(_Timeout)
    event.env = env
    event.callbacks = []
    event._value = None
    event._delay = delay
    event._ok = True
    heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), event))
    return event
