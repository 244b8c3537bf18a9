"""Sizing a normal office day (issue 14): reps per team and shift, VIP rooms, post staff.

Layer: above :mod:`sim.event_sizing` (it reuses its targets, criterion and verdicts) and the
experiment runner; below the report and the command line.
"""

from sim.office_sizing.search import OfficeInfeasible
from sim.office_sizing.sizer import OfficeSizingResult, default_targets, size_office
from sim.office_sizing.targets import OfficeTargetError, parse_office_target

__all__ = [
    "OfficeInfeasible",
    "OfficeSizingResult",
    "OfficeTargetError",
    "default_targets",
    "parse_office_target",
    "size_office",
]
