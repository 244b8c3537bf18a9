"""Load scenario YAML files into validated :class:`Scenario` objects with clear errors.

Every user mistake becomes a :class:`ScenarioError` with one line per problem, each naming
the file, the line when known, the field path, the value given and what is allowed::

    weekday.yaml:18: arrivals.walk_in[2].rate = -2: must be at least 0

The CLI prints the lines and exits with code 2; no mistake in a file gives a traceback.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import annotated_types as at
from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from sim.core.distributions import KINDS
from sim.core.guards import input_problems, too_deep
from sim.core.schema import (
    NO_VALUE,
    FieldError,
    Loc,
    StrictModel,
    TypeDoc,
    bounds_text,
    closest,
    constraints,
    did_you_mean,
    field_path,
    show_value,
    user_loc,
)
from sim.scenario.schema import Scenario


class ScenarioError(Exception):
    """A scenario file or value that cannot be used; ``lines`` are ready to print."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


# --- YAML ------------------------------------------------------------------------------------


if TYPE_CHECKING:
    import yaml  # PyYAML is imported when a file or value is read, not to validate a dict

    ScenarioYamlLoader = yaml.SafeLoader


_INT = re.compile(
    r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"
)


@cache
def yaml_loader() -> type[yaml.SafeLoader]:
    """The YAML loader of scenario files (also ``ScenarioYamlLoader``): a SafeLoader that keeps
    ``13:00`` and ``2024-05-01`` as strings (no base-60 ints, no dates). Anything read as a
    scenario value (a ``--vary`` value, a documentation example) is read with it, so it means
    what it would in a file. Built on first use: validating a scenario given as data (the
    M/M/c benchmark, a derived variant) does not import PyYAML (issue 17 item 5)."""
    import yaml

    class ScenarioYamlLoader(yaml.SafeLoader):
        """The YAML loader of scenario files (see :func:`yaml_loader`)."""

    ScenarioYamlLoader.yaml_implicit_resolvers = {
        first: [
            (tag, _INT if tag == "tag:yaml.org,2002:int" else rx)
            for tag, rx in resolvers
            if tag != "tag:yaml.org,2002:timestamp"
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return ScenarioYamlLoader


def __getattr__(name: str) -> Any:
    """``ScenarioYamlLoader``, built on first use (:func:`yaml_loader`)."""
    if name == "ScenarioYamlLoader":
        return yaml_loader()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_QUOTE_HINT = "a quote opened on this line is not closed"
# Plain-English readings of PyYAML's problems, looked up in its context and problem text.
_HINTS = (
    ("while parsing a flow", "a '{' or '[' opened on this line is not closed"),
    ("while scanning a quoted", _QUOTE_HINT),
    ("'\\t'", "a tab is used for indentation; indent with spaces"),
    ("expected <block end>", "the indentation of this line does not match the lines above"),
    ("mapping values are not allowed", "unexpected ':' (check the indentation or quote the value)"),
    ("could not find expected ':'", "a key without ':' (or a line that should be indented)"),
)


def _open_quote_line(text: str, upto: int) -> int | None:
    """The last line up to ``upto`` with an odd number of double quotes (an unclosed string)."""
    lines = text.splitlines()[:upto]
    odd = [i + 1 for i, ln in enumerate(lines) if ln.replace('\\"', "").count('"') % 2]
    return odd[-1] if odd else None


def _syntax_error(exc: yaml.YAMLError, text: str, source: str) -> ScenarioError:
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None) or ""
    found = problem_mark.line + 1 if problem_mark is not None else None
    line = found
    if context_mark is not None and context.startswith(("while parsing a flow", "while scanning")):
        line = context_mark.line + 1
    hint = next((h for key, h in _HINTS if key in f"{context} {problem}"), "")
    quote = _open_quote_line(text, found) if found is not None else None
    if quote is not None and quote != line:
        line, hint = quote, _QUOTE_HINT
    detail = problem + (f" at line {found}" if found is not None and found != line else "")
    where = f"{source}:{line}" if line is not None else source
    if not hint:
        return ScenarioError([f"{where}: YAML syntax error: {detail}"])
    return ScenarioError([f"{where}: YAML syntax error: {hint} ({detail})"])


def _check_duplicate_keys(node: yaml.Node, source: str, path: Loc = ()) -> None:
    """PyYAML silently keeps the last of two equal keys; report that as the mistake it is."""
    import yaml

    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _check_duplicate_keys(item, source, (*path, i))
    if not isinstance(node, yaml.MappingNode):
        return
    first: dict[str, int] = {}
    for key, value in node.value:
        name, line = str(key.value), key.start_mark.line + 1
        if name in first:
            where = f"{source}:{line}: {field_path((*path, name))}"
            raise ScenarioError([
                f"{where}: duplicate key (first at line {first[name]}); keys must be unique"
            ])
        first[name] = line
        _check_duplicate_keys(value, source, (*path, name))


def _parse(text: str, source: str) -> tuple[Any, yaml.Node | None]:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml_loader())
        if root is not None:
            _check_duplicate_keys(root, source)
        data = yaml.load(text, Loader=yaml_loader())
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text, source) from None
    except RecursionError:
        raise ScenarioError([too_deep(source)]) from None
    problems = input_problems(data, source, lambda loc: _line_of(root, loc))  # issue 18
    if problems:
        raise ScenarioError(problems)
    return data, root


