"""The answer a report opens with (issue 15 items 1, 2, 6): the scenario's targets judged, the
comparison's verdict with its evidence, readable variant names, and terminal output that fits
80 columns without cutting a number.

The verdict tests use a deterministic day (three groups booked at 10:00, 30 minutes each, no
randomness): with 1, 2 or 3 reps they wait 0+30+60, 0+0+30 and 0 minutes, so the mean wait is
30, 10 and 0 minutes on every day — the expected verdicts follow by hand.
"""

from __future__ import annotations

import math
import re

import pytest
import yaml
from rich.console import Console

from sim.core.stats import Estimate
from sim.domain.kpis import BY_KEY
from sim.experiment.pairing import compare
from sim.experiment.runner import RunResult, run
from sim.experiment.variants import build_variants, parse_vary
from sim.report.answer import decide, is_blank, shown_keys, top_keys, variant_size
from sim.report.compare_terminal import compare_answer, diff_style
from sim.report.fmt import fmt
from sim.report.names import display_name
from sim.report.targets import ReportTarget, judge, scenario_targets
from sim.report.terminal import run_answer
from sim.report.verdict import verdict_lines
from sim.scenario import load_scenario
from tests.helpers import SCENARIOS, fixed_trace_scenario

FIXTURES = SCENARIOS.parent / "tests" / "fixtures"

WAIT_MEAN = "wait_rep_mean"
Trace = tuple[list[RunResult], list[str], list[float]]


@pytest.fixture(scope="module")
def trace_runs() -> Trace:
    scenario = fixed_trace_scenario(["10:00", "10:00", "10:00"], 1, 30)
    variants = build_variants(scenario, [], [parse_vary("reps=1,2,3")])
    runs = [run(v.scenario, replications=3, seed=0, workers=1) for v in variants]
    return runs, [v.label for v in variants], [variant_size(v.changes) for v in variants]


def _target(value: float, kpi: str = WAIT_MEAN, op: str = "<=") -> ReportTarget:
    return ReportTarget(kpi, op, value, "test")  # type: ignore[arg-type]


def test_the_trace_waits_are_the_hand_computed_ones(trace_runs: Trace) -> None:
    runs, _labels, sizes = trace_runs
    assert [r.summary[WAIT_MEAN].mean for r in runs] == [30.0, 10.0, 0.0]
    assert sizes == [1.0, 2.0, 3.0]


def test_service_standards_are_the_office_targets_when_none_are_stated() -> None:
    """The issue-13 weekend has no office_sizing section; its service standards (targets: 5 /
    10 / 10 minutes) are judged on the P90 waits."""
    targets = scenario_targets(load_scenario(FIXTURES / "weekend_issue13.yaml"))
    assert [(t.kpi, t.op, t.value) for t in targets] == [
        ("wait_rep_p90", "<=", 5.0), ("vip_wait_p90", "<=", 10.0), ("house_wait_p90", "<=", 10.0),
    ]  # fmt: skip


def test_office_sizing_targets_replace_the_standards() -> None:
    """weekend.yaml's office_sizing targets, as its YAML states them, then one per staffed post."""
    path = SCENARIOS / "weekend.yaml"
    section = yaml.safe_load(path.read_text(encoding="utf-8"))["office_sizing"]
    keys = ["post.water_bar.over_target", "post.gate.over_target", "wait_rep_mean"]
    targets = scenario_targets(load_scenario(path), keys)
    stated = [(t["kpi"], t["op"], float(t["value"])) for t in section["targets"]]
    limit = float(section["post_over_target_max"])
    per_post = [("post.gate.over_target", "<=", limit), ("post.water_bar.over_target", "<=", limit)]
    assert [(t.kpi, t.op, t.value) for t in targets] == [*stated, *per_post]


def test_event_targets_come_from_the_sizing_section() -> None:
    targets = scenario_targets(load_scenario(SCENARIOS / "launch_day_800.yaml"))
    assert [(t.kpi, t.value) for t in targets] == [
        ("sign_in_wait_p90", 10.0), ("selection_wait_p90", 5.0), ("finance_wait_p90", 10.0),
        ("contract_wait_p90", 15.0), ("gift_wait_p90", 5.0),
    ]  # fmt: skip
    assert {t.source for t in targets} == {"event.sizing.targets"}


