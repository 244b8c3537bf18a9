"""What the results store checks before it hands back a stored replication.

Every row of ``replications`` carries a digest (:func:`day_digest`): a sha256 over its run key,
its replication number and the exact stored kpis, reps, end time and tables. On reading, a row
whose digest is missing (stored by an older salesim) or does not match is not decoded at all; a
row that matches is decoded strictly (:func:`kpi_map`, :func:`rep_stats`, :func:`tables_of`),
so that a damaged value raises :class:`ValueError` here rather than a traceback later. What was
not reused, and why, is reported by :class:`Damaged` and :func:`damage_note`.

The digest detects damage (a changed digit, a truncated blob, a row copied onto another); it is
not a signature: whoever edits a row and recomputes its digest is not stopped by it.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Sequence
from dataclasses import MISSING, dataclass, fields
from typing import get_type_hints

from sim.domain.kpis import BY_KEY
from sim.domain.results import RepStats, Tables

NO_DIGEST = "no digest (stored by an older salesim)"
BAD_DIGEST = "digest mismatch"
UNDECODABLE = "undecodable"
OTHER_KPIS = "KPIs unlike the run's other replications"

_REP_TYPES: dict[str, type] = get_type_hints(RepStats)
_REP_REQUIRED = {f.name for f in fields(RepStats) if f.default is MISSING}
_TABLES = {f.name for f in fields(Tables)}


@dataclass(frozen=True)
class Damaged:
    """A stored replication that is not reused, and why (one of this module's problems)."""

    replication: int
    problem: str


def day_digest(
    key: str, replication: int, kpis: str, reps: str, end: float, tables: bytes | None
) -> str:
    """The hex sha256 of a stored replication, over its run key, number and stored columns.

    Each part is length-prefixed (no two different rows hash the same bytes); the end time is
    hashed as its 8 IEEE bytes, absent tables differently from empty ones.
    """
    sha = hashlib.sha256()
    parts = (
        key.encode("utf-8"), str(replication).encode("ascii"), kpis.encode("utf-8"),
        reps.encode("utf-8"), struct.pack("<d", end), b"-" if tables is None else b"+" + tables,
    )  # fmt: skip
    for part in parts:
        sha.update(len(part).to_bytes(8, "little") + part)
    return sha.hexdigest()


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def kpi_map(data: object) -> dict[str, float]:
    """Decoded KPIs, checked: a non-empty map of known KPI keys to numbers."""
    if not isinstance(data, dict) or not data:
        raise ValueError("KPIs are not a non-empty map")
    for key, value in data.items():
        if not (isinstance(key, str) and key in BY_KEY and _number(value)):
            raise ValueError(f"KPI {key!r}: not a known KPI with a number")
    return data


def _rep_value_ok(name: str, value: object) -> bool:
    kind = _REP_TYPES[name]
    if kind is str:
        return isinstance(value, str)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return _number(value)  # a float field (JSON writes 0.0 as 0.0, but accept an int)


def rep_stats(data: object) -> RepStats:
    """One decoded rep, checked against :class:`RepStats` (field names and types)."""
    if not isinstance(data, dict) or not _REP_REQUIRED <= data.keys() <= _REP_TYPES.keys():
        raise ValueError("rep statistics do not have the fields of RepStats")
    if not all(_rep_value_ok(name, value) for name, value in data.items()):
        raise ValueError("rep statistics have a value of the wrong type")
    return RepStats(**data)


def tables_of(data: object) -> Tables:
    """Decoded tables, checked: known table names, each a list of rows (lists)."""
    if not isinstance(data, dict) or not data.keys() <= _TABLES:
        raise ValueError("tables are not a map of known table names")
    for rows in data.values():
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise ValueError("a table is not a list of rows")
    return Tables(**{name: [tuple(row) for row in rows] for name, rows in data.items()})


def spans(numbers: Iterable[int]) -> str:
    """``0-3, 7, 9-10``: sorted numbers with runs collapsed (a long list stays one short line)."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def damage_note(key: str, damaged: Sequence[Damaged]) -> str:
    """One line naming the run (12-character key prefix, as ``salesim results`` shows it) and
    the damaged replications by problem."""
    problems = dict.fromkeys(d.problem for d in damaged)
    which = "; ".join(
        f"{problem}: {spans(d.replication for d in damaged if d.problem == problem)}"
        for problem in problems
    )
    return f"run {key[:12]}: damaged stored replications not reused ({which})"
