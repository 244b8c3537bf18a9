"""What a planner reads: the tables written to disk (a run's, a comparison's), the terminal
KPI table, plots, the HTML report, exports to CSV/Excel and the sizing plots.

Reads results of the experiment and sizing layers; imported by the fee plan, the CLI and the
public API (:mod:`sim`).
"""
