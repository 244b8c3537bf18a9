"""Limits on the work a command may start (issue 18): a mistyped number never runs for ever.

Each check runs after the scenario is validated and before anything is simulated. A sales
office sees tens to a few hundred groups a day and a launch day at most 20,000 people; a
figure far beyond that is almost always a typo (a rate per day written as per hour, three
zeros too many). The limits below refuse such work with one line naming the field or option,
the figure and the limit; ``--allow-large`` lifts the refusable ones for a user who means it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sim.scenario.schema import Scenario
from sim.scenario.staffing import CallRate

MAX_GROUPS_A_DAY = 5_000
"""Expected visitor groups (walk-ins, appointments, delegations) of one simulated office day."""
MAX_CALLS_A_DAY = 5_000
"""Expected phone calls of one simulated office day."""
MAX_DAYS = 10_000
"""Simulated days one option may ask for (replications, search days, validation days)."""
MAX_WORK = 5_000_000
"""Expected groups (or event visitors) over every simulated day of one command."""
MAX_WORKERS = 256
"""Local worker processes (a figure beyond the cores only adds start-up time)."""

ALLOW = "give --allow-large if you mean it"


@dataclass(frozen=True)
class Load:
    """What one simulated day of a scenario brings: groups (or event visitors) and calls."""

    visitors: float
    calls: float


def day_load(scenario: Scenario) -> Load:
    """The expected groups (office day) or visitors (event day) and phone calls of one day."""
    if scenario.event is not None:
        return Load(float(scenario.event.attendance), 0.0)
    appts = scenario.arrivals.appointments
    booked = len(appts.times) if appts.times is not None else appts.count
    staffing = scenario.staffing
    delegations = staffing.delegations.per_day if staffing is not None else 0.0
    calls = 0.0
    if staffing is not None and staffing.phones is not None:
        calls = _calls(scenario.day.open, scenario.day.close, staffing.phones.calls)
    return Load(scenario.expected_walk_ins() + booked + delegations, calls)


def _calls(open_: float, close: float, pieces: Sequence[CallRate]) -> float:
    """Expected calls between opening and closing of a piecewise-constant rate per hour."""
    ends = [p.start for p in pieces[1:]] + [close]
    return sum(max(0.0, min(end, close) - max(p.start, open_)) * p.rate / 60.0
               for p, end in zip(pieces, ends, strict=True))  # fmt: skip


def scenario_problems(scenario: Scenario, source: str) -> list[str]:
    """Lines for a day whose expected groups or calls exceed the limits (refusable)."""
    load = day_load(scenario)
    out = []
    if scenario.event is None and load.visitors > MAX_GROUPS_A_DAY:
        out.append(
            f"{source}: arrivals: about {load.visitors:,.0f} groups a day (walk-in rates, "
            f"appointments, delegations) is more than the {MAX_GROUPS_A_DAY:,} a "
            f"simulated office day allows; check the rates (groups per hour), or {ALLOW}"
        )
    if load.calls > MAX_CALLS_A_DAY:
        out.append(f"{source}: staffing.phones.calls: about {load.calls:,.0f} calls a day is more "
                   f"than the {MAX_CALLS_A_DAY:,} a simulated day allows; check the rates "
                   f"(calls per hour), or {ALLOW}")  # fmt: skip
    return out


def days_problem(option: str, days: int) -> list[str]:
    """A line if ``option`` asks for more than :data:`MAX_DAYS` simulated days (refusable)."""
    if days <= MAX_DAYS:
        return []
    return [f"{option} {days:,}: more than {MAX_DAYS:,} simulated days; {ALLOW}"]


def work_problem(scenarios: Sequence[Scenario], days: int, what: str) -> list[str]:
    """A line if ``days`` days of each of ``scenarios`` (the variants of a comparison, or one)
    bring more than :data:`MAX_WORK` groups or visitors in all (refusable); ``what`` names the
    options that set ``days``."""
    total = sum(day_load(sc).visitors for sc in scenarios) * days
    if total <= MAX_WORK or not scenarios:
        return []
    unit = "visitors" if scenarios[0].event is not None else "groups"
    days *= len(scenarios)
    return [
        f"{what}: {days:,} days × about {total / days:,.0f} {unit} a day = {total:,.0f} "
        f"{unit} to simulate, more than {MAX_WORK:,}; ask for fewer days, or {ALLOW}"
    ]


def workers_problem(workers: int | None) -> list[str]:
    """A line if more than :data:`MAX_WORKERS` local workers are asked for (not refusable)."""
    if workers is None or workers <= MAX_WORKERS:
        return []
    return [f"--workers {workers:,}: at most {MAX_WORKERS} local worker processes"]
