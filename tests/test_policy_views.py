"""Policies see a read-only office and change it only through the office view's methods.

- Layering: :mod:`sim.policies` imports nothing above itself (no office, no scenario), not even
  for typing, and never imports inside a function.
- Runtime: the concrete office view's own fields are read-only, its reps a tuple, its rotation
  settings frozen; a rep or group that is not the office's own is a policy error.
- Typing: mypy (strict) rejects a policy that assigns through a view.
- Every change goes through the view: a recording office view (a second implementation of
  :class:`~sim.policies.view.OfficeView`, delegating to the real one) runs round_robin, longfor
  and joint_agency on scripted days. Around every policy hook it compares the state of all
  reps, the ledger and every group the policy has seen before and after each view call: any
  change between two view calls is a change made behind the office's back. The calls each day
  makes are listed by hand from the rules.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import pydantic
import pytest
from mypy import api as mypy_api

import sim.policies
from sim.domain.labels import APPOINTMENT
from sim.office.staff import PolicyOffice, Rep
from sim.office.visitors import Group
from sim.policies import policy_class
from sim.policies.base import PolicyError, RotationPolicy
from sim.policies.round_robin import RoundRobin
from sim.policies.view import GroupView, LedgerView, OfficeView, RepView, RotationView
from sim.scenario import Scenario
from tests.helpers import ROOT
from tests.rotation_script import Ring, Trace, Visit, run_script, script_scenario

POLICIES_DIR = Path(sim.policies.__file__).parent
ALLOWED = ("sim.policies", "sim.domain", "sim.core")  # the layers below policies, and itself
HOOKS = (
    "receives", "choose", "on_assigned", "on_released", "on_lost", "choose_mentor",
    "choose_phone_rep", "on_call_answered",
)  # fmt: skip

A3 = [("A1", "A", True), ("A2", "A", True), ("A3", "A", True)]
AB2 = [("A1", "A", True), ("A2", "A", True), ("B1", "B", True), ("B2", "B", True)]
NO_LENDING = {"standing_by": 0}


# -- layering ----------------------------------------------------------------------------------
def _imports(tree: ast.Module) -> Iterable[tuple[str, ast.AST]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node


def _local_import_lines(tree: ast.Module) -> list[int]:
    return [
        inner.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Import | ast.ImportFrom)
    ]


@pytest.mark.parametrize("path", sorted(POLICIES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_policies_import_nothing_above_their_layer(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    higher = [
        name for name, _node in _imports(tree)
        if name.split(".")[0] == "sim" and not name.startswith(ALLOWED)
    ]  # fmt: skip
    assert higher == []
    assert _local_import_lines(tree) == []


# -- read-only at run time ---------------------------------------------------------------------
def _office(n: int = 3) -> PolicyOffice:
    return PolicyOffice([Rep(i, f"R{i}", "A", True) for i in range(n)], "weekday")


@pytest.mark.parametrize(
    "field", ["reps", "day_type", "phone_team", "visit_reps_answer_calls", "rotation", "rng",
              "ledger"],
)  # fmt: skip
def test_office_view_fields_cannot_be_assigned(field: str) -> None:
    office = _office()
    with pytest.raises(AttributeError):
        setattr(office, field, None)


def test_office_reps_are_a_tuple_and_rotation_is_frozen() -> None:
    office = _office()
    view: OfficeView = office
    assert isinstance(view.reps, tuple)
    with pytest.raises(AttributeError):
        view.reps.append(office.reps[0])  # type: ignore[attr-defined]
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        view.rotation.standing_by = 5  # type: ignore[misc]
    assert view.rotation.standing_by == 2


def test_office_view_hands_out_the_real_reps() -> None:
    reps = [Rep(i, f"R{i}", "A", True) for i in range(2)]
    office = PolicyOffice(reps, "weekday")
    assert all(a is b for a, b in zip(office.reps, reps, strict=True))


@pytest.mark.parametrize(
    "ask",
    [
        lambda o: o.grant_turn(Rep(0, "R0", "A", True)),  # same index, not the office's rep
        lambda o: o.skip_turn(Rep(9, "X", "A", True)),
        lambda o: o.lend(object()),
        lambda o: o.record_grab([o.reps[0], Rep(1, "R1", "A", True)], 1.0),
        lambda o: o.delay(object(), 1.0),
    ],
    ids=["twin", "stranger", "not-a-rep", "grab-with-a-stranger", "not-a-group"],
)
def test_only_the_offices_own_reps_and_groups_can_be_changed(
    ask: Callable[[PolicyOffice], None],
) -> None:
    office = _office()
    with pytest.raises(PolicyError, match=r"not one of this office's reps|not a visitor group"):
        ask(office)
    assert dataclasses.astuple(office.ledger) == dataclasses.astuple(type(office.ledger)())
    assert all(r.turns == r.skipped == r.lent == 0 for r in office.reps)


def test_the_scenario_rotation_satisfies_the_rotation_view() -> None:
    settings: RotationView = script_scenario(A3).rotation
    ledger: LedgerView = _office().ledger
    assert settings.joint_agency.weekend_mode == "grab" and ledger.fallbacks == 0


# -- read-only to the type checker ---------------------------------------------------------------
BAD_POLICY = """
from sim.policies.base import RotationPolicy
from sim.policies.view import GroupView, RepView


