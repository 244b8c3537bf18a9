"""Forked worker processes for sizing steps that do not depend on each other.

- :func:`forked_map`: a map whose items are independent; the items and the function are
  inherited by the workers when they are forked (nothing is pickled but the item's index and
  the result), so a step can hand them the simulated days it already holds. The results are
  those of the plain map, in order, for any number of workers; a worker that dies raises
  :class:`~sim.core.workers.WorkerLost`.
- :class:`Beside`: one call worked out in a forked child while the caller goes on with other
  steps (with one worker: in the caller, when the answer is asked for); the same answer
  either way, as the call sees only what it was handed.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

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


def _call(conn: Any, fn: Callable[[], Any]) -> None:
    try:
        conn.send(("ok", fn()))
    except Exception as exc:  # the parent raises it
        conn.send(("error", exc))
    finally:
        conn.close()


class Beside(Generic[R]):
    """``fn()`` in a forked child started at once (with more than one worker, where processes
    can be forked), else in this process when :meth:`result` asks for it. ``fn`` must not
    depend on what this process does after the fork (the child sees the state at the fork;
    the fallback, the state at :meth:`result`)."""

    def __init__(self, fn: Callable[[], R], workers: int) -> None:
        self._fn = fn
        self._answer: tuple[R] | None = None
        self._child: tuple[Any, Any] | None = None
        if workers >= 2 and "fork" in mp.get_all_start_methods():
            ctx = mp.get_context("fork")
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_call, args=(child, fn), daemon=True)
            proc.start()
            child.close()
            self._child = (proc, parent)

    def result(self) -> R:
        """The answer (the child's; worked out here without a child, or when it died),
        kept for a later call."""
        if self._answer is None:
            self._answer = (self._ask(),)
        return self._answer[0]

    def _ask(self) -> R:
        if self._child is None:
            return self._fn()
        try:
            status, value = self._child[1].recv()
        except EOFError:  # the child died before it answered: the same answer, here
            self.cancel()
            return self._fn()
        finally:
            self.cancel()
        if status != "ok":
            raise value
        out: R = value
        return out

    def cancel(self) -> None:
        """Stop the child if it is still running (its answer is not wanted)."""
        if self._child is None:
            return
        proc, conn = self._child
        if proc.is_alive():
            proc.terminate()
        proc.join()
        conn.close()
        self._child = None
