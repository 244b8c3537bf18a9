"""One self-contained HTML report of a run or a comparison.

Everything is inside the file: the plots as PNG data URIs, the KPI tables, the scenario echoed
as YAML (and, for each further variant, the fields it changes), the seeds, scenario hashes and
code version; the Chinese font is embedded as a subset ``@font-face``, so the page renders the
same on a machine without any CJK font.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from sim.core.atomic import write_text
from sim.domain.kpis import BY_KEY, SECTIONS
from sim.experiment.pairing import Comparison, compare
from sim.experiment.runner import RunResult
from sim.report.fmt import fmt, fmt_interval
from sim.report.fonts import font_face_css
from sim.report.plots import Drawn, draw

_FAMILY = "ReportCJK"
_CSS = """
body { font-family: 'ReportCJK', sans-serif; margin: 24px auto; max-width: 1280px;
       color: #222; background: #fff; line-height: 1.45; padding: 0 16px; }
h1 { font-size: 24px; } h2 { font-size: 19px; border-bottom: 2px solid #ddd; margin-top: 32px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; vertical-align: top; }
th { background: #f2f4f7; } td.l, th.l { text-align: left; }
tr.section td { background: #e8eef7; font-weight: bold; text-align: left; }
td.sig { color: #b00020; font-weight: bold; } .muted { color: #666; font-size: 12px; }
figure { margin: 16px 0; } figure img { max-width: 100%; border: 1px solid #eee; }
pre { background: #f7f7f7; padding: 10px; font-size: 12px; overflow-x: auto; }
"""
_NOTE = (
    '<p class="muted">* 差异显著：配对95%置信区间不含0 (significant: the paired 95% CI of the '
    "difference excludes 0). 共同随机数 common random numbers: every variant uses the same seed "
    "and replication indices.</p>"
)


def _e(value: object) -> str:
    return html.escape(str(value))


def _row(cells: Sequence[str], header: bool = False, left: int = 0) -> str:
    """A table row; the first ``left`` cells are left-aligned (text), the rest numbers."""
    tag = "th" if header else "td"
    out = []
    for i, cell in enumerate(cells):
        attr = ' class="l"' if i < left else ""
        out.append(f"<{tag}{attr}>{cell}</{tag}>")
    return "<tr>" + "".join(out) + "</tr>"


def default_labels(results: Sequence[RunResult]) -> list[str]:
    """The policy names, made unique with a number where policies repeat."""
    names = [r.policy for r in results]
    if len(set(names)) == len(names):
        return names
    return [f"{i + 1}. {n}" for i, n in enumerate(names)]


def _provenance(results: Sequence[RunResult], labels: Sequence[str]) -> str:
    head = ["方案 variant", "策略 policy", "场景 scenario", "场景哈希 scenario hash", "种子 seed",
            "重复次数 replications", "代码版本 code version", "开始 started (UTC)",
            "耗时 wall time (s)"]  # fmt: skip
    rows = [_row(head, header=True, left=9)]
    for label, r in zip(labels, results, strict=True):
        cells = [label, r.policy, r.scenario.name, r.scenario_hash, r.seed, r.replications,
                 r.code_version, r.started, f"{r.wall_seconds:.2f}"]  # fmt: skip
        rows.append(_row([_e(c) for c in cells], left=9))
    return "<table>" + "".join(rows) + "</table>"


def _kpi_table(comparison: Comparison) -> str:
    labels = comparison.labels
    head = ["指标", "KPI", "单位 unit"] + [f"{_e(lb)}<br>均值 mean [95% CI]" for lb in labels]
    head += [f"Δ {_e(lb)} − {_e(comparison.base)}<br>[95% CI]" for lb in labels[1:]]
    rows = [_row(head, header=True, left=2)]
    section = ""
    for key, ests in comparison.estimates.items():
        k = BY_KEY[key]
        if k.section != section:
            section = k.section
            rows.append(f'<tr class="section"><td colspan="{len(head)}">'
                        f"{_e(SECTIONS[section])}</td></tr>")  # fmt: skip
        cells = [f'<td class="l">{_e(k.zh)}</td>', f'<td class="l">{_e(k.en)}</td>',
                 f"<td>{_e(k.unit)}</td>"]  # fmt: skip
        cells += [
            f"<td>{_e(fmt(e.mean, k.unit))} {_e(fmt_interval(e.low, e.high, k.unit))}</td>"
            for e in ests
        ]
        for d in comparison.diffs[key][1:]:
            assert d is not None
            text = f"{fmt(d.mean, k.unit, True)} {fmt_interval(d.low, d.high, k.unit, True)}"
            mark = ' class="sig"' if d.significant else ""
            cells.append(f"<td{mark}>{_e(text)}{' *' if d.significant else ''}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    table = "<table>" + "".join(rows) + "</table>"
    return table + _NOTE if len(labels) > 1 else table


def _plots(drawn: Sequence[Drawn]) -> str:
    parts = []
    for plot in drawn:
        name, title = plot.name, plot.title
        data = base64.b64encode(plot.png).decode("ascii")
        parts.append(f'<figure id="plot-{name}"><img alt="{_e(title)}" '
                     f'src="data:image/png;base64,{data}"><figcaption class="muted">'
                     f"{_e(title)}</figcaption></figure>")  # fmt: skip
    return "".join(parts)


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out |= _flat(value, f"{prefix}.{key}" if prefix else str(key))
        return out
    return {prefix: data}


def _dump(scenario: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = scenario.model_dump(mode="json", by_alias=True)
    return dumped


def _scenario_echo(results: Sequence[RunResult], labels: Sequence[str]) -> str:
    base = _dump(results[0].scenario)
    text = yaml.safe_dump(base, allow_unicode=True, sort_keys=False)
    parts = [f"<h3>{_e(labels[0])}</h3><pre>{_e(text)}</pre>"]
    flat_base = _flat(base)
    for label, r in zip(labels[1:], results[1:], strict=True):
        flat = _flat(_dump(r.scenario))
        changed = [k for k in flat.keys() | flat_base.keys() if flat.get(k) != flat_base.get(k)]
        items = "".join(
            f"<li><code>{_e(k)}</code>: {_e(_short_yaml(flat.get(k)))}</li>"
            for k in sorted(changed)
        )
        parts.append(f"<h3>{_e(label)}</h3><p>与 {_e(labels[0])} 不同的字段 fields changed:</p>"
                     f"<ul>{items or '<li>无 none</li>'}</ul>")  # fmt: skip
    return "".join(parts)


def _short_yaml(value: Any, limit: int = 160) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=math.inf)
    text = text.strip().removesuffix("...").strip()
    if isinstance(value, list):
        text = f"{len(value)} 项 items: {text}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_html(
    results: Sequence[RunResult],
    comparison: Comparison | None = None,
    labels: Sequence[str] | None = None,
    drawn: Sequence[Drawn] | None = None,
) -> str:
    """The report as one HTML string (``drawn``: the plots, if already drawn)."""
    names = list(comparison.labels if comparison else labels or default_labels(results))
    comp = comparison or compare(results, names)
    first = results[0]
    kind = "方案比较 comparison" if len(results) > 1 else "仿真结果 run"
    title = f"售楼处仿真报告 Sales-office simulation report · {first.scenario.name} · {kind}"
    when = datetime.now(UTC).isoformat(timespec="seconds")
    plots = drawn if drawn is not None else draw(results, names, svg=False)
    body = (
        f"<h1>{_e(title)}</h1>"
        f'<p class="muted">生成时间 generated {when} · 代码版本 code version '
        f"{_e(first.code_version)} · 种子 seed {first.seed} · {first.replications} 次重复 "
        "replications · 95% 置信区间 confidence intervals (Student t)</p>"
        f"<h2>来源 Provenance</h2>{_provenance(results, names)}"
        f"<h2>指标 KPIs</h2>{_kpi_table(comp)}"
        f"<h2>图表 Plots</h2>{_plots(plots)}"
        f"<h2>场景 Scenario</h2>{_scenario_echo(results, names)}"
    )
    css = font_face_css(body, _FAMILY)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{css}{_CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def write_html_report(
    results: Sequence[RunResult] | RunResult,
    path: Path | str,
    comparison: Comparison | None = None,
    labels: Sequence[str] | None = None,
    drawn: Sequence[Drawn] | None = None,
) -> Path:
    """Write the self-contained report to ``path`` (atomically) and return the path.

    ``results`` is one run or the variants of a comparison (same seed and replications);
    without ``comparison`` the paired comparison to the first is computed here.
    """
    runs = [results] if isinstance(results, RunResult) else list(results)
    if not runs:
        raise ValueError("the report needs at least one run")
    target = Path(path)
    write_text(target, render_html(runs, comparison, labels, drawn))
    return target
