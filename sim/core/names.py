"""Names are data, not paths: a folder name made from user text (a scenario's ``name:``)."""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 60  # Chinese is 3 bytes a character in UTF-8: 60 + a suffix stays under 255 bytes
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}  # fmt: skip


def folder_name(text: str, fallback: str = "scenario") -> str:
    """``text`` as one safe path component: separators, wildcards and white space become
    ``_``, control and format characters are dropped, no ``..`` and no leading or trailing dot,
    at most :data:`MAX_CHARS` characters, never a reserved device name, never empty."""
    kept = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    name = _UNSAFE.sub("_", kept)
    name = re.sub(r"\.{2,}", ".", name).strip("._ ")[:MAX_CHARS].strip("._ ")
    if not name:
        return fallback
    return f"_{name}" if name.split(".")[0].upper() in _RESERVED else name
