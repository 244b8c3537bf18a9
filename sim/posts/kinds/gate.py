"""L1 gate greeter (门岗礼宾, seed 003): stops each car at the gate and radios the office; a
car of ``large_party_min`` or more people is met by L1 and L2 (parking) together (F1)."""

from __future__ import annotations

from sim.core.quick_process import timeout
from sim.posts.kind import (
    PostBehaviour,
    PostKind,
    PostSpec,
    Process,
    Step,
    Visitor,
    lined_up_for,
    run_step,
)
from sim.posts.staffed import Person, Post


class Gate(PostBehaviour):
    """F1 at the gate; groups on foot pass no gate. The admission check comes after this."""

    def at_gate(self, g: Visitor) -> Process:
        """L1 meets a car (with L2 at once for a large party)."""
        yield from run_step(self.gate_step(g))

    def gate_step(self, g: Visitor) -> Step:
        """:meth:`at_gate` as a step: the greeting's event, or the large party's (an event
        where both posts have someone free, else a process)."""
        if not g.by_car:
            return None
        line = self.line
        # a large party is met by L1 and L2 together, when both are staffed
        parking = line.post("parking") if g.size >= line.large_party_min else None
        if parking is not None:
            if not (lined_up_for(g, self.post) or lined_up_for(g, parking)):
                return self._together(parking)
            return None
        return self.greeting(g)

    def _together(self, parking: Post) -> Step:
        """One person from each post at once (always gate first: no deadlock). Both free at
        once (the usual case): one timeout, and both let go without an event (no process;
        speed, issue 17); otherwise the process that waits for them."""
        minutes = self.task_time()
        a = self.post.get_now()
        if a is None:
            return self._wait_together(parking, minutes, None)
        b = parking.get_now()
        if b is None:
            return self._wait_together(parking, minutes, a)
        env = self.line.env
        ends = timeout(env, minutes)
        end = env._now + minutes  # when the timeout fires
        self.post.end_at(a, end)
        parking.end_at(b, end)
        return ends

    def _wait_together(self, parking: Post, minutes: float, a: Person | None) -> Process:
        """Wait for the gate's person (unless ``a`` was taken already), then the parking's;
        if one post has closed for the day, the other's person does the task alone."""
        if a is None:
            a = yield from self.post.get()
        b = yield from parking.get()
        yield timeout(self.line.env, minutes)
        if a is not None:
            self.post.release(a)
        if b is not None:
            parking.release(b)


KIND = PostKind(
    key="gate", code="L1", zh="门岗礼宾", en="gate greeter", order=10,
    description="L1 gate greeter (门岗礼宾); task per car", spec=PostSpec, behaviour=Gate,
)  # fmt: skip
