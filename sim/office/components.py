"""The lifecycle every part of the office day follows (build → run → post-simulate → result).

The office day (:class:`sim.office.day.OfficeModel`) is assembled from components — the reps'
duty, the visitor flow, the VIP rooms and tables, the sample houses, phone duty, the reception
line — built with the day and then driven
through the same phases: :meth:`DayComponent.start` when the day begins (in assembly order),
:meth:`DayComponent.close_out` if the clock stops at closing with work in progress,
:meth:`DayComponent.end_day` once the day's end is known, then :meth:`DayComponent.kpis` (in
:attr:`DayComponent.report_order`, the order of the KPI sections) and
:meth:`DayComponent.add_tables`. The model never collects a component's KPIs by hand.
"""

from __future__ import annotations

from typing import ClassVar

from sim.domain.results import Tables


class DayComponent:
    """Base class of the office day's components: every phase is a no-op unless overridden."""

    report_order: ClassVar[int] = 100
    """Where this component's KPIs stand among the day's (lower first)."""

    def start(self) -> None:
        """The day begins: start the component's processes."""

    def close_out(self, now: float) -> None:
        """The clock stopped at ``now`` (``run_until: close``): count work still in progress
        and the overtime of anyone past their shift end."""

    def last_activity(self) -> float:
        """When the component's last work ended (0 if it does not outlast the visitors)."""
        return 0.0

    def end_day(self, end: float) -> None:
        """The day's end is ``end``: close the open duty intervals."""

    def kpis(self, end: float) -> dict[str, float]:
        """The component's KPIs of the day."""
        return {}

    def add_tables(self, tables: Tables) -> None:
        """Add the component's rows to the day's tables (level ``full``)."""
