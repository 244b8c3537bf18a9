"""The workbook's baseline and optional sheets: each post's hours arithmetic as live formulas.

Per post: covered h/month = ROUND(h/day × open days, 2); FTE = ROUND(covered ÷ hours per
person, 6); heads = ROUNDUP(ROUND(Σ FTE of the team, 6), 0) on the team's line (a one-post team
is priced on its post's line); relief = heads ÷ positions; monthly = heads × all-in.
"""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from sim.core.cells import text_cell
from sim.fee.heads import BaselineLine, OptionalLine, PostCover
from sim.fee.plan import FeePlan
from sim.fee.posts import label_zh
from sim.fee.tables import team_label
from sim.fee.workbook_assumptions import Anchors

BASE_HEADER = (
    "岗位代码 post", "岗位 label", "班组 team", "计人方式 cover", "岗位数 positions",
    "每日覆盖工时 covered h/day", "每月开放天数 open days/month", "月覆盖工时 covered h/month",
    "人均月工时 hours per person", "折算人力 FTE", "人数 heads",
    "轮休系数 relief (= heads ÷ positions)", "费率卡轮休系数 card relief (参考 for comparison)",
    "单人月成本 all-in 元/person/month", "月费 monthly 元", "月数 months", "期间金额 amount 元",
    "计费 billed", "依据 basis",
)  # fmt: skip
OPT_HEADER = (
    "岗位代码 post", "岗位 label", "来源 source", "岗位数 positions", "每日覆盖工时 covered h/day",
    "在岗日 day types", "每月在岗天数 days/month", "月覆盖工时 covered h/month",
    "人均月工时 hours per person", "折算人力 FTE", "人数 heads",
    "单人月成本 all-in 元/person/month", "月费 monthly 元", "月数 months", "金额 amount 元",
    "说明 note",
)  # fmt: skip
BOLD = Font(bold=True)
DAY_PARAM = {"weekday": "open_weekday", "weekend": "open_weekend", "holiday": "open_holiday"}


