"""Load scenario YAML files into validated :class:`Scenario` objects with clear errors.

Every user mistake becomes a :class:`ScenarioError` with one line per problem, each naming
the file, the line when known, the field path, the value given and what is allowed::

    weekday.yaml:18: arrivals.walk_in[2].rate = -2: must be at least 0

The CLI prints the lines and exits with code 2; no mistake in a file gives a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from sim.core.schema import closest, did_you_mean, show_value
from sim.scenario.schema import Scenario
from sim.scenario.yaml_text import ScenarioError, line_of, parse_yaml, yaml_loader

if TYPE_CHECKING:
    import yaml

    from sim.scenario.messages import error_line, error_lines, field_at

    ScenarioYamlLoader = yaml.SafeLoader

__all__ = [
    "ScenarioError", "derive", "error_line", "error_lines", "field_at", "line_of",
    "load_scenario", "parse_yaml", "validate_scenario", "yaml_loader",
]  # fmt: skip


_MESSAGES = ("error_line", "error_lines", "field_at")
"""Names of :mod:`sim.scenario.messages` offered here too, imported when first used: a valid
scenario never needs them (memory, issue 17 item 5)."""


def __getattr__(name: str) -> Any:
    """``ScenarioYamlLoader``, built on first use (:func:`yaml_loader`), and the error
    messages' functions, imported on first use."""
    if name == "ScenarioYamlLoader":
        return yaml_loader()
    if name in _MESSAGES:
        from sim.scenario.messages import error_line, error_lines, field_at  # see _MESSAGES

        return {"error_line": error_line, "error_lines": error_lines, "field_at": field_at}[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def validate_scenario(
    data: Any, source: str = "<scenario>", root: yaml.Node | None = None
) -> Scenario:
    """Validate already-parsed data; raise :class:`ScenarioError` listing every problem."""
    if data is None:
        raise ScenarioError(
            [f"{source}: 情景文件是空的 the scenario file is empty (only comments, no keys)"])
    if not isinstance(data, dict):
        raise ScenarioError([
            f"{source}: 情景应为键值表 the scenario must be a mapping of keys such as name:, day:, "
            f"arrivals: (got {show_value(data)})"
        ])
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        from sim.scenario.messages import error_lines  # only after a mistake: see _MESSAGES

        lines = error_lines(exc, data, root, source, Scenario)
    raise ScenarioError(lines)


def _no_such_file(path: Path) -> ScenarioError:
    nearby = [p.name for p in path.parent.glob("*.y*ml")] if path.parent.is_dir() else []
    near = closest(path.name, nearby)
    hint = f" (did you mean '{path.parent / near}'?)" if near else ""
    return ScenarioError([f"{path}: 找不到情景文件 no such scenario file{hint}"])


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _no_such_file(path) from None
    except UnicodeDecodeError:
        raise ScenarioError([f"{source}: 不是 UTF-8 文本文件 not a text file in UTF-8"]) from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        problem = f"{source}: 无法读取情景文件 cannot read the scenario file ({reason})"
        raise ScenarioError([problem]) from None
    if not text.strip():
        raise ScenarioError([f"{source}: 情景文件是空的 the scenario file is empty"])
    data, root = parse_yaml(text, source)
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
            raise ScenarioError([f"{source}: {dotted}: 没有这个字段 no such field{hint}"])


def derive(scenario: Scenario, changes: dict[str, Any], source: str = "<variant>") -> Scenario:
    """A validated copy of ``scenario`` with fields changed by path (``vip_rooms.count``,
    ``arrivals.walk_in[2].rate``)."""
    data = scenario.model_dump(by_alias=True, mode="json")
    data["visitors"]["group_size"] = dict(data["visitors"]["group_size"])
    for dotted, value in changes.items():
        _set(data, dotted, value, source)
    return validate_scenario(data, source)
