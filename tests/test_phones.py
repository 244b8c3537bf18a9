"""Phone duty (P1-P3, R10) with calls at exact times, written by hand from the rules.

One ring is ``ring_sec`` = 5 s, so 3 rings = 0.25 min (P1: answered within counts, ``<=``) and
6 rings = 0.5 min (P2: the call goes to the backup receptionist if one is free, else it is
lost). Reps are held busy by appointment groups with fixed times, so the moment a rep is free
is exactly known. Calls come at 60 an hour (one a minute) and the arrival stream's unit
exponential gaps are replaced by chosen gaps, so a gap of g minutes puts the next call g
minutes after the previous one (the first after 09:00).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sim.domain.results import VISIT_COLUMNS
from sim.model import DayResult, OfficeModel
from sim.office.phones import PhoneDuty
from tests.test_reception import build, fixed, model_of, post, staffing, trace

V = {name: i for i, name in enumerate(VISIT_COLUMNS)}
EPS = 1e-6  # well above the 1e-9 tolerance of the ring count, far below any other time here


def gaps(*values: float) -> Callable[[], float]:
    """A stand-in for the unit-exponential gap sampler: the given gaps, then no more calls."""
    it = iter(values)
    return lambda: next(it, 1e12)


def phone_day(
    call_gaps: tuple[float, ...],
    arrivals: tuple[str, ...] = ("09:00",),
    reps: Any = 1,
    sandbox: float = 10,
    phones: dict[str, Any] | None = None,
    backup: dict[str, Any] | None = None,
) -> tuple[OfficeModel, PhoneDuty, DayResult]:
    """A day with calls at the given gaps (from 09:00); by default one rep held by a group
    09:00-09:10 and one backup receptionist (1 min a task is not used: a call lasts 3)."""
    spec = {
        "calls": [{"from": "09:00", "rate": 60}], "ring_sec": 5,
        "answer_within_rings": 3, "transfer_after_rings": 6, "duration": fixed(3),
        **(phones or {}),
    }  # fmt: skip
    sections: dict[str, Any] = {"phones": spec}
    sections["backup_reception"] = post(1, 1) if backup is None else backup
    if not sections["backup_reception"]:
        del sections["backup_reception"]
    model = model_of(build(list(arrivals), reps, sandbox, staffing=staffing(**sections)))
    assert model.phones is not None
    model.phones.arrivals.gap = gaps(*call_gaps)
    day = model.run()
    return model, model.phones, day


def counters(p: PhoneDuty) -> tuple[int, int, int, int]:
    return p.calls, p.within, p.transferred, p.lost


def test_answered_at_once_when_a_rep_is_free() -> None:
    # The rep is busy 09:00-09:10; a call at 09:20 is answered at once (0 rings): within.
    _, p, _ = phone_day((20,))
    assert counters(p) == (1, 1, 0, 0)
    assert list(p.answer_delay) == [0.0]


def test_answered_after_exactly_three_rings_counts_as_within() -> None:
    # Call at 09:09.75; the rep is free at 09:10: answered after 0.25 min = 3 rings (<=: in).
    _, p, day = phone_day((9.75,))
    assert counters(p) == (1, 1, 0, 0)
    assert list(p.answer_delay) == [0.25]
    assert day.kpis["calls_within_rings_share"] == 1.0
    assert day.reps[0].calls == 1


def test_answered_just_after_three_rings_is_not_within() -> None:
    # Call at 09:09.75 - eps: answered at 09:10 after 3 rings + eps: out, but still the rep's.
    _, p, day = phone_day((9.75 - EPS,))
    assert counters(p) == (1, 0, 0, 0)
    assert list(p.answer_delay) == [pytest.approx(0.25 + EPS)]
    assert day.kpis["calls_within_rings_share"] == 0.0
    assert day.reps[0].calls == 1


def test_transferred_at_exactly_six_rings() -> None:
    # Call at 09:09.4; 6 rings (0.5 min) at 09:09.9, the rep is still busy until 09:10: the
    # backup receptionist takes it at 09:09.9 exactly, for the call's 3 min.
    model, p, day = phone_day((9.4,))
    assert counters(p) == (1, 0, 1, 0)
    assert list(p.answer_delay) == []  # no rep answered
    (_, start, end) = trace(model, "backup_reception")[0]
    assert start == pytest.approx(549.9, abs=1e-9) and end - start == pytest.approx(3.0)
    assert day.kpis["calls_transferred_share"] == 1.0
    assert day.reps[0].calls == 0


def test_answered_by_the_rep_just_before_six_rings() -> None:
    # Call at 09:09.5 + eps: 6 rings would be at 09:10 + eps; the rep is free at 09:10 and
    # answers after 0.5 - eps min (not within 3 rings, not transferred).
    _, p, _ = phone_day((9.5 + EPS,))
    assert counters(p) == (1, 0, 0, 0)
    assert list(p.answer_delay) == [pytest.approx(0.5 - EPS)]


def test_lost_when_the_backup_is_busy() -> None:
    # Calls at 09:09.0 and 09:09.2, rep busy until 09:10. The first transfers at 09:09.5 and
    # holds the backup until 09:12.5; the second rings 6 times by 09:09.7: backup busy -> lost.
    model, p, day = phone_day((9.0, 0.2))
    assert counters(p) == (2, 0, 1, 1)
    assert [s for _, s, _ in trace(model, "backup_reception")] == [pytest.approx(549.5)]
    assert day.kpis["calls_lost_share"] == 0.5


def test_lost_without_a_backup_receptionist() -> None:
    _, p, _ = phone_day((9.4,), backup={})
    assert counters(p) == (1, 0, 0, 1)


def test_lost_when_the_backup_is_off_shift() -> None:
    # The backup receptionist works 12:00-18:00 only: a call transferred at 09:09.9 is lost.
    shifts = {"A": {"start": "09:00", "end": "18:00"}, "B": {"start": "12:00", "end": "18:00"}}
    spec = {
        "calls": [{"from": "09:00", "rate": 60}], "duration": fixed(3),
    }  # fmt: skip
    sections = staffing(shifts, phones=spec, backup_reception=post(1, 1, shift="B"))
    model = model_of(build(["09:00"], 1, 10, staffing=sections))
    assert model.phones is not None
    model.phones.arrivals.gap = gaps(9.4)
    model.run()
    assert counters(model.phones) == (1, 0, 0, 1)


def test_a_rep_on_the_phone_is_busy_for_visitors_and_calls_are_cut_at_the_limit() -> None:
    # P3: a call at 09:00.5 of 15 min is cut at 10 min: the only rep is on it 09:00.5-09:10.5;
    # the group arriving 09:01 waits for the rep until 09:10.5 (9.5 min).
    _, p, day = phone_day(
        (0.5,), arrivals=("09:01",), phones={"duration": fixed(15), "max_call_min": 10}
    )
    assert counters(p) == (1, 1, 0, 0)
    assert p.rep_call_minutes == 10.0
    (visit,) = day.tables.visits if day.tables else []
    assert visit[V["assigned"]] == 550.5
    assert day.kpis["wait_rep_mean"] == pytest.approx(9.5)


def test_a_ringing_call_is_answered_before_a_waiting_group() -> None:
    # P1: the rep is busy 09:00-09:10; a group waits from 09:05; a call rings from 09:09.9.
    # At 09:10 the rep answers the call first (0.1 min: within), talks 3 min, and receives
    # the group at 09:13.
    _, p, day = phone_day((9.9,), arrivals=("09:00", "09:05"))
    assert counters(p) == (1, 1, 0, 0)
    assert list(p.answer_delay) == [pytest.approx(0.1)]
    assert day.tables is not None
    assigned = sorted(float(r[V["assigned"]]) for r in day.tables.visits)  # type: ignore[arg-type]
    assert assigned == [540.0, 553.0]


@pytest.mark.parametrize(("visit_reps_answer", "transferred"), [(False, 1), (True, 0)])
def test_phone_team_and_the_empty_desk(visit_reps_answer: bool, transferred: int) -> None:
    # R1: team B has the phones. Reps in turn order: b (team B), a (team A). The 09:00 group
    # goes to b (busy until 09:10). A call at 09:05: no phone-team rep is free. If visit reps
    # may answer when the desk is empty, a answers at once; else the call transfers at 6 rings.
    reps = [{"name": "b", "team": "B"}, {"name": "a", "team": "A"}]
    _, p, day = phone_day(
        (5,), reps=reps,
        phones={"phone_team": "B", "visit_reps_answer_when_desk_empty": visit_reps_answer},
    )  # fmt: skip
    assert p.transferred == transferred
    assert [r.calls for r in day.reps] == [0, 1 - transferred]


def test_no_calls_from_a_piece_starting_at_closing_time() -> None:
    # A rate piece from closing time on has no effect (and must not break the schedule).
    spec = {"calls": [{"from": "09:00", "rate": 0}, {"from": "18:00", "rate": 60}]}
    model = OfficeModel(build(["09:00"], 1, 10, staffing=staffing(phones=spec)), 0)
    day = model.run()
    assert day.kpis["calls"] == 0


def test_a_call_past_closing_counts_as_duty() -> None:
    # Day 09:00-10:00 run until empty, one rep. The only group 09:00-09:01; a call at 09:59
    # (gap 59) lasts 10 min: the rep works until 10:09, busy 11 min of 69 on duty.
    scenario = build(
        ["09:00"], 1, 1,
        staffing=staffing(phones={"calls": [{"from": "09:00", "rate": 60}], "duration": fixed(10)}),
        day={"type": "weekday", "open": "09:00", "close": "10:00", "run_until": "empty"},
    )  # fmt: skip
    model = OfficeModel(scenario, 0)
    assert model.phones is not None
    model.phones.arrivals.gap = gaps(59)
    day = model.run()
    assert model.phones.last_end == 609.0
    assert day.reps[0].busy_min == 11.0
    assert day.kpis["rep_utilisation"] == pytest.approx(11 / 69)
