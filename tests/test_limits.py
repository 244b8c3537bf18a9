"""Limits on the work a command may start (issue 18 item 1), checked before work starts.

Expected loads are worked by hand from the scenario's figures: a rate R groups an hour from
09:00 to 18:00 brings 9 R walk-ins, plus the booked appointments and the delegations a day.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from sim.cli import main
from sim.cli.common import check_limits
from sim.core.guards import MAX_DEPTH
from sim.scenario import validate_scenario
from sim.scenario.limits import MAX_DAYS, MAX_GROUPS_A_DAY, MAX_WORK, day_load
from tests.helpers import ROOT, said, scenario_dict


def weekday(rate: float, calls: float = 3.0) -> dict[str, Any]:
    data = scenario_dict("weekday")
    data["arrivals"]["walk_in"] = [{"from": "09:00", "rate": rate}]
    data["staffing"]["phones"]["calls"] = [{"from": "09:00", "rate": calls}]
    return data


def extra(data: dict[str, Any]) -> float:
    """Appointments and delegations of the weekday scenario, from its own figures."""
    return data["arrivals"]["appointments"]["count"] + data["staffing"]["delegations"]["per_day"]


def test_day_load_by_hand() -> None:
    """9 hours at 100 groups an hour, plus appointments and delegations; 9 × 60 calls."""
    data = weekday(100, calls=60)
    load = day_load(validate_scenario(data, "t"))
    assert load.visitors == pytest.approx(900 + extra(data))
    assert load.calls == pytest.approx(540)


def invoke(tmp_path: Path, data: dict[str, Any] | None, *args: str) -> tuple[int, str]:
    path = ROOT / "scenarios" / "weekday.yaml"
    if data is not None:
        path = tmp_path / "s.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [*args[:1], str(path), *args[1:], "--out", str(out)])
    assert not out.exists(), "refused work must write nothing"
    return result.exit_code, result.output


def test_a_day_beyond_the_limit_is_refused_before_any_work(tmp_path: Path) -> None:
    """600 groups an hour is 5,400 a day, over the 5,000 limit: exit 2, one line, no output."""
    rate = 600
    assert 9 * rate + extra(weekday(rate)) > MAX_GROUPS_A_DAY
    code, output = invoke(tmp_path, weekday(rate), "run", "-n", "1")
    assert code == 2
    assert "arrivals: about 5,4" in output and f"{MAX_GROUPS_A_DAY:,}" in output
    assert "--allow-large" in output


def test_too_many_calls_a_day_are_refused(tmp_path: Path) -> None:
    code, output = invoke(tmp_path, weekday(2, calls=1000), "run", "-n", "1")
    assert code == 2 and "staffing.phones.calls: about 9,000 calls a day" in output


@pytest.mark.parametrize(
    ("args", "before"),
    [
        (["run", "-n", str(MAX_DAYS + 1)], f"--replications {MAX_DAYS + 1:,}: "),
        (["run", "--target", "wait_rep_mean=0.1", "--max-replications", "50000"],
         "--max-replications 50,000: "),
        (["compare", "-n", "1000000000"], "--replications 1,000,000,000: "),
    ],
)  # fmt: skip
def test_too_many_days_are_refused(args: list[str], before: str, tmp_path: Path) -> None:
    code, output = invoke(tmp_path, None, *args)
    assert code == 2 and said(output, before, "more than") and "--allow-large" in output


def test_too_much_work_in_all_is_refused(tmp_path: Path) -> None:
    """800 visitors × (7,000 search + 0 validation days) = 5,600,000 > 5,000,000."""
    assert MAX_WORK < 800 * 7000
    path = ROOT / "scenarios" / "launch_day_800.yaml"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["size", str(path), "-n", "7000", "--validate-days", "0",
                                       "--out", str(out)])  # fmt: skip
    assert result.exit_code == 2 and "= 5,600,000 visitors to simulate" in result.output
    assert not out.exists()


def test_workers_are_capped_even_with_allow_large(tmp_path: Path) -> None:
    code, output = invoke(tmp_path, None, "run", "-w", "100000", "--allow-large")
    assert code == 2 and said(output, "--workers 100,000: ", "at most 256")


def test_allow_large_lifts_the_refusable_limits() -> None:
    """The same figures pass the check with --allow-large (the work itself is not started)."""
    sc = validate_scenario(weekday(600, calls=1000), "t")
    check_limits([sc], "t", {"--replications": MAX_DAYS + 1}, MAX_DAYS + 1, allow_large=True)
    with pytest.raises(SystemExit):
        check_limits([sc], "t", {"--replications": 1}, 1, allow_large=False)


def test_deep_nesting_and_control_characters_are_clean_errors(tmp_path: Path) -> None:
    """A sizing file nested 100,000 deep (the JSON parser's RecursionError), a YAML scenario
    nested deeper than the limit, and a NUL in a rep's name: one line each, exit 2."""
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    fee = ["fee", str(ROOT / "scenarios" / "weekday.yaml"), "--sizing", str(deep)]
    result = CliRunner().invoke(main, [*fee, "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and f"nested more than {MAX_DEPTH} levels" in result.output
    data = scenario_dict("weekday")
    nested: Any = "x"
    for _ in range(MAX_DEPTH + 2):
        nested = [nested]
    data["description"] = nested
    code, output = invoke(tmp_path, data, "run")
    assert code == 2 and f"nested more than {MAX_DEPTH} levels" in output
    data = scenario_dict("weekday")
    data["reps"][1]["name"] = "王\x00芳"
    code, output = invoke(tmp_path, data, "run")
    want = "reps[1].name = '王\\x00芳': 含有控制字符 contains the control character U+0000"
    assert code == 2 and want in output
