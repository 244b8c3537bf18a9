"""Plain rotation (round_robin): hand-checked traces and fairness."""

from __future__ import annotations

from sim.core.clock import parse_clock
from sim.model import simulate_day
from sim.office.staff import PolicyOffice, Rep
from sim.policies.round_robin import RoundRobin
from tests.helpers import fixed_trace_scenario


def _assignments(arrivals: list[str], reps: int, sandbox: float) -> list[tuple[int, str, str]]:
    day = simulate_day(fixed_trace_scenario(arrivals, reps, sandbox), seed=1)
    assert day.tables is not None
    names = [r.name for r in day.reps]
    out = []
    for group, rep, time, _waited, _match in sorted(day.tables.assignments):
        whole = round(time)
        out.append((group, names[rep], f"{whole // 60:02d}:{whole % 60:02d}"))
    return out


def test_round_robin_trace_by_hand() -> None:
    # 3 reps, each group holds its rep 30 min. Written by hand from the rule
    # "next free rep in turn order; the rep who took the turn goes to the back":
    # 09:00 g0->01 (order 02,03,01)  09:10 g1->02 (03,01,02)  09:20 g2->03 (01,02,03)
    # 09:25 g3 waits; 09:30 01 frees -> g3->01 (02,03,01); 09:40 02 frees
    # 09:45 g4->02 (03,01,02); 09:50 03 frees; 10:00 01 frees; 10:05 g5->03 (first free in order)
    got = _assignments(["09:00", "09:10", "09:20", "09:25", "09:45", "10:05"], 3, 30)
    assert got == [
        (0, "顾问01", "09:00"),
        (1, "顾问02", "09:10"),
        (2, "顾问03", "09:20"),
        (3, "顾问01", "09:30"),
        (4, "顾问02", "09:45"),
        (5, "顾问03", "10:05"),
    ]


def test_busy_rep_keeps_its_place() -> None:
    reps = [Rep(i, n, "A", True) for i, n in enumerate("ABC")]
    policy = RoundRobin(PolicyOffice(reps, "weekday"))
    reps[0].busy = True  # A is on turn but busy
    chosen = policy.choose(None, 0.0)  # type: ignore[arg-type]
    assert chosen is reps[1]
    policy.on_assigned(None, reps[1], 0.0)  # type: ignore[arg-type]
    assert [r.name for r in policy.order] == ["A", "C", "B"]
    reps[0].busy = False
    assert policy.choose(None, 1.0) is reps[0]  # type: ignore[arg-type]


def test_equal_service_receptions_differ_by_at_most_one() -> None:
    # a steady stream, equal service times, plain rotation, no designations: fair to one
    times = [f"{9 + m // 60:02d}:{m % 60:02d}" for m in range(0, 8 * 60, 7)]
    day = simulate_day(fixed_trace_scenario(times, 5, 20), seed=3)
    counts = [r.receptions for r in day.reps]
    assert sum(counts) == len(times)
    assert max(counts) - min(counts) <= 1


def test_waiting_groups_served_in_arrival_order() -> None:
    got = _assignments(["09:00", "09:01", "09:02", "09:03"], 1, 10)
    assert [t for _, _, t in got] == ["09:00", "09:10", "09:20", "09:30"]
    assert parse_clock(got[-1][2]) == 570
