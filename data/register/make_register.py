"""Generate the shipped synthetic register (visits.csv, calls.csv) from the known scenarios.

    PYTHONPATH=. python data/register/make_register.py [OUT_DIR]

Four weeks: 20 weekdays simulated from truth_weekday.yaml and 8 weekend days from
truth_weekend.yaml (the SimPy model, seed 2026, replication = day number), written as an office
would keep its visit register (来访登记). The call log is drawn from each truth scenario's
`staffing.phones` directly (the model keeps no per-call table): calls arrive as a Poisson
process at the scenario's rates, with durations from its distribution.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np

from sim.core.clock import format_clock
from sim.fit.register import CALL_FIELDS, VISIT_FIELDS, header, visit_row, visits_of_day, write_csv
from sim.model import simulate_day
from sim.scenario import Scenario, load_scenario

HERE = Path(__file__).resolve().parent
SEED = 2026
FIRST_DAY = dt.date(2026, 3, 2)  # a Monday
DAYS = 28


def _calls(scenario: Scenario, rng: np.random.Generator, date: str) -> list[list[str]]:
    phones = scenario.staffing.phones if scenario.staffing else None
    assert phones is not None
    starts = [p.start for p in phones.calls] + [scenario.day.close]
    rows = []
    for piece, end in zip(phones.calls, starts[1:], strict=True):
        n = rng.poisson(piece.rate * (end - piece.start) / 60)
        for t in np.sort(rng.uniform(piece.start, end, n)):
            minutes = float(phones.duration.batch(rng, 1)[0])
            rows.append([date, scenario.day.type, format_clock(t), f"{minutes:.1f}"])
    return rows


def main(out: Path = HERE) -> None:
    """Write visits.csv and calls.csv into ``out`` (default: beside this script)."""
    truth = {k: load_scenario(HERE / f"truth_{k}.yaml") for k in ("weekday", "weekend")}
    rng = np.random.default_rng(SEED)
    visits, calls = [], []
    for i in range(DAYS):
        date = FIRST_DAY + dt.timedelta(days=i)
        kind = "weekend" if date.weekday() >= 5 else "weekday"
        scenario = truth[kind]
        day = simulate_day(scenario, SEED, replication=i)
        names = [r.name for r in scenario.reps]
        visits += [visit_row(v) for v in visits_of_day(day, date.isoformat(), kind, names)]
        calls += _calls(scenario, rng, date.isoformat())
    write_csv(out / "visits.csv", header(VISIT_FIELDS), visits)
    write_csv(out / "calls.csv", header(CALL_FIELDS), calls)
    print(f"wrote {len(visits)} visits and {len(calls)} calls over {DAYS} days to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
