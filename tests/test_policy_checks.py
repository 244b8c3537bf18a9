"""Policies are checked at the boundary: bad picks name the policy, the rep and the time."""

from __future__ import annotations

import re
from typing import cast

import pytest

from sim.model import simulate_day
from sim.office.staff import Rep
from sim.policies import UnknownPolicyError, known_policies, policy_class
from sim.policies.base import PolicyError, RotationPolicy
from sim.policies.view import GroupView, RepView
from tests.helpers import fixed_trace_scenario

TRACE = fixed_trace_scenario(["09:00", "09:05"], 2, 30)


class AlwaysFirst(RotationPolicy):
    """Always the first rep, busy or not (a broken policy)."""

    name = "always_first_test"

    def choose(self, group: GroupView, now: float) -> RepView | None:
        return self.office.reps[0]


class Stranger(RotationPolicy):
    """Returns a rep that is not in the office."""

    name = "stranger_test"

    def choose(self, group: GroupView, now: float) -> RepView | None:
        return Rep(7, "外人", "Z", True)


class OffDuty(RotationPolicy):
    """Sends a rep home behind the office's back (a cast around the read-only view), then
    picks them."""

    name = "off_duty_test"

    def choose(self, group: GroupView, now: float) -> RepView | None:
        cast(Rep, self.office.reps[1]).on_duty = False
        return self.office.reps[1]


def test_busy_pick_names_policy_rep_and_time() -> None:
    expected = r"'always_first_test' picked rep '顾问01', who is busy, at 09:05"
    with pytest.raises(PolicyError, match=expected):
        simulate_day(TRACE, seed=1, policy=AlwaysFirst)


def test_unknown_rep_pick() -> None:
    with pytest.raises(PolicyError, match=r"'stranger_test' picked unknown rep .*外人.* at 09:00"):
        simulate_day(TRACE, seed=1, policy=Stranger)


def test_off_duty_pick() -> None:
    with pytest.raises(PolicyError, match=r"'off_duty_test' picked rep '顾问02', who is off duty"):
        simulate_day(TRACE, seed=1, policy=OffDuty)


def test_unknown_name_lists_known_and_closest() -> None:
    with pytest.raises(UnknownPolicyError) as info:
        policy_class("round_robbin")
    text = str(info.value)
    assert "did you mean 'round_robin'" in text
    for name in known_policies():
        assert name in text


def test_policy_state_is_per_run() -> None:
    a = simulate_day(TRACE, seed=1)
    b = simulate_day(TRACE, seed=1)
    assert a.tables == b.tables
    assert re.fullmatch(r"[a-z_]+", a.policy)
