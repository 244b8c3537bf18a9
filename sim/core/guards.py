"""Checks of parsed input files before they are validated field by field (issue 18).

A scenario, rate card or sizing file is data, never code or paths: a file nested deeper than
:data:`MAX_DEPTH` levels, or text holding a control character (a NUL in a name, say), is
refused with one line naming the file, the field and the character, before anything is built
from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sim.core.schema import Loc, field_path

MAX_DEPTH = 40
"""Deepest nesting of mappings and lists any input file needs (the scenario needs about 8)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def too_deep(source: str) -> str:
    """The line for a file nested too deeply to read (the parser itself gave up)."""
    return (f"{source}: 嵌套太深 nested more than {MAX_DEPTH} levels deep (lists or mappings "
            "inside each other); not a salesim input file")  # fmt: skip


def input_problems(
    data: Any, source: str, line_of: Callable[[Loc], int | None] | None = None
) -> list[str]:
    """One line per text with a control character (``file:line: path = 'text': ...``, the
    line from ``line_of`` when given), or one line if ``data`` nests deeper than
    :data:`MAX_DEPTH`; empty when the data is fine."""
    problems: list[str] = []
    stack: list[tuple[Any, Loc]] = [(data, ())]
    while stack:
        node, loc = stack.pop()
        if len(loc) > MAX_DEPTH:
            return [too_deep(source)]
        items: list[tuple[Any, Any]] = []
        if isinstance(node, dict):
            items = list(node.items())
        elif isinstance(node, list | tuple):
            items = list(enumerate(node))
        elif isinstance(node, str):
            problems += _control(node, loc, _where(source, loc, line_of))
        for key, value in reversed(items):
            if isinstance(key, str):
                problems += _control(key, loc, _where(source, loc, line_of), is_key=True)
            stack.append((value, (*loc, key if isinstance(key, int | str) else str(key))))
    return problems


def _where(source: str, loc: Loc, line_of: Callable[[Loc], int | None] | None) -> str:
    line = line_of(loc) if line_of is not None else None
    return f"{source}:{line}" if line else source


def _control(text: str, loc: Loc, where: str, is_key: bool = False) -> list[str]:
    found = _CONTROL.search(text)
    if found is None:
        return []
    what = f"{field_path(loc)} key" if is_key else field_path(loc)
    return [f"{where}: {what} = {text!r}: 含有控制字符 contains the control character "
            f"U+{ord(found.group()):04X}; text may hold only printable characters, tabs and "
            "line breaks"]  # fmt: skip
