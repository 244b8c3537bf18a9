"""Store hooks for the commands: each ``compare``, ``size`` and ``fee`` is recorded as a study
in the results store (:mod:`sim.experiment.studies`), whatever way it ends."""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sim.cli.common import worker_lost
from sim.core.workers import WorkerLost
from sim.experiment.studies import Study, recorded

_SKIP = ("scenario", "out")
_ACTIVE: ContextVar[Study | None] = ContextVar("study", default=None)


def note_folder(folder: Path) -> None:
    """Record the folder the running study actually writes (when its default depends on the
    scenario, as ``fee``'s does)."""
    study = _ACTIVE.get()
    if study is not None:
        study.folder = folder


def options_of(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The options worth recording: every parameter but the scenario and the folder."""
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in kwargs.items() if k not in _SKIP}


def recorded_command(
    kind: str, default_folder: Path
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Decorate a command taking ``scenario`` and ``out`` so that each call is a study of
    ``kind`` written to ``out`` (or ``default_folder`` when ``out`` is None)."""

    def wrap(command: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(command)
        def run(**kwargs: Any) -> None:
            folder = kwargs.get("out") or default_folder
            with recorded(kind, str(kwargs["scenario"]), options_of(kwargs),
                          Path(folder)) as study:  # fmt: skip
                token = _ACTIVE.set(study)
                try:
                    command(**kwargs)
                except WorkerLost as exc:  # a sizing's worker died (out of memory, say)
                    worker_lost(exc)
                finally:
                    _ACTIVE.reset(token)

        return run

    return wrap
