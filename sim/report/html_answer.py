"""The parts of the HTML report that answer first (issue 15 items 1 and 2): the targets judged,
the verdict of a comparison with its evidence, and KPI tables that show each KPI's key and
colour each difference by whether it is better (green) or worse (red).

Every text is Chinese first with the English beside it; variant names are readable
(:func:`sim.report.names.display_name`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from sim.domain.kpi_direction import is_better
from sim.domain.kpis import BY_KEY, SECTIONS
from sim.experiment.pairing import Comparison, PairedDiff
from sim.report.answer import Verdict
from sim.report.fmt import fmt, fmt_interval
from sim.report.names import display_name
from sim.report.targets import STATUS_LABELS, TargetOutcome
from sim.report.terminal import UNITS, target_text
from sim.report.verdict import evidence_lines, headline

BETTER_NOTE = (
    '<p class="muted">差异 = 方案 − 基准（配对，共同随机数）difference = variant − base (paired, '
    "common random numbers). * 显著 significant: 95% 置信区间不含0 the 95% CI excludes 0. "
    '<span class="better">绿色更好 green: better</span> · <span class="worse">红色更差 red: '
    'worse</span> · <span class="ns">灰色不显著 grey: not significant</span> · 黑色：无优劣方向 '
    "black: a KPI with no better direction.</p>"
)


MARKS = {"met": "✓", "borderline": "~", "missed": "×", "unknown": "?"}
"""Status marks in glyphs the embedded font has (it has no ✗)."""


def e(value: object) -> str:
    """HTML-escaped text."""
    return html.escape(str(value))


def unit_label(unit: str) -> str:
    """``分钟 min``; ``%`` once."""
    zh, en = UNITS[unit]
    return zh if zh == en else f"{zh} {en}"


def _name_cells(key: str) -> str:
    k = BY_KEY[key]
    code = f"<code>{e(key)}</code>"
    return f'<td class="l">{e(k.zh)}</td><td class="l">{e(k.en)}</td><td class="l">{code}</td>'


def _status(status: str) -> str:
    zh, en = STATUS_LABELS[status]  # type: ignore[index]
    return f'<span class="st-{status}">{MARKS[status]} {e(zh)} {e(en)}</span>'


def _target(o: TargetOutcome) -> str:
    return f'{e(target_text(o.target, "zh"))} <span class="muted">{e(o.target.source)}</span>'


def targets_table(outcomes: Sequence[TargetOutcome]) -> str:
    """The targets of one run: KPI, key, target, mean [95% CI], met or missed."""
    head = ('<tr><th class="l">指标</th><th class="l">KPI</th><th class="l">键 key</th>'
            "<th>目标 target</th><th>均值 mean [95% CI]</th>"
            '<th class="l">结论 result</th></tr>')  # fmt: skip
    rows = []
    for o in outcomes:
        unit = BY_KEY[o.target.kpi].unit
        est = o.estimate
        achieved = f"{fmt(est.mean, unit)} {fmt_interval(est.low, est.high, unit)}"
        rows.append(f"<tr>{_name_cells(o.target.kpi)}<td>{_target(o)}</td><td>{e(achieved)}</td>"
                    f'<td class="l">{_status(o.status)}</td></tr>')  # fmt: skip
    return f'<h3>目标达成 Targets met</h3><table class="targets">{head}{"".join(rows)}</table>'


def targets_matrix(outcomes: dict[str, list[TargetOutcome]]) -> str:
    """One row per variant, one column per target: met or missed, and the mean."""
    first = next(iter(outcomes.values()))
    head = '<tr><th class="l">方案 variant</th>' + "".join(
        f"<th>{e(BY_KEY[o.target.kpi].zh)}<br>{e(BY_KEY[o.target.kpi].en)}<br><code>"
        f"{e(o.target.kpi)}</code> {e(target_text(o.target, 'zh'))}</th>" for o in first
    ) + "</tr>"  # fmt: skip
    rows = []
    for label, row in outcomes.items():
        cells = "".join(
            f"<td>{_status(o.status)}<br>{e(fmt(o.estimate.mean, BY_KEY[o.target.kpi].unit))}</td>"
            for o in row
        )
        rows.append(f'<tr><td class="l">{e(display_name(label))}</td>{cells}</tr>')
    table = f'<table class="targets">{head}{"".join(rows)}</table>'
    sources = ", ".join(dict.fromkeys(o.target.source for o in first))
    note = f'<p class="muted">目标 target 来自场景 from the scenario: {e(sources)}</p>'
    return f"<h3>目标达成 Targets met</h3>{table}{note}"


def verdict_block(verdict: Verdict) -> str:
    """The verdict in Chinese and English, with the evidence beneath."""
    lines = "".join(f"<li>{e(zh.strip())}<br><span class=\"muted\">{e(en.strip())}</span></li>"
                    for zh, en in zip(evidence_lines(verdict, "zh"),
                                      evidence_lines(verdict, "en"), strict=True))  # fmt: skip
    return (f'<p class="verdict">{e(headline(verdict, "zh"))}<br>'
            f'<span class="en">{e(headline(verdict, "en"))}</span></p>'
            f'<ul class="evidence">{lines}</ul>')  # fmt: skip


def diff_class(key: str, diff: PairedDiff) -> str:
    """``better``, ``worse``, ``ns`` (not significant) or ``""`` (no better direction)."""
    if not diff.significant:
        return "ns"
    better = is_better(key, diff.mean)
    return "" if better is None else ("better" if better else "worse")


def kpi_table(comparison: Comparison, keys: Sequence[str], sections: bool = True) -> str:
    """Per KPI (Chinese, English, key, unit): each variant's mean [95% CI] and, with several
    variants, the paired difference to the base, coloured better/worse."""
    labels = comparison.labels
    head = ['<th class="l">指标</th>', '<th class="l">KPI</th>', '<th class="l">键 key</th>',
            "<th>单位 unit</th>"]  # fmt: skip
    head += [f"<th>{e(display_name(lb))}<br>均值 mean [95% CI]</th>" for lb in labels]
    head += [f"<th>差异 Δ {e(display_name(lb))} − {e(display_name(comparison.base))}<br>[95% CI]"
             "</th>" for lb in labels[1:]]  # fmt: skip
    rows = ["<tr>" + "".join(head) + "</tr>"]
    section = ""
    for key in keys:
        k = BY_KEY[key]
        if sections and k.section != section:
            section = k.section
            rows.append(
                f'<tr class="section"><td colspan="{len(head)}">{e(SECTIONS[section])}</td></tr>'
            )
        cells = [_name_cells(key), f"<td>{e(unit_label(k.unit))}</td>"]
        cells += [f"<td>{e(fmt(x.mean, k.unit))} {e(fmt_interval(x.low, x.high, k.unit))}</td>"
                  for x in comparison.estimates[key]]  # fmt: skip
        for d in comparison.diffs[key][1:]:
            assert d is not None
            text = f"{fmt(d.mean, k.unit, True)} {fmt_interval(d.low, d.high, k.unit, True)}"
            cells.append(
                f'<td class="{diff_class(key, d)}">{e(text)}{" *" if d.significant else ""}</td>'
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    table = "<table>" + "".join(rows) + "</table>"
    return table + BETTER_NOTE if len(labels) > 1 else table
