"""Worker processes for the local pools: one pipe each, every worker watched while a map runs.

``multiprocessing.Pool`` hands tasks out through one queue that its idle workers read behind a
shared lock. A worker killed mid-task (out of memory, killed by hand) loses its task, and the
pool's map waits for it for ever; one killed while it waits for a task keeps that lock, so no
other worker gets one, and ending the pool waits for the lock too. Here each worker reads its
own pipe and nothing is shared, so the parent waits on the pipes and the processes' sentinels
together: a worker that dies ends the map at once with :class:`WorkerLost` (the caller then
stops the others); every result handed over before then stays the caller's (a run has stored
its days).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import pickle
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from sim.core.collector import collector_paused

T = TypeVar("T")
R = TypeVar("R")

CLOSE_WAIT_S = 5.0  # how long a worker may take to exit after it is told to stop


class WorkerLost(RuntimeError):
    """A worker process died while a map was running (killed, out of memory)."""


def _as_worker() -> None:
    """Ctrl-C is the parent's to handle (it ends the workers); a worker dies with its
    parent, even on SIGKILL (Linux), instead of waiting on its pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _serve(conn: Connection, setup: Callable[..., None], setup_args: tuple[Any, ...],
           task: Callable[[Any], Any]) -> None:  # fmt: skip
    """A worker: ``setup(*setup_args)``, then ``task`` on each ``(key, item)`` read, until
    ``None``; each reply is ``(key, "ok", result)`` or ``(key, "error", exception)``. The
    cyclic collector runs between tasks, not during them (:mod:`sim.core.collector`; a worker
    forked while its parent had it paused starts with it on)."""
    _as_worker()
    gc.enable()
    setup(*setup_args)
    while True:
        try:
            message = conn.recv()
        except EOFError:  # the parent has gone
            return
        if message is None:
            return
        key, item = message
        try:
            with collector_paused():
                result = task(item)
            reply: tuple[int, str, Any] = (key, "ok", result)
        except Exception as exc:  # re-raised by the parent (a stalled day, say)
            reply = (key, "error", exc)
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            failed = RuntimeError(f"a worker's result cannot be sent back: {exc}")
            conn.send((key, "error", failed))


class Workers(Generic[T, R]):
    """``count`` processes that run ``task`` on the items of :meth:`map`, in any order, each
    after ``setup(*setup_args)`` (started at once; :meth:`close` ends them). They are forked
    where the OS can (they inherit the caller's state: nothing of it is pickled)."""

    def __init__(self, count: int, setup: Callable[..., None], setup_args: tuple[Any, ...],
                 task: Callable[[T], R]) -> None:  # fmt: skip
        context = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else None)
        self.procs: list[Any] = []
        self._conns: list[Connection] = []
        self._in_flight: set[Connection] = set()
        for _ in range(count):
            mine, theirs = context.Pipe()
            proc = context.Process(target=_serve, args=(theirs, setup, setup_args, task),
                                   daemon=True)  # fmt: skip
            proc.start()
            theirs.close()
            self.procs.append(proc)
            self._conns.append(mine)

    def map(self, items: Sequence[T]) -> Iterator[R]:
        """``task`` of every item, as each finishes; raises :class:`WorkerLost` when a worker
        dies, and a task's own error as it arrives (the caller then closes with ``abort``).
        A map its caller stops reading leaves its tasks running: their results are dropped
        by the next map."""
        for _, out in self._keyed(items):
            yield out
            del out  # nothing kept once handed over

    def map_in_order(self, items: Sequence[T]) -> list[R]:
        """``[task(x) for x in items]`` on the workers (see :meth:`map`)."""
        out: list[Any] = [None] * len(items)
        for key, result in self._keyed(items):
            out[key] = result
        return out

    def _keyed(self, items: Sequence[T]) -> Iterator[tuple[int, R]]:
        self._drain()
        todo = deque(enumerate(items))
        idle = list(self._conns)
        sentinels = [p.sentinel for p in self.procs]
        while todo and idle:
            self._send(idle.pop(), todo.popleft())
        while self._in_flight:
            for ready in wait([*self._in_flight, *sentinels]):
                if not isinstance(ready, Connection):
                    raise WorkerLost(self._lost())
                key, status, out = self._receive(ready)
                if todo:
                    self._send(ready, todo.popleft())
                if status != "ok":
                    raise out
                yield key, out
                del out

    def _send(self, conn: Connection, message: tuple[int, T]) -> None:
        try:
            conn.send(message)
        except OSError:  # the worker has died (a broken pipe)
            raise WorkerLost(self._lost()) from None
        self._in_flight.add(conn)

    def _receive(self, conn: Connection) -> tuple[int, str, Any]:
        try:
            reply: tuple[int, str, Any] = conn.recv()
        except (EOFError, OSError):  # died before its reply, or while sending it ("got end
            raise WorkerLost(self._lost()) from None  # of file during message")
        self._in_flight.discard(conn)
        return reply

    def _drain(self) -> None:
        """Drop the results of a map its caller stopped reading (they belong to no one)."""
        for conn in list(self._in_flight):
            self._receive(conn)

    def _lost(self) -> str:
        codes = [p.exitcode for p in self.procs if p.exitcode is not None]
        return f"a worker process died (exit code {codes[0] if codes else '?'})"

    def close(self, abort: bool = False) -> None:
        """End the workers: at once with ``abort`` (their tasks are dropped), else once each
        has finished what it was given."""
        if not abort:
            for conn in self._conns:
                if conn in self._in_flight:
                    abort = True
                    break
                with contextlib.suppress(OSError):  # it has died: nothing to tell it
                    conn.send(None)
        for proc in self.procs:
            if abort and proc.is_alive():
                proc.kill()
            proc.join(CLOSE_WAIT_S)
            if proc.is_alive():  # pragma: no cover - a worker that ignored its stop
                proc.kill()
                proc.join()
        for conn in self._conns:
            conn.close()
        self._in_flight.clear()
        self._conns = []
