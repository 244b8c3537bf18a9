"""Property-service posts on an event day (物业选配岗位): ratio and coverage posts against hand
calculations, the payer of each post, and the shipped launch day's line-up."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
from pytest import MonkeyPatch

from sim.event.kpis import EventTimes
from sim.event_sizing.service_posts import (
    block_peaks,
    coverage_counts,
    needed_at_level,
    ratio_need,
    service_counts,
)
from sim.scenario.event_posts import CoveragePost, RatioPost
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
EDGES = (480.0, 540.0, 600.0)  # 08:00-09:00, 09:00-10:00


def _times() -> EventTimes:
    """Two days of three groups (sizes 2, 3, 4) with their waiting-area stays, by hand:
    day 0: [490, 530) 2 people, [500, 560) 3, [550, 590) 4 -> block 1 peak 2+3 = 5
    (500-530), block 2 peak 3+4 = 7 (550-560); day 1: [485, 600) 2, [520, 545) 3,
    [540, 545) 4 -> block 1 peak 2+3 = 5 (the 4 arrive at 540, block 2's start), block 2
    peak 2+3+4 = 9 (540-545)."""
    valid = np.ones((2, 3), dtype=bool)
    size = np.array([[2, 3, 4], [2, 3, 4]])
    wait_from = np.array([[490.0, 500.0, 550.0], [485.0, 520.0, 540.0]])
    wait_to = np.array([[530.0, 560.0, 590.0], [600.0, 545.0, 545.0]])
    return EventTimes(valid, size, wait_from.copy(), wait_from=wait_from, wait_to=wait_to)


def test_block_peaks_match_a_hand_count() -> None:
    peaks = block_peaks(_times(), "waiting_area", [], EDGES)
    assert peaks.tolist() == [[5.0, 7.0], [5.0, 9.0]]


def test_ratio_post_is_ceil_of_the_peak_over_per_at_the_level() -> None:
    rp = RatioPost(post="usher", zone="waiting_area", per=4)
    need = ratio_need(_times(), rp, [], EDGES)
    assert need.tolist() == [[2.0, 2.0], [2.0, 3.0]]  # ceil(5/4), ceil(7/4); ceil(5/4), ceil(9/4)
    assert needed_at_level(need, 0.5) == [2, 2]  # the 1st of 2 days, sorted per block
    assert needed_at_level(need, 0.95) == [2, 3]  # ceil(0.95·2) = 2nd of 2 days


def test_coverage_post_counts_every_lineup_overlapping_the_block() -> None:
    lineups = [
        CoveragePost.model_validate({"post": "security", "where": "gate", "count": 4,
                                     "from": "08:00", "to": "10:00"}),
        CoveragePost.model_validate({"post": "security", "where": "hall", "count": 6,
                                     "from": "09:00", "to": "09:30"}),
    ]  # fmt: skip
    assert coverage_counts(lineups, EDGES) == [4, 10]  # 08-09: gate; 09-10: gate + hall


def test_shipped_launch_day_posts_and_payers() -> None:
    sc = load_scenario(ROOT / "scenarios" / "launch_day_800.yaml")
    ev = sc.event
    assert ev is not None
    assert sum(c.count for c in ev.coverage_posts if c.post == "security") == 22  # Vanke
    vip = [c for c in ev.coverage_posts if c.post == "vip_guard"]
    assert vip and all(4 <= c.count <= 8 for c in vip)
    assert {(r.post, r.per) for r in ev.ratio_posts} >= {("cleaner", 100)}
    security = [c for c in ev.coverage_posts if c.post == "security"]
    # 08:30-09:30: entrance 4 + sign-in 4 + waiting 4; 09:30-10:30: all 22; 14:30-15:30:
    # entrance 4 + finance/contract 4
    assert coverage_counts(security, (510.0, 570.0, 630.0)) == [12, 22]
    assert coverage_counts(security, (870.0, 930.0)) == [8]


def test_service_counts_add_ratio_and_coverage_of_one_post() -> None:
    sc = load_scenario(ROOT / "tests" / "fixtures" / "bad" / "_base_event.yaml")
    assert sc.event is not None
    ev = sc.event.model_copy(update={
        "desks": (),
        "ratio_posts": (RatioPost(post="usher", zone="waiting_area", per=4),),
        "coverage_posts": (CoveragePost.model_validate(
            {"post": "usher", "where": "door", "count": 1, "from": "09:00", "to": "10:00"}),),
    })  # fmt: skip
    assert service_counts(ev, _times(), EDGES, 0.95) == {"usher": (2, 4)}  # (2, 3) + (0, 1)


def test_waiting_seats_against_the_peak_by_hand() -> None:
    from sim.event_sizing.crowd import waiting_seats

    s = waiting_seats(_times(), 6, 0.95)
    # whole-day peaks (the waiting_area_peak KPI): day 0 3+4 = 7 (550-560), day 1 2+3+4 = 9
    # (540-545); 2nd of 2 days at 0.95
    assert (s.peak_max, s.needed, s.short, s.peak_mean) == (9, 9, 3, 8.0)


def test_event_class_flags() -> None:
    from sim.event_sizing.crowd import EventClass

    assert not EventClass(499).large and "中小型" in EventClass(499).lines()[0]
    assert EventClass(500).large and not EventClass(999).mass_gathering
    assert EventClass(1000).mass_gathering and "20天" in EventClass(1000).lines()[1]
    assert len(EventClass(800).lines()) == 1


def test_launch_plan_meets_every_target_on_fresh_days() -> None:
    """The shipped launch day: the desks' targets and the ratio posts (cleaner, usher) hold on
    200 fresh days (seed + 1,000,003) — no verdict is MISSES — and the property posts are
    those of the scenario (coverage: 22 security at the 09:30-10:30 peak, 6 VIP guards)."""
    from sim.event_sizing import size
    from sim.event_sizing.targets import SizingTarget

    sc = load_scenario(ROOT / "scenarios" / "launch_day_800.yaml")
    assert sc.event is not None
    targets = [SizingTarget(t.kpi, t.op, t.value) for t in sc.event.sizing.targets]
    res = size(sc, targets, days=100, seed=0, workers=1, levels=(), curves=False,
               validate_days=200)  # fmt: skip
    assert res.validation is not None and not res.validation.misses
    assert {c.post for c in res.service_checks} == {"cleaner", "usher", "parking", "door",
                                                    "sign_in_helper", "water_bar"}  # fmt: skip
    assert all(c.verdict != "MISSES" for c in res.service_checks)
    assert res.service["security"][1] == 22 and max(res.service["vip_guard"]) == 6
    assert res.seats is not None and res.seats.needed > res.seats.seats  # 500 seats are short


def test_service_needs_computed_once_serve_every_level_and_the_check() -> None:
    """Issue 12 item 5: one post id with two ratio posts needs their sum on each day, and the
    level is taken over those day sums, so the sized count and the fresh-day check
    (``met_share``) agree. By hand (per 4 twice, ``_times``): day 0 (2+2, 2+2), day 1
    (2+2, 3+3) -> at 0.5 the 1st day per block (4, 4), at 0.95 the 2nd (4, 6); (4, 4) covers
    day 0 only, (4, 6) both; the coverage-only post has its line-up and no check."""
    from sim.event_sizing.service_posts import service_needs

    sc = load_scenario(ROOT / "tests" / "fixtures" / "bad" / "_base_event.yaml")
    assert sc.event is not None
    per4 = RatioPost(post="usher", zone="waiting_area", per=4)
    ev = sc.event.model_copy(update={
        "desks": (), "ratio_posts": (per4, per4),
        "coverage_posts": (CoveragePost.model_validate(
            {"post": "security", "where": "gate", "count": 2, "from": "08:00", "to": "09:00"}),),
    })  # fmt: skip
    needs = service_needs(ev, _times(), EDGES)
    assert needs.counts(0.5) == {"usher": (4, 4), "security": (2, 0)}
    assert needs.counts(0.95) == {"usher": (4, 6), "security": (2, 0)}
    assert needs.met_share(needs.counts(0.5)) == {"usher": 0.5}
    assert needs.met_share(needs.counts(0.95)) == {"usher": 1.0}


def test_removing_one_person_from_any_property_post_block_breaks_a_target() -> None:
    """Issue 12 item 6: the property-service plan is minimal. On the launch day's simulated
    crowd (40 days, screen, baseline desks), for every post and block with people at 0.95:
    one person fewer leaves a coverage line-up short, or covers the ratio need on fewer than
    0.95 of the days (the post gets the ceil(0.95·40) = 38th smallest day's need, so one
    fewer fails on at least the 3 days at or above it); a queue post's wait target fails."""
    from sim.event.inputs import EventPlan, draw_event_visitors
    from sim.event.screen import screen
    from sim.event_sizing.service_posts import service_needs
    from sim.event_sizing.sizer import make_edges

    sc = load_scenario(ROOT / "scenarios" / "launch_day_800.yaml")
    ev = sc.event
    assert ev is not None
    edges = make_edges(sc.day.open, sc.day.close, 60.0)
    times = screen(ev, EventPlan.baseline(sc), draw_event_visitors(sc, 0, range(40)))
    needs = service_needs(ev, times, edges)
    counts = needs.counts(0.95)
    checked: list[str] = []
    for post, row in counts.items():
        for b, n in enumerate(row):
            if n == 0:
                continue
            fewer = {**counts, post: tuple(x - (i == b) for i, x in enumerate(row))}
            if post in needs.queues:  # a queue post: its wait target no longer holds
                assert not needs.queues[post].holds(fewer[post], 0.95), (post, b)
                checked.append(post)
                continue
            short_cover = fewer[post][b] < needs.coverage[post][b]
            short_ratio = needs.ratio[post] is not None and needs.met_share(fewer)[post] < 0.95
            assert short_cover or short_ratio, (post, b)
            checked.append(post)
    # security at the main entrance all day (8 blocks), the VIP line-up 09:30-10:30 (1), and
    # cleaners and ushers wherever the crowd needs them
    assert checked.count("security") == 8 and checked.count("vip_guard") == 1
    assert {"cleaner", "usher", "parking", "door", "sign_in_helper", "water_bar"} <= set(checked)


def _queue_times() -> EventTimes:
    """One day of three groups by hand: arrivals 0, 10, 20 (groups 0 and 2 by car); seated in
    the waiting area [5, 70), [15, 16), [25, never called); every job takes 2 minutes."""
    times = EventTimes(np.ones((1, 3), dtype=bool), np.array([[2, 2, 3]]),
                       np.array([[0.0, 10.0, 20.0]]),
                       wait_from=np.array([[5.0, 15.0, 25.0]]),
                       wait_to=np.array([[70.0, 16.0, np.inf]]))  # fmt: skip
    times.extra = {"car": np.array([[True, False, True]]),
                   "queue.water_bar": np.full((1, 3, 4), 2.0),
                   "queue.door": np.full((1, 3, 1), 2.0), "queue.parking": np.full((1, 3, 1), 2.0)}
    times.end["sign_in"] = np.array([[50.0, 16.0, 60.0]])
    return times


def test_queue_post_jobs_from_the_crowd_by_hand() -> None:
    """Issue 12 item 1: a water request on sitting down and every 30 min while waiting (group
    0: 5, 35, 65 before its call at 70; group 1: 15; group 2, never called: 25, 55, 85 before
    the close at 100); a door job per group; a parking job per car (groups 0 and 2)."""
    from sim.event_sizing.queue_posts import queue_work
    from sim.scenario.event_posts import QueuePost

    def post(name: str, source: str) -> QueuePost:
        return QueuePost.model_validate({"post": name, "source": source, "target_wait_min": 2,
                                         "service": {"dist": "fixed", "value": 2}})

    edges = (0.0, 60.0, 100.0)
    water = queue_work(post("water_bar", "waiting_area"), _queue_times(), edges)
    assert sorted(water.arrival[np.isfinite(water.arrival)].tolist()) == [5, 15, 25, 35, 55, 65,
                                                                          85]  # fmt: skip
    door = queue_work(post("door", "arrivals"), _queue_times(), edges)
    assert door.arrival.tolist() == [[0, 10, 20]]
    cars = queue_work(post("parking", "cars"), _queue_times(), edges)
    assert np.isnan(cars.arrival[0, 1]) and cars.arrival[0, [0, 2]].tolist() == [0, 20]


def test_queue_post_sized_to_its_wait_target_by_hand() -> None:
    """Three jobs at once (2 min each), P90 wait <= 2.5 min: one person gives waits 0, 2, 4
    (P90 3.6: misses), two give 0, 0, 2 (P90 1.6: meets), so the post gets 2 in the block with
    the jobs and 0 in the empty one; and one fewer misses (issue 12 item 6)."""
    from sim.event_sizing.queue_posts import QueueWork

    work = QueueWork(np.array([[1.0, 1.0, 1.0]]), np.full((1, 3), 2.0), (0.0, 60.0, 120.0),
                     2.5, 10)  # fmt: skip
    assert work.size(0.95) == (2, 0)
    assert not work.holds((1, 0), 0.95) and work.holds((2, 0), 0.95)


def test_parking_overflow_by_hand() -> None:
    """Cars of groups 0 (0 until it leaves at 50) and 2 (20 to 60) overlap: peak 2 cars for
    1 space -> 1 car overflows."""
    from sim.event_sizing.queue_posts import parking_check
    from sim.scenario.event_posts import CarPark

    check = parking_check(CarPark(car_share=0.5, spaces=1), _queue_times(), ["sign_in"], 0.95)
    assert (check.peak_max, check.needed, check.overflow) == (2, 2, 1)


def test_queue_post_draws_leave_the_visitors_unchanged() -> None:
    """Common random numbers: the queue posts draw from their own streams after every other
    draw, so the launch day's groups are the same with or without them."""
    from sim.event.inputs import draw_event_visitors
    from sim.scenario import derive

    sc = load_scenario(ROOT / "scenarios" / "launch_day_800.yaml")
    bare = derive(sc, {"event.queue_posts": [], "event.parking": None})
    a, b = draw_event_visitors(sc, 2, [0, 1]), draw_event_visitors(bare, 2, [0, 1])
    for name in ("valid", "arrival", "size", "buyer", "absent", "lottery"):
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True), name
    assert set(a.extra) == {"car", "queue.parking", "queue.door", "queue.sign_in_helper",
                            "queue.water_bar"}  # fmt: skip
    assert not b.extra


