"""The answer a report opens with: the headline KPIs, the KPIs worth showing, and a comparison's
verdict (issue 15 items 1 and 2).

The verdict of a comparison names, among the variants that meet every target
(:mod:`sim.report.targets`), the smallest one — the least of the varied numbers (``--vary
reps=8,10,12``: the fewest reps; several fields: the least sum) — or, when the variants do not
differ in size (policies), the one significantly better than every other on the target KPIs:
better on at least one and worse on none, by the paired 95% CI of the difference (common random
numbers). The better direction of each KPI is :func:`sim.domain.kpi_direction.direction`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from sim.domain.kpi_direction import is_better
from sim.experiment.pairing import PairedDiff, paired_difference
from sim.experiment.runner import RunResult
from sim.report.targets import ReportTarget, TargetOutcome, all_met, judge_run

OFFICE_HEADLINE = (
    "groups_arrived", "groups_served", "lost_share", "wait_rep_mean", "wait_rep_p90",
    "wait_rep_over_target", "rep_utilisation", "receptions_gini", "vip_wait_p90",
    "house_wait_p90", "calls_within_rings_share", "overtime_min",
)  # fmt: skip
"""The office KPIs a planner reads first (after the targets' own KPIs)."""

EVENT_HEADLINE = (
    "groups", "persons", "event_duration_min", "time_in_event_mean", "waiting_area_peak",
    "waiting_area_time_mean",
)  # fmt: skip
"""The event-day KPIs read first; each desk's P90 wait follows."""


def is_blank(values: Sequence[float]) -> bool:
    """True when a KPI is 0 or unmeasured on every day (nothing to show); an unbounded day
    (``inf``) is something to show."""
    return all(v == 0 or math.isnan(v) for v in values)


def shown_keys(results: Sequence[RunResult]) -> list[str]:
    """The KPI keys, in catalogue order, that are not blank in at least one run."""
    keys = list(results[0].summary)
    return [k for k in keys if not all(is_blank(r.kpi_values(k)) for r in results)]


def top_keys(results: Sequence[RunResult], targets: Sequence[ReportTarget]) -> list[str]:
    """The targets' KPIs, then the headline KPIs, that the runs have and are not blank."""
    shown = set(shown_keys(results))
    desks = [k for k in results[0].summary if k.endswith("_wait_p90") and k != "wait_rep_p90"]
    headline = EVENT_HEADLINE + tuple(desks) if results[0].scenario.event else OFFICE_HEADLINE
    ordered = dict.fromkeys([*(t.kpi for t in targets), *headline])
    return [k for k in ordered if k in shown]


VerdictKind = Literal["smallest", "only", "better", "no_difference", "none_meets"]


@dataclass(frozen=True)
class Evidence:
    """The paired difference ``winner - other`` of one KPI."""

    kpi: str
    other: str
    diff: PairedDiff


@dataclass(frozen=True)
class Verdict:
    """What a comparison decides, and why.

    ``kind``: ``smallest`` (the least variant meeting every target), ``only`` (the one variant
    meeting every target), ``better`` (significantly better than every other on the targets),
    ``no_difference`` (no variant is), ``none_meets`` (no variant meets every target;
    ``winner`` is the one significantly better than every other on the targets, with
    ``evidence``, or else the one missing the fewest, ``None`` on a tie)."""

    kind: VerdictKind
    winner: str | None
    outcomes: dict[str, list[TargetOutcome]]  # label -> its targets judged
    evidence: tuple[Evidence, ...] = ()
    smaller_missed: dict[str, list[str]] = field(default_factory=dict)  # smaller label -> KPIs
    beaten: tuple[tuple[str, Evidence], ...] = ()  # (better label, its lead over a worse one)


def variant_size(changes: dict[str, object]) -> float:
    """The size of a variant: the sum of its numeric changed values (``nan``: none)."""
    numbers = [float(v) for v in changes.values()
               if isinstance(v, int | float) and not isinstance(v, bool)]  # fmt: skip
    return sum(numbers) if numbers else math.nan


def _dominates(
    c: int, pool: Sequence[int], results: Sequence[RunResult], labels: Sequence[str],
    keys: Sequence[str],
) -> list[Evidence] | None:  # fmt: skip
    """The evidence that variant ``c`` is better than each other in ``pool`` on ``keys``
    (better on one at least, worse on none), or ``None``."""
    evidence = []
    for o in pool:
        if o == c:
            continue
        better = []
        for k in keys:
            d = paired_difference(results[o].kpi_values(k), results[c].kpi_values(k))
            if not d.significant:
                continue
            if is_better(k, d.mean) is False:
                return None
            if is_better(k, d.mean):
                better.append(Evidence(k, labels[o], d))
        if not better:
            return None
        evidence += better
    return evidence


def decide(
    results: Sequence[RunResult], labels: Sequence[str], targets: Sequence[ReportTarget],
    sizes: Sequence[float] | None = None,
) -> Verdict:  # fmt: skip
    """The verdict of the comparison of ``results`` (labels in the same order)."""
    outcomes = {lb: judge_run(r, targets) for lb, r in zip(labels, results, strict=True)}
    meeting = [i for i, lb in enumerate(labels) if all_met(outcomes[lb])]
    size = list(sizes) if sizes is not None else [math.nan] * len(labels)
    keys = [k for k in dict.fromkeys(t.kpi for t in targets) if k in results[0].summary]
    if not meeting:
        everyone = range(len(labels))
        for c in everyone:
            evidence = _dominates(c, everyone, results, labels, keys)
            if evidence is not None:
                return Verdict("none_meets", labels[c], outcomes, tuple(evidence))
        missed = [sum(o.status == "missed" for o in outcomes[lb]) for lb in labels]
        fewest = [lb for lb, m in zip(labels, missed, strict=True) if m == min(missed)]
        if len(fewest) == 1:
            return Verdict("none_meets", fewest[0], outcomes)
        return Verdict(
            "none_meets", None, outcomes, beaten=_beaten(everyone, results, labels, keys)
        )
    sized = [i for i in meeting if not math.isnan(size[i])]
    if len({size[i] for i in sized}) > 1:
        least = min(size[i] for i in sized)
        pool = [i for i in sized if size[i] == least]
        smaller = {labels[i]: [o.target.kpi for o in outcomes[labels[i]] if o.status == "missed"]
                   for i in range(len(labels)) if size[i] < least}  # fmt: skip
        if len(pool) == 1:
            return Verdict("smallest", labels[pool[0]], outcomes, smaller_missed=smaller)
    else:
        pool = meeting
    if len(pool) == 1:
        return Verdict("only", labels[pool[0]], outcomes)
    for c in pool:
        evidence = _dominates(c, pool, results, labels, keys)
        if evidence is not None:
            return Verdict("better", labels[c], outcomes, tuple(evidence))
    return Verdict("no_difference", None, outcomes, beaten=_beaten(pool, results, labels, keys))


def _beaten(
    pool: Sequence[int], results: Sequence[RunResult], labels: Sequence[str], keys: Sequence[str]
) -> tuple[tuple[str, Evidence], ...]:
    """Variants that another one beats (better on a target KPI, worse on none): the evidence
    for each, when no single variant beats all the others."""
    found = []
    for worse in pool:
        for better in pool:
            if better == worse:
                continue
            lead = _dominates(better, [better, worse], results, labels, keys)
            if lead is not None:
                found += [(labels[better], e) for e in lead]
                break
    return tuple(found)
