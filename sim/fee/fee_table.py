"""The fee plan as a terminal table: the arithmetic of each post, then the summary."""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table

from sim.fee.heads import BaselineLine, OptionalLine, PostCover
from sim.fee.money import yuan
from sim.fee.plan import FeePlan
from sim.fee.posts import label_zh
from sim.fee.tables import summary_rows, team_label

COLUMNS = (
    ("岗位 post", "left"), ("岗位数\npos.", "right"), ("覆盖h/月\ncovered", "right"),
    ("人均h/月\nper head", "right"), ("人数\nheads", "right"), ("轮休 relief\n(卡 card)", "right"),
    ("单价 元\nunit", "right"), ("月费 元\nmonthly", "right"), ("金额 元\namount", "right"),
)  # fmt: skip
TWO = Decimal("0.01")


def _hours(c: PostCover) -> list[str]:
    return [str(c.positions), f"{c.covered:,.2f}", f"{c.person.total:,.2f}"]


def _fte(value: Decimal) -> str:
    return f"{value.quantize(TWO):f}"


def _relief(b: BaselineLine) -> str:
    if b.cover != "position" or b.relief is None:
        return "—"
    card = "—" if b.card_relief is None else f"{b.card_relief:g}"
    return f"{b.relief} ({card})"


def _heads(b: BaselineLine) -> str:
    if b.cover == "person":
        return f"{b.heads} 按人"
    if b.cover == "people":
        return f"{b.heads} 人"
    return f"{b.heads} = ⌈{_fte(b.fte)}⌉"


def _money(line: BaselineLine | OptionalLine, billed: bool = True) -> list[str]:
    if not billed:
        return ["不计费", "", "0.00"]
    return [yuan(line.unit), yuan(line.monthly), yuan(line.amount)]


def _baseline_rows(table: Table, b: BaselineLine) -> None:
    if len(b.posts) == 1:
        c = b.posts[0]
        table.add_row(f"{label_zh(c.post)} {c.post}", *_hours(c), _heads(b), _relief(b),
                      *_money(b, b.billed))  # fmt: skip
        return
    for c in b.posts:
        table.add_row(f"  {label_zh(c.post)} {c.post}", *_hours(c), f"FTE {_fte(c.fte)}", "",
                      "", "", "")  # fmt: skip
    table.add_row(f"{team_label(b.team)} 小计 subtotal", str(b.positions), f"{b.covered:,.2f}",
                  f"{b.posts[0].person.total:,.2f}", _heads(b), _relief(b),
                  *_money(b, b.billed))  # fmt: skip


def _optional_row(table: Table, o: OptionalLine) -> None:
    heads = f"{o.heads} 定" if o.heads_given else f"{o.heads} = ⌈{_fte(o.cover.fte)}⌉"
    where = "场景 scenario" if o.source == "scenario" else "卡 card"
    table.add_row(f"选配 {label_zh(o.post)} {o.post} ({'/'.join(o.day_types)}; {where})",
                  *_hours(o.cover), heads, "", *_money(o))  # fmt: skip


def plan_table(plan: FeePlan) -> Table:
    """Each post's positions, covered hours a month, one person's hours, heads (⌈FTE⌉; 按人 a
    manager per person; 人 the named reps; 定 heads given), the relief factor they give (the
    card's rule of thumb in brackets) and money; then the summary."""
    card = plan.loaded.card
    title = (f"收费方案 Fee plan · {plan.scenario_name} · {card.name}\n业态 product type "
             f"{plan.product_label} · 每月开放 {card.working_time.open_days.total:g} 天 open days "
             "a month · 人数 = ⌈覆盖工时 ÷ 人均工时⌉ heads = ⌈covered h ÷ h per head⌉")  # fmt: skip
    table = Table(title=title, title_justify="left")
    for i, (name, justify) in enumerate(COLUMNS):
        table.add_column(name, justify=justify, no_wrap=i > 0,  # type: ignore[arg-type]
                         min_width=26 if i == 0 else None)
    for b in plan.baseline:
        _baseline_rows(table, b)
    for o in plan.optional:
        _optional_row(table, o)
    table.add_section()
    for zh, en, heads, monthly, amount in summary_rows(plan):
        table.add_row(f"{zh}\n{en}", "", "", "", heads, "", "",
                      "" if monthly is None else yuan(monthly), yuan(amount))  # fmt: skip
    return table
