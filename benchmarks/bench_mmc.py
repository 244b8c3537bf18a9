"""Throughput and memory of the model reduced to M/M/c, against bare SimPy and Ciw.

All three simulate the same queue (c servers, Poisson arrivals at rate lam = c * rho * mu,
exponential services of mean 1/mu, FCFS, no abandonment) in ONE process. Timed runs are
interleaved, rotating which tool goes first, and summarised by the best run and by the median
of the per-repeat ratios (each pair measured back to back), since the machine is noisy.
Peak memory is measured in a separate pass under tracemalloc (which slows everything down),
and as whole-process peak RSS: each of bare SimPy and ours runs once in a fresh child process
(importing only what it needs), next to a child that only imports simpy (the import baseline).

    .venv/bin/python benchmarks/bench_mmc.py                      # full run (~1-2 minutes)
    .venv/bin/python benchmarks/bench_mmc.py --customers 20000 --repeats 2   # quick
    .venv/bin/python benchmarks/bench_mmc.py --profile            # cProfile of our model
"""

from __future__ import annotations

import math
import sys
import tracemalloc
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal

from _common import (
    Outcome,
    Timed,
    bare_simpy_mmc,
    best_rate,
    interleaved,
    median_rate,
    paired_ratio,
    peak_memory,
    verdict,
    versions,
)

from sim import Scenario, ScenarioError, format_clock, simulate_day, validate_scenario

Via = Literal["auto", "validate", "model_copy"]


@dataclass(frozen=True)
class Queue:
    """An M/M/c queue; rates per minute."""

    c: int
    rho: float
    mu: float

    @property
    def lam(self) -> float:
        """Arrival rate per minute."""
        return self.c * self.rho * self.mu

    def erlang_c_wait(self) -> float:
        """Mean wait in queue (minutes) from the Erlang C formula."""
        a = self.lam / self.mu
        top = a**self.c / math.factorial(self.c) / (1 - self.rho)
        p_wait = top / (math.fsum(a**k / math.factorial(k) for k in range(self.c)) + top)
        return p_wait / (self.c * self.mu - self.lam)


def _scenario_data(q: Queue, close: str) -> dict[str, Any]:
    zero = {"dist": "fixed", "value": 0}
    return {
        "name": "bench_mmc",
        "description": f"M/M/{q.c} reduction of the office model (benchmark)",
        "day": {"type": "weekday", "open": "00:00", "close": close, "run_until": "empty"},
        "arrivals": {
            "walk_in": [{"from": "00:00", "rate": q.lam * 60.0}],  # groups per hour
            "appointments": {"count": 0},
        },
        "visitors": {
            "group_size": {1: 1.0},
            "returning_share": 0,
            "designated_share": 0,
            "important_share": 0,
            "non_sales_share": 0,
            "negotiation_share": 0,
            "sample_house_share": 0,
            "patience": None,
        },
        "reps": q.c,
        "vip_rooms": {"count": 0},
        "sample_houses": [],
        "service_times": {
            "sandbox": {"dist": "exponential", "mean": 1.0 / q.mu},
            "sample_house": zero,
            "negotiation": zero,
            "signing": zero,
            "walk_out": zero,
        },
        "policy": "round_robin",
    }


def mmc_scenario(q: Queue, customers: int, via: Via = "auto") -> tuple[Scenario, str]:
    """The office scenario reduced to M/M/c, open long enough for ``customers`` expected arrivals.

    Returns the scenario and how it was built. The validated schema is tried first (the close
    time rounded up to the minute, as 'HH:MM' allows); if it rejects the long day, a day
    scenario is validated and its ``day.close`` replaced with ``model_copy`` (not validated).
    """
    minutes = customers / q.lam
    if via != "model_copy":
        close = format_clock(math.ceil(minutes))
        try:
            scenario = validate_scenario(_scenario_data(q, close), "<bench_mmc>")
            return scenario, f"validate_scenario, day 00:00-{close}"
        except ScenarioError as exc:
            if via == "validate":
                raise
            reason = "; ".join(exc.lines)
    else:
        reason = "forced with --via model_copy"
    base = validate_scenario(_scenario_data(q, "24:00"), "<bench_mmc>")
    day = base.day.model_copy(update={"close": minutes})
    scenario = base.model_copy(update={"day": day})
    return scenario, (
        f"model_copy on day.close = {minutes:.1f} min ({format_clock(minutes)}), "
        f"not validated; the validated schema was not used: {reason}"
    )


