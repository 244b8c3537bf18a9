"""The results store: an embedded SQLite database, ``OUT/salesim.sqlite``, one per output folder.

Table ``runs`` holds one row per run key (what was run, by which code, when); table
``replications`` holds one row per finished replication: its KPIs and rep statistics (JSON,
floats round-trip exactly) and, for the first days of a ``full`` run, its tables (zlib-compressed
JSON), and a digest of all that (:mod:`sim.experiment.integrity`). Rows are committed as each
batch of replications finishes (WAL journal), so a run that is killed keeps everything it had
finished, and the same run started again reuses it.

:meth:`Store.days` hands back only replications that match their digest and decode cleanly;
the others are reported as :class:`~sim.experiment.integrity.Damaged` (the runner drops and
simulates them again, an export refuses the run). A store made before digests existed gets the
``digest`` column added on opening; its rows have none, so they are never reused.

The run key hashes what determines the figures besides the code: the scenario's content hash,
the seed, the policy and the level. The number of replications is not part of it: a longer run
extends a shorter one. Results made by another code version are not reused (see :meth:`begin`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType

from sim.domain.results import DayResult, Tables
from sim.experiment.integrity import (
    BAD_DIGEST,
    NO_DIGEST,
    OTHER_KPIS,
    UNDECODABLE,
    Damaged,
    day_digest,
    kpi_map,
    rep_stats,
    tables_of,
)

DB_NAME = "salesim.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_key TEXT PRIMARY KEY,
    scenario TEXT NOT NULL,
    scenario_hash TEXT NOT NULL,
    policy TEXT NOT NULL,
    seed INTEGER NOT NULL,
    level TEXT NOT NULL,
    code_version TEXT NOT NULL,
    requested INTEGER NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    replications INTEGER,
    started TEXT NOT NULL,
    updated TEXT NOT NULL,
    finished TEXT,
    wall_seconds REAL,
    scenario_json TEXT NOT NULL,
    summary_json TEXT
);
CREATE TABLE IF NOT EXISTS replications (
    run_key TEXT NOT NULL REFERENCES runs(run_key) ON DELETE CASCADE,
    replication INTEGER NOT NULL,
    kpis TEXT NOT NULL,
    reps TEXT NOT NULL,
    end_min REAL NOT NULL,
    tables BLOB,
    digest TEXT,
    PRIMARY KEY (run_key, replication)
) WITHOUT ROWID;
"""
RUN_FIELDS = (
    "run_key", "scenario", "scenario_hash", "policy", "seed", "level", "code_version",
    "requested", "target", "replications", "started", "updated", "finished", "wall_seconds",
)  # fmt: skip


EncodedDay = tuple[int, str, str, float, bytes | None]  # replication, kpis, reps, end, tables
COLUMNS = ("replication", "kpis", "reps", "end_min", "tables")  # an EncodedDay's columns


class StoreError(ValueError):
    """A stored run that cannot be used: its key matches no run, or more than one, or (as
    :class:`DamagedRunError`) some of its replications are damaged."""


class DamagedRunError(StoreError):
    """A stored run whose replications fail their digest or cannot be decoded."""


@dataclass(frozen=True)
class RunRecord:
    """One row of the ``runs`` table (``finished`` is None while a run is incomplete)."""

    run_key: str
    scenario: str
    scenario_hash: str
    policy: str
    seed: int
    level: str
    code_version: str
    requested: int
    target: str
    replications: int | None
    started: str
    updated: str
    finished: str | None
    wall_seconds: float | None
    stored: int = 0  # replications in the store


def run_key(scenario_hash: str, seed: int, policy: str, level: str) -> str:
    """The key of a run: a hash of everything that fixes its figures except the code."""
    text = json.dumps([scenario_hash, seed, policy, level])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def encode_tables(tables: Tables | None) -> bytes | None:
    """A day's tables as compressed JSON (``None`` stays ``None``)."""
    if tables is None:
        return None
    data = {name: rows for name, rows in vars(tables).items()}
    return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), 3)


