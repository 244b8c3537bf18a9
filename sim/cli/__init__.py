"""The ``salesim`` command line (the top layer): one module per subcommand.

:data:`main` (:mod:`sim.cli.group`) imports a subcommand's module only when that subcommand is
called; every subcommand module imports :mod:`sim.cli.common` (clean failures, loading) and
registers itself on :data:`main`.
"""

from sim.cli.group import main

__all__ = ["main"]
