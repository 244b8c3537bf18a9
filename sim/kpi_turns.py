"""Turn and fairness KPIs of the rotation rulebook (R4–R10, V1) and of mentoring (V4).

Receptions per rep (min, max, spread, Gini) are in :mod:`sim.kpi`; these add what the policies
count: turns taken, skipped, made up and lent, own-rep waits, grabbing, per-rep utilisation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sim.kpi import Kpi, mean_or_nan, ratio

if TYPE_CHECKING:
    from sim.recorder import Accumulator
    from sim.staff import Rep, TurnLedger

TURN_KPIS: tuple[Kpi, ...] = (
    Kpi("turns_granted", "轮序接待次数", "rotation turns taken", "turns", "turns"),
    Kpi("turns_skipped", "轮空次数", "turns skipped by rule (R7 named rep)", "turns", "turns"),
    Kpi("makeups_granted", "补位机会发放", "make-up turns granted (R4a, R6, R7)", "turns", "turns"),
    Kpi("turns_made_up", "补位接待次数", "make-up turns used", "turns", "turns"),
    Kpi("turns_lent", "接电组支援次数", "phone-group reps lent to the desk (R4, R9)", "turns", "turns"),
    Kpi("phone_makeups", "接电补位次数", "make-up phone turns after helping (R8)", "turns", "turns"),
    Kpi("own_rep_wait_mean", "等待原顾问平均", "returning/named-rep groups: wait for own rep, mean", "min", "turns"),
    Kpi("own_rep_fallbacks", "原顾问不在改派", "own-rep groups served by another rep (R6, R7)", "groups", "turns"),
    Kpi("rep_utilisation_min", "顾问利用率最低", "rep utilisation, lowest rep", "share", "turns"),
    Kpi("rep_utilisation_max", "顾问利用率最高", "rep utilisation, highest rep", "share", "turns"),
    Kpi("surveys", "市调/代问接待", "market surveys and asking for a friend received (R5)", "groups", "turns"),
    Kpi("not_received", "未接待组数", "groups not received (R12 media open day)", "groups", "turns"),
    Kpi("grab_incidents", "抢客次数", "grabbing incidents: 2+ reps approach a group (V1)", "groups", "turns"),
    Kpi("grabbed_share", "遭抢客比例", "share of served groups that were grabbed (V1)", "share", "turns"),
    Kpi("grab_reps_mean", "争抢人数平均", "reps approaching a grabbed group, mean (V1)", "reps", "turns"),
    Kpi("grab_group_min", "抢客耽误客户时长", "minutes grabbed groups lost, total (V1)", "min", "turns"),
    Kpi("grab_rep_min", "抢客耽误顾问工时", "rep minutes lost to grabbing, total (V1)", "min", "turns"),
)  # fmt: skip

MENTOR_KPIS: tuple[Kpi, ...] = (
    Kpi("mentor_signings", "带教签约次数", "new reps' signings with a mentor asked (V4)", "groups", "mentoring"),
    Kpi("mentor_wait_mean", "等待带教平均", "wait for a mentor before signing, mean (V4)", "min", "mentoring"),
    Kpi("mentor_rep_min", "带教占用工时", "experienced rep minutes held as mentor (V4)", "min", "mentoring"),
    Kpi("unmentored_signings", "无带教签约", "signings with no experienced rep on duty (V4)", "groups", "mentoring"),
)  # fmt: skip


def turn_kpis(acc: Accumulator, reps: Sequence[Rep], ledger: TurnLedger) -> dict[str, float]:
    """The turn and fairness KPIs of one day."""
    utilisation = [r.busy_time / r.duty_time for r in reps if r.duty_time > 0]
    received = acc.served
    return {
        "turns_granted": float(sum(r.turns for r in reps)),
        "turns_skipped": float(sum(r.skipped for r in reps)),
        "makeups_granted": float(ledger.makeups_granted),
        "turns_made_up": float(sum(r.made_up for r in reps)),
        "turns_lent": float(sum(r.lent for r in reps)),
        "phone_makeups": float(ledger.phone_makeups),
        "own_rep_wait_mean": mean_or_nan(acc.own_rep_wait),
        "own_rep_fallbacks": float(ledger.fallbacks),
        "rep_utilisation_min": min(utilisation, default=math.nan),
        "rep_utilisation_max": max(utilisation, default=math.nan),
        "surveys": float(acc.surveys),
        "not_received": float(acc.not_received),
        "grab_incidents": float(ledger.grab_incidents),
        "grabbed_share": ratio(ledger.grab_incidents, received),
        "grab_reps_mean": ratio(ledger.grab_reps, ledger.grab_incidents),
        "grab_group_min": ledger.grab_group_min,
        "grab_rep_min": ledger.grab_rep_min,
    }


def mentor_kpis(acc: Accumulator, reps: Sequence[Rep]) -> dict[str, float]:
    """V4 mentoring KPIs of one day (only when the scenario asks for mentoring)."""
    return {
        "mentor_signings": float(len(acc.mentor_wait)),
        "mentor_wait_mean": mean_or_nan(acc.mentor_wait),
        "mentor_rep_min": math.fsum(acc.mentor_minutes),
        "unmentored_signings": float(acc.unmentored),
    }
