"""Every rotation policy on the weekend scenario, with shared seeds (issue 4).

    .venv/bin/python experiments/rotation_policies.py [SCENARIO] [REPLICATIONS]

Each policy runs the same replications (seed 2024, replication i = day i, so the visitors are
identical across policies and R1's visit/phone groups swap on odd days). The table shows each
policy's mean with the paired difference to plain rotation (round_robin) in brackets, marked
``*`` where its 95% CI excludes 0: waits, lost groups, fairness, turns, phones and grabbing.
The comparison (CSV, JSON, plots, report.html) is written to
``results/experiments/rotation_policies/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from sim import (
    build_variants,
    compare,
    describe_kpi,
    fmt,
    known_policies,
    load_scenario,
    run,
    write_comparison,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = 2024
BASELINE = "round_robin"
KPIS = (
    "wait_rep_mean", "wait_rep_p90", "lost_share", "groups_served",
    "receptions_spread", "receptions_gini", "rep_utilisation_min", "rep_utilisation_max",
    "own_rep_share", "own_rep_wait_mean", "own_rep_fallbacks",
    "turns_granted", "turns_skipped", "turns_made_up", "turns_lent", "phone_makeups",
    "calls_within_rings_share", "calls_lost_share",
    "grab_incidents", "grabbed_share", "grab_group_min", "grab_rep_min",
)  # fmt: skip


def main(scenario_path: str, replications: int) -> None:
    """Run every policy on the scenario and print the comparison table."""
    scenario = load_scenario(scenario_path)
    policies = [BASELINE, *(p for p in known_policies() if p != BASELINE)]
    variants = build_variants(scenario, policies, [])
    results = [
        run(v.scenario, replications=replications, seed=SEED, policy=v.policy, level="kpi")
        for v in variants
    ]
    comparison = compare(results, [v.label for v in variants])
    table = Table(
        title=f"{scenario.name}: {replications} days per policy, seed {SEED}; "
        f"Δ vs {BASELINE} (paired 95% CI; * excludes 0)",
        title_justify="left",
    )
    table.add_column("指标 KPI")
    for label in comparison.labels:
        table.add_column(label, justify="right")
    for key in KPIS:
        if key not in comparison.estimates:
            continue
        kpi = describe_kpi(key)
        cells = []
        for est, diff in zip(comparison.estimates[key], comparison.diffs[key], strict=True):
            cell = fmt(est.mean, kpi.unit)
            if diff is not None:
                cell += f" ({fmt(diff.mean, kpi.unit, True)}{'*' if diff.significant else ''})"
            cells.append(cell)
        table.add_row(f"{kpi.zh} {kpi.en}", *cells)
    Console(width=240).print(table)
    out = ROOT / "results" / "experiments" / "rotation_policies"
    write_comparison(out, variants, results, comparison)
    print(f"Written to {out} (report.html, plots, CSV, JSON)")


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "scenarios" / "weekend.yaml")
    main(path, int(sys.argv[2]) if len(sys.argv) > 2 else 40)
