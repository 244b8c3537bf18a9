"""Turn and fairness KPIs of the rotation rulebook (R4–R10, V1) and of mentoring (V4).

Receptions per rep (min, max, spread, Gini) are in :mod:`sim.office.kpis`; these add what the
policies count: turns taken, skipped, made up and lent, own-rep waits, grabbing, per-rep
utilisation. Their labels are in the catalogue, :mod:`sim.domain.kpis`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sim.office.kpis import mean_or_nan, ratio

if TYPE_CHECKING:
    from sim.office.recorder import Accumulator
    from sim.office.staff import Rep, TurnLedger




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
        "extra_reps": float(acc.extra_reps),
    }


def mentor_kpis(acc: Accumulator, reps: Sequence[Rep]) -> dict[str, float]:
    """V4 mentoring KPIs of one day (only when the scenario asks for mentoring)."""
    return {
        "mentor_signings": float(len(acc.mentor_wait)),
        "mentor_wait_mean": mean_or_nan(acc.mentor_wait),
        "mentor_rep_min": math.fsum(acc.mentor_minutes),
        "unmentored_signings": float(acc.unmentored),
    }
