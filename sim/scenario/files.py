"""Open a scenario file of either kind: YAML, or a workbook (``.xlsx``) by its suffix.

This is the ``load_scenario`` of ``sim.scenario`` and of the public API, so ``salesim run``,
``compare`` and ``size`` accept ``my_office.xlsx`` as they accept ``my_office.yaml``; openpyxl
is imported only when a workbook is opened.
"""

from __future__ import annotations

from pathlib import Path

from sim.scenario import loader
from sim.scenario.schema import Scenario

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file: YAML, or a workbook (``salesim init --xlsx``)."""
    if Path(path).suffix.lower() in WORKBOOK_SUFFIXES:
        from sim.scenario.xlsx.read import read_workbook

        return read_workbook(path)
    return loader.load_scenario(path)
