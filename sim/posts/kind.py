"""What a service post kind (岗位类型) is: its identity and labels, its scenario section and its
behaviour at the points of the visitor journey (F1–F8).

A kind is a plug-in: one module in :mod:`sim.posts.kinds` that defines ``KIND``, a
:class:`PostKind`. The scenario's ``staffing:`` section gets a field named after the kind's key
(validated by its :attr:`PostKind.spec`); the office day builds one :class:`PostBehaviour`
per staffed kind and calls its hooks. Nothing else names a kind.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Protocol, TypeAlias

import simpy
from pydantic import Field

from sim.core.distributions import Distribution, Fixed
from sim.core.rng import Sampler, Streams
from sim.core.schema import Positive, StrictModel, TypeDoc
from sim.posts.staffed import Post

Process = Generator[simpy.Event, Any, None]
Step: TypeAlias = simpy.Event | Process | None
"""One step of the journey at a post: an event to wait for, a process to run through, or
nothing to wait for (see :meth:`PostBehaviour.gate_step`)."""


def fixed(minutes: float) -> Fixed:
    """A fixed duration, for defaults."""
    return Fixed(dist="fixed", value=minutes)


class PostSpec(StrictModel):
    """A staffed post: headcount per shift, task durations and its response target."""

    headcount: Annotated[
        dict[str, Annotated[int, Field(ge=0, le=200)]],
        TypeDoc("mapping shift: people", "shift names from `staffing.shifts`; 0–200 people each"),
    ] = Field(description="people per shift name, e.g. {A: 1, B: 1}")
    task: Distribution = Field(
        default_factory=lambda: fixed(1.0),
        description="duration of one task at this post, minutes (see the post notes)",
    )
    target_response_min: Positive = Field(
        2.0, description="response-time target: request to service start, minutes"
    )


class Visitor(Protocol):
    """What a post sees of a visitor group."""

    @property
    def size(self) -> int:
        """People in the group."""

    @property
    def by_car(self) -> bool:
        """Whether the group came by car (F1)."""

    @property
    def scheduled_visit(self) -> bool:
        """Whether the group is a scheduled important visit (met by the line-up)."""


class Stay:
    """A seated group's stay at a table or in a VIP room (F6): ``over`` once it stands up.
    A flag, not a SimPy event: nothing waits on it (speed, issue 17); a post that keeps its
    work for the group off the schedule :meth:`watch`-es it, to book that work up to then."""

    __slots__ = ("_watchers", "over")

    def __init__(self) -> None:
        self.over = False
        """Whether the group has stood up (set by :meth:`stand_up`; a plain attribute, read
        for every drink: speed, issue 17)."""
        self._watchers: list[Callable[[], None]] = []

    def stand_up(self) -> None:
        """The group stands up: the watchers are called, then :attr:`over` is set."""
        if not self.over:
            for watcher in self._watchers:
                watcher()
        self.over = True

    def watch(self, watcher: Callable[[], None]) -> None:
        """Call ``watcher()`` when the group stands up, before ``over`` is set."""
        self._watchers.append(watcher)


class Line(Protocol):
    """What a post's behaviour may ask of the reception line it belongs to."""

    env: simpy.Environment

    @property
    def large_party_min(self) -> int:
        """A car with at least this many people is met by L1 and L2 together (F1)."""

    def post(self, key: str) -> Post | None:
        """Another staffed post of the line, if the scenario staffs it."""


@dataclass(frozen=True)
class PostKind:
    """A post kind: key, seed code, Chinese and English names, where it stands in the line."""

    key: str
    code: str  # the seed's code (L1, S1, ...) or "—"
    zh: str
    en: str
    order: int  # position along the journey: posts are built and reported in this order
    description: str  # the scenario field's help text
    spec: type[PostSpec]
    behaviour: type[PostBehaviour]

    @property
    def label(self) -> str:
        """'门岗礼宾 gate greeter (L1)'."""
        return f"{self.zh} {self.en}" + (f" ({self.code})" if self.code != "—" else "")


