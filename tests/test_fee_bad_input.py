"""Bad rate cards and sizing files: one clear line naming file, line, field and value; exit 2.

Each ``tests/fixtures/bad_ratecards/<name>.yaml`` is ``ratecards/example_yancheng.yaml`` with
exactly one mistake (its first line says which, so line numbers are one more than in the
example). Sizing mistakes are made from ``tests/fixtures/sizing_launch_day.json``.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sim.cli import main
from tests.helpers import said

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "fixtures" / "bad_ratecards"
SIZING = ROOT / "tests" / "fixtures" / "sizing_launch_day.json"
EXAMPLE = ROOT / "ratecards" / "example_yancheng.yaml"
SCENARIO = str(ROOT / "scenarios" / "weekend.yaml")

# fixture, line (None: key absent), field path, value as shown (None: no value), allowed
CASES: list[tuple[str, int | None, str, str | None, str]] = [
    ("annual_leave_negative", 51, "working_time.annual_leave", "-5", "must be between 0 and 15"),
    ("booking_min_shift", 182, "booking.min_shift_hours", "30",
     "must be greater than 0 and at most 24"),
    ("booking_price_unknown_post", 186, "booking.prices.ushre", None,
     "unknown post (did you mean 'usher'?)"),
    ("booking_price_zero", 186, "booking.prices.usher", "0", "must be greater than 0"),
    ("booking_unit", 181, "booking.unit", "'week'", "must be one of hour, half_day, day"),
    ("billed_text", 118, "posts.reps.billed", "'maybe'", "must be true or false"),
    (
        "cover_value",
        103,
        "posts.duty_manager.cover",
        "'manager'",
        "must be one of position, person",
    ),
    ("days_per_week_eight", 49, "working_time.days_per_week", "8", "must be between 1 and 7"),
    (
        "default_product_type_unknown",
        133,
        "default_product_type",
        "'highrise'",
        "not a product type of this card (did you mean 'high_rise'?)",
    ),
    ("event_amount_zero", 125, "posts.gift.event_rate.amount", "0", "must be greater than 0"),
    ("event_per", 126, "posts.engineer.event_rate.per", "'week'", "must be one of hour, day"),
    (
        "fixed_post_unknown",
        166,
        "staffing_standard.fixed_posts.gaet",
        None,
        "unknown post (did you mean 'gate'?)",
    ),
    (
        "flat_and_build_up",
        99,
        "posts.cleaner.flat_monthly",
        "2880",
        "give either flat_monthly or the build-up (base_wage), not",
    ),
    (
        "hours_per_day_zero",
        48,
        "working_time.hours_per_day",
        "0",
        "must be greater than 0 and at most 12",
    ),
    (
        "money_decimals",
        104,
        "posts.duty_manager.base_wage",
        "5100.555",
        "must have at most 2 decimal places",
    ),
    ("months_zero", 33, "months", "0", "must be between 1 and 120"),
    ("negative_rate", 59, "posts.gate.base_wage", "-4200", "must be at least 0"),
    (
        "open_days_negative",
        45,
        "working_time.open_days.weekday",
        "-20.81",
        "must be between 0 and 31",
    ),
    (
        "open_days_over_month",
        44,
        "working_time.open_days",
        None,
        "weekday + weekend + holiday = 35.42: more than the 31 days",
    ),
    (
        "optional_both",
        138,
        "product_types.high_rise.optional_posts[0]",
        None,
        "give exactly one of heads (people) or positions (kept",
    ),
    (
        "optional_day_type",
        140,
        "product_types.high_rise.optional_posts[0].day_types[1]",
        "'holidays'",
        "must be one of weekday, weekend, holiday, event (did you",
    ),
    (
        "optional_hours_high",
        139,
        "product_types.high_rise.optional_posts[0].hours_per_day",
        "30",
        "must be at most 12",
    ),
    (
        "optional_positions_zero",
        149,
        "product_types.villa.optional_posts[1].positions",
        "0",
        "must be at least 1",
    ),
    (
        "optional_twice",
        151,
        "product_types.villa.optional_posts[2].post",
        "'guide'",
        "proposed twice for this product type",
    ),
    (
        "optional_unknown_post",
        148,
        "product_types.villa.optional_posts[1].post",
        "'guidd'",
        "unknown post (did you mean 'guide'?)",
    ),
    (
        "optional_unpriced",
        145,
        "product_types.villa.optional_posts[0].post",
        "'sign_in'",
        "posts.sign_in has no monthly rate (base_wage or",
    ),
    ("pct_negative", 39, "contingency_pct", "-3", "must be between 0 and 100"),
    ("pct_over_100", 41, "tax_pct", "672", "must be between 0 and 100"),
    (
        "post_terms_unknown_key",
        100,
        "posts.cleaner.working_time.weekend_overtime_dayz",
        None,
        "unknown key (did you mean 'weekend_overtime_days'?)",
    ),
    ("product_label_missing", 142, "product_types.villa.label_zh", None, "missing"),
    ("relief_low", 35, "relief_factor", "0.9", "must be between 1 and 3"),
    ("site_negative", 169, "site.hall", "-800", "must be at least 0"),
    ("social_base_bool", 36, "social_base", "true", "must be a number, not true/false"),
    ("source_missing", None, "source", None, "missing"),
    (
        "standard_area",
        161,
        "staffing_standard.rules[0].area",
        "'lobby'",
        "must be one of hall, offices, sample_houses, grounds",
    ),
    (
        "standard_m2_zero",
        161,
        "staffing_standard.rules[0].m2_per_post",
        "0",
        "must be greater than 0",
    ),
    (
        "statutory_holidays_text",
        50,
        "working_time.statutory_holidays",
        "'eleven'",
        "must be a whole number, between 0 and 15",
    ),
    (
        "team_differs",
        92,
        "posts.guide.team",
        "'concierge'",
        "posts of team 'concierge' relieve each other, so they need",
    ),
    ("team_empty", 79, "posts.water_bar.team", "''", "must not be empty"),
    ("unknown_key", 62, "posts.gate.welfair", None, "unknown key (did you mean 'welfare'?)"),
    ("unknown_post", 126, "posts.enginer", None, "unknown post (did you mean 'engineer'?)"),
    ("unknown_top_key", 35, "relief_facter", None, "unknown key (did you mean 'relief_factor'?)"),
    (
        "weekend_overtime_high",
        52,
        "working_time.weekend_overtime_days",
        "12",
        "must be between 0 and 10",
    ),
    ("working_time_missing", None, "working_time", None, "missing"),
    (
        "works_holidays_text",
        53,
        "working_time.works_holidays",
        "'sometimes'",
        "must be true or false",
    ),
]


def fee(*args: str) -> Result:
    """``salesim fee`` in-process (stdout and stderr kept apart)."""
    return CliRunner().invoke(main, ["fee", SCENARIO, *args], catch_exceptions=False)


def expected(source: Path, line: int | None, path: str, value: str | None) -> str:
    """The line's start, up to the explanation (its Chinese headline, then the English)."""
    where = f"{source}:{line}" if line is not None else str(source)
    shown = f" = {value}" if value is not None else ""
    return f"salesim: {where}: {path}{shown}: "


