"""The fee plan as an Excel workbook whose figures are live formulas stored with their values.

Sheets: summary, monthly invoice, baseline posts, optional posts, event surcharge, assumptions.
Every amount is a formula over the assumptions sheet's inputs (rates, labour terms, open days,
months) and the covered hours of the posts, so that finance can change an input and see the
plan follow; the formulas give the
same numbers as :mod:`sim.fee.plan` (tests evaluate them independently).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sim.core.atomic import replacing
from sim.core.clock import format_clock
from sim.fee.plan import FeePlan, Surcharge
from sim.fee.posts import label_zh
from sim.fee.rules import ASSUMPTIONS, BASELINE, EVENT, INVOICE, OPTIONAL, SUMMARY
from sim.fee.tables import invoice_rows
from sim.fee.workbook_assumptions import Anchors, write_assumptions
from sim.fee.workbook_lines import baseline_sheet, head, no_lines, optional_sheet, or_zero
from sim.fee.workbook_save import save_with_values

EVENT_HEADER = (
    "岗位代码 post", "岗位 label", "计费方式 per", "峰值增员 peak extra", "人·分钟 person-minutes",
    "计费量 units (person-hours or person-days)", "单价 rate 元", "活动天数 event days",
    "金额 amount 元", "计费 billed",
)  # fmt: skip
DETAIL_HEADER = ("岗位代码 post", "时段 block", "开始 start", "结束 end", "基准 baseline",
                 "增员 extra", "合计 total", "分钟 minutes", "人·分钟 person-minutes")  # fmt: skip
BOLD = Font(bold=True)


def _detail(ws: Worksheet, plan: FeePlan, col0: int) -> dict[str, tuple[int, int]]:
    """Block rows of the sized posts, to the right of the lines; each post's row span."""
    assert plan.sizing is not None and plan.event is not None
    spans: dict[str, tuple[int, int]] = {}
    for j, title in enumerate(DETAIL_HEADER):
        ws.cell(4, col0 + j, title).font = BOLD
    r = 4
    times = plan.sizing.block_times()
    for line in plan.event.lines:
        start = r + 1
        for row in (x for x in plan.sizing.headcount if x.post == line.post):
            r += 1
            t0, t1 = times[row.block]
            e, h = get_column_letter(col0 + 5), get_column_letter(col0 + 7)
            block = f"{row.day} {row.block}" if row.day else row.block
            values: list[str | int] = [
                row.post, block, format_clock(t0), format_clock(t1), row.baseline,
                row.extra, row.total, round(t1 - t0), f"={e}{r}*{h}{r}",
            ]  # fmt: skip
            for j, value in enumerate(values):
                ws.cell(r, col0 + j, value)
        spans[line.post] = (start, r)
    return spans


def _event_lines(ws: Worksheet, s: Surcharge, a: Anchors, spans: dict[str, tuple[int, int]],
                 level: str, multi_day: bool = False) -> int:  # fmt: skip
    first = ws.max_row + 1
    for line in s.lines:
        r = ws.max_row + 1
        peak: str | int
        minutes: str | int
        if spans:
            lo, hi = spans[line.post]
            peak, minutes = f"=MAX(Q{lo}:Q{hi})", f"=SUM(T{lo}:T{hi})"
            if multi_day:  # the sum of the days' peaks (plan.py), not the rows' maximum
                peak = line.peak_extra
        else:
            peak, minutes = line.peak_extra, line.person_minutes
        units: str | Decimal = f"=D{r}" if line.per == "day" else f"=E{r}/60"
        rate: str | Decimal | int = f"={a.post(line.post, 'L')}" if line.billed else 0
        amount = (f"=ROUND(D{r}*G{r}*H{r},2)" if line.per == "day"
                  else f"=ROUND(E{r}*G{r}*H{r}/60,2)") if line.billed else 0  # fmt: skip
        if line.roster_units is not None:  # booked shifts (issue 19): their units at the price
            units, rate, amount = line.roster_units, line.rate, f"=ROUND(F{r}*G{r}*H{r},2)"
        days = line.days if multi_day else f"={a.params['event_days']}"  # sized days: once
        ws.append([line.post, label_zh(line.post), line.per or "—", peak, minutes, units, rate,
                   days, amount, 1 if line.billed else 0])  # fmt: skip
    empty = no_lines(ws, first)
    last = ws.max_row
    heads = or_zero(f"=SUMPRODUCT(D{first}:D{last},J{first}:J{last})", empty)
    ws.append([f"合计 total @ {level}", None, None, heads, None, None, None, None,
               or_zero(f"=ROUND(SUM(I{first}:I{last}),2)", empty)])  # fmt: skip
    ws.cell(ws.max_row, 1).font = BOLD
    return ws.max_row


