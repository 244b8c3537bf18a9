"""`salesim fee` bills a sizing's roster as booked shifts (issue 19 item 3): the rate card's
booking terms, a scenario's event.booking winning field by field, prices per unit; a sizing
file without a roster is billed as before. Expected amounts derived by hand below."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
CARD = str(ROOT / "ratecards" / "example_yancheng.yaml")
SIZING = ROOT / "tests" / "fixtures" / "sizing_launch_day.json"  # blocks 08:00..14:00, no payer
LAUNCH = ROOT / "scenarios" / "launch_day_800.yaml"


def _fee(tmp_path: Path, booking: dict[str, object] | None, roster: bool) -> dict[str, dict]:
    data = json.loads(SIZING.read_text(encoding="utf-8"))
    if roster:
        data["roster"] = {}
    sizing = tmp_path / "sizing.json"
    sizing.write_text(json.dumps(data), encoding="utf-8")
    scenario = yaml.safe_load(LAUNCH.read_text(encoding="utf-8"))
    scenario["day"]["open"] = "08:00"  # the fixture's blocks start at 08:00
    if booking is not None:
        scenario["event"]["booking"] = booking
    path = tmp_path / "event.yaml"
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["fee", str(path), "--sizing", str(sizing), "--rates", CARD,
                                       "--out", str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "fee_plan.csv").read_text(encoding="utf-8-sig")
    return {r["post"]: r for r in csv.DictReader(io.StringIO(text)) if r["section"] == "event"}


def test_the_cards_day_terms(tmp_path: Path) -> None:
    """The card books by the day: parking extra 2,2,1,0,0,0 → 2 person-days at 8 × 55 = 440
    元 (no booking price: its hourly event rate × 8 h); cleaner 0,1,2,2,2,1 → 2 at the card's
    price 200."""
    event = _fee(tmp_path, None, roster=True)
    assert (event["parking"]["quantity_unit"], event["parking"]["amount"]) == (
        "person-day", "880.00")
    assert event["cleaner"]["amount"] == "400.00"
    assert "排班 shifts" in event["cleaner"]["note"]


def test_the_scenario_wins_field_by_field(tmp_path: Path) -> None:
    """Scenario unit hour, the card's 4-hour minimum kept. Parking 2,2,1,0,0,0: 2 people at
    08:00, each paid ≥ 4 h, and 2 × 08:00-12:00 covers everything: 8 h × 55 = 440. Cleaner
    0,1,2,2,2,1: Σ need = 8 h is reached by 09:00-13:00 + 10:00-14:00: 8 h × 25 = 200."""
    event = _fee(tmp_path, {"unit": "hour"}, roster=True)
    assert (event["parking"]["quantity_unit"], event["parking"]["amount"]) == (
        "person-hour", "440.00")
    assert event["cleaner"]["amount"] == "200.00"


def test_half_day_terms(tmp_path: Path) -> None:
    """Half days of 4 h: parking 2 × 08:00-12:00 = 2 half days at 4 × 55 = 220 → 440;
    cleaner 09:00-13:00 + 10:00-14:00 = 2 half days at 200 / 2 = 100 → 200 (the card's day
    price halved: a day is 8 h)."""
    event = _fee(tmp_path, {"unit": "half_day"}, roster=True)
    assert (event["parking"]["quantity_unit"], event["parking"]["amount"]) == ("person-half-day",
                                                                       "440.00")
    assert event["cleaner"]["amount"] == "200.00"


def test_a_sizing_without_roster_is_billed_as_before(tmp_path: Path) -> None:
    """An older sizing.json (no roster): person-hours at the event rate, booking ignored —
    parking 2+2+1 = 5 h × 55 = 275; cleaner 8 h × 25 = 200."""
    event = _fee(tmp_path, {"unit": "day"}, roster=False)
    assert (event["parking"]["quantity_unit"], event["parking"]["amount"]) == (
        "person-hour", "275.00")
    assert event["cleaner"]["amount"] == "200.00"


def test_the_workbook_computes_the_booked_amounts(tmp_path: Path) -> None:
    """The workbook's surcharge rows (live formulas: units × price × days) give the plan's
    totals for a rostered sizing, at every level."""
    from sim.fee.assemble import make_plan
    from sim.fee.ratecard import load_card
    from sim.fee.sizing_file import validate_sizing
    from sim.fee.workbook import write_workbook
    from sim.scenario import load_scenario
    from tests.test_fee_workbook import WEEKEND, evaluate, event_rows

    data = json.loads(SIZING.read_text(encoding="utf-8")) | {"roster": {}}
    plan = make_plan(load_card(CARD), load_scenario(WEEKEND), str(WEEKEND),
                     sizing=validate_sizing(data, "<test>"), sizing_source="<test>")
    assert plan.event is not None and all(
        line.roster_units is not None for line in plan.event.lines if line.billed)
    rows = event_rows(evaluate(write_workbook(plan, tmp_path / "fee_plan.xlsx")))
    want = {plan.event.level: plan.event.total} | {k: s.total for k, s in plan.event_at.items()}
    assert sorted(float(v) for v in rows.values()) == sorted(float(v) for v in want.values())
