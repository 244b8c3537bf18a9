"""Reading the sizing result of ``salesim size`` (``sizing.json``, docs/sizing-result.md).

The file is validated like a scenario: a mistake names the file, the line (JSON is read a
second time as YAML to find lines), the field path, the value and what is allowed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from sim.core.clock import format_clock
from sim.core.guards import input_problems, too_deep
from sim.core.schema import ClockTime, FieldError, NoBool, StrictModel, did_you_mean
from sim.fee.inputs import read_input
from sim.fee.posts import ALL_POSTS
from sim.scenario.loader import ScenarioError, error_lines, parse_yaml

FORMAT = "salesim-sizing/1"
LEVELS = ("0.90", "0.99")
"""The confidence levels a sizing file must state besides its own (``headcount_at``)."""

People = Annotated[int, NoBool, Field(ge=0, le=10_000)]


class SizingError(Exception):
    """A sizing file that cannot be used; ``lines`` are ready to print."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class SizingFileTarget(StrictModel):
    """A KPI target as a sizing file records it, with what the sizing achieved (echoed for the
    fee plan's assumptions)."""

    kpi: str
    op: Literal["<=", ">=", "<", ">"]
    value: float
    achieved: float | None = None
    margin: float | None = None


class BlockRow(StrictModel):
    """Headcount of one post in one block at a confidence level (``headcount_at`` rows)."""

    post: Annotated[str, Field(min_length=1)]
    label_zh: str | None = None
    payer: Literal["property", "developer"] | None = None  # None: written before payers
    block: Annotated[str, Field(min_length=1)]
    start: ClockTime | None = None
    end: ClockTime | None = None
    baseline: People
    extra: People
    total: People
    day: str | None = None  # a multi-day event's day label (issue 12); None: a one-day event

    @field_validator("post")
    @classmethod
    def _known(cls, post: str) -> str:
        if post not in ALL_POSTS:
            raise FieldError(f"not a post of the rate card{did_you_mean(post, ALL_POSTS)}; rate "
                             f"cards price {', '.join(ALL_POSTS)}", value=post)  # fmt: skip
        return post

    @model_validator(mode="after")
    def _consistent(self) -> BlockRow:
        if self.extra != max(0, self.total - self.baseline):
            raise FieldError(
                f"must be total - baseline ({self.total} - {self.baseline}), never negative",
                loc=("extra",), value=self.extra,
            )  # fmt: skip
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise FieldError(f"must be after start ('{format_clock(self.start)}')",
                             loc=("end",), value=format_clock(self.end))  # fmt: skip
        return self


class HeadcountRow(BlockRow):
    """A ``headcount`` row: start and end of the block are required."""

    start: ClockTime
    end: ClockTime


class SizedDay(StrictModel):
    """One day of a multi-day sizing (``days``): label, attendance and what the sizer states
    about it (class, seats, targets; shown as is)."""

    label: Annotated[str, Field(min_length=1)]
    attendance: Annotated[int, NoBool, Field(ge=1)]
    seed: int | None = None
    event_class: dict[str, Any] | None = None
    waiting_area: dict[str, Any] | None = None
    targets: tuple[SizingFileTarget, ...] = ()
    roster: dict[str, Any] | None = None  # the day's shifts at the booking terms (issue 19)
    status: Literal["ok"] = "ok"  # a day whose fresh check failed is NOT an answer (issue 19)
    seconds: float | None = None


