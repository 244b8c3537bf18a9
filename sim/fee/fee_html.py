"""The fee plan as one printable HTML page (Chinese labels, English ids, embedded CJK font)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from sim.fee.money import ZERO, yuan
from sim.fee.plan import FeePlan, Surcharge
from sim.fee.posts import label_zh
from sim.fee.rules import RULES
from sim.fee.sizing_file import event_lines, validation_lines
from sim.fee.tables import LineItem, invoice_rows, line_items, num, summary_rows, team_label
from sim.report.fonts import font_face_css

_FAMILY = "ReportCJK"
_CSS = """
body { font-family: 'ReportCJK', sans-serif; margin: 24px auto; max-width: 1100px; color: #222;
       background: #fff; line-height: 1.45; padding: 0 16px; }
h1 { font-size: 22px; } h2 { font-size: 17px; border-bottom: 2px solid #ddd; margin-top: 26px; }
table { border-collapse: collapse; font-size: 12px; margin: 8px 0; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: right; vertical-align: top; }
th { background: #f2f4f7; } td.l, th.l { text-align: left; } tr.total td { font-weight: bold; }
.warn { color: #b00020; font-weight: bold; } .muted { color: #666; font-size: 11px; }
code { font-size: 11px; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; }
               table { page-break-inside: auto; } tr { page-break-inside: avoid; } }
"""


def _e(value: object) -> str:
    return html.escape(str(value))


def _table(head: Sequence[str], rows: Sequence[Sequence[object]], left: int = 2,
           total: bool = False) -> str:  # fmt: skip
    def row(cells: Sequence[object], tag: str, cls: str = "") -> str:
        out = "".join(f'<{tag}{" class=l" if i < left else ""}>{_e(c)}</{tag}>'
                      for i, c in enumerate(cells))  # fmt: skip
        return f"<tr{cls}>{out}</tr>"

    body = [row(head, "th")]
    body += [row(r, "td", ' class="total"' if total and i == len(rows) - 1 else "")
             for i, r in enumerate(rows)]  # fmt: skip
    return "<table>" + "".join(body) + "</table>"


def _summary(plan: FeePlan) -> str:
    rows = [(zh, en, heads, "" if m is None else yuan(m), yuan(a))
            for zh, en, heads, m, a in summary_rows(plan)]  # fmt: skip
    return _table(["项目", "item", "人数 heads", "月费 monthly 元", "金额 amount 元"], rows)


def _hours_row(item: LineItem) -> list[object]:
    zh = team_label(item.team) if item.post.startswith("team:") else label_zh(item.post)
    positions, per_day, days, covered, per_person, fte = item.hours()
    hours = [positions, per_day, days, covered and yuan(Decimal(covered)),
             per_person and yuan(Decimal(per_person))]  # fmt: skip
    money = ["", "", ""] if item.amount is None else [
        yuan(item.unit_cost or ZERO) if item.billed else "不计费 not billed",
        yuan(item.amount / (item.quantity or 1)), yuan(item.amount)]  # fmt: skip
    return [zh, item.post, item.team, *hours, fte, "" if item.heads is None else item.heads,
            num(item.relief), *money, item.note]  # fmt: skip


HOURS_HEAD = ["岗位", "post", "班组 team", "岗位数 positions", "每日覆盖工时 h/day",
              "每月天数 days/month", "月覆盖工时 covered h", "人均月工时 h/person", "折算人力 FTE",
              "人数 heads", "轮休系数 relief = heads ÷ positions", "单人月成本 元", "月费 元",
              "金额 元", "依据 basis"]  # fmt: skip


def _baseline(plan: FeePlan) -> str:
    rows = [_hours_row(i) for i in line_items(plan) if i.section == "baseline"]
    rows.append(["合计", "total (billed heads)", "", "", "", "", "", "", "",
                 plan.baseline_heads, "", "", yuan(plan.baseline_monthly),
                 yuan(plan.baseline_amount), ""])  # fmt: skip
    card = plan.loaded.card.relief_factor
    note = (f'<p class="muted">轮休系数为计算结果 the relief factor is worked out (heads ÷ '
            f"positions); 费率卡参考值 the card's rule of thumb: {card or '—'}. 人均月工时 hours "
            "per person = contract hours + overtime (working_time). 班组 a team's posts relieve "
            "each other: heads = ⌈Σ FTE⌉ on the team line.</p>")  # fmt: skip
    return note + _table(HOURS_HEAD, rows, total=True)


def _optional(plan: FeePlan) -> str:
    if not plan.optional:
        return f"<p>无选配岗位 no optional posts for {_e(plan.product_label)}.</p>"
    rows = [_hours_row(i) for i in line_items(plan) if i.section == "optional"]
    return _table(HOURS_HEAD, rows)


def _invoice(plan: FeePlan) -> str:
    rows = [(zh, en, yuan(amount)) for zh, en, amount in invoice_rows(plan)]
    return _table(["项目", "item", "金额 元 amount"], rows, total=True)


def _event(s: Surcharge) -> str:
    rows: list[list[object]] = [
        [label_zh(x.post), x.post, x.per or "—", x.peak_extra, x.person_minutes,
         f"{x.units.normalize():f}", yuan(x.rate), x.days, yuan(x.amount)
         if x.billed else "不计费 not billed"] for x in s.lines
    ]  # fmt: skip
    rows.append(["合计", f"total @ {s.level}", "", s.extra_heads, "", "", "", "", yuan(s.total)])
    head = ["岗位", "post", "计费 per", "峰值增员 peak extra", "人·分钟 person-min",
            "计费量 units/day", "单价 元", "天数 days", "金额 元"]  # fmt: skip
    return _table(head, rows, total=True)


def _events(plan: FeePlan) -> str:
    if plan.event is None or plan.sizing is None:
        return "<p>未请求活动附加费 no event surcharge requested (run with --sizing).</p>"
    s = plan.sizing
    parts = [f'<p class="muted">{_e(plan.sizing_source)} · {_e(s.scenario_name)} · 置信水平 '
             f"confidence {s.confidence:g} ({_e(s.mode)}) · {s.simulated_days} simulated days</p>",
             *(f'<p class="muted">{_e(line)}</p>' for line in validation_lines(s)),
             *(f"<p>{_e(line)}</p>" for line in event_lines(s)),
             _event(plan.event)]  # fmt: skip
    for label, day in plan.event_by_day():
        parts += [f"<h3>{_e(label)} 当日附加费 surcharge of day {_e(label)}</h3>", _event(day)]
    parts.append("<h3>不确定性 Uncertainty (headcount_at)</h3>")
    for surcharge in plan.event_at.values():
        parts.append(_event(surcharge))
    return "".join(parts)


def _build_ups(plan: FeePlan) -> str:
    card = plan.loaded.card
    rows = []
    for post, b in plan.build_ups.items():
        if b.flat:
            rows.append([label_zh(post), post, *[""] * 9, "包干 flat", yuan(b.all_in)])
            continue
        rows.append([label_zh(post), post, *(yuan(v) for v in (
            b.base_wage, b.weekend_overtime + b.holiday_overtime, b.social_insurance,
            b.housing_fund, b.welfare, b.direct, b.contingency, b.subtotal, b.management_fee,
            b.tax, b.all_in))])  # fmt: skip
    head = ["岗位", "post", "基本工资", "加班 OT", f"社保 {card.social_insurance_pct}%",
            f"公积金 {card.housing_fund_pct}%", "福利 welfare", "直接成本 direct",
            f"不可预见 {card.contingency_pct}%", "小计 subtotal",
            f"管理费 {card.management_fee_pct}%", f"税金 {card.tax_pct}%", "合计 all-in"]
    return _table(head, rows)


def render_fee_html(plan: FeePlan) -> str:
    """The printable page as one HTML string."""
    card = plan.loaded.card
    title = f"收费方案 Fee plan · {plan.scenario_name}"
    when = datetime.now(UTC).isoformat(timespec="seconds")
    warn = ('<p class="warn">示例费率，请替换 EXAMPLE rates — replace the rate card with your '
            "company's figures.</p>") if card.example else ""  # fmt: skip
    rules = "".join(f"<li><b>{_e(name)}</b>: {_e(text)}</li>" for name, text in RULES)
    body = (
        f"<h1>{_e(title)}</h1>{warn}"
        f'<p class="muted">场景 scenario <code>{_e(plan.scenario_source)}</code> · 费率卡 rate '
        f"card <code>{_e(plan.loaded.source)}</code> ({_e(card.name)}) · 依据 basis "
        f"{_e(plan.basis)} · 业态 {_e(plan.product_label)} · 每月开放 "
        f"{card.working_time.open_days.total:g} 天 open days a month · {card.months} 月 months · "
        f"生成 generated {when}</p>"
        f"<h2>汇总 Summary</h2>{_summary(plan)}"
        f"<h2>月度账单 Monthly invoice</h2>{_invoice(plan)}"
        f"<h2>基础岗位 Baseline posts</h2>{_baseline(plan)}"
        f"<h2>选配岗位 Optional posts</h2>{_optional(plan)}"
        f"<h2>活动附加费 Event surcharge</h2>{_events(plan)}"
        f"<h2>单人月成本 Cost build-up (元/person/month)</h2>{_build_ups(plan)}"
        f"<h2>规则 Rules</h2><ul>{rules}</ul>"
        f'<p class="muted">费率来源 source: {_e(card.source.strip())}</p>'
    )
    css = font_face_css(body, _FAMILY)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{css}{_CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )
