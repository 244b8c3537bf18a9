"""The terminal output of ``salesim compare``: targets met per variant, the KPI table with each
difference coloured by whether it is better (green) or worse (red), and the verdict with its
evidence (issue 15 items 2 and 6). Fits 80 columns; ``--all`` shows every KPI.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from sim.domain.kpi_direction import is_better
from sim.domain.kpis import BY_KEY
from sim.experiment.pairing import Comparison, PairedDiff
from sim.report.answer import Verdict
from sim.report.fmt import fmt, fmt_interval
from sim.report.i18n import Lang, pick
from sim.report.names import display_name
from sim.report.targets import TargetOutcome
from sim.report.terminal import STATUS_MARKS, STATUS_STYLES, kpi_label, target_text, unit_text
from sim.report.verdict import evidence_lines, headline


def diff_style(key: str, diff: PairedDiff) -> str:
    """Green when a significant difference is better, red when worse; dim when not
    significant; plain for a KPI with no better direction."""
    if not diff.significant:
        return "dim"
    better = is_better(key, diff.mean)
    return "" if better is None else ("green" if better else "red")


def diff_text(key: str, diff: PairedDiff) -> Text:
    """``+1.23 [+0.50, +2.00] *`` (shares: ``+2.8 [+1.4, +4.3] pp``) in its colour."""
    unit = BY_KEY[key].unit
    text = f"{fmt(diff.mean, unit, True)} {fmt_interval(diff.low, diff.high, unit, True)}"
    if unit == "share":  # percentage points once, not three times: the column stays narrow
        text = text.replace(" pp", "") + " pp"
    return Text(text + (" *" if diff.significant else "  "), style=diff_style(key, diff))


def targets_matrix(outcomes: dict[str, list[TargetOutcome]], lang: Lang = "zh") -> Table:
    """Met/missed and the mean of every target for every variant. With more targets than
    variants the targets are the rows (a weekend has 13: as columns they would not fit 80
    columns); otherwise one row per variant."""
    first = next(iter(outcomes.values()))
    if len(first) > len(outcomes):
        return _targets_by_row(outcomes, lang)
    table = Table(title=pick(lang, "目标达成", "Targets met"), title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False)  # fmt: skip
    table.add_column(pick(lang, "方案", "variant"), ratio=1, overflow="fold")
    for o in first:
        head = f"{kpi_label(o.target.kpi, lang)}\n{target_text(o.target, lang)}"
        table.add_column(head, justify="right", overflow="fold")
    for label, row in outcomes.items():
        table.add_row(display_name(label, lang), *(_outcome_cell(o) for o in row))
    return table


def _outcome_cell(o: TargetOutcome) -> Text:
    return Text(f"{STATUS_MARKS[o.status]} {fmt(o.estimate.mean, BY_KEY[o.target.kpi].unit)}",
                style=STATUS_STYLES[o.status])  # fmt: skip


def _targets_by_row(outcomes: dict[str, list[TargetOutcome]], lang: Lang) -> Table:
    table = Table(title=pick(lang, "目标达成", "Targets met"), title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False)  # fmt: skip
    table.add_column(pick(lang, "指标 / 键", "KPI / key"), ratio=3, overflow="fold")
    table.add_column(pick(lang, "目标", "target"), justify="right", no_wrap=True)
    for label in outcomes:
        table.add_column(display_name(label, lang), justify="right", overflow="fold")
    rows = list(zip(*outcomes.values(), strict=True))
    for per_variant in rows:
        target = per_variant[0].target
        table.add_row(f"{kpi_label(target.kpi, lang)}\n{target.kpi}", target_text(target, lang),
                      *(_outcome_cell(o) for o in per_variant))  # fmt: skip
    return table


def comparison_table(
    comparison: Comparison, keys: Sequence[str], lang: Lang = "zh", title: str = ""
) -> Table:
    """Per KPI (label, key beneath) and variant: the mean and the paired difference to the base
    with its 95% CI, coloured by better/worse."""
    caption = pick(lang,
                   "差异 = 方案 − 基准（配对，共同随机数）；* 显著：95%置信区间不含0；"
                   "绿色更好，红色更差，灰色不显著",
                   "difference = variant − base (paired, common random numbers); * significant: "
                   "the 95% CI excludes 0; green better, red worse, grey not significant",
                   )  # fmt: skip
    table = Table(title=title or None, title_justify="left", caption=caption,
                  caption_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)  # fmt: skip
    table.add_column(pick(lang, "指标 / 键", "KPI / key"), ratio=3, overflow="fold", min_width=20)
    table.add_column(pick(lang, "方案", "variant"), ratio=2, overflow="fold")
    table.add_column(pick(lang, "均值", "mean"), justify="right", no_wrap=True)
    table.add_column(pick(lang, "差异 [95% CI]", "difference [95% CI]"), justify="right",
                     no_wrap=True)  # fmt: skip
    for key in keys:
        unit = unit_text(BY_KEY[key].unit, lang)
        names = [Text(kpi_label(key, lang)), Text(key, style="dim")]
        ests, diffs = comparison.estimates[key], comparison.diffs[key]
        for i, (label, est, diff) in enumerate(zip(comparison.labels, ests, diffs, strict=True)):
            name = names[i] if i < len(names) else Text("")
            mean = fmt(est.mean, BY_KEY[key].unit) + ("" if unit in ("%", "") else f" {unit}")
            delta = Text(pick(lang, "基准", "base"), style="dim") if diff is None else diff_text(
                key, diff)  # fmt: skip
            table.add_row(name, display_name(label, lang), mean, delta,
                          end_section=i == len(ests) - 1)  # fmt: skip
        if len(ests) == 1:
            table.add_row(names[1], "", "", "")
    return table


def verdict_text(verdict: Verdict, lang: Lang = "zh") -> Text:
    """The verdict line in bold, its evidence beneath."""
    text = Text(headline(verdict, lang), style="bold")
    for line in evidence_lines(verdict, lang):
        text.append("\n" + line)
    return text


def compare_answer(
    comparison: Comparison, verdict: Verdict, keys: Sequence[str], hidden: int, title: str,
    lang: Lang = "zh",
) -> Group:  # fmt: skip
    """What ``salesim compare`` prints: the title, the verdict, the targets per variant, the
    KPI table, and the verdict again beneath the table with its evidence."""
    parts: list[Table | Text] = [Text(title, style="bold"), Text(headline(verdict, lang),
                                                                 style="bold")]  # fmt: skip
    if any(verdict.outcomes.values()):
        parts.append(targets_matrix(verdict.outcomes, lang))
    parts.append(comparison_table(comparison, keys, lang))
    if hidden:
        parts.append(Text(pick(lang, f"另有 {hidden} 项指标未显示（--all 显示全部非零指标）",
                               f"{hidden} more KPIs not shown (--all shows every non-zero KPI)"),
                          style="dim"))  # fmt: skip
    parts.append(verdict_text(verdict, lang))
    return Group(*parts)
