"""Invariants of any simulated day, on small hypothesis-generated scenarios.

Conservation of groups, one group per rep at a time, VIP rooms and sample houses within
capacity, non-negative waits, a consistent journey order, and the accumulator's Little's-law
area equal to the visits table's.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.model import OfficeModel
from sim.recorder import ASSIGNMENT_COLUMNS, HOUSE_COLUMNS, ROOM_COLUMNS, VISIT_COLUMNS
from sim.scenario import Scenario, validate_scenario

V = {name: i for i, name in enumerate(VISIT_COLUMNS)}
A = {name: i for i, name in enumerate(ASSIGNMENT_COLUMNS)}
R = {name: i for i, name in enumerate(ROOM_COLUMNS)}
H = {name: i for i, name in enumerate(HOUSE_COLUMNS)}
EPS = 1e-9

shares = st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0]) | st.floats(0, 1)
# busy days first: contention at the desk, the rooms and the houses is what the checks are for
rates = st.sampled_from([40.0, 25.0, 10.0]) | st.floats(0, 40)


@st.composite
def durations(draw: st.DrawFn, low: float = 0.0, high: float = 30.0) -> dict[str, Any]:
    """A duration distribution in minutes (zero allowed: some stages may be skipped)."""
    kind = draw(st.sampled_from(["fixed", "exponential", "uniform", "triangular", "lognormal"]))
    m = draw(st.floats(max(low, 0.5), high))
    if kind == "fixed":
        return {"dist": "fixed", "value": draw(st.sampled_from([0.0, m]))}
    if kind == "exponential":
        return {"dist": "exponential", "mean": m}
    if kind == "uniform":
        return {"dist": "uniform", "min": low, "max": m}
    if kind == "triangular":
        return {"dist": "triangular", "min": low, "mode": (low + m) / 2, "max": m}
    return {"dist": "lognormal", "mean": m, "sd": draw(st.floats(0.1, 2 * m))}


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A small scenario: a 1-4 hour day, up to ~40 groups per hour, 1-6 reps."""
    hours = draw(st.integers(1, 4))
    close = f"{9 + hours:02d}:00"
    pieces = [{"from": "09:00", "rate": draw(rates)}]
    if draw(st.booleans()):
        pieces.append({"from": "09:30", "rate": draw(rates)})
    n_houses = draw(st.integers(0, 2))
    patience = draw(st.none() | durations(low=0.0, high=30.0))
    count = draw(st.integers(0, 6))
    return {
        "name": "hypothesis",
        "day": {
            "type": "weekend",
            "open": "09:00",
            "close": close,
            "run_until": draw(st.sampled_from(["empty", "close"])),
        },
        "arrivals": {
            "walk_in": pieces,
            "appointments": {
                "count": count,
                "slot_min": draw(st.sampled_from([15, 30, 60])),
                "punctuality_mean_min": draw(st.floats(-10, 10)),
                "punctuality_sd_min": draw(st.floats(0, 15)),
                "no_show_share": draw(shares),
                "designated_share": draw(shares),
            },
        },
        "visitors": {
            "group_size": {1: 1.0, 3: draw(st.floats(0, 2))},
            "car_share": draw(shares),
            "returning_share": draw(shares),
            "designated_share": draw(shares),
            "important_share": draw(shares),
            "non_sales_share": draw(shares),
            "negotiation_share": draw(shares),
            "vip_share": draw(shares),
            "sample_house_share": draw(st.sampled_from([1.0, 0.8]) | shares),
            "signing_share": draw(shares),
            "patience": patience,
        },
        "reps": draw(st.sampled_from([6, 3, 1]) | st.integers(1, 6)),
        "vip_rooms": {
            "count": draw(st.integers(0, 3)),
            "when_full": draw(st.sampled_from(["wait", "table"])),
            "max_wait_min": draw(st.none() | st.floats(0.5, 30)),
        },
        "tables": draw(st.none() | st.integers(1, 3)),
        "sample_houses": [
            {"name": f"house{i}", "capacity": draw(st.integers(1, 3))} for i in range(n_houses)
        ],
        "service_times": {
            "sandbox": draw(durations()),
            "sample_house": draw(durations()),
            "negotiation": draw(durations(high=40)),
            "signing": draw(durations()),
            "walk_out": draw(durations(high=5)),
            "non_sales": draw(durations(high=10)),
        },
    }


