"""Event days: the vectorised screen reproduces the SimPy model group by group; common random
numbers; `salesim run` on the shipped event scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.event.day import day_kpis, simulate_event_times
from sim.event.inputs import EventPlan, draw_event_visitors
from sim.event.screen import screen
from sim.scenario import derive, load_scenario
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = ROOT / "scenarios" / "launch_day_800.yaml"
OPEN_DAY = ROOT / "scenarios" / "site_open_day.yaml"


def _variants() -> list[tuple[str, Scenario, EventPlan | None]]:
    launch = load_scenario(LAUNCH)
    queue = derive(launch, {"event.calling.order": "queue", "event.calling.no_show_share": 0.2})
    tight = EventPlan.from_blocks(  # staffing changing every 45 min, some desks short or closed
        [510 + 45 * i for i in range(11)],
        {"sign_in": [5, 7, 3, 1, 0, 0, 0, 0, 0, 0], "selection": [0, 6, 9, 4, 8, 2, 0, 0, 0, 0],
         "finance": [0, 9, 12, 8, 4, 6, 3, 0, 0, 0], "contract": [0, 10, 14, 18, 9, 5, 4, 2, 0, 0],
         "gift": [0, 1, 2, 2, 1, 1, 1, 1, 1, 0]},
    )  # fmt: skip
    heavy = derive(launch, {"event.buy_share": 0.7})  # a buyer-heavy day: the buyers' desks overrun
    return [("launch", launch, None), ("queue", queue, None), ("tight", heavy, tight),
            ("open_day", load_scenario(OPEN_DAY), None),
            ("wave_lottery", _three_waves(launch, "wave_lottery", "12:00"), None),
            ("open_day_tours", _tours(4), None)]  # fmt: skip


def _tours(batch: int) -> Scenario:
    """The open day with engineers touring up to ``batch`` owner groups at once (issue 19
    item 5) and fewer engineers, so that groups queue and tours fill."""
    return derive(load_scenario(OPEN_DAY), {
        "event.desks[1].batch_size": batch,
        "event.desks[1].headcount": [{"from": "09:00", "count": 5}, {"from": "17:00", "count": 0}],
    })  # fmt: skip


def _three_waves(launch: Scenario, order: str, sign_in_until: str = "12:30") -> Scenario:
    """The launch with three invitation waves (08:30, 10:00, 11:30) and ``order`` of calling;
    sign-in closing at 12:00 leaves late groups unsigned, and a host waiting for one of them
    calls no more (both models)."""
    return derive(launch, {
        "event.sign_in_window": ["08:30", "12:00"],
        "event.waves": [{"from": "08:30", "to": "09:00", "share": 0.4},
                        {"from": "10:00", "to": "10:30", "share": 0.3},
                        {"from": "11:30", "to": "12:00", "share": 0.3}],
        "event.desks[0].headcount": [{"from": "08:30", "count": 6},
                                     {"from": sign_in_until, "count": 0}],
        "event.desks[1].headcount": [{"from": "09:30", "count": 8}, {"from": "15:30", "count": 0}],
        "event.calling.order": order,
    })  # fmt: skip


@pytest.mark.parametrize(("name", "scenario", "plan"), _variants(),
                         ids=lambda v: v if isinstance(v, str) else "")  # fmt: skip
def test_screen_equals_simpy_group_by_group(
    name: str, scenario: Scenario, plan: EventPlan | None
) -> None:
    plan = plan or EventPlan.baseline(scenario)
    ev = scenario.event
    assert ev is not None
    vis = draw_event_visitors(scenario, 7, range(6))
    fast, slow = screen(ev, plan, vis), simulate_event_times(scenario, plan, vis)
    for d in ev.desks:
        for kind in ("arrive", "start", "end"):
            a, b = getattr(fast, kind)[d.post], getattr(slow, kind)[d.post]
            assert np.array_equal(np.isnan(a), np.isnan(b)), (name, d.post, kind)
            assert np.array_equal(np.isinf(a), np.isinf(b)), (name, d.post, kind)
            ok = np.isfinite(a)
            assert np.allclose(a[ok], b[ok], rtol=0, atol=1e-9), (name, d.post, kind)
        assert np.isfinite(fast.start[d.post]).any()
    if ev.calling is not None:
        assert fast.moved is not None and slow.moved is not None
        assert np.array_equal(fast.moved, slow.moved) and fast.moved.any()
    kf, ks = day_kpis(scenario, plan, fast), day_kpis(scenario, plan, slow)
    for key in kf:
        assert np.allclose(kf[key], ks[key], atol=1e-6, equal_nan=True), key


def test_tight_plan_leaves_groups_unserved_and_waits_infinite() -> None:
    _, scenario, plan = _variants()[2]
    assert plan is not None
    vis = draw_event_visitors(scenario, 7, range(3))
    k = day_kpis(scenario, plan, screen(scenario.event, plan, vis))  # type: ignore[arg-type]
    assert (k["finance_unserved"] > 0).all() or (k["contract_unserved"] > 0).all()
    assert np.isinf(k["finance_wait_p90"]).all() or np.isinf(k["contract_wait_p90"]).all()


def test_changing_headcount_keeps_the_visitors() -> None:
    """Common random numbers: two scenarios that differ only in staffing (headcount and caps)
    draw the very same groups (arrival, size, buyer, no-show, lottery, service and walk times
    at every desk); only the waits differ."""
    sc = load_scenario(LAUNCH)
    more = derive(sc, {
        "event.desks[0].headcount": [{"from": "08:30", "count": 14}, {"from": "09:30", "count": 3}],
        "event.desks[0].cap": 30,
        "event.desks[2].headcount": [{"from": "09:30", "count": 20}, {"from": "13:30", "count": 0}],
    })  # fmt: skip
    a, b = draw_event_visitors(sc, 3, [4, 5]), draw_event_visitors(more, 3, [4, 5])
    assert a.replications == b.replications
    for field in ("valid", "arrival", "size", "buyer", "absent", "lottery"):
        assert np.array_equal(getattr(a, field), getattr(b, field), equal_nan=True), field
    assert a.service.keys() == b.service.keys() and a.walk.keys() == b.walk.keys()
    for p in a.service:
        assert np.array_equal(a.service[p], b.service[p], equal_nan=True), ("service", p)
        assert np.array_equal(a.walk[p], b.walk[p], equal_nan=True), ("walk", p)
    base, plan_more = EventPlan.baseline(sc), EventPlan.baseline(more)
    assert base.pieces["sign_in"] != plan_more.pieces["sign_in"]
    t1, t2 = simulate_event_times(sc, base, a), simulate_event_times(more, plan_more, b)
    assert np.array_equal(t1.service["sign_in"], t2.service["sign_in"], equal_nan=True)
    w1 = np.nanmean(t1.start["sign_in"] - t1.arrive["sign_in"])
    w2 = np.nanmean(t2.start["sign_in"] - t2.arrive["sign_in"])
    assert w2 < w1
    # replication i does not depend on which other replications are drawn with it
    alone = draw_event_visitors(sc, 3, [5])
    n = int(alone.valid.sum())
    assert np.array_equal(alone.arrival[0, :n], a.arrival[1, :n])


def _run(path: Path, tmp: Path, *extra: str) -> Any:
    return CliRunner().invoke(main, ["run", str(path), "-n", "4", "--out", str(tmp), *extra])


@pytest.mark.parametrize("path", [LAUNCH, OPEN_DAY], ids=["launch", "open_day"])
def test_salesim_run_prints_event_kpis(path: Path, tmp_path: Path) -> None:
    result = _run(path, tmp_path, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "签到台等待P90" in result.output and "sign_in_wait_p90" in result.output  # label, key
    folder = next(tmp_path.glob("*-seed0"))
    assert (folder / "kpis_by_replication.csv").read_text().count("\n") == 5


def test_wave_lottery_calls_each_wave_in_order_and_moves_only_no_shows() -> None:
    """Issue 19 item 4 (V5): with ``wave_lottery`` each invitation wave has its own range of
    numbers, called in wave order, and the host waits for a number not yet signed in: exactly
    the drawn no-shows move to the end. A plain lottery on the same day calls later waves'
    numbers before they arrive and moves them to the end too."""
    launch = load_scenario(LAUNCH)
    waves, plain = _three_waves(launch, "wave_lottery"), _three_waves(launch, "lottery")
    vis_w, vis_p = draw_event_visitors(waves, 5, range(4)), draw_event_visitors(plain, 5, range(4))
    assert np.array_equal(vis_w.absent, vis_p.absent) and np.array_equal(vis_w.size, vis_p.size)
    ev = waves.event
    assert ev is not None
    tw = screen(ev, EventPlan.baseline(waves), vis_w)
    tp = screen(plain.event, EventPlan.baseline(plain), vis_p)  # type: ignore[arg-type]
    assert tw.moved is not None and tp.moved is not None and tw.wait_to is not None
    no_shows = (vis_w.absent & vis_w.valid).sum(axis=1)
    assert np.array_equal(tw.moved.sum(axis=1), no_shows)
    assert (tp.moved.sum(axis=1) > no_shows + 20).all()  # ~30% of groups not yet there
    wave = np.floor(vis_w.lottery)  # the wave's range: wave index + the lottery draw
    for r in range(4):
        first = vis_w.valid[r] & ~tw.moved[r]
        for w in (0, 1):
            assert (
                tw.wait_to[r][first & (wave[r] == w)].max()
                <= tw.wait_to[r][first & (wave[r] == w + 1)].min()
            )
    k = day_kpis(waves, EventPlan.baseline(waves), tw)
    assert (k["waiting_area_time_p90"] >= k["waiting_area_time_mean"]).all()
    stay = np.where(vis_w.valid, tw.wait_to - tw.wait_from, np.nan)
    assert np.allclose(k["waiting_area_time_p90"], np.nanpercentile(stay, 90, axis=1))


@pytest.mark.parametrize(("batch", "start", "end", "held"), [
    (3, [0, 5, 5, 5, 13], [5, 13, 13, 13, 14], [5, 8, 0, 0, 1]),
    (2, [0, 5, 5, 13, 13], [5, 13, 13, 17, 17], [5, 8, 0, 4, 0]),
])  # fmt: skip
def test_engineer_tours_by_hand(
    batch: int, start: list[float], end: list[float], held: list[float]
) -> None:
    """Issue 19 item 5: one engineer (on duty 0-100) tours up to ``batch`` waiting groups.
    Arrivals 0, 1, 2, 3, 10; visits 5, 8, 2, 4, 1 min. Batch 3: group 0 alone 0-5; groups
    1-3 waited and leave together at 5 for max(8, 2, 4) = 8 min; group 4 alone 13-14. Batch
    2: groups 1-2 at 5 for 8 min; group 3 waits for the engineer (13) and group 4, there by
    then, joins: max(4, 1) = 4 min. ``held``: the tour for the group that starts it."""
    from sim.event.screen import fifo_tours
    from sim.event.seats import Seats

    arrival = np.array([[0.0, 1, 2, 3, 10]])
    got = fifo_tours(Seats([[(0.0, 100.0)]], 1), arrival, np.array([[5.0, 8, 2, 4, 1]]), batch)
    assert [g.tolist()[0] for g in got] == [start, end, held]


def test_open_day_tours_need_fewer_engineers() -> None:
    """Touring in batches (issue 19 item 5): on the same visitors and with 5 engineers, tours
    of up to 4 groups cut the engineer wait against one group per engineer, and the engineers'
    person-minutes (utilisation) fall, as several groups share one tour."""
    one, four = _tours(1), _tours(4)
    vis = draw_event_visitors(one, 3, range(4))

    def kpis(sc: Scenario) -> dict[str, np.ndarray]:
        assert sc.event is not None
        plan = EventPlan.baseline(sc)
        return day_kpis(sc, plan, screen(sc.event, plan, vis))

    k1, k4 = kpis(one), kpis(four)
    assert (k4["engineer_wait_mean"] < k1["engineer_wait_mean"]).all()
    assert (k4["engineer_utilisation"] < k1["engineer_utilisation"]).all()