def decode_tables(blob: bytes | None) -> Tables | None:
    """The inverse of :func:`encode_tables` (rows come back as tuples).

    Raises :class:`ValueError` (``zlib.error`` included) if ``blob`` is not such tables."""
    if blob is None:
        return None
    try:
        text = zlib.decompress(blob).decode("utf-8")
    except zlib.error as exc:
        raise ValueError(f"tables: {exc}") from None
    return tables_of(json.loads(text))


def encode_day(day: DayResult) -> EncodedDay:
    """A replication as the store keeps it (done in the workers: encoding tables is costly).

    Rep statistics keep every field of :class:`~sim.model.RepStats` by name.
    """
    reps = [asdict(r) for r in day.reps]
    return (
        day.replication, json.dumps(day.kpis), json.dumps(reps, ensure_ascii=False), day.end,
        encode_tables(day.tables),
    )  # fmt: skip


def decode_day(encoded: EncodedDay, seed: int, policy: str) -> DayResult:
    """The inverse of :func:`encode_day` (seed and policy are the run's).

    Raises :class:`ValueError` if a part is not what :func:`encode_day` makes (bad JSON or zlib,
    an unknown KPI, a missing rep field, a value of the wrong type)."""
    replication, kpis, reps, end, tables = encoded
    rep_list = json.loads(reps)
    if not isinstance(rep_list, list):
        raise ValueError("rep statistics are not a list")
    return DayResult(
        replication, seed, policy, kpi_map(json.loads(kpis)),
        tuple(rep_stats(r) for r in rep_list), decode_tables(tables), end,
    )  # fmt: skip


def _encoded(row: sqlite3.Row) -> EncodedDay | None:
    """A stored row as :func:`encode_day` made it, or None if a column has the wrong type."""
    replication, kpis, reps, end, tables = (row[k] for k in COLUMNS)
    typed = (
        isinstance(replication, int) and isinstance(kpis, str) and isinstance(reps, str)
        and isinstance(end, float) and (tables is None or isinstance(tables, bytes))
    )  # fmt: skip
    return (replication, kpis, reps, end, tables) if typed else None


def _verified(key: str, row: sqlite3.Row, seed: int, policy: str) -> DayResult | str:
    """The stored day if it matches its digest and decodes cleanly, else the problem."""
    if row["digest"] is None:
        return NO_DIGEST
    encoded = _encoded(row)
    if encoded is None or day_digest(key, *encoded) != row["digest"]:
        return BAD_DIGEST
    try:
        return decode_day(encoded, seed, policy)
    except (ValueError, TypeError):  # JSON, zlib, UTF-8 and shape errors are ValueErrors
        return UNDECODABLE


