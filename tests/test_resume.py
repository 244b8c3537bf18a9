"""A run killed half-way (SIGKILL, Ctrl-C) and started again with the same arguments resumes
from the store and ends with exactly the figures of an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
from click.testing import CliRunner

from sim.cli import main
from sim.experiment.store import DB_NAME
from tests.helpers import ROOT, SCENARIOS

SALESIM = [sys.executable, "-c", "from sim.cli import main; main()"]
N = 200
ARGS = ["run", str(SCENARIOS / "weekend.yaml"), "-n", str(N), "--seed", "8", "--json",
        "--workers", "2"]  # fmt: skip


def stored_rows(db: Path) -> int:
    """Replications committed so far (0 before the database and its tables exist)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return int(con.execute("SELECT COUNT(*) FROM replications").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def start_and_stop(
    out: Path, stop: Callable[[subprocess.Popen[str], list[psutil.Process]], None],
    args: list[str] = ARGS,
) -> tuple[subprocess.Popen[str], int]:  # fmt: skip
    """Start ``salesim`` with ``args`` (a run by default) in a subprocess, call ``stop`` with
    it and its worker processes once it has stored some replications, and return the finished
    process and the rows stored then (its workers must be gone too)."""
    proc = subprocess.Popen(
        [*SALESIM, *args, "--out", str(out)], cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while stored_rows(out / DB_NAME) == 0:
            assert proc.poll() is None, f"run ended before it was stopped: {proc.stderr}"
            assert time.monotonic() < deadline, "no replication stored within 60 s"
            time.sleep(0.02)
        workers = psutil.Process(proc.pid).children(recursive=True)
        stop(proc, workers)
        proc.wait(timeout=60)
        _, alive = psutil.wait_procs(workers, timeout=10)
        assert not alive, "worker processes outlived the stopped run"
    finally:
        if proc.poll() is None:  # only on failure: end what this test started
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc, stored_rows(out / DB_NAME)


def start_and_interrupt(
    out: Path, sig: signal.Signals, args: list[str] = ARGS
) -> tuple[subprocess.Popen[str], int]:
    """:func:`start_and_stop` by sending ``sig`` to the run."""
    return start_and_stop(out, lambda proc, _: os.kill(proc.pid, sig), args)


def _kill_one_worker(_: subprocess.Popen[str], workers: list[psutil.Process]) -> None:
    assert len(workers) == 2, workers
    workers[0].kill()


def test_killed_run_resumes_to_the_uninterrupted_figures(tmp_path: Path) -> None:
    killed = tmp_path / "killed"
    proc, rows = start_and_interrupt(killed, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert 0 < rows < N, rows

    resumed = subprocess.run(
        [*SALESIM, *ARGS, "--out", str(killed)], cwd=ROOT, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    again = json.loads(resumed.stdout)
    assert again["reused"] == rows and again["replications"] == N

    ref = CliRunner().invoke(main, [*ARGS, "--out", str(tmp_path / "ref")])
    assert ref.exit_code == 0, ref.output
    reference = json.loads(ref.stdout)
    assert again["kpis"] == reference["kpis"]
    folders = Path(again["output"]), Path(reference["output"])
    for name in ("kpis_by_replication.csv", "reps.csv", "visits.csv", "summary.csv"):
        texts = [(folder / name).read_text(encoding="utf-8") for folder in folders]
        assert texts[0] == texts[1], name


def test_ctrl_c_stops_cleanly_and_keeps_what_was_done(tmp_path: Path) -> None:
    proc, rows = start_and_interrupt(tmp_path, signal.SIGINT)
    stderr = proc.stderr.read() if proc.stderr else ""
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "run the same command again to resume" in stderr
    assert "Traceback" not in stderr
    assert 0 < rows < N


def test_ctrl_c_in_a_compare_keeps_its_variant_days_and_resumes(tmp_path: Path) -> None:
    """Issue 15 item 4: a compare stopped by Ctrl-C resumes from its stored variant-days."""
    args = ["compare", str(SCENARIOS / "weekend.yaml"), "--vary", "reps=8,10", "-n", "150",
            "--seed", "8", "--json"]  # fmt: skip
    out = tmp_path / "cmp"
    proc, _ = start_and_interrupt(out, signal.SIGINT, args)
    stderr = proc.stderr.read() if proc.stderr else ""
    assert proc.returncode == 130, stderr
    assert "run the same command again to resume" in stderr and "Traceback" not in stderr
    rows = stored_rows(out / DB_NAME)
    assert 0 < rows < 300, rows
    resumed = subprocess.run([*SALESIM, *args, "--out", str(out)], cwd=ROOT, capture_output=True,
                             text=True, timeout=300)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    again = json.loads(resumed.stdout)
    assert again["reused"] == rows
    ref = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "ref")])
    assert ref.exit_code == 0, ref.output
    reference = json.loads(ref.stdout)
    drop = {"output", "reused"}
    assert {k: v for k, v in again.items() if k not in drop} == {
        k: v for k, v in reference.items() if k not in drop
    }


def test_a_worker_that_dies_ends_the_run_with_one_line_and_it_resumes(tmp_path: Path) -> None:
    """A worker process killed mid-run (out of memory, say) ends the run at once with one
    line and exit code 1, the other worker gone too; the days finished before are stored
    and the same command resumes from them. With multiprocessing.Pool the run waited for
    the lost task for ever (this test's 60 s limit)."""
    args = [*ARGS[:2], "-n", "1000", *ARGS[4:]]
    out = tmp_path / "lost"
    proc, rows = start_and_stop(out, _kill_one_worker, args)
    stderr = proc.stderr.read() if proc.stderr else ""
    assert proc.returncode == 1, stderr
    lines = [line for line in stderr.splitlines() if "warning:" not in line]
    assert len(lines) == 1 and "a worker process died" in lines[0], stderr
    assert "run the same command again to resume" in lines[0]
    assert 0 < rows < 1000, rows
    resumed = subprocess.run([*SALESIM, *args, "--out", str(out)], cwd=ROOT,
                             capture_output=True, text=True, timeout=300)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    again = json.loads(resumed.stdout)
    assert again["reused"] == rows and again["replications"] == 1000
