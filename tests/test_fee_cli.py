"""``salesim fee``: files written, the terminal summary, CSV line items and the HTML page."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = str(ROOT / "tests" / "fixtures" / "weekend_issue13.yaml")  # pinned staffing
SIZING = str(ROOT / "tests" / "fixtures" / "sizing_launch_day.json")
CARD = str(ROOT / "ratecards" / "example_yancheng.yaml")


def fee(*args: str) -> Result:
    return CliRunner().invoke(main, ["fee", SCENARIO, *args], catch_exceptions=False)


def rows(folder: Path) -> list[dict[str, str]]:
    text = (folder / "fee_plan.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.fixture(scope="module")
def with_sizing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    out = tmp_path_factory.mktemp("fee")
    return fee("--sizing", SIZING, "--out", str(out)), out


def test_writes_three_files_and_a_summary(with_sizing: tuple[Result, Path]) -> None:
    result, out = with_sizing
    assert result.exit_code == 0, result.output
    files = {p.name for p in out.iterdir()} - {"salesim.sqlite"}  # the store records the study
    assert files == {"fee_plan.xlsx", "fee_plan.csv", "fee_plan.html"}
    assert "收费方案 Fee plan" in result.stdout
    assert "144,101.95" in result.stdout and "3,165.00" in result.stdout
    assert "8 = ⌈7.81⌉" in result.stdout and "1.33 (1.35)" in result.stdout  # heads from hours
    assert "活动附加费 @0.99" in result.stdout and "4,525.00" in result.stdout
    assert "EXAMPLE rate card" in result.stderr  # no --rates: the example, with a notice


def test_csv_line_items(with_sizing: tuple[Result, Path]) -> None:
    _, out = with_sizing
    items = rows(out)
    sections = {r["section"] for r in items}
    assert sections == {"baseline", "optional", "event", "event_at_0.90", "event_at_0.99"}
    gate = next(r for r in items if r["section"] == "baseline" and r["post"] == "gate")
    # the gate's own arithmetic: 1 position, 9 h × 30.42 days = 273.78 h ÷ 202.47 = 1.3522 FTE;
    # it is priced on its team's line (8 concierges × 9,591.98 × 12 months = 920,830.08)
    assert (gate["label_zh"], gate["team"], gate["positions"], gate["hours_per_day"]) == (
        "门岗礼宾", "concierge", "1", "9")
    assert (gate["covered_hours"], gate["hours_per_person"], gate["fte"]) == (
        "273.78", "202.47", "1.3522")
    assert (gate["heads"], gate["amount"]) == ("", "")
    team = next(r for r in items if r["post"] == "team:concierge")
    assert (team["label_zh"], team["heads"], team["relief"], team["unit_cost"]) == (
        "班组 concierge", "8", "1.33", "9591.98")
    assert (team["quantity"], team["quantity_unit"], team["amount"]) == ("12", "month",
                                                                         "920830.08")  # fmt: skip
    butler = next(r for r in items if r["section"] == "optional")
    assert (butler["post"], butler["heads"], butler["covered_hours"]) == ("butler", "1", "86.49")
    assert "butler" not in {r["post"] for r in items if r["section"] == "baseline"}
    event = [r for r in items if r["section"] == "event"]
    assert sum(Decimal(r["amount"]) for r in event) == Decimal(3165)
    selection = next(r for r in event if r["post"] == "selection")
    assert (selection["quantity"], selection["quantity_unit"], selection["amount"]) == (
        "14", "person-hour", "840.00"
    )
    reps = next(r for r in event if r["post"] == "reps")
    assert (reps["billed"], reps["amount"]) == ("no", "0.00")


def test_html_page(with_sizing: tuple[Result, Path]) -> None:
    _, out = with_sizing
    page = (out / "fee_plan.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "@font-face" in page and "@media print" in page
    for text in ("收费方案 Fee plan", "示例费率", "基础岗位 Baseline posts", "3,165.00",
                 "不确定性 Uncertainty", "9,591.98", "单人月成本 Cost build-up",
                 "月度账单 Monthly invoice", "本月应付合计", "154,087.07", "157,252.07",
                 "人均月工时 h/person", "202.47", "1,581.84"):  # fmt: skip
        assert text in page, text


def test_without_sizing_no_surcharge(tmp_path: Path) -> None:
    result = fee("--rates", CARD, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "no event surcharge requested" in result.stdout
    assert "EXAMPLE rate card" not in result.stderr  # a card was given
    assert {r["section"] for r in rows(tmp_path)} == {"baseline", "optional"}
    page = (tmp_path / "fee_plan.html").read_text(encoding="utf-8")
    assert "no event surcharge requested" in page


def test_area_option_switches_to_the_staffing_standard(tmp_path: Path) -> None:
    result = fee("--rates", CARD, "--area", "hall=1600", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    base = {r["post"]: r for r in rows(tmp_path) if r["section"] == "baseline"}
    assert set(base) == {"gate", "door", "team:concierge", "water_bar", "backup_reception",
                         "team:cs", "duty_manager", "cleaner", "reps"}  # fmt: skip
    # 4 positions × 9 h × 30.42 days = 1,095.12 h ÷ 173.81 = 6.300673 → 7 cleaners
    assert (base["cleaner"]["positions"], base["cleaner"]["heads"]) == ("4", "7")


def test_product_type_option(tmp_path: Path) -> None:
    result = fee("--rates", CARD, "--product-type", "villa", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "别墅 villa" in result.stdout
    optional = {r["post"] for r in rows(tmp_path) if r["section"] == "optional"}
    baseline = {r["post"] for r in rows(tmp_path) if r["section"] == "baseline"}
    assert optional == {"butler", "guide"} and not optional & baseline
    bad = fee("--rates", CARD, "--product-type", "vila", "--out", str(tmp_path / "bad"))
    assert bad.exit_code == 2
    assert bad.stderr.strip().startswith("salesim: --product-type vila: 费率卡无此业态")
    assert "did you mean 'villa'" in bad.stderr and "Traceback" not in bad.output


def test_help_is_chinese_first() -> None:
    text = CliRunner().invoke(main, ["fee", "--help"], terminal_width=200).output
    assert "--product-type TYPE" in text and "业态：按业态提出选配岗位" in text
    assert "写出 SCENARIO 的收费方案" in text


def test_default_out_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = fee("--rates", CARD)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "results" / "fee-weekend" / "fee_plan.xlsx").is_file()


def test_sizer_validation_is_shown_in_the_plan(tmp_path: Path) -> None:
    """A sizing.json with salesim size's out-of-sample check: the verdict reaches the terminal,
    each target's line the workbook's assumptions sheet."""
    import json

    from openpyxl import load_workbook

    data = json.loads(Path(SIZING).read_text(encoding="utf-8"))
    data["validation"] = {
        "seed": 1000003, "days": 200, "all_met": False,
        "targets": [
            {"kpi": "sign_in_wait_p90", "op": "<=", "value": 10, "level": 0.95, "fresh": 0.97,
             "verdict": "meets"},
            {"kpi": "finance_wait_p90", "op": "<=", "value": 10, "level": 0.95, "fresh": 0.9,
             "verdict": "MISSES"},
        ],
    }  # fmt: skip
    sizing = tmp_path / "sizing.json"
    sizing.write_text(json.dumps(data), encoding="utf-8")
    result = fee("--sizing", str(sizing), "--rates", CARD, "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    shown = "200 fresh days (seed 1000003): 未全部达标 NOT all met (finance_wait_p90)"
    assert shown in result.output
    wb = load_workbook(tmp_path / "o" / "fee_plan.xlsx")
    cells = [str(c) for row in wb["假设 assumptions"].iter_rows(values_only=True) for c in row]
    assert "finance_wait_p90 <= 10: MISSES (fresh 0.9, level 0.95)" in cells


def test_an_event_scenario_as_the_office_gets_a_note(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["fee", str(ROOT / "scenarios" / "launch_day_800.yaml"),
                                       "--out", str(tmp_path)])  # fmt: skip
    assert result.exit_code == 0
    assert "is an event day (event:); its office staffing is the baseline" in result.stderr


def test_a_post_the_card_does_not_price_is_left_unbilled_with_a_warning(tmp_path: Path) -> None:
    """Issue 11: a card that leaves out a post the plan staffs still works for every other
    post; the left-out post is named in a warning and billed nowhere (plug-in post kinds)."""
    card = str(ROOT / "tests" / "fixtures" / "ratecard_without_gift.yaml")
    full = fee("--sizing", SIZING, "--out", str(tmp_path / "full"))
    short = fee("--sizing", SIZING, "--rates", card, "--out", str(tmp_path / "short"))
    assert short.exit_code == 0, short.output
    assert "does not price post 'gift'" in short.stderr and "礼品台" in short.stderr
    assert "does not price" not in full.stderr
    billed = {(r["section"], r["post"]): Decimal(r["amount"])
              for r in rows(tmp_path / "full") if r["amount"]}  # fmt: skip
    without = {(r["section"], r["post"]): Decimal(r["amount"])
               for r in rows(tmp_path / "short") if r["amount"]}  # fmt: skip
    gift = {k: v for k, v in billed.items() if k[1] == "gift"}
    assert gift and all(k[0].startswith("event") for k in gift)  # the example card bills it
    assert without == {k: v for k, v in billed.items() if k[1] != "gift"}


def test_size_then_fee_bills_only_property_posts(tmp_path: Path) -> None:
    """End to end: `salesim size` writes each post's payer; `salesim fee` bills the property
    company's extra people (here sign_in, set to `payer: property`) and lists the developer's
    selection desk with amount 0."""
    import json

    import yaml

    scenario = yaml.safe_load((ROOT / "tests" / "fixtures" / "bad" / "_base_event.yaml")
                              .read_text(encoding="utf-8"))  # fmt: skip
    scenario["event"]["desks"][0]["payer"] = "property"
    scenario["event"]["desks"][0]["headcount"] = [{"from": "09:00", "count": 1}]
    scenario["event"]["desks"][1]["headcount"] = [{"from": "10:00", "count": 1}]
    scenario["event"]["desks"][1]["cap"] = 12
    scenario["event"]["sizing"]["targets"].append(
        {"kpi": "selection_wait_p90", "op": "<=", "value": 5})
    path = tmp_path / "event.yaml"
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    sized = CliRunner().invoke(main, ["size", str(path), "--out", str(tmp_path / "s"), "-n", "20",
                                      "--workers", "1", "--no-plots", "--validate-days", "0"])
    assert sized.exit_code == 0, sized.output
    assert sized.output.index("物业选配岗位") < sized.output.index("开发商/代理岗位")
    assert "中小型活动 small/medium" in sized.output
    assert "等候区座位 waiting-area seats" in sized.output
    data = json.loads((tmp_path / "s" / "sizing.json").read_text(encoding="utf-8"))
    payer = {r["post"]: r["payer"] for r in data["headcount"]}
    assert payer == {"sign_in": "property", "selection": "developer"}
    extra = {p: sum(r["extra"] for r in data["headcount"] if r["post"] == p) for p in payer}
    assert extra["sign_in"] > 0 and extra["selection"] > 0  # both sized above their baseline
    result = fee("--sizing", str(tmp_path / "s" / "sizing.json"), "--rates", CARD,
                 "--out", str(tmp_path / "f"))
    assert result.exit_code == 0, result.output
    event = {r["post"]: r for r in rows(tmp_path / "f") if r["section"] == "event"}
    # the example card books event staff by the day (issue 19): the cheapest roster of the
    # extra people is one day shift per person at the busiest block, each at 8 h × 50 元
    peak = max(r["extra"] for r in data["headcount"] if r["post"] == "sign_in")
    assert event["sign_in"]["amount"] == f"{peak * 400:.2f}"
    assert (event["selection"]["billed"], event["selection"]["amount"]) == ("no", "0.00")
    assert sum(Decimal(r["amount"]) for r in event.values()) == peak * 400
    # the same file without its roster (written before issue 19) is billed as before:
    # 60-minute blocks at 50 元 per person-hour for the property's sign-in desk
    del data["roster"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    again = fee("--sizing", str(old), "--rates", CARD, "--out", str(tmp_path / "g"))
    assert again.exit_code == 0, again.output
    event = {r["post"]: r for r in rows(tmp_path / "g") if r["section"] == "event"}
    assert event["sign_in"]["amount"] == f"{extra['sign_in'] * 50:.2f}"


def test_the_screen_opens_with_the_bill_and_the_surcharge(with_sizing: tuple[Result, Path]) -> None:
    """Issue 15 item 1: the monthly bill with the event surcharge comes before the detail."""
    result, _ = with_sizing
    lines = [line for line in result.output.splitlines()
             if line.strip() and not line.startswith("salesim:")]  # stderr notes aside
    assert lines[0].startswith("月度账单 monthly bill:")
    assert "本月活动附加费 event surcharge" in lines[0]  # the sizing's surcharge is in the bill
    assert any(line.startswith("收费方案 Fee plan") for line in lines[1:])  # then the detail
