"""Calibration from records (issue 16): a scenario fitted to an office's visit register and
call log, with the fits' goodness and a back-test against the register's own KPIs.

Layer: beside the fee plan, above the reports (its plots use their fonts) and the experiment
layer (the back-test simulates the fitted scenario); below the command line.
"""
