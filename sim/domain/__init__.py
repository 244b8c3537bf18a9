"""The vocabulary every layer shares (above :mod:`sim.core` and the post kinds): identifiers
with their Chinese and English labels, the one KPI catalogue, and the records a simulated day
produces.

Pure data: no simulation, no I/O. Imports only :mod:`sim.core` (and the post-kind plug-ins
for their labels).
"""
