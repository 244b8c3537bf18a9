"""The HTML report: one self-contained file that headless Chromium renders with its images and
Chinese text, without console errors.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON
messages separated by NUL bytes on file descriptors 3 and 4), so the test needs no websocket
library and no network port. ``make test`` installs Chromium (Debian's ``chromium``).
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib import image

from sim.experiment.pairing import PairedDiff
from sim.experiment.runner import RunResult, run
from sim.experiment.variants import build_variants, parse_vary
from sim.report.answer import is_blank
from sim.report.html import write_html_report
from sim.report.html_answer import diff_class
from sim.report.targets import scenario_targets
from sim.scenario import load_scenario
from tests.helpers import SCENARIOS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--remote-debugging-pipe",
]  # fmt: skip

Runs = tuple[list[RunResult], list[str]]


@pytest.fixture(scope="module")
def runs() -> Runs:
    scenario = load_scenario(SCENARIOS / "weekend.yaml")
    variants = build_variants(scenario, [], [parse_vary("vip_rooms.count=2,4")])
    return [run(v.scenario, replications=3, seed=5) for v in variants], [v.label for v in variants]


@pytest.fixture
def report(runs: Runs, tmp_path: Path) -> Path:
    return write_html_report(runs[0], tmp_path / "report.html", labels=runs[1])


_TRAMPOLINE = """import fcntl, os, sys
a, b = (fcntl.fcntl(int(fd), fcntl.F_DUPFD, 10) for fd in sys.argv[1:3])
os.dup2(a, 3)
os.dup2(b, 4)
os.execv(sys.argv[3], sys.argv[3:])
"""


class DevTools:
    """A minimal Chrome DevTools protocol client over ``--remote-debugging-pipe``."""

    def __init__(self, binary: str, profile: str) -> None:
        to_child, self._w = os.pipe()
        self._r, from_child = os.pipe()
        # the browser reads commands on fd 3 and writes replies on fd 4: a small Python
        # trampoline moves the pipe ends there (out of the way first, so none is overwritten)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _TRAMPOLINE, str(to_child), str(from_child), binary, *FLAGS,
             f"--user-data-dir={profile}"],
            pass_fds=(to_child, from_child), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_child)
        os.close(from_child)
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            if not select.select([self._r], [], [], max(0.0, deadline - time.time()))[0]:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed the pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + 30
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def wait_event(self, method: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.time() + timeout
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._read(deadline))
        return next(e for e in self.events if e.get("method") == method)

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError, EOFError):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)


PAGE_CHECK = """(async () => {
  await document.fonts.ready;
  const imgs = Array.from(document.images);
  const first = el => getComputedStyle(el).fontFamily.split(",")[0].replace(/["']/g, "").trim();
  const texty = Array.from(document.querySelectorAll("body *")).filter(el =>
    Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()));
  const pre = Array.from(document.querySelectorAll("pre"));
  const cells = Array.from(document.querySelectorAll("table th, table td"));
  return {
    otherFont: texty.filter(el => first(el) !== "ReportCJK").map(el => el.tagName),
    textElements: texty.length,
    pre: pre.map(first),
    tables: document.querySelectorAll("table").length,
    cellFonts: Array.from(new Set(cells.map(first))),
    images: imgs.length,
    decoded: imgs.filter(i => i.complete && i.naturalWidth > 100).length,
    faces: Array.from(document.fonts).map(f => [f.family, f.status]),
    glyphs: document.fonts.check("16px ReportCJK", "等待顾问平均时长"),
    text: document.body.innerText.includes("等待顾问平均时长"),
    url: location.href,
  };
})()"""


def _errors(events: list[dict[str, Any]]) -> list[str]:
    """Uncaught exceptions, console.error/assert calls and error log entries (e.g. a failed
    resource load)."""
    found = []
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            found.append(json.dumps(params.get("exceptionDetails", {}))[:300])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(json.dumps(params.get("args", []))[:300])
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            found.append(params["entry"].get("text", "")[:300])
    return found


def _render(page: Path, profile: str) -> tuple[dict[str, Any], bytes, list[str]]:
    """Open ``page`` in headless Chromium at 1280×2000: the page checks, a screenshot and the
    console errors."""
    assert CHROMIUM is not None
    browser = DevTools(CHROMIUM, profile)
    try:
        target = browser.call("Target.createTarget", url="about:blank")["targetId"]
        session = browser.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            browser.call(domain, session)
        browser.call("Emulation.setDeviceMetricsOverride", session, width=1280, height=2000,
                     deviceScaleFactor=1, mobile=False)  # fmt: skip
        browser.events.clear()  # from here on: the report's own events only
        browser.call("Page.navigate", session, url=page.resolve().as_uri())
        browser.wait_event("Page.loadEventFired")
        checked = browser.call("Runtime.evaluate", session, expression=PAGE_CHECK,
                               awaitPromise=True, returnByValue=True)  # fmt: skip
        shot = browser.call("Page.captureScreenshot", session, format="png")["data"]
    finally:
        browser.close()
    return checked["result"]["value"], base64.b64decode(shot), _errors(browser.events)


def test_report_is_self_contained_and_renders_in_chromium(
    report: Path, runs: Runs, tmp_path: Path
) -> None:
    text = report.read_text(encoding="utf-8")
    assert text.count('src="data:image/png;base64,') == 5
    assert "@font-face" in text and "data:font/woff;base64," in text
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", text)  # nothing outside
    first = runs[0][0]
    for needed in ("等待顾问平均时长", "wait for a rep, mean", first.scenario_hash,
                   first.code_version, "种子 seed", "vip_rooms.count", "张伟", "Δ"):  # fmt: skip
        assert needed in text, needed
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (make test installs it)")
    checked, shot, errors = _render(report, tempfile.mkdtemp(dir=tmp_path))
    (tmp_path / "screenshot.png").write_bytes(shot)
    assert checked["url"].endswith("/report.html") and checked["images"] == 5, checked
    assert checked["decoded"] == 5, checked
    assert ["ReportCJK", "loaded"] in checked["faces"], checked["faces"]
    assert checked["glyphs"] and checked["text"], checked
    # issue 15 item 8: every text element, the scenario echo and every table cell included
    assert checked["otherFont"] == [] and checked["textElements"] > 100, checked["otherFont"]
    assert checked["pre"] == ["ReportCJK"] and checked["cellFonts"] == ["ReportCJK"], checked
    assert checked["tables"] == 4, checked  # targets per variant, headline, detail, provenance
    assert errors == []
    pixels = image.imread(io.BytesIO(shot), format="png")
    assert pixels.shape[:2] == (2000, 1280)
    gray = np.asarray(pixels[..., :3]).mean(axis=2)
    assert (gray < 0.9).mean() > 0.02 and gray.std() > 0.05  # text, tables and plots drawn


def test_single_run_report(runs: Runs, tmp_path: Path) -> None:
    path = write_html_report(runs[0][0], tmp_path / "one.html")
    text = path.read_text(encoding="utf-8")
    assert "仿真结果 run" in text and "Δ" not in text and text.count("data:image/png") == 5


def _embedded_cmap(text: str) -> set[int]:
    """The code points the report's embedded font subsets have glyphs for."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    faces = re.findall(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", text)
    assert faces  # the base subset, and one for the scenario's own text if it needs one
    return {c for f in faces for c in TTFont(io.BytesIO(base64.b64decode(f))).getBestCmap()}


def test_the_embedded_font_has_every_character_of_the_echo_and_the_tables(report: Path) -> None:
    """Issue 15 item 8: no empty boxes on a machine without CJK fonts: every character of the
    scenario echo (<pre>) and of every table is in the embedded subset."""
    text = report.read_text(encoding="utf-8")
    parts = re.findall(r"<pre>(.*?)</pre>", text, re.S) + re.findall(
        r"<table.*?</table>", text, re.S
    )
    assert len(parts) == 5  # the echo of the base and the four tables
    shown = "".join(html.unescape(re.sub(r"<[^>]+>", "", part)) for part in parts)
    cmap = _embedded_cmap(text)
    missing = sorted({c for c in shown if not c.isspace() and ord(c) not in cmap})
    assert missing == []
    assert any("\u4e00" <= c <= "\u9fff" for c in re.findall(r"<pre>(.*?)</pre>", text, re.S)[0])


def test_the_report_opens_with_the_answer_and_ends_with_provenance(
    report: Path, runs: Runs
) -> None:
    """Issue 15 item 1: answer (targets judged, verdict), detail, plots, then the provenance
    and the scenario echo folded in <details>; keys shown; all-zero KPIs hidden."""
    text = report.read_text(encoding="utf-8")
    order = ["结论 Answer", "目标 target", "主要指标 Headline KPIs", "指标明细 KPI detail",
             "图表 Plots", "<details>", "来源 Provenance", "<pre>"]  # fmt: skip
    at = [text.index(mark) for mark in order]
    assert at == sorted(at), dict(zip(order, at, strict=True))
    assert text.index(runs[0][0].scenario_hash) > text.index("<details>")
    assert "<code>wait_rep_p90</code>" in text and "≤ 5 分钟" in text  # the weekend standard
    assert "VIP室 2间" in text and "VIP室 4间" in text  # readable variant names
    assert re.search(r"结论：|Verdict", text)
    blank = [k for k in runs[0][0].summary if all(is_blank(r.kpi_values(k)) for r in runs[0])]
    assert blank  # the weekend has KPIs that are zero every day (e.g. no media day, R12)
    first = runs[0][0]
    targets = {t.kpi for t in scenario_targets(first.scenario, first.summary)}
    for key in blank:  # a target is shown even when it is zero on every day
        assert (f"<code>{key}</code>" in text) == (key in targets), key


def test_differences_are_coloured_by_the_better_direction() -> None:
    """Issue 15 item 2: green when better, red when worse, grey when not significant."""
    sig_up = PairedDiff(0.02, 0.01, 10, 0.01)  # [+0.01, +0.03]: excludes 0
    unsure = PairedDiff(0.02, 0.05, 10, 0.05)  # [-0.03, +0.07]
    assert diff_class("lost_share", sig_up) == "worse"  # more groups lost
    assert diff_class("groups_served", sig_up) == "better"
    assert diff_class("calls_within_rings_share", sig_up) == "better"  # P1
    assert diff_class("groups_arrived", sig_up) == ""  # demand: no better direction
    assert diff_class("lost_share", unsure) == "ns"
