"""Calibration: the Yancheng team of 20 and its published annual cost (PARAMETERS.md §4).

The expectations are the published figures of the Yancheng 2020s template (szcn-led 52765),
never a run of the code: supervisor 1, customer service 4, concierge lead 1, concierge 4,
cleaners 10, costing 1,526,844 元 a year; the all-in costs per person 12,285 / 9,450 / 9,985 /
9,592 / 2,880. scenarios/yancheng_office.yaml and ratecards/yancheng_calibration.yaml model
that office; the fee plan must give the same team and come within 2 % of the published cost.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.fee.assemble import make_plan
from sim.fee.plan import FeePlan
from sim.fee.ratecard import load_card
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "yancheng_office.yaml"
CARD = ROOT / "ratecards" / "yancheng_calibration.yaml"

PUBLISHED_ANNUAL = Decimal("1526844")  # 元 a year, the team of 20
TOLERANCE = Decimal("0.02")
# job -> (people, all-in 元 a person a month), as published; the plan's team or post per job
PUBLISHED_TEAM = {
    "duty_manager": ("supervisor 案场主管", 1, 12285),
    "cs": ("customer service 客服专员", 4, 9450),
    "butler": ("concierge lead 礼宾领班", 1, 9985),
    "concierge": ("concierge 礼宾", 4, 9592),
    "cleaner": ("cleaner 保洁", 10, 2880),
}


@pytest.fixture(scope="module")
def plan() -> FeePlan:
    return make_plan(load_card(CARD), load_scenario(SCENARIO), str(SCENARIO))


def build_up_lines(plan: FeePlan) -> list[str]:
    """The plan's build-up per job, as a planner reads it (shown when the test fails)."""
    out = []
    for b in plan.baseline:
        if not b.billed:
            continue
        posts = "+".join(c.post for c in b.posts)
        out.append(f"{b.team}: {posts} {b.positions} positions, {b.covered} h/month ÷ "
                   f"{b.posts[0].person.total} h = FTE {b.fte} → {b.heads} heads × "
                   f"{b.unit} = {b.monthly} 元/month")  # fmt: skip
    out.append(f"total {plan.baseline_monthly} 元/month × 12 = {plan.period_total} 元/year; "
               f"published {PUBLISHED_ANNUAL}")  # fmt: skip
    return out


def test_the_published_team_of_20(plan: FeePlan) -> None:
    lines = {b.team: b for b in plan.baseline if b.billed}
    shown = "\n".join(build_up_lines(plan))
    assert set(lines) == set(PUBLISHED_TEAM), shown
    for team, (job, people, all_in) in PUBLISHED_TEAM.items():
        assert lines[team].heads == people, f"{job}\n{shown}"
        assert abs(lines[team].unit - all_in) < 1, f"{job}\n{shown}"  # the template's rounding
    assert plan.baseline_heads == 20


def test_the_published_annual_cost_within_two_percent(plan: FeePlan) -> None:
    shown = "\n".join(build_up_lines(plan))
    assert plan.optional == () and plan.event is None
    assert abs(plan.period_total - PUBLISHED_ANNUAL) <= PUBLISHED_ANNUAL * TOLERANCE, shown
    # the published all-in figures are whole 元: the team's monthly cost from them is
    # 12,285 + 4 × 9,450 + 9,985 + 4 × 9,592 + 10 × 2,880 = 127,238 (× 12 = 1,526,856, 12 元
    # from the published total); the plan's unrounded all-in costs stay within 1 元 a person
    published_monthly = sum(people * all_in for _, people, all_in in PUBLISHED_TEAM.values())
    assert abs(plan.baseline_monthly - published_monthly) <= 20  # 20 people × < 1 元


def test_the_cli_prints_the_build_up(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["fee", str(SCENARIO), "--rates", str(CARD),
                                       "--out", str(tmp_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    # concierge 3 positions × 8.5 h × 30.42 days = 775.71 h ÷ 202.47 h = 3.83 → 4; cleaners
    # 7 × 8 h × 30.42 = 1,703.52 h ÷ 173.81 h = 9.80 → 10; the supervisor and lead per person
    for text in ("班组 concierge", "4 = ⌈3.83⌉", "10 = ⌈9.80⌉", "1 按人", "202.47", "173.81"):
        assert text in result.stdout, text
    # all-in costs checked by hand in test_fee_buildup.py: 12,284.51 + 4 × 9,450.40 + 9,985.12
    # + 4 × 9,591.98 + 10 × 2,880.00 = 127,239.15 a month, 1,526,869.80 a year
    assert "127,239.15" in result.stdout and "1,526,869.80" in result.stdout
