"""What an event day is made of: the staffing plan (people per desk over the day) and the
visitor groups, drawn once per replication from named streams (common random numbers).

Every group's arrival, size, buying decision, absence at the first call, lottery number,
service and walking times come from :class:`~sim.core.rng.Streams` and are drawn in full before
the day runs, so a change of headcount never changes the visitors. Both event models read the
same :class:`EventVisitors`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.core.rng import Streams
from sim.scenario.event import Event, Wave
from sim.scenario.schema import Scenario

Pieces = tuple[tuple[float, int], ...]
"""A desk's headcount: ``(from, people)`` pieces, until the day closes."""


@dataclass(frozen=True)
class EventPlan:
    """An event day's staffing plan: people at each desk over the day (pieces per post),
    ending at ``close``."""

    pieces: Mapping[str, Pieces]
    close: float

    @classmethod
    def baseline(cls, scenario: Scenario) -> EventPlan:
        """The scenario's own headcount (``desks[].headcount``)."""
        ev = _event(scenario)
        pieces: dict[str, Pieces] = {
            d.post: tuple((p.start, p.count) for p in d.headcount) for d in ev.desks
        }
        return cls(pieces, scenario.day.close)

    @classmethod
    def from_blocks(cls, edges: Sequence[float], counts: Mapping[str, Sequence[int]]) -> EventPlan:
        """People per block: ``counts[post][b]`` from ``edges[b]`` to ``edges[b + 1]``."""
        pieces = {p: tuple(zip(edges[:-1], (int(c) for c in cs), strict=True))
                  for p, cs in counts.items()}  # fmt: skip
        return cls(pieces, float(edges[-1]))

    def seats(self, post: str) -> list[list[tuple[float, float]]]:
        """For each seat ``s`` (person slot), the merged intervals in which it is staffed
        (``count > s``); a desk with 4 people from 09:00 has seats 0–3 open from 09:00."""
        pieces = [(t, c) for t, c in self.pieces.get(post, ()) if t < self.close]
        stops = [t for t, _ in pieces[1:]] + [self.close]
        top = max((c for _, c in pieces), default=0)
        out: list[list[tuple[float, float]]] = []
        for s in range(top):
            spans: list[tuple[float, float]] = []
            for (a, c), b in zip(pieces, stops, strict=True):
                if c <= s or b <= a:
                    continue
                if spans and spans[-1][1] == a:
                    spans[-1] = (spans[-1][0], b)
                else:
                    spans.append((a, b))
            out.append(spans)
        return out

    def duty_minutes(self, post: str) -> float:
        """Person-minutes staffed at ``post`` over the day."""
        return sum(b - a for spans in self.seats(post) for a, b in spans)


def _event(scenario: Scenario) -> Event:
    if scenario.event is None:
        raise ValueError(f"scenario {scenario.name!r} has no event: section")
    return scenario.event


@dataclass
class EventVisitors:
    """The visitor groups of replicated event days (:func:`draw_event_visitors`), arrays of
    shape (replications, groups), padded with ``valid == False`` (arrival ``inf``) where a day
    has fewer groups. Groups are in arrival order (ties, such as a bus load, in drawing
    order)."""

    replications: tuple[int, ...]
    valid: np.ndarray
    arrival: np.ndarray
    size: np.ndarray
    buyer: np.ndarray
    absent: np.ndarray
    lottery: np.ndarray
    service: dict[str, np.ndarray]
    walk: dict[str, np.ndarray]
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    """The property's queue posts' inputs (:func:`queue_inputs`): ``car`` (bool) and
    ``queue.<post>`` (service minutes, shape (replications, groups, requests per group))."""

    def take(self, rows: Sequence[int]) -> EventVisitors:
        """Replication rows ``rows`` alone, in that order (padding kept up to the longest)."""
        idx = np.asarray(rows, dtype=int)
        n = int(self.valid[idx].sum(axis=1).max(initial=0))

        def cut(a: np.ndarray) -> np.ndarray:
            return a[idx, :n]

        return EventVisitors(
            tuple(self.replications[r] for r in rows), cut(self.valid), cut(self.arrival),
            cut(self.size), cut(self.buyer), cut(self.absent), cut(self.lottery),
            {k: cut(v) for k, v in self.service.items()}, {k: cut(v) for k, v in self.walk.items()},
            {k: cut(v) for k, v in self.extra.items()},
        )  # fmt: skip

    def row(self, r: int) -> EventVisitors:
        """Replication row ``r`` alone (padding dropped)."""
        return self.take((r,))


