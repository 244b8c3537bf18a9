"""Adding people (sim.event_sizing.adding): a block where people were added and the desk's
late groups did not fall is left out of the blame while an upstream desk stays as it was
(issue 17: the called desk's fifth block went to its cap one person a screen with the same
late groups every time); a block that needs people again right after it got some gets
twice as many (the called desk's fifth block got one person a round for twelve rounds)."""

from __future__ import annotations

import numpy as np

from sim.event_sizing.adding import Stalled
from sim.event_sizing.search import Problem
from sim.event_sizing.sizer import make_problem
from sim.event_sizing.targets import parse_target
from tests.helpers import small_grid_case


def _problem() -> Problem:
    return make_problem(small_grid_case(), [parse_target("selection_wait_p90<=3")],
                        "share_of_days", 0.9, 60)  # fmt: skip


def _plan(sign_in: tuple[int, ...], selection: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
    return {"sign_in": sign_in, "selection": selection}


def test_a_block_that_did_not_help_is_stalled() -> None:
    """People added at 10-11 and the same 40 groups late: 10-11 is stalled, and stays so
    when people then added at 11-12 do help."""
    pr = _problem()
    s = Stalled(pr)
    plan = _plan((2, 1, 1), (0, 3, 1))
    assert not s.seen(plan, "selection", 40).any()  # nothing added yet
    s.added(plan, "selection", np.array([0, 1, 0]))
    more = _plan((2, 1, 1), (0, 4, 1))
    assert s.seen(more, "selection", 40).tolist() == [False, True, False]  # the same 40 late
    s.added(more, "selection", np.array([0, 0, 1]))
    assert s.seen(_plan((2, 1, 1), (0, 4, 2)), "selection", 31).tolist() == [False, True, False]


def test_fewer_late_groups_or_a_change_upstream_stall_nothing() -> None:
    """One group fewer late: the block helped. More late groups after sign-in (upstream)
    changed too: not judged. A desk's own record does not mark another desk."""
    pr = _problem()
    s = Stalled(pr)
    plan = _plan((2, 1, 1), (0, 3, 1))
    s.seen(plan, "selection", 40)
    s.added(plan, "selection", np.array([0, 1, 0]))
    assert not s.seen(_plan((2, 1, 1), (0, 4, 1)), "selection", 39).any()  # it helped
    s.added(plan, "selection", np.array([0, 1, 0]))
    upstream = _plan((3, 1, 1), (0, 5, 1))  # sign-in changed too: more groups reach selection
    assert not s.seen(upstream, "selection", 45).any()
    assert not s.seen(upstream, "sign_in", 10).any()  # each desk on its own


def test_a_block_that_needs_people_again_at_once_gets_twice_as_many() -> None:
    """Three people added at 10-11 in one round: the next round adds at least six there (the
    step grows 1, 2, 4, ... while the block keeps needing people), none where nothing was
    added, and nothing more once a round went by without adding at the desk."""
    pr = _problem()
    s = Stalled(pr)
    s.rounds = 1
    assert s.doubled("selection").tolist() == [0, 0, 0]
    s.added(_plan((2, 1, 1), (0, 6, 1)), "selection", np.array([0, 3, 0]))
    s.rounds = 2
    assert s.doubled("selection").tolist() == [0, 6, 0]
    assert s.doubled("sign_in").tolist() == [0, 0, 0]  # each desk on its own
    s.rounds = 3  # round 2 added nothing at selection
    assert s.doubled("selection").tolist() == [0, 0, 0]
