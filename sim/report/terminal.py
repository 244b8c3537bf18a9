"""The terminal output of ``salesim run``: the answer first (targets met or missed), then the
headline KPIs (``--all``: every KPI that is not zero on every day), in Chinese or English
(``--lang``), laid out to fit 80 columns (issue 15 items 1 and 6).

Each KPI row shows its key (what ``--target`` and the scenario's targets name); numbers never
wrap, labels and keys do.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from sim.core.stats import Estimate
from sim.domain.kpis import BY_KEY, SECTIONS
from sim.experiment.runner import RunResult
from sim.report.answer import shown_keys, top_keys
from sim.report.fmt import fmt, fmt_interval
from sim.report.i18n import Lang, pick
from sim.report.names import policy_name
from sim.report.targets import (
    STATUS_LABELS,
    ReportTarget,
    TargetOutcome,
    judge_run,
    scenario_targets,
)

UNITS: dict[str, tuple[str, str]] = {
    "groups": ("组", "groups"), "tasks": ("次", "tasks"), "calls": ("通", "calls"),
    "min": ("分钟", "min"), "turns": ("次", "turns"), "reps": ("人", "reps"),
    "share": ("%", "%"), "ratio": ("", ""), "people": ("人", "people"),
}  # fmt: skip
"""KPI unit -> (Chinese, English) as printed after a number."""

STATUS_STYLES = {
    "met": "bold green",
    "borderline": "yellow",
    "missed": "bold red",
    "unknown": "dim",
}
STATUS_MARKS = {"met": "✓", "borderline": "~", "missed": "✗", "unknown": "?"}


def unit_text(unit: str, lang: Lang) -> str:
    """A unit as printed (``分钟`` / ``min``)."""
    return pick(lang, *UNITS[unit])


def kpi_label(key: str, lang: Lang) -> str:
    """A KPI's label in ``lang``."""
    k = BY_KEY[key]
    return pick(lang, k.zh, k.en)


def section_title(section: str, lang: Lang) -> str:
    """A section title (``来访 Visitors``) in ``lang``: the Chinese words before the first
    space, or the English after them."""
    zh, _space, en = SECTIONS[section].partition(" ")
    return pick(lang, zh, en or zh)


def target_text(target: ReportTarget, lang: Lang) -> str:
    """``≤ 5 分钟`` (shares as %): a target as the scenario states it."""
    unit = BY_KEY[target.kpi].unit
    op = "≤" if target.op == "<=" else "≥"
    if unit in ("share", "ratio"):
        return f"{op} {fmt(target.value, unit)}"
    return f"{op} {target.value:g} {unit_text(unit, lang)}"


def status_text(status: str, lang: Lang) -> Text:
    """``✓ 达标`` in its colour."""
    zh, en = STATUS_LABELS[status]  # type: ignore[index]
    return Text(f"{STATUS_MARKS[status]} {pick(lang, zh, en)}", style=STATUS_STYLES[status])


def _name(key: str, lang: Lang, stacked: bool = False) -> tuple[Text, ...]:
    """The label and the key, dimmed (the key is what ``--target`` and targets take): two
    cells, or with ``stacked`` one cell with the key beneath (long per-post keys)."""
    label, code = Text(kpi_label(key, lang)), Text(key, style="dim")
    return (Text.assemble(label, "\n", code),) if stacked else (label, code)


def _name_columns(table: Table, lang: Lang, stacked: bool = False) -> None:
    if stacked:
        table.add_column(pick(lang, "指标 / 键", "KPI / key"), ratio=1, overflow="fold")
        return
    table.add_column(pick(lang, "指标", "KPI"), ratio=1, min_width=8, overflow="fold")
    table.add_column(pick(lang, "键", "key"), no_wrap=True)


def _unbounded(result: RunResult, key: str, est: Estimate, mean: str, lang: Lang) -> str:
    """Days on which a KPI is infinite (an event desk left groups unserved: the wait has no
    bound) are left out of the mean; say so rather than show a mean of the other days alone."""
    inf_days = sum(math.isinf(v) for v in result.kpi_values(key))
    if not inf_days:
        return mean
    if est.n == 0:
        return pick(lang, f"∞ ({inf_days}天未服务完)", f"∞ ({inf_days} days unserved)")
    return f"{mean} (+{inf_days}{pick(lang, '天∞', ' days ∞')})"


