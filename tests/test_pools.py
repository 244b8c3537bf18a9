"""VIP rooms and tables as first-come-first-served pools (issue 17 item 2): what is free is
taken without a SimPy event; a waiter is served in turn when something is given back (F6)."""

from __future__ import annotations

import simpy

from sim.office.pools import CountPool, ItemPool


def test_rooms_go_oldest_returned_first_and_waiters_in_turn() -> None:
    env = simpy.Environment()
    rooms = ItemPool(env, [0, 1])
    assert rooms.take() == 0 and rooms.take() == 1 and rooms.take() is None
    first, second, gone = rooms.wait(), rooms.wait(), rooms.wait()
    rooms.cancel(gone)  # its wait ran out
    rooms.put(1)
    rooms.put(0)
    assert first.value == 1 and second.value == 0
    rooms.put(1)
    assert not gone.triggered and rooms.items == [1]


def test_a_table_is_not_taken_past_someone_waiting() -> None:
    env = simpy.Environment()
    tables = CountPool(env, 1)
    assert tables.take() and not tables.take()
    waiter = tables.wait()
    tables.release()  # goes to the waiter: still one in use
    assert waiter.triggered and tables.used == 1 and not tables.take()
    tables.release()
    assert tables.used == 0 and tables.take()
