"""First-come-first-served pools of the office (VIP rooms, negotiation tables) without a
SimPy event for what is free at once: only a group that has to wait gets one (speed, issue
17). Taken in the order asked, as a SimPy ``Store`` and ``Resource`` give them."""

from __future__ import annotations

from collections import deque
from typing import Generic, TypeVar

import simpy

T = TypeVar("T")


class ItemPool(Generic[T]):
    """Named things (VIP rooms), handed out oldest-returned first."""

    __slots__ = ("env", "items", "waiting")

    def __init__(self, env: simpy.Environment, items: list[T]) -> None:
        self.env = env
        self.items = items
        self.waiting: deque[simpy.Event] = deque()

    def take(self) -> T | None:
        """One now, if one is free (then nobody waits)."""
        return self.items.pop(0) if self.items else None

    def wait(self) -> simpy.Event:
        """An event whose value is the item, in turn."""
        event = self.env.event()
        self.waiting.append(event)
        return event

    def cancel(self, event: simpy.Event) -> None:
        """Stop waiting (the wait ran out)."""
        self.waiting.remove(event)

    def put(self, item: T) -> None:
        """Give ``item`` back: to the first waiting, else to the pool."""
        if self.waiting:
            self.waiting.popleft().succeed(item)
        else:
            self.items.append(item)


class CountPool:
    """``capacity`` interchangeable places (tables)."""

    __slots__ = ("capacity", "env", "used", "waiting")

    def __init__(self, env: simpy.Environment, capacity: int) -> None:
        self.env = env
        self.capacity = capacity
        self.used = 0
        self.waiting: deque[simpy.Event] = deque()

    def take(self) -> bool:
        """Take a place now if one is free and nobody waits before."""
        if self.waiting or self.used >= self.capacity:
            return False
        self.used += 1
        return True

    def wait(self) -> simpy.Event:
        """An event that fires once a place is taken for the caller, in turn."""
        event = self.env.event()
        self.waiting.append(event)
        return event

    def release(self) -> None:
        """A place is given back: to the first waiting, else it is free."""
        if self.waiting:
            self.waiting.popleft().succeed()
        else:
            self.used -= 1
