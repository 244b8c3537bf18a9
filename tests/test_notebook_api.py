"""The notebook API (issue 16, item 5): DataFrames with named columns and labelled KPIs, and
the worked example of docs/notebook.md runs as written."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest

from sim import compare, load_scenario, run
from sim.domain.kpis import describe_kpi
from sim.domain.results import VISIT_COLUMNS
from tests.helpers import ROOT, SCENARIOS


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return run(load_scenario(SCENARIOS / "weekday.yaml"), replications=3, seed=2, workers=1)


def test_summary_frame_has_every_kpi_with_labels_and_unit(result) -> None:  # type: ignore[no-untyped-def]
    frame = result.to_frame()
    assert list(frame.index) == list(result.summary)
    assert list(frame.columns) == [
        "zh", "en", "unit", "section", "mean", "ci_low", "ci_high", "half_width", "n",
    ]  # fmt: skip
    for key, row in frame.iterrows():
        kpi, est = describe_kpi(str(key)), result.summary[key]
        assert (row.zh, row.en, row.unit) == (kpi.zh, kpi.en, kpi.unit)
        assert row["mean"] == pytest.approx(est.mean, nan_ok=True)
        assert row["n"] == est.n


def test_days_frame_is_the_per_day_kpis(result) -> None:  # type: ignore[no-untyped-def]
    days = result.days_frame()
    assert days.index.name == "replication" and len(days) == 3
    assert list(days["groups_arrived"]) == result.kpi_values("groups_arrived")
    # the mean over the days is the summary's mean
    assert days["wait_rep_mean"].mean() == pytest.approx(result.summary["wait_rep_mean"].mean)


def test_tables_have_named_columns_and_all_rows(result) -> None:  # type: ignore[no-untyped-def]
    visits = result.table("visits")
    assert list(visits.columns) == ["replication", *VISIT_COLUMNS]
    assert len(visits) == sum(len(d.tables.visits) for d in result.days)
    assert sorted(visits["replication"].unique()) == [0, 1, 2]
    reps = result.table("reps")
    assert len(reps) == 3 * len(result.scenario.reps)
    with pytest.raises(KeyError, match="no table 'visit'; tables: visits"):
        result.table("visit")


def test_comparison_frame_rows_per_kpi_and_variant(result) -> None:  # type: ignore[no-untyped-def]
    other = run(result.scenario, replications=3, seed=2, workers=1, policy="longest_idle")
    frame = compare([result, other], ["a", "b"]).to_frame()
    assert frame.index.names == ["kpi", "variant"]
    assert len(frame) == 2 * len(result.summary)
    base, b = frame.loc[("wait_rep_mean", "a")], frame.loc[("wait_rep_mean", "b")]
    assert base["diff_mean"] is None or base["diff_mean"] != base["diff_mean"]  # none for the base
    assert b["diff_mean"] == pytest.approx(b["mean"] - base["mean"])


def test_docs_notebook_example_runs_as_written() -> None:
    """Every example of docs/notebook.md, with its printed output (doctest)."""
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        outcome = doctest.testfile(
            str(ROOT / "docs" / "notebook.md"), module_relative=False,
            optionflags=doctest.NORMALIZE_WHITESPACE,
        )  # fmt: skip
    finally:
        os.chdir(cwd)
    assert outcome.attempted >= 10
    assert outcome.failed == 0