@pytest.mark.parametrize(
    ("mean", "half", "op", "status"),
    [
        (4.0, 0.5, "<=", "met"),  # [3.5, 4.5] all within 5
        (4.0, 2.0, "<=", "borderline"),  # mean within, CI [2, 6] crosses 5
        (6.0, 0.5, "<=", "missed"),
        (6.0, 0.5, ">=", "met"),  # [5.5, 6.5] all at least 5
        (math.nan, math.nan, "<=", "unknown"),  # no day measured it
    ],
)
def test_a_target_is_judged_on_the_mean_and_its_interval(
    mean: float, half: float, op: str, status: str
) -> None:
    est = Estimate(mean, half, 0 if math.isnan(mean) else 10, 1.0)
    assert judge(_target(5.0, op=op), est).status == status


def test_an_unbounded_day_misses_an_upper_target() -> None:
    assert judge(_target(5.0), Estimate(1.0, 0.1, 9, 0.1), unbounded_days=1).status == "missed"


def test_verdict_names_the_smallest_variant_meeting_every_target(trace_runs: Trace) -> None:
    runs, labels, sizes = trace_runs
    verdict = decide(runs, labels, [_target(15.0)], sizes)  # 30 misses; 10 and 0 meet
    assert (verdict.kind, verdict.winner) == ("smallest", "reps=2")
    assert verdict.smaller_missed == {"reps=1": [WAIT_MEAN]}
    lines = verdict_lines(verdict, "zh")
    assert lines[0] == "结论：达到全部目标的最小方案是「置业顾问 2人」"
    assert any("置业顾问 1人" in line and "未达标" in line for line in lines[1:])


def test_verdict_names_the_significantly_better_variant_with_paired_evidence(
    trace_runs: Trace,
) -> None:
    runs, labels, _sizes = trace_runs
    verdict = decide(runs[1:], labels[1:], [_target(100.0)])  # both meet; no sizes given
    assert (verdict.kind, verdict.winner) == ("better", "reps=3")
    (evidence,) = verdict.evidence
    assert (evidence.kpi, evidence.other) == (WAIT_MEAN, "reps=2")
    assert evidence.diff.mean == -10.0 and evidence.diff.significant  # 0 - 10 every day
    assert "比「置业顾问 2人」等待顾问平均时长 -10.00 [-10.00, -10.00]" in verdict_lines(verdict)[1]


def test_verdict_when_no_variant_meets_every_target(trace_runs: Trace) -> None:
    runs, labels, sizes = trace_runs
    verdict = decide(runs, labels, [_target(-1.0)], sizes)  # no wait is below zero
    assert (verdict.kind, verdict.winner) == ("none_meets", "reps=3")  # better than both
    assert {e.other for e in verdict.evidence} == {"reps=1", "reps=2"}


def test_verdict_when_the_variants_do_not_differ(trace_runs: Trace) -> None:
    runs, _labels, _sizes = trace_runs
    verdict = decide([runs[0], runs[0]], ["a", "b"], [_target(100.0)])
    assert (verdict.kind, verdict.winner) == ("no_difference", None)


def test_blank_kpis_are_hidden_and_the_headline_starts_with_the_targets(trace_runs: Trace) -> None:
    runs, _labels, _sizes = trace_runs
    assert is_blank([0.0, math.nan, 0.0]) and not is_blank([0.0, math.inf])
    shown = shown_keys(runs)
    assert "vip_wait_mean" not in shown  # no VIP rooms on the trace day
    assert "groups_lost" not in shown  # nobody leaves: patience is unlimited
    assert WAIT_MEAN in shown and "groups_arrived" in shown
    top = top_keys(runs, [_target(5.0, "receptions_gini")])
    assert top[0] == "receptions_gini" and "groups_lost" not in top


