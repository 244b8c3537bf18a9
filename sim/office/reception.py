"""The reception line around the reps: gate, parking, door, water bar, butler, guides,
cleaners and the duty manager (seed 003), each a staffed :class:`~sim.office.posts.Post`.

The model calls the hooks below at the points of the journey F1–F8; a hook does nothing when
the scenario has no such post. Post task durations are drawn from streams of their own, so
staffing the posts never changes the visitors (common random numbers).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from sim.core.rng import Constant, Sampler, Streams
from sim.core.shifts import Shift
from sim.domain.labels import POST_LABELS, VISIT
from sim.office.posts import Person, Post
from sim.scenario.staffing import Staffing

if TYPE_CHECKING:
    from sim.office.visitors import Group

Process = Generator[simpy.Event, Any, None]


def build_shifts(staffing: Staffing) -> dict[str, Shift]:
    """The scenario's shifts as value objects."""
    return {
        name: Shift(name, spec.start, spec.end, tuple(spec.breaks))
        for name, spec in staffing.shifts.items()
    }


class Reception:
    """All staffed posts of one simulated day, with their task samplers."""

    def __init__(
        self, env: simpy.Environment, staffing: Staffing, streams: Streams, start: float
    ) -> None:
        self.env = env
        self.spec = staffing
        self.shifts = build_shifts(staffing)
        self.posts: dict[str, Post] = {}
        self._task: dict[str, Sampler | Constant] = {}
        for key in POST_LABELS:
            spec = getattr(staffing, key)
            if spec is None:
                continue
            names = [(s, f"{key}-{s}{i + 1}") for s, n in spec.headcount.items() for i in range(n)]
            people = [Person(i, name, self.shifts[s]) for i, (s, name) in enumerate(names)]
            self.posts[key] = Post(env, key, people, start)
            self._task[key] = streams.sampler(f"post.{key}.task", spec.task)
        butler = staffing.butler
        self._clear = streams.sampler("post.butler.clear", butler.clear) if butler else None

    def post(self, key: str) -> Post | None:
        """The post, if the scenario staffs it."""
        return self.posts.get(key)

    def _work(self, key: str) -> simpy.Process | None:
        post = self.posts.get(key)
        return post.task(self._task[key]()) if post is not None else None

    # -- F1 arrival, F2 door ----------------------------------------------------------------
    def arrive(self, g: Group) -> Process:
        """F1/F2: a car is met at the gate (L1) and parked (L2; both for a large party),
        then every group is greeted at the door (Y). Same as :meth:`at_gate` then
        :meth:`after_gate`."""
        yield from self.at_gate(g)
        yield from self.after_gate(g)

    def at_gate(self, g: Group) -> Process:
        """F1, at the gate: L1 stops a car (with L2 at once for a large party). Groups on foot
        pass no gate. The gate's admission check belongs after this step."""
        if not g.by_car:
            return
        if self._large_car(g):
            if not (self._lined_up_for(g, "gate") or self._lined_up_for(g, "parking")):
                gate, parking = self.posts["gate"], self.posts["parking"]
                yield from self._together(gate, parking, self._task["gate"]())
        else:
            yield from self._greet("gate", g)

    def after_gate(self, g: Group) -> Process:
        """F1/F2 after the gate: L2 parks a car (unless L1 and L2 met it together), then Y
        greets every group at the door."""
        if g.by_car and not self._large_car(g):
            yield from self._greet("parking", g)
        yield from self._greet("door", g)

    def _large_car(self, g: Group) -> bool:
        """A car of ``large_party_min`` or more people, met by L1 and L2 together."""
        return (
            g.by_car
            and "gate" in self.posts
            and "parking" in self.posts
            and g.size >= self.spec.large_party_min
        )

    def _lined_up_for(self, g: Group, key: str) -> bool:
        """A scheduled important visit is received by the staff lined up for it: a post whose
        people are held at the entrance does not also serve the party as a task."""
        post = self.posts.get(key)
        return g.source == VISIT and post is not None and post.held > 0

    def _greet(self, key: str, g: Group) -> Process:
        if self._lined_up_for(g, key):
            return
        work = self._work(key)
        if work is not None:
            yield work

    def _together(self, first: Post, second: Post, minutes: float) -> Process:
        """One person from each post at once (always in the same order: no deadlock). If one
        post has closed for the day, the other's person does the task alone."""
        a = yield from first.get()
        b = yield from second.get()
        yield self.env.timeout(minutes)
        if a is not None:
            first.release(a)
        if b is not None:
            second.release(b)

    # -- hooks the model calls ----------------------------------------------------------------
    def receive_important(self) -> None:
        """V2/V3: the duty manager receives an important group or a delegation. While the
        manager stands in an important visit's line-up, that visit is what they receive."""
        post = self.posts.get("duty_manager")
        if post is not None and post.held == 0:
            self._work("duty_manager")

    def sample_house_entry(self) -> simpy.Process | None:
        """F5: the guide briefs the group at the door of a sample unit (shoe covers)."""
        return self._work("guide")

    def prepare_room(self) -> simpy.Process | None:
        """F6: the butler (G1) prepares the VIP room before the group enters."""
        return self._work("butler")

    def clear_room(self, give_back: simpy.Event) -> None:
        """F6: after the group leaves, G1 clears the room; it is usable only afterwards."""
        post = self.posts.get("butler")
        if post is None or self._clear is None:
            give_back.succeed()
            return
        self.env.process(self._clear_then(post, self._clear(), give_back))

    def _clear_then(self, post: Post, minutes: float, give_back: simpy.Event) -> Process:
        yield post.task(minutes)
        give_back.succeed()

    def seated(self, until: simpy.Event) -> None:
        """F6: S1 brings a drink when the group sits, then refills every N minutes."""
        if "water_bar" in self.posts:
            self.env.process(self._drinks(until))

    def _drinks(self, until: simpy.Event) -> Process:
        every = self.spec.water_bar.refill_every_min if self.spec.water_bar else math.inf
        while not until.triggered:
            self._work("water_bar")
            yield self.env.timeout(every) | until

    def served(self) -> None:
        """F8: the cleaners tidy after a served group (table, restroom, shoe covers)."""
        self._work("cleaner")

    # -- KPIs ---------------------------------------------------------------------------------
    def hour_rows(self) -> list[tuple[object, ...]]:
        """Utilisation by clock hour per post: (post, hour, busy min, on-duty min, share)."""
        rows: list[tuple[object, ...]] = []
        for key, post in self.posts.items():
            for hour, duty in sorted(post.duty_by_hour.items()):
                busy = post.busy_by_hour.get(hour, 0.0)
                rows.append((key, hour, busy, duty, busy / duty if duty else float("nan")))
        return rows

    def kpis(self) -> dict[str, float]:
        """Per-post response times, utilisation and overtime."""
        out: dict[str, float] = {}
        for key, post in self.posts.items():
            spec = getattr(self.spec, key)
            resp = np.frombuffer(post.response, dtype=float) if len(post.response) else None
            util = post.utilisation_by_hour()
            out[f"post.{key}.tasks"] = float(post.tasks)
            out[f"post.{key}.response_mean"] = float(resp.mean()) if resp is not None else math.nan
            out[f"post.{key}.response_p90"] = (
                float(np.percentile(resp, 90)) if resp is not None else math.nan
            )
            out[f"post.{key}.over_target"] = (
                float((resp > spec.target_response_min).mean()) if resp is not None else math.nan
            )
            busy = sum(post.busy_by_hour.values())
            duty = sum(post.duty_by_hour.values())
            out[f"post.{key}.utilisation"] = busy / duty if duty else math.nan
            out[f"post.{key}.peak_hour_utilisation"] = max(util.values()) if util else math.nan
            out[f"post.{key}.overtime_min"] = post.overtime()
        return out
