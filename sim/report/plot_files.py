"""A plot encoded once as PNG (and SVG), for the files and for the HTML report."""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.figure import Figure

DPI = 110


@dataclass(frozen=True)
class Drawn:
    """A plot encoded once, for files and for the HTML report."""

    name: str
    title: str
    png: bytes
    svg: bytes  # empty when not asked for


def figure_bytes(fig: Figure, fmt: str = "png") -> bytes:
    """The figure encoded as ``png`` or ``svg``."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=DPI)
    return buf.getvalue()


def encode(name: str, fig: Figure, svg: bool = True) -> Drawn:
    """``fig`` encoded as PNG (and SVG, if asked) under ``name``, its title from the figure."""
    return Drawn(name, fig.get_suptitle(), figure_bytes(fig, "png"),
                 figure_bytes(fig, "svg") if svg else b"")  # fmt: skip
