"""The vectorised screen: many replicated event days at once, in NumPy.

Each desk is a first-come-first-served station whose people ("seats") are staffed in
intervals; a person whose interval ends finishes the current group. For such stations in
series the start times follow the Kiefer–Wolfowitz recursion: group ``k`` starts at the
earliest time ``t >= max(arrival_k, start_{k-1})`` at which some seat is free and staffed
(the lowest-numbered seat on ties), and that seat is then free at ``t + service_k``. The loop
runs over groups; every operation is over all replications at once, so a day costs a few
microseconds per group and desk instead of SimPy's event handling.

The launch-day calling (batches, lottery or queue order, absent numbers moved to the end)
follows the same rules as :mod:`sim.event.day`, step by step, so both give the same times
for the same visitors (tests/test_event_model.py checks this group by group).
"""

from __future__ import annotations

import numpy as np

from sim.event.fifo_kernel import call_kernel
from sim.event.inputs import EventPlan, EventVisitors
from sim.event.kpis import EventTimes
from sim.event.seats import INF, Seats, SeatSteps, Steps
from sim.event.single_fifo import OneIntervalSteps, fifo_single, single_interval
from sim.scenario.event import Calling, Event, EventDeskSpec
from sim.scenario.schema import Scenario


def fifo(seats: SeatSteps, arrival: np.ndarray, service: np.ndarray) -> np.ndarray:
    """Start times at a FIFO desk for arrivals ``(rows, groups)`` (``nan``: not visiting)."""
    key = np.where(np.isnan(arrival), INF, arrival)
    where = by_place(np.argsort(key, axis=1, kind="stable"))
    a, s = key.take(where), service.take(where)  # (places, rows): a row per step
    mask = np.isfinite(a)
    width = int(mask.any(axis=1).sum())  # the places some row fills come first
    start = np.full(a.shape, np.nan)
    if single_interval(seats):
        # each row's groups first, then none: the one-interval recursion, half the calls
        m = mask[:width]
        start[:width] = np.where(m, fifo_single(seats, a[:width], np.where(m, s[:width], 0.0)),
                                 np.nan)  # fmt: skip
    else:
        every: list[bool] = np.all(mask, axis=1).tolist()
        for k in range(width):
            start[k] = seats.step(a[k], s[k], None if every[k] else mask[k])
    out = np.empty(arrival.shape)
    out.put(where, start)
    return out


def by_place(order: np.ndarray, width: int | None = None) -> np.ndarray:
    """``order`` (rows, places: per row, column numbers of an array ``width`` columns wide,
    by default as wide as ``order``) as indices into the flattened array, place-major
    (places, rows): ``a.take(by_place(order))[k]`` is every row's ``k``-th item, contiguous
    (cheaper per step than a column of ``a``)."""
    rows = order.shape[0]
    flat: np.ndarray = (order + np.arange(rows)[:, None] * (width or order.shape[1])).T
    return flat


