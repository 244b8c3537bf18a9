"""Parallel replications: same figures for 1 and N local workers and on a Dask cluster;
sequential stopping on a target half-width; clear errors for bad arguments."""

from __future__ import annotations

import gc
import json
import tracemalloc
import weakref
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.experiment import executor as executor_module
from sim.experiment.days import DaySeries, tabled_days
from sim.experiment.executor import Executor, Job, LocalPool, make_executor, replication_chunks
from sim.experiment.runner import RunResult, run
from sim.experiment.target import PrecisionTarget, next_size, parse_target
from sim.model import simulate_day
from sim.scenario import load_scenario
from tests.helpers import WEEKEND_ISSUE13, said

WEEKEND = load_scenario(WEEKEND_ISSUE13)
WEEKEND_PATH = str(WEEKEND_ISSUE13)


def same_figures(a: RunResult, b: RunResult) -> None:
    """Every day (KPIs, rep statistics, tables) and the summary are identical.

    ``repr`` compares NaN cells as equal (``nan != nan``, and tables hold NaN times).
    """
    assert a.replications == b.replications
    assert repr(a.days) == repr(b.days)
    assert repr(a.summary) == repr(b.summary)


def test_chunks_cover_every_index_once() -> None:
    indices = list(range(7, 1007))
    chunks = replication_chunks(indices, 2)
    assert [i for c in chunks for i in c] == indices
    assert max(len(c) for c in chunks) <= executor_module.MAX_CHUNK
    assert replication_chunks([], 2) == []


def test_small_runs_stay_in_this_process() -> None:
    job = Job(WEEKEND, 0, "round_robin", "kpi", 0)
    with make_executor(job, 2, None, work=10) as ex:
        assert type(ex) is Executor
    with make_executor(job, 1, None, work=1000) as ex:
        assert type(ex) is Executor


def test_one_and_two_workers_give_identical_results() -> None:
    one = run(WEEKEND, replications=80, seed=3, workers=1, table_days=10)
    two = run(WEEKEND, replications=80, seed=3, workers=2, table_days=10)
    assert one.meta["executor"] == "Executor"
    assert two.meta["executor"] == "LocalPool" and two.meta["workers"] == "2"
    same_figures(one, two)


def test_only_the_first_days_keep_tables_and_kpis_do_not_change() -> None:
    part = run(WEEKEND, replications=12, seed=5, workers=1, table_days=4)
    full = run(WEEKEND, replications=12, seed=5, workers=1, table_days=12)
    assert [d.tables is not None for d in part.days] == [True] * 4 + [False] * 8
    assert repr([d.kpis for d in part.days]) == repr([d.kpis for d in full.days])
    assert repr(part.summary) == repr(full.summary)


def test_pool_results_arrive_in_any_order_but_are_keyed_by_index() -> None:
    job = Job(WEEKEND, 1, "round_robin", "kpi", 0)
    with LocalPool(job, 2) as pool:
        batches = list(pool.map(list(range(40))))
    assert sorted(d.replication for b in batches for d, _ in b) == list(range(40))


def test_the_pool_keeps_no_batch_it_has_handed_over() -> None:
    """A long run's memory stays flat: once a batch is handed over and dropped by the caller,
    nothing in the pool keeps it (a run of 10,000 days would otherwise hold every day)."""
    job = Job(WEEKEND, 1, "round_robin", "kpi", 0)
    seen: list[weakref.ref[object]] = []
    with LocalPool(job, 2) as pool:
        for batch in pool.map(list(range(64))):
            assert all(ref() is None for ref in seen)  # the batches before: gone
            seen.append(weakref.ref(batch[0][0]))
            del batch
        assert len(seen) > 2


