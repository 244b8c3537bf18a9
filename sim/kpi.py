"""The KPI catalogue (Chinese and English labels) and the per-day KPI computation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sim.recorder import Accumulator
    from sim.scenario.schema import Scenario
    from sim.staff import Rep


@dataclass(frozen=True)
class Kpi:
    """A KPI's identity and how to show it."""

    key: str
    zh: str
    en: str
    unit: str  # "groups", "min", "share" (shown as %), "ratio"
    section: str  # the post or area it belongs to


class _Sections(dict[str, str]):
    """Section titles; a staffed post's section is named after the post."""

    def __missing__(self, key: str) -> str:
        from sim.event_kpis import event_section
        from sim.scenario.staffing import POST_LABELS

        if (title := event_section(key)) is not None:
            return title
        post = key.removeprefix("post.")
        if post in POST_LABELS:
            code, zh, en = POST_LABELS[post]
            return f"{zh} {en}" + (f" ({code})" if code != "—" else "")
        raise KeyError(key)


SECTIONS = _Sections(
    visitors="来访 Visitors",
    reps="置业顾问 Sales reps (X)",
    vip="VIP室 VIP rooms",
    sample_houses="样板间 Sample houses",
    phones="电话值守 Phone duty (P1–P3)",
    turns="轮序与公平 Turns and fairness (R4–R12, V1)",
    mentoring="新人带教 Mentoring (V4)",
)

CATALOGUE: tuple[Kpi, ...] = (
    Kpi("groups_arrived", "到访组数", "groups arrived", "groups", "visitors"),
    Kpi("groups_served", "接待组数", "groups served", "groups", "visitors"),
    Kpi("groups_lost", "流失组数", "groups lost (left unserved)", "groups", "visitors"),
    Kpi("lost_share", "流失率", "share lost", "share", "visitors"),
    Kpi("non_sales", "非销售来访", "non-sales visitors (R5)", "groups", "visitors"),
    Kpi("refused_admission", "门岗劝离组数", "walk-ins turned away at the gate (admission)", "groups", "visitors"),
    Kpi("asked_to_wait", "安排等候组数", "walk-ins asked to wait in the waiting area", "groups", "visitors"),
    Kpi("refused_protocol", "接待保障期间谢绝组数", "walk-ins refused during an important visit", "groups", "visitors"),
    Kpi("present_at_end", "结束时在场组数", "groups still inside at the end", "groups", "visitors"),
    Kpi("visit_mean", "平均停留时长", "mean time in the office", "min", "visitors"),
    Kpi("overtime_min", "闭门后延时", "time past closing until empty", "min", "visitors"),
    Kpi("wait_rep_mean", "等待顾问平均时长", "wait for a rep, mean", "min", "reps"),
    Kpi("wait_rep_p90", "等待顾问P90", "wait for a rep, P90", "min", "reps"),
    Kpi("wait_rep_over_target", "等待超标比例", "share waiting over target or lost", "share", "reps"),
    Kpi("rep_utilisation", "顾问利用率", "rep utilisation", "share", "reps"),
    Kpi("rep_overtime_min", "顾问超时工作", "rep minutes worked past shift ends", "min", "reps"),
    Kpi("receptions_min", "人均接待最少", "receptions per rep, min", "groups", "reps"),
    Kpi("receptions_max", "人均接待最多", "receptions per rep, max", "groups", "reps"),
    Kpi("receptions_spread", "接待量极差", "receptions per rep, max - min", "groups", "reps"),
    Kpi("receptions_gini", "接待量基尼系数", "receptions per rep, Gini", "ratio", "reps"),
    Kpi("own_rep_share", "原顾问接待比例", "returning/designated groups served by own rep", "share", "reps"),
    Kpi("vip_requests", "VIP室需求组数", "groups asking for a VIP room", "groups", "vip"),
    Kpi("vip_wait_mean", "VIP室等待平均", "wait for a VIP room, mean", "min", "vip"),
    Kpi("vip_wait_p90", "VIP室等待P90", "wait for a VIP room, P90", "min", "vip"),
    Kpi("vip_to_table_share", "转洽谈桌比例", "VIP requests seated at a table", "share", "vip"),
    Kpi("vip_occupancy", "VIP室占用率", "VIP room occupancy (opening hours)", "share", "vip"),
    Kpi("house_wait_mean", "样板间等待平均", "wait at a sample house, mean", "min", "sample_houses"),
    Kpi("house_wait_p90", "样板间等待P90", "wait at a sample house, P90", "min", "sample_houses"),
    Kpi("house_wait_over_target", "样板间等待超标比例", "sample-house waits over target", "share", "sample_houses"),
)  # fmt: skip

PHONE_KPIS: tuple[Kpi, ...] = (
    Kpi("calls", "来电数", "calls", "calls", "phones"),
    Kpi("calls_within_rings_share", "三声内接听率", "calls answered within the ring target (P1)", "share", "phones"),
    Kpi("calls_transferred_share", "转备岗比例", "calls transferred to the backup receptionist (P2)", "share", "phones"),
    Kpi("calls_lost_share", "未接来电比例", "calls lost", "share", "phones"),
    Kpi("phone_rep_utilisation", "接电占用率", "phone-duty reps' time on calls", "share", "phones"),
)

