"""The fee plan's error for inputs that do not fit together."""

from __future__ import annotations


class PlanError(Exception):
    """Inputs that do not fit together (e.g. a sized post without an event rate); ``lines`` are
    ready to print."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
