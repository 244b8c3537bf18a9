"""Issue 17 item 1: a desk at its cap whose groups are late because of what happened upstream.

On the launch day scaled to 3,200 people the last buyers (no-shows sent to the end of the
lottery order) reach the gift desk after its last block, so they are never served there
however many people it has. The search used to try one more person at every upstream desk
and keep whichever screened best: a walk on noise that took 1.47 million simulated days.
Now those groups are followed back to where they waited (the selection desk's call), and
groups that reach a desk after its last block with room are not blamed on that desk.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.event.kpis import EventTimes
from sim.event_sizing.adding import upstream_cause
from sim.event_sizing.evaluate import Counts, PlanEvaluator
from sim.event_sizing.scale import scale_event
from sim.event_sizing.search import Problem, blame, late_groups
from sim.event_sizing.sizer import make_problem
from sim.event_sizing.targets import SizingTarget
from sim.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = ROOT / "scenarios" / "launch_day_800.yaml"


def _problem_3200() -> tuple[Scenario, list[SizingTarget], Problem]:
    sc = scale_event(load_scenario(LAUNCH), 3200)
    assert sc.event is not None
    targets = [SizingTarget(t.kpi, t.op, t.value) for t in sc.event.sizing.targets]
    return sc, targets, make_problem(sc, targets, "share_of_days", 0.95, 60)


def _times(problem: Problem, arrive: dict[str, list[float]], start: dict[str, list[float]],
           wait_from: list[float] | None = None) -> EventTimes:  # fmt: skip
    """One day of hand-made groups at the problem's desks (nan where a group skips one)."""
    n = len(next(iter(arrive.values())))
    nan = [np.nan] * n
    return EventTimes(
        valid=np.ones((1, n), bool), size=np.ones((1, n)), arrival=np.zeros((1, n)),
        arrive={p: np.array([arrive.get(p, nan)], float) for p in problem.posts},
        start={p: np.array([start.get(p, nan)], float) for p in problem.posts},
        wait_from=None if wait_from is None else np.array([wait_from], float))


def test_a_group_reaching_a_desk_after_its_last_block_is_not_blamed_on_it() -> None:
    _, _, problem = _problem_3200()
    last = problem.edges[-1]
    # gift: one group never served that arrived after closing, one never served that arrived
    # in block 2 (stuck there), one served 20 minutes late in block 3
    b3 = problem.edges[3] + 1
    times = _times(problem, {"gift": [last + 3, problem.edges[2] + 1, b3]},
                   {"gift": [np.inf, np.inf, b3 + 20]})  # fmt: skip
    room = np.ones(problem.blocks, bool)
    got = blame(problem, times, "gift", 5.0, room)
    want = np.zeros(problem.blocks)
    want[2] += 1  # stuck in block 2, its 5 minutes run out in block 2
    want[3] += 1
    assert got.tolist() == want.tolist()
    # block 2 full: the stuck group goes to the next block with room from when it was late
    room[2] = False
    want = np.zeros(problem.blocks)
    want[3] += 2
    assert blame(problem, times, "gift", 5.0, room).tolist() == want.tolist()
    # no room from block 2 on: the stuck group is blamed nowhere on this desk (adding people
    # before it arrived cannot serve it), nor is the one that arrived after closing; the one
    # served late stays where it waited (the caller leaves out blocks without room)
    room[2:] = False
    want = np.zeros(problem.blocks)
    want[3] = 1
    assert blame(problem, times, "gift", 5.0, room).tolist() == want.tolist()
    # without room (plain blame) the group after closing counts in the last block, as before
    assert blame(problem, times, "gift", 5.0)[-1] == 1


