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
from sim.core.stats import t_quantile
from sim.domain.labels import POST_LABELS
from sim.domain.results import (
    ASSIGNMENT_COLUMNS,
    HOUSE_COLUMNS,
    ROOM_COLUMNS,
    VISIT_COLUMNS,
    DayResult,
    Tables,
)
from sim.experiment.days import tabled_days
from sim.experiment.runner import RunResult
from sim.report.fonts import use_cjk_font
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

Runs = Sequence[RunResult]
STEP_MIN = 5.0


def _hhmm(x: float, _pos: int | None = None) -> str:
    return f"{int(x) // 60:02d}:{int(x) % 60:02d}"


def _short(label: str) -> str:
    return label.replace(" · ", "\n")


def _col(rows: Sequence[tuple[object, ...]], columns: Sequence[str], name: str,
         kind: type = float) -> np.ndarray:  # fmt: skip
    i = columns.index(name)
    return np.array([np.nan if r[i] is None else r[i] for r in rows], dtype=kind)


def tabled(run: RunResult) -> list[DayResult]:
    """The days that kept their tables (long runs keep them for the first days only)."""
    return tabled_days(run.days)


def _tables(day: DayResult) -> Tables:
    if day.tables is None:
        raise ValueError("plots need the tables: run with level='full'")
    return day.tables


