"""What a planner reads: the tables written to disk, the terminal KPI table, plots, the HTML
report, exports to CSV/Excel and the sizing plots.

Reads results of the experiment and sizing layers; imported only by the fee plan and the CLI.
"""