def _wave_times(wave: Wave, sizes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Arrival times of a wave's groups: uniform, or by bus (groups of one bus together)."""
    n = len(sizes)
    if wave.bus_size is None:
        return np.sort(wave.start + (wave.end - wave.start) * rng.random(n))
    people = int(sizes.sum())
    caps: list[float] = []
    while sum(caps) < people:
        caps.extend(np.maximum(1.0, np.round(wave.bus_size.batch(rng, 8))).tolist())
    edges = np.cumsum(caps)
    bus_of = np.searchsorted(edges, np.cumsum(sizes) - sizes, side="right")
    bus_times = np.sort(wave.start + (wave.end - wave.start) * rng.random(len(caps)))
    return np.asarray(bus_times[bus_of], dtype=float)


def _one_day(ev: Event, streams: Streams) -> dict[str, np.ndarray]:
    sizes_k = np.array([s for s, _ in ev.group_size], dtype=float)
    weights = np.array([w for _, w in ev.group_size], dtype=float)
    weights /= weights.sum()
    mean_size = float((sizes_k * weights).sum())
    rng = streams.generator("event.arrivals")
    times, sizes, waves, bus = [], [], [], []
    for w, wave in enumerate(ev.waves):
        n = int(rng.poisson(ev.attendance * wave.share / mean_size))
        size = rng.choice(sizes_k, size=n, p=weights)
        times.append(_wave_times(wave, size, rng))
        sizes.append(size)
        waves.append(np.full(n, float(w)))
        bus.append(np.full(n, wave.bus_size is not None))
    t, s = np.concatenate(times), np.concatenate(sizes)
    order = np.argsort(t, kind="stable")
    n = len(t)
    day = {"arrival": t[order], "size": s[order]}
    day["buyer"] = streams.generator("event.buy").random(n) < ev.buy_share
    no_show = ev.calling.no_show_share if ev.calling is not None else 0.0
    day["absent"] = streams.generator("event.no_show").random(n) < no_show
    day["lottery"] = streams.generator("event.lottery").random(n)
    if ev.calling is not None and ev.calling.order == "wave_lottery":
        # each wave its own range of numbers (wave index + draw): called in wave order, and the
        # draws stay those of the plain lottery (common random numbers)
        day["lottery"] = day["lottery"] + np.concatenate(waves)[order]
    for i, d in enumerate(ev.desks):
        day[f"service.{d.post}"] = d.service.batch(streams.generator(f"event.service.{d.post}"), n)
        day[f"walk.{d.post}"] = d.walk.batch(streams.generator(f"event.walk.{d.post}"), n)
        if i == 1 and ev.calling is not None:  # called numbers reach the desks in call order
            day[f"walk.{d.post}"] = np.full(n, d.walk.mean())
    day |= queue_inputs(ev, streams, np.concatenate(bus)[order])
    return day


REQUESTS_PER_DAY = 1440
"""Minutes of a day: a waiting-area post draws ``ceil(1440 / every_min)`` request times per
group, so the draws never depend on how long a group waits (common random numbers)."""


def queue_inputs(ev: Event, streams: Streams, bus: np.ndarray) -> dict[str, np.ndarray]:
    """The queue posts' draws (``extra.*`` keys), from their own streams after every other
    draw: who drives (``event.car``; never a bus passenger) and the service minutes of each
    group's arrivals or requests (``event.queue.<post>``)."""
    n, out = len(bus), {}
    if ev.parking is not None:
        out["extra.car"] = (streams.generator("event.car").random(n) < ev.parking.car_share) & ~bus
    for q in ev.queue_posts:
        k = math.ceil(REQUESTS_PER_DAY / q.every_min) if q.source == "waiting_area" else 1
        draws = q.service.batch(streams.generator(f"event.queue.{q.post}"), n * k)
        out[f"extra.queue.{q.post}"] = np.asarray(draws, dtype=float).reshape(n, k)
    return out


def draw_event_visitors(
    scenario: Scenario, seed: int, replications: Sequence[int]
) -> EventVisitors:
    """The event-day groups of replications ``replications`` of ``seed`` (each replication
    from its own streams, so a replication's groups never depend on the others)."""
    ev = _event(scenario)
    days = [_one_day(ev, Streams(seed, i)) for i in replications]
    width = max([len(d["arrival"]) for d in days] + [1])
    rows = len(days)

    def stack(key: str, fill: float) -> np.ndarray:
        out = np.full((rows, width), fill)
        for r, d in enumerate(days):
            out[r, : len(d[key])] = d[key]
        return out

    valid = np.zeros((rows, width), dtype=bool)
    for r, d in enumerate(days):
        valid[r, : len(d["arrival"])] = True
    posts = [d.post for d in ev.desks]
    extra = {}
    for key in (k for k in days[0] if k.startswith("extra.")):
        shape = (rows, width, *days[0][key].shape[1:])
        out = np.zeros(shape, dtype=days[0][key].dtype)
        for r, d in enumerate(days):
            out[r, : len(d[key])] = d[key]
        extra[key.removeprefix("extra.")] = out
    return EventVisitors(
        tuple(replications), valid, stack("arrival", np.inf), stack("size", 0.0),
        stack("buyer", 0.0).astype(bool), stack("absent", 0.0).astype(bool),
        stack("lottery", np.inf),
        {p: stack(f"service.{p}", 0.0) for p in posts}, {p: stack(f"walk.{p}", 0.0) for p in posts},
        extra,
    )  # fmt: skip

