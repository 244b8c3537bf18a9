"""The assumptions sheet (假设): every input of the plan, and the cost build-up as formulas.

Other sheets refer to its cells; :class:`Anchors` records where each input and result lives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.worksheet.worksheet import Worksheet

from sim.core.cells import text_cell
from sim.fee.buildup import BuildUp
from sim.fee.card_sections import AREA_LABELS
from sim.fee.plan import FeePlan
from sim.fee.posts import label_zh
from sim.fee.rules import ASSUMPTIONS, RULES
from sim.fee.sizing_file import validation_lines
from sim.fee.working_time import person_hours

PARAMS: tuple[tuple[str, str, str], ...] = (
    ("months", "方案月数 months of the plan", "月 months"),
    ("event_days", "活动天数 event days billed", "天 days"),
    ("relief_factor", "费率卡轮休系数（仅作对比）card relief factor, for comparison only", "人/岗"),
    ("social_base", "社保公积金缴费基数 contribution base", "元/月"),
    ("social_insurance_pct", "社保比例 social insurance", "%"),
    ("housing_fund_pct", "公积金比例 housing fund", "%"),
    ("contingency_pct", "不可预见费 contingency", "%"),
    ("management_fee_pct", "管理费 management fee", "%"),
    ("tax_pct", "税率 tax on (subtotal + management fee)", "%"),
)
WORKING: tuple[tuple[str, str, str], ...] = (
    ("open_weekday", "每月开放工作日 weekdays open a month", "天 days"),
    ("open_weekend", "每月开放周末天数 weekend days open a month", "天 days"),
    ("open_holiday", "每月开放法定节假日 statutory holidays open a month", "天 days"),
    ("statutory_holidays", "法定节假日 statutory holidays a year", "天/年 days/yr"),
)
POST_HEADER = (
    "岗位代码 post", "岗位 label", "计费 billed", "班组 team", "基本工资 base wage",
    "周末加班 weekend OT", "节假日加班 holiday OT", "福利餐费服装 welfare", "缴费基数 social base",
    "包干月费 flat monthly", "活动计费 per", "活动单价 event rate", "工资 wage",
    "社保 social ins.", "公积金 housing fund", "直接成本 direct", "不可预见费 contingency",
    "小计 subtotal", "管理费 management", "税金 tax", "单人月成本 all-in",
    "计人方式 cover (position 岗位 / person 按人)", "每日工时 hours a day",
    "每周工作天数 days a week",
    "年休假 annual leave", "每月周末加班天数 weekend OT days", "节假日上班 works holidays (1/0)",
    "合同工时/月 contract h", "加班工时/月 overtime h", "人均月工时 hours per person", "备注 note",
)  # fmt: skip


def ref(sheet: str, cell: str) -> str:
    """An absolute reference to ``cell`` (e.g. ``C5``) on ``sheet``: ``'sheet'!$C$5``."""
    col = "".join(ch for ch in cell if ch.isalpha())
    row = cell[len(col) :]
    return f"'{sheet}'!${col}${row}"


@dataclass
class Anchors:
    """Where the inputs live on the assumptions sheet (absolute references)."""

    params: dict[str, str] = field(default_factory=dict)
    post_rows: dict[str, int] = field(default_factory=dict)
    rule_posts: dict[str, list[str]] = field(default_factory=dict)
    fixed_posts: dict[str, str] = field(default_factory=dict)

    def post(self, post: str, col: str) -> str:
        """Reference to column ``col`` of a post's row: L event rate, U all-in, AD hours per
        person a month."""
        return ref(ASSUMPTIONS, f"{col}{self.post_rows[post]}")


def _params(ws: Worksheet, plan: FeePlan, a: Anchors) -> None:
    card = plan.loaded.card
    time = card.working_time
    ws.append(["参数 key", "说明 meaning", "值 value", "单位 unit"])
    values = {key: getattr(card, key) for key, _, _ in PARAMS}
    values.update(open_weekday=time.open_days.weekday, open_weekend=time.open_days.weekend,
                  open_holiday=time.open_days.holiday,
                  statutory_holidays=time.statutory_holidays)  # fmt: skip
    for key, meaning, unit in (*PARAMS, *WORKING):
        value = values[key]
        ws.append([key, meaning, None if value is None else float(value), unit])
        a.params[key] = ref(ASSUMPTIONS, f"C{ws.max_row}")
    r = ws.max_row + 1
    ws.append(["open_days", "每月开放天数 open days a month", f"=C{r - 4}+C{r - 3}+C{r - 2}",
               "天 days"])  # fmt: skip
    a.params["open_days"] = ref(ASSUMPTIONS, f"C{r}")


def _hours_formulas(r: int, a: Anchors) -> list[str]:
    stat = a.params["statutory_holidays"]
    return [f"=ROUND((365*X{r}/7-{stat}-Y{r})*W{r}/12,2)",
            f"=ROUND(Z{r}*W{r}+AA{r}*{stat}*W{r}/12,2)", f"=AB{r}+AC{r}"]  # fmt: skip


def _terms(plan: FeePlan, post: str, r: int, a: Anchors) -> list[object]:
    rate = plan.loaded.card.posts[post]
    person = person_hours(plan.loaded.card.working_time, rate.working_time)
    return [rate.cover, float(person.hours_per_day), float(person.days_per_week),
            person.annual_leave, float(person.weekend_overtime_days),
            1 if person.works_holidays else 0, *_hours_formulas(r, a)]  # fmt: skip


def _build_up_formulas(r: int, a: Anchors) -> list[str]:
    p = a.params
    return [
        f"=E{r}+F{r}+G{r}", f"=ROUND(I{r}*{p['social_insurance_pct']}/100,2)",
        f"=ROUND(I{r}*{p['housing_fund_pct']}/100,2)", f"=M{r}+N{r}+O{r}+H{r}",
        f"=ROUND(P{r}*{p['contingency_pct']}/100,2)", f"=P{r}+Q{r}",
        f"=ROUND(R{r}*{p['management_fee_pct']}/100,2)",
        f"=ROUND((R{r}+S{r})*{p['tax_pct']}/100,2)", f"=R{r}+S{r}+T{r}",
    ]  # fmt: skip


def _post_row(plan: FeePlan, post: str, r: int, a: Anchors) -> list[object]:
    rate = plan.loaded.card.posts[post]
    per = rate.event_rate.per if rate.event_rate else None
    amount = float(rate.event_rate.amount) if rate.event_rate else None
    up: BuildUp | None = plan.build_ups.get(post)
    head = [post, text_cell(rate.label_zh or label_zh(post)), 1 if rate.billed else 0,
            text_cell(rate.team or post)]  # fmt: skip
    tail = [*_terms(plan, post, r, a), text_cell(rate.note)]
    if up is None:
        return [*head, *[None] * 6, per, amount, *[None] * 9, *tail]
    if up.flat:
        return [*head, *[None] * 5, float(up.all_in), per, amount, *[None] * 8, f"=J{r}", *tail]
    own = rate.social_base
    base = float(own) if own is not None else f"={a.params['social_base']}"
    inputs = [float(up.base_wage), float(up.weekend_overtime), float(up.holiday_overtime),
              float(up.welfare), base, None, per, amount]  # fmt: skip
    return [*head, *inputs, *_build_up_formulas(r, a), *tail]


def _areas(ws: Worksheet, plan: FeePlan, a: Anchors) -> None:
    standard = plan.loaded.card.staffing_standard
    assert standard is not None
    ws.append([None])
    ws.append(["面积 site areas", "说明", "m²"])
    area_cells = {}
    for name, m2 in plan.areas.items():
        ws.append([name, AREA_LABELS[name], float(m2)])
        area_cells[name] = f"C{ws.max_row}"
    ws.append([None])
    ws.append(["配置标准 rule: area", "岗位 post", "每岗面积 m² per post", "面积 m²",
               "岗位数 positions = ROUNDUP(m²/m² per post)"])  # fmt: skip
    for rule in standard.rules:
        r = ws.max_row + 1
        ws.append([rule.area, rule.post, float(rule.m2_per_post), f"={area_cells[rule.area]}",
                   f"=ROUNDUP(ROUND(D{r}/C{r},6),0)"])  # fmt: skip
        a.rule_posts.setdefault(rule.post, []).append(ref(ASSUMPTIONS, f"E{r}"))
    ws.append([None])
    ws.append(["固定岗位 fixed posts", "岗位数 posts"])
    for post, n in standard.fixed_posts.items():
        ws.append([text_cell(post), n])
        a.fixed_posts[post] = ref(ASSUMPTIONS, f"B{ws.max_row}")


def _provenance(ws: Worksheet, plan: FeePlan) -> None:
    card = plan.loaded.card
    ws.append([None])
    ws.append(["来源 inputs"])
    t = text_cell  # user text: never a formula (issue 18)
    ws.append(["费率卡 rate card", t(plan.loaded.source), t(card.name)])
    ws.append(["费率来源 source", t(card.source.strip())])
    ws.append(["场景 scenario", t(plan.scenario_source), t(plan.scenario_name)])
    ws.append(["基础岗位依据 basis", plan.basis])
    ws.append(["业态 product type", t(plan.product_label)])
    if plan.sizing is not None:
        s = plan.sizing
        ws.append(["测算结果 sizing", t(plan.sizing_source), t(s.scenario_name),
                   f"confidence {s.confidence:g}", t(s.mode),
                   f"{s.simulated_days} days"])  # fmt: skip
        for target in s.targets:
            ws.append(["目标 target", t(target.kpi), t(f"{target.op} {target.value:g}"),
                       f"achieved {target.achieved}"])  # fmt: skip
        for line in validation_lines(s):
            ws.append(["样本外验证 validation", t(line)])
    else:
        ws.append(["测算结果 sizing", "未提供 none: no event surcharge requested"])
    ws.append([None])
    ws.append(["规则 rules"])
    for name, text in RULES:
        ws.append([name, text])


def write_assumptions(ws: Worksheet, plan: FeePlan) -> Anchors:
    """Fill the assumptions sheet; return where its inputs are."""
    a = Anchors()
    card = plan.loaded.card
    ws.append([f"假设与费率 Assumptions and rates — {card.name}"])
    ws.append(["示例费率，请替换 EXAMPLE rates — replace with your company's figures"
               if card.example else ""])  # fmt: skip
    ws.append([None])
    _params(ws, plan, a)
    ws.append([None])
    ws.append(list(POST_HEADER))
    for post in card.posts:
        row = ws.max_row + 1
        a.post_rows[post] = row
        ws.append(_post_row(plan, post, row, a))
    if plan.basis == "areas":
        _areas(ws, plan, a)
    _provenance(ws, plan)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 30
    return a