class PostBehaviour:
    """One staffed post's work during one day; subclasses override the hooks they serve.

    Hooks the office day calls (each kind implements only its own): ``start`` (the day
    begins), ``at_gate`` and
    ``after_gate`` (F1/F2, generators), ``house_entry`` (F5), ``prepare_room`` (F6, a
    generator), ``clear_room`` (F6), ``seated`` (F6), ``receive_important`` (V2/V3),
    ``served`` (F8). ``takes_transferred_calls`` marks the post that takes calls after the
    transfer ring (P2). Task durations come from the stream ``post.<key>.task``, so staffing a
    post never changes the visitors (common random numbers).
    """

    takes_transferred_calls: ClassVar[bool] = False

    def __init__(self, line: Line, post: Post, spec: PostSpec, streams: Streams) -> None:
        self.line = line
        self.post = post
        self.spec = spec
        self.task_time: Sampler = streams.sampler(f"post.{post.key}.task", spec.task)

    def work(self) -> simpy.Event:
        """Start one task of this post (drawn duration); the event fires when it is done."""
        return self.post.task(self.task_time())

    def send(self) -> None:
        """Start one task of this post (drawn duration) that nothing waits on."""
        self.post.start(self.task_time())

    def greeting(self, g: Visitor) -> simpy.Event | None:
        """Greet ``g`` as a task (its event), or ``None`` where this post's people stand in
        the line-up for it. An event, not a generator: the hooks yield it without a generator
        around it (speed, issue 17)."""
        if self.post.held and lined_up_for(g, self.post):  # nobody held, nearly always
            return None
        return self.work()

    # -- hooks (no-ops unless a kind overrides them) -------------------------------------------
    def start(self) -> None:
        """The day begins (after the arrivals and phones have started): a post with work of its
        own, such as rounds on a timetable, starts its processes here."""

    def at_gate(self, g: Visitor) -> Process:
        """F1, at the gate."""
        yield from ()

    def after_gate(self, g: Visitor) -> Process:
        """F1/F2 after the gate: parking and the door."""
        yield from ()

    # -- the hooks as steps: an event where one is enough, no generator (speed, issue 17) --
    def gate_step(self, g: Visitor) -> Step:
        """:meth:`at_gate` as a :data:`Step`; a kind may return the event it would yield."""
        return self.at_gate(g)

    def after_gate_step(self, g: Visitor) -> Step:
        """:meth:`after_gate` as a :data:`Step`."""
        return self.after_gate(g)

    def house_step(self, g: Visitor, then: float = 0.0) -> Step:
        """:meth:`house_entry` as a :data:`Step`."""
        return self.house_entry(g, then)

    def house_entry(self, g: Visitor, then: float = 0.0) -> Process:
        """F5: at the door of a sample unit; ends ``then`` minutes after this kind's work there
        (the tour inside, when the line passes it on: one timeout for both)."""
        if then:
            yield self.line.env.timeout(then)

    def prepare_room(self) -> Process:
        """F6: before a group enters a VIP room."""
        yield from ()

    def clear_room(self, give_back: Callable[[], None]) -> None:
        """F6: after a group leaves a VIP room; call ``give_back()`` when it is usable."""
        give_back()

    def seated(self, stay: Stay) -> None:
        """F6: a group has sat down to negotiate, until ``stay.over``."""

    def receive_important(self) -> None:
        """V2/V3: an important group or a delegation arrives."""

    def served(self) -> None:
        """F8: a served group has left."""


HOOKS = (
    "start", "at_gate", "after_gate", "house_entry", "prepare_room", "clear_room", "seated",
    "receive_important", "served",
)  # fmt: skip


def implements(behaviour: type[PostBehaviour], hook: str) -> bool:
    """Whether a kind's behaviour overrides ``hook``."""
    return getattr(behaviour, hook) is not getattr(PostBehaviour, hook)


def run_step(step: Step) -> Process:
    """A :data:`Step` as a process (for a caller that wants a generator)."""
    if isinstance(step, simpy.Event):
        yield step
    elif step is not None:
        yield from step


def lined_up_for(g: Visitor, post: Post) -> bool:
    """A scheduled important visit is received by the staff lined up for it: a post whose
    people are held at the entrance does not also serve the party as a task."""
    return post.held > 0 and g.scheduled_visit  # held first: nobody is, nearly always

