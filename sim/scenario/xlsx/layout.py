"""How a scenario maps onto a workbook, without Excel: sheets, rows, tables and cell values.

Everything is derived from the scenario data and the pydantic models (field titles,
descriptions, constraints), never from a copied field list, so a field added to the schema
appears in the workbook by itself. A section goes to the sheet named in :data:`SHEETS`; a
top-level key not named there goes to the sheet 其他 Other.

A sheet is a list of :class:`Row`: one scalar field per row (``arrivals.appointments.count``),
or a *table* for a list of flat records (``arrivals.walk_in``: one row per piece, one column
per key), so a planner adds an hour of arrivals by adding a row. Lists of scalars and anything
that cannot be flattened (a key with a dot in it) are written as one YAML flow value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin

import yaml
from pydantic.fields import FieldInfo

from sim.core.distributions import KINDS
from sim.core.schema import Loc, TypeDoc, bounds_text, constraints, field_path
from sim.scenario.loader import ScenarioYamlLoader

SHEETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("营业与时间 Office", ("name", "description", "day", "policy")),
    ("分时来访 Arrivals", ("arrivals",)),
    ("客户构成 Visitors", ("visitors",)),
    ("顾问与组别 Reps", ("reps", "rotation")),
    ("场地与样板间 Rooms", ("vip_rooms", "tables", "sample_houses", "service_times")),
    ("岗位与班次 Posts", ("staffing",)),
    ("服务标准 Targets", ("targets", "office_sizing")),
    ("活动 Event", ("event",)),
)
"""Sheet name (Chinese first) and the top-level scenario keys it holds, in order."""

OTHER_SHEET = "其他 Other"
HEADER = ("字段 Field", "值 Value", "说明 Description", "允许 Allowed")
TABLE_MARK = "[]"
NULL_WORDS = ("null", "无", "none", "~")
"""Cell texts read as "no value" (null); an empty cell leaves the field at its default."""


@dataclass
class Row:
    """One row of a sheet: a scalar field, or the header of a table (``columns`` given)."""

    loc: Loc
    value: Any = None
    columns: tuple[str, ...] = ()
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_table(self) -> bool:
        return bool(self.columns)


def sheet_of(key: str) -> str:
    """The sheet a top-level key belongs to."""
    return next((name for name, keys in SHEETS if key in keys), OTHER_SHEET)


def _plain_key(key: Any) -> bool:
    return isinstance(key, str | int) and not re.search(r"[.\[\]\s]", str(key)) and str(key) != ""


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _flat_records(value: Any) -> tuple[str, ...]:
    """The columns of a list of flat records (each a mapping of scalars), else ``()``."""
    if not isinstance(value, list) or not value:
        return ()
    if not all(isinstance(v, dict) and v and all(map(_is_scalar, v.values())) for v in value):
        return ()
    columns: dict[str, None] = {}
    for record in value:
        if not all(_plain_key(k) for k in record):
            return ()
        columns.update(dict.fromkeys(str(k) for k in record))
    return tuple(columns)


def flatten(value: Any, loc: Loc) -> list[Row]:
    """The rows of one value at ``loc``: scalars one per row, flat record lists as tables."""
    if isinstance(value, dict) and value and all(_plain_key(k) for k in value):
        return [row for k, v in value.items() for row in flatten(v, (*loc, str(k)))]
    if columns := _flat_records(value):
        return [Row(loc, columns=columns, records=list(value))]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [row for i, v in enumerate(value) for row in flatten(v, (*loc, i))]
    return [Row(loc, value)]


def sheets(data: dict[str, Any]) -> dict[str, list[Row]]:
    """Every sheet's rows for scenario ``data`` (as dumped by alias, JSON mode)."""
    out: dict[str, list[Row]] = {name: [] for name, _ in SHEETS}
    for key, value in data.items():
        out.setdefault(sheet_of(key), []).extend(flatten(value, (key,)))
    return {name: rows for name, rows in out.items() if rows}


# --- cell values -----------------------------------------------------------------------------


def _flow(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6).strip()


def to_cell(value: Any) -> Any:
    """A scenario value as a cell value: numbers and true/false as themselves, text as text
    (quoted when it would read back as something else), ``null``, lists as YAML flow."""
    if value is None:
        return "null"
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _flow(value) if from_cell(value) != value else value
    return _flow(value)