class Bad(RotationPolicy):
    name = "bad"

    def on_assigned(self, group: GroupView, rep: RepView, now: float) -> None:
        rep.turns += 1  # line 10
        rep.on_duty = False
        group.t_extra += 1.0
        self.office.ledger.fallbacks += 1
        self.office.rotation.standing_by = 0
        self.office.reps[0] = rep
        self.office.phone_team = "B"
"""


def test_mypy_rejects_assignment_through_the_views(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "bad_policy.py"
    source.write_text(BAD_POLICY, encoding="utf-8")
    monkeypatch.setenv("MYPYPATH", str(ROOT))  # this checkout's sim, not an installed one
    out, _err, status = mypy_api.run([
        "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path / "cache"),
        "--no-incremental", str(source),
    ])  # fmt: skip
    assert status == 1
    lines = {int(row.split(":")[1]) for row in out.splitlines() if ": error:" in row}
    assert lines == set(range(10, 17)), out
    assert 'Property "turns" defined in "RepView" is read-only' in out
    assert '"GroupView" has no attribute "t_extra"' in out


# -- every change through the view ---------------------------------------------------------------
def _snapshot(reps: Sequence[Rep], ledger: object, groups: Iterable[Group]) -> str:
    """Everything a policy could change behind the office's back (repr: NaN equals NaN)."""
    rows = [tuple(getattr(r, s) for s in Rep.__slots__) for r in reps]
    rows.append(dataclasses.astuple(ledger))  # type: ignore[call-overload]
    rows += [tuple(getattr(g, s, None) for s in Group.__slots__) for g in groups]
    return repr(rows)


class RecordingOffice:
    """An :class:`OfficeView` that records every change a policy asks for and checks, while a
    policy hook runs, that nothing changes between two of its calls."""

    def __init__(self, office: PolicyOffice) -> None:
        self.inner = office
        self.calls: list[tuple[Any, ...]] = []
        self.groups: dict[int, Group] = {}
        self.depth = 0
        self.expected = ""
        self.where = ""

    # hooks: the test's policy wrapper brackets every hook with these
    def enter(self, hook: str, args: tuple[Any, ...]) -> None:
        """A policy hook starts: remember its groups and the state it starts from."""
        self.groups.update((id(a), a) for a in args if isinstance(a, Group))
        if self.depth == 0:
            self.where, self.expected = hook, self._state()
        self.depth += 1

    def leave(self) -> None:
        """A policy hook ends: nothing may have changed since the last view call."""
        self.depth -= 1
        if self.depth == 0:
            self._check(f"the end of {self.where}")

    def _state(self) -> str:
        return _snapshot(self.inner.reps, self.inner.ledger, self.groups.values())

    def _check(self, at: str) -> None:
        assert self._state() == self.expected, f"state changed outside the view before {at}"

    def _ask(self, method: str, *args: Any, record: tuple[Any, ...]) -> None:
        if self.depth:
            self._check(f"{method} in {self.where}")
        self.calls.append((method, *record))
        getattr(self.inner, method)(*args)
        self.expected = self._state()

    # what a policy may look at
    @property
    def reps(self) -> Sequence[RepView]:
        """The inner office's reps."""
        return self.inner.reps

    @property
    def day_type(self) -> str:
        """The inner office's day type."""
        return self.inner.day_type

    @property
    def phone_team(self) -> str | None:
        """The inner office's phone team."""
        return self.inner.phone_team

    @property
    def visit_reps_answer_calls(self) -> bool:
        """The inner office's switch."""
        return self.inner.visit_reps_answer_calls

    @property
    def now(self) -> float:
        """The inner office's clock."""
        return self.inner.now

    @property
    def rotation(self) -> RotationView:
        """The inner office's settings."""
        return self.inner.rotation

    @property
    def rng(self) -> np.random.Generator:
        """The inner office's policy stream."""
        return self.inner.rng

    @property
    def ledger(self) -> LedgerView:
        """The inner office's ledger."""
        return self.inner.ledger

    # what a policy may ask, recorded by rep name and group id
    def grant_turn(self, rep: RepView) -> None:
        """Recorded, then passed on."""
        self._ask("grant_turn", rep, record=(rep.name,))

    def skip_turn(self, rep: RepView) -> None:
        """Recorded, then passed on."""
        self._ask("skip_turn", rep, record=(rep.name,))

    def grant_makeup(self, rep: RepView) -> None:
        """Recorded, then passed on."""
        self._ask("grant_makeup", rep, record=(rep.name,))

    def grant_phone_makeup(self, rep: RepView) -> None:
        """Recorded, then passed on."""
        self._ask("grant_phone_makeup", rep, record=(rep.name,))

    def use_makeup(self, rep: RepView) -> None:
        """Recorded, then passed on."""
        self._ask("use_makeup", rep, record=(rep.name,))

    def lend(self, rep: RepView) -> None:
        """Recorded, then passed on."""
        self._ask("lend", rep, record=(rep.name,))

    def record_fallback(self) -> None:
        """Recorded, then passed on."""
        self._ask("record_fallback", record=())

    def wake(self, at: float) -> None:
        """Recorded, then passed on."""
        self._ask("wake", at, record=(at,))

    def record_grab(self, rushed: Sequence[RepView], minutes: float) -> None:
        """Recorded, then passed on."""
        self._ask("record_grab", rushed, minutes, record=(tuple(r.name for r in rushed), minutes))

    def delay(self, group: GroupView, minutes: float) -> None:
        """Recorded, then passed on."""
        self._ask("delay", group, minutes, record=(group.gid, minutes))

    def hold(self, rep: RepView, minutes: float) -> None:
        """Recorded, then passed on."""
        self._ask("hold", rep, minutes, record=(rep.name, minutes))


