"""The sizing result on disk (docs/sizing-result.md): sizing.json, headcount.csv and .xlsx,
plus sizing_details.json (the search's evidence: start, minimality checks, days by model).
The out-of-sample ``validation`` is part of sizing.json, so the fee plan can show it."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

from sim.core.atomic import write_text
from sim.core.cells import csv_text
from sim.core.clock import format_clock
from sim.domain.labels import EVENT_POSTS, PROPERTY, any_post_label
from sim.event_sizing.crowd import EventClass
from sim.event_sizing.evaluate import Counts
from sim.event_sizing.headcount_xlsx import write_headcount_xlsx  # issue 15: the grid
from sim.event_sizing.parking import parking_dict
from sim.event_sizing.roster_output import (
    ROSTER_COLUMNS,
    booked_dict,
    roster_dict,
    roster_rows,
    roster_value,
)
from sim.event_sizing.sizer import SizingResult
from sim.event_sizing.validate import FRESH_SEED_OFFSET, Z_ONE_SIDED_5, Validation, share_floor
from sim.experiment.versioning import code_version

FORMAT = "salesim-sizing/1"
COLUMNS = ("post", "label_zh", "payer", "block", "start", "end", "baseline", "extra", "total")


def block_labels(edges: tuple[float, ...]) -> list[tuple[str, str, str]]:
    """``(label, start, end)`` of each block, e.g. ``('08:30-09:30', '08:30', '09:30')``."""
    return [(f"{format_clock(a)}-{format_clock(b)}", format_clock(a), format_clock(b))
            for a, b in itertools.pairwise(edges)]  # fmt: skip


def rows(result: SizingResult, counts: Counts, service: Counts | None = None,
         ) -> list[dict[str, Any]]:  # fmt: skip
    """One row per post and block: baseline, extra (never negative), total; the property's
    service posts (物业选配岗位, baseline 0: all extra) after the desks."""
    out = []
    blocks = block_labels(result.problem.edges)
    payers = result.problem.event.payers()
    for post in result.problem.posts:
        for b, (label, start, end) in enumerate(blocks):
            base, total = result.problem.baseline[post][b], counts[post][b]
            out.append({"post": post, "label_zh": EVENT_POSTS[post][0], "payer": payers[post],
                        "block": label, "start": start, "end": end, "baseline": base,
                        "extra": max(0, total - base), "total": max(total, base)})  # fmt: skip
    for post, per_block in (service or {}).items():
        for (label, start, end), n in zip(blocks, per_block, strict=True):
            out.append({"post": post, "label_zh": any_post_label(post)[0], "payer": PROPERTY,
                        "block": label, "start": start, "end": end, "baseline": 0,
                        "extra": n, "total": n})  # fmt: skip
    return out


def _num(x: float) -> float | None:
    return None if math.isnan(x) else (round(x, 4) if math.isfinite(x) else None)


def sizing_dict(result: SizingResult, scenario_path: str) -> dict[str, Any]:
    """The contract of docs/sizing-result.md."""
    pr, ev = result.problem, result.problem.event
    at = {f"{level:.2f}": [{k: r[k] for k in ("post", "payer", "block", "baseline", "extra",
                                                  "total")}
                           for r in rows(result, counts, result.service_at.get(level))]
          for level, counts in result.counts_at.items()}  # fmt: skip
    return {
        "format": FORMAT,
        "scenario": scenario_path,
        "scenario_name": result.scenario.name,
        "day_type": ev.kind,
        "confidence": pr.criterion.confidence,
        "mode": pr.criterion.mode,
        "block_minutes": round(pr.edges[1] - pr.edges[0], 3),
        "blocks": [label for label, _, _ in block_labels(pr.edges)],
        "targets": [{"kpi": t.kpi, "op": t.op, "value": t.value, "achieved": _num(got),
                     "margin": _num(margin)} for t, got, margin in result.achieved],
        "event_class": event_class_dict(ev.attendance),
        "waiting_area": seats_dict(result),
        "parking": parking_dict(result.parking),
        "headcount": rows(result, result.counts, result.service),
        "headcount_at": at,
        "roster": roster_dict(roster_value(result)) | {"booked": booked_dict(result)},
        "simulated_days": result.usage.total,
        "validation": with_service_checks(validation_dict(result.validation, result.seed),
                                          result),
        "seconds": round(result.seconds, 1),
        "code_version": code_version(),
    }


def validation_dict(v: Validation | None, search_seed: int) -> dict[str, Any] | None:
    """The out-of-sample validation (docs/sizing-result.md); ``None`` when it was not run."""
    if v is None:
        return None
    return {
        "seed": v.seed,
        "seed_rule": f"search seed {search_seed} + {FRESH_SEED_OFFSET}",
        "replications": [0, v.days - 1],
        "days": v.days,
        "model": "screen+simpy",
        "simpy_days": v.simpy_days,
        "mode": v.mode,
        "level": v.level,
        "test": f"one-sided 5% (z = {Z_ONE_SIDED_5})",
        "share_floor": round(share_floor(v.level, v.days), 4) if v.mode == "share_of_days"
        else None,
        "targets": [{"kpi": c.target.kpi, "op": c.target.op, "value": c.target.value,
                     "level": c.level, "fresh": _num(c.fresh), "share_met": _num(c.share_met),
                     "mean": _num(c.mean), "achieved": _num(c.bound), "verdict": c.verdict}
                    for c in v.checks],
        "all_met": not v.misses,
        "joint": None if v.joint is None else {
            "share_met": _num(v.joint.share), "days_met": v.joint.met,
            "wilson_95": [_num(v.joint.low), _num(v.joint.high)], "verdict": v.joint.verdict},
        "passed": v.passed,
    }  # fmt: skip


def event_class_dict(attendance: int) -> dict[str, Any]:
    """The event class flags (docs/sizing-result.md)."""
    c = EventClass(attendance)
    return {"attendance": attendance, "class": "large" if c.large else "small_medium",
            "mass_gathering": c.mass_gathering, "notes": c.lines()}  # fmt: skip


def seats_dict(result: SizingResult) -> dict[str, Any] | None:
    """The waiting area's seats against the simulated peak (``None`` without a waiting area)."""
    s = result.seats
    if s is None:
        return None
    return {"seats": s.seats, "level": s.level, "peak_mean": round(s.peak_mean, 1),
            "peak_max": s.peak_max, "seats_needed": s.needed, "short": s.short}  # fmt: skip


