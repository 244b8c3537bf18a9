"""Step 2 of the sizing search (:mod:`sim.event_sizing.search`): adding people (screen).

While a target fails, people are added to the desk the target concerns, in the blocks where
most groups wait past the target, half the late groups' work per day at once (at least one,
and at least twice what the block got in the round before when it needs people again at
once: :meth:`Stalled.doubled`).
A block where people were added and the desk's late groups did not fall (nothing upstream
changed) is left out of the blame from then on, while other blocks with room have late
groups (:class:`Stalled`).

When the target's desk is at its cap wherever its groups wait, they wait because of what
happened upstream: the groups late there are followed back to the upstream desk where they
waited longest (at the called desk, from when they were ready to be called), and people are
added there, in the block where those groups were finally served (the nearest earlier block
with room while they waited). Groups that cannot be served before closing because they were
called at the end of the line (no-shows sent to the end of the lottery order) are the
typical case. Only when they waited nowhere upstream with room is one more person tried at
every desk's most-blamed block, the best kept, and
:class:`~sim.event_sizing.search.Infeasible` raised when every desk is at its cap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from sim.event.kpis import EventTimes
from sim.event_sizing.evaluate import Counts, PlanEvaluator
from sim.event_sizing.outcome import Outcome
from sim.event_sizing.search import (
    Infeasible,
    Problem,
    add_people,
    blame,
    failing_targets,
    late_groups,
    latest_with_room,
    wait_threshold,
    worst_miss,
)
from sim.event_sizing.targets import SizingCriterion, SizingTarget


def add_until_met(problem: Problem, ev: PlanEvaluator, counts: Counts, crit: SizingCriterion,
                  ) -> Counts:  # fmt: skip
    """Step 2: add people where groups wait too long until every target holds (screen)."""
    stalled = Stalled(problem)
    while True:
        stalled.rounds += 1
        out = ev.screen(counts, keep_times=True)
        assert out.times is not None
        failing = failing_targets(problem, out, crit)
        if not failing:
            return counts
        if all(crit.met(t, out.kpis[t.kpi]) for t in failing):  # they hold alone, not together
            counts = _add_for_joint(problem, counts, crit, failing, out, stalled)
        else:
            counts = _add_for_missed(problem, ev, counts, crit, failing, out, stalled)


def _add_for_missed(problem: Problem, ev: PlanEvaluator, counts: Counts, crit: SizingCriterion,
                    failing: Sequence[SizingTarget], out: Outcome, stalled: Stalled,
                    ) -> Counts:  # fmt: skip
    """People for the ``failing`` targets: at each one's desk, where its groups wait too long
    (an event-wide target: the best single person over the desks; a desk at its cap
    wherever its groups wait: upstream)."""
    assert out.times is not None
    posts_done: set[str] = set()
    for t in failing:
        post = t.post
        if post is None:
            return _best_single(problem, ev, counts, crit, t, out.times)
        if post in posts_done or t.op != "<=":
            continue
        posts_done.add(post)
        more = _add_at_desk(problem, counts, t, out, stalled)
        if more is None:  # at its cap wherever its groups wait (issue 17)
            return _add_upstream(problem, ev, counts, crit, t, out)
        counts = more
    if not posts_done:  # only '>=' targets fail: adding people cannot help
        t = failing[0]
        raise Infeasible(t, t.post or problem.posts[0], 0, crit.achieved(t, out.kpis[t.kpi]),
                         problem.edges)  # fmt: skip
    return counts


def _add_for_joint(problem: Problem, counts: Counts, crit: SizingCriterion,
                   candidates: Sequence[SizingTarget], out: Outcome, stalled: Stalled,
                   ) -> Counts:  # fmt: skip
    """Every target holds alone but too few days meet them all: people for the first of the
    ``candidates`` (:func:`~sim.event_sizing.search.failing_targets`' order) whose desk has
    room where its late groups wait, or an upstream desk where they waited; else
    :class:`Infeasible` with the joint share. Going through the other candidates first: the
    one missed on most days may sit at its cap while another desk can still help."""
    for t in candidates:
        if t.post is None or t.op != "<=":
            continue
        more = _add_at_desk(problem, counts, t, out, stalled)
        if more is None:
            more = _add_at_cause(problem, counts, t, out)
        if more is not None:
            return more
    joint, share = worst_miss(problem, candidates, out, crit)
    post = next((t.post for t in candidates if t.post is not None), problem.posts[0])
    raise Infeasible(joint, post, int(np.argmax(counts[post])), share, problem.edges)


def _add_at_desk(problem: Problem, counts: Counts, t: SizingTarget, out: Outcome,
                 stalled: Stalled) -> Counts | None:  # fmt: skip
    """People at ``t``'s desk in the blocks with room where its groups wait too long (the
    blocks that did not help left out while others can, :class:`Stalled`); ``None`` when
    the desk is at its cap wherever they wait."""
    assert out.times is not None and t.post is not None
    post, threshold = t.post, wait_threshold(problem, t, t.post)
    room = np.array(counts[post]) < problem.caps[post]
    late = int(late_groups(out.times, post, threshold).sum())
    useful = room & ~stalled.seen(counts, post, late)
    b = np.where(useful, blame(problem, out.times, post, threshold, useful), -1)
    if b.max() <= 0:  # every block that helped is at its cap: all with room
        b = np.where(room, blame(problem, out.times, post, threshold, room), -1)
    if b.max() <= 0:
        return None
    more = _add_blamed(problem, out, counts, post, b, stalled.doubled(post))
    stalled.added(more, post, np.array(more[post]) - np.array(counts[post]))
    return more


class Stalled:
    """Blocks where adding people did not help: the desk's late groups did not fall after
    people were added there. A group never served is blamed on the first block with room
    after it got stuck; on a 3,200-person launch day the called desk's fifth block went
    from 32 to its cap of 48, one person a screen, with the same late groups every time,
    before the blame reached the block that served them (issue 17). Such blocks are left
    out of the blame while other blocks with room have late groups. A change upstream
    since (more people let more groups through) leaves the blocks as they were."""

    def __init__(self, problem: Problem) -> None:
        self._posts = problem.posts
        self._late: dict[str, int] = {}
        self._last: dict[str, tuple[np.ndarray, list[tuple[int, ...]]]] = {}
        self._stalled: dict[str, np.ndarray] = {}
        self._blocks = problem.blocks
        self._steps: dict[str, tuple[int, np.ndarray]] = {}
        self.rounds = 0
        """Rounds of adding so far (:func:`add_until_met` counts them)."""

    def _upstream(self, counts: Counts, post: str) -> list[tuple[int, ...]]:
        return [counts[p] for p in self._posts[:self._posts.index(post)]]

    def seen(self, counts: Counts, post: str, late: int) -> np.ndarray:
        """The post's stalled blocks (a mask), given the plan and its late groups now."""
        stalled = self._stalled.setdefault(post, np.zeros(self._blocks, dtype=bool))
        last = self._last.pop(post, None)
        if last is not None and late >= self._late[post] \
                and last[1] == self._upstream(counts, post):  # fmt: skip
            stalled |= last[0]
        self._late[post] = late
        return stalled

    def added(self, counts: Counts, post: str, more: np.ndarray) -> None:
        """``more`` people per block were just added to ``post``, giving ``counts``."""
        self._last[post] = (more > 0, self._upstream(counts, post))
        self._steps[post] = (self.rounds, more)

    def doubled(self, post: str) -> np.ndarray:
        """Per block of ``post``: twice the people added there in the previous round (0 where
        none were, or when the previous round added none at ``post``). A block that needs
        people again right after it got some gets at least twice as many: on the launch
        day scaled to 3,200 people the called desk's fifth block got one person a round for
        twelve rounds while its target failed on 84, 81, 76, ... 60 of 100 days (issue 17);
        the removal step trims what is too many."""
        round_, more = self._steps.get(post, (0, np.zeros(self._blocks, dtype=int)))
        return 2 * more if round_ == self.rounds - 1 else np.zeros(self._blocks, dtype=int)