class Store:
    """The SQLite results database of one output folder. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, timeout=30.0)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        with self.db:
            self.db.executescript(SCHEMA)
        self._add_digest_column()

    def _add_digest_column(self) -> None:
        """Migrate a store made before digests: add the (empty) ``digest`` column."""
        if "digest" in self._columns():
            return
        try:
            with self.db:
                self.db.execute("ALTER TABLE replications ADD COLUMN digest TEXT")
        except sqlite3.OperationalError:
            if "digest" not in self._columns():  # else another process just added it
                raise

    def _columns(self) -> set[str]:
        return {row["name"] for row in self.db.execute("PRAGMA table_info(replications)")}

    @classmethod
    def in_folder(cls, out: Path) -> Store:
        """The store of output folder ``out`` (created if missing)."""
        return cls(out / DB_NAME)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------
    def begin(self, record: RunRecord, scenario_json: str) -> None:
        """Register a run (or a restart of it); :meth:`days` then gives what is stored.

        If the stored run was made by another code version, its replications are deleted and
        the run starts afresh: figures never mix two versions of the model.
        """
        old = self._record(record.run_key)
        with self.db:
            if old is not None and old.code_version != record.code_version:
                self.db.execute("DELETE FROM runs WHERE run_key = ?", (record.run_key,))
                old = None
            if old is None:
                self.db.execute(
                    "INSERT INTO runs (run_key, scenario, scenario_hash, policy, seed, level, "
                    "code_version, requested, target, started, updated, scenario_json) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (record.run_key, record.scenario, record.scenario_hash, record.policy,
                     record.seed, record.level, record.code_version, record.requested,
                     record.target, record.started, record.started, scenario_json),
                )  # fmt: skip
            else:
                self.db.execute(
                    "UPDATE runs SET requested = ?, target = ?, updated = ?, finished = NULL "
                    "WHERE run_key = ?",
                    (record.requested, record.target, record.started, record.run_key),
                )

    def add(self, key: str, days: Iterable[EncodedDay]) -> None:
        """Store finished replications, encoded by :func:`encode_day`, each with its digest
        (one transaction, committed on return)."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO replications (run_key, replication, kpis, reps, end_min, "
                "tables, digest) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(key, *d, day_digest(key, *d)) for d in days],
            )

    def drop(self, key: str, replications: Iterable[int]) -> None:
        """Delete stored replications of a run (damaged ones, say)."""
        with self.db:
            self.db.executemany(
                "DELETE FROM replications WHERE run_key = ? AND replication = ?",
                [(key, i) for i in replications],
            )

    def finish(self, key: str, replications: int, finished: str, wall: float, summary: str) -> None:
        """Mark a run complete with its final size, wall time and summary JSON."""
        with self.db:
            self.db.execute(
                "UPDATE runs SET replications = ?, finished = ?, updated = ?, wall_seconds = ?, "
                "summary_json = ? WHERE run_key = ?",
                (replications, finished, finished, wall, summary, key),
            )

    # -- reading ----------------------------------------------------------------------------
    def _record(self, key: str) -> RunRecord | None:
        rows = self.runs(f"{key}%")
        return next((r for r in rows if r.run_key == key), None)

    def runs(self, like: str = "%") -> list[RunRecord]:
        """Stored runs (optionally those whose key matches a LIKE pattern), oldest first."""
        fields = ", ".join(f"r.{f}" for f in RUN_FIELDS)
        rows = self.db.execute(
            f"SELECT {fields}, (SELECT COUNT(*) FROM replications p WHERE p.run_key = r.run_key) "
            "AS stored FROM runs r WHERE r.run_key LIKE ? ORDER BY r.started, r.rowid",
            (like,),
        ).fetchall()
        return [RunRecord(**dict(row)) for row in rows]

    def find(self, prefix: str) -> RunRecord:
        """The run whose key starts with ``prefix`` (a unique prefix is enough)."""
        clean = prefix.strip().lower()
        found = self.runs(f"{clean}%") if clean.isalnum() else []
        if len(found) != 1:
            what = "no stored run" if not found else f"{len(found)} stored runs"
            raise StoreError(f"{what} with a key starting '{prefix}' in {self.path}")
        return found[0]

    def days(self, key: str, damaged: list[Damaged]) -> Iterator[DayResult]:
        """Every sound stored replication of a run, by index (read one at a time).

        A replication that has no digest or fails it, cannot be decoded, or has other KPIs than
        the run's first sound one is skipped and appended to ``damaged`` instead.
        """
        head = self.db.execute(
            "SELECT seed, policy FROM runs WHERE run_key = ?", (key,)
        ).fetchone()
        if head is None:
            return
        rows = self.db.execute(
            "SELECT replication, kpis, reps, end_min, tables, digest FROM replications "
            "WHERE run_key = ? ORDER BY replication",
            (key,),
        )
        names = None
        for row in rows:
            day = _verified(key, row, head["seed"], head["policy"])
            if isinstance(day, DayResult):
                names = names or tuple(day.kpis)
                if tuple(day.kpis) == names:
                    yield day
                    continue
                day = OTHER_KPIS
            damaged.append(Damaged(_replication_number(row["replication"]), day))

    def scenario_json(self, key: str) -> str:
        """The validated scenario of a run, as JSON."""
        row = self.db.execute("SELECT scenario_json FROM runs WHERE run_key = ?", (key,)).fetchone()
        return str(row[0]) if row else "{}"


def _replication_number(value: object) -> int:
    """A replication number as stored (-1 if damaged beyond reading)."""
    return value if isinstance(value, int) else -1
