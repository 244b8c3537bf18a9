"""Shared pieces of the benchmark scripts: the bare-SimPy reference and timing helpers.

Not a test module: the scripts in this folder import it (``python benchmarks/bench_*.py`` puts
this folder on ``sys.path``).
"""

from __future__ import annotations

import gc
import math
import platform
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from typing import Any

import simpy

Process = Generator[simpy.Event, Any, None]


@dataclass(frozen=True)
class Outcome:
    """What one benchmarked run produced: how many customers and their mean wait (minutes)."""

    customers: int
    mean_wait: float


@dataclass(frozen=True)
class Timed:
    """One timed run."""

    seconds: float
    outcome: Outcome

    @property
    def rate(self) -> float:
        """Customers (or groups) per wall-clock second."""
        return self.outcome.customers / self.seconds


def bare_simpy_mmc(customers: int, c: int, lam: float, mu: float, seed: int) -> Outcome:
    """Idiomatic SimPy M/M/c: a source process, a Resource, one process per customer.

    Each customer requests a server, holds it for an exponential time and releases it; each
    wait is appended to a list (what a hand-written model would keep to report waits).
    """
    rng = random.Random(seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=c)
    waits: list[float] = []

    def customer() -> Process:
        arrived = env.now
        with servers.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(mu))

    def source() -> Process:
        for _ in range(customers):
            yield env.timeout(rng.expovariate(lam))
            env.process(customer())

    env.process(source())
    env.run()
    return Outcome(len(waits), math.fsum(waits) / len(waits))


def timed(run: Callable[[], Outcome]) -> Timed:
    """Run once after a full garbage collection; wall-clock time of the run only."""
    gc.collect()
    t0 = time.perf_counter()
    outcome = run()
    return Timed(time.perf_counter() - t0, outcome)


def peak_memory(run: Callable[[], Outcome]) -> tuple[float, Outcome]:
    """Peak traced memory (bytes above what was allocated before) of one run.

    tracemalloc must already be started; timings are never taken with it running.
    """
    gc.collect()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    outcome = run()
    peak = tracemalloc.get_traced_memory()[1]
    return float(peak - before), outcome


def interleaved(
    runs: dict[str, Callable[[int], Outcome]], repeats: int, progress: bool = True
) -> dict[str, list[Timed]]:
    """Time every run ``repeats`` times, alternating which goes first (``runs[k](repeat)``)."""
    names = list(runs)
    out: dict[str, list[Timed]] = {name: [] for name in names}
    for r in range(repeats):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            out[name].append(timed(partial(runs[name], r)))
        if progress:
            done = ", ".join(f"{n} {out[n][-1].seconds:.2f}s" for n in names)
            print(f"  repeat {r + 1}/{repeats}: {done}", flush=True)
    return out


def best_rate(timings: Sequence[Timed]) -> float:
    """The best (highest) rate: the run least disturbed by the machine's noise."""
    return max(t.rate for t in timings)


def median_rate(timings: Sequence[Timed]) -> float:
    """The median rate."""
    return statistics.median(t.rate for t in timings)


def paired_ratio(num: Sequence[Timed], den: Sequence[Timed]) -> float:
    """Median over repeats of rate(num) / rate(den), each pair measured back to back."""
    return statistics.median(a.rate / b.rate for a, b in zip(num, den, strict=True))


def verdict(value: float, target: float, higher_is_better: bool = True) -> str:
    """'ok' or 'MISSED' against a target."""
    good = value >= target if higher_is_better else value <= target
    return "ok" if good else "MISSED"


def versions(*packages: str) -> str:
    """Python and package versions, for the header of a report."""
    parts = [f"python {platform.python_version()}"]
    for name in packages:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    return ", ".join(parts)