def run_ours(scenario: Scenario, seed: int) -> Outcome:
    """Our model at level 'kpi'; customers = groups that arrived (Poisson around the target)."""
    day = simulate_day(scenario, seed, 0, level="kpi")
    return Outcome(int(day.kpis["groups_arrived"]), day.kpis["wait_rep_mean"])


def run_ciw(customers: int, q: Queue, seed: int) -> Outcome:
    """Ciw on the same queue, until ``customers`` have finished; waits from its records."""
    import ciw  # here: its import (networkx) would inflate the whole-process memory pass

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=q.lam)],
        service_distributions=[ciw.dists.Exponential(rate=q.mu)],
        number_of_servers=[q.c],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_customers(customers, method="Finish")
    waits = [rec.waiting_time for rec in sim.get_all_records()]
    return Outcome(len(waits), math.fsum(waits) / len(waits))


def runners(q: Queue, scenario: Scenario, customers: int) -> dict[str, Any]:
    """name -> callable(seed) -> Outcome, in the order the table shows them."""
    return {
        "bare simpy": partial(bare_simpy_mmc, customers, q.c, q.lam, q.mu),
        "ours (kpi)": partial(run_ours, scenario),
        "ciw": partial(run_ciw, customers, q),
    }


def pooled_wait(timings: list[Timed]) -> tuple[float, int]:
    """Mean wait over every customer of every run, and the number of customers."""
    n = sum(t.outcome.customers for t in timings)
    return math.fsum(t.outcome.mean_wait * t.outcome.customers for t in timings) / n, n