def with_service_checks(v: dict[str, Any] | None, result: SizingResult) -> dict[str, Any] | None:
    """Add the ratio posts' fresh-day checks (``service_posts``) to the validation."""
    if v is None or not result.service_checks:
        return v
    v["service_posts"] = [{"post": c.post, "level": c.level, "share_met": _num(c.share_met),
                           "verdict": c.verdict} for c in result.service_checks]  # fmt: skip
    v["all_met"] = v["all_met"] and all(c.verdict != "MISSES" for c in result.service_checks)
    return v


def details_dict(result: SizingResult) -> dict[str, Any]:
    """How the answer was reached (not part of the contract)."""
    labels = [label for label, _, _ in block_labels(result.problem.edges)]
    return {
        "seed": result.seed,
        "search_days": result.days,
        "simulated_days": {"screen": result.usage.screen_days, "simpy": result.usage.simpy_days,
                           "validation": result.usage.validation_days},
        "analytic_start": {p: list(c) for p, c in result.start.items()},
        "demand": {p: [{"block": labels[b], "groups_per_hour": round(60 * lam, 3),
                        "service_min": round(s, 3), "offered_load": round(lam * s, 3)}
                       for b, (lam, s) in enumerate(v)]
                   for p, v in result.demand.items()},
        "minimality": [{"post": r.post, "block": labels[r.block], "removed": 1,
                        "misses": str(r.target), "achieved": _num(r.achieved), "days": r.days}
                       for r in result.removals],
        "exchange": exchange_dict(result),
        "kpi_curves": {k: [{"headcount": n, "achieved": _num(v)} for n, v in pts]
                       for k, pts in result.curves.items()},
    }


def exchange_dict(result: SizingResult) -> dict[str, Any] | None:
    """The exchange phase after the greedy search (``None`` when it was off)."""
    x = result.exchange
    if x is None:
        return None
    greedy = result.greedy or result.counts
    return {"greedy_total": x.before, "total": x.after, "dropped": x.before - x.after,
            "accepted_moves": x.accepted, "cheaper_moves": x.cheaper,
            "plateau_moves": x.plateau, "rounds": x.rounds, "plans_screened": x.candidates,
            "greedy_plan": {p: list(c) for p, c in greedy.items()}}  # fmt: skip


def _csv(table: list[dict[str, Any]]) -> str:
    return csv_text(COLUMNS, [[row.get(c) for c in COLUMNS] for row in table])


ROSTER_HEADER = ["岗位 post", "岗位名称", "付费方 payer", "开始 start", "结束 end", "人数 people",
                 "每人计费单位 units each", "单位 unit"]


def _xlsx(path: Path, result: SizingResult, data: dict[str, Any]) -> None:
    roster = (ROSTER_HEADER, roster_rows(data["roster"]),
              [None, None, None, None, None, "people", "count", None])
    write_headcount_xlsx(path, data["headcount"], data["targets"], data["headcount_at"],
                         extra={"排班 roster": roster})  # who starts when (issue 19)


def write_sizing(result: SizingResult, out: Path, scenario_path: str) -> list[Path]:
    """Write sizing.json, sizing_details.json, headcount.csv and headcount.xlsx to ``out``."""
    data = sizing_dict(result, scenario_path)
    paths = [out / "sizing.json", out / "sizing_details.json", out / "headcount.csv",
             out / "headcount.xlsx", out / "roster.csv"]  # fmt: skip
    write_text(paths[0], json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    write_text(paths[1], json.dumps(details_dict(result), ensure_ascii=False, indent=2) + "\n")
    write_text(paths[2], _csv(data["headcount"]))
    _xlsx(paths[3], result, data)
    write_text(paths[4], csv_text(ROSTER_COLUMNS, roster_rows(data["roster"])))
    return paths