def test_upstream_cause_follows_the_late_groups_to_where_they_waited() -> None:
    _, _, problem = _problem_3200()
    e = problem.edges
    # two groups late at contract: both waited 3 minutes at finance and, called late, ~5 hours
    # for selection (from sign-in, wait_from); a third, on time at contract, waited longest
    # at finance but is not late downstream, so it does not count
    arrive = {"sign_in": [e[0] + 1, e[0] + 2, e[0] + 3],
              "selection": [e[6] + 5, e[6] + 8, e[1]],
              "finance": [e[6] + 10, e[6] + 12, e[1] + 5],
              "contract": [e[6] + 20, e[6] + 22, e[2] + 30]}  # fmt: skip
    start = {"sign_in": arrive["sign_in"], "selection": arrive["selection"],
             "finance": [e[6] + 13, e[6] + 15, e[2] + 20],
             "contract": [np.inf, e[6] + 60, e[2] + 31]}  # fmt: skip
    times = _times(problem, arrive, start, wait_from=[e[0] + 2, e[0] + 3, e[0] + 4])
    late = late_groups(times, "contract", 15.0)
    assert late[0].tolist() == [True, True, False]
    counts: Counts = {p: (0,) * problem.blocks for p in problem.posts}
    cause = upstream_cause(problem, times, counts, "contract", late)
    assert cause is not None
    post, blocks = cause
    assert post == "selection"  # ~5.5 hours each against 3 minutes at finance
    want = np.zeros(problem.blocks)
    want[6] = 2  # called (served at the selection desk) in block 6
    assert blocks.tolist() == want.tolist()
    # selection full in block 6: the nearest earlier block with room while they waited
    full = dict(counts, selection=tuple(problem.caps["selection"] if b == 6 else 0
                                        for b in range(problem.blocks)))  # fmt: skip
    post, blocks = upstream_cause(problem, times, full, "contract", late) or ("", None)
    assert post == "selection" and blocks is not None
    assert blocks[5] == 2 and blocks[6] == -1
    # no upstream wait at all: no cause
    flat = dict(start, selection=arrive["selection"], finance=arrive["finance"])
    times = _times(problem, arrive, flat, wait_from=arrive["selection"])
    assert upstream_cause(problem, times, counts, "contract", late) is None


def test_the_scaled_launch_days_last_buyers_are_blamed_on_the_selection_call() -> None:
    """A plan like the one the 3,200-person search was at when it walked: gift at its cap in
    every block, the selection desk at 12 all day. The gift desk's late groups are the last
    buyers, called at the end by the selection desk: it is the cause, in its last block."""
    sc, targets, problem = _problem_3200()
    counts: Counts = {"sign_in": (37,) + (36,) * 7, "selection": (12,) * 8, "finance": (7,) * 8,
              "contract": (12,) * 8, "gift": (problem.caps["gift"],) * 8}  # fmt: skip
    with PlanEvaluator(sc, 0, 20, problem.edges, targets, workers=1) as ev:
        out = ev.screen(counts, keep_times=True)
    assert out.times is not None
    late = late_groups(out.times, "gift", 5.0)
    assert late.any()
    never_after_close = late & (out.times.arrive["gift"] >= problem.edges[-1])
    assert never_after_close.sum() == late.sum()  # all after closing: none is gift's
    cause = upstream_cause(problem, out.times, counts, "gift", late)
    assert cause is not None and cause[0] == "selection"
    assert int(np.argmax(cause[1])) == problem.blocks - 1
    room = np.array(counts["gift"]) < problem.caps["gift"]
    assert not room.any()  # so add_until_met follows them upstream


def test_a_group_never_called_is_stuck_from_when_the_calling_opens() -> None:
    """Selection people before the first call serve nobody: a group ready at 08:40 and never
    called is late from the opening (09:30) + its target, not from 08:40 + its target."""
    _, _, problem = _problem_3200()
    calling = problem.event.calling
    assert calling is not None
    e = problem.edges
    assert e[0] < calling.opens == e[1]  # block 0 is before the first call
    times = _times(problem, {"selection": [np.inf]}, {"selection": [np.inf]},
                   wait_from=[e[0] + 10])  # fmt: skip
    got = blame(problem, times, "selection", 5.0, np.ones(problem.blocks, bool))
    want = np.zeros(problem.blocks)
    want[1] = 1
    assert got.tolist() == want.tolist()
