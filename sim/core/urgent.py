"""A SimPy timeout that is processed before anything else at its instant."""

from __future__ import annotations

import simpy


def urgent_timeout(env: simpy.Environment, delay: float) -> simpy.Event:
    """A timeout scheduled with URGENT priority: a shift ends before a person freed at that
    same instant could be given new work."""
    event = simpy.Event(env)
    event._ok, event._value = True, None
    env.schedule(event, simpy.events.URGENT, delay)
    return event
