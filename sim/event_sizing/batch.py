"""The screen for many plans at once: candidate plans stacked along the replication axis.

:func:`sim.event.screen.screen` runs one plan over all search days; its cost is a Python loop
over groups, nearly independent of the number of rows. Stacking ``K`` candidate plans (each
on the same search days: common random numbers) into ``K x days`` rows runs them in one loop.
The seats of each block of rows are that candidate's seats (:class:`BatchSeats`, padded with
never-staffed seats); the recursion, the calling and the tie rules are those of
:mod:`sim.event.screen` (its ``fifo`` and ``call_numbers`` are reused), so every candidate gets
exactly the times the single-plan screen gives it (tests/test_event_sizing.py checks this).

Desks before the first desk at which a candidate differs from a base plan are taken from the
single-plan screen's prefix cache (the same arrays for every candidate), so only the changed
desk and those after it run in the stacked loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from sim.event.inputs import EventPlan, EventVisitors
from sim.event.kpis import EventTimes
from sim.event.screen import Area, Cache, DeskResult, desk_times, screen_desks
from sim.event.seats import SeatSteps, staffed_table
from sim.scenario.event import Event

INF = np.inf


class BatchSeats(SeatSteps):
    """Like :class:`sim.event.seats.Seats`, but the seats' intervals differ between blocks
    of ``days`` rows (one block per candidate plan): one staffing table per candidate, over
    the bounds of every candidate, and the recursion's step of :class:`SeatSteps`."""

    def __init__(self, spans: Sequence[list[list[tuple[float, float]]]], days: int) -> None:
        seats = max([len(s) for s in spans] + [1])
        width = max([len(sp) for s in spans for sp in s] + [1])
        begin = np.full((len(spans), seats, width), INF)
        stop = np.full((len(spans), seats, width), INF)
        for k, plan_spans in enumerate(spans):
            for s, sp in enumerate(plan_spans):
                begin[k, s, : len(sp)] = [a for a, _ in sp]
                stop[k, s, : len(sp)] = [b for _, b in sp]
        every = np.concatenate([begin.ravel(), stop.ravel()])
        bounds = np.unique(every[np.isfinite(every)])
        tables = np.stack([staffed_table(b, e, bounds)[1]
                           for b, e in zip(begin, stop, strict=True)])  # fmt: skip
        self.edges = np.append(bounds, np.nan)
        segments = tables.shape[2]  # (candidates, seats, segments)
        block = np.repeat(np.arange(len(spans)), days)  # each row's candidate
        rows = len(spans) * days
        self.seats = np.arange(seats)  # padded seats are never staffed: they never win
        self.free = np.full((rows, seats), -INF)
        self.last = np.full(rows, -INF)
        self.rows = np.arange(rows)
        self._at = self.rows * seats
        self._by_segment = np.ascontiguousarray(tables.transpose(0, 2, 1)).reshape(-1, seats)
        self._segment_base = block * segments
        self._flat = tables.ravel()
        self._flat_base = block * (seats * segments)
        self._seat_base = self.seats * segments
        self._ready = np.ascontiguousarray(tables[block, :, 0])  # from -inf: each first begin
        if width == 1:
            self.one_interval = (begin[block, :, 0], stop[block, :, 0])


def tile_visitors(vis: EventVisitors, k: int) -> EventVisitors:
    """The same days ``k`` times over (rows ``j*days .. (j+1)*days-1`` for candidate ``j``)."""

    def t(a: np.ndarray) -> np.ndarray:
        return np.tile(a, (k, 1))

    return EventVisitors(vis.replications * k, t(vis.valid), t(vis.arrival), t(vis.size),
                    t(vis.buyer), t(vis.absent), t(vis.lottery),
                    {p: t(a) for p, a in vis.service.items()},
                    {p: t(a) for p, a in vis.walk.items()})  # fmt: skip


def _desk_batch(ev: Event, i: int, plans: Sequence[EventPlan], vis: EventVisitors,
                prev_end: np.ndarray, days: int) -> DeskResult:  # fmt: skip
    """``sim.event.screen._desk`` with each candidate's seats in its block of rows."""
    seats = BatchSeats([pl.seats(ev.desks[i].post) for pl in plans], days)
    return desk_times(ev, i, seats, vis, prev_end)


def screen_batch(ev: Event, plans: Sequence[EventPlan], vis: EventVisitors, first: int,
                 cache: Cache) -> list[EventTimes]:  # fmt: skip
    """Each plan's times on the days of ``vis``; every plan has the same pieces as the others
    at the desks before index ``first`` (those run once, through ``cache``, and their arrays
    are shared by every plan's times)."""
    days, k = vis.arrival.shape[0], len(plans)
    single, prev_end = screen_desks(ev, plans[0], vis, first, cache)
    big = tile_visitors(vis, k)
    prev_end = np.tile(prev_end, (k, 1))
    stacked: dict[str, DeskResult] = {}
    area: Area = (single.wait_from, single.wait_to, single.moved)
    for i in range(first, len(ev.desks)):
        res = _desk_batch(ev, i, plans, big, prev_end, days)
        stacked[ev.desks[i].post] = res
        if i == 1:
            area = res[4]
        prev_end = np.where(np.isnan(res[2]), prev_end, res[2])
    out = []
    for j in range(k):
        rows = slice(j * days, (j + 1) * days)
        one = replace(single, arrive=dict(single.arrive), start=dict(single.start),
                      end=dict(single.end), service=dict(single.service))  # fmt: skip
        for p, (arrive, start, end, service, _) in stacked.items():
            one.arrive[p], one.start[p], one.end[p], one.service[p] = (
                arrive[rows], start[rows], end[rows], service[rows])  # fmt: skip
        if first <= 1:
            one.wait_from, one.wait_to, one.moved = (None if a is None else a[rows] for a in area)
        out.append(one)
    return out
