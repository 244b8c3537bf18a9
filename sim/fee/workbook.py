"""The fee plan as an Excel workbook (openpyxl) whose figures are live formulas.

Sheets: summary, baseline posts, optional posts, event surcharge, assumptions. Every amount is
a formula over the assumptions sheet's inputs (rates, relief factor, months) and the counted
posts, so that finance can change an input and see the plan follow; the formulas give the
same numbers as :mod:`sim.fee.plan` (tests evaluate them independently).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sim.core.atomic import replacing
from sim.core.clock import format_clock
from sim.fee.plan import BaselineLine, FeePlan, Surcharge
from sim.fee.posts import label_zh
from sim.fee.rules import ASSUMPTIONS, BASELINE, EVENT, OPTIONAL, SUMMARY
from sim.fee.workbook_assumptions import Anchors, write_assumptions

BASE_HEADER = (
    "岗位代码 post", "岗位 label", "岗位数 posts (每日当班人数 people on shift a day)",
    "同时在岗峰值 most on duty at once (参考 info, not priced)",
    "轮休系数 relief", "人数 heads", "单人月成本 all-in 元/person/month", "月费 monthly 元",
    "月数 months", "期间金额 amount 元", "计费 billed", "依据 basis",
)  # fmt: skip
OPT_HEADER = (
    "岗位代码 post", "岗位 label", "在岗岗位数 posts", "轮休系数 relief", "人数 heads",
    "在岗日 day types", "单人月成本 all-in 元/person/month", "月费 monthly 元", "月数 months",
    "金额 amount 元", "说明 note",
)  # fmt: skip
EVENT_HEADER = (
    "岗位代码 post", "岗位 label", "计费方式 per", "峰值增员 peak extra", "人·分钟 person-minutes",
    "计费量 units (person-hours or person-days)", "单价 rate 元", "活动天数 event days",
    "金额 amount 元", "计费 billed",
)  # fmt: skip
DETAIL_HEADER = ("岗位代码 post", "时段 block", "开始 start", "结束 end", "基准 baseline",
                 "增员 extra", "合计 total", "分钟 minutes", "人·分钟 person-minutes")  # fmt: skip
BOLD = Font(bold=True)


def _head(ws: Worksheet, title: str, note: str, header: tuple[str, ...]) -> None:
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([note])
    ws.append([None])
    ws.append(list(header))
    for cell in ws[4]:
        cell.font = BOLD
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 16


def _no_lines(ws: Worksheet, first: int) -> bool:
    """Whether a section wrote no lines from row ``first`` on; if so, a "无 none" row is added
    and the caller writes its totals as 0 (a SUM over the empty range would take in the total
    row itself: a circular reference)."""
    if ws.max_row >= first:
        return False
    ws.append(["无 none"])
    return True


def _or_zero(formula: str, empty: bool) -> str | int:
    """``formula`` over a section's lines, or 0 when the section has none."""
    return 0 if empty else formula


def _posts_cell(line: BaselineLine, a: Anchors) -> object:
    refs = [*a.rule_posts.get(line.post, []), *([a.fixed_posts[line.post]]
            if line.post in a.fixed_posts else [])]  # fmt: skip
    return "=" + "+".join(refs) if refs else line.posts


def _baseline(ws: Worksheet, plan: FeePlan, a: Anchors) -> int:
    _head(ws, "基础岗位 Baseline posts", f"依据 basis: {plan.basis}", BASE_HEADER)
    first = ws.max_row + 1
    for line in plan.baseline:
        r = ws.max_row + 1
        heads = line.heads if line.heads_given else f"=ROUNDUP(ROUND(C{r}*E{r},6),0)"
        unit = a.post(line.post, "U") if line.billed else 0
        posts = _posts_cell(line, a) if plan.basis == "areas" else line.posts
        ws.append([line.post, label_zh(line.post), posts, line.peak,
                   f"={a.post(line.post, 'D')}", heads, f"={unit}" if line.billed else 0,
                   f"=ROUND(F{r}*G{r},2)", f"={a.params['months']}", f"=ROUND(H{r}*I{r},2)",
                   1 if line.billed else 0, line.basis])  # fmt: skip
    empty = _no_lines(ws, first)
    last = ws.max_row
    ws.append(["合计 total (计费人数 billed heads)", None,
               _or_zero(f"=SUM(C{first}:C{last})", empty), None, None,
               _or_zero(f"=SUMPRODUCT(F{first}:F{last},K{first}:K{last})", empty), None,
               _or_zero(f"=ROUND(SUM(H{first}:H{last}),2)", empty), None,
               _or_zero(f"=ROUND(SUM(J{first}:J{last}),2)", empty)])  # fmt: skip

    return ws.max_row


