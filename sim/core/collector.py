"""Python's cyclic garbage collector held off while a day or an event sizing runs (issue 17).

A simulated day allocates objects by the ten thousand, and nearly all of them are freed by
reference counting the moment they are done with (a finished process leaves no cycle,
:mod:`sim.core.quick_process`). The collector still runs a pass every 700 allocations, and
now and then an old-generation pass over every object of the process (the scenario, the
loaded libraries): on the weekend day those passes cost some 7% of its CPU time. Paused for
the day, the few cycles a day leaves (its own model structure) are collected by the first
pass after it. An event sizing (:func:`sim.event_sizing.size`) runs paused as a whole, and
the worker processes (:mod:`sim.core.workers`) collect between their tasks.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, and turn it back on after it (if it was
    on): nothing is freed later than the block's end."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