def head(ws: Worksheet, title: str, note: str, header: tuple[str, ...]) -> None:
    """Title, a note, a blank row and the bold header row (row 4)."""
    ws.append([text_cell(title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([text_cell(note)])  # may quote user text (the sizing file's path)
    ws.append([None])
    ws.append(list(header))
    for cell in ws[4]:
        cell.font = BOLD
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 16


def no_lines(ws: Worksheet, first: int) -> bool:
    """Whether a section wrote no lines from row ``first`` on; if so, a "无 none" row is added
    and the caller writes its totals as 0 (a SUM over the empty range would take in the total
    row itself: a circular reference)."""
    if ws.max_row >= first:
        return False
    ws.append(["无 none"])
    return True


def or_zero(formula: str, empty: bool) -> str | int:
    """``formula`` over a section's lines, or 0 when the section has none."""
    return 0 if empty else formula


def _positions(c: PostCover, plan: FeePlan, a: Anchors) -> object:
    if plan.basis != "areas":
        return c.positions
    refs = [*a.rule_posts.get(c.post, []), *([a.fixed_posts[c.post]]
            if c.post in a.fixed_posts else [])]  # fmt: skip
    return "=" + "+".join(refs) if refs else c.positions


def _per_day(c: PostCover, plan: FeePlan, r: int) -> object:
    if plan.basis != "areas" or not c.positions:
        return float(c.hours_per_day)
    return f"=ROUND(E{r}*{c.hours_per_day / c.positions:f},2)"


def _hours_cells(c: PostCover, plan: FeePlan, a: Anchors, r: int) -> list[object]:
    """Columns E..J of a post row: positions, h/day, open days, covered, h/person, FTE."""
    return [_positions(c, plan, a), _per_day(c, plan, r), f"={a.params['open_days']}",
            f"=ROUND(F{r}*G{r},2)", f"={a.post(c.post, 'AD')}", f"=ROUND(H{r}/I{r},6)"]


def _price_cells(b: BaselineLine, a: Anchors, r: int, heads: object) -> list[object]:
    """Columns K..R of a priced row: heads, relief, card relief, unit, monthly, months, amount,
    billed."""
    card = f"={a.params['relief_factor']}" if b.card_relief is not None else None
    unit = f"={a.post(b.posts[0].post, 'U')}" if b.billed else 0
    relief = f"=ROUND(K{r}/E{r},2)" if b.relief is not None else None
    return [heads, relief, card, unit, f"=ROUND(K{r}*N{r},2)", f"={a.params['months']}",
            f"=ROUND(O{r}*P{r},2)", 1 if b.billed else 0]  # fmt: skip


def _heads(b: BaselineLine, r: int) -> object:
    return f"=ROUNDUP(ROUND(J{r},6),0)" if b.cover == "position" else b.heads


def _line(ws: Worksheet, plan: FeePlan, b: BaselineLine, a: Anchors) -> None:
    if len(b.posts) == 1:
        c, r = b.posts[0], ws.max_row + 1
        ws.append([c.post, label_zh(c.post), text_cell(b.team), b.cover,
                   *_hours_cells(c, plan, a, r),
                   *_price_cells(b, a, r, _heads(b, r)), c.basis])  # fmt: skip
        return
    first = ws.max_row + 1
    for c in b.posts:
        r = ws.max_row + 1
        ws.append([c.post, label_zh(c.post), text_cell(b.team), b.cover,
                   *_hours_cells(c, plan, a, r),
                   *[None] * 8, c.basis])  # fmt: skip
    last, r = ws.max_row, ws.max_row + 1
    sums = [f"=SUM(E{first}:E{last})", None, None, f"=SUM(H{first}:H{last})", f"=I{first}",
            f"=SUM(J{first}:J{last})"]  # fmt: skip
    ws.append([text_cell(f"team:{b.team}"), text_cell(team_label(b.team)), text_cell(b.team),
               b.cover, *sums,
               *_price_cells(b, a, r, _heads(b, r)), f"人数 = ⌈Σ FTE⌉ of {len(b.posts)} posts"])
    ws.cell(r, 1).font = BOLD


def baseline_sheet(ws: Worksheet, plan: FeePlan, a: Anchors) -> int:
    """The baseline posts; returns the total row (K heads, O monthly, Q amount)."""
    head(ws, "基础岗位 Baseline posts: 覆盖工时 ÷ 人均工时 = 人数 covered hours ÷ one person's "
         "hours = heads", f"依据 basis: {plan.basis}", BASE_HEADER)  # fmt: skip
    first = ws.max_row + 1
    for b in plan.baseline:
        _line(ws, plan, b, a)
    empty = no_lines(ws, first)
    last = ws.max_row
    ws.append(["合计 total (计费人数 billed heads)", *[None] * 9,
               or_zero(f"=SUMPRODUCT(K{first}:K{last},R{first}:R{last})", empty), None, None,
               None, or_zero(f"=ROUND(SUM(O{first}:O{last}),2)", empty), None,
               or_zero(f"=ROUND(SUM(Q{first}:Q{last}),2)", empty)])  # fmt: skip
    return ws.max_row


def _days(o: OptionalLine, a: Anchors) -> str:
    refs = [a.params[DAY_PARAM[t]] for t in o.day_types if t in DAY_PARAM]
    return "=" + ("+".join(refs) if refs else "0")


def optional_sheet(ws: Worksheet, plan: FeePlan, a: Anchors) -> int:
    """The optional posts of the product type; returns the total row (K heads, M monthly,
    O amount)."""
    head(ws, f"选配岗位 Optional posts — 业态 {plan.product_label} (billed on top)",
         "来源 source: scenario = 场景已配置，不计入基础岗位 staffed in the scenario, so not in "
         "the baseline; card = 费率卡建议 proposed by the card", OPT_HEADER)  # fmt: skip
    first = ws.max_row + 1
    for o in plan.optional:
        r, c = ws.max_row + 1, o.cover
        heads = o.heads if o.heads_given else f"=ROUNDUP(ROUND(J{r},6),0)"
        ws.append([o.post, label_zh(o.post), o.source, c.positions, float(c.hours_per_day),
                   ", ".join(o.day_types), _days(o, a), f"=ROUND(E{r}*G{r},2)",
                   f"={a.post(o.post, 'AD')}", f"=ROUND(H{r}/I{r},6)", heads,
                   f"={a.post(o.post, 'U')}", f"=ROUND(K{r}*L{r},2)", o.months,
                   f"=ROUND(M{r}*N{r},2)", text_cell(o.note)])  # fmt: skip
    empty = no_lines(ws, first)
    last = ws.max_row
    ws.append(["合计 total", None, None, None, None, None, None, None, None, None,
               or_zero(f"=SUM(K{first}:K{last})", empty), None,
               or_zero(f"=ROUND(SUM(M{first}:M{last}),2)", empty), None,
               or_zero(f"=ROUND(SUM(O{first}:O{last}),2)", empty)])  # fmt: skip
    return ws.max_row