def _optional(ws: Worksheet, plan: FeePlan, a: Anchors) -> int:
    _head(ws, "选配岗位 Optional posts (normal days, billed on top)", "", OPT_HEADER)
    first = ws.max_row + 1
    for line in plan.optional:
        r = ws.max_row + 1
        heads = line.heads if line.posts is None else f"=ROUNDUP(ROUND(C{r}*D{r},6),0)"
        months = line.months
        ws.append([line.post, label_zh(line.post), line.posts, f"={a.post(line.post, 'D')}",
                   heads, ", ".join(line.day_types), f"={a.post(line.post, 'U')}",
                   f"=ROUND(E{r}*G{r},2)", months, f"=ROUND(H{r}*I{r},2)", line.note])  # fmt: skip
    empty = _no_lines(ws, first)
    last = ws.max_row
    ws.append(["合计 total", None, None, None, _or_zero(f"=SUM(E{first}:E{last})", empty), None,
               None, _or_zero(f"=ROUND(SUM(H{first}:H{last}),2)", empty), None,
               _or_zero(f"=ROUND(SUM(J{first}:J{last}),2)", empty)])  # fmt: skip
    return ws.max_row


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
            values: list[str | int] = [
                row.post, row.block, format_clock(t0), format_clock(t1), row.baseline,
                row.extra, row.total, round(t1 - t0), f"={e}{r}*{h}{r}",
            ]  # fmt: skip
            for j, value in enumerate(values):
                ws.cell(r, col0 + j, value)
        spans[line.post] = (start, r)
    return spans


def _event_lines(ws: Worksheet, s: Surcharge, a: Anchors, spans: dict[str, tuple[int, int]],
                 level: str) -> int:  # fmt: skip
    first = ws.max_row + 1
    for line in s.lines:
        r = ws.max_row + 1
        peak: str | int
        minutes: str | int
        if spans:
            lo, hi = spans[line.post]
            peak, minutes = f"=MAX(Q{lo}:Q{hi})", f"=SUM(T{lo}:T{hi})"
        else:
            peak, minutes = line.peak_extra, line.person_minutes
        units = f"=D{r}" if line.per == "day" else f"=E{r}/60"
        rate = f"={a.post(line.post, 'L')}" if line.billed else 0
        amount = (f"=ROUND(D{r}*G{r}*H{r},2)" if line.per == "day"
                  else f"=ROUND(E{r}*G{r}*H{r}/60,2)") if line.billed else 0  # fmt: skip
        ws.append([line.post, label_zh(line.post), line.per or "—", peak, minutes, units, rate,
                   f"={a.params['event_days']}", amount, 1 if line.billed else 0])  # fmt: skip
    empty = _no_lines(ws, first)
    last = ws.max_row
    heads = _or_zero(f"=SUMPRODUCT(D{first}:D{last},J{first}:J{last})", empty)
    ws.append([f"合计 total @ {level}", None, None, heads, None, None, None, None,
               _or_zero(f"=ROUND(SUM(I{first}:I{last}),2)", empty)])  # fmt: skip
    ws.cell(ws.max_row, 1).font = BOLD
    return ws.max_row


def _event(ws: Worksheet, plan: FeePlan, a: Anchors) -> list[tuple[str, bool, int]]:
    """The surcharge lines, the uncertainty tables; (level, is the plan's, total row) of each
    table: a list, as the plan's level can equal a ``headcount_at`` level (0.90, 0.99)."""
    if plan.sizing is None or plan.event is None:
        _head(ws, "活动附加费 Event surcharge", "未请求活动附加费 no event surcharge requested "
              "(run with --sizing sizing.json)", EVENT_HEADER)  # fmt: skip
        return []
    s = plan.sizing
    _head(ws, "活动附加费 Event surcharge (billed to the developer on top of the baseline)",
          f"{plan.sizing_source} · {s.scenario_name} · confidence {s.confidence:g} ({s.mode})",
          EVENT_HEADER)  # fmt: skip
    spans = _detail(ws, plan, col0=12)  # columns L..T
    totals = [(plan.event.level, True, _event_lines(ws, plan.event, a, spans, plan.event.level))]
    for level, surcharge in plan.event_at.items():
        ws.append([None])
        ws.append([f"置信水平 {level} 下的增员与费用 extra headcount and cost at confidence "
                   f"{level} (headcount_at)"])  # fmt: skip
        ws.append(list(EVENT_HEADER))
        totals.append((level, False, _event_lines(ws, surcharge, a, {}, level)))
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
    ws.append(["基础岗位", "baseline posts", f"={b}F{base}", f"={b}H{base}",
               f"={a.params['months']}", f"={b}J{base}"])  # fmt: skip
    ws.append(["选配岗位", "optional posts", f"={o}E{opt}", f"={o}H{opt}", None, f"={o}J{opt}"])
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


def build_workbook(plan: FeePlan) -> Workbook:
    """The plan's workbook (sheets in reading order; the assumptions sheet last)."""
    book = Workbook()
    ws_sum = book.active
    assert ws_sum is not None
    ws_sum.title = SUMMARY
    sheets = {name: book.create_sheet(name) for name in (BASELINE, OPTIONAL, EVENT, ASSUMPTIONS)}
    anchors = write_assumptions(sheets[ASSUMPTIONS], plan)
    base = _baseline(sheets[BASELINE], plan, anchors)
    opt = _optional(sheets[OPTIONAL], plan, anchors)
    events = _event(sheets[EVENT], plan, anchors)
    _summary(ws_sum, plan, anchors, base, opt, events)
    ws_sum.column_dimensions["A"].width = 26
    ws_sum.column_dimensions["B"].width = 34
    return book


def write_workbook(plan: FeePlan, path: Path) -> Path:
    """Write ``fee_plan.xlsx`` atomically (a temporary file and a rename); return the path."""
    with replacing(path) as tmp:
        build_workbook(plan).save(tmp)
    return path
