"""Project hygiene a user expects (issue 15, item 9): a LICENSE that matches pyproject, and
user-facing files that cite only what ships with the repository."""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.helpers import ROOT

USER_FILES = sorted(
    [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "scenarios").glob("*.yaml"),
     *(ROOT / "ratecards").glob("*.yaml")]
)  # fmt: skip


def test_license_file_matches_pyproject() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert declared["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text


@pytest.mark.parametrize("path", USER_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_user_files_cite_nothing_outside_the_repository(path) -> None:  # type: ignore[no-untyped-def]
    """No path into the planning folders beside the checkout (shared/…, ../…); the sources of
    the defaults are in docs/parameters.md."""
    text = path.read_text(encoding="utf-8")
    assert re.findall(r"(?:\.\./)+shared|\bshared/[A-Z]", text) == []


def test_the_parameter_sources_ship_with_the_project() -> None:
    text = (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")
    for section in ("岗位", "客流", "服务时间", "开盘", "指标"):
        assert section in text
    assert "szcn-led" in text and "假设 assumption" in text