def test_sign_in_helper_sized_by_hand_from_the_arrivals() -> None:
    """Issue 12: sign-in helpers (签到引导/协助) serve every arriving group (``source:
    arrivals``). Six groups arrive together at 10 (a bus), 1 minute each, P90 wait <= 1.5 min.
    Deterministic FIFO by hand: 2 helpers give waits 0,0,1,1,2,2 (P90 2: misses), 3 give
    0,0,0,1,1,1 (P90 1: meets), so the block with the bus gets 3, the empty one 0, and removing
    one helper breaks the target."""
    from sim.event_sizing.queue_posts import queue_work
    from sim.scenario.event_posts import QueuePost

    helper = QueuePost.model_validate({"post": "sign_in_helper", "source": "arrivals",
                                       "target_wait_min": 1.5,
                                       "service": {"dist": "fixed", "value": 1}})  # fmt: skip
    times = EventTimes(np.ones((1, 6), dtype=bool), np.full((1, 6), 2), np.full((1, 6), 10.0))
    times.extra = {"queue.sign_in_helper": np.full((1, 6, 1), 1.0)}
    work = queue_work(helper, times, (0.0, 60.0, 120.0))
    assert work.arrival.tolist() == [[10.0] * 6]
    assert work.size(0.95) == (3, 0)
    assert not work.holds((2, 0), 0.95)


