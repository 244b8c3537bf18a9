"""Plots of a tiny comparison: files written, labelled, and drawn in the installed CJK font."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from sim.experiment.runner import RunResult, run
from sim.experiment.variants import build_variants, parse_vary
from sim.report.fonts import CJK_FAMILY, cjk_font_path, resolved_font, use_cjk_font
from sim.report.plots import figures, write_plots
from sim.scenario import load_scenario
from tests.helpers import SCENARIOS

CATEGORIES = {"方案 variant", "置业顾问 sales rep", "资源 resource"}
CHINESE = "等待顾问平均时长 置业顾问 流失组数 VIP室占用率 样板间"


@pytest.fixture(scope="module")
def tiny() -> tuple[list[RunResult], list[str]]:
    scenario = load_scenario(SCENARIOS / "weekend.yaml")
    variants = build_variants(scenario, [], [parse_vary("reps=8,10")])
    runs = [run(v.scenario, replications=3, seed=2, policy=v.policy) for v in variants]
    return runs, [v.label for v in variants]


@pytest.fixture(scope="module")
def drawn(tiny: tuple[list[RunResult], list[str]]) -> dict[str, Figure]:
    return figures(*tiny)


def test_the_cjk_font_comes_with_the_install_and_has_the_glyphs() -> None:
    path = cjk_font_path()
    assert path.is_file() and "site-packages" in path.parts  # a package dependency's file
    face = FT2Font(str(path), face_index=2)
    assert face.family_name == CJK_FAMILY
    missing = [c for c in CHINESE if c != " " and face.get_char_index(ord(c)) == 0]
    assert missing == []


def test_matplotlib_resolves_chinese_labels_to_the_cjk_font(drawn: dict[str, Figure]) -> None:
    use_cjk_font()
    assert resolved_font() == (cjk_font_path(), 2)
    texts = [t for fig in drawn.values() for t in fig.findobj(Text) if t.get_text().strip()]
    chinese = [t for t in texts if any("\u4e00" <= c <= "\u9fff" for c in t.get_text())]
    assert len(chinese) > 20
    for text in chinese:
        found = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
        assert (Path(str(found)), getattr(found, "face_index", 0)) == (cjk_font_path(), 2)


def test_every_plot_has_title_axis_labels_with_units_and_legend(
    drawn: dict[str, Figure],
) -> None:
    assert set(drawn) == {"waits", "profiles", "receptions", "occupancy", "lost_by_hour"}
    for name, fig in drawn.items():
        assert fig.get_suptitle(), name
        axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
        for ax in axes:
            x, y = ax.get_xlabel(), ax.get_ylabel()
            assert x and y, name
            # the value axis states its unit; a category axis (variant, rep, resource) needs none
            assert "(" in x or x in CATEGORIES, (name, x)
            assert "(" in y or y in CATEGORIES, (name, y)
        has_legend = all(ax.get_legend() is not None for ax in axes)
        has_colorbar = any(ax.get_label() == "<colorbar>" for ax in fig.axes)
        assert has_legend or has_colorbar, name


def test_plots_written_as_png_and_svg_without_missing_glyphs(
    tiny: tuple[list[RunResult], list[str]], tmp_path: Path
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = write_plots(*tiny, tmp_path)
    glyph_warnings = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert glyph_warnings == []
    assert len(paths) == 10
    for path in paths:
        data = path.read_bytes()
        assert len(data) > 5000, path
        if path.suffix == ".png":
            assert data.startswith(b"\x89PNG")
        else:
            assert b"<svg" in data[:1000] and b"<path" in data
