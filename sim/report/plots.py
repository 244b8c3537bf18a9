"""Comparison plots with Chinese and English labels, drawn from a run's tables and KPIs only.

Each function takes the runs of the variants (same seed and replications) and their labels and
returns a :class:`~matplotlib.figure.Figure`; :func:`write_plots` saves them all as PNG and
SVG. Times in the tables are minutes since midnight; axes show them as HH:MM.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from sim.core.atomic import write_bytes
from sim.report.fonts import use_cjk_font
from sim.report.plot_data import (
    Runs,
    busy_intervals,
    count_at,
    hour_grid,
    lost_by_hour,
    mean_ci,
    occupancy_matrix,
    receptions_per_rep,
    rep_names,
    tabled,
    time_grid,
    waiting_intervals,
)
from sim.report.plot_files import Drawn as Drawn
from sim.report.plot_files import encode
from sim.report.plot_files import figure_bytes as figure_bytes
from sim.report.plot_layout import (
    MAX_OVERLAID,
    color,
    legend_outside,
    multiples,
    readable,
    target_line,
    targets_for,
)
from sim.report.targets import ReportTarget


def _hhmm(x: float, _pos: int | None = None) -> str:
    return f"{int(x) // 60:02d}:{int(x) % 60:02d}"


def _short(label: str) -> str:
    return label.replace(" · ", "\n")


def _new(title: str, rows: int = 1, cols: int = 1, size: tuple[float, float] = (9, 5)) -> Figure:
    use_cjk_font()
    fig = Figure(figsize=size, layout="constrained")
    fig.suptitle(title, fontsize=13)
    fig.subplots(rows, cols, squeeze=False)
    return fig


def wait_plot(runs: Runs, labels: Sequence[str], targets: Sequence[ReportTarget] = ()) -> Figure:
    """Per-replication mean and P90 wait for a rep, one box per variant, with mean and 95% CI,
    and the targets on these KPIs as dashed lines."""
    fig = _new("等待顾问时长（每次重复一个点）Wait for a rep, one point per replication",
               1, 2, (max(9.0, 2.4 * len(runs) + 4), 5))  # fmt: skip
    for ax, key, name in zip(
        fig.axes, ("wait_rep_mean", "wait_rep_p90"), ("平均 mean", "P90"), strict=True
    ):
        data = [np.array(r.kpi_values(key)) for r in runs]
        data = [x[np.isfinite(x)] for x in data]
        pos = np.arange(len(runs), dtype=float)
        ax.boxplot(data, positions=pos, widths=0.45, showfliers=False,
                   medianprops={"color": "black"}, label="箱线 box (四分位 quartiles)")  # fmt: skip
        for i, x in enumerate(data):
            jitter = np.linspace(-0.12, 0.12, len(x)) if len(x) > 1 else np.zeros(len(x))
            ax.scatter(pos[i] + jitter, x, s=14, color=color(i), alpha=0.7, zorder=3,
                       label="每次重复 per replication" if i == 0 else None)  # fmt: skip
            est = runs[i].summary[key]  # waits are never negative: the bar stops at 0
            err = [[min(est.half_width, est.mean)], [est.half_width]] if est.n > 1 else None
            ax.errorbar(pos[i] + 0.32, est.mean, yerr=err, fmt="D", color="black", capsize=4,
                        zorder=4,
                        label="均值与95%置信区间 mean, 95% CI" if i == 0 else None)  # fmt: skip
        for target in targets_for(targets, key):
            target_line(ax, target)
        ax.set_ylim(bottom=0)  # the target line is read against zero
        ax.set_xticks(pos, [_short(lb) for lb in labels])
        ax.set_title(f"{name} 等待 wait")
        ax.set_xlabel("方案 variant")
        ax.set_ylabel("等待时长 wait (分钟 min)")
    legend_outside(fig.axes[-1])
    return fig


def _profile_axes(ax: Axes, grid: np.ndarray, series: list[np.ndarray], labels: Sequence[str],
                  ylabel: str, title: str) -> None:  # fmt: skip
    handles = []
    for i, matrix in enumerate(series):
        mean, half = mean_ci(matrix)
        (line,) = ax.plot(grid, mean, color=color(i))
        band = ax.fill_between(grid, np.clip(mean - half, 0, None), mean + half, color=color(i),
                               alpha=0.2)  # fmt: skip
        handles.append((line, band))
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(MultipleLocator(60))
    ax.xaxis.set_major_formatter(FuncFormatter(_hhmm))
    legend_outside(ax, handles, labels, title="方案 variant\n线 = 均值 mean\n带 band = 95% CI")
    ax.grid(alpha=0.3)


def profile_plot(runs: Runs, labels: Sequence[str]) -> Figure:
    """Groups waiting for a rep and busy reps through the day: mean with a 95% CI band (more
    than three variants: one column of panels per variant)."""
    many = len(runs) > MAX_OVERLAID
    cols = len(runs) if many else 1
    fig = _new("时段分布 Time-of-day profile", 2, cols, (4.0 * cols + 3 if many else 11, 7.5))
    grid = time_grid(runs)
    waiting = [np.array([count_at(*waiting_intervals(d), grid) for d in tabled(r)]) for r in runs]
    busy = [np.array([count_at(*busy_intervals(d), grid) for d in tabled(r)]) for r in runs]
    if many:
        for i, label in enumerate(labels):
            top, bottom = fig.axes[i], fig.axes[cols + i]
            _profile_axes(top, grid, [waiting[i]], [label], "等待组数 groups waiting (组 groups)",
                          f"{label}: 等待的组 groups waiting")  # fmt: skip
            _profile_axes(bottom, grid, [busy[i]], [label], "忙碌顾问 busy reps (人 reps)",
                          f"{label}: 忙碌顾问 busy reps")  # fmt: skip
            bottom.set_xlabel("时刻 time of day (时:分 HH:MM)")
            top.set_xlabel("时刻 time of day (时:分 HH:MM)")
            for ax in (top, bottom):
                ax.xaxis.set_major_locator(MultipleLocator(180))  # narrow panels: 3-hour ticks
                legend = ax.get_legend()
                if i < len(labels) - 1 and legend is not None:
                    legend.remove()
        return fig
    top, bottom = fig.axes
    _profile_axes(top, grid, waiting, labels, "等待组数 groups waiting (组 groups)",
                  "等待顾问的组数 Groups waiting for a rep")  # fmt: skip
    _profile_axes(bottom, grid, busy, labels, "忙碌顾问 busy reps (人 reps)",
                  "忙碌的置业顾问 Reps busy with a group")  # fmt: skip
    bottom.set_xlabel("时刻 time of day (时:分 HH:MM)")
    top.set_xlabel("时刻 time of day (时:分 HH:MM)")
    return fig


def _grouped_bars(fig: Figure, counts: Sequence[np.ndarray], labels: Sequence[str]) -> list[Axes]:
    """One bar group per column of each (replications × columns) matrix: mean and 95% CI; more
    than three variants: one panel each (small multiples). Returns the panels."""
    many = len(counts) > MAX_OVERLAID
    axes = multiples(fig, len(counts)) if many else [fig.axes[0]] * len(counts)
    width = 0.8 if many else 0.8 / len(counts)
    for i, (ax, matrix, label) in enumerate(zip(axes, counts, labels, strict=True)):
        mean, half = mean_ci(matrix)
        offset = 0.0 if many else (i - (len(counts) - 1) / 2) * width
        err = [np.minimum(half, mean), half]  # counts are never negative
        ax.bar(np.arange(len(mean)) + offset, mean, width, yerr=err, capsize=2, color=color(i),
               label=label)  # fmt: skip
        if many:
            ax.set_title(label, fontsize=9)
    handles = [h for ax in dict.fromkeys(axes) for h in ax.get_legend_handles_labels()[0]]
    legend_outside(axes[min(len(axes), MAX_OVERLAID) - 1], handles, list(labels),
                   title="方案 variant\n误差线 error bars = 95% CI")  # fmt: skip
    return list(dict.fromkeys(axes))


def receptions_plot(runs: Runs, labels: Sequence[str]) -> Figure:
    """Receptions per rep (mean and 95% CI over replications), grouped by variant: fairness."""
    widest = max(len(r.scenario.reps) for r in runs)
    fig = _new("人均接待量（公平性）Receptions per rep (fairness)", 1, 1,
               (max(9.0, 0.5 * widest * len(runs) + 3), 5))  # fmt: skip
    counts = [np.array([receptions_per_rep(d, len(r.scenario.reps)) for d in tabled(r)])
              for r in runs]  # fmt: skip
    ginis = [r.summary["receptions_gini"].mean for r in runs]
    named = [f"{lb}（基尼 Gini {g:.3f}）" for lb, g in zip(labels, ginis, strict=True)]
    for ax in _grouped_bars(fig, counts, named):
        ax.set_xticks(np.arange(widest), rep_names(runs), rotation=45 if widest > 8 else 0)
        ax.set_xlabel("置业顾问 sales rep")
        ax.set_ylabel("接待组数 receptions (组/天 groups per day)")
    return fig


def occupancy_plot(runs: Runs, labels: Sequence[str]) -> Figure:
    """Heatmap per variant: hour of day × VIP room, sample house and reps, mean occupancy."""
    cols = min(len(runs), 2)
    rows = math.ceil(len(runs) / cols)
    fig = _new("VIP室与岗位占用率（按小时）VIP room and post occupancy by hour", rows, cols,
               (7.5 * cols, 3.6 * rows + 0.6))  # fmt: skip
    hours = hour_grid(runs)
    image = None
    for ax, r, label in zip(fig.axes, runs, labels, strict=False):
        names, matrix = occupancy_matrix(r, hours)
        image = ax.imshow(100 * matrix, aspect="auto", cmap="YlOrRd", vmin=0, vmax=100)
        for (y, x), v in np.ndenumerate(matrix):
            ax.text(x, y, f"{100 * v:.0f}", ha="center", va="center", fontsize=7,
                    color="white" if v > 0.6 else "black")  # fmt: skip
        ax.set_yticks(range(len(names)), names, fontsize=8)
        ax.set_xticks(range(len(hours)), [_hhmm(h) for h in hours], rotation=45, fontsize=8)
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("时段起点 hour starting (时:分 HH:MM)")
        ax.set_ylabel("资源 resource")
    for ax in fig.axes[len(runs) :]:
        ax.set_visible(False)
    if image is not None:
        fig.colorbar(image, ax=fig.axes[: len(runs)], label="占用率 occupancy (%)")
    return fig


def lost_plot(runs: Runs, labels: Sequence[str]) -> Figure:
    """Lost groups per arrival hour: mean and 95% CI per variant."""
    fig = _new("流失组数（按到达时段）Groups lost, by hour of arrival")
    hours = hour_grid(runs)
    hours = hours[hours < max(r.scenario.day.close for r in runs)]
    lost = [np.array([lost_by_hour(d, hours) for d in tabled(r)]) for r in runs]
    for ax in _grouped_bars(fig, lost, labels):
        ax.set_xticks(range(len(hours)), [_hhmm(h) for h in hours], rotation=45)
        ax.set_xlabel("到达时段起点 arrival hour starting (时:分 HH:MM)")
        ax.set_ylabel("流失组数 groups lost (组/天 groups per day)")
    return fig


PLOTS: dict[str, Callable[[Runs, Sequence[str]], Figure]] = {
    "waits": wait_plot,
    "profiles": profile_plot,
    "receptions": receptions_plot,
    "occupancy": occupancy_plot,
    "lost_by_hour": lost_plot,
}


def plot_names(runs: Runs) -> list[str]:
    """The plots of ``runs``: every plot, or only the KPI-based one when a run kept no tables."""
    return list(PLOTS) if all(tabled(r) for r in runs) else ["waits"]


def figure(name: str, runs: Runs, labels: Sequence[str], targets: Sequence[ReportTarget] = ()
           ) -> Figure:  # fmt: skip
    """One plot by name, the variants under their readable names, the targets drawn where the
    plot shows their KPI."""
    names = readable(labels)
    return wait_plot(runs, names, targets) if name == "waits" else PLOTS[name](runs, names)


def figures(
    runs: Runs, labels: Sequence[str], targets: Sequence[ReportTarget] = ()
) -> dict[str, Figure]:
    """Every plot of :func:`plot_names` by name (see :func:`figure`)."""
    return {name: figure(name, runs, labels, targets) for name in plot_names(runs)}


def draw(
    runs: Runs, labels: Sequence[str], svg: bool = True, targets: Sequence[ReportTarget] = ()
) -> list[Drawn]:
    """Every plot encoded as PNG (and SVG)."""
    return [encode(name, figure(name, runs, labels, targets), svg) for name in plot_names(runs)]


def write_plots(
    runs: Runs, labels: Sequence[str], folder: Path, drawn: Sequence[Drawn] | None = None
) -> list[Path]:
    """Save every plot (or ``drawn``) as ``NAME.png`` and ``NAME.svg`` in ``folder``; return
    the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for plot in drawn if drawn is not None else draw(runs, labels):
        for ext, data in (("png", plot.png), ("svg", plot.svg)):
            path = folder / f"{plot.name}.{ext}"
            write_bytes(path, data)
            written.append(path)
    return written
