"""Atomic file writes: a reader never sees a half-written result.

Each file is written to a temporary file in its folder, synced and renamed over the target
(:func:`replacing`). Inside :func:`all_or_nothing` the renames wait until every file of the
block is written: if any write fails (a full disk, say), every temporary file of the block is
removed and no target is touched, so a command leaves either all its files or none of them.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class _Batch:
    """The files written so far inside :func:`all_or_nothing`, and the folders it made."""

    pending: list[tuple[Path, Path]] = field(default_factory=list)  # (temporary, target)
    made: list[Path] = field(default_factory=list)


_BATCH: ContextVar[_Batch | None] = ContextVar("salesim_atomic_batch", default=None)


def _make_folder(folder: Path, batch: _Batch | None) -> None:
    """Create ``folder`` (and parents), remembering in ``batch`` the ones this call made."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    if batch is not None:
        batch.made.extend(missing)  # deepest first: removed in this order on failure


def _finish(tmp: Path, path: Path) -> None:
    """Sync ``tmp``, give it ordinary file permissions (mkstemp makes 0600)."""
    with tmp.open("rb+") as handle:
        os.fsync(handle.fileno())
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path in ``path``'s folder to write to; on success it is synced, given
    ordinary file permissions and renamed over ``path`` (inside :func:`all_or_nothing`: when
    the block ends); on failure it is removed."""
    batch = _BATCH.get()
    _make_folder(path.parent, batch)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _finish(tmp, path)
        if batch is None:
            os.replace(tmp, path)
        else:
            batch.pending.append((tmp, path))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def all_or_nothing() -> Iterator[None]:
    """Write the files of the block as a set: they replace their targets only once every one is
    written; on any failure the block's temporary files and the folders it made are removed
    and the error propagates. Nested blocks join the outer one."""
    if _BATCH.get() is not None:
        yield
        return
    batch = _Batch()
    token = _BATCH.set(batch)
    try:
        yield
    except BaseException:
        _discard(batch)
        raise
    finally:
        _BATCH.reset(token)
    try:
        for tmp, path in batch.pending:
            os.replace(tmp, path)
    except BaseException:
        _discard(batch)
        raise


def _discard(batch: _Batch) -> None:
    """Remove the block's temporary files and the (now empty) folders it made."""
    for tmp, _ in batch.pending:
        tmp.unlink(missing_ok=True)
    for folder in batch.made:
        with suppress(OSError):  # not empty: something else wrote there
            folder.rmdir()


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with replacing(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` atomically."""
    write_bytes(path, text.encode("utf-8"))
