"""The car park of a sized event day for the planner (停车场, issue 12): the ``parking`` entry
of ``sizing.json`` and the line of the ``salesim size`` screen, from
:func:`sim.event_sizing.queue_posts.parking_check`."""

from __future__ import annotations

from typing import Any

from sim.event_sizing.queue_posts import ParkingCheck


def parking_dict(p: ParkingCheck | None) -> dict[str, Any] | None:
    """Spaces, peak cars present (mean over the days, most, at the level) and the overflow
    (cars without a space at the level's peak); ``None`` without ``event.parking``."""
    if p is None:
        return None
    return {"spaces": p.spaces, "level": p.level, "peak_cars_mean": round(p.peak_mean, 1),
            "peak_cars_max": p.peak_max, "peak_cars_at_level": p.needed,
            "overflow": p.overflow}  # fmt: skip


def parking_line(p: ParkingCheck) -> str:
    """停车场: the simulated peak of cars against the spaces, and the overflow at the level."""
    verdict = (f"溢出 {p.overflow} 辆 {p.overflow} cars without a space" if p.overflow
               else "车位足够 enough spaces")  # fmt: skip
    return (f"停车场 car park: {p.spaces} 个车位 spaces; 模拟峰值 simulated peak {p.peak_mean:.0f} "
            f"辆 cars on average, at most {p.peak_max}; 需 {p.needed} 个车位 spaces needed on "
            f"{p.level:g} of the days: {verdict}")
