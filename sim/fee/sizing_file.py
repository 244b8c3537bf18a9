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
    office: dict[str, Any] | None = None  # kind office: plan before/after, minimality (as is)
    headcount: tuple[HeadcountRow, ...]
    headcount_at: dict[str, tuple[BlockRow, ...]]
    simulated_days: Annotated[int, NoBool, Field(ge=0)] | None = None
    validation: dict[str, Any] | None = None  # salesim size's out-of-sample check, shown as is
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
        return self

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
