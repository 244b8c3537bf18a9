"""Throughput of the weekend scenario over many replications, against bare SimPy M/M/c.

Each repeat simulates replications 0..N-1 of ``scenarios/weekend.yaml`` with
:func:`sim.model.simulate_day` at level 'kpi' and again at level 'full', and runs the bare-SimPy
M/M/c reference (c=10, rho=0.9, mean service 20 min) for a fixed number of customers; the
three are interleaved in ONE process, rotating which goes first. A weekend day has only ~80
groups, so this measures the per-day fixed costs (building the model, streams, KPIs) as much
as the per-group event handling.

    .venv/bin/python benchmarks/bench_weekend.py                     # full run (~1-2 minutes)
    .venv/bin/python benchmarks/bench_weekend.py --replications 50 --repeats 2   # quick
    .venv/bin/python benchmarks/bench_weekend.py --profile            # cProfile of the days
"""

from __future__ import annotations

import argparse
import cProfile
import math
import pstats
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import simpy
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

from sim import Level, Scenario, load_scenario, simulate_day

DEFAULT_SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "weekend.yaml"
TARGET = 0.15  # issue 17 item 2
C, RHO, MEAN_SERVICE = 10, 0.9, 20.0  # the bare-SimPy reference queue (as in bench_mmc.py)


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


def without_staffing(scenario: Scenario) -> Scenario | None:
    """The scenario without its reception line (posts, phones), if it has one (not validated)."""
    if getattr(scenario, "staffing", None) is None:
        return None
    return scenario.model_copy(update={"staffing": None})


def build_runs(
    scenario: Scenario, core: Scenario | None, days: int, customers: int, seed: int
) -> dict[str, Callable[[int], Outcome]]:
    """name -> callable(repeat): the weekend days at both levels, the diagnostic, bare SimPy."""
    runs: dict[str, Callable[[int], Outcome]] = {
        "kpi": partial(_fixed_seed, partial(run_days, scenario, days, "kpi"), seed),
        "full": partial(_fixed_seed, partial(run_days, scenario, days, "full"), seed),
    }
    if core is not None:
        runs["kpi, no staffing"] = partial(_fixed_seed, partial(run_days, core, days, "kpi"), seed)
    mu = 1.0 / MEAN_SERVICE
    runs["bare simpy"] = partial(bare_simpy_mmc, customers, C, C * RHO * mu, mu)
    return runs


