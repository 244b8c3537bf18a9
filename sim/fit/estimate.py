"""Estimate a day type's scenario parameters from a register, each with a 95% interval.

* Walk-in arrival rate per clock hour: walk-ins (not booked) arriving in that hour, summed over
  the register's days of the type, divided by the days; interval from the Poisson count,
  ± 1.96·√count / days.
* Booked groups a day: their mean over the days (Poisson interval as above); the booking
  window spans the booked arrivals (to the half hour).
* Shares (group sizes, returning, non-sales): k / n with the normal interval
  ± 1.96·√(p(1-p)/n); returning and non-sales among walk-ins, as the simulator draws them.
* Reception minutes and call durations: :func:`sim.fit.distfit.choose` (AIC).
* Opening hours: from the hour of the earliest arrival to the hour after the latest.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sim.core.clock import format_clock
from sim.fit.distfit import Choice, choose
from sim.fit.register import LoggedCall, Visit

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Value:
    """An estimate and its 95% interval half-width (from ``n`` observations)."""

    value: float
    half_width: float
    n: int

    @property
    def low(self) -> float:
        return self.value - self.half_width

    @property
    def high(self) -> float:
        return self.value + self.half_width

    def covers(self, truth: float, z: float = Z95) -> bool:
        """True if ``truth`` lies in the interval widened to the critical value ``z``."""
        return abs(truth - self.value) <= self.half_width * z / Z95 + 1e-9


def poisson_rate(total: int, days: int) -> Value:
    """Events a day (or an hour of a day) from ``total`` events over ``days`` days."""
    return Value(total / days, Z95 * math.sqrt(max(total, 1)) / days, total)


def share(k: int, n: int) -> Value:
    """The share k / n and its normal interval."""
    p = k / n if n else math.nan
    return Value(p, Z95 * math.sqrt(max(p * (1 - p), 1 / max(n, 1)) / max(n, 1)), n)


@dataclass(frozen=True)
class DayTypeFit:
    """Everything fitted for one day type (weekday, weekend, holiday)."""

    day_type: str
    days: int
    open: float
    close: float
    walk_in: tuple[tuple[float, Value], ...]
    booked_per_day: Value
    booked_window: tuple[float, float] | None
    group_size: dict[int, Value]
    returning: Value
    non_sales: Value
    reps: tuple[str, ...]
    reception: Choice
    calls: tuple[tuple[float, Value], ...] = ()
    call_duration: Choice | None = None


def _hours(open_: float, close: float) -> list[float]:
    return [h * 60.0 for h in range(int(open_ // 60), int(close // 60))]


def _per_hour(
    times: list[float], open_: float, close: float, days: int
) -> tuple[tuple[float, Value], ...]:
    counts = Counter(int(t // 60) * 60.0 for t in times)
    return tuple((h, poisson_rate(counts.get(h, 0), days)) for h in _hours(open_, close))


def _window(times: list[float], open_: float, close: float) -> tuple[float, float] | None:
    if not times:
        return None
    start = max(math.floor(min(times) / 30) * 30.0, open_)
    end = min(math.ceil(max(times) / 30) * 30.0, close - 30.0)
    return (start, end) if end > start else None


def fit_day_type(
    visits: list[Visit], calls: list[LoggedCall], day_type: str, seed: int = 0
) -> DayTypeFit:
    """The estimates for the register's days of ``day_type``."""
    mine = [v for v in visits if v.day_type == day_type]
    days = len({v.date for v in mine})
    times = [v.arrival for v in mine]
    open_, close = math.floor(min(times) / 60) * 60.0, (math.floor(max(times) / 60) + 1) * 60.0
    walk = [v for v in mine if not v.booked]
    booked = [v.arrival for v in mine if v.booked]
    sizes = Counter(v.group_size for v in mine)
    served = [v.reception_min for v in mine if v.outcome == "served"]
    my_calls = [c for c in calls if c.day_type == day_type]
    call_days = len({c.date for c in my_calls})
    return DayTypeFit(
        day_type=day_type,
        days=days,
        open=open_,
        close=close,
        walk_in=_per_hour([v.arrival for v in walk], open_, close, days),
        booked_per_day=poisson_rate(len(booked), days),
        booked_window=_window(booked, open_, close),
        group_size={s: share(sizes[s], len(mine)) for s in sorted(sizes)},
        returning=share(sum(v.returning for v in walk), len(walk)),
        non_sales=share(sum(v.outcome == "non_sales" for v in walk), len(walk)),
        reps=tuple(sorted({v.rep for v in mine if v.rep})),
        reception=choose(served, seed),
        calls=_per_hour([c.time for c in my_calls], open_, close, call_days) if my_calls else (),
        call_duration=choose([c.duration_min for c in my_calls], seed) if my_calls else None,
    )


def _pieces(rates: tuple[tuple[float, Value], ...]) -> list[dict[str, Any]]:
    return [{"from": format_clock(h), "rate": round(v.value, 3)} for h, v in rates]


def scenario_data(fit: DayTypeFit, name: str) -> dict[str, Any]:
    """A scenario for the fitted day type. The register holds the whole reception time, so the
    journey is one stage (沙盘 F4) with the fitted distribution; sample houses, negotiation and
    signing are left out (shares 0). Not in a register, kept at the defaults: patience
    (exponential, mean 20), designated share, punctuality of booked groups."""
    appointments: dict[str, Any] = {"count": round(fit.booked_per_day.value), "no_show_share": 0}
    if fit.booked_window is not None:
        appointments["window"] = [format_clock(t) for t in fit.booked_window]
    data: dict[str, Any] = {
        "name": name,
        "description": f"由来访登记校准 fitted by salesim fit from {fit.days} {fit.day_type} days",
        "day": {
            "type": fit.day_type,
            "open": format_clock(fit.open),
            "close": format_clock(fit.close),
        },
        "arrivals": {"walk_in": _pieces(fit.walk_in), "appointments": appointments},
        "visitors": {
            "group_size": {s: round(v.value, 4) for s, v in fit.group_size.items()},
            "returning_share": round(fit.returning.value, 4),
            "non_sales_share": round(fit.non_sales.value, 4),
            "important_share": 0,
            "negotiation_share": 0,
            "vip_share": 0,
            "sample_house_share": 0,
            "signing_share": 0,
        },
        "reps": [{"name": r, "team": "A"} for r in fit.reps] or 1,
        "vip_rooms": {"count": 0},
        "service_times": {
            "sandbox": fit.reception.best.spec(),
            **{
                k: {"dist": "fixed", "value": 0}
                for k in ("sample_house", "negotiation", "signing", "walk_out")
            },
        },
    }
    if fit.calls and fit.call_duration is not None:
        data["staffing"] = {
            "shifts": {"D": {"start": data["day"]["open"], "end": data["day"]["close"]}},
            "phones": {"calls": _pieces(fit.calls), "duration": fit.call_duration.best.spec()},
        }
    return data
