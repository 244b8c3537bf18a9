"""Sizing event desks (选配岗位) per time block: ``salesim size``.

:func:`size` finds the fewest people per desk and block that meet every target with the stated
confidence; see :mod:`sim.event_sizing.search` for the method and docs/events-and-sizing.md.

Layer: above the experiment layer (its executors) and the event model; below the reports and
the command line.
"""

from sim.event_sizing.search import Infeasible
from sim.event_sizing.sizer import SizingResult, size
from sim.event_sizing.targets import SizingCriterion, SizingTarget, TargetSyntaxError, parse_target

__all__ = [
    "Infeasible",
    "SizingCriterion",
    "SizingResult",
    "SizingTarget",
    "TargetSyntaxError",
    "parse_target",
    "size",
]
