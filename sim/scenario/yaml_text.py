"""Scenario YAML text: the loader that keeps times as strings, syntax errors in plain words,
duplicate keys rejected, and the line of a field in the parsed tree.

Every problem is a :class:`ScenarioError` with one line per problem, ready to print.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from sim.core.guards import input_problems, too_deep
from sim.core.schema import Loc, field_path


class ScenarioError(Exception):
    """A scenario file or value that cannot be used; ``lines`` are ready to print."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


if TYPE_CHECKING:
    import yaml  # PyYAML is imported when a file or value is read, not to validate a dict


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
        return ScenarioError([f"{where}: 语法错误 YAML syntax error: {detail}"])
    return ScenarioError([f"{where}: 语法错误 YAML syntax error: {hint} ({detail})"])


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
                f"{where}: 重复的键 duplicate key (first at line {first[name]}); keys must be "
                "unique"
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


def parse_yaml(text: str, source: str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML text (no dates, no base-60 numbers, duplicate keys rejected) into the data
    and its node tree (for line numbers); raise :class:`ScenarioError` on a syntax error."""
    return _parse(text, source)


def line_of(root: yaml.Node | None, loc: Loc) -> int | None:
    """The 1-based line of the deepest key or item of ``loc`` found in a parsed YAML tree."""
    return _line_of(root, loc)
