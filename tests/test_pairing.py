"""Paired comparison statistics, checked against numbers worked out by hand."""

from __future__ import annotations

import math

import pytest

from sim.experiment.pairing import compare, comparison_dict, comparison_rows, paired_difference
from sim.experiment.runner import RunResult, run
from sim.experiment.variants import build_variants, parse_vary
from sim.report.fmt import fmt, fmt_interval
from sim.scenario import load_scenario
from tests.helpers import SCENARIOS

# Student-t critical values t(0.975, df) from a printed table.
T_975 = {1: 12.7062, 3: 3.1824, 4: 2.7764}


def test_paired_difference_by_hand() -> None:
    base = [10, 12, 9, 11, 13]
    other = [8, 11, 9, 9, 10]
    # d = other - base = [-2, -1, 0, -2, -3]; mean = -8/5 = -1.6
    # squared deviations from -1.6: 0.16 + 0.36 + 2.56 + 0.16 + 1.96 = 5.2; s² = 5.2/4 = 1.3
    # half-width = t(0.975, 4) * sqrt(1.3 / 5) = 2.7764 * 0.509902 = 1.41571
    d = paired_difference(base, other)
    assert d.n == 5
    assert d.mean == pytest.approx(-1.6)
    assert d.sd == pytest.approx(math.sqrt(1.3))
    assert d.half_width == pytest.approx(1.41571, abs=1e-4)
    assert d.low == pytest.approx(-3.01571, abs=1e-4)
    assert d.high == pytest.approx(-0.18429, abs=1e-4)
    assert d.significant  # [-3.02, -0.18] excludes 0
    # t = -1.6 / 0.509902 = -3.1379 on 4 df: two-sided p = 0.0349 (t table: between 0.02 and 0.05)
    assert d.p_value == pytest.approx(0.0349, abs=5e-4)


def test_interval_containing_zero_is_not_significant() -> None:
    # d = [1, -1, 2, -2]: mean 0, s² = (1 + 1 + 4 + 4) / 3 = 10/3
    d = paired_difference([0, 0, 0, 0], [1, -1, 2, -2])
    assert d.mean == 0
    assert d.half_width == pytest.approx(T_975[3] * math.sqrt(10 / 3 / 4), abs=1e-3)
    assert not d.significant
    assert d.p_value == pytest.approx(1.0)


def test_pairs_with_a_missing_value_are_dropped() -> None:
    # pairs (1, 2) and (3, 5) remain: d = [1, 2], mean 1.5, s = 0.70711, n = 2
    d = paired_difference([1.0, math.nan, 3.0], [2.0, 5.0, 5.0])
    assert d.n == 2
    assert d.mean == pytest.approx(1.5)
    assert d.half_width == pytest.approx(T_975[1] * 0.70711 / math.sqrt(2), abs=1e-3)
    assert not d.significant  # [-4.85, 7.85]


def test_identical_differences_and_degenerate_samples() -> None:
    same = paired_difference([1, 2, 3], [2, 3, 4])  # d = 1 every day: zero-width interval
    assert (same.mean, same.half_width, same.significant) == (1.0, 0.0, True)
    zero = paired_difference([1, 2, 3], [1, 2, 3])
    assert (zero.mean, zero.half_width, zero.significant) == (0.0, 0.0, False)
    one = paired_difference([1.0], [3.0])
    assert one.mean == 2.0 and math.isnan(one.half_width) and not one.significant
    empty = paired_difference([math.nan], [1.0])
    assert empty.n == 0 and math.isnan(empty.mean) and not empty.significant
    with pytest.raises(ValueError, match="differ in length"):
        paired_difference([1, 2], [1])


def test_formatting_of_values_and_differences() -> None:
    assert fmt(0.1234, "share") == "12.3%"
    assert fmt(-0.0123, "share", signed=True) == "-1.2 pp"
    assert fmt(2.5, "min", signed=True) == "+2.50"
    assert fmt(3.0, "groups") == "3.0" and fmt(0.0891, "ratio") == "0.089"
    assert fmt(math.nan, "min") == "—"
    assert fmt_interval(-1.0, 2.0, "groups") == "[0.0, 2.0]"  # KPIs are never negative
    assert fmt_interval(-1.0, 2.0, "groups", signed=True) == "[-1.0, +2.0]"


def _tiny_runs(seed: int = 3) -> tuple[list[str], list[RunResult]]:
    scenario = load_scenario(SCENARIOS / "weekend.yaml")
    variants = build_variants(scenario, [], [parse_vary("reps=8,12")])
    runs = [run(v.scenario, replications=4, seed=seed, policy=v.policy) for v in variants]
    return [v.label for v in variants], runs


def test_compare_pairs_replications_with_common_random_numbers() -> None:
    labels, runs = _tiny_runs()
    comparison = compare(runs, labels)
    assert comparison.base == "reps=8" and comparison.replications == 4
    # the same visitors arrive whatever the staffing: the paired difference is exactly 0
    arrived = comparison.diffs["groups_arrived"][1]
    assert arrived is not None and arrived.mean == 0 and arrived.half_width == 0
    # the paired difference equals the mean of the per-day differences computed by hand
    days = zip(runs[0].days, runs[1].days, strict=True)
    by_hand = [b.kpis["groups_lost"] - a.kpis["groups_lost"] for a, b in days]
    lost = comparison.diffs["groups_lost"][1]
    assert lost is not None and lost.mean == pytest.approx(sum(by_hand) / 4)
    assert comparison.diffs["groups_lost"][0] is None
    rows = comparison_rows(comparison)
    assert len(rows) == 2 * len(comparison.estimates)
    data = comparison_dict(comparison)
    assert set(data["kpis"]["wait_rep_mean"]["variants"]) == {"reps=8", "reps=12"}
    assert set(data["kpis"]["wait_rep_mean"]["diff"]) == {"reps=12"}


def test_compare_refuses_unpaired_runs() -> None:
    labels, runs = _tiny_runs()
    _, other_seed = _tiny_runs(seed=4)
    with pytest.raises(ValueError, match="different seeds"):
        compare([runs[0], other_seed[1]], labels)
    with pytest.raises(ValueError, match="unique"):
        compare(runs, ["a", "a"])
