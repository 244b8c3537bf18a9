"""The reception line around the reps (seed 003): every staffed post of one day, each a
:class:`~sim.posts.staffed.Post` run by its kind's behaviour (:mod:`sim.posts.kinds`).

The journey calls the hooks below at its points F1–F8; each hook passes the call to the staffed
kinds that serve it, in journey order, and does nothing when none does. Post task durations
are drawn from streams of their own, so staffing the posts never changes the visitors (common
random numbers).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from sim.core.rng import Streams
from sim.core.shifts import Shift, work_periods
from sim.domain.results import Tables
from sim.office.components import DayComponent
from sim.posts import PostBehaviour, PostKind, PostSpec, kinds
from sim.posts.kind import HOOKS, Stay, Step, implements
from sim.posts.staffed import Person, Post
from sim.scenario.staffing import Staffing, build_shifts
from sim.scenario.visit_tiers import EVERYONE

if TYPE_CHECKING:
    from sim.office.visitors import Group

Process = Generator[simpy.Event, Any, None]


class Reception(DayComponent):
    """All staffed posts of one simulated day, with their behaviours (a day component)."""

    report_order = 30

    def __init__(
        self, env: simpy.Environment, staffing: Staffing, streams: Streams, start: float
    ) -> None:
        self.env = env
        self.spec = staffing
        # F1: a car with at least this many people is met by L1 and L2 together
        self.large_party_min: int = staffing.large_party_min
        layout = _layout(staffing)
        self.shifts = dict(layout.shifts)
        self.posts: dict[str, Post] = {}
        self.behaviours: list[PostBehaviour] = []
        for kind, spec, names in layout.posts:
            people = [Person(i, name, self.shifts[s]) for i, (s, name) in enumerate(names)]
            post = self.posts[kind.key] = Post(env, kind.key, people, start, cycles=False)
            self.behaviours.append(kind.behaviour(self, post, spec, streams))
        # the posts' people on one shift come and go together: one process per shift, each
        # post's runs in journey order at every boundary, as a process per run would (speed,
        # issue 17)
        by_shift: dict[int, list[tuple[Post, list[Person]]]] = {}
        for post in self.posts.values():
            for run in post.runs:
                by_shift.setdefault(id(run[0].shift), []).append((post, run))
        for members in by_shift.values():
            env.process(self._shift_cycle(members))
        behaviours = self.behaviours
        self._serving = {h: [behaviours[i] for i in at] for h, at in layout.serving.items()}
        # the generator hooks, bound once: with one post serving a hook (the usual case) the
        # journey runs that post's own generator, not one wrapped around it (speed, issue 17)
        serving = self._serving
        self._at_gate = tuple(b.at_gate for b in serving["at_gate"])
        self._after_gate = tuple(b.after_gate for b in serving["after_gate"])
        self._house_entry = tuple(b.house_entry for b in serving["house_entry"])
        self.gate_steps = tuple(b.gate_step for b in serving["at_gate"])
        """F1 at the gate, each post's step in journey order (the journey runs them: an event
        is yielded without a generator around it; speed, issue 17)."""
        self.after_gate_steps = tuple(b.after_gate_step for b in serving["after_gate"])
        """F1/F2 after the gate (parking, the door), as :attr:`gate_steps`."""
        self._house_steps = tuple(b.house_step for b in serving["house_entry"])
        self._prepare_room = tuple(b.prepare_room for b in serving["prepare_room"])
        self._seated = tuple(b.seated for b in serving["seated"])
        self._served = tuple(b.served for b in serving["served"])

    def parts(self) -> list[object]:
        """The line's posts and their behaviours, then the line itself (see
        :meth:`sim.office.day.OfficeModel.dispose`)."""
        return [*self.behaviours, *self.posts.values(), self]

    def post(self, key: str) -> Post | None:
        """The post, if the scenario staffs it."""
        return self.posts.get(key)

    def transfer_post(self) -> Post | None:
        """The post that takes calls after the transfer ring (P2), if staffed."""
        return next((b.post for b in self.behaviours if b.takes_transferred_calls), None)

    @property
    def prepares_rooms(self) -> bool:
        """Whether some post prepares VIP rooms (G1)."""
        return bool(self._serving["prepare_room"])

    @property
    def serves_seated(self) -> bool:
        """Whether some post attends seated groups (then a group's standing up is an event)."""
        return bool(self._serving["seated"])

    # -- hooks the journey calls ------------------------------------------------------------
    def at_gate(self, g: Group) -> Process:
        """F1 at the gate (the admission check comes after this)."""
        hooks = self._at_gate
        return hooks[0](g) if len(hooks) == 1 else _each(hooks, g)

    def after_gate(self, g: Group) -> Process:
        """F1/F2 after the gate: parking, the door."""
        hooks = self._after_gate
        return hooks[0](g) if len(hooks) == 1 else _each(hooks, g)

    def house_entry(self, g: Group, then: float = 0.0) -> Process:
        """F5: at the door of a sample unit, then ``then`` minutes inside (the tour). With one
        post at the door, it times both (one timeout where the briefing is served at once)."""
        hooks = self._house_entry
        if len(hooks) == 1:
            return hooks[0](g, then)
        return _then(_each(hooks, g), self.env, then)

    def house_step(self, g: Group, then: float = 0.0) -> Step:
        """:meth:`house_entry` as a step (one post at the door: its own step, a timeout where
        the briefing is served at once)."""
        hooks = self._house_steps
        if len(hooks) == 1:
            return hooks[0](g, then)
        return self.house_entry(g, then)

    def house_step_hook(self) -> Callable[[Group, float], Step]:
        """:meth:`house_step` itself, or with one post at the door that post's own step (one
        call fewer for every unit toured; speed, issue 17)."""
        hooks = self._house_steps
        return hooks[0] if len(hooks) == 1 else self.house_step

    def prepare_room(self) -> Process:
        """F6: before a group enters a VIP room."""
        hooks = self._prepare_room
        return hooks[0]() if len(hooks) == 1 else _each(hooks)

    def clear_room(self, give_back: Callable[[], None]) -> None:
        """F6: after a group leaves a VIP room; ``give_back()`` is called when it is usable
        again (at once if no post clears rooms)."""
        clearing = self._serving["clear_room"]
        if clearing:
            clearing[0].clear_room(give_back)
        else:
            give_back()

    def seated(self, stay: Stay) -> None:
        """F6: a group sat down and stays until ``stay.over``."""
        for seated in self._seated:
            seated(stay)

    def receive_important(self) -> None:
        """V2/V3: an important group or a delegation arrives."""
        for b in self._serving["receive_important"]:
            b.receive_important()

    def served(self) -> None:
        """F8: a served group has left."""
        for served in self._served:
            served()

    # -- the day's lifecycle ------------------------------------------------------------------
    def start(self) -> None:
        """Important-visit protocol by tier (seed 003), then each post's own start: the
        tier's staff (or the listed) stand at the entrance from ``line_up_before_min`` before,
        and the cleaners leave the grounds (园区清场) from the tier's clearing time before,
        both until the visit ends."""
        for visit in self.spec.important_visits:
            until = visit.at + visit.stay_min
            start = max(self.env.now, visit.at - visit.line_up_before_min)
            for key, count in visit.line_up().items():
                self._hold_from(key, count, start, until)
            clear = visit.clear_grounds_min()
            if clear > 0:
                self._hold_from("cleaner", EVERYONE, max(self.env.now, visit.at - clear), until)
        for b in self._serving["start"]:
            b.start()

    def _shift_cycle(self, members: list[tuple[Post, list[Person]]]) -> Process:
        """The working periods of one shift for the runs of people on it, post by post."""

        def on(end: float) -> None:
            for post, run in members:
                post.period_starts(run, end)

        def off() -> None:
            for post, run in members:
                post.period_ends(run)

        yield from work_periods(self.env, members[0][1][0].shift.working(), on, off)
        for post, _run in members:
            post.cycle_over()

    def _hold_from(self, key: str, count: int, start: float, until: float) -> None:
        post = self.post(key)
        if post is not None and count:
            count = min(count, len(post.people))  # EVERYONE: each person of the post
            self.env.process(self._hold_later(post, count, start, until))

    def _hold_later(self, post: Post, count: int, start: float, until: float) -> Process:
        yield self.env.timeout(start - self.env.now)
        post.hold(count, until)

    def settle(self) -> bool:
        """The schedule ran empty: every post settles its event-less tasks (see
        :meth:`Post.settle`); ``True`` if the day must run on for those still running."""
        return any([post.settle() for post in self.posts.values()])

    def close_out(self, now: float) -> None:
        """The clock stops now: count the work in progress and the overtime of every post."""
        for post in self.posts.values():
            post.close_out()

    def add_tables(self, tables: Tables) -> None:
        """Each post's utilisation by clock hour (``post_hours.csv``)."""
        tables.post_hours.extend(self.hour_rows())

    def hour_rows(self) -> list[tuple[object, ...]]:
        """Utilisation by clock hour per post: (post, hour, busy min, on-duty min, share)."""
        rows: list[tuple[object, ...]] = []
        for key, post in self.posts.items():
            busy_by_hour = post.busy_by_hour  # a property that books what is new: read once
            for hour, duty in sorted(post.duty_by_hour.items()):
                busy = busy_by_hour.get(hour, 0.0)
                rows.append((key, hour, busy, duty, busy / duty if duty else float("nan")))
        return rows

    def kpis(self, end: float) -> dict[str, float]:
        """Per-post response times, utilisation and overtime."""
        out: dict[str, float] = {}
        for b in self.behaviours:
            out |= _post_kpis(b.post, b.spec.target_response_min)
        return out


@dataclass(frozen=True)
class _Layout:
    """What every day of one ``staffing:`` section builds alike: its shifts, each staffed kind
    with its spec and people's (shift, name), and which posts serve each hook (by position)."""

    shifts: dict[str, Shift]
    posts: tuple[tuple[PostKind, PostSpec, tuple[tuple[str, str], ...]], ...]
    serving: dict[str, tuple[int, ...]]


_LAYOUTS: dict[int, tuple[Staffing, _Layout]] = {}  # by id; the entry keeps its staffing alive


def _layout(staffing: Staffing) -> _Layout:
    """The layout of ``staffing`` (a frozen scenario section), made once: a scenario runs
    many days (speed, issue 17)."""
    hit = _LAYOUTS.get(id(staffing))
    if hit is not None and hit[0] is staffing:
        return hit[1]
    posts = []
    for kind in kinds():
        spec = staffing.post_spec(kind.key)
        if spec is not None:
            names = tuple((s, f"{kind.key}-{s}{i + 1}") for s, n in spec.headcount.items()
                          for i in range(n))  # fmt: skip
            posts.append((kind, spec, names))
    serving = {
        h: tuple(i for i, (kind, _spec, _names) in enumerate(posts)
                 if implements(kind.behaviour, h))
        for h in HOOKS
    }  # fmt: skip
    layout = _Layout(build_shifts(staffing), tuple(posts), serving)
    if len(_LAYOUTS) >= 32:  # a long session of many scenarios: start again
        _LAYOUTS.clear()
    _LAYOUTS[id(staffing)] = (staffing, layout)
    return layout


def _each(hooks: Sequence[Callable[..., Process]], *args: Any) -> Process:
    """The hooks' generators one after the other, in journey order."""
    for hook in hooks:
        yield from hook(*args)


def _then(first: Process, env: simpy.Environment, then: float) -> Process:
    """``first``, then ``then`` minutes."""
    yield from first
    if then:
        yield env.timeout(then)


_KPI_NAMES = (
    "tasks", "response_mean", "response_p90", "over_target", "utilisation",
    "peak_hour_utilisation", "overtime_min",
)  # fmt: skip


@cache
def _kpi_keys(key: str) -> tuple[str, ...]:
    """``post.<key>.<kpi>`` for each of a post's KPIs, in :data:`_KPI_NAMES` order."""
    return tuple(f"post.{key}.{name}" for name in _KPI_NAMES)


_add_reduce = np.add.reduce


def _post_kpis(post: Post, target: float) -> dict[str, float]:
    response = post.response
    n = len(response)
    if n:
        # NumPy's mean to the last bit (its sum, then over n), without mean()'s own checks
        mean = float(_add_reduce(np.frombuffer(response, dtype=float)) / n)
        ordered = sorted(response)
        p90 = _p90_of_sorted(ordered)
        over = (n - bisect_right(ordered, target)) / n  # responses above the target
    else:
        mean = p90 = over = math.nan
    busy_by_hour = post.busy_by_hour
    busy = sum(busy_by_hour.values())
    duty = sum(post.duty_by_hour.values())
    # the busiest hour's share: the max of Post.utilisation_by_hour(), without its sorting
    peak = max(
        (busy_by_hour.get(h, 0.0) / on for h, on in post.duty_by_hour.items() if on > 0),
        default=math.nan,
    )
    values = (
        float(post.tasks), mean, p90, over, busy / duty if duty else math.nan, peak,
        post.overtime(),
    )  # fmt: skip
    return dict(zip(_kpi_keys(post.key), values, strict=True))


def p90_linear(values: Sequence[float]) -> float:
    """``np.percentile(values, 90)`` to the last bit (NumPy's 'linear' method: virtual index
    ``(n - 1) * 0.9``, and its two-sided interpolation), in plain Python: ~15× faster for the
    few hundred values of a post's day (speed, issue 17)."""
    return _p90_of_sorted(sorted(values))


def _p90_of_sorted(ordered: Sequence[float]) -> float:
    """:func:`p90_linear` of values already in ascending order."""
    n = len(ordered)
    virtual = (n - 1) * 0.9
    if virtual >= n - 1:
        return ordered[-1]
    lo = math.floor(virtual)
    a, b = ordered[lo], ordered[lo + 1]
    t = virtual - lo
    diff = b - a
    return b - diff * (1 - t) if t >= 0.5 else a + diff * t
