"""A progress bar for long runs: replications done / total and the time remaining.

Drawn with ``rich`` on stderr, and only when asked for (the CLI asks when stdout and stderr are
terminals and ``--json`` is not given); :class:`Quiet` does nothing.
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class Quiet:
    """A progress reporter that reports nothing (the interface of :class:`Bar`)."""

    def start(self, total: int, done: int = 0) -> None:
        """Begin (or re-size) with ``total`` replications, ``done`` of them already there."""

    def advance(self, count: int) -> None:
        """``count`` more replications are done."""

    def __enter__(self) -> Quiet:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


class Bar(Quiet):
    """A rich progress bar on stderr; removed when the run ends."""

    def __init__(self, label: str = "模拟 simulating", console: Console | None = None) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("重复 replications ·"),
            TimeElapsedColumn(),
            TextColumn("· 剩余 ETA"),
            TimeRemainingColumn(),
            console=console or Console(stderr=True),
            transient=True,
        )
        self.label = label
        self.task: TaskID | None = None

    def start(self, total: int, done: int = 0) -> None:
        if self.task is None:
            self.task = self.progress.add_task(self.label, total=total, completed=done)
        else:
            self.progress.update(self.task, total=total, completed=done)

    def advance(self, count: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, count)

    def __enter__(self) -> Bar:
        self.progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.progress.stop()


def reporter(show: bool) -> Quiet:
    """A :class:`Bar` if ``show``, else :class:`Quiet`."""
    return Bar() if show else Quiet()
