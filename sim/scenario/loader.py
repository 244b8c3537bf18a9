"""Load scenario YAML files into validated :class:`Scenario` objects with clear errors.

Every user mistake becomes a :class:`ScenarioError` whose lines name the file, the line, the
field path, the value and what is allowed; the CLI prints them and exits with code 2.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim.scenario.schema import Scenario


class ScenarioError(Exception):
    """A scenario file or value that cannot be used; ``lines`` are ready to print."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps ``13:00`` a string (YAML 1.1 would read base-60 integers)."""


_INT = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, _INT if tag == "tag:yaml.org,2002:int" else rx) for tag, rx in resolvers]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line_of(root: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the YAML node at a pydantic error location, as deep as it resolves."""
    node = root
    if node is None:
        return None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if str(k.value) == str(key)]
            if match:
                node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key < len(node.value):
                node = node.value[key]
    return node.start_mark.line + 1


def _path(loc: tuple[int | str, ...], data: Any) -> str:
    """A readable field path: ``arrivals.walk_in[2].rate`` (union tags are dropped)."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            parts.append(f"[{key}]")
            node = node[key] if isinstance(node, list | tuple) and key < len(node) else None
        elif isinstance(node, dict) and key in node:
            parts.append(f".{key}" if parts else str(key))
            node = node[key]
        elif node is None or isinstance(node, dict):
            parts.append(f".{key}" if parts else str(key))
            node = None
        # else: a tag pydantic adds for a union member; not part of the user's path
    return "".join(parts) or "(top level)"


def _describe(err: Any, data: Any, root: yaml.Node | None, source: str) -> str:
    loc = tuple(err["loc"])
    line = _line_of(root, loc)
    where = f"{source}:{line}" if line else source
    msg = str(err["msg"]).removeprefix("Value error, ")
    value = err.get("input")
    shown = "" if err["type"] in ("unknown_key", "missing") or isinstance(value, dict) else (
        f" (got {value!r})"
    )
    if err["type"] == "missing":
        msg = "this field is required"
    return f"{where}: {_path(loc, data)}: {msg}{shown}"


def validate_scenario(data: Any, source: str = "<scenario>", root: yaml.Node | None = None) -> Scenario:
    """Validate already-parsed data; raise :class:`ScenarioError` listing every problem."""
    if not isinstance(data, dict):
        raise ScenarioError([f"{source}: the scenario must be a mapping of keys (got {type(data).__name__})"])
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([_describe(e, data, root, source) for e in exc.errors()]) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([f"{source}: no such scenario file"]) from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise ScenarioError([f"{source}: cannot read the scenario file ({exc.__class__.__name__})"]) from None
    if not text.strip():
        raise ScenarioError([f"{source}: the scenario file is empty"])
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError([f"{source}{line}: YAML syntax error: {problem}"]) from None
    return validate_scenario(data, source, root)


def derive(scenario: Scenario, changes: dict[str, Any], source: str = "<variant>") -> Scenario:
    """A validated copy of ``scenario`` with dotted-path fields changed (``vip_rooms.count``)."""
    data = scenario.model_dump(by_alias=True, mode="python")
    _restore_clock_strings(data, scenario)
    for dotted, value in changes.items():
        node = data
        keys = dotted.split(".")
        for key in keys[:-1]:
            if not isinstance(node, dict) or key not in node:
                raise ScenarioError([f"{source}: {dotted}: no such field"])
            node = node[key]
        if not isinstance(node, dict) or keys[-1] not in node:
            raise ScenarioError([f"{source}: {dotted}: no such field"])
        node[keys[-1]] = value
    return validate_scenario(data, source)


def _restore_clock_strings(data: Any, scenario: Scenario) -> None:
    """Dumped clock times are minutes; turn them back into 'HH:MM' so the dump revalidates."""
    from sim.clock import format_clock

    def fix(node: Any, keys: tuple[str, ...]) -> None:
        for key in keys:
            if key in node and isinstance(node[key], float):
                node[key] = format_clock(node[key])

    fix(data["day"], ("open", "close"))
    for piece in data["arrivals"]["walk_in"]:
        fix(piece, ("from",))
    appts = data["arrivals"]["appointments"]
    if appts.get("times") is not None:
        appts["times"] = [format_clock(t) for t in appts["times"]]
    if appts.get("window") is not None:
        appts["window"] = [format_clock(t) for t in appts["window"]]
    data["visitors"]["group_size"] = dict(data["visitors"]["group_size"])
    _ = scenario
