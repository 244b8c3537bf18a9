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


def test_a_party_taking_several_places_blocks_those_behind_it() -> None:
    """A sample unit of 3 places (F5): a delegation asking for 2 waits in turn, and a group
    behind it asking for 1 does not jump the line even when 1 place is free."""
    env = simpy.Environment()
    unit = CountPool(env, 3)
    assert unit.take(2) and unit.free == 1
    delegation = unit.wait(2)
    assert not unit.take(1)  # someone waits before: no place is taken past them
    single = unit.wait(1)
    unit.release(1)  # 2 free: the delegation takes both, the single group still waits
    assert delegation.triggered and not single.triggered and unit.free == 0
    unit.release(2)
    assert single.triggered and unit.free == 1 and unit.used == 2
