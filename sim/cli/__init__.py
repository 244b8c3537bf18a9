"""The ``salesim`` command line (the top layer): one module per subcommand.

Every subcommand module imports :mod:`sim.cli.common` (the command group, clean failures) and
registers itself on :data:`main`; nothing imports this package's entry point.
"""

from sim.cli import compare, fee, results, run, size
from sim.cli.common import main

__all__ = ["compare", "fee", "main", "results", "run", "size"]
