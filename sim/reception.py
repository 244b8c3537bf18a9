"""The reception line around the reps: gate, parking, door, water bar, butler, guides,
cleaners and the duty manager (seed 003), each a staffed :class:`~sim.posts.Post`.

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

from sim.posts import Person, Post
from sim.rng import Sampler, Streams
from sim.scenario.staffing import POST_LABELS, Staffing
from sim.shifts import Shift

if TYPE_CHECKING:
    from sim.visitors import Group

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
        self._task: dict[str, Sampler] = {}
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
        then every group is greeted at the door (Y)."""
        if g.by_car:
            gate = self.posts.get("gate")
            parking = self.posts.get("parking")
            if gate is not None and parking is not None and g.size >= self.spec.large_party_min:
                yield from self._together(gate, parking, self._task["gate"]())
            else:
                for key in ("gate", "parking"):
                    work = self._work(key)
                    if work is not None:
                        yield work
        door = self._work("door")
        if door is not None:
            yield door

    def _together(self, first: Post, second: Post, minutes: float) -> Process:
        """One person from each post at once (always in the same order: no deadlock)."""
        a = yield first.acquire()
        b = yield second.acquire()
        yield self.env.timeout(minutes)
        first.release(a)
        second.release(b)

    # -- hooks the model calls ----------------------------------------------------------------
    def receive_important(self) -> None:
        """V2/V3: the duty manager receives an important group or a delegation."""
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