@pytest.mark.parametrize(
    ("label", "zh", "en"),
    [
        ("vip_rooms.count=3", "VIP室 3间", "3 VIP rooms"),
        ("longfor · reps=8", "龙湖轮序 · 置业顾问 8人", "Longfor rulebook · 8 reps"),
        ("round_robin", "顺序轮流", "plain rotation"),
        ("2. longfor", "2. 龙湖轮序", "2. Longfor rulebook"),
    ],
)
def test_variant_names_are_readable(label: str, zh: str, en: str) -> None:
    assert (display_name(label), display_name(label, "en")) == (zh, en)


def _width80(renderable: object) -> str:
    console = Console(width=80, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_run_terminal_fits_80_columns_with_every_number_whole(trace_runs: Trace) -> None:
    result = trace_runs[0][0]
    targets = [_target(15.0), _target(0.5, "lost_share")]
    for lang in ("zh", "en"):
        for show_all in (False, True):
            text = _width80(run_answer(result, targets, show_all, lang))  # type: ignore[arg-type]
            assert "…" not in text
            for key in shown_keys([result]):  # every shown mean appears whole
                est = result.summary[key]
                if show_all or key in top_keys([result], targets):
                    assert fmt(est.mean, BY_KEY[key].unit) in text, (lang, key)
    assert re.search(r"wait_rep_mean +≤ 15 分钟 +30\.00 \[30\.00, 30\.00\] +✗ 未达标",
                     _width80(run_answer(result, targets)))  # fmt: skip


def test_compare_terminal_fits_80_columns_and_colours_by_direction(trace_runs: Trace) -> None:
    runs, labels, sizes = trace_runs
    comparison = compare(runs, labels)
    verdict = decide(runs, labels, [_target(15.0)], sizes)
    keys = shown_keys(runs)
    text = _width80(compare_answer(comparison, verdict, keys, 0, "trace", "zh"))
    assert "…" not in text
    assert "-20.00 [-20.00, -20.00] *" in text  # reps=2 minus reps=1 mean wait, whole
    assert (
        text.rstrip().splitlines()[-1].strip() == "更小的「置业顾问 1人」未达标：等待顾问平均时长"
    )
    d = comparison.diffs[WAIT_MEAN][1]
    assert d is not None and diff_style(WAIT_MEAN, d) == "green"  # less waiting: better
    served = comparison.diffs["groups_arrived"][1]
    assert served is not None and diff_style("groups_arrived", served) == "dim"  # equal: n.s.


def test_many_targets_are_rows_of_the_compare_matrix(trace_runs: Trace) -> None:
    """Five targets and two variants: each target is one row (label, target, one mark and
    mean per variant), so every mean shows whole at 80 columns (issue 15 item 6)."""
    runs, labels, sizes = trace_runs
    targets = [_target(v) for v in (5.0, 10.0, 15.0, 25.0)] + [_target(0.5, "lost_share")]
    verdict = decide(runs[:2], labels[:2], targets, sizes[:2])
    text = _width80(compare_answer(compare(runs[:2], labels[:2]), verdict,
                                   shown_keys(runs[:2]), 0, "trace", "zh"))  # fmt: skip
    assert "…" not in text
    rows = [line for line in text.splitlines() if line.lstrip().startswith("等待顾问平均时长")]
    assert len(rows) >= 4  # one row per wait target (a KPI table row may add one more)
    assert re.search(r"≤ 15 分钟 +✗ 30\.00 +✓ 10\.00", text)  # reps=1 misses, reps=2 meets


def test_verdict_names_the_beaten_variant_when_two_tie(trace_runs: Trace) -> None:
    """reps=2 twice (identical days) and reps=1: no single best, but reps=1 waits 20 minutes
    longer than reps=2 on every day (30 - 10), and the verdict says so."""
    runs, _labels, _sizes = trace_runs
    verdict = decide([runs[1], runs[1], runs[0]], ["a", "b", "c"], [_target(100.0)])
    assert (verdict.kind, verdict.winner) == ("no_difference", None)
    ((better, lead),) = verdict.beaten
    assert (better, lead.other, lead.kpi, lead.diff.mean) == ("a", "c", WAIT_MEAN, -20.0)
    assert (
        "「c」比「a」显著更差：等待顾问平均时长 +20.00 [+20.00, +20.00]"
        in verdict_lines(verdict)[1]
    )
