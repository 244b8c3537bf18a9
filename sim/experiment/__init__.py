"""Running experiments: executors (local pool, Dask), the SQLite results store, sequential
stopping on a target confidence-interval width, progress and export (CSV/Excel).

The entry point is :func:`sim.experiment.runner.run`; this package holds its parts.

Layer: above :mod:`sim.model` (it replicates days); below the sizer, the reports, the fee
plan and the command line, which read its results.
"""

from sim.experiment.executor import SchedulerError, local_cores
from sim.experiment.store import Store, StoreError
from sim.experiment.target import PrecisionTarget, parse_target

__all__ = [
    "PrecisionTarget",
    "SchedulerError",
    "Store",
    "StoreError",
    "local_cores",
    "parse_target",
]
