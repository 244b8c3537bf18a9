"""A full disk or a failing write never loses results silently (issue 18).

Every file salesim writes goes through :mod:`sim.core.atomic` (a temporary file, synced, then
renamed), and each command writes its files as one all-or-nothing set. These tests list the
writes of ``run``, ``compare``, ``size``, ``fee`` and ``results export`` on a clean run, then
make each write in turn fail with ``OSError(ENOSPC)`` (at the sync of the written data, or at
the rename that publishes the set) and check: exit code 2, one clear ``salesim:`` line naming
the folder and the reason, no traceback, no temporary file left, and none of the command's
files written (an earlier complete output is left untouched). The results database of ``run``
is checked the same way: a failing store write (``database or disk is full``) exits 2.

The simulation, search and comparison results are computed once per module and handed to the
command (they are not what is tested here); the writing code runs for real every time.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sim.cli import main
from sim.experiment.store import DB_NAME, Store
from tests.helpers import ROOT

WEEKDAY = str(ROOT / "scenarios" / "weekday.yaml")
OPEN_DAY = str(ROOT / "scenarios" / "site_open_day.yaml")
RUN = ["run", WEEKDAY, "-n", "2", "-w", "1", "--seed", "3"]
COMPARE = ["compare", WEEKDAY, "-n", "2", "--policy", "round_robin", "--policy", "first_free"]
SIZE = ["size", OPEN_DAY, "-n", "10", "--validate-days", "0", "-w", "1"]
FEE = ["fee", WEEKDAY]
STORE_FILES = {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"}


def invoke(args: list[str], out: Path) -> Result:
    return CliRunner().invoke(main, [*args, "--out", str(out)])


def written(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but the results database, with its content."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in STORE_FILES}  # fmt: skip


class Faults:
    """Counts calls of ``os.fsync`` / ``os.replace`` and makes the ``fail_at``-th one raise
    ``OSError(ENOSPC)``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, fail_at: int | None) -> None:
        self.calls = 0
        real: Callable[..., Any] = getattr(os, name)

        def faulty(*args: Any) -> Any:
            self.calls += 1
            if self.calls == fail_at:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(*args)

        monkeypatch.setattr(os, name, faulty)


@pytest.fixture(scope="module")
def cached(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The results each command computes, computed once; and a finished run to export."""
    import sim.cli.compare as compare_cli
    import sim.cli.size as size_cli

    base = tmp_path_factory.mktemp("cached")
    got: dict[str, Any] = {}
    mp = pytest.MonkeyPatch()

    def keep(module: Any, name: str) -> None:
        real = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            got[name] = real(*args, **kwargs)
            return got[name]

        mp.setattr(module, name, wrapper)

    keep(compare_cli, "run_variants")
    keep(size_cli, "size")
    for args, folder in ((COMPARE, "compare"), (SIZE, "size"), (RUN, "run")):
        result = invoke(args, base / folder)
        assert result.exit_code == 0, result.output
    mp.undo()
    with Store.in_folder(base / "run") as store:
        got["run_key"] = store.runs()[0].run_key
    got["store"] = base / "run" / DB_NAME
    yield got


def command(name: str, cached: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
            out: Path) -> list[str]:  # fmt: skip
    """The command line of ``name``, with its computed results handed over from ``cached``."""
    import sim.cli.compare as compare_cli
    import sim.cli.size as size_cli

    _draw_once(name, cached, monkeypatch)
    if name == "compare":
        monkeypatch.setattr(compare_cli, "run_variants", lambda *a: cached["run_variants"])
        return COMPARE
    if name == "size":
        monkeypatch.setattr(size_cli, "size", lambda *a, **k: cached["size"])
        return SIZE
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(cached["store"], out / DB_NAME)  # stored replications: the run reuses them
    if name == "run":
        return RUN
    if name == "export-csv":
        return ["results", "export", cached["run_key"][:12]]
    if name == "export-xlsx":
        return ["results", "export", cached["run_key"][:12], "--format", "xlsx"]
    return FEE


def _draw_once(name: str, cached: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Plots are drawn (matplotlib) once per command and reused: what is tested is writing."""
    import sim.report.html as html
    import sim.report.plots as plots

    real = plots.draw

    def draw(*args: Any, **kwargs: Any) -> Any:
        key = f"drawn-{name}-{kwargs.get('svg', True)}"
        if key not in cached:
            cached[key] = real(*args, **kwargs)
        return cached[key]

    monkeypatch.setattr(plots, "draw", draw)
    monkeypatch.setattr(html, "draw", draw)


COMMANDS = ["run", "compare", "size", "fee", "export-csv", "export-xlsx"]


def count_writes(name: str, cached: dict[str, Any], tmp_path: Path) -> tuple[int, int]:
    """(files synced, files renamed) by a clean run of ``name``."""
    with pytest.MonkeyPatch.context() as mp:
        syncs, renames = Faults(mp, "fsync", None), Faults(mp, "replace", None)
        out = tmp_path / "count"
        result = invoke(command(name, cached, mp, out), out)
        assert result.exit_code == 0, result.output
        files = written(out)
    assert syncs.calls == renames.calls == len(files) > 0, (syncs.calls, renames.calls, files)
    return syncs.calls, renames.calls


def check_failure(result: Result, out: Path, before: dict[str, bytes]) -> None:
    """Exit 2, one clear line, no traceback, no temporary file, the old output untouched."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    message = [line for line in result.output.splitlines() if line.startswith("salesim: ")]
    assert any(str(out) in line and os.strerror(errno.ENOSPC) in line for line in message), (
        result.output
    )
    assert "Traceback" not in result.output
    assert not [p for p in out.rglob("*.tmp")], "a temporary file was left behind"
    assert written(out) == before, "a partial set of files was written"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_failing_write_exits_2_and_leaves_no_partial_files(
    name: str, cached: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each write of the command (sync of its data, then the rename that publishes the set)
    fails in turn: a clear error, exit 2, no temporary file and no partial set of files."""
    syncs, renames = count_writes(name, cached, tmp_path)
    cases = [("fsync", k) for k in range(1, syncs + 1)] + [("replace", 1)]
    for i, (call, k) in enumerate(cases):
        out = tmp_path / f"case{i}"
        with pytest.MonkeyPatch.context() as mp:
            args = command(name, cached, mp, out)
            Faults(mp, call, k)
            result = invoke(args, out)
        check_failure(result, out, {})
    assert len(cases) == syncs + 1 and renames == syncs


def test_a_failed_rewrite_keeps_the_previous_complete_output(
    cached: dict[str, Any], tmp_path: Path
) -> None:
    """The fee plan written once; written again with its last file failing: the first plan's
    three files are still there, byte for byte."""
    out = tmp_path / "fee"
    with pytest.MonkeyPatch.context() as mp:
        assert invoke(command("fee", cached, mp, out), out).exit_code == 0
    before = written(out)
    assert len(before) == 3
    with pytest.MonkeyPatch.context() as mp:
        args = command("fee", cached, mp, out)
        Faults(mp, "fsync", 3)
        check_failure(invoke(args, out), out, before)


@pytest.mark.parametrize("method", ["begin", "add", "finish"])
def test_a_full_results_database_exits_2(
    method: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run`` stores replications as they finish: a store write refused for lack of space
    ends in one clear line and exit 2, and no tables are written."""

    def full(*args: Any, **kwargs: Any) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, method, full)
    out = tmp_path / "out"
    result = invoke(RUN, out)
    assert result.exit_code == 2, result.output
    said = f"salesim: --out {out}: 无法写入结果 cannot write results (database or disk is full)"
    assert said in result.output
    assert written(out) == {}
