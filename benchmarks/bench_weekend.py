"""Throughput of the weekend scenario over many replications, against bare SimPy M/M/c.

Each repeat simulates replications 0..N-1 of ``scenarios/weekend.yaml`` with
:func:`sim.model.simulate_day` at level 'kpi' and again at level 'full', and runs the bare-SimPy
M/M/c reference (c=10, rho=0.9, mean service 20 min) for a fixed number of customers; the
three are interleaved in ONE process, rotating which goes first. A weekend day has only ~80
groups, so this measures the per-day fixed costs (building the model, streams, KPIs) as much
as the per-group event handling.

    .venv/bin/python benchmarks/bench_weekend.py                     # full run (~1 minute)
    .venv/bin/python benchmarks/bench_weekend.py --replications 50 --repeats 2   # quick
    .venv/bin/python benchmarks/bench_weekend.py --profile            # cProfile of the days
"""

from __future__ import annotations

import argparse
import cProfile
import math
import pstats
import sys
from functools import partial
from pathlib import Path

from _common import (
    Outcome,
    bare_simpy_mmc,
    best_rate,
    interleaved,
    median_rate,
    paired_ratio,
    verdict,
    versions,
)

from sim.model import simulate_day
from sim.recorder import Level
from sim.scenario import Scenario, load_scenario

DEFAULT_SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "weekend.yaml"
TARGET = 0.25


def run_days(scenario: Scenario, replications: int, level: Level, seed: int) -> Outcome:
    """Replications 0..N-1 of one seed; customers = groups arrived; wait = mean of daily means."""
    groups = days = 0
    waits = 0.0
    for i in range(replications):
        kpis = simulate_day(scenario, seed, i, level=level).kpis
        groups += int(kpis["groups_arrived"])
        if not math.isnan(kpis["wait_rep_mean"]):
            waits += kpis["wait_rep_mean"]
            days += 1
    return Outcome(groups, waits / days if days else math.nan)


def profile(scenario: Scenario, replications: int, seed: int, top: int) -> None:
    """cProfile of ``replications`` days at level 'kpi', top functions by own time."""
    run_days(scenario, 5, "kpi", seed)  # warm-up
    prof = cProfile.Profile()
    prof.enable()
    outcome = run_days(scenario, replications, "kpi", seed)
    prof.disable()
    print(f"cProfile of {replications} weekend days (kpi): {outcome.customers} groups")
    pstats.Stats(prof, stream=sys.stdout).strip_dirs().sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run the benchmark and print the report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO, help="scenario YAML")
    ap.add_argument("--replications", type=int, default=1000, help="days per level per repeat")
    ap.add_argument("--repeats", type=int, default=5, help="timed repeats")
    ap.add_argument("--customers", type=int, default=100_000, help="bare-SimPy customers per run")
    ap.add_argument("--seed", type=int, default=0, help="seed of the weekend runs")
    ap.add_argument("--profile", action="store_true", help="only cProfile the kpi days and exit")
    ap.add_argument("--top", type=int, default=25, help="rows of the profile")
    args = ap.parse_args(argv)

    scenario = load_scenario(args.scenario)
    if args.profile:
        profile(scenario, args.replications, args.seed, args.top)
        return
    c, rho, mean_service = 10, 0.9, 20.0
    mu = 1.0 / mean_service
    runs = {
        "weekend kpi": partial(run_days, scenario, args.replications, "kpi"),
        "weekend full": partial(run_days, scenario, args.replications, "full"),
        "bare simpy": partial(bare_simpy_mmc, args.customers, c, c * rho * mu, mu),
    }
    print(
        f"weekend benchmark: {args.scenario.name} ({scenario.name}), replications "
        f"0..{args.replications - 1} per level per repeat, seed {args.seed}, {args.repeats} repeats"
    )
    print(
        f"  reference: bare SimPy M/M/{c}, rho={rho}, mean service {mean_service:g} min, "
        f"{args.customers} customers per run"
    )
    print(f"  {versions('simpy', 'numpy', 'pydantic')}")

    warm = {  # imports, policy registry, first-call caches
        "weekend kpi": partial(run_days, scenario, 5, "kpi"),
        "weekend full": partial(run_days, scenario, 5, "full"),
        "bare simpy": partial(bare_simpy_mmc, 5_000, c, c * rho * mu, mu),
    }
    for run in warm.values():
        run(args.seed)
    print("timing pass (interleaved, order rotated each repeat):")
    timings = interleaved(
        {
            name: (run if name == "bare simpy" else partial(_fixed_seed, run, args.seed))
            for name, run in runs.items()
        },
        args.repeats,
    )
    kpi, full, bare = timings["weekend kpi"], timings["weekend full"], timings["bare simpy"]

    print()
    print(f"{'throughput':<30}{'best':>10}{'median':>10}   runs (s)")
    units = {"weekend kpi": "groups/s", "weekend full": "groups/s", "bare simpy": "customers/s"}
    for name, ts in timings.items():
        secs = " ".join(f"{t.seconds:.2f}" for t in ts)
        label = f"{name} ({units[name]})"
        print(f"  {label:<28}{best_rate(ts):>10.0f}{median_rate(ts):>10.0f}   {secs}")
    days_per_s = args.replications / min(t.seconds for t in kpi)
    groups_per_day = kpi[0].outcome.customers / args.replications
    print(
        f"  kpi level: {days_per_s:.0f} days/s, {1000 / days_per_s:.2f} ms per day, "
        f"{groups_per_day:.1f} groups per day"
    )

    print()
    print(f"{'ratio':<30}{'best/best':>10}{'paired':>10}   target")
    for label, num, den, bar in (
        ("weekend kpi / bare simpy", kpi, bare, TARGET),
        ("weekend full / bare simpy", full, bare, TARGET),
        ("weekend full / weekend kpi", full, kpi, None),
    ):
        ratio = best_rate(num) / best_rate(den)
        paired = paired_ratio(num, den)
        mark = f">= {bar}  [{verdict(min(ratio, paired), bar)}]" if bar is not None else ""
        print(f"  {label:<28}{ratio:>10.3f}{paired:>10.3f}   {mark}".rstrip())
    print("  (paired = median over repeats of the ratio of two runs made back to back)")
    print()
    print(
        f"sanity: mean of daily mean waits for a rep {kpi[0].outcome.mean_wait:.3f} min "
        f"(kpi) vs {full[0].outcome.mean_wait:.3f} min (full); must be equal"
    )


def _fixed_seed(run: partial[Outcome], seed: int, _repeat: int) -> Outcome:
    """Every repeat simulates the same days (same seed), so repeats are the same work."""
    return run(seed)


if __name__ == "__main__":
    main()