def from_cell(value: Any) -> Any:
    """A cell value as scenario data (the inverse of :func:`to_cell`). Clock times typed into
    Excel come back as ``'HH:MM'``; a text starting with ``[``, ``{`` or a quote is YAML."""
    if hasattr(value, "hour") and hasattr(value, "minute") and not hasattr(value, "year"):
        return f"{value.hour:02d}:{value.minute:02d}"
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.lower() in NULL_WORDS:
        return None
    if text[:1] in "[{'\"":
        try:
            return yaml.load(text, Loader=ScenarioYamlLoader)
        except yaml.YAMLError:
            return value
    return value


def path_text(loc: Loc) -> str:
    """The Field column: ``arrivals.walk_in`` (a table gets ``[]`` appended)."""
    return field_path(loc)


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(text: str) -> Loc:
    """``arrivals.walk_in[2].rate`` -> ``('arrivals', 'walk_in', 2, 'rate')``."""
    return tuple(int(i) if i else name for name, i in _STEP.findall(text))


def set_at(data: dict[str, Any], loc: Loc, value: Any) -> None:
    """Put ``value`` at ``loc``, creating mappings and lists on the way."""
    node: Any = data
    for step, after in zip(loc, (*loc[1:], None), strict=True):
        last = after is None
        if isinstance(node, list):
            assert isinstance(step, int)
            while len(node) <= step:
                node.append({})
        if last:
            node[step] = value
            return
        if isinstance(node, dict) and step not in node:
            node[step] = [] if isinstance(after, int) else {}
        node = node[step]


# --- what a field allows ---------------------------------------------------------------------


DIST_KEY = "dist"
DIST_NOTE = (
    "分布类型 distribution kind; its other keys follow it (docs/scenario-reference.md)",
    "one of " + ", ".join(KINDS),
)
"""Description and allowed text of a distribution's ``dist`` key: any kind may be chosen,
although the schema's field for the kind written holds only that one."""


def literal_choices(info: FieldInfo | None, loc: Loc = ()) -> list[str]:
    """The allowed texts of a choice field (``Literal[...]``, optional or not); any
    distribution kind for a ``dist`` key."""
    if loc and loc[-1] == DIST_KEY:
        return list(KINDS)
    if info is None:
        return []
    todo: list[Any] = [info.annotation]
    found: list[str] = []
    while todo:
        ann = todo.pop()
        args = get_args(ann)
        if get_origin(ann) is not None and str(get_origin(ann)).endswith("Literal"):
            found.extend(str(a) for a in args)
        else:
            todo.extend(a for a in args if a is not type(None))
    return found


def number_bounds(info: FieldInfo | None) -> tuple[float | None, float | None, bool]:
    """(lowest, highest, whole numbers only) of a numeric field, for Excel data validation;
    none for a field that may also be null (Excel's number check would refuse ``null``)."""
    if info is None or "None" in str(info.annotation):
        return None, None, False
    lo = hi = None
    for item in constraints(info.annotation, info.metadata):
        lo = getattr(item, "ge", getattr(item, "gt", lo))
        hi = getattr(item, "le", getattr(item, "lt", hi))
    ann = str(info.annotation)
    return lo, hi, "int" in ann and "float" not in ann


def allowed_text(info: FieldInfo | None) -> str:
    """What a field allows, in words (its type note, choices and bounds)."""
    if info is None:
        return ""
    meta = constraints(info.annotation, info.metadata)
    docs = [m for m in meta if isinstance(m, TypeDoc)]
    parts = [f"{docs[-1].type}: {docs[-1].allowed}"] if docs else []
    if choices := literal_choices(info):
        parts.append("one of " + ", ".join(choices))
    if bounds := bounds_text(meta):
        parts.append(bounds)
    if not info.is_required():
        parts.append(f"default {to_cell(_default(info))}")
    return "; ".join(dict.fromkeys(parts))


def _default(info: FieldInfo) -> Any:
    if info.default_factory is not None:
        return "(section)"
    value = info.default
    return value if _is_scalar(value) else _flow(list(value) if isinstance(value, tuple) else value)
