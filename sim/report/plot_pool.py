"""A run's report plots drawn on several processes while its tables are written (issue 17
item 4: the serial part of ``salesim run``).

Drawing the five plots of a weekend run costs more than a second of one core, after the
replications are done. :func:`pooled_plots` forks ``workers`` processes that inherit the finished
run (nothing is pickled but the PNG bytes that come back) and draw one plot each, the costliest
first, while the calling process writes the tables. :func:`prepare` imports the plotting stack
and loads the font beforehand, in a thread while the workers simulate, so that forked children
start warm. The plots are the very figures :func:`sim.report.plots.draw` makes, in its order.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import signal
from collections.abc import Iterator, Sequence
from multiprocessing.pool import Pool

from sim.experiment.runner import RunResult
from sim.report.fonts import use_cjk_font
from sim.report.html import default_labels
from sim.report.plot_files import Drawn, encode, figure_bytes
from sim.report.plots import figure, plot_names
from sim.report.targets import ReportTarget, scenario_targets

# the order plots are handed out: the costliest first, so that the pool ends together
_COST_ORDER = ("occupancy", "profiles", "waits", "receptions", "lost_by_hour")
_SHARED: tuple[list[RunResult], list[str], list[ReportTarget]] | None = None


def prepare() -> None:
    """Register the CJK font and draw a tiny labelled figure, so matplotlib's font and text
    caches are filled (worth doing in a thread while the replications run)."""
    from matplotlib.figure import Figure

    use_cjk_font()
    fig = Figure(figsize=(1, 1))
    fig.suptitle("预热 warm-up 0123456789")
    figure_bytes(fig)


def can_fork() -> bool:
    """Whether this platform can fork (the pool relies on it to share the run unpickled)."""
    return "fork" in mp.get_all_start_methods()


def report_targets(result: RunResult) -> list[ReportTarget]:
    """The targets the report of one run judges (what :func:`sim.report.html.render_html`
    takes by default)."""
    return scenario_targets(result.scenario, result.summary)


def _init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _draw(name: str) -> Drawn:
    assert _SHARED is not None, "plot worker not initialised"
    runs, labels, targets = _SHARED
    return encode(name, figure(name, runs, labels, targets), svg=False)


class PendingPlots:
    """Plots being drawn by a process pool; :meth:`get` waits for them."""

    def __init__(self, pool: Pool, names: Sequence[str]) -> None:
        order = sorted(names, key=lambda n: _COST_ORDER.index(n) if n in _COST_ORDER else -1)
        self._names = list(names)
        self._async = pool.map_async(_draw, order, chunksize=1)
        self._order = order

    def get(self) -> list[Drawn]:
        """The plots, in :func:`sim.report.plots.plot_names` order."""
        by_name = dict(zip(self._order, self._async.get(), strict=True))
        return [by_name[n] for n in self._names]


@contextlib.contextmanager
def pooled_plots(result: RunResult, workers: int) -> Iterator[PendingPlots]:
    """Draw the report plots of ``result`` (PNG only, as the HTML report embeds them) on
    ``workers`` forked processes; the pool is closed (terminated on an error) when the block
    ends."""
    global _SHARED
    runs = [result]
    names = plot_names(runs)
    _SHARED = (runs, default_labels(runs), report_targets(result))
    gc.freeze()  # the children's collector then leaves inherited objects alone (less copying)
    try:
        pool = mp.get_context("fork").Pool(min(workers, len(names)), initializer=_init)
    finally:
        gc.unfreeze()
    try:
        yield PendingPlots(pool, names)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _SHARED = None