# Per-post KPIs: ``post.<post>.<metric>``.
POST_METRICS: dict[str, tuple[str, str, str]] = {
    "tasks": ("任务数", "tasks", "tasks"),
    "response_mean": ("响应时间平均", "response time, mean", "min"),
    "response_p90": ("响应时间P90", "response time, P90", "min"),
    "over_target": ("响应超标比例", "responses over target", "share"),
    "utilisation": ("利用率", "utilisation", "share"),
    "peak_hour_utilisation": ("高峰小时利用率", "utilisation in the busiest hour", "share"),
    "overtime_min": ("超时工作", "minutes worked past shift ends", "min"),
}


def fixed_kpis() -> tuple[Kpi, ...]:
    """Every KPI with a fixed key: catalogue, turns, mentoring, phones (not per post/event)."""
    from sim.kpi_turns import MENTOR_KPIS, TURN_KPIS

    return (*CATALOGUE, *TURN_KPIS, *MENTOR_KPIS, *PHONE_KPIS)


def describe(key: str) -> Kpi:
    """The KPI named ``key``: a catalogue, turn, mentoring, phone or per-post KPI."""
    for k in fixed_kpis():
        if k.key == key:
            return k
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "post" and parts[2] in POST_METRICS:
        from sim.scenario.staffing import POST_LABELS

        if parts[1] in POST_LABELS:
            _code, zh, en = POST_LABELS[parts[1]]
            mzh, men, unit = POST_METRICS[parts[2]]
            return Kpi(key, f"{zh}{mzh}", f"{en}: {men}", unit, f"post.{parts[1]}")
    from sim.event_kpis import describe_event

    if (event_kpi := describe_event(key)) is not None:
        return event_kpi
    raise KeyError(key)


class _Catalogue(dict[str, Kpi]):
    """KPI by key, including the per-post and phone KPIs."""

    def __missing__(self, key: str) -> Kpi:
        kpi = describe(key)
        self[key] = kpi
        return kpi

    def __contains__(self, key: object) -> bool:
        try:
            self[str(key)]
        except KeyError:
            return False
        return True


BY_KEY = _Catalogue({k.key: k for k in CATALOGUE})


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values (0 = all equal); 0 for all-zero input."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * x).sum()) / (n * x.sum()) - (n + 1) / n)


def mean_or_nan(xs: Any) -> float:
    return math.fsum(xs) / len(xs) if len(xs) else math.nan


def _p90(xs: Any) -> float:
    """90th percentile, NumPy's default (linear) method; plain Python is faster for the few
    dozen values of a day."""
    n = len(xs)
    if not n:
        return math.nan
    ordered = sorted(xs)
    pos = 0.9 * (n - 1)
    lo = int(pos)
    hi = min(lo + 1, n - 1)
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo))


def ratio(num: float, den: float) -> float:
    return num / den if den else math.nan


def compute_kpis(
    acc: Accumulator, reps: Sequence[Rep], scenario: Scenario, end: float, last_event: float
) -> dict[str, float]:
    """Every KPI of the catalogue for one simulated day."""
    day = scenario.day
    target = scenario.targets
    sales = acc.served + acc.lost
    waits = acc.wait_rep
    house = acc.house_wait
    receptions = [r.receptions for r in reps]
    span = end - day.open
    rooms = scenario.vip_rooms.count
    over = sum(w > target.wait_for_rep_min for w in waits) + acc.lost
    return {
        "groups_arrived": float(acc.arrived),
        "groups_served": float(acc.served),
        "groups_lost": float(acc.lost),
        "lost_share": ratio(acc.lost, sales),
        "non_sales": float(acc.non_sales),
        "refused_admission": float(acc.refused_admission),
        "asked_to_wait": float(acc.asked_to_wait),
        "refused_protocol": float(acc.refused_protocol),
        "present_at_end": float(acc.present),
        "visit_mean": ratio(acc.sojourn_sum, acc.arrived - acc.present),
        "overtime_min": max(0.0, last_event - day.close) if day.run_until == "empty" else 0.0,
        "wait_rep_mean": mean_or_nan(waits),
        "wait_rep_p90": _p90(waits),
        "wait_rep_over_target": ratio(over, sales),
        "rep_utilisation": ratio(sum(r.busy_time for r in reps), sum(r.duty_time for r in reps)),
        "rep_overtime_min": sum(r.overtime for r in reps),
        "receptions_min": float(min(receptions)),
        "receptions_max": float(max(receptions)),
        "receptions_spread": float(max(receptions) - min(receptions)),
        "receptions_gini": gini(receptions),
        "own_rep_share": ratio(acc.owned_by_owner, acc.owned),
        "vip_requests": float(len(acc.vip_wait)),
        "vip_wait_mean": mean_or_nan(acc.vip_wait),
        "vip_wait_p90": _p90(acc.vip_wait),
        "vip_to_table_share": ratio(acc.vip_to_table, len(acc.vip_wait)),
        "vip_occupancy": ratio(acc.room_busy, rooms * span),
        "house_wait_mean": mean_or_nan(house),
        "house_wait_p90": _p90(house),
        "house_wait_over_target": ratio(
            sum(w > target.sample_house_wait_min for w in house), len(house)
        ),
    }
