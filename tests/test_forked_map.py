"""sim/event_sizing/forked.py: the map over forked workers gives the plain map's results in
order, and the workers do run in other processes (where the function and items are
inherited, not pickled: a lambda over local data works); a call beside the caller (Beside)
gives its answer from a child, raises its error, and is worked out here when the child dies."""

from __future__ import annotations

import os
import signal

import pytest

from sim.event_sizing.forked import Beside, forked_map


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


def test_beside_gives_the_answer_from_a_child_with_workers() -> None:
    here = os.getpid()
    data = [3, 4]
    alone = Beside(lambda: (sum(data), os.getpid()), 1)
    data.append(5)  # without a child the call runs when asked, on the state then
    assert alone.result() == (12, here)
    beside = Beside(lambda: (sum(data), os.getpid()), 2)
    total, pid = beside.result()
    assert total == 12 and pid != here
    assert beside.result() == (total, pid)  # kept, not asked again


def test_beside_raises_the_childs_error_and_redoes_a_lost_answer() -> None:
    def fails() -> int:
        raise ValueError("no plan")

    with pytest.raises(ValueError, match="no plan"):
        Beside(fails, 2).result()
    here = os.getpid()

    def dies_in_a_child() -> int:
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        return 7

    assert Beside(dies_in_a_child, 2).result() == 7  # worked out here instead
