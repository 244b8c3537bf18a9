"""Issue 18 item 5: a random valid scenario under ``joint_agency`` counted more groups arrived
than rows in ``visits.csv``.

The cause, reproduced on the code before issue 20 (commit 7ff7d16): the scenario below (drawn
by the invariant test's strategy) has V4 mentoring and one negotiation table. A new rep's
group held the only table while its signing waited for a mentor, and the experienced reps who
could mentor waited with their own groups for that table: a circular wait. The day "ended"
with those groups stuck mid-journey; a group gets its ``visits.csv`` row only when it leaves
(or, waiting at the desk, as ``present``), so 46 groups arrived and 43 rows were written (10
served, 33 present). Nothing in it was specific to joint_agency (grabbing was off:
approach_share 0); the policy only picked which reps were new when the table was taken.

The fix is in the model since issue 20: the mentor wait is bounded
(``rotation.mentor_wait_max_min``; then the new rep signs alone), so the circular wait cannot
form, and every day checks the accounting identity (arrived = every terminal outcome) and
fails loudly (DayStalled) instead of writing short tables. This test runs that scenario
through the command line and reads the written files back.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from sim.cli import main

SCENARIO: dict[str, Any] = {
    "name": "joint-agency-accounting",
    "policy": "joint_agency",
    "day": {"type": "weekend", "open": "09:00", "close": "10:00", "run_until": "empty"},
    "arrivals": {"walk_in": [{"from": "09:00", "rate": 40.0}], "appointments": {"count": 0}},
    "visitors": {
        "group_size": {1: 1.0, 3: 0.0},
        "car_share": 0.0, "returning_share": 0.0, "designated_share": 0.0,
        "important_share": 0.0, "non_sales_share": 0.0, "negotiation_share": 0.5,
        "vip_share": 0.0, "sample_house_share": 1.0, "signing_share": 0.1, "patience": None,
    },
    "reps": 3,
    "vip_rooms": {"count": 0},
    "tables": 1,
    "sample_houses": [],
    "service_times": {
        "sandbox": {"dist": "exponential", "mean": 1.0},
        "sample_house": {"dist": "exponential", "mean": 1.0},
        "negotiation": {"dist": "exponential", "mean": 1.0},
        "signing": {"dist": "fixed", "value": 0.0},
        "walk_out": {"dist": "fixed", "value": 0.0},
        "non_sales": {"dist": "fixed", "value": 0.0},
    },
    "rotation": {
        "mentor_new_reps": True,
        "joint_agency": {"approach_share": 0.0, "dispute": {"dist": "fixed", "value": 0.0}},
    },
}  # fmt: skip


def test_joint_agency_day_writes_one_visits_row_per_arrival(tmp_path: Path) -> None:
    """Arrivals = rows of visits.csv, per replication; with no patience and the day run until
    empty, every group is served (none stuck, none left present)."""
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(SCENARIO, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", str(path), "-n", "3", "--seed", "0", "-w", "1", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    folder = out / "joint-agency-accounting-joint_agency-seed0"
    with (folder / "visits.csv").open(encoding="utf-8-sig") as handle:
        visits = list(csv.DictReader(handle))
    with (folder / "kpis_by_replication.csv").open(encoding="utf-8-sig") as handle:
        days = list(csv.DictReader(handle))
    assert len(days) == 3
    for day in days:
        rows = [v for v in visits if v["replication"] == day["replication"]]
        assert len(rows) == float(day["groups_arrived"]) > 0
        assert {v["outcome"] for v in rows} == {"served"}