def test_sign_in_helper_is_a_billed_property_post_of_the_launch_day() -> None:
    """The label (Chinese first), a queue post from the arrivals on the launch day, and an
    event rate on the example rate card."""
    import yaml

    from sim.domain.labels import SERVICE_POSTS

    assert SERVICE_POSTS["sign_in_helper"][0] == "签到引导/协助"
    sc = load_scenario(ROOT / "scenarios" / "launch_day_800.yaml")
    assert sc.event is not None
    assert [q.source for q in sc.event.queue_posts if q.post == "sign_in_helper"] == ["arrivals"]
    card = yaml.safe_load((ROOT / "ratecards" / "example_yancheng.yaml").read_text("utf-8"))
    assert card["posts"]["sign_in_helper"]["event_rate"]["per"] == "hour"


def test_parking_overflow_reaches_sizing_json_and_the_screen() -> None:
    """Issue 12: 3 groups drive, cars present [0, 50), [5, 40), [20, 60) by hand: peak 3 cars
    (20-40) for 2 spaces -> 1 car without a space, in sizing.json's ``parking`` and on screen."""
    from sim.event_sizing.parking import parking_dict, parking_line
    from sim.event_sizing.queue_posts import parking_check
    from sim.scenario.event_posts import CarPark

    times = EventTimes(np.ones((1, 3), dtype=bool), np.full((1, 3), 2),
                       np.array([[0.0, 5.0, 20.0]]))  # fmt: skip
    times.extra = {"car": np.ones((1, 3), dtype=bool)}
    times.end["sign_in"] = np.array([[50.0, 40.0, 60.0]])
    check = parking_check(CarPark(car_share=1.0, spaces=2), times, ["sign_in"], 0.95)
    d = parking_dict(check)
    assert d == {"spaces": 2, "level": 0.95, "peak_cars_mean": 3.0, "peak_cars_max": 3,
                 "peak_cars_at_level": 3, "overflow": 1}  # fmt: skip
    assert "溢出 1 辆" in parking_line(check) and parking_dict(None) is None