def events_per_customer(run: Callable[[], Outcome]) -> float:
    """SimPy events scheduled per customer (group) by ``run``: the event ids each environment
    handed out (every scheduled event takes the next one, also those the model schedules
    without ``Environment.schedule``), counted outside the timing pass."""
    envs: list[simpy.Environment] = []
    init = simpy.Environment.__init__

    def recording(self: simpy.Environment, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        envs.append(self)

    simpy.Environment.__init__ = recording  # type: ignore[method-assign]
    try:
        outcome = run()
    finally:
        simpy.Environment.__init__ = init  # type: ignore[method-assign]
    count = sum(next(env._eid) for env in envs)  # ids 0..n-1 were handed out
    return count / max(outcome.customers, 1)


def profile(scenario: Scenario, replications: int, seed: int, top: int) -> None:
    """cProfile of ``replications`` days at level 'kpi', top functions by own time."""
    run_days(scenario, 5, "kpi", seed)  # warm-up
    prof = cProfile.Profile()
    prof.enable()
    outcome = run_days(scenario, replications, "kpi", seed)
    prof.disable()
    print(f"cProfile of {replications} days of {scenario.name} (kpi): {outcome.customers} groups")
    pstats.Stats(prof, stream=sys.stdout).strip_dirs().sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run the benchmark and print the report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO, help="scenario YAML")
    ap.add_argument("--replications", type=int, default=400, help="days per level per repeat")
    ap.add_argument("--repeats", type=int, default=5, help="timed repeats")
    ap.add_argument("--customers", type=int, default=100_000, help="bare-SimPy customers per run")
    ap.add_argument("--seed", type=int, default=0, help="seed of the weekend runs")
    ap.add_argument(
        "--no-diagnostic", action="store_true",
        help="skip the extra 'kpi, no staffing' run (the journey without the reception line)",
    )  # fmt: skip
    ap.add_argument("--profile", action="store_true", help="only cProfile the kpi days and exit")
    ap.add_argument(
        "--profile-no-staffing", action="store_true",
        help="with --profile: profile the scenario without its reception line",
    )  # fmt: skip
    ap.add_argument("--top", type=int, default=25, help="rows of the profile")
    args = ap.parse_args(argv)

    scenario = load_scenario(args.scenario)
    core = None if args.no_diagnostic else without_staffing(scenario)
    if args.profile:
        target = without_staffing(scenario) if args.profile_no_staffing else scenario
        profile(target or scenario, args.replications, args.seed, args.top)
        return
    n = args.replications
    runs = build_runs(scenario, core, n, args.customers, args.seed)
    print(
        f"weekend benchmark: {args.scenario.name} ({scenario.name}), replications "
        f"0..{n - 1} per level per repeat, seed {args.seed}, {args.repeats} repeats"
    )
    print(
        f"  reference: bare SimPy M/M/{C}, rho={RHO}, mean service {MEAN_SERVICE:g} min, "
        f"{args.customers} customers per run (seed = repeat)"
    )
    if core is not None:
        print(
            "  diagnostic 'kpi, no staffing': the same days with staffing=None (no reception line)"
        )
    print(f"  {versions('simpy', 'numpy', 'pydantic')}")

    warm = build_runs(scenario, core, 3, 5_000, args.seed)
    for run in warm.values():  # imports, policy registry, first-call caches
        run(12_345)
    print("timing pass (interleaved, order rotated each repeat):")
    timings = interleaved(runs, args.repeats)

    print()
    print(f"{'throughput':<34}{'best':>10}{'median':>10}   runs (s)")
    for name, ts in timings.items():
        secs = " ".join(f"{t.seconds:.2f}" for t in ts)
        unit = "customers/s" if name == "bare simpy" else "groups/s"
        label = f"{name} ({unit})"
        print(f"  {label:<32}{best_rate(ts):>10.0f}{median_rate(ts):>10.0f}   {secs}")
    for name, ts in timings.items():
        if name == "bare simpy":
            continue
        per_day = min(t.seconds for t in ts) / n * 1000
        groups = ts[0].outcome.customers / n
        print(f"  {name:<32}{per_day:>8.2f} ms per day (best), {groups:.1f} groups per day")

    print()
    print(f"{'ratio':<34}{'best/best':>10}{'paired':>10}   target")
    rows: list[tuple[str, str, str, float | None]] = [
        ("kpi / bare simpy", "kpi", "bare simpy", TARGET),
        ("full / bare simpy", "full", "bare simpy", TARGET),
        ("full / kpi", "full", "kpi", None),
    ]
    if core is not None:
        rows += [
            ("kpi, no staffing / bare simpy", "kpi, no staffing", "bare simpy", None),
            ("kpi / kpi, no staffing", "kpi", "kpi, no staffing", None),
        ]
    for label, a, b, bar in rows:
        num, den = timings[a], timings[b]
        ratio = best_rate(num) / best_rate(den)
        paired = paired_ratio(num, den)
        mark = f">= {bar}  [{verdict(min(ratio, paired), bar)}]" if bar is not None else ""
        print(f"  {label:<32}{ratio:>10.3f}{paired:>10.3f}   {mark}".rstrip())
    print("  (paired = median over repeats of the ratio of two runs made back to back)")
    per_group = events_per_customer(partial(run_days, scenario, 30, "kpi", args.seed))
    mu = 1.0 / MEAN_SERVICE
    per_customer = events_per_customer(partial(bare_simpy_mmc, 20_000, C, C * RHO * mu, mu, 1))
    without = ""
    if core is not None:
        per_core = events_per_customer(partial(run_days, core, 30, "kpi", args.seed))
        without = f" ({per_core:.1f} without staffing)"
    print(
        f"SimPy events per weekend group (kpi, 30 days): {per_group:.1f}{without}; "
        f"bare SimPy M/M/{C}: {per_customer:.1f} per customer"
    )
    print()
    kpi, full = timings["kpi"][0].outcome, timings["full"][0].outcome
    print(
        f"sanity: mean of daily mean waits for a rep {kpi.mean_wait:.3f} min (kpi) vs "
        f"{full.mean_wait:.3f} min (full): {'equal' if kpi == full else 'DIFFERENT'}"
    )


def _fixed_seed(run: Callable[[int], Outcome], seed: int, _repeat: int) -> Outcome:
    """Every repeat simulates the same days (same seed), so repeats are the same work."""
    return run(seed)


if __name__ == "__main__":
    main()
