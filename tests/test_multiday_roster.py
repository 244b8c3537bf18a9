"""Multi-day events and issue 19: each day's roster at the booking terms in the combined
sizing.json (per day and in total), roster.csv with a day column, the roster printed per day;
`salesim fee` bills every day's booked shifts; a day whose fresh check fails makes the whole
event NOT an answer (exit 2, only sizing_failed.json). Expected figures derived by hand."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from sim.cli import main
from sim.event_sizing.multiday_roster import combined_roster

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "fixtures" / "bad" / "_base_event.yaml"  # a valid 300-person launch
WEEKEND = ROOT / "scenarios" / "weekend.yaml"
CARD = ROOT / "ratecards" / "example_yancheng.yaml"
FAST = ["-n", "10", "--validate-days", "10", "-w", "1", "--no-plots"]


def _two_days(tmp_path: Path) -> Path:
    """The small launch over two days (D1 200, D2 300 people) with two property posts: an
    usher per 50 waiting and 2 security guards at the entrance 09:00-13:00."""
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    ev = data["event"]
    ev["days"] = [{"label": "D1", "attendance": 200}, {"label": "D2", "attendance": 300}]
    ev["ratio_posts"] = [{"post": "usher", "zone": "waiting_area", "per": 50}]
    ev["coverage_posts"] = [{"post": "security", "where": "主入口 entrance", "count": 2,
                             "from": "09:00", "to": "13:00"}]  # fmt: skip
    path = tmp_path / "two_days.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _size(scenario: Path, out: Path) -> Result:
    return CliRunner().invoke(main, ["size", str(scenario), "--out", str(out), *FAST])


def _day(post: str, people: int, units: float, payer: str = "property") -> dict[str, Any]:
    return {"post": post, "label_zh": post, "payer": payer, "people": people, "units": units,
            "shifts": []}  # fmt: skip


def _roster(posts: list[dict[str, Any]], flat: list[dict[str, Any]]) -> dict[str, Any]:
    def units(ps: list[dict[str, Any]], payer: str | None = None) -> float:
        return sum(p["units"] for p in ps if payer is None or p["payer"] == payer)

    return {"terms": {"unit": "hour"}, "need": "total", "posts": posts, "units": units(posts),
            "units_by_payer": {"property": units(posts, "property"),
                               "developer": units(posts, "developer")},
            "desk_units": units(posts, "developer"),
            "erlang_c": {"rule": "r", "posts": flat, "units": units(flat),
                         "desk_units": units(flat, "developer")}}  # fmt: skip


def test_the_combined_roster_sums_the_days() -> None:
    """People are bookings per day, so the totals add the days: security 2 + 3 = 5 people,
    8 + 12.5 = 20.5 h; sign_in (developer) 4 + 1 = 5 people, 16 + 4 = 20 h; in all 40.5 h,
    property 20.5, desks 20; the Erlang C plan 6 + 6 h of security and 2 × 32 h of sign-in:
    76 h, desks 64."""
    d1 = _roster([_day("security", 2, 8.0), _day("sign_in", 4, 16.0, "developer")],
                 [_day("security", 2, 6.0), _day("sign_in", 4, 32.0, "developer")])
    d2 = _roster([_day("security", 3, 12.5), _day("sign_in", 1, 4.0, "developer")],
                 [_day("security", 2, 6.0), _day("sign_in", 4, 32.0, "developer")])
    c = combined_roster([("D1", d1), ("D2", d2)])
    assert c is not None
    posts = {p["post"]: p for p in c["posts"]}
    assert (posts["security"]["people"], posts["security"]["units"]) == (5, 20.5)
    assert posts["security"]["days"] == {"D1": {"people": 2, "units": 8.0},
                                         "D2": {"people": 3, "units": 12.5}}
    assert (posts["sign_in"]["people"], posts["sign_in"]["units"]) == (5, 20.0)
    assert (c["units"], c["desk_units"]) == (40.5, 20.0)
    assert c["units_by_payer"] == {"property": 20.5, "developer": 20.0}
    assert (c["erlang_c"]["units"], c["erlang_c"]["desk_units"]) == (76.0, 64.0)
    assert combined_roster([("D1", d1), ("D2", None)]) is None  # a day without: no roster


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.mark.slow
def test_size_writes_each_days_roster_and_fee_bills_it(tmp_path: Path) -> None:
    """End to end on two small days: the combined sizing.json carries each day's roster (the
    same as the day's own sizing.json, i.e. what `salesim size` gives for that day alone) and
    the totals; roster.csv has the day's rows under its label; each day's roster is printed.
    Booked by the day (the scenario's and the card's unit), the 2 guards of 09:00-13:00 are 2
    person-days a day: 4 in all, billed 4 × 320 = 1,280 元; each day's ushers are the day's
    peak of ushers (a person-day covers the whole day), at 280 元."""
    out = tmp_path / "s"
    sized = _size(_two_days(tmp_path), out)
    assert sized.exit_code == 0, sized.output
    for label in ("D1", "D2"):
        assert f"{label} 当日排班 roster of day {label}" in sized.stdout
    assert sized.stdout.count("排班 roster — 预订条件 booking terms") == 2
    data = json.loads((out / "sizing.json").read_text(encoding="utf-8"))
    rows = _csv(out / "roster.csv")
    assert list(rows[0]) == ["day", "post", "label_zh", "payer", "start", "end", "people",
                             "units", "unit"]  # fmt: skip
    for day in data["days"]:
        one = json.loads((out / day["label"] / "sizing.json").read_text(encoding="utf-8"))
        assert day["roster"] == one["roster"] and day["status"] == "ok"
        mine = [{k: v for k, v in r.items() if k != "day"} for r in rows
                if r["day"] == day["label"]]  # fmt: skip
        assert mine == _csv(out / day["label"] / "roster.csv")
    total = data["roster"]
    security = next(p for p in total["posts"] if p["post"] == "security")
    assert total["terms"]["unit"] == "day"
    assert (security["people"], security["units"]) == (4, 4.0)
    assert total["units"] == pytest.approx(sum(d["roster"]["units"] for d in data["days"]))

    fee = CliRunner().invoke(main, ["fee", str(WEEKEND), "--sizing", str(out / "sizing.json"),
                                    "--rates", str(CARD), "--out", str(tmp_path / "f")])
    assert fee.exit_code == 0, fee.output
    event = {r["post"]: r for r in _csv(tmp_path / "f" / "fee_plan.csv")
             if r["section"] == "event"}  # fmt: skip
    assert (event["security"]["quantity_unit"], event["security"]["amount"]) == (
        "person-day", "1280.00")
    assert "D1: 09:00-" in event["security"]["note"] and "D2: 09:00-" in event["security"]["note"]
    ushers = sum(max(r["total"] for r in data["headcount"]
                     if r["post"] == "usher" and r["day"] == d) for d in ("D1", "D2"))
    assert Decimal(event["usher"]["amount"]) == 280 * ushers > 0
    per_day = [line for line in fee.stdout.splitlines() if "event surcharge of day" in line]
    day_sum = sum(Decimal(x.split(": ")[1].split(" 元")[0].replace(",", "")) for x in per_day)
    assert len(per_day) == 2 and day_sum == Decimal(event["security"]["amount"]) + Decimal(
        event["usher"]["amount"])
    _workbook_agrees(out / "sizing.json", tmp_path)

    # an older combined file (no roster anywhere) is billed from its rows as before:
    # the guards' 2 × 4 h a day at 40 元/h = 320 a day, 640 for the two days
    for day in data["days"]:
        del day["roster"], day["status"]
    del data["roster"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    fee = CliRunner().invoke(main, ["fee", str(WEEKEND), "--sizing", str(old), "--rates",
                                    str(CARD), "--out", str(tmp_path / "g")])  # fmt: skip
    assert fee.exit_code == 0, fee.output
    event = {r["post"]: r for r in _csv(tmp_path / "g" / "fee_plan.csv")
             if r["section"] == "event"}  # fmt: skip
    assert (event["security"]["quantity_unit"], event["security"]["amount"]) == (
        "person-hour", "640.00")


@pytest.mark.slow
def test_a_failed_day_makes_the_event_not_an_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """D2's fresh check misses in every round (forced, as in test_joint_confidence), D1's
    passes: exit 2 with one line, Chinese first, naming D2 and what it misses (and not D1);
    no sizing.json, no day folders, no roster.csv; sizing_failed.json holds both days' best
    plans with status failed and failed_days [D2]; salesim fee refuses it."""
    import sim.cli.size as size_cli
    import sim.event_sizing.validate as validate_module

    real = size_cli.size

    def size_d2_fails(day: Any, *args: Any, **kwargs: Any) -> Any:
        if day.event.attendance != 300:
            return real(day, *args, **kwargs)
        with pytest.MonkeyPatch.context() as m:
            m.setattr(validate_module, "share_verdict", lambda *a: "MISSES")
            return real(day, *args, **kwargs)

    monkeypatch.setattr(size_cli, "size", size_d2_fails)
    out = tmp_path / "s"
    result = _size(_two_days(tmp_path), out)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    line = result.stderr.strip()
    assert line.count("\n") == 0
    assert line.split(": ", 2)[2].startswith("未找到可信方案")  # salesim: FILE: …
    assert "第 D2 天 day D2" in line and "sign_in_wait_p90<=10 met on" in line
    assert "day D1" not in line and "1 of 2 days" in line and "NOT an answer" in line
    assert sorted(p.name for p in out.iterdir()) == ["sizing_failed.json"]
    data = json.loads((out / "sizing_failed.json").read_text(encoding="utf-8"))
    assert data["status"] == "failed" and data["failed_days"] == ["D2"]
    assert [d["status"] for d in data["days"]] == ["ok", "failed"]
    assert {r["day"] for r in data["headcount"]} == {"D1", "D2"}
    fee = CliRunner().invoke(main, ["fee", str(WEEKEND), "--sizing",
                                    str(out / "sizing_failed.json"), "--out",
                                    str(tmp_path / "f")])  # fmt: skip
    assert fee.exit_code == 2 and "Traceback" not in fee.output


def test_a_combined_file_with_a_failed_day_is_not_billed() -> None:
    """A day marked failed (NOT an answer) cannot be billed: the fee plan names the field."""
    from sim.fee.sizing_file import SizingError, validate_sizing
    from tests.test_event_days import _two_days as two_day_file

    data = two_day_file()
    data["days"][1]["status"] = "failed"
    with pytest.raises(SizingError) as err:
        validate_sizing(data, "s.json")
    assert "days[1].status = 'failed'" in err.value.lines[0]
    data["days"][1]["status"] = "ok"
    assert validate_sizing(data, "s.json").days is not None


def _workbook_agrees(sizing: Path, tmp_path: Path) -> None:
    """The fee workbook's surcharge rows (live formulas) give the plan's totals."""
    from sim.fee.assemble import make_plan
    from sim.fee.ratecard import load_card
    from sim.fee.sizing_file import load_sizing
    from sim.fee.workbook import write_workbook
    from sim.scenario import load_scenario
    from tests.test_fee_workbook import evaluate, event_rows

    plan = make_plan(load_card(CARD), load_scenario(WEEKEND), str(WEEKEND),
                     sizing=load_sizing(sizing), sizing_source=str(sizing))  # fmt: skip
    assert plan.event is not None and plan.booking is not None
    rows = event_rows(evaluate(write_workbook(plan, tmp_path / "fee_plan.xlsx")))
    want = [plan.event.total, *(s.total for s in plan.event_at.values())]
    assert sorted(float(v) for v in rows.values()) == sorted(float(v) for v in want)