def test_queue_post_sizing_is_minimal_and_resumed_fifo_is_exact(
        monkeypatch: MonkeyPatch) -> None:  # fmt: skip
    """Issue 17: a queue post's sizing (each block brought down to its lowest count that holds)
    ends with a plan that holds and from which no single removal holds; the FIFO resumed from
    the previous plan gives every job the start a run from the first job gives."""
    from sim.event.inputs import EventPlan
    from sim.event.screen import fifo
    from sim.event.seats import Seats
    from sim.event_sizing import queue_fifo
    from sim.event_sizing.queue_fifo import ResumableFifo
    from sim.event_sizing.queue_posts import QueueWork

    monkeypatch.setattr(queue_fifo, "SNAP", 16)  # states saved often: the resumed runs reuse them
    rng = np.random.default_rng(7)
    edges = (0.0, 60.0, 120.0, 180.0, 240.0)
    rate = np.array([0.5, 2.0, 3.0, 1.0])  # jobs per minute in each block
    rows = []
    for _ in range(40):
        t = np.concatenate([np.sort(rng.uniform(a, b, rng.poisson(r * (b - a))))
                            for (a, b), r in zip(itertools.pairwise(edges), rate, strict=True)])
        rows.append(t)
    width = max(len(r) for r in rows)
    arrival = np.full((40, width), np.nan)
    for i, r in enumerate(rows):
        arrival[i, : len(r)] = r
    service = np.where(np.isnan(arrival), 0.0, rng.exponential(2.0, arrival.shape))
    work = QueueWork(arrival, service, edges, 1.0, 20)
    plan = work.size(0.9)
    assert work.holds(plan, 0.9)
    for b in range(len(plan)):
        if plan[b]:
            assert not work.holds([c - (i == b) for i, c in enumerate(plan)], 0.9), b
    resumed = ResumableFifo(arrival, service, edges)
    reused = []
    for counts in ([2, 4, 6, 3], [2, 4, 7, 3], [2, 4, 7, 2], [2, 5, 7, 2], [1, 5, 7, 2]):
        seats = Seats(EventPlan.from_blocks(edges, {"q": counts}).seats("q"), 40)
        fresh = fifo(seats, arrival, service)
        assert np.array_equal(resumed.start(counts), fresh, equal_nan=True), counts
        reused.append(min(resumed.last_resumed, 1))
    assert reused == [0, 1, 1, 1, 0]  # a change in the first block runs every job again


