"""The SQLite results store: replications saved as they finish, reused on a rerun, listed by
``salesim results``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import sim.experiment.runner
from sim.cli import main
from sim.experiment.runner import run
from sim.experiment.store import (
    DB_NAME,
    Store,
    StoreError,
    decode_day,
    decode_tables,
    encode_day,
    encode_tables,
)
from sim.model import simulate_day
from sim.scenario import derive, load_scenario
from tests.helpers import WEEKEND_ISSUE13

WEEKEND = load_scenario(WEEKEND_ISSUE13)
WEEKEND_PATH = str(WEEKEND_ISSUE13)


def test_a_stored_day_comes_back_whole() -> None:
    """Every field of a day survives the store (a new model field must be stored too)."""
    for level in ("full", "kpi"):
        day = simulate_day(WEEKEND, 3, 1, level=level)  # type: ignore[arg-type]
        assert repr(decode_day(encode_day(day), day.seed, day.policy)) == repr(day)
    assert day.tables is None and decode_tables(encode_tables(None)) is None


def test_rerun_reuses_every_stored_replication(tmp_path: Path) -> None:
    with Store.in_folder(tmp_path) as store:
        first = run(WEEKEND, 30, seed=1, workers=1, store=store, table_days=5)
        again = run(WEEKEND, 30, seed=1, workers=1, store=store, table_days=5)
    assert first.reused == 0 and again.reused == 30
    assert again.run_key == first.run_key
    assert repr(again.days) == repr(first.days)
    assert repr(again.summary) == repr(first.summary)


def test_longer_run_extends_a_shorter_one(tmp_path: Path) -> None:
    with Store.in_folder(tmp_path) as store:
        run(WEEKEND, 20, seed=2, workers=1, store=store, level="kpi")
        longer = run(WEEKEND, 50, seed=2, workers=2, store=store, level="kpi")
        shorter = run(WEEKEND, 10, seed=2, workers=1, store=store, level="kpi")
    fresh = run(WEEKEND, 50, seed=2, workers=1, level="kpi")
    assert longer.reused == 20 and shorter.reused == 10
    assert repr(longer.summary) == repr(fresh.summary)
    assert shorter.replications == 10


def test_run_key_follows_scenario_seed_policy_and_level(tmp_path: Path) -> None:
    other = derive(WEEKEND, {"reps": 6})
    with Store.in_folder(tmp_path) as store:
        keys = {
            run(WEEKEND, 2, seed=1, workers=1, store=store).run_key,
            run(WEEKEND, 2, seed=2, workers=1, store=store).run_key,
            run(other, 2, seed=1, workers=1, store=store).run_key,
            run(WEEKEND, 2, seed=1, workers=1, store=store, level="kpi").run_key,
        }
        assert len(keys) == 4 and len(store.runs()) == 4
        assert all(r.finished and r.replications == 2 and r.stored == 2 for r in store.runs())


def test_other_code_version_is_not_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.in_folder(tmp_path) as store:
        run(WEEKEND, 5, seed=1, workers=1, store=store)
        monkeypatch.setattr(sim.experiment.runner, "code_version", lambda: "9.9.9+other")
        again = run(WEEKEND, 5, seed=1, workers=1, store=store)
        assert again.reused == 0
        (record,) = store.runs()
        assert record.code_version.startswith("9.9.9+other src ") and record.stored == 5
        # an edited checkout (same version string, e.g. '.dirty') is other code too
        monkeypatch.setattr(sim.experiment.runner, "source_digest", lambda: "edited")
        assert run(WEEKEND, 5, seed=1, workers=1, store=store).reused == 0
        assert run(WEEKEND, 5, seed=1, workers=1, store=store).reused == 5


def test_days_without_the_tables_now_wanted_are_simulated_again(tmp_path: Path) -> None:
    with Store.in_folder(tmp_path) as store:
        run(WEEKEND, 10, seed=1, workers=1, store=store, table_days=2)
        again = run(WEEKEND, 10, seed=1, workers=1, store=store, table_days=4)
    assert again.reused == 8
    assert [d.tables is not None for d in again.days] == [True] * 4 + [False] * 6


def test_database_is_wal_and_keys_resolve_by_prefix(tmp_path: Path) -> None:
    with Store.in_folder(tmp_path) as store:
        key = run(WEEKEND, 2, seed=1, workers=1, store=store).run_key
        assert store.find(key[:5]).run_key == key
        with pytest.raises(StoreError, match="no stored run"):
            store.find("zzz")
    db = sqlite3.connect(tmp_path / DB_NAME)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT COUNT(*) FROM replications").fetchone()[0] == 2
    (meta,) = db.execute("SELECT scenario_hash, seed, policy, code_version, started, finished "
                         "FROM runs").fetchall()  # fmt: skip
    assert meta[1:3] == (1, "round_robin") and all(meta)


def test_results_command_lists_runs(tmp_path: Path) -> None:
    out = str(tmp_path)
    for seed in ("1", "2"):
        args = ["run", WEEKEND_PATH, "-n", "3", "--seed", seed, "--out", out]
        ran = CliRunner().invoke(main, args)
        assert ran.exit_code == 0, ran.output
    listed = CliRunner().invoke(main, ["results", "--out", out])
    assert listed.exit_code == 0, listed.output
    assert "2 次运行 stored runs" in listed.output and "round_robin" in listed.output
    data = json.loads(CliRunner().invoke(main, ["results", "--out", out, "--json"]).stdout)
    assert [(r["seed"], r["replications"], r["scenario"]) for r in data] == [
        (1, 3, "weekend"), (2, 3, "weekend")
    ]
    assert all(r["code_version"] and r["started"] and r["finished"] for r in data)


def test_results_in_a_folder_without_runs_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["results", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "no results database" in result.output and "Traceback" not in result.output
    assert not (tmp_path / DB_NAME).exists()
