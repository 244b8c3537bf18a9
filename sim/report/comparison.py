"""Writing a comparison of variants to an output folder: ``comparison.csv``/``.json``, the
per-replication KPIs, the plots (PNG and SVG) and a self-contained ``report.html``.

What ``salesim compare`` writes, and what scripts on the public API write with
:func:`write_comparison` (``experiments/``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.core.atomic import write_text
from sim.core.cells import csv_text
from sim.experiment.pairing import Comparison, comparison_dict, comparison_rows
from sim.experiment.runner import RunResult
from sim.experiment.variants import Variant
from sim.report.answer import variant_size
from sim.report.targets import scenario_targets


def _csv(rows: Sequence[dict[str, Any]]) -> str:
    header = list(rows[0])
    return csv_text(header, [[row.get(k) for k in header] for row in rows])


def _per_day_rows(
    variants: Sequence[Variant], results: Sequence[RunResult]
) -> list[dict[str, Any]]:
    return [
        {"variant": v.label, "replication": d.replication} | d.kpis
        for v, r in zip(variants, results, strict=True)
        for d in r.days
    ]


def comparison_summary(
    variants: Sequence[Variant], results: Sequence[RunResult], comparison: Comparison
) -> dict[str, Any]:
    """The comparison as plain data, with where each variant came from."""
    first = results[0]
    meta = [
        {"label": v.label, "policy": r.policy, "changes": v.changes,
         "scenario_hash": r.scenario_hash}
        for v, r in zip(variants, results, strict=True)
    ]  # fmt: skip
    return {"scenario": first.scenario.name, "code_version": first.code_version,
            "variant_details": meta} | comparison_dict(comparison)  # fmt: skip


def write_comparison(
    out: Path, variants: Sequence[Variant], results: Sequence[RunResult], comparison: Comparison
) -> dict[str, Any]:
    """Write the CSVs, JSON, plots and report into ``out``; return the summary data."""
    labels = [v.label for v in variants]
    data = comparison_summary(variants, results, comparison)
    write_text(out / "comparison.csv", _csv(comparison_rows(comparison)))
    write_text(out / "kpis_by_replication.csv", _csv(_per_day_rows(variants, results)))
    write_text(out / "comparison.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    from sim.report.html import write_html_report  # matplotlib: only when writing
    from sim.report.plots import draw, write_plots

    first = results[0]
    targets = scenario_targets(first.scenario, first.summary)
    drawn = draw(results, labels, targets=targets)
    write_plots(results, labels, out, drawn)
    sizes = [variant_size(v.changes) for v in variants]
    write_html_report(results, out / "report.html", comparison=comparison, drawn=drawn,
                      targets=targets, sizes=sizes)  # fmt: skip
    return data