def _bracket(hook: Callable[..., Any], name: str) -> Callable[..., Any]:
    @functools.wraps(hook)
    def bracketed(self: RotationPolicy, *args: Any) -> Any:
        office = cast(RecordingOffice, self.office)
        office.enter(name, args)
        try:
            return hook(self, *args)
        finally:
            office.leave()

    return bracketed


def watched(cls: type[RotationPolicy]) -> type[RotationPolicy]:
    """``cls`` working in a :class:`RecordingOffice`, every hook bracketed."""

    def __init__(self: RotationPolicy, office: OfficeView) -> None:
        assert isinstance(office, PolicyOffice)
        cls.__init__(self, RecordingOffice(office))

    body: dict[str, Any] = {name: _bracket(getattr(cls, name), name) for name in HOOKS}
    return type(f"Watched{cls.__name__}", (cls,), {**body, "__init__": __init__})


def _watched_run(
    scenario: Scenario, visits: list[Visit], calls: list[Ring], policy: str | type[RotationPolicy]
) -> tuple[Trace, list[tuple[Any, ...]]]:
    cls = policy_class(policy) if isinstance(policy, str) else policy
    trace = run_script(scenario, visits, calls, policy=watched(cls))
    office = cast(RecordingOffice, trace.model.policy.office)
    assert trace.model.policy.office is not trace.model.office
    plain = run_script(scenario, visits, calls, policy=cls)
    assert (trace.assignments, trace.calls) == (plain.assignments, plain.calls)
    assert trace.day.kpis == plain.day.kpis
    return trace, office.calls


def _counts_match_the_calls(trace: Trace, calls: list[tuple[Any, ...]]) -> None:
    """Every per-rep and office-wide turn count is the number of calls that asked for it."""
    per_rep = {"turns": "grant_turn", "skipped": "skip_turn", "made_up": "use_makeup",
               "lent": "lend"}  # fmt: skip
    for rep in trace.model.reps:
        for field, method in per_rep.items():
            assert getattr(rep, field) == calls.count((method, rep.name)), (rep.name, field)
    ledger = trace.model.office.ledger
    kinds = [c[0] for c in calls]
    assert ledger.makeups_granted == kinds.count("grant_makeup")
    assert ledger.phone_makeups == kinds.count("grant_phone_makeup")
    assert ledger.fallbacks == kinds.count("record_fallback")
    assert ledger.grab_incidents == kinds.count("record_grab")


def test_round_robin_every_reception_is_a_turn_asked_of_the_view() -> None:
    # 09:00 A1, 09:10 A2, 09:20 A3, 09:25 waits for A1 (free 09:30): four turns, nothing else.
    visits = [Visit("09:00"), Visit("09:10"), Visit("09:20"), Visit("09:25")]
    trace, calls = _watched_run(script_scenario(A3), visits, [], "round_robin")
    assert [rep for _, rep, _ in trace.assignments] == ["A1", "A2", "A3", "A1"]
    assert calls == [("grant_turn", n) for n in ("A1", "A2", "A3", "A1")]
    _counts_match_the_calls(trace, calls)


