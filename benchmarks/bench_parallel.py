"""Parallel replications of the weekend scenario: replications/s on 1 worker and on every core,
the speedup against a bare SimPy process pool on the same machine, and peak memory as the
number of replications grows.

The timed runs go through :func:`sim.run` exactly as ``salesim run`` does:
level ``full``
(tables for the first 100 days), every replication committed to a fresh SQLite store. The
reference is a bare-SimPy M/M/c day calibrated to cost what a weekend replication costs, mapped
over ``multiprocessing.Pool`` with the same chunking: the speedup the machine allows. All four
variants (salesim and bare SimPy, 1 and all cores) run back to back in every repeat, rotating
the order, so a neighbour's load hits both alike; speedups are the median of the per-repeat
ratios and best/best; the verdict uses best/best, as a neighbour's load only slows runs down.

Memory: each size runs ``salesim run`` (run, store, tables, plots, report) in a child process;
reported are the peak total PSS of the process tree (shared pages counted once; the verdict
against issue 17's 250 MB), the main process's peak RSS while simulating and at the end (writing
the tables must not double it), and the largest worker's RSS, sampled every 0.1 s.

    .venv/bin/python benchmarks/bench_parallel.py                     # full run (~5 minutes)
    .venv/bin/python benchmarks/bench_parallel.py --replications 400 --repeats 2 --memory 1000
"""

from __future__ import annotations

import argparse
import contextlib
import math
import multiprocessing as mp
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import psutil
from _common import (
    Outcome,
    Timed,
    bare_simpy_mmc,
    best_rate,
    interleaved,
    median_rate,
    paired_ratio,
    verdict,
    versions,
)

from sim import (
    Store,
    load_scenario,
    local_cores,
    replication_chunks,
    run,
    simulate_day,
)

ROOT = Path(__file__).resolve().parent.parent
WEEKEND = ROOT / "scenarios" / "weekend.yaml"
SPEEDUP_TARGET = 1.6  # issue 17 item 4
MEMORY_LIMIT_MB = 250.0  # issue 17 item 5
MMC_CUSTOMERS = 330  # first guess; calibrate() matches a weekend replication's cost


def ours(replications: int, workers: int, scratch: Path, repeat: int) -> Outcome:
    """One timed run through the runner, with a fresh store (nothing to reuse)."""
    scenario = load_scenario(WEEKEND)
    with Store(scratch / f"w{workers}-r{repeat}.sqlite") as store:
        result = run(scenario, replications, seed=repeat, workers=workers, store=store)
    return Outcome(result.replications, result.summary["wait_rep_mean"].mean)


def _mmc_batch(customers: int, indices: list[int]) -> list[float]:
    return [bare_simpy_mmc(customers, 10, 0.016, 0.05, i).mean_wait for i in indices]


def calibrate(samples: int = 30) -> int:
    """Customers per bare M/M/c day so that it costs what one weekend replication costs."""
    scenario = load_scenario(WEEKEND)
    t0 = time.perf_counter()
    for i in range(samples):
        simulate_day(scenario, 0, i, None, "kpi")
    t1 = time.perf_counter()
    _mmc_batch(MMC_CUSTOMERS, list(range(samples)))
    t2 = time.perf_counter()
    return max(10, round(MMC_CUSTOMERS * (t1 - t0) / (t2 - t1)))


def bare_pool(replications: int, workers: int, customers: int, repeat: int) -> Outcome:
    """The reference: bare-SimPy days mapped over a fork pool, or in this process."""
    chunks = replication_chunks(range(repeat * replications, (repeat + 1) * replications), workers)
    batch = partial(_mmc_batch, customers)
    if workers == 1:
        waits = [w for c in chunks for w in batch(c)]
    else:
        with mp.get_context("fork").Pool(workers) as pool:
            waits = [w for b in pool.imap_unordered(batch, chunks) for w in b]
    return Outcome(len(waits), sum(waits) / len(waits))


def speed(runs: dict[str, Callable[[int], Outcome]], repeats: int) -> dict[str, list[Timed]]:
    """Time the four variants, interleaved within each repeat; print their rates."""
    print("\ntimed runs (each repeat runs all four back to back, rotating the order)")
    timings: dict[str, list[Timed]] = interleaved(runs, repeats)
    for label, t in timings.items():
        print(f"  {label:>24}: best {best_rate(t):7.1f} replications/s, "
              f"median {median_rate(t):7.1f}")  # fmt: skip
    return timings


