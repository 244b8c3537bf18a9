"""A day can never run forever or lose a group: the run is bounded past closing, and at the end
every group that arrived must have an outcome (arrived = every terminal outcome).

Anything else raises :class:`~sim.domain.results.DayStalled` naming the stuck groups, their
reps and what each was waiting for.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from heapq import heappop, heappush

import simpy

from sim.domain.results import DayStalled
from sim.office.recorder import Accumulator
from sim.office.staff import Rep
from sim.office.visitors import Group

MAX_PAST_CLOSING_MIN = 24 * 60.0
"""How long after closing (or after the last shift ends, if later) a day may still have events
before it counts as stalled."""


def run_to_empty(
    env: simpy.Environment, close: float, replication: int,
    settle: Callable[[], bool] = lambda: False, progress: Callable[[], int] = lambda: 0,
) -> None:  # fmt: skip
    """Run until no events remain, as ``env.run()`` does, but a loop that re-schedules itself
    forever is an error, not an endless run: the day may go on past ``close`` (closing, or the
    last shift end if later) by :data:`MAX_PAST_CLOSING_MIN`, and by as much again each time
    ``progress()`` (groups with an outcome) grew in the last such span. A long queue on an
    overloaded day keeps going while groups still leave; a stuck process stops the day.
    When the schedule runs empty, ``settle()`` may schedule what was kept out of it
    (event-less post tasks still running): then the run goes on."""
    limit, done = close + MAX_PAST_CLOSING_MIN, progress()
    while True:
        _run_until(env, limit, settle)
        if env.peek() == float("inf"):
            return
        if progress() == done:
            raise DayStalled(
                f"replication {replication}: events still scheduled {MAX_PAST_CLOSING_MIN / 60:.0f}"
                f" hours after closing or after the last group left (at {env.peek():.1f} min): "
                "a process that never ends"
            )
        limit, done = limit + MAX_PAST_CLOSING_MIN, progress()


def _run_until(env: simpy.Environment, limit: float, settle: Callable[[], bool]) -> None:
    """Every event up to ``limit``, settling when the schedule runs empty."""
    if type(env).step is simpy.Environment.step:
        _run_events(env, limit, settle)
        return
    queue, step = env._queue, env.step  # a subclass steps its own way
    while True:
        while queue and queue[0][0] <= limit:
            step()
        if queue or not settle():
            return


def _run_events(env: simpy.Environment, limit: float, settle: Callable[[], bool]) -> None:
    """The loop of :func:`run_to_empty`, with ``simpy.Environment.step`` inlined: it runs once
    per event of the day, and the call and its lookups cost as much as a short callback
    (speed, issue 17). Same order and the same failure as ``step()``: pop the next event, set
    the clock, run its callbacks, crash on a failed event nobody defused."""
    queue = env._queue
    while True:
        while queue:
            item = heappop(queue)
            if not item[0] <= limit:  # rarely past the bound (a loop, a long queue; NaN too)
                heappush(queue, item)  # back where it was: the same time, priority and id
                return
            env._now, _, _, event = item
            callbacks, event.callbacks = event.callbacks, None  # type: ignore[assignment]
            for callback in callbacks:
                callback(event)
            if not event._ok and not hasattr(event, "_defused"):
                failure = event._value
                exc = type(failure)(*failure.args)
                exc.__cause__ = failure
                raise exc
        if not settle():
            return


def accounted(acc: Accumulator) -> int:
    """Groups with a terminal outcome: served, lost, non-sales, not received, refused at the
    gate (protocol or admission), or present when the clock stopped."""
    return (acc.served + acc.lost + acc.non_sales + acc.not_received + acc.refused_protocol
            + acc.refused_admission + acc.present)  # fmt: skip


def check_accounts(
    acc: Accumulator, stuck: Collection[Group], reps: Sequence[Rep], replication: int
) -> None:
    """The accounting identity of a day: every arrival has exactly one terminal outcome;
    ``stuck`` are the groups still inside that no rule lets finish."""
    if not stuck and accounted(acc) == acc.arrived:
        return
    names = [_describe(g, reps) for g in sorted(stuck, key=lambda g: g.gid)[:5]]
    more = f" and {len(stuck) - 5} more" if len(stuck) > 5 else ""
    raise DayStalled(
        f"replication {replication}: {acc.arrived} groups arrived but {accounted(acc)} have an "
        f"outcome; stuck: {'; '.join(names) or 'none found'}{more}"
    )


def _describe(g: Group, reps: Sequence[Rep]) -> str:
    rep = reps[g.rep].name if 0 <= g.rep < len(reps) else "no rep"
    return f"group {g.gid} (rep {rep}, waiting for {g.waiting_for or 'nothing recorded'})"