def _step(problem: Problem, times: EventTimes, post: str, late: np.ndarray, days: int,
          ) -> np.ndarray:  # fmt: skip
    """People to add per block: half the work of the late groups per day (late groups x mean
    service / block length), at least one. One person per screen made the search grow with
    the square of attendance on a large event (issue 17); the removal step trims any excess."""
    svc = times.service[post]
    mean_s = float(np.nanmean(svc)) if np.isfinite(svc).any() else 0.0
    lengths = np.diff(np.asarray(problem.edges))
    work: np.ndarray = np.maximum(late, 0) / max(days, 1) * mean_s / lengths
    return np.maximum(1, np.floor(work / 2)).astype(int)


def _add_where_late(counts: Counts, post: str, late: np.ndarray, step: np.ndarray,
                    cap: int) -> Counts:  # fmt: skip
    """``step`` more people (up to ``cap``) in every block (below the cap: ``late >= 0``)
    with at least half as many late groups as the worst block."""
    for block in np.flatnonzero(late >= max(1.0, late.max() / 2)):
        more = min(int(step[block]), cap - counts[post][block])
        counts = add_people(counts, post, int(block), more)
    return counts


def _add_upstream(problem: Problem, ev: PlanEvaluator, counts: Counts, crit: SizingCriterion,
                  t: SizingTarget, out: Outcome) -> Counts:
    """The target's desk is at its cap wherever its groups wait: add at the upstream desk
    where those groups waited longest (:func:`upstream_cause`), else try every upstream
    desk (:func:`_best_single`)."""
    assert out.times is not None and t.post is not None
    more = _add_at_cause(problem, counts, t, out)
    if more is None:
        upstream = problem.posts[:problem.posts.index(t.post)]
        return _best_single(problem, ev, counts, crit, t, out.times, upstream,
                            crit.achieved(t, out.kpis[t.kpi]))  # fmt: skip
    return more


