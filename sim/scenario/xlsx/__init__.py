"""Scenario workbooks (.xlsx): the same scenario as YAML, one sheet per section, Chinese first.

:mod:`~sim.scenario.xlsx.layout` maps scenario data to sheets and rows (no Excel involved);
:mod:`~sim.scenario.xlsx.write` and :mod:`~sim.scenario.xlsx.read` use openpyxl, imported only
when a workbook is written or read.
"""
