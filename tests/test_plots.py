"""Plots of a tiny comparison: files written, labelled, and drawn in the installed CJK font."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from matplotlib import font_manager
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from sim.experiment.runner import RunResult, run
from sim.experiment.variants import build_variants, parse_vary
from sim.report.fonts import CJK_FAMILY, cjk_font_path, resolved_font, use_cjk_font
from sim.report.plots import figures, write_plots
from sim.report.targets import ReportTarget
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
        legends = [ax.get_legend() for ax in axes if ax.get_legend() is not None]
        has_colorbar = any(ax.get_label() == "<colorbar>" for ax in fig.axes)
        assert legends or has_colorbar, name
        fig.draw_without_rendering()
        for legend in legends:  # issue 15 item 7: legends outside the data
            box = legend.get_window_extent()
            assert not any(box.overlaps(ax.get_window_extent()) for ax in axes), name


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


def test_no_raw_identifiers_and_readable_variant_names(drawn: dict[str, Figure]) -> None:
    """Issue 15 item 7: ``置业顾问 8人``, not ``reps=8``; post names, not ``water_bar``."""
    texts = [t for fig in drawn.values() for t in _texts(fig)]
    assert any("置业顾问 8人" in t for t in texts)
    raw = [t for t in texts if re.search(r"\b[a-z]+(_[a-z]+)+\b|\w=\w", t)]
    assert raw == []


def test_the_targets_are_drawn_as_lines(tiny: tuple[list[RunResult], list[str]]) -> None:
    target = ReportTarget("wait_rep_p90", "<=", 5.0, "targets.wait_for_rep_min")
    waits = figures(*tiny, targets=[target])["waits"]
    mean_ax, p90_ax = waits.axes
    lines = [ln for ln in p90_ax.get_lines() if ln.get_label().startswith("目标 target ≤ 5")]
    assert len(lines) == 1 and list(lines[0].get_ydata()) == [5.0, 5.0]
    assert not any(ln.get_label().startswith("目标") for ln in mean_ax.get_lines())
    assert p90_ax.get_ylim()[0] == 0  # read against zero


def test_more_than_three_variants_get_small_multiples(
    tiny: tuple[list[RunResult], list[str]],
) -> None:
    runs, _labels = tiny
    four = figures([*runs, *runs], ["reps=8", "reps=10", "reps=12", "reps=14"])
    for name, panels in (("lost_by_hour", 4), ("receptions", 4), ("profiles", 8)):
        axes = [ax for ax in four[name].axes if ax.get_visible()]
        assert len(axes) == panels, name
    for ax in [ax for ax in four["lost_by_hour"].axes if ax.get_visible()]:
        bars = [c for c in ax.containers if isinstance(c, BarContainer)]
        assert len(bars) == 1  # one variant's bars per panel
    two = figures(*tiny)
    assert len([ax for ax in two["lost_by_hour"].axes if ax.get_visible()]) == 1


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
