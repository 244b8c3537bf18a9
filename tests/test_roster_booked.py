"""The booking-cost phase (issue 19 item 2): the sizer minimises the money at the booking terms.

The toy cases use an evaluator whose targets are a rule written down by hand (so the optimum
is derived by hand, not by a run); the end-to-end cases run the real sizer on the small launch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from sim.cli import main
from sim.event_sizing import parse_target, size
from sim.event_sizing.booked import book, prove
from sim.event_sizing.evaluate import Counts
from sim.event_sizing.outcome import Outcome
from sim.event_sizing.roster import full_cover, roster_post
from sim.event_sizing.search import Problem
from sim.event_sizing.sizer import make_problem
from sim.event_sizing.targets import SizingTarget
from sim.scenario import load_scenario, validate_scenario
from sim.scenario.event_booking import BookingTerms

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "bad" / "_base_event.yaml"  # a valid 300-person launch
EDGES = (540.0, 600.0, 660.0, 720.0, 780.0)  # 09:00 .. 13:00, four hourly blocks
TARGETS = (SizingTarget("sign_in_wait_p90", "<=", 0.5),
           SizingTarget("selection_wait_p90", "<=", 0.5))  # fmt: skip


def terms(**kw: object) -> BookingTerms:
    return BookingTerms.model_validate(kw)


def toy_problem() -> Problem:
    """Two desks (sign_in A, selection B), four hourly blocks, baseline 0, caps 5."""
    pr = make_problem(load_scenario(SMALL), TARGETS, "share_of_days", 0.9, 60)
    zero = (0, 0, 0, 0)
    return replace(pr, edges=EDGES, baseline={"sign_in": zero, "selection": zero},
                   caps={"sign_in": 5, "selection": 5})  # fmt: skip


class RuleEvaluator:
    """Targets by a hand rule: A needs 3 people at 09:00; B needs 3 at 11:00, or only 2 when
    A has 3 there too (a free neighbour at the desk upstream shortens B's queue). KPI 0 = met,
    1 = missed, on each of 10 identical days."""

    days = 10
    workers = 1

    def __init__(self) -> None:
        self.plans: list[Counts] = []

    def in_turn(self, cands: list[Counts], base: Counts | None = None,
                crit: Any = None) -> Iterator[Outcome]:  # fmt: skip
        return (self._out(c) for c in cands)

    def screen(self, counts: Counts) -> Outcome:
        """The current plan (the real evaluator remembers it: no days, not in ``plans``)."""
        return self._out(counts, record=False)

    def _out(self, c: Counts, record: bool = True) -> Outcome:
        if record:
            self.plans.append(c)
        a, b = c["sign_in"], c["selection"]
        ok_a, ok_b = a[0] >= 3, b[2] >= 3 or (b[2] >= 2 and a[2] >= 3)
        return Outcome({"sign_in_wait_p90": np.full(10, 0.0 if ok_a else 1.0),
                        "selection_wait_p90": np.full(10, 0.0 if ok_b else 1.0)}, None, 10)

    def complete(self, counts: Counts) -> None:
        """Nothing to complete: every plan here is judged on all its days."""

    def screen_many(self, cands: list[Counts], base: Counts) -> list[Outcome]:
        return [self._out(c) for c in cands]

    def simpy(self, counts: Counts, criterion: Any = None) -> Outcome:
        return self._out(counts)

    def verified(self, counts: Counts, criterion: Any = None) -> Outcome:
        return self._out(counts)


MINIMAL = {"sign_in": (3, 0, 0, 0), "selection": (0, 0, 3, 0)}  # 6 person-blocks: the fewest
CHEAPER = {"sign_in": (3, 0, 3, 0), "selection": (0, 0, 2, 0)}  # 8 person-blocks, peaks 3 and 2


def test_full_cover_by_the_day_keeps_the_peak_on_duty_all_day() -> None:
    """By the day a person costs 1 whether they stay or not: need (0,0,3,0) → 3 person-days,
    and every one of them on duty in all four blocks (the most person-minutes at that cost)."""
    r = full_cover("x", (0, 0, 3, 0), EDGES, terms(unit="day"), [5] * 4)
    assert (r.units, r.cover) == (3, (3, 3, 3, 3))
    assert [(s.label, s.people) for s in r.shifts] == [("09:00-13:00", 3)]
    by_hour = full_cover("x", (0, 0, 3, 0), EDGES, terms(unit="hour"), [5] * 4)
    assert (by_hour.units, by_hour.cover) == (3, (0, 0, 3, 0))  # by the hour nothing is free
    half = full_cover("x", (0, 0, 3, 0), EDGES, terms(unit="half_day", start_step_min=60),
                      [5] * 4)  # fmt: skip
    assert (half.units, half.cover) == (3, (3, 3, 3, 3))  # 4 h day: one half day covers it


def test_day_booking_picks_the_cheaper_plan_with_more_person_blocks() -> None:
    """The person-block minimum (peaks 3 and 3, 6 person-blocks) costs 3 + 3 = 6 person-days;
    peaks 3 and 2 (8 person-blocks) meet the rule and cost 5. Started from the minimum's full
    cover (3 at both desks all day), dropping one day-person at B keeps A's 3 at 11:00, so it
    meets; no further drop does (A below 3 at 09:00, or B below 2 at 11:00)."""
    pr, ev = toy_problem(), RuleEvaluator()
    assert roster_post("a", CHEAPER["sign_in"], EDGES, terms(unit="day")).units == 3
    flat = {"sign_in": (3, 3, 3, 3), "selection": (3, 3, 3, 3)}  # Erlang C stand-in: 6 days
    plan, info = book(pr, ev, MINIMAL, pr.criterion, terms(unit="day"), flat)  # type: ignore[arg-type]
    assert plan == {"sign_in": (3, 3, 3, 3), "selection": (2, 2, 2, 2)}
    assert (info.minimal_units, info.erlang_units, info.units) == (6, 6, 5)
    assert info.start == "minimal" and info.moves == 1
    proven = prove(pr, ev, plan, pr.criterion, terms(unit="day"), info)  # type: ignore[arg-type]
    assert proven is not None and proven[0] == plan
    # one booked person fewer at either desk misses: A's at 09:00, B's at 11:00
    assert sorted((r.post, r.shift, r.target.kpi) for r in info.removals) == [
        ("selection", "09:00-13:00", "selection_wait_p90"),
        ("sign_in", "09:00-13:00", "sign_in_wait_p90")]


def test_hour_booking_keeps_the_person_hour_minimum() -> None:
    """By the hour one unit is one person-block: the minimum's 6 person-hours is the least
    money (the peaks-3-and-2 plan costs 8), every full cover is the plan itself, and each
    cost-lowering move (one person fewer in a booked hour) misses the rule."""
    pr, ev = toy_problem(), RuleEvaluator()
    flat = {"sign_in": (3, 3, 3, 3), "selection": (3, 3, 3, 3)}  # 24 person-hours
    plan, info = book(pr, ev, MINIMAL, pr.criterion, terms(unit="hour"), flat)  # type: ignore[arg-type]
    assert plan == MINIMAL and info.moves == 0
    assert (info.minimal_units, info.erlang_units, info.units) == (6, 24, 6)


def test_the_erlang_c_plan_seeds_the_phase_when_cheaper_and_met() -> None:
    """A stand-in Erlang C plan with peaks 3 and 2 held all day meets the rule and costs 5 <
    6 person-days: the phase starts from it (and cannot go lower, as above)."""
    pr, ev = toy_problem(), RuleEvaluator()
    flat = {"sign_in": (3, 3, 3, 3), "selection": (2, 2, 2, 2)}
    plan, info = book(pr, ev, MINIMAL, pr.criterion, terms(unit="day"), flat)  # type: ignore[arg-type]
    assert info.start == "erlang_c" and info.erlang_met and info.units == info.start_units == 5
    assert plan == flat and info.moves == 0


class SlowerDownstreamEvaluator(RuleEvaluator):
    """A needs 3 people at 09:00, or only 2 when B has at most 2 at 11:00 (a slower desk
    downstream); B needs 2 at 11:00. A's drop misses while B has 3 and holds once B has 2."""

    def _out(self, c: Counts, record: bool = True) -> Outcome:
        if record:
            self.plans.append(c)
        a, b = c["sign_in"], c["selection"]
        ok_a, ok_b = a[0] >= 3 or (a[0] >= 2 and b[2] <= 2), b[2] >= 2
        return Outcome({"sign_in_wait_p90": np.full(10, 0.0 if ok_a else 1.0),
                        "selection_wait_p90": np.full(10, 0.0 if ok_b else 1.0)}, None, 10)


def test_a_move_that_missed_waits_until_no_other_move_holds() -> None:
    """By the day from 3 and 3 all day: A's drop misses (B still has 3), B's holds and is
    taken. Next, B's drop (to 1) is screened first and misses; only then A's drop is offered
    again, and on B's 2 it holds: 2 + 2 = 4, where no move holds (both screened). Screening
    every move each time (in desk order) would have screened A's drop before B's."""
    pr, ev = toy_problem(), SlowerDownstreamEvaluator()
    flat = {"sign_in": (3, 3, 3, 3), "selection": (3, 3, 3, 3)}
    plan, info = book(pr, ev, MINIMAL, pr.criterion, terms(unit="day"), flat)  # type: ignore[arg-type]
    assert plan == {"sign_in": (2, 2, 2, 2), "selection": (2, 2, 2, 2)}
    assert info.moves == 2 and info.units == 4
    a_again = ev.plans.index({"sign_in": (2, 2, 2, 2), "selection": (2, 2, 2, 2)})
    b_drop = ev.plans.index({"sign_in": (3, 3, 3, 3), "selection": (1, 1, 1, 1)})
    assert b_drop < a_again
    proven = prove(pr, ev, plan, pr.criterion, terms(unit="day"), info)  # type: ignore[arg-type]
    assert proven is not None and proven[0] == plan
    assert sorted(r.post for r in info.removals) == ["selection", "sign_in"]


def _with_booking(tmp_path: Path, unit: str) -> Path:
    data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    data["event"]["booking"] = {"unit": unit}
    path = tmp_path / f"{unit}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_small_launch_hour_booking_changes_nothing() -> None:
    """On the small launch by the hour (blocks of 1 h, minimum 1 h) the money is the
    person-hours: the booked plan is the person-block minimum and costs the same."""
    data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    data["event"]["booking"] = {"unit": "hour"}
    sc = validate_scenario(data, "hour")
    targets = [parse_target("sign_in_wait_p90<=8"), parse_target("selection_wait_p90<=4")]
    res = size(sc, targets, days=20, seed=5, workers=1, levels=(), curves=False)
    assert res.booked is not None and res.minimal is not None
    assert res.counts == res.minimal
    assert res.booked.units == res.booked.minimal_units == sum(sum(r) for r in res.minimal.values())


def test_cli_day_booking_writes_the_booked_plan(tmp_path: Path) -> None:
    """`salesim size` by the day: headcount totals are the people the roster puts on duty
    (each desk's cover), the roster costs no more than the person-block minimum's, every
    booked person's removal is recorded as a miss, and the money line is printed."""
    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["size", str(_with_booking(tmp_path, "day")), "--out",
                                       str(out), "-n", "20", "--workers", "1", "--no-plots",
                                       "--validate-days", "0"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads((out / "sizing.json").read_text(encoding="utf-8"))
    total: dict[str, list[int]] = {}
    for row in data["headcount"]:
        total.setdefault(row["post"], []).append(row["total"])
    roster = data["roster"]
    booked = roster["booked"]
    for post in roster["posts"]:
        assert post["cover"] == total[post["post"]]  # the plan is what the roster puts on duty
    low = roster["person_block_minimal"]
    assert roster["desk_units"] == booked["desk_units"] <= low["desk_units"]
    assert low["desk_units"] == booked["person_block_minimal_units"]
    assert booked["unit"] == "day" and booked["minimality"]
    people = sum(p["people"] for p in roster["posts"] if p["post"] in low["plan"])
    assert people == roster["desk_units"]  # by the day one unit per person
    assert "各台订用成本 desks' booked cost" in result.output


@pytest.mark.parametrize("unit", ["half_day"])
def test_booked_cost_never_above_the_minimum(tmp_path: Path, unit: str) -> None:
    """By the half day too, the phase starts from the minimum's own roster money and only
    takes moves that lower it."""
    sc = load_scenario(_with_booking(tmp_path, unit))
    targets = [parse_target("sign_in_wait_p90<=8")]
    res = size(sc, targets, days=20, seed=3, workers=1, levels=(), curves=False)
    assert res.booked is not None
    assert res.booked.units <= res.booked.minimal_units


def test_kpi_curves_vary_a_block_where_the_desk_is_needed(tmp_path: Path) -> None:
    """By the day a booked desk has its peak on duty in every block; the KPI-vs-headcount
    curves must still vary a block the person-block plan sized (where the desk's groups
    are), not one without demand: there the curve was a flat line. Fewer people there make
    the binding wait longer, and the target is crossed within the curve's span."""
    sc = load_scenario(_with_booking(tmp_path, "day"))
    targets = [parse_target("sign_in_wait_p90<=8"), parse_target("selection_wait_p90<=4")]
    res = size(sc, targets, days=20, seed=5, workers=1, levels=())
    assert res.minimal is not None and res.counts != res.minimal  # booked: free people added
    assert len(res.curves) == 2
    for key, points in res.curves.items():
        kpi, block = key.split("@")
        post = kpi.removesuffix("_wait_p90")
        assert res.minimal[post][int(block)] == max(res.minimal[post])  # the sized peak
        waits = [v for _, v in points]
        assert waits[0] > waits[-1]
        assert waits[-1] <= 8 if post == "sign_in" else waits[-1] <= 4
        assert waits[0] > (8 if post == "sign_in" else 4)
