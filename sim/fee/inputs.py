"""Reading an input file of the fee plan (rate card, sizing file) as UTF-8 text.

Every way the read can fail becomes one line naming the file, raised as the caller's error
class (which takes the list of lines to print), e.g. ``card.yaml: no such rate card file``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def read_input(path: str | Path, what: str, error_cls: Callable[[list[str]], Exception]) -> str:
    """The text of ``path``; a missing, unreadable or non-UTF-8 file raises ``error_cls`` with
    one line (``what`` names the kind of file, e.g. ``"rate card"`` or ``"sizing"``)."""
    source = str(path)
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error_cls([f"{source}: no such {what} file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error_cls([f"{source}: cannot read the {what} file ({exc})"]) from None
