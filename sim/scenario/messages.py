"""Validation errors described for people: ``file:line: path = value: what is allowed``,
what is allowed said Chinese first (:func:`sim.core.says.chinese_first`).

Pydantic's errors are turned into one line per problem, naming the field path as the user
wrote it, the value given and, in words, what is allowed (bounds, choices, the keys of a
section, the kinds of distribution).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import annotated_types as at
from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from sim.core.distributions import KINDS
from sim.core.says import chinese_first
from sim.core.schema import (
    NO_VALUE,
    FieldError,
    Loc,
    StrictModel,
    TypeDoc,
    bounds_text,
    constraints,
    did_you_mean,
    field_path,
    show_value,
    user_loc,
)
from sim.scenario.schema import Scenario
from sim.scenario.yaml_text import line_of

if TYPE_CHECKING:
    import yaml


def _models_in(annotation: Any) -> list[type[StrictModel]]:
    """The scenario section classes inside a field annotation (unions, tuples, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, StrictModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]


def _field_at(loc: Loc, model: type[StrictModel] = Scenario) -> FieldInfo | None:
    """The schema field an error location ends at (``None`` inside lists or unknown keys)."""
    models: list[type[StrictModel]] = [model]
    info: FieldInfo | None = None
    for key in loc:
        if isinstance(key, int):
            info = None
            continue
        tagged = [m for m in models if key in KINDS and m is KINDS[key]]
        if tagged:
            models = tagged
            continue
        found = [f for m in models for n, f in m.model_fields.items() if key in (n, f.alias)]
        if not found:
            return None
        info = found[0]
        models = _models_in(info.annotation)
    return info


def _ctx(err: ErrorDetails, key: str) -> Any:
    return (err.get("ctx") or {}).get(key)


def _bounds(err: ErrorDetails, info: FieldInfo | None) -> str:
    if info is not None and (text := bounds_text(constraints(info.annotation, info.metadata))):
        return text
    kinds = {"ge": at.Ge, "gt": at.Gt, "le": at.Le, "lt": at.Lt}
    return bounds_text(kind(_ctx(err, k)) for k, kind in kinds.items() if _ctx(err, k) is not None)


def _choices(err: ErrorDetails, key: str) -> list[str]:
    return re.findall(r"'([^']*)'", str(_ctx(err, key) or ""))


_NUMBER = {"int": "a whole number", "flo": "a number", "dec": "a number"}
_MESSAGES = {
    "finite_number": "must be a finite number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "string_too_short": "must not be empty",
    "tuple_type": "must be a list, e.g. [a, b]",
    "list_type": "must be a list, e.g. [a, b]",
    "dict_type": "must be a mapping of keys",
    "model_attributes_type": "must be a distribution such as {dist: fixed, value: 5}; "
    "kinds: " + ", ".join(KINDS),
}


def _value_problem(err: ErrorDetails, info: FieldInfo | None) -> str | None:
    """What a wrong scalar must be instead, or ``None`` for other kinds of error."""
    kind, value = err["type"], err.get("input")
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"must be {_bounds(err, info)}"
    if kind == "decimal_max_places":
        places = _ctx(err, "decimal_places")
        return f"must have at most {places} decimal place{'s' if places != 1 else ''}"
    if kind.startswith(("int_", "float_", "decimal_")):
        bounds = _bounds(err, info)
        return f"must be {_NUMBER[kind[:3]]}" + (f", {bounds}" if bounds else "")
    if kind == "literal_error":
        allowed = _choices(err, "expected")
        return f"must be one of {', '.join(allowed)}{did_you_mean(str(value), allowed)}"
    return None