def test_dask_cluster_gives_the_local_results(tmp_path: Path) -> None:
    """The API and ``salesim run --scheduler`` on a LocalCluster (loopback) match a local run."""
    from distributed import LocalCluster

    with LocalCluster(
        processes=True, n_workers=2, threads_per_worker=1, host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:  # fmt: skip
        address = str(cluster.scheduler_address)
        remote = run(WEEKEND, replications=40, seed=2, scheduler=address, table_days=5)
        args = ["run", WEEKEND_PATH, "-n", "40", "--seed", "6", "--json"]
        cli_remote = CliRunner().invoke(
            main, [*args, "--out", str(tmp_path / "b"), "--scheduler", address]
        )
    assert remote.meta["executor"] == "DaskExecutor" and remote.meta["workers"] == "2"
    same_figures(run(WEEKEND, replications=40, seed=2, workers=2, table_days=5), remote)
    assert cli_remote.exit_code == 0, cli_remote.output
    cli_local = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "a")])
    assert json.loads(cli_local.stdout)["kpis"] == json.loads(cli_remote.stdout)["kpis"]


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "nonsense://x:1"])
def test_bad_scheduler_is_one_clear_line(
    address: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executor_module, "CONNECT_TIMEOUT_S", 1.0)
    result = CliRunner().invoke(
        main, ["run", WEEKEND_PATH, "-n", "2", "--scheduler", address, "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if "warning:" not in line]
    assert len(errors) == 1 and "cannot connect to the Dask scheduler" in errors[0], errors


# -- sequential stopping --------------------------------------------------------------------
def test_target_parsing() -> None:
    assert parse_target("wait_rep_mean=0.5") == PrecisionTarget("wait_rep_mean", 0.5)
    rel = parse_target("lost_share = 10%", 300)
    assert rel.relative and rel.half_width == pytest.approx(0.1) and rel.max_replications == 300
    for bad, message in [("wait_rep_meen=1", "did you mean 'wait_rep_mean'"),
                         ("wait_rep_mean", "KPI=VALUE"), ("wait_rep_mean=x", "not a number"),
                         ("wait_rep_mean=0", "positive")]:  # fmt: skip
        with pytest.raises(ValueError, match=message):
            parse_target(bad)


def test_target_stops_when_narrow_enough_and_is_worker_independent() -> None:
    target = PrecisionTarget("wait_rep_mean", 0.3, max_replications=400)
    one = run(WEEKEND, replications=10, seed=4, workers=1, target=target, level="kpi")
    two = run(WEEKEND, replications=10, seed=4, workers=2, target=target, level="kpi")
    same_figures(one, two)
    assert one.meta["target_met"] == "yes"
    assert one.summary["wait_rep_mean"].half_width <= 0.3
    # replay the stopping rule over the stored values: the run stopped at the first
    # checkpoint that met the target, and every earlier checkpoint asked for more
    values = one.kpi_values("wait_rep_mean")
    sizes = [10]
    while (size := next_size(target, values[: sizes[-1]])) is not None:
        sizes.append(size)
    assert sizes[-1] == one.replications
    assert all(next_size(target, values[:k]) is not None for k in sizes[:-1])
    assert 10 < one.replications < 400


def test_target_cap_is_respected() -> None:
    target = PrecisionTarget("wait_rep_mean", 0.001, max_replications=30)
    result = run(WEEKEND, replications=5, seed=4, workers=1, target=target, level="kpi")
    assert result.replications == 30 and result.meta["target_met"] == "no"


def test_cli_target(tmp_path: Path) -> None:
    args = ["run", WEEKEND_PATH, "-n", "10", "--target", "wait_rep_mean=15%",
            "--max-replications", "200", "--out", str(tmp_path)]  # fmt: skip
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    k = data["kpis"]["wait_rep_mean"]
    assert data["target_met"] == "yes" and k["half_width"] <= 0.15 * k["mean"]
    bad = CliRunner().invoke(main, [*args[:-4], "--target", "nope=1", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and said(bad.output, "--target: ", "unknown KPI 'nope'; KPIs are ")
    assert "wait_rep_mean" in bad.output and "turns_lent" in bad.output  # the valid ones listed


# -- compact days ---------------------------------------------------------------------------
def test_day_series_packs_days_without_tables_and_gives_them_back() -> None:
    days = [simulate_day(WEEKEND, 1, i, level="full" if i < 2 else "kpi") for i in range(8)]
    series = DaySeries.of(days)
    assert series == tuple(days) and series[2:5] == tuple(days[2:5]) and len(series) == 8
    assert repr(list(series)) == repr(days)
    assert series[0] is days[0]  # days with tables are kept as they are
    key = "wait_rep_mean"
    assert repr(series.kpi_values(key)) == repr([d.kpis[key] for d in days])
    # the plots' days with tables: the same objects, found without rebuilding packed days
    assert series.tabled() == days[:2] and tabled_days(series)[1] is days[1]
    assert tabled_days(days) == days[:2] and DaySeries.of(days[2:]).tabled() == []


def test_packed_days_are_small() -> None:
    days = [simulate_day(WEEKEND, 1, i, level="kpi") for i in range(60)]
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    series = DaySeries.of(d for d in days)
    per_day = (tracemalloc.get_traced_memory()[0] - before) / len(series)
    tracemalloc.stop()
    assert per_day < 3000, per_day  # bytes; an unpacked day is ~15 KB
