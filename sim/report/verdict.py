"""The verdict of a comparison as text lines, in Chinese or English (issue 15 item 2).

The first line is the decision (:func:`sim.report.answer.decide`), the lines after it the
evidence: the winner's targets judged, what the smaller variants miss, or the paired differences
(winner minus other, 95% CI, common random numbers) that make the winner better.
"""

from __future__ import annotations

from sim.domain.kpis import BY_KEY
from sim.report.answer import Verdict
from sim.report.fmt import fmt, fmt_interval
from sim.report.i18n import Lang, pick
from sim.report.names import display_name
from sim.report.targets import STATUS_LABELS, TargetOutcome


def _label(key: str, lang: Lang) -> str:
    k = BY_KEY[key]
    return pick(lang, k.zh, k.en)


def outcome_line(o: TargetOutcome, lang: Lang) -> str:
    """``等待顾问P90 4.12 [3.80, 4.44] ≤ 5 → 达标``."""
    unit = BY_KEY[o.target.kpi].unit
    value = fmt(o.target.value, unit) if unit in ("share", "ratio") else f"{o.target.value:g}"
    op = "≤" if o.target.op == "<=" else "≥"
    est = o.estimate
    status = pick(lang, *STATUS_LABELS[o.status])
    return (f"{_label(o.target.kpi, lang)} {fmt(est.mean, unit)} "
            f"{fmt_interval(est.low, est.high, unit)} {op} {value} → {status}")  # fmt: skip


def headline(v: Verdict, lang: Lang = "zh") -> str:
    """The decision in one line."""
    w = display_name(v.winner, lang) if v.winner else ""
    n = len(v.outcomes)
    texts = {
        "smallest": (f"结论：达到全部目标的最小方案是「{w}」",
                     f"Verdict: the smallest variant that meets every target is '{w}'"),
        "only": (f"结论：只有「{w}」达到全部目标",
                 f"Verdict: only '{w}' meets every target"),
        "better": (f"结论：「{w}」达到全部目标，且在目标指标上显著优于其他方案",
                   f"Verdict: '{w}' meets every target and is significantly better than every "
                   "other variant on the targets"),
        "no_difference": (f"结论：{n} 个方案中达标的方案在目标指标上无显著差异",
                          f"Verdict: the variants that meet every target (of {n}) do not differ "
                          "significantly on the targets"),
        "none_meets": (f"结论：没有方案达到全部目标；最接近的是「{w}」",
                       f"Verdict: no variant meets every target; the closest is '{w}'"),
    }  # fmt: skip
    if v.kind == "none_meets" and v.evidence:
        return pick(lang, f"结论：没有方案达到全部目标；「{w}」在目标指标上显著优于其他方案",
                    f"Verdict: no variant meets every target; '{w}' is significantly better than "
                    "every other on the targets")  # fmt: skip
    if v.kind == "none_meets" and v.winner is None:
        return pick(lang, "结论：没有方案达到全部目标，也没有一个方案在目标指标上显著优于其他方案",
                    "Verdict: no variant meets every target, and none is significantly better "
                    "than every other on the targets")  # fmt: skip
    return pick(lang, *texts[v.kind])


def evidence_lines(v: Verdict, lang: Lang = "zh") -> list[str]:
    """The evidence beneath the decision."""
    lines = []
    if v.winner is not None and v.kind != "better":
        lines += [f"  {outcome_line(o, lang)}" for o in v.outcomes[v.winner]]
    elif v.kind == "none_meets":
        for label, row in v.outcomes.items():
            lines += [f"  {display_name(label, lang)}: {outcome_line(o, lang)}"
                      for o in row if o.status == "missed"]  # fmt: skip
    for smaller, missed in v.smaller_missed.items():
        names = "、".join(_label(k, lang) for k in missed) if lang == "zh" else ", ".join(
            _label(k, lang) for k in missed)  # fmt: skip
        lines.append(
            pick(
                lang,
                f"  更小的「{display_name(smaller, lang)}」未达标：{names}",
                f"  the smaller '{display_name(smaller, lang)}' misses: {names}",
            )
        )
    for e in v.evidence:
        unit = BY_KEY[e.kpi].unit
        diff = f"{fmt(e.diff.mean, unit, True)} {fmt_interval(e.diff.low, e.diff.high, unit, True)}"
        lines.append(
            pick(
                lang,
                f"  比「{display_name(e.other, lang)}」{_label(e.kpi, lang)} {diff}",
                f"  vs '{display_name(e.other, lang)}': {_label(e.kpi, lang)} {diff}",
            )
        )
    for better, e in v.beaten:  # shown as worse minus better: the worse one's shortfall
        unit = BY_KEY[e.kpi].unit
        d = e.diff
        diff = f"{fmt(-d.mean, unit, True)} {fmt_interval(-d.high, -d.low, unit, True)}"
        b, w, k = display_name(better, lang), display_name(e.other, lang), _label(e.kpi, lang)
        lines.append(
            pick(
                lang,
                f"  「{w}」比「{b}」显著更差：{k} {diff}",
                f"  '{w}' is significantly worse than '{b}': {k} {diff}",
            )
        )
    if v.evidence or v.beaten:
        lines.append(
            pick(
                lang,
                "  （配对差异及95%置信区间，共同随机数）",
                "  (paired differences with 95% CIs, common random numbers)",
            )
        )
    return lines


def verdict_lines(v: Verdict, lang: Lang = "zh") -> list[str]:
    """The decision, then its evidence."""
    return [headline(v, lang), *evidence_lines(v, lang)]
