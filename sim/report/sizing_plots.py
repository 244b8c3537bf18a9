"""Sizing plots with Chinese labels: the staffing profile against demand per block, and each
target's achieved value against the headcount of its desk's busiest block."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from sim.core.atomic import write_bytes
from sim.domain.kpis import describe_event
from sim.domain.labels import EVENT_POSTS
from sim.event_sizing.output import block_labels
from sim.event_sizing.sizer import SizingResult
from sim.report.fonts import use_cjk_font
from sim.report.plots import figure_bytes


def profile_figure(result: SizingResult) -> Figure:
    """Per desk: baseline and extra people per block (bars) and the offered load (line)."""
    use_cjk_font()
    posts = result.problem.posts
    labels = [lb for lb, _, _ in block_labels(result.problem.edges)]
    cols = 2
    rows = math.ceil(len(posts) / cols)
    fig = Figure(figsize=(6.5 * cols, 2.8 * rows), layout="constrained")
    fig.suptitle("人员配置与需求（按时段） Staffing profile vs demand by block")
    x = np.arange(len(labels))
    for i, post in enumerate(posts):
        ax = fig.add_subplot(rows, cols, i + 1)
        base = np.array(result.problem.baseline[post])
        total = np.maximum(np.array(result.counts[post]), base)
        ax.bar(x, base, color="#9ecae1", label="基础 baseline")
        ax.bar(x, total - base, bottom=base, color="#fd8d3c", label="选配 extra")
        load = [lam * s for lam, s in result.demand[post]]
        ax.plot(x, load, "k.-", label="需求 offered load λ·s (全开 pilot at caps)")
        zh, en = EVENT_POSTS[post]
        ax.set_title(f"{zh} {en}")
        ax.set_xticks(x, [lb.split("-")[0] for lb in labels], fontsize=7)
        ax.set_ylabel("人 people")
        if i == 0:
            ax.legend(fontsize=7)
    return fig


def curves_figure(result: SizingResult) -> Figure:
    """Each target's achieved value vs the headcount of its desk's busiest sized block."""
    use_cjk_font()
    items = list(result.curves.items())
    cols = 2
    rows = max(1, math.ceil(len(items) / cols))
    fig = Figure(figsize=(6.0 * cols, 3.0 * rows), layout="constrained")
    fig.suptitle("指标与人数 KPI vs headcount (其他岗位时段不变 others fixed)")
    labels = [lb for lb, _, _ in block_labels(result.problem.edges)]
    targets = {t.kpi: t for t in result.problem.targets}
    for i, (key, points) in enumerate(items):
        kpi, block = key.split("@")
        ax = fig.add_subplot(rows, cols, i + 1)
        n = [p[0] for p in points]
        v = [p[1] if math.isfinite(p[1]) else np.nan for p in points]
        ax.plot(n, v, "o-")
        ax.axhline(targets[kpi].value, color="red", ls="--", label="目标 target")
        k = describe_event(kpi)
        ax.set_title(f"{k.zh if k else kpi} · {labels[int(block)]}", fontsize=9)
        ax.set_xlabel("该时段人数 people in block")
        ax.set_ylabel(f"{kpi} ({result.problem.criterion.mode})", fontsize=7)
        ax.legend(fontsize=7)
    return fig


def write_sizing_plots(result: SizingResult, out: Path) -> list[Path]:
    """Write profile.png and kpi_curves.png."""
    out.mkdir(parents=True, exist_ok=True)
    figs = {"profile": profile_figure(result)}
    if result.curves:
        figs["kpi_curves"] = curves_figure(result)
    paths = []
    for name, fig in figs.items():
        path = out / f"{name}.png"
        write_bytes(path, figure_bytes(fig, "png"))
        paths.append(path)
    return paths