def mean_ci(matrix: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Column means of ``matrix`` (replications × points) and their t-interval half-widths."""
    n = matrix.shape[0]
    mean = matrix.mean(axis=0)
    if n < 2:
        return mean, np.zeros_like(mean)
    half = t_quantile(level, n) * matrix.std(axis=0, ddof=1) / math.sqrt(n)
    return mean, half


def _overlap(starts: np.ndarray, ends: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Minutes each interval [start, end) overlaps each bin [lo, hi), summed over intervals."""
    both = np.minimum(ends[:, None], hi[None, :]) - np.maximum(starts[:, None], lo[None, :])
    return np.asarray(np.clip(both, 0.0, None).sum(axis=0), dtype=float)


def _count_at(starts: np.ndarray, ends: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """How many intervals [start, end) contain each grid point."""
    inside = (starts[:, None] <= grid) & (grid < ends[:, None])
    return np.asarray(inside.sum(axis=0), dtype=float)


def waiting_intervals(day: DayResult) -> tuple[np.ndarray, np.ndarray]:
    """When each sales group waited for a rep: arrival until assigned, lost, or the day's end."""
    rows = _tables(day).visits
    outcome = _col(rows, VISIT_COLUMNS, "outcome", object)
    keep = (outcome != "non_sales") & (outcome != "refused")  # refused at the gate: never queued
    start = _col(rows, VISIT_COLUMNS, "arrival")[keep]
    end = _col(rows, VISIT_COLUMNS, "assigned")[keep]
    lost = _col(rows, VISIT_COLUMNS, "lost_at")[keep]
    end = np.where(np.isnan(end), lost, end)
    return start, np.where(np.isnan(end), day.end, end)


def busy_intervals(day: DayResult) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of each reception (the rep stays for the whole visit, or the day's end)."""
    rows = _tables(day).visits
    start = _col(rows, VISIT_COLUMNS, "assigned")
    end = _col(rows, VISIT_COLUMNS, "departure")[np.isfinite(start)]
    return start[np.isfinite(start)], np.where(np.isnan(end), day.end, end)


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


def time_grid(runs: Runs) -> np.ndarray:
    """Every ``STEP_MIN`` minutes from the earliest opening to the latest end of a day."""
    start = min(r.scenario.day.open for r in runs)
    end = max(d.end for r in runs for d in tabled(r))
    return np.arange(start, end + STEP_MIN / 2, STEP_MIN)


def profile_plot(runs: Runs, labels: Sequence[str]) -> Figure:
    """Groups waiting for a rep and busy reps through the day: mean with a 95% CI band (more
    than three variants: one column of panels per variant)."""
    many = len(runs) > MAX_OVERLAID
    cols = len(runs) if many else 1
    fig = _new("时段分布 Time-of-day profile", 2, cols, (4.0 * cols + 3 if many else 11, 7.5))
    grid = time_grid(runs)
    waiting = [np.array([_count_at(*waiting_intervals(d), grid) for d in tabled(r)]) for r in runs]
    busy = [np.array([_count_at(*busy_intervals(d), grid) for d in tabled(r)]) for r in runs]
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
    counts = [np.array([_receptions(d, len(r.scenario.reps)) for d in tabled(r)]) for r in runs]
    ginis = [r.summary["receptions_gini"].mean for r in runs]
    named = [f"{lb}（基尼 Gini {g:.3f}）" for lb, g in zip(labels, ginis, strict=True)]
    for ax in _grouped_bars(fig, counts, named):
        ax.set_xticks(np.arange(widest), _rep_names(runs), rotation=45 if widest > 8 else 0)
        ax.set_xlabel("置业顾问 sales rep")
        ax.set_ylabel("接待组数 receptions (组/天 groups per day)")
    return fig


def _receptions(day: DayResult, n: int) -> np.ndarray:
    rep = _col(_tables(day).assignments, ASSIGNMENT_COLUMNS, "rep")
    return np.bincount(rep[np.isfinite(rep)].astype(int), minlength=n)[:n].astype(float)


def _rep_names(runs: Runs) -> list[str]:
    longest = max(runs, key=lambda r: len(r.scenario.reps))
    names = [rep.name for rep in longest.scenario.reps]
    same = all([rep.name for rep in r.scenario.reps] == names[: len(r.scenario.reps)] for r in runs)
    return names if same else [f"#{i + 1}" for i in range(len(names))]


def _hours(runs: Runs) -> np.ndarray:
    first = math.floor(min(r.scenario.day.open for r in runs) / 60)
    last = math.ceil(max(d.end for r in runs for d in tabled(r)) / 60)
    return np.arange(first, max(last, first + 1)) * 60.0


def _uses(run: RunResult, day: DayResult) -> list[tuple[str, np.ndarray, np.ndarray, int]]:
    """Each resource's name, use intervals and capacity: VIP rooms, sample houses, the reps."""
    sc, tables = run.scenario, _tables(day)
    room = _col(tables.vip_rooms, ROOM_COLUMNS, "room")
    r0, r1 = (_col(tables.vip_rooms, ROOM_COLUMNS, c) for c in ("start", "end"))
    house = _col(tables.sample_houses, HOUSE_COLUMNS, "house")
    h0, h1 = (_col(tables.sample_houses, HOUSE_COLUMNS, c) for c in ("start", "end"))
    uses = [(f"VIP室 VIP {i + 1}", r0[room == i], r1[room == i], 1)
            for i in range(sc.vip_rooms.count)]  # fmt: skip
    uses += [(f"{h.name} (样板间 house)", h0[house == j], h1[house == j], h.capacity)
             for j, h in enumerate(sc.sample_houses)]  # fmt: skip
    start, end = busy_intervals(day)
    return [*uses, ("置业顾问 reps (X)", start, end, len(sc.reps))]


def _post_rows(day: DayResult, posts: list[str], hours: np.ndarray) -> list[np.ndarray]:
    """Each staffed post's utilisation per hour (busy over on-duty minutes; 0 when off)."""
    index = {int(h // 60): i for i, h in enumerate(hours)}
    rows = []
    for post in posts:
        row = np.zeros(len(hours))
        for key, hour, busy, duty, _share in _tables(day).post_hours:
            h, b, d = int(str(hour)), float(str(busy)), float(str(duty))
            if key == post and h in index and d > 0:
                row[index[h]] = b / d
        rows.append(row)
    return rows


def _post_names(run: RunResult) -> tuple[list[str], list[str]]:
    staffing = run.scenario.staffing
    keys = [k for k in POST_LABELS if staffing is not None and getattr(staffing, k) is not None]
    names = [f"{POST_LABELS[k][1]} ({POST_LABELS[k][0]})" if POST_LABELS[k][0] != "—"
             else POST_LABELS[k][1] for k in keys]  # fmt: skip
    return keys, names


def occupancy_matrix(run: RunResult, hours: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Resource names and their mean occupancy share per hour (resources × hours): VIP rooms,
    sample houses, the reps and every staffed post."""
    posts, post_names = _post_names(run)
    days = []
    for day in tabled(run):
        uses = _uses(run, day)
        rows = [_overlap(a, b, hours, hours + 60) / (60 * cap) for _, a, b, cap in uses]
        days.append(rows + _post_rows(day, posts, hours))
    names = [u[0] for u in _uses(run, tabled(run)[0])] + post_names
    return names, np.mean(np.array(days), axis=0)


def occupancy_plot(runs: Runs, labels: Sequence[str]) -> Figure:
    """Heatmap per variant: hour of day × VIP room, sample house and reps, mean occupancy."""
    cols = min(len(runs), 2)
    rows = math.ceil(len(runs) / cols)
    fig = _new("VIP室与岗位占用率（按小时）VIP room and post occupancy by hour", rows, cols,
               (7.5 * cols, 3.6 * rows + 0.6))  # fmt: skip
    hours = _hours(runs)
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


def lost_by_hour(day: DayResult, hours: np.ndarray) -> np.ndarray:
    """Lost groups of one day by the hour they arrived."""
    rows = _tables(day).visits
    lost = _col(rows, VISIT_COLUMNS, "outcome", object) == "lost"
    arrival = _col(rows, VISIT_COLUMNS, "arrival")[lost]
    return np.histogram(arrival, bins=np.append(hours, hours[-1] + 60))[0].astype(float)


def lost_plot(runs: Runs, labels: Sequence[str]) -> Figure:
    """Lost groups per arrival hour: mean and 95% CI per variant."""
    fig = _new("流失组数（按到达时段）Groups lost, by hour of arrival")
    hours = _hours(runs)
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
