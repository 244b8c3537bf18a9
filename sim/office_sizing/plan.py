"""An office staffing plan: reps per team and shift, VIP rooms, people per post and shift.

A plan is a mapping *cell -> count*. Cells are ``("reps", team, shift)``, ``("vip_rooms",)`` and
``(post, shift)``; ``shift`` ``""`` is "all day" for reps without a rep shift. :func:`apply`
turns a plan into a validated scenario. Reps keep their names and order within a cell; a
removed rep is the cell's last, an added one is named after the cell (增补, experienced).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.core.clock import format_clock
from sim.core.shifts import Shift, uncovered
from sim.domain.labels import any_post_label
from sim.scenario.loader import validate_scenario
from sim.scenario.schema import Scenario
from sim.scenario.staffing import build_shifts

Cell = tuple[str, ...]
REPS = "reps"
ROOMS = "vip_rooms"
ALL_DAY = ""


def cell_label(cell: Cell) -> str:
    """'置业顾问 A组 早班A' style label of a cell (Chinese first, ids beside)."""
    if cell[0] == REPS:
        shift = cell[2] or "全天 all day"
        return f"置业顾问 reps {cell[1]}组 team {cell[1]}, 班次 shift {shift}"
    if cell[0] == ROOMS:
        return "VIP室 VIP rooms"
    return f"{any_post_label(cell[0])[0]} {cell[0]}, 班次 shift {cell[1]}"


@dataclass(frozen=True)
class Plan:
    """People (or rooms) per cell, in the scenario's cell order."""

    counts: tuple[tuple[Cell, int], ...]

    def get(self, cell: Cell) -> int:
        """The count of one cell (0 if absent)."""
        return dict(self.counts).get(cell, 0)

    def with_count(self, cell: Cell, n: int) -> Plan:
        """The plan with one cell changed."""
        return Plan(tuple((c, n if c == cell else k) for c, k in self.counts))

    def total(self) -> int:
        """People and rooms in all."""
        return sum(n for _, n in self.counts)

    def key(self) -> tuple[int, ...]:
        """Hashable identity of the plan (counts in cell order)."""
        return tuple(n for _, n in self.counts)


def staffed_posts(scenario: Scenario) -> list[str]:
    """The posts the scenario staffs (a headcount on some shift), in schema order."""
    st = scenario.staffing
    if st is None:
        return []
    dumped = st.model_dump()
    return [k for k, v in dumped.items()
            if isinstance(v, dict) and isinstance(v.get("headcount"), dict)]  # fmt: skip


def plan_of(scenario: Scenario) -> Plan:
    """The scenario's own plan: its reps by team and shift, rooms, post headcounts."""
    rep_shifts = scenario.staffing.rep_shifts if scenario.staffing else {}
    cells: dict[Cell, int] = {}
    for rep in scenario.reps:
        cell = (REPS, rep.team, rep_shifts.get(rep.name, ALL_DAY))
        cells[cell] = cells.get(cell, 0) + 1
    cells[(ROOMS,)] = scenario.vip_rooms.count
    if scenario.staffing is not None:
        dumped = scenario.staffing.model_dump()
        for post in staffed_posts(scenario):
            for shift, n in dumped[post]["headcount"].items():
                cells[(post, shift)] = int(n)
    return Plan(tuple(cells.items()))


def _reps(scenario: Scenario, plan: Plan) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The reps of ``plan``: the scenario's in their order (turn order matters), each cell's
    last ones dropped first; added reps after them."""
    rep_shifts = scenario.staffing.rep_shifts if scenario.staffing else {}
    seen: dict[Cell, int] = {}
    kept: list[tuple[Cell, dict[str, Any]]] = []
    for spec in scenario.reps:
        where: Cell = (REPS, spec.team, rep_shifts.get(spec.name, ALL_DAY))
        seen[where] = seen.get(where, 0) + 1
        if seen[where] <= plan.get(where):
            kept.append((where, spec.model_dump()))
    for cell, n in plan.counts:
        if cell[0] == REPS:
            kept += [(cell, {"name": f"增补{cell[1]}{cell[2]}{i + 1}", "team": cell[1],
                             "experienced": True})
                     for i in range(max(0, n - seen.get(cell, 0)))]  # fmt: skip
    shifts = {rep["name"]: cell[2] for cell, rep in kept if cell[2] != ALL_DAY}
    return [rep for _, rep in kept], shifts


def apply(scenario: Scenario, plan: Plan) -> Scenario:
    """The scenario staffed by ``plan`` (validated again)."""
    data = scenario.model_dump(by_alias=True, mode="json")
    data["visitors"]["group_size"] = dict(data["visitors"]["group_size"])
    reps, rep_shifts = _reps(scenario, plan)
    data["reps"] = reps
    data["vip_rooms"]["count"] = plan.get((ROOMS,))
    if data.get("staffing") is not None:
        data["staffing"]["rep_shifts"] = rep_shifts
        for cell, n in plan.counts:
            if cell[0] not in (REPS, ROOMS):
                data["staffing"][cell[0]]["headcount"][cell[1]] = n
    return validate_scenario(data, f"<plan of {scenario.name}>")


def coverage_gap(scenario: Scenario, plan: Plan, post: str) -> str | None:
    """'09:00–09:30' if ``post`` (or the reps) would leave part of opening hours unmanned."""
    shifts: dict[str, Shift] = build_shifts(scenario.staffing) if scenario.staffing else {}
    day = scenario.day
    whole = Shift("day", day.open, day.close)
    on: dict[Shift, int] = {}
    for cell, n in plan.counts:
        if cell[0] == post and n > 0:
            shift = cell[2] if post == REPS else cell[1]
            s = shifts.get(shift, whole) if shift != ALL_DAY else whole
            on[s] = on.get(s, 0) + n
    gaps = uncovered(day.open, day.close, on)
    if not gaps:
        return None
    return ", ".join(f"{format_clock(a)}–{format_clock(b)}" for a, b in gaps)


def floor_reason(scenario: Scenario, plan: Plan, cell: Cell) -> str | None:
    """Why one fewer in ``cell`` is not a plan at all (no SimPy needed), or None.

    A post (or the sales desk) must be manned through opening hours — the seed's posts are
    required, not optional — and no count goes below zero."""
    n = plan.get(cell)
    if n <= 0:
        return "已为0 already 0"
    if cell[0] == ROOMS:
        return None
    fewer = plan.with_count(cell, n - 1)
    gap = coverage_gap(scenario, fewer, cell[0])
    return f"岗位空缺 leaves {cell[0]} unmanned {gap}" if gap else None


def counts_by(plan: Plan) -> Mapping[Cell, int]:
    """The plan as a dict."""
    return dict(plan.counts)
