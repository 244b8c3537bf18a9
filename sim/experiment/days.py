"""The replications of a run, held compactly so that memory stays flat as runs grow.

A :class:`~sim.model.DayResult` with its KPI dict and rep statistics takes ~15 KB of Python
objects; 10,000 of them would dominate a run's memory. :class:`DaySeries` keeps days that have
tables as they are (only the first ``table_days`` do) and packs every other day into a small
record: its KPI values in a float array (the KPI names shared by all days) and its rep statistics
as one pickled blob, ~1.5 KB in all. Indexing or iterating rebuilds an ordinary ``DayResult``
(~20 µs); :meth:`DaySeries.kpi_values` reads one KPI over all days without rebuilding any.
"""

from __future__ import annotations

import math
import pickle
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from sim.domain.results import DayResult, RepStats

_PROTOCOL = pickle.HIGHEST_PROTOCOL


class Packed:
    """One day without tables, packed (see the module docstring)."""

    __slots__ = ("end", "keys", "policy", "replication", "reps", "seed", "values")

    def __init__(self, day: DayResult, keys: dict[str, int]) -> None:
        self.replication = day.replication
        self.seed = day.seed
        self.policy = sys.intern(day.policy)
        self.keys = keys
        self.values = array("d", day.kpis.values())
        self.reps = pickle.dumps(tuple(tuple(vars(r).values()) for r in day.reps), _PROTOCOL)
        self.end = day.end

    def unpack(self) -> DayResult:
        """The day as an ordinary ``DayResult``."""
        reps = tuple(RepStats(*fields) for fields in pickle.loads(self.reps))
        # NaN comes back as math.nan itself, so that a day equals its unpacked copy
        kpis = {k: v if v == v else math.nan for k, v in zip(self.keys, self.values, strict=True)}
        return DayResult(self.replication, self.seed, self.policy, kpis, reps, None, self.end)

    def kpi(self, key: str) -> float:
        """One KPI's value."""
        return self.values[self.keys[key]]


Entry = DayResult | Packed


class Packer:
    """Packs days, sharing one KPI-name index among all days with the same KPIs."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, ...], dict[str, int]] = {}

    def __call__(self, day: DayResult) -> Entry:
        """``day`` itself if it has tables (kept whole), else its packed form."""
        if day.tables is not None:
            return day
        names = tuple(day.kpis)
        keys = self._keys.setdefault(names, {k: i for i, k in enumerate(names)})
        return Packed(day, keys)


def unpack(entry: Entry) -> DayResult:
    """The ``DayResult`` of an entry."""
    return entry.unpack() if isinstance(entry, Packed) else entry


def kpi_value(entry: Entry, key: str) -> float:
    """One KPI of an entry, without rebuilding the day."""
    return entry.kpi(key) if isinstance(entry, Packed) else entry.kpis[key]


class DaySeries(Sequence[DayResult]):
    """An immutable sequence of days (by replication index), stored compactly.

    It compares equal to any sequence of equal days (a tuple, say); a slice is a DaySeries.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._entries = tuple(entries)

    @classmethod
    def of(cls, days: Iterable[DayResult]) -> DaySeries:
        """Pack ordinary days."""
        pack = Packer()
        return cls(pack(d) for d in days)

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> DayResult: ...

    @overload
    def __getitem__(self, index: slice) -> DaySeries: ...

    def __getitem__(self, index: int | slice) -> DayResult | DaySeries:
        if isinstance(index, slice):
            return DaySeries(self._entries[index])
        return unpack(self._entries[index])

    def __iter__(self) -> Iterator[DayResult]:
        return (unpack(e) for e in self._entries)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(tuple(self))

    def kpi_values(self, key: str) -> list[float]:
        """One KPI over every day, in order (fast: no day is rebuilt)."""
        return [kpi_value(e, key) for e in self._entries]

    def tabled(self) -> list[DayResult]:
        """The days that kept their tables, in order (no packed day is rebuilt)."""
        return [e for e in self._entries if not isinstance(e, Packed) and e.tables is not None]


def tabled_days(days: Sequence[DayResult]) -> list[DayResult]:
    """The days that kept their tables, in order; a :class:`DaySeries` finds them without
    rebuilding its packed days (the plots of a 10,000-day run touch 100 days, not 10,000)."""
    if isinstance(days, DaySeries):
        return days.tabled()
    return [d for d in days if d.tables is not None]


def kpi_values(days: Sequence[DayResult], key: str) -> list[float]:
    """One KPI over ``days`` (fast for a :class:`DaySeries`)."""
    if isinstance(days, DaySeries):
        return days.kpi_values(key)
    return [d.kpis[key] for d in days]
