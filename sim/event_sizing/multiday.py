"""Multi-day events (多日活动, issue 12): each day of ``event.days`` sized on its own, the
headcount reported per day and in total, and one ``sizing.json`` for the fee plan.

Day ``i`` is the scenario with the day's ``attendance`` and its own visitors: search seed
``seed + i`` (so two days of equal attendance are two different days, and the fresh validation
days of every day, seed + i + 1,000,003, stay apart from every search day). Each day is sized
by the public :func:`sim.event_sizing.size`, so a day's answer is exactly what ``salesim size``
gives for that day alone.

The combined ``sizing.json`` (docs/sizing-result.md, "Multi-day events") has the rows of every
day, each with its ``day`` label, and ``days`` with each day's attendance, class, seats,
roster and fresh-day verdict, and the roster's totals over the days; each day's own files are
written to ``OUT/<label>/``, the roster of every day to ``OUT/roster.csv``. A day whose fresh
check fails makes the whole event NOT an answer: only ``OUT/sizing_failed.json`` is written.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.core.atomic import write_text
from sim.core.cells import csv_text
from sim.event_sizing.crowd import EventClass
from sim.event_sizing.multiday_roster import DAY_ROSTER_COLUMNS, combined_roster, day_roster_rows
from sim.event_sizing.output import event_class_dict, sizing_dict, write_sizing
from sim.event_sizing.sizer import SizingResult
from sim.scenario.event_days import EventDaySpec
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class DaySizing:
    """One day of a multi-day event and its sizing."""

    day: EventDaySpec
    seed: int
    result: SizingResult


@dataclass(frozen=True)
class MultiDaySizing:
    """Every day of a multi-day event, sized; ``seconds`` for all of them."""

    days: tuple[DaySizing, ...]
    seconds: float

    @property
    def attendance(self) -> int:
        """People over all days."""
        return sum(d.day.attendance for d in self.days)

    @property
    def event_class(self) -> EventClass:
        """The class of the busiest day (assumption (A): the permit threshold is judged per
        day, as each day is a gathering of its own)."""
        return EventClass(max(d.day.attendance for d in self.days))

    @property
    def failed(self) -> tuple[DaySizing, ...]:
        """The days whose fresh-day check still fails after every search round (issue 19)."""
        return tuple(d for d in self.days if d.result.status == "failed")


def day_scenarios(scenario: Scenario) -> list[tuple[EventDaySpec, Scenario]]:
    """Each day of ``event.days`` as a one-day scenario (the day's attendance, no ``days``)."""
    ev = scenario.event
    if ev is None or not ev.days:
        raise ValueError(f"scenario {scenario.name!r} has no event.days to size day by day")
    return [(d, scenario.model_copy(update={
        "event": ev.model_copy(update={"attendance": d.attendance, "days": ()})}))
        for d in ev.days]  # fmt: skip


def size_days(scenario: Scenario, size_one: Callable[[Scenario, int], SizingResult], seed: int,
              ) -> MultiDaySizing:  # fmt: skip
    """Size every day: ``size_one(day_scenario, seed + i)`` is the one-day sizing (the caller
    binds the targets and options of :func:`sim.event_sizing.size`)."""
    t0 = time.perf_counter()
    out = [DaySizing(day, seed + i, size_one(sc, seed + i))
           for i, (day, sc) in enumerate(day_scenarios(scenario))]  # fmt: skip
    return MultiDaySizing(tuple(out), time.perf_counter() - t0)


def _with_day(rows: Sequence[dict[str, Any]], label: str) -> list[dict[str, Any]]:
    return [{**r, "day": label} for r in rows]


def _validation(days: Sequence[tuple[str, dict[str, Any]]]) -> dict[str, Any] | None:
    """The days' fresh-day checks as one (targets labelled by day); ``None`` if none ran."""
    checks = [(label, v) for label, v in days if v is not None]
    if not checks:
        return None
    return {
        "seed": "per day: search seed + 1000003",
        "days": checks[0][1]["days"],
        "all_met": all(v["all_met"] for _, v in checks),
        "targets": [{**t, "kpi": f"{label} {t['kpi']}"} for label, v in checks
                    for t in v["targets"]],
        "per_day": {label: v for label, v in checks},
    }  # fmt: skip


def multiday_dict(res: MultiDaySizing, scenario_path: str) -> dict[str, Any]:
    """The combined sizing file: the first day's header, every day's rows with ``day``."""
    per_day = [(d.day.label, sizing_dict(d.result, scenario_path)) for d in res.days]
    first = per_day[0][1]
    levels = list(first["headcount_at"])
    return {
        **{k: first[k] for k in ("format", "scenario", "scenario_name", "day_type",
                                 "confidence", "mode", "block_minutes", "blocks")},
        "targets": first["targets"],
        "event_class": {**event_class_dict(res.event_class.attendance),
                        "total_attendance": res.attendance},
        "waiting_area": None,
        "headcount": [r for label, d in per_day for r in _with_day(d["headcount"], label)],
        "headcount_at": {lv: [r for label, d in per_day
                              for r in _with_day(d["headcount_at"][lv], label)]
                         for lv in levels},
        "roster": combined_roster([(label, d.get("roster")) for label, d in per_day]),
        "days": [{"label": label, "attendance": sized.day.attendance, "seed": sized.seed,
                  "event_class": d["event_class"], "waiting_area": d["waiting_area"],
                  "targets": d["targets"], "roster": d.get("roster"),
                  "status": sized.result.status, "seconds": d["seconds"]}
                 for (label, d), sized in zip(per_day, res.days, strict=True)],
        "simulated_days": sum(d["simulated_days"] for _, d in per_day),
        "validation": _validation([(label, d["validation"]) for label, d in per_day]),
        "seconds": round(res.seconds, 1),
        "code_version": first["code_version"],
    }  # fmt: skip


def write_days(res: MultiDaySizing, out: Path, scenario_path: str) -> list[Path]:
    """Each day's files to ``out/<label>/``, the combined ``out/sizing.json`` and the roster
    of every day, ``out/roster.csv`` (a ``day`` column first)."""
    paths: list[Path] = []
    for d in res.days:
        paths += write_sizing(d.result, out / d.day.label, scenario_path)
    data = multiday_dict(res, scenario_path)
    combined = out / "sizing.json"
    write_text(combined, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    rosters = [(d["label"], d["roster"]) for d in data["days"] if d["roster"] is not None]
    written = [combined]
    if rosters:
        written.append(out / "roster.csv")
        write_text(written[-1], csv_text(DAY_ROSTER_COLUMNS, day_roster_rows(rosters)))
    return [*written, *paths]


def write_failed_days(res: MultiDaySizing, path: Path, scenario_path: str) -> None:
    """The best plan of every day, marked ``status: failed`` with ``failed_days`` (NOT an
    answer), to ``path`` (``sizing_failed.json``; nothing else is written, issue 19 item 1)."""
    data = multiday_dict(res, scenario_path)
    data["status"] = "failed"
    data["failed_days"] = [d.day.label for d in res.failed]
    data["note"] = ("未通过样本外验证，不是答案 NOT an answer: the plan of day(s) "
                    f"{', '.join(data['failed_days'])} misses on fresh days after every search "
                    "round")  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