def profile(scenario: Scenario, top: int) -> None:
    """cProfile of one run of our model, top functions by own time."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    outcome = run_ours(scenario, 0)
    prof.disable()
    print(
        f"cProfile of our model: {outcome.customers} customers, "
        f"mean wait {outcome.mean_wait:.3f} min"
    )
    pstats.Stats(prof, stream=sys.stdout).strip_dirs().sort_stats("tottime").print_stats(top)


RSS_TARGET = 2.0  # issue 17 item 5: ours <= 2x bare SimPy, whole-process peak RSS


# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forking parent
HWM = ("print(next(int(x.split()[1]) for x in open('/proc/self/status') "
       "if x.startswith('VmHWM')) / 1024)")  # fmt: skip
CHILD = {  # what each child runs: only the imports it needs (this module's harness imports,
    # argparse, cProfile, subprocess, are made where used, so "ours" does not carry them)
    "import simpy": "import simpy",
    "bare simpy": "from _common import bare_simpy_mmc\n"
    "bare_simpy_mmc({n}, {c}, {lam!r}, {mu!r}, 0)",
    "third-party imports": "import _common, numpy.random, pydantic.fields",  # ours' floor
    "import sim + scenario": "from bench_mmc import Queue, mmc_scenario, run_ours\n"
    "mmc_scenario(Queue({c}, {rho!r}, {mu!r}), {n})",
    "ours (kpi)": "from bench_mmc import Queue, mmc_scenario, run_ours\n"
    "run_ours(mmc_scenario(Queue({c}, {rho!r}, {mu!r}), {n})[0], 0)",
}


def whole_process_rss(customers: int, q: Queue) -> None:
    """Peak RSS of a fresh child per variant, and ours over bare SimPy against
    :data:`RSS_TARGET`."""
    import subprocess

    print()
    print("whole-process peak RSS (a fresh child process each, seed 0):")
    here = str(Path(__file__).resolve().parent)
    peaks: dict[str, float] = {}
    for what, body in CHILD.items():
        code = (f"import sys\nsys.path.insert(0, {here!r})\n"
                + body.format(n=customers, c=q.c, lam=q.lam, mu=q.mu, rho=q.rho)
                + f"\n{HWM}")  # fmt: skip
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                             text=True).stdout  # fmt: skip
        peaks[what] = float(out.strip().splitlines()[-1])
        print(f"  {what:<24}{peaks[what]:>10.1f} MiB")
    mem = peaks["ours (kpi)"] / peaks["bare simpy"]
    print(f"  {'ours / bare simpy':<24}{mem:>10.3f}   target <= {RSS_TARGET:g}  "
          f"[{verdict(mem, RSS_TARGET, False)}]")  # fmt: skip
    floor = peaks["third-party imports"]
    print(f"  {'floor / bare simpy':<24}{floor / peaks['bare simpy']:>10.3f}   (the imports alone "
          f"that ours cannot run without: {versions('numpy', 'pydantic')})")  # fmt: skip
    print(f"  {'ours above its floor':<24}{peaks['ours (kpi)'] - floor:>10.1f} MiB   (sim's "
          f"modules and scenario {peaks['import sim + scenario'] - floor:.1f} MiB; the floor: "
          "simpy, NumPy with numpy.random and pydantic, which the model and schema need)")
    ours_run = peaks["ours (kpi)"] - peaks["import sim + scenario"]
    bare_run = peaks["bare simpy"] - peaks["import simpy"]
    print(f"  {'the run above its imports':<24}{ours_run / bare_run:>10.3f}   "
          f"(ours {ours_run:.1f} MiB, bare simpy {bare_run:.1f} MiB)")  # fmt: skip


def child_imports(customers: int, q: Queue) -> None:
    """Diagnostics: the modules the 'ours (kpi)' child loads beyond the 'third-party imports'
    child (its floor), counted per package, with the non-sim ones named."""
    import json
    import subprocess
    from collections import Counter

    here = str(Path(__file__).resolve().parent)
    listed = "\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    loaded: dict[str, set[str]] = {}
    for what in ("third-party imports", "ours (kpi)"):
        code = (f"import sys\nsys.path.insert(0, {here!r})\n"
                + CHILD[what].format(n=customers, c=q.c, lam=q.lam, mu=q.mu, rho=q.rho)
                + listed)  # fmt: skip
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                             text=True).stdout  # fmt: skip
        loaded[what] = set(json.loads(out.strip().splitlines()[-1]))
    extra = sorted(loaded["ours (kpi)"] - loaded["third-party imports"])
    print()
    print(f"modules the 'ours (kpi)' child loads beyond its floor: {len(extra)}")
    per = Counter(".".join(m.split(".")[:2]) if m.startswith("sim.") else m.split(".")[0]
                  for m in extra)  # fmt: skip
    for package, n in sorted(per.items()):
        print(f"  {package:<24}{n:>4}")
    others = [m for m in extra if not m.startswith("sim")]
    print(f"  not sim: {', '.join(others)}")


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run the benchmark and print the report."""
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--customers", type=int, default=200_000, help="customers per run")
    ap.add_argument("--repeats", type=int, default=5, help="timed runs of each tool")
    ap.add_argument("--servers", type=int, default=10, help="c")
    ap.add_argument("--rho", type=float, default=0.9, help="utilisation")
    ap.add_argument("--mean-service", type=float, default=20.0, help="1/mu, minutes")
    ap.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    ap.add_argument(
        "--via", choices=["auto", "validate", "model_copy"], default="auto",
        help="how to build the long-day scenario (default: validate, else model_copy)",
    )  # fmt: skip
    ap.add_argument("--profile", action="store_true", help="only cProfile our model and exit")
    ap.add_argument("--top", type=int, default=25, help="rows of the profile")
    ap.add_argument("--rss-only", action="store_true", help="only the whole-process RSS pass")
    ap.add_argument("--imports", action="store_true",
                    help="with --rss-only: also list what the 'ours' child imports (diagnostics)")
    args = ap.parse_args(argv)

    q = Queue(args.servers, args.rho, 1.0 / args.mean_service)
    if args.rss_only:
        whole_process_rss(args.customers, q)
        if args.imports:
            child_imports(args.customers, q)
        return None
    scenario, how = mmc_scenario(q, args.customers, args.via)
    print(
        f"M/M/c benchmark: c={q.c}, rho={q.rho}, mu=1/{args.mean_service:g} per min, "
        f"lam={q.lam:.4f} per min, {args.customers} customers per run, {args.repeats} repeats"
    )
    print(f"  {versions('simpy', 'ciw', 'numpy')}")
    print(f"  scenario: {how}; expected arrivals {scenario.expected_walk_ins():.1f}")
    if args.profile:
        profile(scenario, args.top)
        return

    warm_customers = min(args.customers, 5_000)
    warm_scenario = mmc_scenario(q, warm_customers, args.via)[0]
    for run in runners(q, warm_scenario, warm_customers).values():  # imports, first-call caches
        run(12_345)
    runs = runners(q, scenario, args.customers)
    print("timing pass (interleaved, order rotated each repeat; repeat r uses seed r):")
    t = interleaved(runs, args.repeats)
    bare, ours, cw = t["bare simpy"], t["ours (kpi)"], t["ciw"]

    print()
    print(f"{'throughput (customers/s)':<26}{'best':>10}{'median':>10}   runs (s)")
    for name, ts in t.items():
        secs = " ".join(f"{x.seconds:.2f}" for x in ts)
        print(f"  {name:<24}{best_rate(ts):>10.0f}{median_rate(ts):>10.0f}   {secs}")
    print()
    print(f"{'ratio':<26}{'best/best':>10}{'paired':>10}   target")
    rows = [
        ("ours / bare simpy", ours, bare, ">= 0.5 (stretch 0.8)", 0.5),
        ("ciw / bare simpy", cw, bare, "", None),
        ("ours / ciw", ours, cw, "> 1 (ahead of Ciw)", 1.0),
    ]
    for label, num, den, target, bar in rows:
        ratio = best_rate(num) / best_rate(den)
        paired = paired_ratio(num, den)
        mark = f"  [{verdict(min(ratio, paired), bar)}]" if bar is not None else ""
        stretch = f"  [stretch {verdict(min(ratio, paired), 0.8)}]" if bar == 0.5 else ""
        print(f"  {label:<24}{ratio:>10.3f}{paired:>10.3f}   {target}{mark}{stretch}".rstrip())
    print("  (paired = median over repeats of the ratio of two runs made back to back)")
    print(
        "  (ours counts the groups that arrived, Poisson around the target; bare simpy and ciw\n"
        "   run exactly --customers; ciw's time includes get_all_records() for the waits)"
    )

    print()
    erlang = q.erlang_c_wait()
    print(f"mean wait in queue (min), pooled over all timed runs; Erlang C = {erlang:.3f}")
    for name, ts in t.items():
        w, n = pooled_wait(ts)
        off = (w / erlang - 1) * 100
        print(f"  {name:<24}{w:>10.3f}   ({off:+.1f}% vs Erlang C, {n} customers)")

    if args.no_memory:
        return
    whole_process_rss(args.customers, q)
    print()
    print("peak memory (tracemalloc, separate pass, one run each, seed 0):")
    tracemalloc.start()
    try:
        peaks = {name: peak_memory(partial(run, 0))[0] for name, run in runs.items()}
    finally:
        tracemalloc.stop()
    for name, peak in peaks.items():
        print(f"  {name:<24}{peak / 2**20:>10.2f} MiB")
    mem = peaks["ours (kpi)"] / peaks["bare simpy"]
    print(f"  {'ours / bare simpy':<24}{mem:>10.3f}   target <= 2  [{verdict(mem, 2.0, False)}]")
    print(f"  {'ciw / bare simpy':<24}{peaks['ciw'] / peaks['bare simpy']:>10.3f}")


if __name__ == "__main__":
    main()
