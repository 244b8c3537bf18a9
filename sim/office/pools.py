"""First-come-first-served pools of the office (VIP rooms, negotiation tables, the places of
a sample unit) without a SimPy event for what is free at once: only a group that has to wait
gets one (speed, issue 17). Taken in the order asked, as a SimPy ``Store`` and ``Resource``
give them."""

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
    """``capacity`` interchangeable places (tables; a sample unit's places, of which a
    delegation takes several): a count and a first-come-first-served line of those waiting (a
    waiting caller blocks those behind it, as a SimPy ``Container`` does)."""

    __slots__ = ("capacity", "env", "free", "waiting")

    def __init__(self, env: simpy.Environment, capacity: int) -> None:
        self.env = env
        self.capacity = capacity
        self.free = capacity
        self.waiting: deque[tuple[int, simpy.Event]] = deque()

    @property
    def used(self) -> int:
        """Places taken now."""
        return self.capacity - self.free

    def take(self, slots: int = 1) -> bool:
        """Take ``slots`` places now if nobody waits before and they are free."""
        if self.waiting or self.free < slots:
            return False
        self.free -= slots
        return True

    def wait(self, slots: int = 1) -> simpy.Event:
        """An event that fires once ``slots`` places are taken for the caller, in turn."""
        event = self.env.event()
        self.waiting.append((slots, event))
        return event

    def release(self, slots: int = 1) -> None:
        """``slots`` places are given back: to those waiting, in turn, else they are free."""
        self.free += slots
        waiting = self.waiting
        while waiting and waiting[0][0] <= self.free:
            taken, event = waiting.popleft()
            self.free -= taken
            event.succeed()