def _event(ws: Worksheet, plan: FeePlan, a: Anchors) -> list[tuple[str, bool, int]]:
    """The surcharge lines, the uncertainty tables; (level, is the plan's, total row) of each
    table: a list, as the plan's level can equal a ``headcount_at`` level (0.90, 0.99)."""
    if plan.sizing is None or plan.event is None:
        head(ws, "活动附加费 Event surcharge", "未请求活动附加费 no event surcharge requested "
              "(run with --sizing sizing.json)", EVENT_HEADER)  # fmt: skip
        return []
    s = plan.sizing
    head(ws, "活动附加费 Event surcharge (billed to the developer on top of the baseline)",
          f"{plan.sizing_source} · {s.scenario_name} · confidence {s.confidence:g} ({s.mode})",
          EVENT_HEADER)  # fmt: skip
    spans = _detail(ws, plan, col0=12)  # columns L..T
    multi = bool(s.days)
    totals = [(plan.event.level, True,
               _event_lines(ws, plan.event, a, spans, plan.event.level, multi))]  # fmt: skip
    for level, surcharge in plan.event_at.items():
        ws.append([None])
        ws.append([f"置信水平 {level} 下的增员与费用 extra headcount and cost at confidence "
                   f"{level} (headcount_at)"])  # fmt: skip
        ws.append(list(EVENT_HEADER))
        totals.append((level, False, _event_lines(ws, surcharge, a, {}, level, multi)))
    return totals


def _summary(
    ws: Worksheet, plan: FeePlan, a: Anchors, base: int, opt: int,
    events: list[tuple[str, bool, int]],
) -> None:  # fmt: skip
    card = plan.loaded.card
    ws.append([f"收费方案 Fee plan — {plan.scenario_name}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"费率卡 rate card: {card.name} ({plan.loaded.source})"])
    ws.append(["示例费率，请替换 EXAMPLE rates — replace with your company's figures"
               if card.example else None])  # fmt: skip
    ws.append(["项目", "item", "人数 heads", "月费 monthly 元", "月数 months", "金额 amount 元"])
    b, o = f"'{BASELINE}'!", f"'{OPTIONAL}'!"
    ws.append(["基础岗位", "baseline posts", f"={b}K{base}", f"={b}O{base}",
               f"={a.params['months']}", f"={b}Q{base}"])  # fmt: skip
    ws.append([f"选配岗位（{plan.product_label}）", "optional posts", f"={o}K{opt}",
               f"={o}M{opt}", None, f"={o}O{opt}"])  # fmt: skip
    ws.append(["合计（不含活动）", "total without events", "=C5+C6", "=ROUND(D5+D6,2)", None,
               "=ROUND(F5+F6,2)"])  # fmt: skip
    ws.append([None])
    if not events:
        ws.append(["活动附加费", "event surcharge", None, None, None, 0])
        ws.append(["未请求活动附加费", "no event surcharge requested (no --sizing)"])
        return
    e = f"'{EVENT}'!"
    for level, is_plan, row in events:
        main = " (方案 plan)" if is_plan else ""
        ws.append([f"活动附加费 @ {level}{main}", f"event surcharge at confidence {level}",
                   f"={e}D{row}", None, None, f"={e}I{row}"])  # fmt: skip
    ws.append([None])
    ws.append(["人数为各计费岗位最大增员之和 heads: the largest extra headcount of each billed "
               "post, summed over posts; 金额 amounts for the event days on the assumptions sheet"])


def _invoice(ws: Worksheet, plan: FeePlan, events: list[tuple[str, bool, int]]) -> None:
    """月度账单: the monthly bill (baseline + optional) and the month's event surcharge as
    separate lines, each a formula over the summary and event sheets."""
    ws.append([f"月度账单 Monthly invoice — {plan.scenario_name}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["每月按此向开发商收取；活动附加费按活动另列 billed to the developer each month; "
               "event surcharges on their own lines"])  # fmt: skip
    ws.append([None])
    ws.append(["项目", "item", "金额 元 amount"])
    for header in ws[4]:
        header.font = BOLD
    s, e = f"'{SUMMARY}'!", f"'{EVENT}'!"
    plan_row = next((row for _, is_plan, row in events if is_plan), None)
    formulas: list[str | int] = [f"={s}D5", f"={s}D6", "=ROUND(C5+C6,2)",
                                 f"={e}I{plan_row}" if plan_row is not None else 0,
                                 "=ROUND(C7+C8,2)"]  # fmt: skip
    for (zh, en, _), formula in zip(invoice_rows(plan), formulas, strict=True):
        ws.append([zh, en, formula])
    for r in (7, 9):
        ws.cell(r, 1).font = BOLD
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 44


def build_workbook(plan: FeePlan) -> Workbook:
    """The plan's workbook (sheets in reading order; the assumptions sheet last)."""
    book = Workbook()
    ws_sum = book.active
    assert ws_sum is not None
    ws_sum.title = SUMMARY
    names = (INVOICE, BASELINE, OPTIONAL, EVENT, ASSUMPTIONS)
    sheets = {name: book.create_sheet(name) for name in names}
    anchors = write_assumptions(sheets[ASSUMPTIONS], plan)
    base = baseline_sheet(sheets[BASELINE], plan, anchors)
    opt = optional_sheet(sheets[OPTIONAL], plan, anchors)
    events = _event(sheets[EVENT], plan, anchors)
    _summary(ws_sum, plan, anchors, base, opt, events)
    _invoice(sheets[INVOICE], plan, events)
    ws_sum.column_dimensions["A"].width = 26
    ws_sum.column_dimensions["B"].width = 34
    return book


def write_workbook(plan: FeePlan, path: Path) -> Path:
    """Write ``fee_plan.xlsx`` atomically (a temporary file and a rename); return the path."""
    with replacing(path) as tmp:
        save_with_values(build_workbook(plan), tmp)  # values beside the formulas (issue 15)
    return path
