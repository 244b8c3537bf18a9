"""Replications of a scenario, and their summary with confidence intervals.

:func:`run` is the one entry point: it runs replications ``0..n-1`` (in parallel on every local
core by default, or on a Dask cluster), stores each as it finishes when given a
:class:`~sim.experiment.store.Store` (and reuses what a previous, interrupted run stored), and
can choose ``n`` itself to reach a target confidence-interval width on one KPI.

Replication ``i`` depends only on (scenario, seed, i, policy), so the figures are identical
whatever the worker count, the executor, the batch order or a resume.

Memory: only the first ``table_days`` replications (default 100) keep their tidy tables
(visits, assignments, ...); later ones are simulated at level ``"kpi"``, which gives the same
KPIs and rep statistics, and are held packed (:class:`~sim.experiment.days.DaySeries`, ~1.5 KB
a day). A 10,000-replication result thus holds 100 table sets and 10,000 small KPI records.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.core.stats import Estimate, estimate
from sim.domain.kpis import BY_KEY
from sim.domain.results import DayResult, Level
from sim.experiment.days import DaySeries, Entry, Packer, kpi_value, kpi_values
from sim.experiment.executor import Batch, Job, make_executor
from sim.experiment.integrity import Damaged, damage_note
from sim.experiment.progress import Quiet, reporter
from sim.experiment.store import RunRecord, Store, run_key
from sim.experiment.target import PrecisionTarget, TargetError, next_size
from sim.experiment.versioning import code_version, scenario_hash
from sim.policies import RotationPolicy, policy_class
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    import pandas as pd  # the notebook API only; imported when a frame is asked for

TABLE_DAYS = 100


@dataclass(frozen=True)
class RunResult:
    """Replicated days of one scenario under one policy; explains where it came from.

    ``days`` is a sequence of :class:`~sim.model.DayResult` (a compact
    :class:`~sim.experiment.days.DaySeries`: each access rebuilds the day, so use
    :meth:`kpi_values` to read one KPI over all days). ``run_key`` identifies the run in the
    results store; ``reused`` counts the replications loaded from the store instead of
    simulated; ``meta`` holds ``workers``, ``executor`` and, for a target run, ``target`` and
    ``target_met`` (``"yes"``/``"no"``).
    """

    scenario: Scenario
    seed: int
    policy: str
    days: Sequence[DayResult]
    summary: dict[str, Estimate]
    scenario_hash: str
    code_version: str
    started: str
    wall_seconds: float
    meta: dict[str, str] = field(default_factory=dict)
    run_key: str = ""
    reused: int = 0

    @property
    def replications(self) -> int:
        """Number of simulated days."""
        return len(self.days)


    def kpi_values(self, key: str) -> list[float]:
        """One KPI over every day, in replication order (fast: no day is rebuilt)."""
        return kpi_values(self.days, key)

    def to_frame(self) -> pd.DataFrame:
        """The summary as a DataFrame: one row per KPI (index ``kpi``) with its Chinese and
        English label, unit, section, mean and 95% CI (``ci_low``, ``ci_high``), ``n``."""
        from sim.experiment.frames import summary_frame

        return summary_frame(self.summary)

    def days_frame(self) -> pd.DataFrame:
        """One row per simulated day (index ``replication``), one column per KPI."""
        from sim.experiment.frames import days_frame

        return days_frame({key: self.kpi_values(key) for key in self.summary})

    def table(self, name: str) -> pd.DataFrame:
        """A per-day table with named columns, over the days that kept tables: ``visits``,
        ``assignments``, ``vip_rooms``, ``sample_houses``, ``post_hours`` or ``reps``."""
        from sim.experiment.frames import table_frame

        return table_frame(self.days, name)


def summarize(days: Sequence[DayResult], level: float = 0.95) -> dict[str, Estimate]:
    """Mean and confidence interval of every KPI (those of the first day) over the days."""
    keys = list(days[0].kpis)
    return {k: estimate(kpi_values(days, k), level) for k in keys}


def policy_name(scenario: Scenario, policy: str | type[RotationPolicy] | None) -> str:
    """The name the model will report for ``policy`` (default: the scenario's)."""
    cls = policy if isinstance(policy, type) else policy_class(policy or scenario.policy)
    return cls.name or cls.__name__


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run(
    scenario: Scenario,
    replications: int = 20,
    seed: int = 0,
    policy: str | type[RotationPolicy] | None = None,
    level: Level = "full",
    workers: int | None = None,
    scheduler: str | None = None,
    store: Store | None = None,
    progress: bool = False,
    target: PrecisionTarget | None = None,
    table_days: int = TABLE_DAYS,
    meanwhile: Callable[[], object] | None = None,
) -> RunResult:
    """Simulate ``replications`` independent days; replication ``i`` always uses stream ``i``.

    - ``workers``: local processes (default: every core; 1 = in this process). Small runs
      (under ~32 replications to simulate) always run in this process.
    - ``scheduler``: a Dask scheduler address (``tcp://host:port``); overrides ``workers``.
      Raises :class:`~sim.experiment.executor.SchedulerError` if it cannot be reached.
    - ``store``: a results store; each replication is saved as it finishes, and replications
      already stored for the same run key (scenario content, seed, policy, level; same code
      version) are reused instead of simulated. A stored replication that fails its digest
      or cannot be decoded is dropped, named in a warning on stderr and simulated again.
    - ``progress``: draw a progress bar on stderr.
    - ``target``: choose the number of replications sequentially (``replications`` is then the
      pilot size, at least 2) until the target KPI's half-width is reached or the cap.
    - ``table_days``: replications ``0..table_days-1`` keep their tables at level ``"full"``.
    - ``meanwhile``: work for this process while worker processes simulate (the CLI imports
      and warms up plotting), run in a thread once the workers exist; skipped when the days
      are simulated in this process. Its errors are ignored: it may only prepare.
    """
    if replications < 1:
        raise ValueError("replications must be at least 1")
    started, t0 = _now(), time.perf_counter()
    job = Job(scenario, seed, policy or scenario.policy, level, table_days)
    record = _record(job, replications, target, started)
    pack = Packer()
    days = _stored(store, record, job, pack)
    reused = set(days)
    n = max(2, replications) if target else replications
    work = (target.max_replications if target else n) - len(days)
    with make_executor(job, workers, scheduler, work) as executor, reporter(progress) as bar, \
            _beside(meanwhile if executor.workers > 1 else None):  # fmt: skip
        while True:
            missing = [i for i in range(n) if i not in days]
            bar.start(n, n - len(missing))
            _simulate(executor.map(missing), days, store, record.run_key, bar, pack)
            grow = next_size(target, _values(days, n, target)) if target else None
            if grow is None:
                break
            n = grow
        meta = {"workers": str(executor.workers), "executor": type(executor).__name__}
    chosen = DaySeries(days[i] for i in range(n))
    if target:
        met = target.met(estimate(chosen.kpi_values(target.kpi)))
        meta |= {"target": str(target), "target_met": "yes" if met else "no"}
    result = RunResult(
        scenario=scenario, seed=seed, policy=record.policy, days=chosen,
        summary=summarize(chosen), scenario_hash=record.scenario_hash,
        code_version=record.code_version, started=started,
        wall_seconds=time.perf_counter() - t0, meta=meta, run_key=record.run_key,
        reused=len(reused & set(range(n))),
    )  # fmt: skip
    if store is not None:
        store.finish(record.run_key, n, _now(), result.wall_seconds, _summary_json(result))
    return result


@contextmanager
def _beside(work: Callable[[], object] | None) -> Iterator[None]:
    """Run ``work`` in a thread during the block; wait for it at the end."""
    if work is None:
        yield
        return

    def guarded() -> None:
        with suppress(Exception):  # preparation only: the real call raises later
            work()

    thread = threading.Thread(target=guarded, name="salesim-meanwhile", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()


@cache
def source_digest() -> str:
    """A short hash of the ``sim`` package's source files."""
    root = Path(__file__).resolve().parents[1]  # the sim package
    sha = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        sha.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()[:10]


def code_identity() -> str:
    """The code version plus :func:`source_digest`: stored results are reused only by the very
    same code (a checkout edited after a run, even one already '.dirty', differs)."""
    return f"{code_version()} src {source_digest()}"


def _record(job: Job, replications: int, target: PrecisionTarget | None, started: str) -> RunRecord:
    """The run's row in the store: its key and provenance."""
    sc, name = job.scenario, policy_name(job.scenario, job.policy)
    digest = scenario_hash(sc)
    return RunRecord(
        run_key(digest, job.seed, name, job.level), sc.name, digest, name, job.seed, job.level,
        code_identity(), replications, str(target or ""), None, started, started, None, None,
    )  # fmt: skip


def _stored(store: Store | None, record: RunRecord, job: Job, pack: Packer) -> dict[int, Entry]:
    """Stored replications worth reusing (those that must keep tables need them stored).

    Damaged ones (see :meth:`Store.days`) are dropped from the store, with one warning on
    stderr; being missing, they are simulated again like any other."""
    if store is None:
        return {}
    store.begin(record, json.dumps(job.scenario.model_dump(mode="json")))
    damaged: list[Damaged] = []
    days = {
        d.replication: pack(d)
        for d in store.days(record.run_key, damaged)
        if d.tables is not None or not job.wants_tables(d.replication)
    }
    if damaged:
        note = damage_note(record.run_key, damaged)
        print(f"salesim: warning: {note}; dropped and simulated again", file=sys.stderr)
        store.drop(record.run_key, [d.replication for d in damaged])
    return days


def _values(days: dict[int, Entry], n: int, target: PrecisionTarget) -> list[float]:
    """The target KPI over replications ``0..n-1``."""
    try:
        return [kpi_value(days[i], target.kpi) for i in range(n)]
    except KeyError:
        raise TargetError(f"this scenario has no KPI '{target.kpi}'") from None


def _simulate(
    batches: Iterator[Batch],
    days: dict[int, Entry],
    store: Store | None,
    key: str,
    bar: Quiet,
    pack: Packer,
) -> None:
    """Collect finished batches (packed), storing each as it arrives."""
    for batch in batches:
        if store is not None:
            store.add(key, [encoded for _, encoded in batch])
        for day, _ in batch:
            days[day.replication] = pack(day)
        bar.advance(len(batch))


def _num(x: float) -> float | None:
    return None if math.isnan(x) else x


def summary_dict(result: RunResult) -> dict[str, Any]:
    """The run's summary as plain data (what ``--json`` prints and ``summary.json`` holds)."""
    kpis = {}
    for key, est in result.summary.items():
        k = BY_KEY[key]
        kpis[key] = {
            "zh": k.zh, "en": k.en, "unit": k.unit, "section": k.section,
            "mean": _num(est.mean), "ci_low": _num(est.low), "ci_high": _num(est.high),
            "half_width": _num(est.half_width), "n": est.n,
        }  # fmt: skip
    return {
        "scenario": result.scenario.name,
        "scenario_hash": result.scenario_hash,
        "policy": result.policy,
        "seed": result.seed,
        "replications": result.replications,
        "confidence": 0.95,
        "code_version": result.code_version,
        "started": result.started,
        "wall_seconds": round(result.wall_seconds, 3),
        "kpis": kpis,
    }


def _summary_json(result: RunResult) -> str:
    return json.dumps(summary_dict(result), ensure_ascii=False)
