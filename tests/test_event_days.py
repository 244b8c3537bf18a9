"""Multi-day events (多日活动, issue 12): each day sized on its own, the headcount and the event
surcharge per day and in total, the event class, permit flag and seats in the fee output."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from sim.cli import main
from sim.fee.assemble import make_plan
from sim.fee.ratecard import validate_card
from sim.fee.sizing_file import SizingError, validate_sizing
from sim.fee.workbook import write_workbook
from sim.scenario import load_scenario
from tests.test_fee_workbook import evaluate, event_rows

ROOT = Path(__file__).resolve().parent.parent
CARD = ROOT / "ratecards" / "example_yancheng.yaml"
WEEKEND = ROOT / "scenarios" / "weekend.yaml"
OPEN_DAY = ROOT / "scenarios" / "site_open_day.yaml"
BLOCKS = ("09:00-10:00", "10:00-11:00")


def _row(post: str, payer: str, day: str, b: int, extra: int) -> dict[str, Any]:
    start, end = BLOCKS[b].split("-")
    return {"post": post, "payer": payer, "block": BLOCKS[b], "start": start, "end": end,
            "baseline": 0, "extra": extra, "total": extra, "day": day}  # fmt: skip


def _two_days() -> dict[str, Any]:
    """A 2-day sizing by hand: security (property, per hour 40) D1 2+3, D2 1+1 people; usher
    (property, per day 300 on the test card) D1 1+2, D2 3+0; sign_in (developer) D1 4+0, D2
    2+2. D2 has 1,200 people: a 大型群众性活动 that needs a police permit."""
    rows = [
        _row("security", "property", "D1", 0, 2),
        _row("security", "property", "D1", 1, 3),
        _row("security", "property", "D2", 0, 1),
        _row("security", "property", "D2", 1, 1),
        _row("usher", "property", "D1", 0, 1),
        _row("usher", "property", "D1", 1, 2),
        _row("usher", "property", "D2", 0, 3),
        _row("usher", "property", "D2", 1, 0),
        _row("sign_in", "developer", "D1", 0, 4),
        _row("sign_in", "developer", "D1", 1, 0),
        _row("sign_in", "developer", "D2", 0, 2),
        _row("sign_in", "developer", "D2", 1, 2),
    ]
    seats = {
        "seats": 500,
        "level": 0.95,
        "peak_mean": 610.0,
        "peak_max": 700,
        "seats_needed": 650,
        "short": 150,
    }
    big = {"attendance": 1200, "class": "large", "mass_gathering": True}
    return {
        "format": "salesim-sizing/1", "scenario_name": "two_days", "day_type": "launch",
        "confidence": 0.95, "mode": "share_of_days", "block_minutes": 60, "blocks": list(BLOCKS),
        "event_class": {**big, "total_attendance": 1500}, "headcount": rows,
        "headcount_at": {"0.90": rows, "0.99": rows},
        "days": [{"label": "D1", "attendance": 300,
                  "event_class": {"attendance": 300, "class": "small_medium",
                                  "mass_gathering": False}},
                 {"label": "D2", "attendance": 1200, "event_class": big, "waiting_area": seats}],
    }  # fmt: skip


def _card(tmp_path: Path) -> Path:
    """The example card with event_days 3 (which a multi-day sizing must not apply) and the
    usher billed per day at 300."""
    data = yaml.safe_load(CARD.read_text(encoding="utf-8"))
    data["event_days"] = 3
    data["posts"]["usher"] = {"event_rate": {"per": "day", "amount": 300}}
    path = tmp_path / "card.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_multi_day_surcharge_per_day_and_in_total_by_hand(tmp_path: Path) -> None:
    """Each sized day is billed once at its own headcount (the card's event_days 3 is not
    applied): security 40 元/h × (2+3) h on D1 = 200, × (1+1) h on D2 = 80; usher per day
    300 × the day's peak, D1 2 = 600, D2 3 = 900 (the total bills 2 + 3 = 5 person-days, not
    the rows' maximum 3); the developer's sign-in desk is listed and never billed."""
    from sim.fee.ratecard import load_card

    sizing = validate_sizing(_two_days(), "two_days.json")
    plan = make_plan(load_card(_card(tmp_path)), load_scenario(WEEKEND), str(WEEKEND),
                     sizing=sizing, sizing_source="two_days.json")  # fmt: skip
    assert plan.event is not None and plan.billed_event_days == 2
    lines = {x.post: x for x in plan.event.lines}
    assert (lines["security"].amount, lines["usher"].amount) == (Decimal(280), Decimal(1500))
    assert lines["usher"].peak_extra == 5 and lines["security"].person_minutes == 420
    assert not lines["sign_in"].billed and lines["sign_in"].amount == 0
    assert plan.event.total == Decimal(1780)
    by_day = {label: s.total for label, s in plan.event_by_day()}
    assert by_day == {"D1": Decimal(800), "D2": Decimal(980)}
    assert sum(by_day.values()) == plan.event.total
    values = evaluate(write_workbook(plan, tmp_path / "fee_plan.xlsx"))
    assert event_rows(values)["活动附加费 @ 0.95 (方案 plan)"] == 1780  # the formulas agree


def test_fee_prints_class_permit_seats_and_days(tmp_path: Path) -> None:
    """Issue 12 item 4: `salesim fee` shows the event class, the police-permit flag and the
    waiting-area seats (per day for a multi-day sizing), and each day's surcharge."""
    path = tmp_path / "sizing.json"
    path.write_text(json.dumps(_two_days(), ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "fee",
            str(WEEKEND),
            "--sizing",
            str(path),
            "--rates",
            str(_card(tmp_path)),
            "--out",
            str(tmp_path / "fee"),
        ],
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "大型活动 large" in out and "police permit: 须申请 REQUIRED" in out
    assert "D2 (1200 人 people): 大型活动 large; 等候区座位 waiting-area seats: 500 座" in out
    assert "缺 150 座 SHORT of 150 seats" in out
    assert "event surcharge of day D1 @0.95: 800.00 元" in out
    assert "event surcharge of day D2 @0.95: 980.00 元" in out
    html = (tmp_path / "fee" / "fee_plan.html").read_text(encoding="utf-8")
    assert "police permit" in html and "surcharge of day D2" in html


@pytest.mark.parametrize(("change", "fragment"), [
    (lambda d: d["headcount"][0].update(day="D9"), "headcount[0].day = 'D9': 应为以下之一 "
     "must be one of days (D1, D2)"),
    (lambda d: d.pop("days"), "headcount[0].day = 'D1': 应省略 must be absent (no days)"),
])  # fmt: skip
def test_sizing_file_rows_name_their_days(change: Any, fragment: str) -> None:
    data = _two_days()
    change(data)
    with pytest.raises(SizingError) as err:
        validate_sizing(data, "s.json")
    assert fragment in err.value.lines[0]


def test_rate_card_fixture_stays_valid(tmp_path: Path) -> None:
    validate_card(yaml.safe_load(_card(tmp_path).read_text(encoding="utf-8")), "card.yaml")


@pytest.mark.slow
def test_size_then_fee_on_a_three_day_open_weekend(tmp_path: Path) -> None:
    """Issue 12 items 2 and 6, end to end: `salesim size` on the shipped 3-day open weekend
    (few search days, no fresh check, to stay quick) sizes each day with its own attendance
    and seed, writes one folder per day and a combined sizing.json whose rows name their day;
    `salesim fee` bills only the property-service posts, once per day, and the per-day
    surcharges add up to the total."""
    sized = CliRunner().invoke(
        main,
        [
            "size",
            str(OPEN_DAY),
            "--out",
            str(tmp_path / "s"),
            "-n",
            "10",
            "--validate-days",
            "0",
            "-w",
            "1",
        ],
    )
    assert sized.exit_code == 0, sized.output
    assert "多日活动 multi-day event: 3 天 days, 合计 900 人" in sized.output
    data = json.loads((tmp_path / "s" / "sizing.json").read_text(encoding="utf-8"))
    assert [(d["label"], d["attendance"], d["seed"]) for d in data["days"]] == [
        ("D1-Fri", 250, 0),
        ("D2-Sat", 350, 1),
        ("D3-Sun", 300, 2),
    ]
    for d in data["days"]:
        one = json.loads((tmp_path / "s" / d["label"] / "sizing.json").read_text("utf-8"))
        mine = [r for r in data["headcount"] if r["day"] == d["label"]]
        assert [{k: v for k, v in r.items() if k != "day"} for r in mine] == one["headcount"]
    assert {r["payer"] for r in data["headcount"] if r["post"] == "engineer"} == {"developer"}
    assert {r["post"] for r in data["headcount"] if r["payer"] == "property"} == {
        "cleaner",
        "usher",
        "security",
    }
    fee = CliRunner().invoke(main, ["fee", str(WEEKEND), "--sizing",
                                    str(tmp_path / "s" / "sizing.json"), "--out",
                                    str(tmp_path / "f")])  # fmt: skip
    assert fee.exit_code == 0, fee.output
    text = (tmp_path / "f" / "fee_plan.csv").read_text(encoding="utf-8-sig")
    event = [r for r in csv.DictReader(io.StringIO(text)) if r["section"] == "event"]
    billed = {r["post"] for r in event if r["billed"] == "yes"}
    assert billed == {"cleaner", "usher", "security"}
    assert all(r["amount"] == "0.00" for r in event if r["post"] in {"sign_in", "engineer", "gift"})
    total = sum(Decimal(r["amount"]) for r in event)
    days = [line for line in fee.output.splitlines() if "event surcharge of day" in line]
    assert len(days) == 3
    per_day = sum(Decimal(line.split(": ")[1].split(" 元")[0].replace(",", "")) for line in days)
    assert per_day == total > 0


SIGNING = ROOT / "scenarios" / "signing_day.yaml"


def test_signing_day_every_group_signs_in_order() -> None:
    """The shipped signing day (签约日, seed 002): every group checks its documents, signs
    (a signing officer with a rep assisting), pays and collects a gift, in that order and by
    appointment slot; no number calling, so nobody is moved to the end."""
    from sim.event.day import simulate_event_times
    from sim.event.inputs import EventPlan, draw_event_visitors

    sc = load_scenario(SIGNING)
    assert sc.event is not None and sc.event.kind == "signing_day" and sc.event.calling is None
    assert [d.post for d in sc.event.desks] == ["sign_in", "contract", "finance", "gift"]
    vis = draw_event_visitors(sc, 1, range(2))
    t = simulate_event_times(sc, EventPlan.baseline(sc), vis)
    v = vis.valid & np.isfinite(t.end["gift"])  # served to the end on the baseline plan
    assert v.sum() > 0.4 * vis.valid.sum()  # the lean baseline leaves the late ones unserved
    for a, b in (("sign_in", "contract"), ("contract", "finance"), ("finance", "gift")):
        assert (t.end[a][v] < t.arrive[b][v]).all()  # a walk between the desks
    assert not (t.moved is not None and t.moved.any())


@pytest.mark.slow
def test_signing_day_can_be_sized_and_billed(tmp_path: Path) -> None:
    """The signing day sizes (exit 0) with its desks as the developer's and its water bar,
    cleaners, security and door as the property's, and the fee plan bills only those."""
    sized = CliRunner().invoke(
        main,
        [
            "size",
            str(SIGNING),
            "--out",
            str(tmp_path / "s"),
            "-n",
            "10",
            "--validate-days",
            "0",
            "-w",
            "1",
            "--no-plots",
        ],
    )
    assert sized.exit_code == 0, sized.output
    data = json.loads((tmp_path / "s" / "sizing.json").read_text(encoding="utf-8"))
    payers = {r["post"]: r["payer"] for r in data["headcount"]}
    assert payers == {
        "sign_in": "developer",
        "contract": "developer",
        "finance": "developer",
        "gift": "developer",
        "water_bar": "property",
        "cleaner": "property",
        "security": "property",
        "door": "property",
    }
    fee = CliRunner().invoke(main, ["fee", str(WEEKEND), "--sizing",
                                    str(tmp_path / "s" / "sizing.json"), "--out",
                                    str(tmp_path / "f")])  # fmt: skip
    assert fee.exit_code == 0, fee.output
    text = (tmp_path / "f" / "fee_plan.csv").read_text(encoding="utf-8-sig")
    event = [r for r in csv.DictReader(io.StringIO(text)) if r["section"] == "event"]
    assert {r["post"] for r in event if r["billed"] == "yes"} <= {
        "water_bar",
        "cleaner",
        "security",
        "door",
    }
    assert all(r["amount"] == "0.00" for r in event if payers.get(r["post"]) == "developer")