def test_every_fixture_has_a_case() -> None:
    names = {p.stem for p in BAD.glob("*.yaml")}
    assert names == {case[0] for case in CASES}


def test_fixtures_differ_from_the_example_in_one_place() -> None:
    example = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for path in BAD.glob("*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# BAD: "), path.name
        changes = difflib.SequenceMatcher(None, example, lines[1:], autojunk=False).get_opcodes()
        differences = [op for op in changes if op[0] != "equal"]
        assert len(differences) == 1, (path.name, differences)


@pytest.mark.parametrize(("name", "line", "path", "value", "allowed"), CASES)
def test_bad_rate_card(
    name: str, line: int | None, path: str, value: str | None, allowed: str, tmp_path: Path
) -> None:
    source = BAD / f"{name}.yaml"
    result = fee("--rates", str(source), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    start = expected(source, line, path, value)
    assert lines[0].startswith(start) and said(lines[0], start, allowed), lines[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def _sizing(tmp_path: Path, change: Any) -> Path:
    data = json.loads(SIZING.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "sizing.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _bad_sizing(path: Path) -> str:
    result = fee("--sizing", str(path), "--rates", str(EXAMPLE), "--out", str(path.parent / "o"))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_sizing_not_json(tmp_path: Path) -> None:
    path = tmp_path / "sizing.json"
    path.write_text('{"format": "salesim-sizing/1",\n "confidence": 0.95,,\n}', encoding="utf-8")
    assert _bad_sizing(path).startswith(f"salesim: {path}:2: 不是 JSON 文件 not a JSON file")


def test_sizing_wrong_format_tag(tmp_path: Path) -> None:
    path = _sizing(tmp_path, lambda d: d.update(format="salesim-sizing/2"))
    line = _bad_sizing(path)
    assert line == (f'salesim: {path}: format = "salesim-sizing/2": 应为 must be '
                    '"salesim-sizing/1" (see docs/sizing-result.md)')  # fmt: skip


def test_sizing_post_missing_from_the_card(tmp_path: Path) -> None:
    path = _sizing(tmp_path, lambda d: d["headcount"][3].update(post="porter"))
    line = _bad_sizing(path)
    assert line.startswith(f"salesim: {path}:")
    assert said(line, "headcount[3].post = 'porter': ", "not a post of the rate card")


def test_sizing_extra_not_total_minus_baseline(tmp_path: Path) -> None:
    path = _sizing(tmp_path, lambda d: d["headcount"][0].update(extra=5))
    line = _bad_sizing(path)
    assert said(line, "headcount[0].extra = 5: ", "must be total - baseline (4 - 2)"), line


def test_sizing_without_the_99_level(tmp_path: Path) -> None:
    path = _sizing(tmp_path, lambda d: d["headcount_at"].pop("0.99"))
    line = _bad_sizing(path)
    assert said(line, "headcount_at.0.99: ", "missing; headcount_at needs the levels 0.90, 0.99")


def test_sizing_missing_file(tmp_path: Path) -> None:
    assert _bad_sizing(tmp_path / "nope.json").endswith("nope.json: 找不到 no such sizing file")


def test_sized_post_without_event_rate_names_the_card_line(tmp_path: Path) -> None:
    rate = "    welfare: 1125\n    event_rate: {per: hour, amount: 55}\n  water_bar:"
    text = EXAMPLE.read_text(encoding="utf-8")
    assert rate in text
    text = text.replace(rate, "    welfare: 1125\n  water_bar:")  # the door has no event rate
    card = tmp_path / "card.yaml"
    card.write_text(text, encoding="utf-8")
    result = fee("--sizing", str(SIZING), "--rates", str(card), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    line_no = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("  door:"))
    assert result.stderr.startswith(
        f"salesim: {card}:{line_no}: posts.door.event_rate: 缺少此项 missing; the sizing file "
    )


def test_bad_area_option(tmp_path: Path) -> None:
    result = fee("--area", "lobby=100", "--out", str(tmp_path))
    assert result.exit_code == 2
    want = "--area lobby=100: 区域应为其中之一 the area must be one of hall, offices"
    assert want in result.stderr
    result = fee("--area", "hall=-3", "--out", str(tmp_path))
    assert result.exit_code == 2 and "at least 0" in result.stderr


@pytest.mark.parametrize(
    ("area", "before", "english"),
    [("hall=800.555", "--area: hall = '800.555': ", "must have at most 2 decimal places"),
     ("hall=-3", "--area: hall = '-3': ", "must be at least 0"),
     ("grounds=lots", "--area: grounds = 'lots': ", "must be a number"),
     ("lobby=100", "--area lobby=100: ",
      "the area must be one of hall, offices, sample_houses, grounds")],
)  # fmt: skip
def test_bad_area_is_one_line(area: str, before: str, english: str, tmp_path: Path) -> None:
    # 3 decimals used to escape as a pydantic ValidationError (a traceback)
    result = CliRunner().invoke(main, ["fee", SCENARIO, "--rates", str(EXAMPLE), "--area",
                                       "offices=300", "--area", area, "--out",
                                       str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"salesim: {before}") and said(lines[0], before, english), lines[0]
    assert not (tmp_path / "out").exists()


def test_missing_rate_card(tmp_path: Path) -> None:
    result = fee("--rates", str(tmp_path / "none.yaml"))
    assert result.exit_code == 2
    want = f"salesim: {tmp_path / 'none.yaml'}: 找不到 no such rate card file"
    assert result.stderr.strip() == want
