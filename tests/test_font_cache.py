"""The HTML report's font subset is built once per set of characters and kept on disk; the
package's own characters form one base subset shared by every page (issue 17 item 3)."""

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
BASE = "等待顾问平均时长签约台排队 abcdefghijklmnopqrstuvwxyz"  # the package's text, in these tests


def _glyph_chars(css: str) -> set[str]:
    """The characters of every face the CSS embeds."""
    chars: set[str] = set()
    for data in re.findall(r"base64,([A-Za-z0-9+/=]+)\)", css):
        chars |= {chr(code) for code in TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()}
    return chars


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SALESIM_CACHE_DIR", str(tmp_path))
    fonts._subset_woff.cache_clear()
    monkeypatch.setattr(fonts, "package_chars", lambda: "".join(sorted(set(BASE))))
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
    other = fonts.font_face_css("签约台排队 张伟")  # 张伟 is not in the package's text
    assert len(list(cache_dir.glob("*.woff"))) == 2  # the base subset and one for 张伟
    assert set("签约台排队张伟") <= _glyph_chars(other)
    assert other.count("@font-face") == 2 and "unicode-range: U+4F1F, U+5F20;" in other


def test_text_of_the_package_alone_reuses_the_base_subset(cache_dir: Path) -> None:
    """Pages whose characters all come from the package share one subset: built once."""
    first = fonts.font_face_css(TEXT)
    assert fonts.font_face_css("签约台排队 wait") == first
    assert len(list(cache_dir.glob("*.woff"))) == 1 and first.count("@font-face") == 1
    assert "unicode-range" not in first


def test_the_package_characters_cover_the_report_labels() -> None:
    fonts.package_chars.cache_clear()
    chars = set(fonts.package_chars())
    assert set("等待顾问平均时长售楼处仿真报告结论") <= chars and set(fonts._ALWAYS) <= chars
    assert "\ufeff" not in chars  # the CSVs' byte-order mark is no glyph


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