class SizingFile(StrictModel):
    """A sizing file (``sizing.json``, written by ``salesim size``) as the fee plan reads it:
    headcount per post and block at the stated confidence."""

    format: Literal["salesim-sizing/1"]
    kind: Literal["event", "office"] = "event"  # office: a sized normal day (office-sizing.md)
    scenario: str = ""
    scenario_name: str = ""
    day_type: str = ""
    confidence: Annotated[float, NoBool, Field(gt=0, lt=1)]
    mode: Literal["share_of_days", "upper_ci_mean"]
    block_minutes: Annotated[int, NoBool, Field(ge=1, le=1440)]
    blocks: tuple[str, ...] = ()
    targets: tuple[SizingFileTarget, ...] = ()
    event_class: dict[str, Any] | None = None  # event class flags (issue 12), shown as is
    waiting_area: dict[str, Any] | None = None  # seats vs the simulated peak (issue 12)
    parking: dict[str, Any] | None = None  # spaces vs the simulated peak of cars (issue 12)
    office: dict[str, Any] | None = None  # kind office: plan before/after, minimality (as is)
    headcount: tuple[HeadcountRow, ...]
    headcount_at: dict[str, tuple[BlockRow, ...]]
    days: tuple[SizedDay, ...] | None = None  # a multi-day event: each day billed once
    simulated_days: Annotated[int, NoBool, Field(ge=0)] | None = None
    validation: dict[str, Any] | None = None  # salesim size's out-of-sample check, shown as is
    roster: dict[str, Any] | None = None  # shifts at the booking terms (issue 19); None: older
    seconds: float | None = None
    code_version: str | None = None

    @model_validator(mode="after")
    def _levels_and_blocks(self) -> SizingFile:
        for level in LEVELS:
            if level not in self.headcount_at:
                raise FieldError(f"missing; headcount_at needs the levels {', '.join(LEVELS)}",
                                 loc=("headcount_at", level))  # fmt: skip
        for i, row in enumerate(self.headcount):
            if self.blocks and row.block not in self.blocks:
                raise FieldError(f"not one of blocks ({', '.join(self.blocks)})",
                                 loc=("headcount", i, "block"), value=row.block)  # fmt: skip
        self._check_days()
        return self

    def _check_days(self) -> None:
        """Every row of a multi-day file names one of its days; a one-day file names none."""
        labels = [d.label for d in self.days or ()]
        tables = [("headcount", self.headcount),
                  *((("headcount_at", lv), rows) for lv, rows in self.headcount_at.items())]
        for where, rows in tables:
            for i, row in enumerate(rows):
                if (row.day is None) != (not labels) or (labels and row.day not in labels):
                    valid = f"one of days ({', '.join(labels)})" if labels else "absent (no days)"
                    loc = (*where, i, "day") if isinstance(where, tuple) else (where, i, "day")
                    raise FieldError(f"must be {valid}", loc=loc, value=row.day)

    def day_labels(self) -> list[str | None]:
        """The days billed: their labels, or ``[None]`` for a one-day event."""
        return [d.label for d in self.days] if self.days else [None]

    def block_times(self) -> dict[str, tuple[float, float]]:
        """Start and end (minutes since midnight) of each block named in ``headcount``."""
        return {row.block: (row.start, row.end) for row in self.headcount}


def _not_json(source: str, exc: json.JSONDecodeError) -> SizingError:
    return SizingError([f"{source}:{exc.lineno}: not a JSON file ({exc.msg}, column {exc.colno}); "
                        "a sizing file is the sizing.json that `salesim size` writes"])  # fmt: skip


def _lines(text: str, source: str) -> yaml.Node | None:
    try:
        return parse_yaml(text, source)[1]
    except ScenarioError:
        return None  # valid JSON that PyYAML cannot read: messages go without line numbers


def validate_sizing(data: Any, source: str, root: yaml.Node | None = None) -> SizingFile:
    """Validate parsed sizing data; raise :class:`SizingError` listing every problem."""
    if not isinstance(data, dict):
        raise SizingError([f"{source}: a sizing file must be a JSON object with "
                           f"\"format\": \"{FORMAT}\""])  # fmt: skip
    tag = data.get("format")
    if tag != FORMAT:
        shown = "missing" if tag is None else f"= {json.dumps(tag, ensure_ascii=False)}"
        raise SizingError([f"{source}: format {shown}: must be \"{FORMAT}\" (see "
                           "docs/sizing-result.md)"])  # fmt: skip
    try:
        return SizingFile.model_validate(data)
    except ValidationError as exc:
        raise SizingError(error_lines(exc, data, root, source, SizingFile)) from None


