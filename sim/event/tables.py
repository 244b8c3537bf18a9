"""The tables of an event-day run (活动日明细表): queue per desk per time block, the call
batches of the waiting area, and the satisfaction cards per arrival block.

``salesim run`` keeps only KPIs for an event day; these tables are rebuilt from the same
replications (visitors drawn from the run's seed and replication streams, the SimPy reference
model at the scenario's baseline staffing, as :func:`sim.event.day.simulate_event_day` does),
so they add up to the run's KPIs: a desk's arrivals over its blocks are the groups that visited
it, the largest block queue is ``<post>_queue_max``, the follow-ups are ``card_follow_ups`` and
the groups moved to the end are ``moved_to_end`` (V5).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.domain.satisfaction import DEFAULT
from sim.event.day import simulate_event_times
from sim.event.inputs import EventPlan, EventVisitors, draw_event_visitors
from sim.event.kpis import EventTimes
from sim.event.satisfaction import score_cards
from sim.scenario.schema import Scenario

BLOCK_MIN = 30.0
QUEUE_COLUMNS = ("replication", "post", "block", "arrivals", "unserved", "wait_mean_min",
                 "wait_p90_min", "queue_max")  # fmt: skip
BATCH_COLUMNS = ("replication", "round", "batch", "numbers", "called", "persons",
                 "moved_to_end", "first_call", "last_call")  # fmt: skip
CARD_COLUMNS = ("replication", "arrival_block", "card_holders", "card_mean", "follow_ups",
                "low_share")  # fmt: skip
Row = tuple[object, ...]
NEVER = 10**9


@dataclass
class EventTables:
    """Rows of the three tables (see the ``*_COLUMNS``), replication by replication."""

    queue: list[Row] = field(default_factory=list)
    batches: list[Row] = field(default_factory=list)
    cards: list[Row] = field(default_factory=list)


def clock(minute: float) -> str:
    """Minutes since midnight as ``HH:MM``."""
    m = math.floor(minute + 1e-9)
    return f"{m // 60:02d}:{m % 60:02d}"


def block_of(t: np.ndarray, open_: float, width: float = BLOCK_MIN) -> np.ndarray:
    """The index of the block (of ``width`` minutes from the opening) holding each time."""
    return np.floor((t - open_) / width + 1e-9).astype(int)


def _p90(values: np.ndarray) -> float:
    """The P90 by the rule of the KPIs (linear interpolation, as ``p90_rows``)."""
    return float(np.quantile(values, 0.9)) if len(values) else math.nan


def _queue_levels(arr: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Event times and the queue length just after each, as ``_queue_max`` orders them (at
    equal times a start leaves before an arrival joins)."""
    t = np.concatenate([arr, start])
    d = np.concatenate([np.ones(len(arr)), -np.ones(len(start))])
    order = np.lexsort((d, t))
    return t[order], np.cumsum(d[order])


def queue_rows(times: EventTimes, posts: Sequence[str], open_: float, rep: int) -> list[Row]:
    """One row per desk per block with arrivals: arrivals, unserved, mean and P90 wait of the
    groups that arrived in the block and were served, and the longest queue in the block."""
    rows: list[Row] = []
    for p in posts:
        arr, st = times.arrive[p][0], times.start[p][0]
        visit = times.valid[0] & ~np.isnan(arr)
        a, s = arr[visit], st[visit]
        if not len(a):
            continue
        t, level = _queue_levels(a, s)
        finite = np.isfinite(t)
        blocks = block_of(a, open_)
        tb = np.full(len(t), NEVER)  # an unserved group's start (inf) is in no block
        tb[finite] = block_of(t[finite], open_)
        for b in range(int(blocks.min()), int(blocks.max()) + 1):
            here = blocks == b
            if not here.any():
                continue
            served = here & np.isfinite(s)
            w = s[served] - a[served]
            carried = level[tb < b][-1] if (tb < b).any() else 0.0
            inside = level[tb == b]
            peak = max(float(carried), float(inside.max()) if len(inside) else 0.0)
            rows.append((rep, p, clock(open_ + b * BLOCK_MIN), int(here.sum()),
                         int((here & ~np.isfinite(s)).sum()),
                         round(float(w.mean()), 4) if len(w) else "",
                         round(_p90(w), 4) if len(w) else "", int(peak)))  # fmt: skip
    return rows


def batch_rows(times: EventTimes, vis: EventVisitors, batch_size: int, lottery: bool,
               rep: int) -> list[Row]:  # fmt: skip
    """The host's call batches (V5): round 1 calls ``batch_size`` numbers at a time in lottery
    (or sign-in) order, absent groups moved to the end; round 2 calls the moved ones."""
    if times.wait_to is None or times.wait_from is None or times.moved is None:
        return []
    valid = times.valid[0]
    n = int(valid.sum())
    key = vis.lottery[0][:n] if lottery else times.wait_from[0][:n]
    order = np.argsort(key, kind="stable")
    moved = times.moved[0][:n]
    called, size = times.wait_to[0][:n], times.size[0][:n]
    rows: list[Row] = []
    late = [int(g) for g in order if moved[g]]
    for rnd, groups in ((1, [int(g) for g in order]), (2, late)):
        for b in range(0, len(groups), batch_size):
            chunk = groups[b:b + batch_size]
            present = [g for g in chunk if rnd == 2 or not moved[g]]
            when = [float(called[g]) for g in present if np.isfinite(called[g])]
            rows.append((rep, rnd, b // batch_size + 1, len(chunk), len(present),
                         int(sum(size[g] for g in present)), len(chunk) - len(present),
                         clock(min(when)) if when else "", clock(max(when)) if when else ""))
    return rows


def card_rows(times: EventTimes, posts: Sequence[str], open_: float, rep: int) -> list[Row]:
    """Satisfaction cards (V5) by the block the group arrived in: holders, mean card, the
    follow-up calls (card below ``follow_up_below``) and their share."""
    c = score_cards(times, list(posts))
    holders = c.holders[0]
    blocks = block_of(times.arrival[0], open_)
    rows: list[Row] = []
    for b in sorted({int(x) for x in blocks[holders]}):
        here = holders & (blocks == b)
        cards = c.card[0][here]
        low = int((cards < DEFAULT.follow_up_below).sum())
        rows.append((rep, clock(open_ + b * BLOCK_MIN), int(here.sum()),
                     round(float(cards.mean()), 4), low, round(low / len(cards), 4)))
    return rows


def event_tables(scenario: Scenario, seed: int, replications: Sequence[int]) -> EventTables:
    """The tables of the given replications of an event-day run (see the module doc)."""
    ev = scenario.event
    assert ev is not None
    plan = EventPlan.baseline(scenario)
    posts = [d.post for d in ev.desks]
    open_ = scenario.day.open
    out = EventTables()
    for rep in replications:
        vis = draw_event_visitors(scenario, seed, [rep])
        times = simulate_event_times(scenario, plan, vis)
        out.queue += queue_rows(times, posts, open_, rep)
        if ev.calling is not None:
            out.batches += batch_rows(times, vis, ev.calling.batch_size,
                                      ev.calling.order != "queue", rep)  # fmt: skip
        out.cards += card_rows(times, posts, open_, rep)
    return out
