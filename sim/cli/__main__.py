"""``python -m sim.cli``: the same as the ``salesim`` command."""

from sim.cli import main

main()