def test_queue_jobs_compacted_then_sorted_as_the_padded_sort() -> None:
    """A queue post's jobs (each day's in arrival order, as wide as the busiest day) are the
    stable sort of the padded slots, cut to that width: slots compacted first (most of the
    water bar's are empty) keep their order, ties included."""
    from sim.event_sizing.queue_posts import QueueWork

    rng = np.random.default_rng(8)
    arrival = np.round(rng.uniform(0, 60, (40, 90)))  # many ties
    arrival[rng.random(arrival.shape) < 0.7] = np.nan
    arrival[3] = np.nan  # a day without a job
    service = np.where(np.isnan(arrival), 0.0, rng.exponential(2.0, arrival.shape))
    work = QueueWork(arrival, service, (0.0, 30.0, 60.0), 5.0, 9)
    key = np.where(np.isnan(arrival), np.inf, arrival)
    order = np.argsort(key, axis=1, kind="stable")
    width = int(np.isfinite(key).sum(axis=1).max())
    a = np.take_along_axis(key, order, axis=1)[:, :width]
    s = np.take_along_axis(service, order, axis=1)[:, :width]
    assert np.array_equal(work._jobs[0], np.where(np.isinf(a), np.nan, a), equal_nan=True)
    assert np.array_equal(work._jobs[1], s)