def speedups(one: list[Timed], many: list[Timed]) -> tuple[float, float, list[float]]:
    """Median paired speedup, best/best speedup, and the per-repeat speedups."""
    per_repeat = [a.rate / b.rate for a, b in zip(many, one, strict=True)]
    return paired_ratio(many, one), best_rate(many) / best_rate(one), per_repeat


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def cpu_cost(replications: int, workers: int, scratch: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of this process and CPU seconds of its workers, for one run.

    CPU time hardly depends on a neighbour's load: the parallel run's total over the serial
    run's is the pool's own overhead, whatever the machine is doing.
    """
    me, kids, t0 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
    ours(replications, workers, scratch, 100 + workers)
    wall = time.perf_counter() - t0
    return wall, _cpu(resource.RUSAGE_SELF) - me, _cpu(resource.RUSAGE_CHILDREN) - kids


def cli_wall(replications: int, workers: int) -> float:
    """Wall seconds of ``salesim run weekend -n N --workers W`` end to end, in a child process
    (imports, run, store, tables, plots and report)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "sim.cli", "run", str(WEEKEND), "-n", str(replications),
               "--workers", str(workers), "--out", tmp]  # fmt: skip
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        return time.perf_counter() - t0


def end_to_end(replications: int, repeats: int, scratch: Path) -> None:
    """The CLI's speed-up with 2 workers (issue 17 item 4) and its serial part: the CLI's wall
    time on 1 worker minus the in-process :func:`sim.run` of the same days (imports, plots,
    report, tables). Interleaved; medians."""
    one, two, inner = [], [], []
    for r in range(repeats):
        one.append(cli_wall(replications, 1))
        two.append(cli_wall(replications, 2))
        t0 = time.perf_counter()
        ours(replications, 1, scratch, 200 + r)
        inner.append(time.perf_counter() - t0)
    m1, m2, mi = statistics.median(one), statistics.median(two), statistics.median(inner)
    serial = max(0.0, m1 - mi) / m1
    bound = 1 / (serial + (1 - serial) / 2)
    print(f"\n`salesim run weekend -n {replications}` end to end (median of {repeats}): "
          f"1 worker {m1:.1f} s, 2 workers {m2:.1f} s: speed-up {m1 / m2:.2f}x "
          f"(target >= {SPEEDUP_TARGET}x on an idle machine: {verdict(m1 / m2, SPEEDUP_TARGET)})")
    print(f"  serial part: {m1 - mi:.1f} s of {m1:.1f} s ({serial:.0%}; sim.run itself "
          f"{mi:.1f} s); Amdahl bound with 2 workers {bound:.2f}x")  # fmt: skip


def _hwm_mb(proc: psutil.Process) -> float:
    """The process's peak resident set so far (VmHWM), MB."""
    with open(f"/proc/{proc.pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _sample(proc: psutil.Process, peaks: dict[str, float]) -> None:
    """One sample: the tree's PSS, the main process's peak RSS, the largest child's RSS."""
    total, kids = 0.0, 0.0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied, OSError):
            total += p.memory_full_info().pss
            if p.pid == proc.pid:
                peaks["main_mb"] = _hwm_mb(p)
            else:
                kids = max(kids, p.memory_info().rss)
    peaks["total_pss_mb"] = max(peaks.get("total_pss_mb", 0.0), total / 2**20)
    peaks["worker_mb"] = max(peaks.get("worker_mb", 0.0), kids / 2**20)