def load_sizing(path: str | Path) -> SizingFile:
    """Read and validate a sizing file."""
    source = str(path)
    text = read_input(path, "sizing", SizingError)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _not_json(source, exc) from None
    except RecursionError:
        raise SizingError([too_deep(source)]) from None
    problems = input_problems(data, source)  # control characters, deep nesting (issue 18)
    if problems:
        raise SizingError(problems)
    return validate_sizing(data, source, _lines(text, source))


def validation_lines(sizing: SizingFile) -> list[str]:
    """The sizer's out-of-sample check in words, one line per target (empty when absent)."""
    v = sizing.validation
    if not v:
        return []
    missed = [str(t.get("kpi")) for t in v.get("targets", []) if t.get("verdict") == "MISSES"]
    verdict = ("全部达标 all targets met" if v.get("all_met") else
               "未全部达标 NOT all met" + (f" ({', '.join(missed)})" if missed else "") +
               "：附加费可能偏低，请增加测算天数 -n 重新测算 the surcharge may be too low; "
               "re-size with more days (-n)")  # fmt: skip
    head = (f"样本外验证 out-of-sample validation: {v.get('days')} fresh days (seed "
            f"{v.get('seed')}): {verdict}")
    lines = [head]
    for t in v.get("targets", []):
        lines.append(f"{t.get('kpi')} {t.get('op')} {t.get('value')}: {t.get('verdict')} "
                     f"(fresh {t.get('fresh')}, level {t.get('level')})")
    return lines


def event_lines(sizing: SizingFile) -> list[str]:
    """The event as the sizer classed it (issue 12): class, police-permit flag and the
    waiting area's seats against the simulated peak, per day for a multi-day event (Chinese
    first; empty for a sizing file without them)."""
    days: list[tuple[str, int, dict[str, Any] | None, dict[str, Any] | None]] = [
        (d.label, d.attendance, d.event_class, d.waiting_area) for d in sizing.days or ()]
    out = _class_lines(sizing.event_class, multi=bool(days))
    for label, attendance, cls, seats in days or [("", 0, None, sizing.waiting_area)]:
        parts = [_class_word(cls)] if label and cls else []
        parts += [_seats_text(seats)] if seats else []
        if parts:
            head = f"{label} ({attendance} 人 people): " if label else ""
            out.append(head + "; ".join(parts))
    return out


def _class_word(c: dict[str, Any]) -> str:
    return "大型活动 large" if c.get("class") == "large" else "中小型活动 small/medium"


def _class_lines(c: dict[str, Any] | None, multi: bool) -> list[str]:
    if not c:
        return []
    permit = ("须申请 REQUIRED (≥1,000 人 people: 大型群众性活动, 提前20天 20 days ahead)"
              if c.get("mass_gathering") else "不需要 not required (<1,000 人 people)")
    people = (f"最多一天 busiest day {c.get('attendance')} 人, 合计 total "
              f"{c.get('total_attendance')} 人 people" if multi
              else f"{c.get('attendance')} 人 people")  # fmt: skip
    return [f"活动规模 event class: {_class_word(c)} ({people}); 公安安全许可 police permit: "
            f"{permit}"]


def _seats_text(w: dict[str, Any]) -> str:
    verdict = (f"缺 {w.get('short')} 座 SHORT of {w.get('short')} seats" if w.get("short")
               else "座位足够 enough seats")  # fmt: skip
    return (f"等候区座位 waiting-area seats: {w.get('seats')} 座; 模拟峰值 simulated peak "
            f"{w.get('peak_mean')} 人 on average, at most {w.get('peak_max')}; 需 "
            f"{w.get('seats_needed')} 座 needed on {w.get('level')} of the days: {verdict}")
