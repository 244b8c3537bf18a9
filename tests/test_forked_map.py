"""sim/event_sizing/forked.py: the map over forked workers gives the plain map's results in
order, and the workers do run in other processes (where the function and items are
inherited, not pickled: a lambda over local data works)."""

from __future__ import annotations

import os

from sim.event_sizing.forked import forked_map


def test_forked_map_is_the_plain_map_in_order() -> None:
    data = {i: i * i for i in range(7)}  # local data the lambda closes over
    items = list(range(7))
    want = [data[i] + 1 for i in items]
    for workers in (1, 2, 3, 8):
        assert forked_map(lambda i: data[i] + 1, items, workers) == want
    assert forked_map(lambda i: i, [], 2) == []


def test_forked_map_runs_in_other_processes_only_with_workers() -> None:
    here = os.getpid()
    assert set(forked_map(lambda _: os.getpid(), range(4), 1)) == {here}
    pids = set(forked_map(lambda _: os.getpid(), range(4), 2))
    assert here not in pids and 1 <= len(pids) <= 2
