"""Clock times: the model's time unit is the minute since midnight of the simulated day."""

from __future__ import annotations

import re

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_clock(text: str) -> float:
    """Parse ``"HH:MM"`` (00:00–30:00, to allow a day that runs past midnight) into minutes."""
    match = _CLOCK.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a clock time; write it as HH:MM, e.g. 09:30")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours > 30:
        raise ValueError(f"'{text}' is not a valid clock time (hours 0–30, minutes 0–59)")
    return float(hours * 60 + minutes)


def format_clock(minutes: float) -> str:
    """Format minutes since midnight as ``HH:MM`` (rounded down to the minute)."""
    whole = int(minutes)
    return f"{whole // 60:02d}:{whole % 60:02d}"