def targets_table(outcomes: Sequence[TargetOutcome], lang: Lang = "zh") -> Table:
    """The scenario's targets against what the run achieved, with met/missed."""
    table = Table(title=pick(lang, "目标与达成", "Targets and what the run achieved"),
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)  # fmt: skip
    # long labels and keys (event desks) go one above the other so the numbers keep their width
    stacked = any(
        cell_len(kpi_label(o.target.kpi, lang)) + len(o.target.kpi) > 30 for o in outcomes
    )
    _name_columns(table, lang, stacked)
    table.add_column(pick(lang, "目标", "target"), no_wrap=True, justify="right")
    table.add_column(pick(lang, "均值 [95% CI]", "mean [95% CI]"), no_wrap=True, justify="right")
    table.add_column(pick(lang, "结论", "result"), no_wrap=True)
    for o in outcomes:
        unit = BY_KEY[o.target.kpi].unit
        achieved = (
            f"{fmt(o.estimate.mean, unit)} {fmt_interval(o.estimate.low, o.estimate.high, unit)}"
        )
        table.add_row(*_name(o.target.kpi, lang, stacked), target_text(o.target, lang), achieved,
                      status_text(o.status, lang))  # fmt: skip
    return table


def kpi_table(
    result: RunResult, keys: Sequence[str] | None = None, lang: Lang = "zh", title: str = ""
) -> Table:
    """A table of the KPIs ``keys`` (default: every KPI not blank on every day) with mean and
    95% CI; with sections when it shows more than the headline."""
    chosen = list(keys) if keys is not None else shown_keys([result])
    table = Table(title=title or None, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    sections = keys is None  # every KPI: by section, the key beneath the label
    _name_columns(table, lang, stacked=sections)
    table.add_column(pick(lang, "均值", "mean"), no_wrap=True, justify="right")
    table.add_column("95% CI", no_wrap=True, justify="right")
    table.add_column(pick(lang, "单位", "unit"), no_wrap=True)
    section = ""
    for key in chosen:
        k, est = BY_KEY[key], result.summary[key]
        if sections and k.section != section:
            section = k.section
            blank = [""] * (3 if sections else 4)
            table.add_row(Text(section_title(section, lang), style="bold"), *blank)
        mean = fmt(est.mean, k.unit)
        if est.n < result.replications:
            mean = _unbounded(result, key, est, mean, lang)
        table.add_row(*_name(key, lang, sections), mean, fmt_interval(est.low, est.high, k.unit),
                      unit_text(k.unit, lang), end_section=False)  # fmt: skip
    return table


def run_title(result: RunResult, lang: Lang = "zh") -> str:
    """``weekend · 策略 顺序轮流 · 20 次重复 · 种子 0``."""
    policy = policy_name(result.policy, lang)
    return pick(
        lang,
        f"{result.scenario.name} · 策略 {policy} · {result.replications} 次重复 · "
        f"种子 {result.seed}",
        f"{result.scenario.name} · policy {policy} · {result.replications} replications · "
        f"seed {result.seed}",
    )


def run_answer(
    result: RunResult, targets: Sequence[ReportTarget], show_all: bool = False, lang: Lang = "zh"
) -> Group:
    """What ``salesim run`` prints: the title, the targets judged, the headline KPIs (or with
    ``show_all`` every KPI not blank on every day) and how to see the rest."""
    outcomes = judge_run(result, targets)
    missed = sum(o.status == "missed" for o in outcomes)
    verdict = pick(lang,
                   f"全部 {len(outcomes)} 项目标达成" if not missed else
                   f"{missed}/{len(outcomes)} 项目标未达成",
                   f"all {len(outcomes)} targets met" if not missed else
                   f"{missed} of {len(outcomes)} targets missed")  # fmt: skip
    parts: list[Table | Text] = [
        Text(run_title(result, lang), style="bold"),
        Text(
            f"{pick(lang, '结论', 'Answer')}: {verdict}",
            style="bold red" if missed else "bold green",
        ),
    ]
    if outcomes:
        parts.append(targets_table(outcomes, lang))
    shown = shown_keys([result])
    if show_all:
        title = pick(lang, "全部指标（全为零的已隐藏）", "Every KPI (all-zero ones hidden)")
        parts.append(kpi_table(result, None, lang, title))
    else:
        top = top_keys([result], targets)
        parts.append(kpi_table(result, top, lang, pick(lang, "主要指标", "Headline KPIs")))
        rest = len(shown) - len(top)
        more = pick(
            lang, f"另有 {rest} 项指标：加 --all 显示", f"{rest} more KPIs: --all shows them"
        )
        parts.append(Text(more, style="dim"))
    hidden = len(result.summary) - len(shown)
    if hidden:
        parts.append(Text(pick(lang, f"{hidden} 项指标每天均为零或无数据，未显示",
                               f"{hidden} KPIs zero or unmeasured on every day: not shown"),
                          style="dim"))  # fmt: skip
    return Group(*parts)


def print_kpis(
    result: RunResult,
    console: Console | None = None,
    targets: Sequence[ReportTarget] | None = None,
    show_all: bool = False,
    lang: Lang = "zh",
) -> None:
    """Print the run's answer: targets (default: the scenario's), then the KPIs."""
    chosen = (
        list(targets) if targets is not None else scenario_targets(result.scenario, result.summary)
    )
    (console or Console()).print(run_answer(result, chosen, show_all, lang))
