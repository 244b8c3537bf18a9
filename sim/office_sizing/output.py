"""The office sizing result files: ``sizing.json`` (docs/sizing-result.md, ``kind: office``),
``headcount.csv``/``headcount.xlsx`` and ``scenario.sized.yaml`` (the scenario staffed by the
answer, which ``salesim fee`` takes as SCENARIO).

For an office the sized plan *is* the normal day's staffing: each ``headcount`` row's
``baseline`` and ``total`` are the sized people of the post and shift (``extra`` 0), so the fee
plan bills them in its baseline from ``scenario.sized.yaml`` and adds no event surcharge. The
scenario's own staffing before sizing is in ``office.plan`` (``before``/``after`` per cell).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from sim.core.atomic import write_text
from sim.core.cells import csv_text
from sim.core.clock import format_clock
from sim.domain.labels import DEVELOPER, PROPERTY, any_post_label
from sim.event_sizing.headcount_xlsx import write_headcount_xlsx
from sim.experiment.versioning import code_version
from sim.office_sizing.plan import ALL_DAY, REPS, ROOMS, Plan, apply, cell_label
from sim.office_sizing.sizer import OfficeSizingResult, OfficeValidation
from sim.scenario.schema import Scenario
from sim.scenario.staffing import build_shifts

COLUMNS = ("post", "label_zh", "payer", "block", "start", "end", "baseline", "extra", "total")
SIZED = "scenario.sized.yaml"


def _span(scenario: Scenario, shift: str) -> tuple[float, float]:
    shifts = build_shifts(scenario.staffing) if scenario.staffing else {}
    if shift in shifts:
        return shifts[shift].start, shifts[shift].end
    return scenario.day.open, scenario.day.close


def headcount_rows(scenario: Scenario, plan: Plan) -> list[dict[str, Any]]:
    """One row per post and shift (reps summed over teams; rooms are not people)."""
    people: dict[tuple[str, str], int] = {}
    for cell, n in plan.counts:
        if cell[0] == ROOMS:
            continue
        key = (REPS, cell[2] or ALL_DAY) if cell[0] == REPS else (cell[0], cell[1])
        people[key] = people.get(key, 0) + n
    rows = []
    for (post, shift), n in people.items():
        start, end = _span(scenario, shift)
        zh = "置业顾问" if post == REPS else any_post_label(post)[0]
        rows.append({"post": post, "label_zh": zh,
                     "payer": DEVELOPER if post == REPS else PROPERTY, "block": shift or "day",
                     "start": format_clock(start), "end": format_clock(end), "baseline": n,
                     "extra": 0, "total": n})  # fmt: skip
    return rows


def validation_dict(v: OfficeValidation | None, level: float) -> dict[str, Any] | None:
    """The fresh-day check as sizing.json states it."""
    if v is None:
        return None
    return {"seed": v.seed, "days": v.days, "model": "simpy", "level": level,
            "joint_share": round(v.joint_share, 4), "joint_verdict": v.joint_verdict,
            "targets": [{"kpi": c.target.kpi, "op": c.target.op, "value": c.target.value,
                         "share_met": round(c.share_met, 4), "mean": round(c.mean, 4),
                         "achieved": round(c.achieved, 4), "verdict": c.verdict}
                        for c in v.checks],
            "all_met": v.all_met}  # fmt: skip


def sizing_dict(r: OfficeSizingResult, scenario_path: str, sized_path: str) -> dict[str, Any]:
    """The whole ``sizing.json`` of an office sizing."""
    j, crit = r.judgement, r.criterion
    rows = headcount_rows(r.scenario, r.plan)
    return {
        "format": "salesim-sizing/1", "kind": "office", "scenario": scenario_path,
        "scenario_name": r.scenario.name, "day_type": r.scenario.day.type,
        "confidence": crit.confidence, "mode": crit.mode, "block_minutes": 60,
        "blocks": sorted({row["block"] for row in rows}),
        "targets": [{"kpi": t.kpi, "op": t.op, "value": t.value, "achieved": round(a, 4),
                     "margin": round(t.value - a if t.op == "<=" else a - t.value, 4)}
                    for t, a in zip(j.targets, j.achieved, strict=True)],
        "headcount": rows,
        "headcount_at": {f"{lv:.2f}": headcount_rows(r.scenario, p)
                         for lv, p in r.at_levels.items()},
        "office": {
            "sized_scenario": sized_path, "vip_rooms": r.plan.get((ROOMS,)),
            "joint_share": round(j.joint_share, 4),
            "plan": [{"cell": list(c), "label": cell_label(c), "before": r.start.get(c),
                      "after": n} for c, n in r.plan.counts],
            "minimality": [{"cell": list(m.cell), "label": cell_label(m.cell), "reason": m.reason,
                            "joint_share": m.joint_share} for m in r.removals],
        },
        "simulated_days": r.simulated_days,
        "validation": validation_dict(r.validation, crit.confidence),
        "seconds": round(r.seconds, 1), "code_version": code_version(),
    }  # fmt: skip


def _csv(rows: list[dict[str, Any]]) -> str:
    return csv_text(COLUMNS, [[row.get(c) for c in COLUMNS] for row in rows])  # BOM: issue 15


def _xlsx(path: Path, data: dict[str, Any]) -> None:
    """headcount.xlsx: the post × shift grid per payer (issue 15) and the sized cells."""
    plan = [[p["label"], p["before"], p["after"]] for p in data["office"]["plan"]]
    write_headcount_xlsx(path, data["headcount"], data["targets"], extra={
        "单元 cells": (["单元 cell", "原 before", "测算 sized"], plan, [None, "count", "count"])})


def write_office_sizing(r: OfficeSizingResult, out: Path, scenario_path: str) -> list[Path]:
    """Write sizing.json, headcount.csv, headcount.xlsx and scenario.sized.yaml to ``out``."""
    sized = out / SIZED
    data = sizing_dict(r, scenario_path, str(sized))
    paths = [out / "sizing.json", out / "headcount.csv", out / "headcount.xlsx", sized]
    write_text(paths[0], json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    write_text(paths[1], _csv(data["headcount"]))
    _xlsx(paths[2], data)
    dumped = apply(r.scenario, r.plan).model_dump(by_alias=True, mode="json")
    dumped["visitors"]["group_size"] = dict(dumped["visitors"]["group_size"])
    write_text(sized, "# 测算结果 sized by salesim size from " + scenario_path + "\n"
               + yaml.safe_dump(dumped, allow_unicode=True, sort_keys=False))  # fmt: skip
    return paths
