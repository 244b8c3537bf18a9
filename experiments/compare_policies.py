"""Every rotation policy × team size on a scenario, with paired 95% CIs.

A plain script on the public API (what ``salesim compare`` does, step by step)::

    .venv/bin/python experiments/compare_policies.py [SCENARIO] [REPLICATIONS]

It prints, for the KPIs a planner looks at first, each variant's mean [95% CI] and the paired
difference to the first variant, and writes the comparison CSV/JSON, the plots (PNG, SVG) and
``report.html`` to ``results/experiments/compare_policies/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sim import (
    build_variants,
    compare,
    describe_kpi,
    fmt,
    fmt_interval,
    known_policies,
    load_scenario,
    parse_vary,
    run,
    write_comparison,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = 2024
TEAM_SIZES = "reps=8,10,12"
KPIS = ("wait_rep_mean", "lost_share", "rep_utilisation", "receptions_gini", "vip_wait_mean")


def main(scenario_path: str, replications: int) -> None:
    """Run every policy x team size on shared seeds; print the KPIs and write the outputs."""
    scenario = load_scenario(scenario_path)
    variants = build_variants(scenario, known_policies(), [parse_vary(TEAM_SIZES)])
    # common random numbers: every variant runs with the same seed and replication indices
    results = [
        run(v.scenario, replications=replications, seed=SEED, policy=v.policy) for v in variants
    ]
    comparison = compare(results, [v.label for v in variants])
    for key in KPIS:
        kpi = describe_kpi(key)
        print(f"\n{kpi.zh} {kpi.en}")
        rows = zip(comparison.labels, comparison.estimates[key], comparison.diffs[key], strict=True)
        for label, est, diff in rows:
            line = f"  {label:28s} {fmt(est.mean, kpi.unit):>7s} "
            line += fmt_interval(est.low, est.high, kpi.unit)
            if diff is not None:
                line += f"   Δ {fmt(diff.mean, kpi.unit, True)} "
                line += fmt_interval(diff.low, diff.high, kpi.unit, True)
                line += " *" if diff.significant else ""
            print(line)
    out = ROOT / "results" / "experiments" / "compare_policies"
    write_comparison(out, variants, results, comparison)
    print(f"\n* paired 95% CI excludes 0. Written to {out} (report.html, plots, CSV, JSON)")


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "scenarios" / "weekend.yaml")
    main(path, int(sys.argv[2]) if len(sys.argv) > 2 else 30)