def _add_at_cause(problem: Problem, counts: Counts, t: SizingTarget, out: Outcome,
                  ) -> Counts | None:  # fmt: skip
    """People at the upstream desk where ``t``'s late groups waited longest
    (:func:`upstream_cause`); ``None`` when they waited at none with room."""
    assert out.times is not None and t.post is not None
    late = late_groups(out.times, t.post, wait_threshold(problem, t, t.post))
    cause = upstream_cause(problem, out.times, counts, t.post, late)
    return None if cause is None else _add_blamed(problem, out, counts, *cause)


def _add_blamed(problem: Problem, out: Outcome, counts: Counts, post: str, late: np.ndarray,
                least: np.ndarray | None = None) -> Counts:  # fmt: skip
    """People at ``post`` where ``late`` (groups per block; -1: no room) blames it, by
    :func:`_step` (at least ``least`` per block), up to its cap."""
    assert out.times is not None
    step = _step(problem, out.times, post, late, out.days)
    if least is not None:
        step = np.maximum(step, least)
    return _add_where_late(counts, post, late, step, problem.caps[post])


def upstream_cause(problem: Problem, times: EventTimes, counts: Counts, post: str,
                   late: np.ndarray) -> tuple[str, np.ndarray] | None:
    """The desk upstream of ``post`` where the ``late`` groups (days x groups) waited longest
    in all, and per block how many of them to blame there: the block in which each was served
    at that desk, or the nearest earlier block below the desk's cap while it waited (-1 for
    a block below the cap that none falls in). ``None`` when they waited at no upstream desk
    that has a block below its cap while they waited."""
    best: tuple[float, str, np.ndarray] | None = None
    for u in problem.posts[:problem.posts.index(post)]:
        room = np.array(counts[u]) < problem.caps[u]
        frm = _wait_start(problem, times, u)
        start = times.start[u]
        with np.errstate(invalid="ignore"):
            waited = late & np.isfinite(start) & np.isfinite(frm) & (start > frm)
        if not waited.any() or not room.any():
            continue
        blocks = _served_block_with_room(problem.edges, frm[waited], start[waited], room)
        kept = blocks >= 0
        total = float((start[waited] - frm[waited])[kept].sum())
        if total > 0 and (best is None or total > best[0]):
            counted = np.bincount(blocks[kept], minlength=problem.blocks).astype(float)
            best = (total, u, np.where(room, counted, -1.0))
    return None if best is None else (best[1], best[2])


def _wait_start(problem: Problem, times: EventTimes, post: str) -> np.ndarray:
    """When each group started waiting for ``post``: its arrival there, or, at the called
    desk, when it was ready to be called (in the waiting area)."""
    if times.wait_from is not None and problem.event.calling is not None \
            and post == problem.posts[1]:  # fmt: skip
        return times.wait_from
    return times.arrive[post]


def _served_block_with_room(edges: Sequence[float], frm: np.ndarray, start: np.ndarray,
                            room: np.ndarray) -> np.ndarray:  # fmt: skip
    """Per group: the block of ``start``, or the nearest earlier block with room that is not
    before the block of ``frm``; -1 when there is none."""
    last = len(edges) - 2
    first_b = np.clip(np.searchsorted(edges, frm, side="right") - 1, 0, last)
    served_b = np.clip(np.searchsorted(edges, start, side="right") - 1, 0, last)
    out: np.ndarray = latest_with_room(room)[served_b]
    return np.where(out >= first_b, out, -1)


def _best_single(problem: Problem, ev: PlanEvaluator, counts: Counts, crit: SizingCriterion,
                 t: SizingTarget, times: EventTimes, posts: Sequence[str] | None = None,
                 reached: float = math.nan) -> Counts:  # fmt: skip
    """An event-wide target (or a desk at its cap, with ``posts`` its upstream desks): try one
    more person at each desk's most-blamed block and keep the best; :class:`Infeasible` (with
    ``reached``, the target's value now) when every one of them is at its cap."""
    best: tuple[float, Counts] | None = None
    for p in problem.posts if posts is None else posts:
        room = np.array(counts[p]) < problem.caps[p]
        b = blame(problem, times, p, next(d.target_wait_min for d in problem.event.desks
                                          if d.post == p), room)  # fmt: skip
        b = np.where(room, b, -1)
        if b.max() < 0:
            continue
        trial = add_people(counts, p, int(b.argmax()))
        margin = crit.margin(t, ev.screen(trial).kpis[t.kpi])
        if best is None or margin > best[0]:
            best = (margin, trial)
    if best is None:
        post = t.post or problem.posts[0]
        raise Infeasible(t, post, int(np.argmax(counts[post])), reached, problem.edges)
    return best[1]
