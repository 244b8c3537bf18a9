"""A scripted day for hand-checked rotation traces: groups and calls at exact times.

The real model runs (desk, policy, phones, journey); only the arrivals are replaced by a script
of groups whose every attribute and duration is given, so that the expected assignments can be
written by hand from a rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sim.core.clock import format_clock, parse_clock
from sim.domain.labels import APPOINTMENT, WALK_IN
from sim.model import DayResult, OfficeModel
from sim.office.phones import Call
from sim.office.visitors import Group
from sim.policies import RotationPolicy
from sim.scenario import Scenario, validate_scenario


@dataclass
class Visit:
    """One scripted group: it holds its rep for ``hold`` minutes (sandbox), nothing else,
    unless it negotiates and signs (``negotiate``/``sign`` minutes)."""

    at: str
    hold: float = 30.0
    source: str = WALK_IN
    owner: str | None = None
    returning: bool = False
    designated: bool = False
    survey: bool = False
    non_sales: bool = False
    important: bool = False
    negotiate: float = 0.0
    sign: float | None = None
    size: int = 2


@dataclass
class Ring:
    """One scripted call to the sales line."""

    at: str
    minutes: float = 2.0


@dataclass
class Trace:
    """What happened: (group, rep, 'HH:MM') assignments, (call, rep, 'HH:MM') answers."""

    assignments: list[tuple[int, str, str]]
    calls: list[tuple[int, str, str]]
    day: DayResult
    model: OfficeModel
    groups: list[Group] = field(default_factory=list)

    def rep(self, name: str) -> Any:
        """The model's rep called ``name``."""
        return next(r for r in self.model.reps if r.name == name)


def script_scenario(
    reps: list[tuple[str, str, bool]],
    *,
    day_type: str = "weekday",
    phone_team: str | None = None,
    rotation: dict[str, Any] | None = None,
    rep_shifts: dict[str, tuple[str, str]] | None = None,
    phones: dict[str, Any] | None = None,
    posts: dict[str, Any] | None = None,
) -> Scenario:
    """A day with no random arrivals: (name, team, experienced) reps, 09:00–18:00; ``phones``
    adds settings to the phone section, ``posts`` staffed posts (on the ``day`` shift)."""
    data: dict[str, Any] = {
        "name": "script",
        "day": {"type": day_type, "open": "09:00", "close": "18:00"},
        "arrivals": {"walk_in": [{"from": "09:00", "rate": 0}], "appointments": {"count": 0}},
        "visitors": {"group_size": {2: 1}, "patience": None},
        "reps": [{"name": n, "team": t, "experienced": e} for n, t, e in reps],
        "vip_rooms": {"count": 0},
        "service_times": {
            k: {"dist": "fixed", "value": 0}
            for k in ("sandbox", "sample_house", "negotiation", "signing", "walk_out")
        },
        "rotation": rotation or {},
    }
    if phone_team is not None or rep_shifts or posts:
        shifts = {"day": {"start": "09:00", "end": "18:00"}}
        for name, (start, end) in (rep_shifts or {}).items():
            shifts[f"s_{name}"] = {"start": start, "end": end}
        data["staffing"] = {
            "shifts": shifts,
            "rep_shifts": {name: f"s_{name}" for name in rep_shifts or {}},
        }
        if phone_team is not None:
            data["staffing"]["phones"] = {
                "calls": [{"from": "09:00", "rate": 0}],
                "phone_team": phone_team,
                "visit_reps_answer_when_desk_empty": True,
            } | (phones or {})
        data["staffing"] |= posts or {}
    return validate_scenario(data, "script")


def _group(gid: int, visit: Visit, names: list[str]) -> Group:
    g = Group(gid, visit.source)
    g.size, g.by_car, g.important, g.wants_vip = visit.size, False, visit.important, False
    g.returning, g.designated = visit.returning, visit.designated
    g.survey, g.non_sales = visit.survey, visit.non_sales
    g.owner = names.index(visit.owner) if visit.owner else -1
    g.negotiates = visit.negotiate > 0 or visit.sign is not None
    g.signs = visit.sign is not None
    g.patience = math.inf
    g.u_admit = 0.0
    g.t_sandbox = 0.0 if visit.survey else visit.hold
    g.t_survey = visit.hold if visit.survey else 0.0
    g.t_non_sales = visit.hold if visit.non_sales else 0.0
    g.t_houses = []
    g.t_negotiation = visit.negotiate
    g.t_signing = visit.sign or 0.0
    g.t_walk_out = 0.0
    if visit.source == APPOINTMENT:
        g.booked = parse_clock(visit.at)
    return g


def run_script(
    scenario: Scenario,
    visits: list[Visit],
    calls: list[Ring] = (),  # type: ignore[assignment]
    policy: str | type[RotationPolicy] = "longfor",
    replication: int = 0,
) -> Trace:
    """Run the scripted day under ``policy``."""
    model = OfficeModel(scenario, seed=1, replication=replication, policy=policy)
    env = model.env
    names = [r.name for r in model.reps]
    groups = [_group(i, v, names) for i, v in enumerate(visits)]
    answered: list[Call] = []

    def arrive(g: Group, at: float) -> Any:
        yield env.timeout(at - env.now)
        model._spawn(g)

    def ring(cid: int, at: float, minutes: float) -> Any:
        yield env.timeout(at - env.now)
        assert model.phones is not None
        call = Call(cid, env.now, minutes)
        answered.append(call)
        model.phones.calls += 1
        yield env.process(model.phones._call(call))

    for g, v in zip(groups, visits, strict=True):
        env.process(arrive(g, parse_clock(v.at)))
    for cid, c in enumerate(calls):
        env.process(ring(cid, parse_clock(c.at), c.minutes))
    day = model.run()
    assert day.tables is not None
    assignments = [
        (gid, names[rep], format_clock(time)) for gid, rep, time, _w, _m in day.tables.assignments
    ]
    answers = [(c.cid, c.by, format_clock(c.answered_at)) for c in answered if c.by]
    return Trace(sorted(assignments), answers, day, model, groups)


__all__ = ["Ring", "Trace", "Visit", "run_script", "script_scenario"]
