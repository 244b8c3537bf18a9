"""Foundations with no knowledge of sales offices (the bottom layer): clock times, schedules,
random streams, statistics, queueing formulas, shifts, atomic file writes, plug-in discovery.

Imports nothing else of :mod:`sim`.
"""
