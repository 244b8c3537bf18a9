"""The strict, frozen pydantic base that every scenario section derives from, and its helpers.

Validators raise :class:`FieldError` to blame one field below the one being validated (with
the value the user wrote); the loader turns it into ``file:line: path = value: message``.
"""

from __future__ import annotations

import types
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

import annotated_types as at
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

from sim.core.clock import format_clock, parse_clock

Loc = tuple[int | str, ...]


class _NoValue:
    """Marks a :class:`FieldError` that has no value to show (a missing or unknown key)."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()


class FieldError(ValueError):
    """A problem with the value at ``loc`` (relative to the field being validated).

    ``message`` says what is allowed, e.g. ``"must be after day.open ('09:00')"``.
    """

    def __init__(self, message: str, loc: Loc = (), value: Any = NO_VALUE) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.value = value


@dataclass(frozen=True)
class TypeDoc:
    """Annotation metadata naming a field's type and allowed values for messages and docs."""

    type: str
    allowed: str = ""


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate that best matches ``name`` (for 'did you mean' hints), if any is close."""
    import difflib  # only on a mistake: its import is not paid by every valid scenario

    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return found[0] if found else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` or an empty string."""
    hint = closest(name, candidates)
    return f" (did you mean '{hint}'?)" if hint else ""


def number(value: Any) -> str:
    """A bound or value as a person would write it: ``0``, ``0.5``, ``100``."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def bounds_text(metadata: Iterable[Any]) -> str:
    """The allowed range from ``Ge``/``Gt``/``Le``/``Lt``/``MinLen`` metadata, in words."""
    lo = hi = ""
    for item in metadata:
        if isinstance(item, at.Ge):
            lo = f"at least {number(item.ge)}"
        elif isinstance(item, at.Gt):
            lo = f"greater than {number(item.gt)}"
        elif isinstance(item, at.Le):
            hi = f"at most {number(item.le)}"
        elif isinstance(item, at.Lt):
            hi = f"less than {number(item.lt)}"
        elif isinstance(item, at.MinLen) and item.min_length > 0:
            lo = "not empty" if item.min_length == 1 else f"at least {item.min_length} items"
    if lo.startswith("at least ") and hi.startswith("at most "):
        return f"between {lo.removeprefix('at least ')} and {hi.removeprefix('at most ')}"
    return " and ".join(part for part in (lo, hi) if part)


def constraints(annotation: Any, metadata: Iterable[Any] = ()) -> list[Any]:
    """A field's constraint metadata, including any inside ``Annotated[...] | None``."""
    found: list[Any] = []
    for item in metadata:
        found.extend(getattr(item, "metadata", [item]))
    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        return constraints(base, [*found, *extra])
    if get_origin(annotation) in (Union, types.UnionType):
        for arg in get_args(annotation):
            found.extend(constraints(arg))
    return found


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise FieldError("must be a number, not true/false", value=value)
    return value


NoBool = BeforeValidator(_no_bool)
Number = Annotated[float, NoBool, Field(allow_inf_nan=False)]
NonNegative = Annotated[float, NoBool, Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[float, NoBool, Field(gt=0, allow_inf_nan=False)]


def _percent(value: Any) -> Any:
    """A share may be written as a percent, ``'70%'`` (0.7), in YAML and workbooks alike."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return float(value.strip()[:-1].strip()) / 100.0
        except ValueError:
            raise FieldError(SHARE_HELP, value=value) from None
    return value


SHARE_HELP = "must be a share between 0 and 1, or a percent such as '70%'"
_SHARE_JSON = WithJsonSchema({
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": 1},
        {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*%\s*$"},
    ]
})  # fmt: skip
Share = Annotated[
    float,
    NoBool,
    BeforeValidator(_percent),
    Field(ge=0, le=1),
    TypeDoc("share", "between 0 and 1, or a percent such as '70%'"),
    _SHARE_JSON,
]
"""A share 0–1; ``'70%'`` is read as 0.7."""
Count = Annotated[int, NoBool, Field(ge=0)]


def show_value(value: Any, limit: int = 80) -> str:
    """A value as the user would write it in YAML, shortened."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, str):
        text = repr(value.strip())
    elif isinstance(value, float):
        text = f"{value:g}" if float(f"{value:g}") == value else repr(value)
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {show_value(v, limit)}" for k, v in value.items()) + "}"
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(show_value(v, limit) for v in value) + "]"
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def user_loc(loc: Loc, data: Any) -> Loc:
    """The location as the user wrote it: union tags dropped, mapping keys as strings."""
    out: list[int | str] = []
    node = data
    for key in loc:
        if isinstance(node, dict) and key not in node and node.get("dist") == key:
            continue  # the tag pydantic adds for the chosen distribution kind
        if isinstance(node, dict):
            out.append(str(key))
            node = node.get(key)
        elif isinstance(node, list | tuple) and isinstance(key, int):
            out.append(key)
            node = node[key] if key < len(node) else None
        else:
            out.append(key)
            node = None
    return tuple(out)


def field_path(loc: Loc) -> str:
    """``arrivals.walk_in[2].rate``."""
    text = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in loc).lstrip(".")
    return text or "(top level)"


CLOCK_HELP = "a clock time 'HH:MM' (minutes 00–59), e.g. '09:30'"


def _clock(value: Any) -> float:
    if isinstance(value, str):
        try:
            return parse_clock(value)
        except ValueError:
            raise FieldError(f"must be {CLOCK_HELP}", value=value) from None
    hint = ""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 30:
        hint = f" (did you mean '{value:02d}:00'?)"
    raise FieldError(f"must be {CLOCK_HELP}{hint}", value=value)


ClockTime = Annotated[
    float,
    BeforeValidator(_clock),
    PlainSerializer(format_clock, return_type=str),
    TypeDoc("time", "'HH:MM', e.g. '09:30'"),
    WithJsonSchema({"type": "string", "pattern": r"^\s*[0-9]{1,5}:[0-5][0-9]\s*$"}),
]
"""A time of day written ``'HH:MM'``, held as minutes since midnight, dumped as ``'HH:MM'``."""


class StrictModel(BaseModel):
    """Immutable; unknown keys are rejected with the closest valid name."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    @classmethod
    def yaml_keys(cls) -> list[str]:
        """The keys a scenario file uses for this section, in declaration order."""
        return [f.alias or name for name, f in cls.model_fields.items()]

    @model_validator(mode="before")
    @classmethod
    def _reject_unknown_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        keys = cls.yaml_keys()
        for key in data:
            if key not in keys and key not in cls.model_fields:
                hint = did_you_mean(str(key), keys)
                valid = ", ".join(keys)
                raise FieldError(f"unknown key{hint}; valid keys here: {valid}", loc=(key,))
        return data


def increasing_starts(pieces: tuple[Any, ...]) -> tuple[Any, ...]:
    """Check that schedule pieces (with a ``start`` read from ``from``) start ever later."""
    for i in range(1, len(pieces)):
        if pieces[i].start <= pieces[i - 1].start:
            raise FieldError(
                f"must be later than the piece before ('{format_clock(pieces[i - 1].start)}')",
                loc=(i, "from"),
                value=format_clock(pieces[i].start),
            )
    return pieces