def fifo_tours(seats: SeatSteps, arrival: np.ndarray, service: np.ndarray, batch: int,
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """A FIFO desk whose person serves up to ``batch`` waiting groups at once (an engineer's
    tour of the site): when a person starts with the group at the head, every group that
    arrived before that moment joins, up to ``batch``; the tour lasts as long as the longest
    of its groups' services. Start, end and the person-minutes each group holds (the tour for
    the group that starts it, 0 for those who join), shapes as ``arrival``. ``seats`` needs
    :meth:`SeatSteps.step_seat` and :meth:`SeatSteps.hold`."""
    key = np.where(np.isnan(arrival), INF, arrival)
    order = np.argsort(key, axis=1, kind="stable")
    a = np.take_along_axis(key, order, axis=1)
    s = np.take_along_axis(service, order, axis=1)
    rows, n = arrival.shape
    r_idx = np.arange(rows)
    start = np.full((rows, n), np.nan)
    lead = np.full((rows, n), -1)
    open_start, open_n = np.full(rows, -INF), np.zeros(rows, dtype=int)
    open_seat, open_lead = np.zeros(rows, dtype=int), np.zeros(rows, dtype=int)
    tour = np.zeros((rows, n))
    for k in range(n):
        mask = np.isfinite(a[:, k])
        if not mask.any():
            break
        join = mask & (open_n > 0) & (open_n < batch) & (a[:, k] < open_start)
        new = mask & ~join
        st, seat = seats.step_seat(a[:, k], s[:, k], new)
        open_start = np.where(new, st, open_start)
        open_seat, open_lead = np.where(new, seat, open_seat), np.where(new, k, open_lead)
        open_n = np.where(new, 1, open_n + join)
        start[:, k] = np.where(join, open_start, st)
        lead[mask, k] = open_lead[mask]
        tour[r_idx[mask], open_lead[mask]] = np.maximum(tour[r_idx[mask], open_lead[mask]],
                                                        s[mask, k])  # fmt: skip
        ok = join & np.isfinite(open_start)  # the seat is busy until the longer tour ends
        seats.hold(r_idx[ok], open_seat[ok], open_start[ok] + tour[r_idx[ok], open_lead[ok]])
    length = np.where(lead >= 0, np.take_along_axis(tour, np.maximum(lead, 0), axis=1), np.nan)
    end = start + length
    busy = np.where(lead == np.arange(n)[None, :], length, np.where(lead >= 0, 0.0, np.nan))
    out = [np.full(arrival.shape, np.nan) for _ in range(3)]
    for o, x in zip(out, (start, end, busy), strict=True):
        np.put_along_axis(o, order, x, axis=1)
    return out[0], out[1], out[2]


def serve(desk: EventDeskSpec, seats: SeatSteps, arrive: np.ndarray, service: np.ndarray,
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Start, end and person-minutes held of each group at a FIFO desk (``nan``: not
    visiting), one group at a time or in tours (``desk.batch_size``)."""
    if desk.batch_size > 1:
        return fifo_tours(seats, arrive, service, desk.batch_size)
    start = fifo(seats, arrive, service)
    end = start + np.where(np.isnan(start), np.nan, service)
    return start, end, np.where(np.isnan(arrive), np.nan, service)


class _Caller:
    """The host calling numbers in batches (state per replication)."""

    def __init__(self, calling: Calling, rows: int) -> None:
        self.c = calling
        self.now = np.full(rows, calling.opens)
        self.batch_last = np.full(rows, -INF)
        self.absent = np.zeros(rows)
        self.first = True

    def new_batch(self) -> None:
        if not self.first:
            deadline = self.now + self.absent * self.c.max_calls * self.c.call_interval_min
            after_all = np.maximum(self.now, self.batch_last)
            self.now = np.where(after_all < deadline, deadline, after_all)
        self.first = False
        self.batch_last = np.full(len(self.now), -INF)
        self.absent = np.zeros(len(self.now))


def call_numbers(vis: EventVisitors, seats: Steps, calling: Calling, ready: np.ndarray,
                 post: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """The launch's number calling and the selection desk (``post``) it feeds, vectorised
    over replications: for each group (shape replications x groups) when it was called, when
    it arrived at the desk, when its service started, and whether it was moved to the end of
    the list. ``ready``: when each group left the desk before. ``seats`` may be any object
    with a step (:class:`~sim.event.seats.Steps`: the stacked screen passes its batch seats,
    a desk whose seats each have one interval :class:`OneIntervalSteps`)."""
    rows, n = ready.shape
    lottery = calling.order != "queue"
    key = vis.lottery if lottery else np.where(vis.valid, ready, INF)
    order = np.argsort(np.where(vis.valid, key, INF), axis=1, kind="stable")
    order = np.where(np.take_along_axis(vis.valid, order, axis=1), order, -1)
    called, arrive, start = (np.full((rows, n), np.nan) for _ in range(3))
    moved = np.zeros((rows, n), dtype=bool)
    caller = _Caller(calling, rows)
    for rnd in (1, 2):
        now = order if rnd == 1 else _end_list(order, moved)
        got = _call_round(vis, seats, calling, caller, ready, post, now, rnd)
        r, k = np.nonzero(got[3])  # the present groups, written where they belong
        at = now[r, k]
        called[r, at], arrive[r, at], start[r, at] = got[0][r, k], got[1][r, k], got[2][r, k]
        if rnd == 1:
            r, k = np.nonzero(got[4])
            moved[r, now[r, k]] = True
    return called, arrive, start, moved


def _call_round(vis: EventVisitors, seats: Steps, calling: Calling, caller: _Caller,
                ready: np.ndarray, post: str, order: np.ndarray, rnd: int,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """One calling round over ``order`` (per row, groups in calling order, -1 padded): per
    row and place in ``order``, when the group was called, arrived and started, whether it
    was present, and whether it was called and absent (round 1: moved to the end). The
    groups' inputs are taken in calling order once, place-major (a row per step), and what
    each step tests is worked out for every place at once."""
    lottery = calling.order != "queue"
    # a -1 reads column 0, masked as invalid below
    where = by_place(np.maximum(order, 0), ready.shape[1])
    rd_o, walk_o, svc_o = (a.take(where) for a in (ready, vis.walk[post], vis.service[post]))
    valid_o = np.ascontiguousarray(order.T >= 0)
    here_o = valid_o & ~vis.absent.take(where)
    any_o: list[bool] = np.any(valid_o, axis=1).tolist()
    # the host waits for the group to have signed in: every valid one, none (the lottery's
    # first round) or, by waves, one of the called range that is not absent
    waits_o = valid_o if rnd == 2 or not lottery else (
        here_o if calling.order == "wave_lottery" else None)  # fmt: skip
    signed_o = None if waits_o is None else np.where(waits_o, rd_o, -INF)
    present_o = valid_o if rnd == 2 else here_o  # round 1 narrows here_o in place below
    called_o, arrive_o, start_o = (np.full(rd_o.shape, np.nan) for _ in range(3))
    gone_o = np.zeros(rd_o.shape, dtype=bool)
    if isinstance(seats, OneIntervalSteps) and (fn := call_kernel()) is not None:  # compiled
        state = [np.array(x, dtype=float) for x in (caller.now, caller.batch_last, caller.absent)]
        stop = np.ascontiguousarray(np.broadcast_to(seats.stop, seats.ready.shape))
        fn(rnd, lottery, calling.batch_size, calling.max_calls, calling.call_interval_min,
           caller.first, valid_o, present_o, signed_o is not None,
           rd_o if signed_o is None else signed_o, rd_o, walk_o, svc_o, seats.ready,
           seats.last, stop, *state, called_o, arrive_o, start_o, gone_o)  # fmt: skip
        caller.now, caller.batch_last, caller.absent = state
        caller.first = caller.first and not len(rd_o)
        return called_o.T, arrive_o.T, start_o.T, present_o.T, gone_o.T
    for k in range(rd_o.shape[0]):
        if k % calling.batch_size == 0:
            caller.new_batch()
        if not any_o[k]:
            continue
        if signed_o is not None:  # fmax: a nan (never ready) leaves the host's time
            caller.now = np.fmax(caller.now, signed_o[k])
        now = caller.now
        present = present_o[k]
        if rnd == 1 and lottery:
            present = present & (rd_o[k] <= now)
            present_o[k] = present
        rel = now + walk_o[k]
        st = seats.step(rel, svc_o[k], present)
        called_o[k], arrive_o[k], start_o[k] = now, rel, st
        caller.batch_last = np.fmax(caller.batch_last, st)  # st: nan where not present
        if rnd == 1:
            gone = (valid_o[k] ^ present) & np.isfinite(now)  # a stalled host calls no more
            gone_o[k] = gone
            caller.absent += gone
    return called_o.T, arrive_o.T, start_o.T, present_o.T, gone_o.T


def _end_list(order: np.ndarray, moved: np.ndarray) -> np.ndarray:
    """Per row, the moved groups in their calling order, padded with -1."""
    rows = np.arange(order.shape[0])[:, None]
    take = (order >= 0) & moved[rows, np.maximum(order, 0)]
    return to_front(take, order, -1)


def to_front(keep: np.ndarray, values: np.ndarray, fill: float) -> np.ndarray:
    """Per row, the ``values`` where ``keep`` is set, moved to the front in their order, then
    ``fill``; as wide as the row that keeps the most."""
    per_row = keep.sum(axis=1)
    row, col = np.nonzero(keep)  # row by row, columns in order
    place = np.arange(len(row)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    out = np.full((keep.shape[0], int(per_row.max(initial=0))), fill, dtype=values.dtype)
    out[row, place] = values[row, col]
    return out


Area = tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]
DeskResult = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, Area]
Cache = dict[tuple[object, ...], DeskResult]


def screen(
    ev: Event, plan: EventPlan, vis: EventVisitors, cache: Cache | None = None
) -> EventTimes:
    """Every group's times on replicated days under ``plan`` (vectorised).

    ``cache`` (a dict kept by the caller for one set of visitors) holds each desk's results
    keyed by the headcount of that desk and the desks before it: a change at a downstream
    desk then re-runs only the desks from it on.
    """
    return screen_desks(ev, plan, vis, len(ev.desks), cache)[0]


def screen_event_times(
    scenario: Scenario, plan: EventPlan, visitors: EventVisitors
) -> EventTimes:
    """Every group's times on the replicated event days of ``visitors`` under ``plan``, by
    the vectorised screen: the times :func:`sim.event.day.simulate_event_times` gives (the
    SimPy model), at a fraction of the cost per day. No cache: each call screens every desk."""
    if scenario.event is None:
        raise ValueError(f"scenario {scenario.name!r} has no event: section")
    return screen(scenario.event, plan, visitors)


def screen_desks(
    ev: Event, plan: EventPlan, vis: EventVisitors, upto: int, cache: Cache | None = None
) -> tuple[EventTimes, np.ndarray]:
    """:func:`screen` through the first ``upto`` desks: the times so far, and when each group
    left the last desk it visited (where the next desk's walk starts)."""
    rows = vis.arrival.shape[0]
    valid = vis.valid
    times = EventTimes(valid, vis.size, np.where(valid, vis.arrival, np.nan), extra=vis.extra)
    prev_end = times.arrival
    key: tuple[object, ...] = ()
    for i, desk in enumerate(ev.desks[:upto]):
        p = desk.post
        key = (*key, p, plan.pieces.get(p, ()))
        hit = cache.get(key) if cache is not None else None
        if hit is None:
            hit = _desk(ev, i, plan, vis, prev_end, rows)
            if cache is not None:
                if len(cache) > 40:
                    cache.clear()
                cache[key] = hit
        arrive, start, end, service, area = hit
        times.arrive[p], times.start[p], times.end[p], times.service[p] = (
            arrive, start, end, service)  # fmt: skip
        if i == 1:
            times.wait_from, times.wait_to, times.moved = area
        prev_end = np.where(np.isnan(end), prev_end, end)
    return times, prev_end


def _desk(ev: Event, i: int, plan: EventPlan, vis: EventVisitors, prev_end: np.ndarray, rows: int,
          ) -> DeskResult:  # fmt: skip
    return desk_times(ev, i, Seats(plan.seats(ev.desks[i].post), rows), vis, prev_end)


def desk_times(ev: Event, i: int, seats: SeatSteps, vis: EventVisitors, prev_end: np.ndarray,
               ) -> DeskResult:  # fmt: skip
    """Desk ``i``'s arrive, start, end and person-minutes per group, and the waiting area's
    bounds (desk 1), with ``seats`` (any :class:`SeatSteps`: the
    stacked screen passes its batch seats)."""
    desk, valid = ev.desks[i], vis.valid
    p = desk.post
    service = vis.service[p]
    area: Area = (None, None, None)
    if i == 1 and ev.calling is not None:
        steps: Steps = seats
        if single_interval(seats):
            steps = OneIntervalSteps(seats)  # half the calls a step (each desk's own seats)
        called, arrive, start, moved = call_numbers(vis, steps, ev.calling, prev_end, p)
        never = valid & np.isnan(arrive)  # the host never reached their number
        arrive, start = np.where(never, INF, arrive), np.where(never, INF, start)
        area = (prev_end, np.where(never, INF, called), moved)
        end = start + np.where(np.isnan(start), np.nan, service)
        return arrive, start, end, np.where(np.isnan(arrive), np.nan, service), area
    visits = valid & (vis.buyer if desk.who == "buyers" else True)
    base = vis.arrival if i == 0 else prev_end + vis.walk[p]
    arrive = np.where(visits & np.isfinite(base), base, np.nan)
    start, end, held = serve(desk, seats, arrive, service)
    if i == 1:
        area = (prev_end, np.where(np.isnan(arrive), np.nan, start), None)
    return arrive, start, end, held, area