def _shape_problem(err: ErrorDetails, info: FieldInfo | None) -> tuple[str, Any, Loc]:
    """What is wrong with a mapping, list or distribution, the value to show, and the key."""
    kind, value = err["type"], err.get("input", NO_VALUE)
    kinds = ", ".join(KINDS)
    if kind == "union_tag_invalid":
        tag = value.get("dist") if isinstance(value, dict) else _ctx(err, "tag")
        hint = did_you_mean(str(tag), KINDS)
        return f"unknown distribution kind{hint}; kinds: {kinds}", tag, ("dist",)
    if kind == "union_tag_not_found":
        return f"missing; a distribution needs dist: one of {kinds}", NO_VALUE, ("dist",)
    if kind == "missing":
        about = f" ({info.description})" if info is not None and info.description else ""
        return f"missing; this key is required{about}", NO_VALUE, ()
    if kind == "model_type":
        keys = _section_keys(str(_ctx(err, "class_name")).strip("'"))
        return f"must be a mapping with keys {keys}", value, ()
    if kind in ("too_short", "too_long"):
        side, count = ("at least", _ctx(err, "min_length"))
        if kind == "too_long":
            side, count = ("at most", _ctx(err, "max_length"))
        return f"must have {side} {count} item{'s' if count != 1 else ''}", value, ()
    if kind == "value_error" and isinstance(value, dict):
        value = NO_VALUE  # a check across several keys: the message names them
    return str(err["msg"]).removeprefix("Value error, "), value, ()


def _too_few(info: FieldInfo | None) -> str:
    meta = constraints(info.annotation, info.metadata) if info is not None else []
    docs = [m for m in meta if isinstance(m, TypeDoc)]
    return "has too few items" + (f"; must be a {docs[-1].type}" if docs else "")


def _section_keys(class_name: str) -> str:
    todo, found = [StrictModel], ""
    while todo and not found:
        cls = todo.pop()
        found = ", ".join(cls.yaml_keys()) if cls.__name__ == class_name else ""
        todo.extend(cls.__subclasses__())
    return found or "as in the reference"


def _describe(
    err: ErrorDetails, data: Any, root: yaml.Node | None, source: str,
    model: type[StrictModel] = Scenario,
) -> str:  # fmt: skip
    loc = tuple(err["loc"])
    found = _ctx(err, "error")
    if isinstance(found, FieldError):
        message, value, below = found.message, found.value, found.loc
    elif err["type"] == "missing" and loc and isinstance(loc[-1], int):
        loc = loc[:-1]  # an item of a fixed-length list such as a window: blame the list
        message, value, below = _too_few(_field_at(loc, model)), err.get("input", NO_VALUE), ()
    elif (simple := _value_problem(err, _field_at(loc, model))) is not None:
        message, value, below = simple, err.get("input", NO_VALUE), ()
    else:
        message, value, below = _shape_problem(err, _field_at(loc, model))
    where_in_data = user_loc(loc + below, data)
    line = line_of(root, where_in_data)
    where = f"{source}:{line}" if line else source
    shown = "" if value is NO_VALUE else f" = {show_value(value)}"
    return f"{where}: {field_path(where_in_data)}{shown}: {chinese_first(message)}"


def _line_number(text: str) -> int:
    match = re.match(r"[^:]*:(\d+):", text)
    return int(match.group(1)) if match else 0



def error_lines(
    exc: ValidationError, data: Any, root: yaml.Node | None, source: str,
    model: type[StrictModel],
) -> list[str]:  # fmt: skip
    """One ``file:line: path = value: what is allowed`` line per problem of ``exc``, raised
    while validating ``data`` (parsed from ``source``) against ``model``; sorted by line."""
    lines = [_describe(e, data, root, source, model) for e in exc.errors()]
    return sorted(dict.fromkeys(lines), key=_line_number)


def error_line(err: ErrorDetails, data: Any, source: str, model: type[StrictModel]) -> str:
    """One ``source: path = value: what is allowed`` line for one pydantic error of ``data``."""
    return _describe(err, data, None, source, model)


def field_at(loc: Loc, model: type[StrictModel] = Scenario) -> FieldInfo | None:
    """The schema field a location (``('arrivals', 'walk_in', 0, 'rate')``) ends at, if any."""
    return _field_at(loc, model)
