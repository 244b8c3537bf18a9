"""Clock times: the model's time unit is the minute since midnight of the simulated day."""

from __future__ import annotations

import re

_CLOCK = re.compile(r"^(\d{1,5}):(\d{2})$")


def parse_clock(text: str) -> float:
    """Parse ``"HH:MM"`` into minutes since midnight.

    Hours may exceed 24 so that a run can span several days (long validation runs).
    """
    match = _CLOCK.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a clock time; write it as HH:MM, e.g. 09:30")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60:
        raise ValueError(f"'{text}' is not a valid clock time (minutes must be 00–59)")
    return float(hours * 60 + minutes)


def format_clock(minutes: float) -> str:
    """Format minutes since midnight as ``HH:MM`` (rounded down to the minute)."""
    whole = int(minutes)
    return f"{whole // 60:02d}:{whole % 60:02d}"
