"""One self-contained HTML report of a run or a comparison.

The report opens with the answer (issue 15 item 1): the scenario's targets against what was
achieved, met or missed (for a comparison: per variant, and the verdict with its evidence), and
the headline KPIs; then every KPI that is not zero on every day, with its key; then the plots;
the provenance (seeds, scenario hashes, code version) and the scenario echoed as YAML (and, for
each further variant, the fields it changes) come last, folded (``<details>``).

Everything is inside the file: the plots as PNG data URIs, and the Chinese font embedded as a
subset ``@font-face`` that every text element uses, the YAML echo included, so the page renders
the same on a machine without any CJK font.
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
from sim.experiment.pairing import Comparison, compare
from sim.experiment.runner import RunResult
from sim.report.answer import decide, shown_keys, top_keys
from sim.report.fonts import font_face_css
from sim.report.html_answer import kpi_table, targets_matrix, targets_table, verdict_block
from sim.report.names import display_name
from sim.report.plots import Drawn, draw
from sim.report.targets import ReportTarget, judge_run, scenario_targets

_FAMILY = "ReportCJK"
_CSS = """
body, table, th, td, pre, code, summary, figcaption, h1, h2, h3, p, li, span {
       font-family: 'ReportCJK', sans-serif; }
body { margin: 24px auto; max-width: 1280px;
       color: #222; background: #fff; line-height: 1.45; padding: 0 16px; }
h1 { font-size: 24px; } h2 { font-size: 19px; border-bottom: 2px solid #ddd; margin-top: 32px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; vertical-align: top; }
th { background: #f2f4f7; } td.l, th.l { text-align: left; }
td:not(.l) { white-space: nowrap; } table { display: block; overflow-x: auto; max-width: 100%; }
tr.section td { background: #e8eef7; font-weight: bold; text-align: left; }
td.better, span.better { color: #1b7a2f; font-weight: bold; }
td.worse, span.worse { color: #b00020; font-weight: bold; } td.ns, span.ns { color: #888; }
.muted { color: #666; font-size: 12px; } code { font-size: 12px; color: #444; }
.st-met { color: #1b7a2f; font-weight: bold; } .st-missed { color: #b00020; font-weight: bold; }
.st-borderline { color: #a66300; font-weight: bold; } .st-unknown { color: #888; }
p.verdict { font-size: 18px; font-weight: bold; margin: 12px 0 4px; }
p.verdict .en { font-size: 14px; font-weight: normal; color: #444; }
ul.evidence { font-size: 13px; margin-top: 4px; } details { margin-top: 32px; }
summary { font-size: 19px; font-weight: bold; cursor: pointer; }
figure { margin: 16px 0; } figure img { max-width: 100%; border: 1px solid #eee; }
pre { background: #f7f7f7; padding: 10px; font-size: 12px; overflow-x: auto; }
"""


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


def _variant(label: str) -> str:
    """A variant's readable name with its label (what ``--vary`` and the files use)."""
    return f"{_e(display_name(label))} <code>{_e(label)}</code>"


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
    parts = [f"<h4>{_variant(labels[0])}</h4><pre>{_e(text)}</pre>"]
    flat_base = _flat(base)
    for label, r in zip(labels[1:], results[1:], strict=True):
        flat = _flat(_dump(r.scenario))
        changed = [k for k in flat.keys() | flat_base.keys() if flat.get(k) != flat_base.get(k)]
        items = "".join(
            f"<li><code>{_e(k)}</code>: {_e(_short_yaml(flat.get(k)))}</li>"
            for k in sorted(changed)
        )
        parts.append(f"<h4>{_variant(label)}</h4><p>与「{_e(display_name(labels[0]))}」不同的字段 "
                     "fields changed:</p>"
                     f"<ul>{items or '<li>无 none</li>'}</ul>")  # fmt: skip
    return "".join(parts)


def _short_yaml(value: Any, limit: int = 160) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=math.inf)
    text = text.strip().removesuffix("...").strip()
    if isinstance(value, list):
        text = f"{len(value)} 项 items: {text}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _answer(
    results: Sequence[RunResult], comp: Comparison, targets: Sequence[ReportTarget],
    sizes: Sequence[float] | None,
) -> str:  # fmt: skip
    """The answer section: the targets judged (per variant, with the verdict, for a
    comparison), then the headline KPIs."""
    top = top_keys(results, targets)
    headline = f"<h3>主要指标 Headline KPIs</h3>{kpi_table(comp, top, sections=False)}"
    if len(results) == 1:
        outcomes = judge_run(results[0], targets)
        missed = sum(o.status == "missed" for o in outcomes)
        verdict = (f"全部 {len(outcomes)} 项目标达成 all {len(outcomes)} targets met" if not missed
                   else f"{missed}/{len(outcomes)} 项目标未达成 {missed} of {len(outcomes)} "
                   "targets missed")  # fmt: skip
        judged = targets_table(outcomes) if outcomes else ""
        status = "st-missed" if missed else "st-met"
        return f'<p class="verdict {status}">{_e(verdict)}</p>{judged}{headline}'
    verdict_ = decide(results, comp.labels, targets, sizes)
    matrix = targets_matrix(verdict_.outcomes) if targets else ""
    return f"{verdict_block(verdict_)}{matrix}{headline}"


def _detail(results: Sequence[RunResult], comp: Comparison) -> str:
    shown = shown_keys(results)
    hidden = len(comp.estimates) - len(shown)
    note = (f'<p class="muted">{hidden} 项指标每天均为零或无数据，未显示 {hidden} KPIs zero or '
            "unmeasured on every day are not shown.</p>") if hidden else ""  # fmt: skip
    return kpi_table(comp, shown) + note


def render_html(
    results: Sequence[RunResult],
    comparison: Comparison | None = None,
    labels: Sequence[str] | None = None,
    drawn: Sequence[Drawn] | None = None,
    targets: Sequence[ReportTarget] | None = None,
    sizes: Sequence[float] | None = None,
) -> str:
    """The report as one HTML string (``drawn``: the plots, if already drawn; ``targets``:
    default the first scenario's; ``sizes``: each variant's size for the verdict,
    :func:`sim.report.answer.variant_size`)."""
    names = list(comparison.labels if comparison else labels or default_labels(results))
    comp = comparison or compare(results, names)
    first = results[0]
    chosen = (
        list(targets) if targets is not None else scenario_targets(first.scenario, first.summary)
    )
    kind = "方案比较 comparison" if len(results) > 1 else "仿真结果 run"
    title = f"售楼处仿真报告 Sales-office simulation report · {first.scenario.name} · {kind}"
    when = datetime.now(UTC).isoformat(timespec="seconds")
    plots = drawn if drawn is not None else draw(results, names, svg=False, targets=chosen)
    body = (
        f"<h1>{_e(title)}</h1>"
        f'<p class="muted">{first.replications} 次重复 replications · 种子 seed {first.seed} · '
        "95% 置信区间 confidence intervals (Student t)</p>"
        f"<h2>结论 Answer</h2>{_answer(results, comp, chosen, sizes)}"
        f"<h2>指标明细 KPI detail</h2>{_detail(results, comp)}"
        f"<h2>图表 Plots</h2>{_plots(plots)}"
        "<details><summary>来源与场景 Provenance and scenario</summary>"
        f'<p class="muted">生成时间 generated {when} · 代码版本 code version '
        f"{_e(first.code_version)}</p>"
        f"<h3>来源 Provenance</h3>{_provenance(results, names)}"
        f"<h3>场景 Scenario</h3>{_scenario_echo(results, names)}</details>"
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
    targets: Sequence[ReportTarget] | None = None,
    sizes: Sequence[float] | None = None,
) -> Path:
    """Write the self-contained report to ``path`` (atomically) and return the path.

    ``results`` is one run or the variants of a comparison (same seed and replications);
    without ``comparison`` the paired comparison to the first is computed here.
    """
    runs = [results] if isinstance(results, RunResult) else list(results)
    if not runs:
        raise ValueError("the report needs at least one run")
    target = Path(path)
    write_text(target, render_html(runs, comparison, labels, drawn, targets, sizes))
    return target
