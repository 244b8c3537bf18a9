"""A map over forked worker processes, for sizing steps whose items are independent.

The items and the function are inherited by the workers when they are forked (nothing is
pickled but the item's index and the result), so a step can hand them the simulated days it
already holds. The results are those of the plain map, in order, for any number of workers;
a worker that dies raises :class:`~sim.core.workers.WorkerLost`.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sim.core.workers import Workers

T = TypeVar("T")
R = TypeVar("R")

_TASK: dict[str, Any] = {}


def _init(fn: Callable[[Any], Any], items: Sequence[Any]) -> None:
    _TASK["fn"], _TASK["items"] = fn, items


def _run(i: int) -> Any:
    return _TASK["fn"](_TASK["items"][i])


def forked_map(fn: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``[fn(x) for x in items]``, on up to ``workers`` forked processes when there are more
    than one of each (and processes can be forked), else in this process."""
    n = min(workers, len(items))
    if n < 2 or "fork" not in mp.get_all_start_methods():
        return [fn(x) for x in items]
    pool: Workers[int, R] = Workers(n, _init, (fn, items), _run)
    try:
        out = pool.map_in_order(range(len(items)))
    except BaseException:
        pool.close(abort=True)
        raise
    pool.close()
    return out