def memory(replications: int) -> dict[str, float]:
    """Peak memory of ``salesim run weekend -n N`` (every core, store, tables, plots and report)
    in a child process, sampled every 0.1 s: the tree's PSS (shared pages counted once), the
    main process's peak RSS while it simulates (before its run folder appears) and overall,
    and the largest worker's RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "sim.cli", "run", str(WEEKEND), "-n", str(replications),
               "--seed", "1", "--out", tmp, "--json"]  # fmt: skip
        t0 = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, cwd=ROOT)
        proc, peaks = psutil.Process(child.pid), {"run_mb": 0.0}
        while child.poll() is None:
            _sample(proc, peaks)
            if not any(p.is_dir() for p in Path(tmp).iterdir()):  # still simulating
                peaks["run_mb"] = peaks.get("main_mb", 0.0)
            time.sleep(0.1)
        seconds = time.perf_counter() - t0
    if child.returncode:
        raise SystemExit(f"memory child failed ({child.returncode})")
    return peaks | {"seconds": seconds}


def main() -> None:
    """Parse arguments and run the benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--replications", type=int, default=1000, help="per timed run")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs of each variant")
    ap.add_argument("--memory", type=int, nargs="*", default=[1000, 10000],
                    help="replication counts for the memory pass (none: skip)")  # fmt: skip
    ap.add_argument("--cli", type=int, default=400, help="replications of the end-to-end CLI "
                    "runs (0: skip)")  # fmt: skip
    ap.add_argument("--cli-only", action="store_true", help="only the end-to-end CLI runs")
    args = ap.parse_args()
    cores, n = local_cores(), args.replications
    if args.cli_only:
        with tempfile.TemporaryDirectory() as tmp:
            return end_to_end(args.cli, args.repeats, Path(tmp))
    print(f"bench_parallel: weekend scenario, {n} replications per run, {cores} cores, "
          f"{args.repeats} repeats; {versions('simpy', 'dask', 'distributed')}")  # fmt: skip
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in psutil.getloadavg())}")
    customers = calibrate()
    print(f"reference: bare-SimPy M/M/c day of {customers} customers (the cost of one weekend "
          "replication) over multiprocessing.Pool")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        t = speed(
            {"salesim, 1 worker": partial(ours, n, 1, scratch),
             f"salesim, {cores} workers": partial(ours, n, cores, scratch),
             "bare SimPy, 1 process": partial(bare_pool, n, 1, customers),
             f"bare SimPy, {cores} processes": partial(bare_pool, n, cores, customers)},
            args.repeats,
        )  # fmt: skip
        serial = cpu_cost(n, 1, scratch)
        parallel = cpu_cost(n, cores, scratch)
        if args.cli:
            end_to_end(args.cli, args.repeats, scratch)
    one, many, bare_one, bare_many = t.values()
    ours_ratio, ours_best, ours_each = speedups(one, many)
    bare_ratio, bare_best, bare_each = speedups(bare_one, bare_many)
    print(f"\nspeedup, salesim:    median {ours_ratio:.2f}x, best/best {ours_best:.2f}x, "
          f"per repeat {', '.join(f'{x:.2f}' for x in ours_each)}")
    print(f"speedup, bare SimPy: median {bare_ratio:.2f}x, best/best {bare_best:.2f}x, "
          f"per repeat {', '.join(f'{x:.2f}' for x in bare_each)}")
    print(f"speedup with {cores} workers (best/best, the least disturbed runs): {ours_best:.2f}x "
          f"(target >= {SPEEDUP_TARGET}x: {verdict(ours_best, SPEEDUP_TARGET)}); bare SimPy "
          f"pool {bare_best:.2f}x; medians {ours_ratio:.2f}x and {bare_ratio:.2f}x")  # fmt: skip
    print(f"CPU seconds for {n} replications: 1 worker {serial[1] + serial[2]:.2f}; "
          f"{cores} workers {parallel[1] + parallel[2]:.2f} (main process {parallel[1]:.2f}, "
          f"workers {parallel[2]:.2f}): parallel overhead "
          f"{(parallel[1] + parallel[2]) / (serial[1] + serial[2]) - 1:+.1%}")  # fmt: skip
    if args.memory:
        print("\npeak memory of `salesim run weekend -n N` (all cores, level full, store, "
              "tables, plots and report)")  # fmt: skip
        for size in args.memory:
            m = memory(size)
            ok = verdict(m["total_pss_mb"], MEMORY_LIMIT_MB, higher_is_better=False)
            growth = m["main_mb"] / m["run_mb"] if m["run_mb"] else math.nan
            print(f"  {size:>6} replications: whole tree {m['total_pss_mb']:6.1f} MB PSS (limit "
                  f"{MEMORY_LIMIT_MB:.0f} MB: {ok}); main {m['run_mb']:6.1f} MB RSS while "
                  f"simulating, {m['main_mb']:6.1f} MB at the end (x{growth:.2f} writing the "
                  f"tables and report); largest worker {m['worker_mb']:6.1f} MB RSS; "
                  f"{m['seconds']:.1f} s")  # fmt: skip
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in psutil.getloadavg())}")


if __name__ == "__main__":
    main()
