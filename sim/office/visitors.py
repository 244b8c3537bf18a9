"""Visitor groups and where they come from: walk-ins (non-homogeneous Poisson) and appointments.

A group's attributes and all its service times are drawn when it is created, from streams that
only the group's own source uses, in creation order. The model never draws for a group, so
the same seed gives the same visitors under any policy or staffing (common random numbers).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

import simpy

from sim.core.distributions import Fixed
from sim.core.quick_process import timeout
from sim.core.rng import BatchSampler, Sampler, Streams
from sim.core.schedule import Schedule
from sim.domain.labels import APPOINTMENT, DELEGATION, VISIT, WALK_IN
from sim.scenario.schema import Scenario

_ROW = 12  # uniforms per group: size, car, returning, designated, important, non-sales,
#           owner rep, negotiates, VIP, tours, signs, admission answer


_ZERO = Fixed(dist="fixed", value=0.0)  # the duration of a stage a source never uses


class Group:
    """One visitor group (one party) and what happened to it."""

    __slots__ = (
        "arrival", "assigned", "at_desk", "booked", "by_car", "departure",
        "designated", "event", "gid", "house_wait", "important", "lost_at", "mentor_wait",
        "negotiates", "non_sales", "owner", "patience", "prepared", "rep", "returning", "seat",
        "seat_request", "seat_start", "signs", "size", "slots", "source", "survey", "t_extra",
        "t_houses", "t_negotiation", "t_non_sales", "t_sandbox", "t_signing", "t_survey",
        "t_walk_out", "tour_end", "tour_start", "u_admit", "waiting_for", "wants_vip",
    )  # fmt: skip

    size: int
    by_car: bool
    returning: bool
    designated: bool
    important: bool
    non_sales: bool
    survey: bool
    negotiates: bool
    wants_vip: bool
    signs: bool
    owner: int
    patience: float
    t_sandbox: float
    t_houses: list[float]
    t_negotiation: float
    t_signing: float
    t_walk_out: float
    t_non_sales: float
    t_survey: float
    u_admit: float

    def __init__(self, gid: int, source: str) -> None:
        self.gid = gid
        self.source = source
        self.booked = math.nan
        self.arrival = math.nan
        self.assigned = math.nan
        self.at_desk = math.nan
        self.t_extra = 0.0  # minutes a policy adds before the visit proceeds (V1 grabbing)
        self.mentor_wait = math.nan  # V4: wait for a mentor before signing
        self.lost_at = math.nan
        self.tour_start = math.nan
        self.tour_end = math.nan
        self.house_wait = 0.0
        self.seat = ""
        self.seat_request = math.nan
        self.seat_start = math.nan
        self.departure = math.nan
        self.rep: int = -1
        self.event: object = None
        self.slots = 1  # sample-house capacity the group takes (a delegation takes more)
        self.waiting_for = ""  # what the group waits for now (named if the day stalls)
        self.prepared: object = None  # G1: the VIP room's preparation, begun during the sandbox

    @property
    def scheduled_visit(self) -> bool:
        """A scheduled important visit (met by the staff lined up for it)."""
        return self.source == VISIT

    @property
    def asks_vip(self) -> bool:
        """F6: important and appointment groups, and serious buyers, ask for a VIP room."""
        return self.important or self.wants_vip or self.source in (APPOINTMENT, VISIT)


@dataclass(frozen=True)
class Booking:
    """A booked visit: when it was booked for and when (whether) the group turns up."""

    booked: float
    arrival: float
    shows: bool


def next_arrival(schedule: Schedule, t: float, exp_draw: float) -> float:
    """Invert the cumulative rate: the time after ``t`` at which ``exp_draw`` units accrue.

    Exact for piecewise-constant rates (no thinning); ``inf`` once the schedule has ended.
    """
    return next_arrival_from(schedule.pieces(), 0, t, exp_draw)[0]


def next_arrival_from(
    pieces: Sequence[tuple[float, float, float]], first: int, t: float, exp_draw: float
) -> tuple[float, int]:
    """:func:`next_arrival` over ``pieces[first:]`` (those before end by ``t``), and the
    piece it falls in: a chain of arrivals goes on from there (speed, issue 17)."""
    remaining = exp_draw
    for i in range(first, len(pieces)):
        start, stop, rate = pieces[i]
        if stop <= t or rate <= 0:
            continue
        begin = max(start, t)
        available = (stop - begin) * rate
        if remaining <= available:
            return begin + remaining / rate, i
        remaining -= available
    return math.inf, len(pieces)


class PoissonArrivals:
    """The arrivals of a non-homogeneous Poisson process as a chain of timeouts: each
    arrival's timeout calls ``arrive()``, then draws the next arrival and sets its timeout
    (a callback where a process would be resumed per arrival; speed, issue 17). Start it
    with :meth:`next`; the first arrival follows the clock at construction."""

    def __init__(self, env: simpy.Environment, schedule: Schedule, gap: Sampler,
                 arrive: Callable[[], None]) -> None:  # fmt: skip
        self.env = env
        self.schedule = schedule
        self.gap = gap
        """Unit-exponential draws (the stream's; a test may set its own)."""
        self.arrive = arrive
        self.t = env._now  # the scheduled time of the last arrival (the start at first)
        self._piece = 0  # the schedule's piece it fell in: the pieces before are over

    def next(self) -> None:
        """Draw when the next arrival comes and set its timeout (none after the schedule's
        last piece)."""
        t, self._piece = next_arrival_from(self.schedule.pieces(), self._piece, self.t,
                                           self.gap())  # fmt: skip
        self.t = t
        if t != math.inf:
            timeout(self.env, t - self.env._now).callbacks.append(self._fire)

    def _fire(self, _: simpy.Event) -> None:
        self.arrive()
        self.next()


def quiet_slots(scenario: Scenario, slots: list[float]) -> list[float]:
    """R11: the slots whose walk-in rate is below the mean rate over all slots (all of them
    when the rate is flat)."""
    schedule = scenario.walk_in_schedule()
    rates = [schedule.value_at(t) for t in slots]
    mean = sum(rates) / len(rates)
    quiet = [t for t, r in zip(slots, rates, strict=True) if r < mean]
    return quiet or slots


def bookings(scenario: Scenario, streams: Streams) -> list[Booking]:
    """The day's appointments, sorted by arrival time (no-shows included, flagged)."""
    appts = scenario.arrivals.appointments
    day = scenario.day
    if appts.times is None and appts.count == 0:
        return []  # nothing booked: no slots to list (a long day has thousands), no draws
    rng = streams.generator("appointment.bookings")
    if appts.times is not None:
        booked = sorted(appts.times)
    else:
        lo, hi = appts.window or (day.open, max(day.open, day.close - 60))
        slots = [lo + k * appts.slot_min for k in range(int((hi - lo) // appts.slot_min) + 1)]
        if appts.booking == "quiet":
            slots = quiet_slots(scenario, slots)
        picks = rng.integers(0, len(slots), size=appts.count).tolist()
        booked = sorted(slots[i] for i in picks)
    # Python floats and bools (tolist), not NumPy scalars: the same values, cheaper to use
    offsets = rng.normal(
        appts.punctuality_mean_min, appts.punctuality_sd_min or 0.0, len(booked)
    ).tolist()
    shows = (rng.random(len(booked)) >= appts.no_show_share).tolist()
    latest = math.nextafter(day.close, -math.inf)
    opens = day.open
    out = [
        Booking(b, min(max(opens, b + o), latest), s)
        for b, o, s in zip(booked, offsets, shows, strict=True)
    ]
    return sorted(out, key=lambda bk: bk.arrival)


class GroupFactory:
    """Makes the groups of one source, drawing from that source's own streams."""

    def __init__(self, scenario: Scenario, streams: Streams, source: str) -> None:
        self.scenario = scenario
        self.source = source
        v = scenario.visitors
        st = scenario.service_times
        self._row = streams.uniforms(f"{source}.attributes", _ROW)
        sizes, weights = zip(*v.group_size, strict=True)
        total = sum(weights)
        self._sizes = sizes
        self._cdf = [w / total for w in accumulate(weights)]
        self._n_reps = len(scenario.reps)
        self._n_houses = len(scenario.sample_houses)
        zero = _ZERO

        def stage(name: str, dist: BatchSampler, used: bool) -> Sampler:
            return streams.sampler(f"{source}.service.{name}", dist if used else zero)

        appt = source != WALK_IN
        self._always_tours = source == DELEGATION
        negotiates = appt or v.negotiation_share > 0
        self._sandbox = stage("sandbox", st.sandbox, True)
        self._house = stage("sample_house", st.sample_house, self._n_houses > 0)
        self._negotiation = stage("negotiation", st.negotiation, negotiates)
        self._signing = stage("signing", st.signing, negotiates and v.signing_share > 0)
        self._walk_out = stage("walk_out", st.walk_out, True)
        self._non_sales = stage("non_sales", st.non_sales, not appt and v.non_sales_share > 0)
        self._survey = stage("survey", st.survey, not appt and v.survey_share > 0)
        self._patience = streams.sampler(f"{source}.patience", v.patience) if v.patience else None
        # the shares as plain floats, read once per group (speed, issue 17)
        self._appt = appt
        self._last_size = len(sizes) - 1
        self._car_share = v.car_share
        self._non_sales_share = v.non_sales_share
        self._non_sales_or_survey = v.non_sales_share + v.survey_share
        self._returning_share = v.returning_share
        self._designated_share = (
            scenario.arrivals.appointments.designated_share if appt else v.designated_share
        )
        self._important_share = v.important_share
        self._negotiation_share = v.negotiation_share
        self._vip_share = v.vip_share
        self._signing_share = v.signing_share
        self._tour_share = v.sample_house_share

    def make(self, gid: int, booked: float = math.nan) -> Group:
        """Create the next group of this source, with every attribute and duration drawn."""
        appt = self._appt  # booked, delegation or scheduled visit
        u = self._row()
        g = Group(gid, self.source)
        g.booked = booked
        u0 = u[0]
        g.size = self._sizes[min(bisect.bisect_left(self._cdf, u0), self._last_size)]
        g.by_car = u[1] < self._car_share
        u5 = u[5]
        non_sales = g.non_sales = (not appt) and u5 < self._non_sales_share
        # R5: surveys share the non-sales draw (one uniform, disjoint ranges)
        survey = g.survey = (not appt) and not non_sales and u5 < self._non_sales_or_survey
        returning = g.returning = (not appt) and not survey and u[2] < self._returning_share
        designated = g.designated = not (returning or survey) and u[3] < self._designated_share
        g.important = u[4] < self._important_share
        g.owner = int(u[6] * self._n_reps) if (returning or designated) else -1
        negotiates = g.negotiates = appt or u[7] < self._negotiation_share
        g.wants_vip = u[8] < self._vip_share
        g.signs = negotiates and u[10] < self._signing_share
        patience = self._patience
        g.patience = patience() if patience is not None else math.inf
        g.t_sandbox = self._sandbox()
        g.u_admit = u[11]
        if self._always_tours or u[9] < self._tour_share:
            house = self._house
            g.t_houses = [house() for _ in range(self._n_houses)]
        else:
            g.t_houses = []
        g.t_negotiation = self._negotiation()
        g.t_signing = self._signing()
        g.t_walk_out = self._walk_out()
        g.t_non_sales = self._non_sales()
        g.t_survey = self._survey()
        return g