def test_longfor_lending_and_make_up_phone_turns_through_the_view() -> None:
    # R4/R9/R8/R10/R3 (the trace of test_rulebook's R4-R9 test): 09:01 g0 -> A1's turn and B1
    # is lent; 09:05 g1 -> A2's turn and B2 is lent (B3 stays on the phones, R3); 09:10 g2 ->
    # lent B1 takes a turn; the 09:12 and 09:15 calls ask nothing of the view; 09:35 both go
    # back, B1 owed a make-up phone turn (R8), which the 10:00 call uses.
    scenario = script_scenario([*AB2, ("B3", "B", True)], phone_team="B")
    visits = [Visit("09:01"), Visit("09:05"), Visit("09:10", 10)]
    rings = [Ring("09:00", 0.5), Ring("09:12", 5), Ring("09:15", 2), Ring("10:00", 5)]
    trace, calls = _watched_run(scenario, visits, rings, "longfor")
    assert calls == [
        ("grant_turn", "A1"), ("lend", "B1"), ("grant_turn", "A2"), ("lend", "B2"),
        ("grant_turn", "B1"), ("grant_phone_makeup", "B1"), ("use_makeup", "B1"),
    ]  # fmt: skip
    _counts_match_the_calls(trace, calls)


def test_longfor_own_rep_wait_and_fallback_through_the_view() -> None:
    # R6: A1 busy 09:00-10:00; A1's returning customer (09:10) waits: the policy asks to be
    # woken at 09:20 (560), then A2 on turn serves it (a fallback, owed a make-up), A2 uses the
    # make-up at 09:30, A3 takes the 09:31 turn.
    visits = [
        Visit("09:00", 60), Visit("09:10", 5, owner="A1", returning=True), Visit("09:30", 10),
        Visit("09:31", 10),
    ]  # fmt: skip
    scenario = script_scenario(A3, rotation=NO_LENDING)
    trace, calls = _watched_run(scenario, visits, [], "longfor")
    assert calls == [
        ("grant_turn", "A1"), ("wake", 560.0), ("grant_turn", "A2"), ("record_fallback",),
        ("grant_makeup", "A2"), ("use_makeup", "A2"), ("grant_turn", "A3"),
    ]  # fmt: skip
    _counts_match_the_calls(trace, calls)


def test_longfor_skip_and_appointment_make_up_through_the_view() -> None:
    # R4a: the 09:00 appointment takes A1's turn and owes A1 a make-up. R7: A3, named at 09:01
    # while A2 is on turn, skips. 09:30 A1 uses the make-up; 09:31 A2 takes the turn.
    visits = [
        Visit("09:00", 20, APPOINTMENT), Visit("09:01", owner="A3", designated=True),
        Visit("09:30", 10), Visit("09:31", 10),
    ]  # fmt: skip
    scenario = script_scenario(A3, rotation=NO_LENDING)
    trace, calls = _watched_run(scenario, visits, [], "longfor")
    assert calls == [
        ("grant_turn", "A1"), ("grant_makeup", "A1"), ("skip_turn", "A3"),
        ("use_makeup", "A1"), ("grant_turn", "A2"),
    ]  # fmt: skip
    _counts_match_the_calls(trace, calls)


def test_joint_agency_grabbing_through_the_view() -> None:
    # V1 grab, both reps rush g0 (3-minute dispute): the winner's turn, the incident, the
    # group's delay and the loser's hold are all asked of the view; g1 then goes to the loser.
    rotation = {"joint_agency": {"approach_share": 1.0, "dispute": {"dist": "fixed", "value": 3}}}
    reps = [("X1", "万科", True), ("Y1", "代理", True)]
    scenario = script_scenario(reps, day_type="weekend", rotation=rotation)
    trace, calls = _watched_run(scenario, [Visit("09:00"), Visit("09:01")], [], "joint_agency")
    winner, loser = (rep for _, rep, _ in trace.assignments)
    assert calls == [
        ("grant_turn", winner), ("record_grab", (winner, loser), 3.0), ("delay", 0, 3.0),
        ("hold", loser, 3.0), ("grant_turn", loser),
    ]  # fmt: skip
    _counts_match_the_calls(trace, calls)


class BehindTheBack(RoundRobin):
    """A broken policy: counts its turns by assignment instead of asking the office."""

    name = ""

    def on_assigned(self, group: GroupView, rep: RepView, now: float) -> None:
        cast(Rep, rep).turns += 1
        self.order.remove(rep)
        self.order.append(rep)


def test_the_recording_view_catches_a_change_behind_its_back() -> None:
    with pytest.raises(AssertionError, match="outside the view before the end of on_assigned"):
        run_script(script_scenario(A3), [Visit("09:00")], policy=watched(BehindTheBack))
