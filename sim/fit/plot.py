"""The plot of fitted vs observed (``fit_<day type>.png``): for one day type, the walk-in
rate by hour (observed with its interval, and the rate the scenario holds), the reception
minutes (histogram with each candidate's density, the chosen one bold) and the empirical
against the fitted distribution function (what the KS test measures)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.fit.distfit import Choice, frozen_dist
from sim.fit.estimate import DayTypeFit
from sim.report.fonts import use_cjk_font


def _durations(ax_pdf: Axes, ax_cdf: Axes, x: np.ndarray, choice: Choice, what: str) -> None:
    grid = np.linspace(0, float(np.quantile(x, 0.995)) * 1.1, 300)
    ax_pdf.hist(x, bins=40, density=True, color="#cccccc", label="观测 observed")
    for fit in choice.fits:
        dist, _, _ = frozen_dist(fit.kind, x)
        bold = fit is choice.best
        ax_pdf.plot(
            grid,
            dist.pdf(grid),
            lw=2.5 if bold else 1,
            label=f"{fit.kind} AIC {fit.aic:.0f}",
        )
    ax_pdf.set_xlabel(f"{what} 分钟 minutes")
    ax_pdf.legend(fontsize=8)
    best, _, _ = frozen_dist(choice.best.kind, x)
    xs = np.sort(x)
    ax_cdf.step(xs, np.arange(1, len(xs) + 1) / len(xs), where="post", label="观测 observed")
    ax_cdf.plot(
        grid, best.cdf(grid), lw=2, label=f"{choice.best.kind} (KS p={choice.best.ks_p:.2f})"
    )
    ax_cdf.set_xlabel(f"{what} 分钟 minutes")
    ax_cdf.legend(fontsize=8)


def fit_figure(fit: DayTypeFit, reception: np.ndarray) -> Figure:
    """The three panels for one day type."""
    use_cjk_font()
    fig = Figure(figsize=(15, 4.5), layout="constrained")
    fig.suptitle(f"拟合与观测 Fitted vs observed — {fit.day_type} ({fit.days} 天 days)")
    ax_rate, ax_pdf, ax_cdf = fig.subplots(1, 3)
    hours = np.array([h / 60 for h, _ in fit.walk_in])
    rates = np.array([v.value for _, v in fit.walk_in])
    errs = np.array([v.half_width for _, v in fit.walk_in])
    ax_rate.bar(
        hours + 0.5, rates, width=0.9, yerr=errs, color="#9ecae1", label="观测 observed ±95%"
    )
    ax_rate.step(
        np.append(hours, hours[-1] + 1),
        np.append(rates, rates[-1]),
        where="post",
        color="k",
        label="情景 scenario",
    )
    ax_rate.set_xlabel("时 hour")
    ax_rate.set_ylabel("自然来访 组/小时 walk-ins per hour")
    ax_rate.legend(fontsize=8)
    _durations(ax_pdf, ax_cdf, reception, fit.reception, "接待时长 reception")
    return fig


def write_fit_plot(fit: DayTypeFit, reception: np.ndarray, path: Path) -> Path:
    """Save the figure as PNG."""
    fit_figure(fit, reception).savefig(path, dpi=110)
    return path
