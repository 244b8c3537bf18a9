"""The CJK font of plots and reports: Noto Sans CJK SC from the ``noto-cjk-sans-otc`` package.

The font comes with the install (a PyPI dependency), not from the operating system, so Chinese
labels render the same on every machine. :func:`use_cjk_font` registers it with matplotlib and
makes it the default family; :func:`font_face_css` subsets it to the characters a page uses and
returns an ``@font-face`` rule with the font embedded, so an HTML report needs no system font.
Subsetting the 19 MB collection takes about a second, so each subset is kept in the user's
cache folder (:func:`font_cache_dir`) and built only once per set of characters; the package's
own characters form one base subset shared by every page, user text only adds a small one.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tempfile
from functools import cache
from importlib.resources import files
from pathlib import Path

CJK_FAMILY = "Noto Sans CJK SC"
"""The family matplotlib and the HTML report use for every label."""

_FONT_FILE = "NotoSansCJK-Regular.ttc"
_FACE_INDEX = 2  # NotoSansCJK-Regular.ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK, then the Mono faces


def cjk_font_path() -> Path:
    """The font collection file that the ``noto-cjk-sans-otc`` package installs."""
    return Path(str(files("noto_cjk_sans_otc").joinpath(_FONT_FILE)))


@cache
def register_cjk_font() -> Path:
    """Add the collection's faces to matplotlib's font list (once per process)."""
    from matplotlib import font_manager  # only where plots are drawn (font_face_css: not)

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return path


def use_cjk_font() -> str:
    """Register the font and make it matplotlib's default family; return the family name."""
    from matplotlib import rcParams

    register_cjk_font()
    rcParams["font.family"] = "sans-serif"
    rcParams["font.sans-serif"] = [CJK_FAMILY, "DejaVu Sans"]
    rcParams["svg.fonttype"] = "path"  # SVGs carry glyph outlines: no font needed to view them
    return CJK_FAMILY


def resolved_font(family: str | None = None) -> tuple[Path, int]:
    """The file and face index matplotlib resolves ``family`` (default: rcParams) to."""
    from matplotlib import font_manager

    props = font_manager.FontProperties(family=family) if family else font_manager.FontProperties()
    found = font_manager.findfont(props, fallback_to_default=False)
    return Path(str(found)), int(getattr(found, "face_index", 0))


def font_cache_dir() -> Path:
    """Where built font subsets are kept: ``$SALESIM_CACHE_DIR``, else the user's cache folder
    (``$XDG_CACHE_HOME`` or ``~/.cache``) + ``salesim/fonts``."""
    root = os.environ.get("SALESIM_CACHE_DIR")
    if root:
        return Path(root) / "fonts"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "salesim" / "fonts"


def _cache_key(text: str) -> str:
    font = cjk_font_path()
    stat = font.stat()
    ident = f"{font.name}|{stat.st_size}|{stat.st_mtime_ns}|{_FACE_INDEX}|woff|{text}"
    return hashlib.sha256(ident.encode("utf-8")).hexdigest()[:32]


def _store(path: Path, data: bytes) -> None:
    """Keep ``data`` at ``path`` for later runs; a cache that cannot be written is skipped
    (the subset is rebuilt next time), it is never a reason for a run to fail."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".subset.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.rename(name, path)  # atomic; a subset is never rewritten (where rename refuses to
        # replace an existing file, another process has just stored the same subset)
    except OSError:
        Path(name).unlink(missing_ok=True)


@cache
def _subset_woff(text: str) -> bytes:
    path = font_cache_dir() / f"{_cache_key(text)}.woff"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = _build_subset(text)
    _store(path, data)
    return data


def _build_subset(text: str) -> bytes:
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    options = subset.Options()
    options.flavor = "woff"
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    font = TTFont(str(cjk_font_path()), fontNumber=_FACE_INDEX)
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


_ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "—–·×±Δ√✓…"


@cache
def package_chars() -> str:
    """Every character the package's own text can put on a page (ASCII and every non-ASCII
    character of its source: labels, KPI names, messages), sorted: the base subset, the same
    for every report of one version of the code, so it is built once (issue 17 item 3)."""
    root = Path(__file__).resolve().parents[1]  # the sim package
    chars = set(_ALWAYS)
    for path in root.rglob("*.py"):  # ASCII is all in _ALWAYS or not printable
        chars.update(path.read_text(encoding="utf-8"))
    return "".join(sorted(c for c in chars if c.isprintable()))


def _face(family: str, chars: str, ranged: bool) -> str:
    data = base64.b64encode(_subset_woff(chars)).decode("ascii")
    limit = f" unicode-range: {', '.join(f'U+{ord(c):X}' for c in chars)};" if ranged else ""
    return (
        f"@font-face {{ font-family: '{family}'; font-style: normal; font-weight: 400; "
        f"src: url(data:font/woff;base64,{data}) format('woff');{limit} }}"
    )


def font_face_css(text: str, family: str = "ReportCJK") -> str:
    """``@font-face`` rules embedding the glyphs of ``text`` (plus ASCII) as WOFF data URIs: the
    package's base subset (:func:`package_chars`), and for the characters of ``text`` outside
    it (names and text from a scenario) a second face limited to them by ``unicode-range``.
    Both subsets are cached on disk, so a page costs a subset build only for new user text."""
    base = package_chars()
    rest = "".join(sorted(set(text) - set(base) - set(" \t\n\r")))
    return _face(family, base, False) + (_face(family, rest, True) if rest else "")
