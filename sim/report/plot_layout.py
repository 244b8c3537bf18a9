"""Layout helpers that make a plot readable at a glance (issue 15 item 7): the legend outside
the data, a target drawn as a line, small multiples when more than three variants would crowd
one panel, readable variant names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.domain.kpis import BY_KEY
from sim.report.names import display_name
from sim.report.targets import ReportTarget

MAX_OVERLAID = 3
"""More variants than this get one panel each (small multiples) instead of one crowded panel."""

TARGET_COLOR = "#b00020"

_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf")  # fmt: skip


def color(i: int) -> str:
    """The colour of variant ``i`` in every plot."""
    return _PALETTE[i % len(_PALETTE)]


def readable(labels: Sequence[str]) -> list[str]:
    """The variants' readable names (``VIP室 3间``, ``龙湖轮序``)."""
    return [display_name(label) for label in labels]


def legend_outside(ax: Axes, handles: Sequence[Any] | None = None,
                   labels: Sequence[str] | None = None, **kwargs: Any) -> None:  # fmt: skip
    """The legend to the right of the axes, never over the data."""
    args = (handles, labels) if handles is not None and labels is not None else ()
    ax.legend(*args, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
              fontsize=8, title_fontsize=8, **kwargs)  # fmt: skip


def target_line(ax: Axes, target: ReportTarget) -> None:
    """A dashed horizontal line at the target value, labelled ``目标 target ≤ 5 分钟``."""
    unit = BY_KEY[target.kpi].unit
    value = 100 * target.value if unit == "share" else target.value
    op = "≤" if target.op == "<=" else "≥"
    shown = f"{value:g}%" if unit == "share" else f"{value:g}"
    ax.axhline(value, color=TARGET_COLOR, linestyle="--", linewidth=1.2, zorder=5,
               label=f"目标 target {op} {shown} ({BY_KEY[target.kpi].zh})")  # fmt: skip


def targets_for(targets: Sequence[ReportTarget], key: str) -> list[ReportTarget]:
    """The targets on KPI ``key``."""
    return [t for t in targets if t.kpi == key]


def multiples(fig: Figure, n: int) -> list[Axes]:
    """``n`` panels sharing their axes in a grid at most three wide (the figure's single axes
    are replaced)."""
    for ax in list(fig.axes):
        ax.remove()
    cols = min(n, MAX_OVERLAID)
    rows = math.ceil(n / cols)
    grid = fig.subplots(rows, cols, squeeze=False, sharex=True, sharey=True)
    axes = [ax for row in grid for ax in row]
    for ax in axes[n:]:
        ax.set_visible(False)
    fig.set_size_inches(4.2 * cols + 2.5, 3.2 * rows + 1.2)
    return axes[:n]
