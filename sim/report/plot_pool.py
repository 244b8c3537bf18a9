"""A run's report plots drawn on several processes while its tables are written (issue 17
item 4: the serial part of ``salesim run``).

Drawing the five plots of a weekend run costs more than a second of one core, after the
replications are done. :func:`pooled_plots` forks ``workers - 1`` processes that inherit the
finished run (nothing is pickled but the PNG bytes that come back) and draw a share of the plots
while the calling process writes the tables and then draws the rest (:func:`split`: the shares
balanced by each plot's usual cost). A forked child copies every memory page it touches, so there
is one child fewer than workers, and the plots read only the days that kept tables. :func:`prepare`
imports the plotting stack and loads the font beforehand, in a thread while the workers simulate,
so that the children start warm. The plots are the very figures
:func:`sim.report.plots.draw` makes, in its order.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import threading
from collections.abc import Iterator, Sequence

from sim.core.workers import Workers
from sim.experiment.runner import RunResult
from sim.report.fonts import use_cjk_font
from sim.report.html import default_labels
from sim.report.plot_files import Drawn, encode, figure_bytes
from sim.report.plots import figure, plot_names
from sim.report.targets import ReportTarget, scenario_targets

# the usual relative cost of each plot, and of writing the tables (measured on the weekend)
_COST = {"occupancy": 3.0, "profiles": 2.0, "waits": 1.5, "receptions": 1.0, "lost_by_hour": 1.0}
_TABLES_COST = 2.0
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
    """A plot worker's setup: nothing beyond what every worker does (it inherited the run)."""


def _draw(name: str) -> Drawn:
    assert _SHARED is not None, "plot worker not initialised"
    runs, labels, targets = _SHARED
    return encode(name, figure(name, runs, labels, targets), svg=False)


def split(names: Sequence[str], children: int) -> tuple[list[str], list[str]]:
    """The plots for the children (costliest first) and those this process draws after the
    tables: each plot, costliest first, goes to the least loaded process."""
    loads = [0.0] * children + [_TABLES_COST]
    shares: list[list[str]] = [[] for _ in range(children + 1)]
    for name in sorted(names, key=lambda n: -_COST.get(n, 1.0)):
        i = min(range(len(loads)), key=loads.__getitem__)
        shares[i].append(name)
        loads[i] += _COST.get(name, 1.0)
    ours = shares.pop()
    theirs = sorted((n for share in shares for n in share), key=lambda n: -_COST.get(n, 1.0))
    return theirs, ours


class PendingPlots:
    """Plots being drawn by the worker processes (their results read by a thread, so that a
    child never waits to hand a plot over) and, in :meth:`get`, by this process."""

    def __init__(self, workers: Workers[str, Drawn], names: Sequence[str], children: int) -> None:
        self._names = list(names)
        self._theirs, self._ours = split(names, children)
        self._drawn: list[Drawn] = []
        self._failed: BaseException | None = None
        self._reader = threading.Thread(target=self._read, args=(workers,), daemon=True)
        self._reader.start()

    def _read(self, workers: Workers[str, Drawn]) -> None:
        try:
            self._drawn = workers.map_in_order(self._theirs)
        except BaseException as exc:  # a worker died (WorkerLost) or a plot failed: get() raises
            self._failed = exc

    def get(self) -> list[Drawn]:
        """The plots, in :func:`sim.report.plots.plot_names` order (this process draws its
        share, then waits for the children's). A child that dies raises
        :class:`~sim.core.workers.WorkerLost` here, not a wait for ever."""
        by_name = {name: _draw(name) for name in self._ours}
        self.wait()
        if self._failed is not None:
            raise self._failed
        by_name |= dict(zip(self._theirs, self._drawn, strict=True))
        return [by_name[n] for n in self._names]

    def wait(self) -> None:
        """Until the children's plots are in (or one of them failed)."""
        self._reader.join()


@contextlib.contextmanager
def pooled_plots(result: RunResult, workers: int) -> Iterator[PendingPlots]:
    """Draw the report plots of ``result`` (PNG only, as the HTML report embeds them) on
    ``workers - 1`` forked processes (at least one) and this one; the processes are ended
    (at once on an error) when the block ends."""
    global _SHARED
    runs = [result]
    names = plot_names(runs)
    children = max(1, min(workers - 1, len(names) - 1))
    _SHARED = (runs, default_labels(runs), report_targets(result))
    gc.freeze()  # the children's collector then leaves inherited objects alone (less copying)
    try:
        pool: Workers[str, Drawn] = Workers(children, _init, (), _draw)
    finally:
        gc.unfreeze()
    pending: PendingPlots | None = None
    try:
        pending = PendingPlots(pool, names, children)
        yield pending
        pending.wait()
        pool.close()
    except BaseException:
        pool.close(abort=True)
        if pending is not None:
            pending.wait()  # the reader sees its workers gone and ends
        raise
    finally:
        _SHARED = None