def _num(row: tuple[object, ...], col: int) -> float:
    return float(row[col])  # type: ignore[arg-type]


def _max_overlap(intervals: list[tuple[float, float]]) -> int:
    """Most intervals open at once; an interval ending at t frees its place for one starting
    at t (ends sort before starts)."""
    events = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    most = inside = 0
    for _, delta in events:
        inside += delta
        most = max(most, inside)
    return most


def _check_day(scenario: Scenario, seed: int) -> None:
    model = OfficeModel(scenario, seed=seed, replication=0, level="full")
    day = model.run()
    tables = day.tables
    assert tables is not None
    kpis = day.kpis
    close, end = scenario.day.close, day.end
    visits = tables.visits
    by_gid = {row[V["group"]]: row for row in visits}
    assert len(by_gid) == len(visits), "a group appears twice in the visits table"

    # conservation: every arrival is served, lost, non-sales or still inside
    outcomes = Counter(str(row[V["outcome"]]) for row in visits)
    assert set(outcomes) <= {"served", "lost", "non_sales", "present"}
    assert sum(outcomes.values()) == kpis["groups_arrived"] == model.recorder.acc.arrived
    assert outcomes["served"] == kpis["groups_served"]
    assert outcomes["lost"] == kpis["groups_lost"]
    assert outcomes["non_sales"] == kpis["non_sales"]
    assert outcomes["present"] == kpis["present_at_end"]
    if scenario.day.run_until == "empty":
        assert outcomes["present"] == 0
        assert end >= close

    # per-group facts
    service: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for row in visits:
        arrival, assigned = _num(row, V["arrival"]), _num(row, V["assigned"])
        departure, rep = _num(row, V["departure"]), int(row[V["rep"]])  # type: ignore[call-overload]
        outcome = row[V["outcome"]]
        assert scenario.day.open <= arrival <= close
        if outcome == "served":
            assert rep >= 0, "a served group has no rep"
            assert not math.isnan(assigned)
            assert math.isnan(_num(row, V["lost_at"]))
        if outcome in ("lost", "non_sales"):
            assert rep == -1 and math.isnan(assigned), f"a {outcome} group has a rep"
        if outcome == "lost":
            assert _num(row, V["lost_at"]) == departure >= arrival
        if outcome == "non_sales":
            assert departure >= arrival
        if outcome == "present":
            assert math.isnan(departure)
        if rep >= 0:
            assert 0 <= rep < len(scenario.reps)
            assert assigned >= arrival, "negative wait for a rep"
            stop = end if math.isnan(departure) else departure
            service[rep].append((assigned, stop))
        # the journey runs forward: arrival <= assigned <= tour <= seat <= departure
        stamps = [arrival, assigned, _num(row, V["tour_start"]), _num(row, V["tour_end"]),
                  _num(row, V["seat_request"]), _num(row, V["seat_start"]), departure]  # fmt: skip
        known = [t for t in stamps if not math.isnan(t)]
        assert all(a <= b + EPS for a, b in pairwise(known)), stamps
        assert _num(row, V["house_wait"]) >= 0
        if row[V["seat"]] == "vip":
            assert scenario.vip_rooms.count > 0

    # no rep holds two groups at once
    for rep, intervals in service.items():
        intervals.sort()
        for (_, end_a), (start_b, _) in pairwise(intervals):
            assert start_b >= end_a, f"rep {rep} serves two groups at {start_b}"

    # assignments agree with the visits table; waits are never negative
    assigned_groups = [row[A["group"]] for row in tables.assignments]
    assert len(assigned_groups) == len(set(assigned_groups)), "a group assigned twice"
    assert len(assigned_groups) == sum(len(intervals) for intervals in service.values())
    for row in tables.assignments:
        visit = by_gid[row[A["group"]]]
        assert row[A["rep"]] == visit[V["rep"]]
        assert _num(row, A["time"]) == _num(visit, V["assigned"])
        assert _num(row, A["waited"]) >= 0

    # VIP rooms: valid room ids, one group per room at a time, never over capacity
    rooms: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for row in tables.vip_rooms:
        room, start, stop = int(row[R["room"]]), _num(row, R["start"]), _num(row, R["end"])  # type: ignore[call-overload]
        assert 0 <= room < scenario.vip_rooms.count
        assert stop >= start
        visit = by_gid[row[R["group"]]]
        assert visit[V["seat"]] == "vip" and _num(visit, V["seat_start"]) == start
        rooms[room].append((start, stop))
    for room, intervals in rooms.items():
        assert _max_overlap(intervals) <= 1, f"room {room} holds two groups at once"
    all_uses = [iv for ivs in rooms.values() for iv in ivs]
    assert _max_overlap(all_uses) <= scenario.vip_rooms.count
    # a room use is recorded when the negotiation ends: every served VIP group has one, and a
    # group still inside at closing may have one (it was walking out)
    seated_vip = {r[V["group"]]: r[V["outcome"]] for r in visits if r[V["seat"]] == "vip"}
    room_groups = [row[R["group"]] for row in tables.vip_rooms]
    assert len(room_groups) == len(set(room_groups)), "a group used two VIP rooms"
    assert set(room_groups) <= set(seated_vip)
    assert {g for g, outcome in seated_vip.items() if outcome == "served"} <= set(room_groups)

    # sample houses: never over capacity, never a negative wait
    houses: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for row in tables.sample_houses:
        house = int(row[H["house"]])  # type: ignore[call-overload]
        request, start, stop = _num(row, H["request"]), _num(row, H["start"]), _num(row, H["end"])
        assert 0 <= house < len(scenario.sample_houses)
        assert request <= start <= stop
        houses[house].append((start, stop))
    for house, intervals in houses.items():
        assert _max_overlap(intervals) <= scenario.sample_houses[house].capacity

    # KPIs in range
    for key in ("wait_rep_mean", "wait_rep_p90", "vip_wait_mean", "house_wait_mean"):
        assert math.isnan(kpis[key]) or kpis[key] >= 0, key
    for key in ("lost_share", "rep_utilisation", "vip_to_table_share", "vip_occupancy",
                "wait_rep_over_target", "own_rep_share"):  # fmt: skip
        assert math.isnan(kpis[key]) or -EPS <= kpis[key] <= 1 + EPS, (key, kpis[key])

    # Little's law bookkeeping: the accumulator's area equals the visits' time in office
    area = math.fsum(
        (end if math.isnan(_num(r, V["departure"])) else _num(r, V["departure"]))
        - _num(r, V["arrival"])
        for r in visits
    )
    assert model.recorder.acc.area == pytest.approx(area, rel=1e-9, abs=1e-9)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(data=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_day_invariants(data: dict[str, Any], seed: int) -> None:
    _check_day(validate_scenario(data, "hypothesis"), seed)


def test_invariants_on_a_busy_weekend() -> None:
    """The shipped weekend with fewer reps and rooms: lots of waiting, losses and tables."""
    from tests.helpers import scenario_dict

    for run_until in ("empty", "close"):
        data = scenario_dict("weekend")
        data["reps"] = data["reps"][:4]
        data["vip_rooms"]["count"] = 1
        data["day"]["run_until"] = run_until
        scenario = validate_scenario(data, "weekend-busy")
        for seed in range(3):
            _check_day(scenario, seed)
