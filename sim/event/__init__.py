"""Event days (开盘 / 工地开放日): the SimPy event-day model, the visitors it draws, its KPIs
and the vectorised screen that reproduces it for many staffing plans at once.

A sibling of :mod:`sim.office` (neither imports the other); below the experiment layer.
"""
