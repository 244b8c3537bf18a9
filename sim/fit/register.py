"""The visit register (来访登记) and call log (来电登记) as ``salesim fit`` reads them.

A visit register has one row per visiting group; the header names each column in Chinese,
English or both (``到访时间 arrival``), in any order:

=================  ==================  ===============================================
column             example             meaning
=================  ==================  ===============================================
日期 date           2026-03-02          the day of the visit
日类型 day_type      weekday / 工作日      weekday, weekend (or 周末), holiday (节假日)
到访时间 arrival     10:35               arrival clock time 'HH:MM'
人数 group_size      2                   people in the group
老客户 returning     是 / 否              visited before (复访)
预约 booked          是 / 否              came by appointment (预约)
顾问 rep             张伟                 the rep who received the group; empty if none
接待时长 reception_min 32.5              minutes the rep spent with the group; empty if none
结果 outcome         接待 / 流失 / 非销售    served, lost (left unserved), non_sales
=================  ==================  ===============================================

A call log has 日期 date, 日类型 day_type, 来电时间 time and 通话时长 duration_min. Every mistake
is one :class:`FitError` line naming the file, the row, the column, the value and what is allowed.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.core.clock import format_clock, parse_clock
from sim.domain.results import VISIT_COLUMNS, DayResult

VISIT_FIELDS: dict[str, str] = {
    "date": "日期",
    "day_type": "日类型",
    "arrival": "到访时间",
    "group_size": "人数",
    "returning": "老客户",
    "booked": "预约",
    "rep": "顾问",
    "reception_min": "接待时长",
    "outcome": "结果",
}
"""Visit register columns: English key -> Chinese name (the header is ``中文 English``)."""
CALL_FIELDS: dict[str, str] = {
    "date": "日期",
    "day_type": "日类型",
    "time": "来电时间",
    "duration_min": "通话时长",
}
OUTCOMES = {"接待": "served", "流失": "lost", "非销售": "non_sales"}
DAY_TYPES = {"工作日": "weekday", "周末": "weekend", "节假日": "holiday"}
YES, NO = ("是", "yes", "y", "true", "1"), ("否", "no", "n", "false", "0", "")


class FitError(Exception):
    """A register that cannot be used; ``lines`` are ready to print."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class Visit:
    """One row of a visit register (times in minutes since midnight)."""

    date: str
    day_type: str
    arrival: float
    group_size: int
    returning: bool
    booked: bool
    rep: str
    reception_min: float
    outcome: str


@dataclass(frozen=True)
class LoggedCall:
    """One row of a call log."""

    date: str
    day_type: str
    time: float
    duration_min: float


def header(fields: dict[str, str]) -> list[str]:
    """The written header: ``中文 English`` per column."""
    return [f"{zh} {en}" for en, zh in fields.items()]