# --- locating and describing validation errors -----------------------------------------------


def _line_of(root: yaml.Node | None, loc: Loc) -> int | None:
    """The 1-based line of the deepest key or item of ``loc`` found in the YAML tree."""
    if root is None:  # validated data, not a file
        return None
    import yaml

    node, line = root, None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            pairs = [(k, v) for k, v in node.value if str(k.value) == str(key)]
            if not pairs:
                break
            line, node = pairs[0][0].start_mark.line + 1, pairs[0][1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


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
    line = _line_of(root, where_in_data)
    where = f"{source}:{line}" if line else source
    shown = "" if value is NO_VALUE else f" = {show_value(value)}"
    return f"{where}: {field_path(where_in_data)}{shown}: {message}"


def _line_number(text: str) -> int:
    match = re.match(r"[^:]*:(\d+):", text)
    return int(match.group(1)) if match else 0


def parse_yaml(text: str, source: str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML text (no dates, no base-60 numbers, duplicate keys rejected) into the data
    and its node tree (for line numbers); raise :class:`ScenarioError` on a syntax error."""
    return _parse(text, source)


def line_of(root: yaml.Node | None, loc: Loc) -> int | None:
    """The 1-based line of the deepest key or item of ``loc`` found in a parsed YAML tree."""
    return _line_of(root, loc)


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


def validate_scenario(
    data: Any, source: str = "<scenario>", root: yaml.Node | None = None
) -> Scenario:
    """Validate already-parsed data; raise :class:`ScenarioError` listing every problem."""
    if data is None:
        raise ScenarioError([f"{source}: the scenario file is empty (only comments, no keys)"])
    if not isinstance(data, dict):
        raise ScenarioError([
            f"{source}: the scenario must be a mapping of keys such as name:, day:, arrivals: "
            f"(got {show_value(data)})"
        ])
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        lines = error_lines(exc, data, root, source, Scenario)
    raise ScenarioError(lines)


def _no_such_file(path: Path) -> ScenarioError:
    nearby = [p.name for p in path.parent.glob("*.y*ml")] if path.parent.is_dir() else []
    near = closest(path.name, nearby)
    hint = f" (did you mean '{path.parent / near}'?)" if near else ""
    return ScenarioError([f"{path}: no such scenario file{hint}"])


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _no_such_file(path) from None
    except UnicodeDecodeError:
        raise ScenarioError([f"{source}: not a text file in UTF-8"]) from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ScenarioError([f"{source}: cannot read the scenario file ({reason})"]) from None
    if not text.strip():
        raise ScenarioError([f"{source}: the scenario file is empty"])
    data, root = _parse(text, source)
    return validate_scenario(data, source, root)


# --- variants --------------------------------------------------------------------------------

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(dotted: str) -> list[int | str]:
    """``arrivals.walk_in[2].rate`` -> ``['arrivals', 'walk_in', 2, 'rate']``."""
    return [int(i) if i else name for name, i in _STEP.findall(dotted)]


def _set(data: dict[str, Any], dotted: str, value: Any, source: str) -> None:
    node: Any = data
    steps = _steps(dotted)
    for depth, step in enumerate(steps):
        last = depth == len(steps) - 1
        in_dict = isinstance(node, dict) and isinstance(step, str) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and step < len(node)
        if in_dict or in_list:
            if last:
                node[step] = value
            node = node[step]
        else:
            keys = list(node) if isinstance(node, dict) else []
            hint = did_you_mean(str(step), [str(k) for k in keys])
            raise ScenarioError([f"{source}: {dotted}: no such field{hint}"])


def derive(scenario: Scenario, changes: dict[str, Any], source: str = "<variant>") -> Scenario:
    """A validated copy of ``scenario`` with fields changed by path (``vip_rooms.count``,
    ``arrivals.walk_in[2].rate``)."""
    data = scenario.model_dump(by_alias=True, mode="json")
    data["visitors"]["group_size"] = dict(data["visitors"]["group_size"])
    for dotted, value in changes.items():
        _set(data, dotted, value, source)
    return validate_scenario(data, source)
