"""Golden back-test: fixed-seed runs of the weekday, weekend and launch day, and the launch
day's sizing, must reproduce the stored tables byte for byte (see tests/golden/backtest.py).

A refactor keeps these identical; a deliberate change of results updates hashes.json in a
commit of its own that says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.backtest import CASES, expected, run_case


@pytest.mark.parametrize("name", sorted(CASES))
def test_outputs_match_the_golden_hashes(name: str, tmp_path: Path) -> None:
    assert run_case(name, tmp_path) == expected()[name]