def _columns(names: list[str], fields: dict[str, str], source: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, name in enumerate(names):
        words = name.replace("\ufeff", "").split()
        for en, zh in fields.items():
            if en in words or zh in words:
                found.setdefault(en, i)
    missing = [f"{fields[k]} {k}" for k in fields if k not in found]
    if missing:
        raise FitError([f"{source}: 缺少列 missing columns: {', '.join(missing)}"])
    return found


def _bad(source: str, row: int, key: str, fields: dict[str, str], value: str, allowed: str) -> str:
    return f"{source}:{row}: {fields[key]} {key} = '{value}': {allowed}"


def _parse(key: str, text: str) -> Any:
    """One cell's value; ValueError with what is allowed when it cannot be read."""
    text = text.strip()
    if key in ("arrival", "time"):
        try:
            return parse_clock(text)
        except ValueError:
            raise ValueError("须为时刻 must be a clock time 'HH:MM'") from None
    if key == "group_size":
        if not text.isdigit() or int(text) < 1:
            raise ValueError("须为人数 must be a whole number of people, at least 1")
        return int(text)
    if key in ("returning", "booked"):
        if text.lower() not in YES + NO:
            raise ValueError("须为 是/否 must be yes or no")
        return text.lower() in YES
    if key in ("reception_min", "duration_min"):
        if not text:
            return math.nan
        number = float(text) if _number(text) else -1.0
        if not number >= 0:
            raise ValueError("须为分钟数或留空 must be minutes, at least 0, or empty")
        return number
    if key == "outcome":
        value = OUTCOMES.get(text, text)
        if value not in OUTCOMES.values():
            raise ValueError("须为 接待/流失/非销售 must be served, lost or non_sales")
        return value
    if key == "day_type":
        value = DAY_TYPES.get(text, text)
        if value not in DAY_TYPES.values():
            raise ValueError("须为 工作日/周末/节假日 must be weekday, weekend or holiday")
        return value
    return text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read(path: Path, fields: dict[str, str]) -> list[dict[str, Any]]:
    source = str(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise FitError([f"{source}: 找不到文件 no such file"]) from None
    except (UnicodeDecodeError, OSError) as exc:
        why = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else str(exc)
        raise FitError([f"{source}: 无法读取 cannot read ({why})"]) from None
    if len(rows) < 2:
        raise FitError([f"{source}: 没有数据行 no data rows under the header"])
    cols = _columns(rows[0], fields, source)
    out, problems = [], []
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        record: dict[str, Any] = {}
        for key, i in cols.items():
            text = row[i] if i < len(row) else ""
            try:
                record[key] = _parse(key, text)
            except ValueError as exc:
                problems.append(_bad(source, n, key, fields, text, str(exc)))
        out.append(record)
    if problems:
        raise FitError(problems[:20] + ([f"... {len(problems) - 20} more"] * (len(problems) > 20)))
    return out


def read_visits(path: str | Path) -> list[Visit]:
    """Read a visit register (CSV, UTF-8); raise :class:`FitError` on any mistake."""
    return [Visit(**r) for r in _read(Path(path), VISIT_FIELDS)]


def read_calls(path: str | Path) -> list[LoggedCall]:
    """Read a call log (CSV, UTF-8); raise :class:`FitError` on any mistake."""
    return [LoggedCall(**r) for r in _read(Path(path), CALL_FIELDS)]


# --- writing (the shipped synthetic register, and the back-test's simulated days) ------------


def visits_of_day(day: DayResult, date: str, day_type: str, reps: Sequence[str]) -> list[Visit]:
    """The register a simulated day would have produced (groups that arrived); ``reps`` are the
    scenario's rep names in order (the day's tables hold rep numbers)."""
    assert day.tables is not None, "needs a day simulated at level 'full'"
    col = {name: i for i, name in enumerate(VISIT_COLUMNS)}
    out = []
    for row in day.tables.visits:
        cell: dict[str, Any] = {name: row[i] for name, i in col.items()}
        outcome = str(cell["outcome"])
        if outcome not in OUTCOMES.values():
            continue  # refused at the gate or still inside at a hard close: not in a register
        served = outcome == "served" and math.isfinite(float(cell["assigned"]))
        out.append(
            Visit(
                date=date,
                day_type=day_type,
                arrival=float(cell["arrival"]),
                group_size=int(cell["size"]),
                returning=bool(cell["returning"]),
                booked=str(cell["source"]) != "walk_in",
                rep=reps[int(cell["rep"])] if served else "",
                reception_min=round(float(cell["departure"]) - float(cell["assigned"]), 1)
                if served
                else math.nan,
                outcome=outcome,
            )
        )
    return sorted(out, key=lambda v: v.arrival)


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def visit_row(v: Visit) -> list[str]:
    """A register row as written (Chinese flags and outcomes)."""
    outcome = {en: zh for zh, en in OUTCOMES.items()}[v.outcome]
    minutes = "" if math.isnan(v.reception_min) else f"{v.reception_min:g}"
    return [
        v.date,
        v.day_type,
        format_clock(v.arrival),
        str(v.group_size),
        _yes(v.returning),
        _yes(v.booked),
        v.rep,
        minutes,
        outcome,
    ]


def write_csv(path: Path, head: list[str], rows: Iterable[list[str]]) -> None:
    """Write a register CSV (UTF-8 with BOM, so Excel shows the Chinese)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(head)
        writer.writerows(rows)
