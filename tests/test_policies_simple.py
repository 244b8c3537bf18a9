"""first_free, longest_idle and experienced_for_important (V2): hand-checked traces."""

from __future__ import annotations

from sim.model import simulate_day
from sim.office.staff import PolicyOffice, Rep
from sim.policies import known_policies
from sim.policies.longest_idle import LongestIdle
from tests.helpers import fixed_trace_scenario


def _assigned(
    policy: str, arrivals: list[str], reps: int, minutes: float, **kw: object
) -> list[str]:
    day = simulate_day(fixed_trace_scenario(arrivals, reps, minutes, **kw), seed=1, policy=policy)
    assert day.tables is not None
    names = [r.name for r in day.reps]
    return [names[rep] for _g, rep, _t, _w, _m in sorted(day.tables.assignments)]


def test_registered() -> None:
    assert {"first_free", "longest_idle", "experienced_for_important"} <= set(known_policies())


def test_first_free_always_takes_the_top_of_the_list() -> None:
    # 30-min visits at 09:00, 09:40, 10:20: rep 01 is free again each time, so takes all three
    # (round_robin would give 01, 02, 03).
    times = ["09:00", "09:40", "10:20"]
    assert _assigned("first_free", times, 3, 30) == ["顾问01"] * 3
    assert _assigned("round_robin", times, 3, 30) == ["顾问01", "顾问02", "顾问03"]


def test_longest_idle_by_hand() -> None:
    reps = [Rep(i, n, "A", True) for i, n in enumerate("ABC")]
    policy = LongestIdle(PolicyOffice(reps, "weekday"))
    # never-used reps are idle longest, in list order
    assert policy.choose(None, 540.0) is reps[0]  # type: ignore[arg-type]
    # A served a short visit (free 09:20), B a long one (free 10:00), C serving until 10:30
    policy.on_released(reps[0], None, 560.0)  # type: ignore[arg-type]
    policy.on_released(reps[1], None, 600.0)  # type: ignore[arg-type]
    reps[2].busy = True
    assert policy.choose(None, 605.0) is reps[0]  # type: ignore[arg-type]  # idle since 09:20
    reps[0].busy = True
    assert policy.choose(None, 606.0) is reps[1]  # type: ignore[arg-type]
    reps[1].busy = True
    assert policy.choose(None, 607.0) is None  # type: ignore[arg-type]


def test_v2_important_groups_only_to_experienced_reps() -> None:
    # reps: 01, 02 experienced, 03 new (a count of 3 makes the first two thirds experienced).
    # Every group important, 30 min each: 09:00 -> 01, 09:05 -> 02, 09:10 waits although 03 is
    # free, 09:30 01 frees -> 01 (next experienced in turn order 03, 01, 02).
    times = ["09:00", "09:05", "09:10"]
    got = _assigned(
        "experienced_for_important", times, 3, 30, visitors__important_share=1
    )
    assert got == ["顾问01", "顾问02", "顾问01"]
    # with no important groups it is plain rotation
    plain = _assigned("experienced_for_important", times, 3, 30)
    assert plain == _assigned("round_robin", times, 3, 30) == ["顾问01", "顾问02", "顾问03"]
