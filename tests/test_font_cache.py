"""The HTML report's font subset is built once per set of characters and kept on disk (issue 17)."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from sim.report import fonts

TEXT = "等待顾问平均时长 wait"


def _glyph_chars(css: str) -> set[str]:
    data = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)\)", css).group(1))  # type: ignore[union-attr]
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    return {chr(code) for code in cmap}


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SALESIM_CACHE_DIR", str(tmp_path))
    fonts._subset_woff.cache_clear()
    yield tmp_path / "fonts"
    fonts._subset_woff.cache_clear()


def test_a_second_process_reads_the_subset_instead_of_building_it(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fonts.font_face_css(TEXT)
    assert len(list(cache_dir.glob("*.woff"))) == 1
    assert set(TEXT) <= _glyph_chars(first)
    fonts._subset_woff.cache_clear()  # as in a new process

    def no_build(text: str) -> bytes:
        raise AssertionError("the subset was rebuilt although it is cached")

    monkeypatch.setattr(fonts, "_build_subset", no_build)
    assert fonts.font_face_css(TEXT) == first


def test_other_characters_get_their_own_subset(cache_dir: Path) -> None:
    fonts.font_face_css(TEXT)
    other = fonts.font_face_css("签约台排队")
    assert len(list(cache_dir.glob("*.woff"))) == 2
    assert set("签约台排队") <= _glyph_chars(other)


def test_a_cache_that_cannot_be_written_does_not_stop_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("SALESIM_CACHE_DIR", str(blocker))
    fonts._subset_woff.cache_clear()
    try:
        css = fonts.font_face_css(TEXT)
    finally:
        fonts._subset_woff.cache_clear()
    assert set(TEXT) <= _glyph_chars(css)
    assert list(tmp_path.iterdir()) == [blocker]
