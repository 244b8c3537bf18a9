"""The worker processes behind the local pools (sim.core.workers): results in any order or in
order, a task's error raised in the caller, and a worker that dies ends the map at once
instead of leaving it waiting for ever (multiprocessing.Pool did)."""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest
from click.testing import CliRunner

import sim.cli.size as cli_size
from sim.cli import main
from sim.core.collector import collector_paused
from sim.core.workers import WorkerLost, Workers
from sim.event_sizing.forked import forked_map
from tests.helpers import ROOT

EVENT = ROOT / "tests" / "fixtures" / "bad" / "_base_event.yaml"


def _nothing() -> None:
    """No set-up."""


def _square(x: int) -> int:
    time.sleep(0.01 * (x % 3))  # finish out of order
    return x * x


def _fails_on_five(x: int) -> int:
    if x == 5:
        raise KeyError(f"item {x}")
    return x


def _dies_on_three(x: int) -> int:
    if x == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
    time.sleep(0.05)
    return x


def test_results_in_any_order_and_in_order() -> None:
    pool: Workers[int, int] = Workers(2, _nothing, (), _square)
    try:
        assert sorted(pool.map(range(20))) == [x * x for x in range(20)]
        assert pool.map_in_order(range(20)) == [x * x for x in range(20)]
    finally:
        pool.close()
    assert all(p.exitcode == 0 for p in pool.procs)  # told to stop, each ended by itself


def test_a_task_error_is_raised_in_the_caller() -> None:
    pool: Workers[int, int] = Workers(2, _nothing, (), _fails_on_five)
    with pytest.raises(KeyError, match="item 5"):
        pool.map_in_order(range(10))
    pool.close(abort=True)
    assert not any(p.is_alive() for p in pool.procs)


def test_a_map_left_half_read_does_not_leak_into_the_next() -> None:
    pool: Workers[int, int] = Workers(2, _nothing, (), _square)
    try:
        first = pool.map(range(10))
        next(first)
        first.close()  # the caller stops reading: a task may still be running
        assert pool.map_in_order([7, 8]) == [49, 64]
    finally:
        pool.close()


def test_a_worker_that_dies_ends_the_map_at_once() -> None:
    """forked_map (the sizing's steps) with a worker killed mid-task: WorkerLost within
    seconds, and no worker left behind."""
    t0 = time.monotonic()
    with pytest.raises(WorkerLost, match="a worker process died"):
        forked_map(_dies_on_three, list(range(8)), 2)
    assert time.monotonic() - t0 < 30
    assert not mp.active_children()


def test_a_reply_cut_off_by_the_workers_death_is_a_lost_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker killed while it sends its reply leaves half a message: reading it raises
    OSError ("got end of file during message"), not EOFError. That is a lost worker too, not
    an error writing the results (a CI run of the resume test met it once)."""
    pool: Workers[int, int] = Workers(2, _nothing, (), _square)
    try:
        def cut_off(self: Connection) -> object:
            raise OSError("got end of file during message")

        monkeypatch.setattr(Connection, "recv", cut_off)  # this process's reads only
        with pytest.raises(WorkerLost, match="a worker process died"):
            pool.map_in_order([1, 2, 3])
    finally:
        monkeypatch.undo()
        pool.close(abort=True)
    assert not mp.active_children()


def test_size_says_so_in_one_line_when_a_worker_dies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def lost(*_: object, **__: object) -> None:
        raise WorkerLost("a worker process died (exit code -9)")

    monkeypatch.setattr(cli_size, "size", lost)
    result = CliRunner().invoke(main, ["size", str(EVENT), "--out", str(tmp_path), "-w", "1"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "warning:" not in line]
    assert len(lines) == 1 and "工作进程意外终止 a worker process died" in lines[0], lines
    assert "Traceback" not in result.output


_SETUP: dict[str, bool] = {}


def _note_collector() -> None:
    _SETUP["on"] = gc.isenabled()


def _collector_now(_: int) -> tuple[bool, bool]:
    return _SETUP["on"], gc.isenabled()


def test_workers_collect_between_tasks_not_during_them() -> None:
    """Forked while the parent has the collector paused (a sizing), a worker still turns it
    on for itself, and pauses it for each task (sim.core.collector)."""
    with collector_paused():
        pool: Workers[int, tuple[bool, bool]] = Workers(2, _note_collector, (),
                                                        _collector_now)  # fmt: skip
    try:
        assert pool.map_in_order([0, 1, 2]) == [(True, False)] * 3
    finally:
        pool.close()


def test_a_worker_leaves_ctrl_c_to_its_parent() -> None:
    """Every worker ignores SIGINT (the terminal sends it to the whole process group; the
    parent handles it and ends the workers): one that gets it in the middle of a task
    finishes the map (without the ignore, the task's KeyboardInterrupt killed the worker)."""
    pool: Workers[int, int] = Workers(1, _nothing, (), _slow_square)
    ctrl_c = threading.Timer(0.2, os.kill, (pool.procs[0].pid, signal.SIGINT))
    try:
        ctrl_c.start()
        assert pool.map_in_order([2, 3]) == [4, 9]
    finally:
        ctrl_c.cancel()
        pool.close(abort=True)


_ORPHAN = """
import sys, time
sys.path.insert(0, {root!r})
from sim.core.workers import Workers
from tests.test_workers import _nothing, _square
pool = Workers(1, _nothing, (), _square)
print(pool.procs[0].pid, flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
def test_a_worker_dies_with_its_parent_even_on_sigkill() -> None:
    """A parent killed outright (kill -9, out of memory) leaves no worker waiting on its pipe."""
    parent = subprocess.Popen([sys.executable, "-c", _ORPHAN.format(root=str(ROOT))],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        parent.kill()
        parent.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(worker):
            time.sleep(0.05)
        assert not _alive(worker)
    finally:
        parent.kill()


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie, dead but not reaped, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _slow_square(x: int) -> int:
    time.sleep(0.5)
    return x * x
