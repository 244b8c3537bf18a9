"""The log of studies in the results store: every ``run``, ``compare``, ``size`` and ``fee``.

A study is one command a planner ran: its kind, scenario, options, output folder, when it
started and finished, and how it ended (``running`` until it ends; ``done``, ``interrupted``
or ``failed``). It is kept in table ``studies`` of the results store of the folder that holds
the study's output folder when that is the default ``results`` folder (``results/size``,
``results/compare-…``), else in the store of the output folder itself (:func:`store_root`),
so ``salesim results`` lists every kind of run in one place.

A study's *fingerprint* (kind, scenario file content, options) tells an earlier, different
study in the same output folder from a restart of the same one (:func:`other_study`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sim.experiment.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS studies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    scenario TEXT NOT NULL,
    options TEXT NOT NULL,
    folder TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL
);
"""
KINDS = ("run", "compare", "size", "fee")


@dataclass(frozen=True)
class StudyRecord:
    """One row of the ``studies`` table (times are UTC ISO stamps)."""

    id: int
    kind: str
    scenario: str
    options: str
    folder: str
    fingerprint: str
    started: str
    finished: str | None
    status: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fingerprint(kind: str, scenario: str, options: dict[str, Any]) -> str:
    """A hash of what makes a study: its kind, the scenario file's content and its options."""
    path = Path(scenario)
    content = path.read_bytes() if path.is_file() else scenario.encode("utf-8")
    text = json.dumps([kind, hashlib.sha256(content).hexdigest(), options], sort_keys=True,
                      default=str)  # fmt: skip
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


DEFAULT_ROOT = Path("results")


def store_root(folder: Path) -> Path:
    """The folder whose results store records a study written to ``folder``: the default
    ``results`` folder for a folder inside it (``results/size``, ``results/compare-…``), so
    that ``salesim results`` lists them together; else the folder itself (never a parent the
    planner did not choose)."""
    return DEFAULT_ROOT if folder.parent.resolve() == DEFAULT_ROOT.resolve() else folder


def _ensure(store: Store) -> None:
    with store.db:
        store.db.executescript(SCHEMA)


def studies(store: Store) -> list[StudyRecord]:
    """Every recorded study, oldest first (none in a store made before studies were kept)."""
    _ensure(store)
    rows = store.db.execute(
        "SELECT id, kind, scenario, options, folder, fingerprint, started, finished, status "
        "FROM studies ORDER BY started, id"
    ).fetchall()
    return [StudyRecord(**dict(row)) for row in rows]


def other_study(folder: Path, print_: str) -> str | None:
    """What ``folder`` holds if it is an earlier study other than the one of fingerprint
    ``print_`` (None if the folder is empty or missing, or holds a restart of this study)."""
    db = store_root(folder) / "salesim.sqlite"
    if not folder.is_dir() or not any(p != db for p in folder.iterdir()):
        return None
    here: list[StudyRecord] = []
    if db.is_file():
        with Store(db) as store:
            here = [s for s in studies(store) if Path(s.folder) == folder]
    if not here:
        return "files of an unrecorded earlier study 未登记的早先结果"
    last = here[-1]
    if last.fingerprint == print_:
        return None
    when = datetime.fromisoformat(last.started).astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{last.kind} {Path(last.scenario).name}, {when}"


def begin(store: Store, kind: str, scenario: str, options: dict[str, Any], folder: Path,
          started: str | None = None) -> int:  # fmt: skip
    """Record a study as started (status ``running``, now or at ``started``); return its id."""
    _ensure(store)
    with store.db:
        cur = store.db.execute(
            "INSERT INTO studies (kind, scenario, options, folder, fingerprint, started, status) "
            "VALUES (?, ?, ?, ?, ?, ?, 'running')",
            (kind, scenario, json.dumps(options, ensure_ascii=False, sort_keys=True, default=str),
             str(folder), fingerprint(kind, scenario, options), started or _now()),
        )  # fmt: skip
    return int(cur.lastrowid or 0)


def end(store: Store, study: int, status: str, folder: Path | None = None) -> None:
    """Record how a study ended (and its output folder, when it was decided late)."""
    with store.db:
        store.db.execute("UPDATE studies SET finished = ?, status = ? WHERE id = ?",
                         (_now(), status, study))  # fmt: skip
        if folder is not None:
            store.db.execute("UPDATE studies SET folder = ? WHERE id = ?", (str(folder), study))


def _status(exc: BaseException | None) -> str:
    if exc is None:
        return "done"
    if isinstance(exc, KeyboardInterrupt) or (isinstance(exc, SystemExit) and exc.code == 130):
        return "interrupted"  # 130: the command caught Ctrl-C and said how to resume
    if isinstance(exc, SystemExit) and exc.code in (0, None):
        return "done"
    return "failed"


@dataclass
class Study:
    """A study being recorded (see :func:`recorded`); ``folder`` may be set once known."""

    kind: str
    folder: Path


@contextmanager
def recorded(kind: str, scenario: str, options: dict[str, Any], folder: Path,
             root: Path | None = None) -> Iterator[Study]:  # fmt: skip
    """Record the study while its block runs: ``running``, then ``done``, ``interrupted``
    (Ctrl-C) or ``failed`` (an error, or exit code 2), in the store of ``root`` (default:
    :func:`store_root`). Setting ``study.folder`` in the block records the folder actually
    written. Where no store exists yet, the study is recorded when it ends, and a study that
    failed there (bad input, say) creates no store: a refused command leaves no folder behind.
    A store that cannot be opened records nothing."""
    study = Study(kind, folder)
    db = (root or store_root(folder)) / "salesim.sqlite"
    started = _now()
    ident = _begin_if_stored(db, kind, scenario, options, folder)
    error: BaseException | None = None
    try:
        yield study
    except BaseException as exc:
        error = exc
        raise
    finally:
        status = _status(error)
        if ident is not None or status != "failed":
            _end(db, ident, status, study.folder, (kind, scenario, options, started))


def _begin_if_stored(db: Path, kind: str, scenario: str, options: dict[str, Any],
                     folder: Path) -> int | None:  # fmt: skip
    """The id of the study recorded as ``running`` in ``db`` if that store exists, else None."""
    if not db.is_file():
        return None
    try:
        with Store(db) as store:
            return begin(store, kind, scenario, options, folder)
    except (OSError, sqlite3.Error):  # an unwritable store never stops the study itself
        return None


def _end(db: Path, ident: int | None, status: str, folder: Path,
         late: tuple[str, str, dict[str, Any], str]) -> None:  # fmt: skip
    """Record the end (and, with no id, the whole study, started at ``late[3]``)."""
    try:
        with Store(db) as store:
            if ident is None:
                kind, scenario, options, started = late
                ident = begin(store, kind, scenario, options, folder, started)
            end(store, ident, status, folder)
    except (OSError, sqlite3.Error):
        return
