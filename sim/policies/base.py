"""The rotation-policy interface (轮序规则).

A policy is built once per simulated day (never shared between runs). The desk asks it which
rep should receive a waiting group, and tells it what happened; it may keep any state it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from sim.staff import OfficeView, Rep
    from sim.visitors import Group


class PolicyError(RuntimeError):
    """A policy returned something the model cannot do (busy, off-duty or unknown rep)."""


class RotationPolicy:
    """Base class: subclass it, set ``name``, implement :meth:`choose`; see ``round_robin.py``."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def __init__(self, office: OfficeView) -> None:
        self.office = office

    def choose(self, group: Group, now: float) -> Rep | None:
        """The free rep who receives ``group`` now, or ``None`` to keep it waiting."""
        raise NotImplementedError

    def on_assigned(self, group: Group, rep: Rep, now: float) -> None:
        """``rep`` has started serving ``group``."""

    def on_released(self, rep: Rep, group: Group, now: float) -> None:
        """``rep`` has walked ``group`` out and is free again."""

    def on_lost(self, group: Group, now: float) -> None:
        """``group`` left without being received."""
