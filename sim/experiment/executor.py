"""Where replications run: in this process, on a local process pool, or on a Dask cluster.

A replication is ``simulate_day(scenario, seed, i, policy, level)`` and depends on nothing
else, so running many is a map over the indices ``i``. Every executor yields batches of
(:class:`~sim.model.DayResult`, its encoding for the store) as they finish, in any order; the
caller keys them by ``DayResult.replication``. Results are therefore identical for any
executor and worker count.

The local pool forks its workers (where the OS can) and hands each the :class:`Job` once, in
the pool's initializer, so the scenario is not pickled again for every batch.
"""

from __future__ import annotations

import gc
import importlib
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from sim.core.workers import Workers
from sim.domain.results import DayResult, Level
from sim.experiment.store import EncodedDay, encode_day
from sim.model import simulate_day
from sim.policies import RotationPolicy
from sim.scenario.schema import Scenario

MAX_CHUNK = 100  # replications per task: ~0.4 s of work; bounds what a kill loses
MIN_PARALLEL = 32  # fewer replications than this (~0.1 s of work) run in this process
CONNECT_TIMEOUT_S = 10.0  # how long to try to reach a Dask scheduler


Batch = list[tuple[DayResult, EncodedDay]]


class SchedulerError(ValueError):
    """The Dask scheduler address is malformed or cannot be reached."""


@dataclass(frozen=True)
class Job:
    """What every replication of one run shares.

    ``table_days``: replications with a lower index are simulated at ``level``; the rest at
    level ``"kpi"`` (same KPIs, no tables), so that long runs stay small in memory.
    """

    scenario: Scenario
    seed: int
    policy: str | type[RotationPolicy]
    level: Level
    table_days: int

    def wants_tables(self, i: int) -> bool:
        """Whether replication ``i`` keeps its tables."""
        return self.level == "full" and i < self.table_days

    def day(self, i: int) -> DayResult:
        """Simulate replication ``i``."""
        level: Level = "full" if self.wants_tables(i) else "kpi"
        return simulate_day(self.scenario, self.seed, i, self.policy, level)


def run_batch(job: Job, indices: Sequence[int]) -> Batch:
    """Simulate the replications ``indices``, each with its encoding for the store (the task
    that workers run)."""
    days = [job.day(i) for i in indices]
    return [(day, encode_day(day)) for day in days]


def replication_chunks(indices: Sequence[int], workers: int) -> list[list[int]]:
    """How replications are split into tasks for the workers: ``indices`` in about four tasks
    per worker, each at most ``MAX_CHUNK`` long, in index order."""
    size = max(1, min(MAX_CHUNK, math.ceil(len(indices) / (4 * max(workers, 1)))))
    return [list(indices[k : k + size]) for k in range(0, len(indices), size)]


def local_cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Executor:
    """Runs replications; use as a context manager (``close`` frees workers)."""

    workers = 1

    def __init__(self, job: Job) -> None:
        self.job = job

    def map(self, indices: Sequence[int]) -> Iterator[Batch]:
        """Batches of simulated days, in any order."""
        for chunk in replication_chunks(indices, 4):
            yield run_batch(self.job, chunk)

    def close(self, abort: bool = False) -> None:
        """Release the workers (``abort``: at once, dropping unfinished work)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close(abort=kind is not None)


# -- local process pool ---------------------------------------------------------------------
_JOB: Job | None = None


def _init_worker(job: Job) -> None:
    global _JOB
    _JOB = job


def _pool_batch(indices: list[int]) -> Batch:
    assert _JOB is not None, "worker not initialised"
    return run_batch(_JOB, indices)


class LocalPool(Executor):
    """A process pool on this machine; small maps run in this process instead.

    The workers are forked when the pool is made (before any other thread, such as a progress
    bar's, exists), each with its own pipe (:mod:`sim.core.workers`). A worker that dies
    ends the map with :class:`~sim.core.workers.WorkerLost`; an interrupted map kills
    the workers at once. Either way what they were computing is lost, but everything already
    returned has been stored.
    """

    def __init__(self, job: Job, workers: int) -> None:
        super().__init__(job)
        self.workers = workers
        gc.freeze()  # the workers' collector then leaves inherited objects alone (less copying)
        try:
            self.pool: Workers[list[int], Batch] = Workers(workers, _init_worker, (job,),
                                                           _pool_batch)  # fmt: skip
        finally:
            gc.unfreeze()

    def map(self, indices: Sequence[int]) -> Iterator[Batch]:
        if len(indices) < MIN_PARALLEL:
            yield from super().map(indices)
            return
        yield from self.pool.map(replication_chunks(indices, self.workers))

    def close(self, abort: bool = False) -> None:
        self.pool.close(abort)


# -- Dask -----------------------------------------------------------------------------------
class DaskExecutor(Executor):
    """Replications as batched tasks on a Dask cluster (``dask.distributed``).

    The workers must be able to import ``sim`` (install salesim where they run).
    """

    def __init__(self, job: Job, address: str) -> None:
        super().__init__(job)
        try:
            self.client: Any = _distributed().Client(
                address, timeout=CONNECT_TIMEOUT_S, set_as_default=False
            )
        except (OSError, ValueError, TypeError) as exc:
            reason = _first_line(exc)
            raise SchedulerError(f"cannot connect to the Dask scheduler ({reason})") from exc
        self.workers = max(1, sum(self.client.nthreads().values()))
        self._job_future: Any = self.client.scatter(job, broadcast=True)

    def map(self, indices: Sequence[int]) -> Iterator[Batch]:
        futures = [
            self.client.submit(run_batch, self._job_future, chunk, pure=False)
            for chunk in replication_chunks(indices, self.workers)
        ]
        try:
            for future in _distributed().as_completed(futures, loop=self.client.loop):
                result: Batch = future.result()
                yield result
        finally:
            self.client.cancel([f for f in futures if not f.done()])

    def close(self, abort: bool = False) -> None:
        self.client.close()


def _distributed() -> Any:
    """``dask.distributed``, imported only when a scheduler is used (its API is untyped)."""
    return importlib.import_module("distributed")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def make_executor(job: Job, workers: int | None, scheduler: str | None, work: int) -> Executor:
    """The executor for ``work`` replications: Dask if ``scheduler`` is given, else a local
    pool of ``workers`` processes (default: every core), else (one worker, little work) this
    process."""
    if scheduler:
        return DaskExecutor(job, scheduler)
    count = min(workers or local_cores(), work)
    if count <= 1 or work < MIN_PARALLEL:
        return Executor(job)
    return LocalPool(job, count)
