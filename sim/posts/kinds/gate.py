"""L1 gate greeter (门岗礼宾, seed 003): stops each car at the gate and radios the office; a
car of ``large_party_min`` or more people is met by L1 and L2 (parking) together (F1)."""

from __future__ import annotations

from sim.core.quick_process import timeout
from sim.posts.kind import (
    Line,
    PostBehaviour,
    PostKind,
    PostSpec,
    Process,
    Step,
    Visitor,
    lined_up_for,
    run_step,
)
from sim.posts.staffed import Post


def large_car(line: Line, g: Visitor) -> bool:
    """A car of ``large_party_min`` or more people, met by L1 and L2 together (both staffed)."""
    return (
        g.by_car
        and g.size >= line.large_party_min
        and line.post("gate") is not None
        and line.post("parking") is not None
    )


class Gate(PostBehaviour):
    """F1 at the gate; groups on foot pass no gate. The admission check comes after this."""

    def at_gate(self, g: Visitor) -> Process:
        """L1 meets a car (with L2 at once for a large party)."""
        yield from run_step(self.gate_step(g))

    def gate_step(self, g: Visitor) -> Step:
        """:meth:`at_gate` as a step: the greeting's event, or the large party's process."""
        if not g.by_car:
            return None
        parking = self.line.post("parking")
        if parking is not None and large_car(self.line, g):
            if not (lined_up_for(g, self.post) or lined_up_for(g, parking)):
                return self._together(parking)
            return None
        return self.greeting(g)

    def _together(self, parking: Post) -> Process:
        """One person from each post at once (always gate first: no deadlock). If one post has
        closed for the day, the other's person does the task alone. Both free at once (the
        usual case): one timeout, and both let go without an event (speed, issue 17)."""
        minutes = self.task_time()
        env = self.line.env
        a = self.post.get_now()
        if a is not None:
            b = parking.get_now()
            if b is not None:
                ends = timeout(env, minutes)
                end = env._now + minutes  # when the timeout fires
                self.post.end_at(a, end)
                parking.end_at(b, end)
                yield ends
                return
        else:
            a = yield from self.post.get()
            b = None
        if b is None:
            b = yield from parking.get()
        yield timeout(env, minutes)
        if a is not None:
            self.post.release(a)
        if b is not None:
            parking.release(b)


KIND = PostKind(
    key="gate", code="L1", zh="门岗礼宾", en="gate greeter", order=10,
    description="L1 gate greeter (门岗礼宾); task per car", spec=PostSpec, behaviour=Gate,
)  # fmt: skip
