"""The plan's line items (one per post and section) for the CSV, the terminal and the page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sim.core import cells
from sim.fee.heads import BaselineLine, OptionalLine, PostCover
from sim.fee.plan import FeePlan, Surcharge
from sim.fee.posts import label_en, label_zh
from sim.fee.roster_bill import UNIT_WORDS

CSV_HEADER = (
    "section", "post", "label_zh", "label_en", "team", "positions", "hours_per_day",
    "days_per_month", "covered_hours", "hours_per_person", "fte", "heads", "relief",
    "unit_cost", "quantity", "quantity_unit", "amount", "billed", "note",
)  # fmt: skip


def team_label(team: str) -> str:
    """A team's label: ``班组 concierge``."""
    return f"班组 {team}"


def num(value: Decimal | None) -> str:
    """A decimal as plain text without trailing zeros ('' for None)."""
    return "" if value is None else f"{value.normalize():f}"


@dataclass(frozen=True)
class LineItem:
    """One line: a post's hours (and, on a priced line, heads × unit cost × quantity)."""

    section: str  # baseline, optional, event, event_at_0.90, event_at_0.99
    post: str
    team: str
    cover: PostCover | None
    heads: int | None  # None on a post line of a team priced on its team line
    relief: Decimal | None
    unit_cost: Decimal | None
    quantity: Decimal | None
    quantity_unit: str
    amount: Decimal | None
    billed: bool
    note: str
    team_line: BaselineLine | None = None  # set on a team's priced line

    def hours(self) -> list[str]:
        """positions, hours a day, days a month, covered hours, hours per person, FTE."""
        c, b = self.cover, self.team_line
        if c is not None:
            return [str(c.positions), num(c.hours_per_day), num(c.days), num(c.covered),
                    num(c.person.total), num(c.fte)]  # fmt: skip
        if b is not None:
            return [str(b.positions), "", num(b.posts[0].days), num(b.covered),
                    num(b.posts[0].person.total), num(b.fte)]  # fmt: skip
        return ["", "", "", "", "", ""]

    def row(self) -> list[str]:
        """The CSV row (money as plain decimals to the fen)."""
        zh, en = (team_label(self.team), f"team {self.team}") if self.post.startswith(
            "team:") else (label_zh(self.post), label_en(self.post))  # fmt: skip
        hours = self.hours()
        money = "" if self.amount is None else f"{self.amount:.2f}"
        return [self.section, self.post, zh, en, self.team, *hours,
                "" if self.heads is None else str(self.heads), num(self.relief),
                "" if self.unit_cost is None else f"{self.unit_cost:.2f}", num(self.quantity),
                self.quantity_unit, money, "yes" if self.billed else "no", self.note]  # fmt: skip


def _baseline_items(b: BaselineLine) -> list[LineItem]:
    months = Decimal(b.months)
    if len(b.posts) == 1:
        c = b.posts[0]
        return [LineItem("baseline", c.post, b.team, c, b.heads, b.relief, b.unit, months,
                         "month", b.amount, b.billed, c.basis)]  # fmt: skip
    items = [LineItem("baseline", c.post, b.team, c, None, None, None, None, "", None, b.billed,
                      c.basis) for c in b.posts]  # fmt: skip
    note = f"heads = ceil(Σ FTE {num(b.fte)}) for {b.positions} positions"
    items.append(LineItem("baseline", f"team:{b.team}", b.team, None, b.heads, b.relief, b.unit,
                          months, "month", b.amount, b.billed, note, b))  # fmt: skip
    return items


def _optional_item(o: OptionalLine) -> LineItem:
    source = "场景已配置 staffed in the scenario" if o.source == "scenario" else (
        "费率卡建议 proposed by the card")  # fmt: skip
    note = f"{'/'.join(o.day_types)}; {source}; {o.note}".strip("; ")
    return LineItem("optional", o.post, o.post, o.cover, o.heads, None, o.unit,
                    Decimal(o.months), "month", o.amount, True, note)  # fmt: skip


def _event_items(s: Surcharge, section: str) -> list[LineItem]:
    out = []
    for line in s.lines:
        unit = UNIT_WORDS.get(line.per, "person-hour")
        note = "" if line.billed else "不计费 not billed"
        if line.shifts:
            note = f"排班 shifts {line.shifts}"
        out.append(LineItem(section, line.post, "", None, line.peak_extra, None, line.rate,
                            line.units * line.days, unit, line.amount, line.billed,
                            note))  # fmt: skip
    return out


def line_items(plan: FeePlan) -> list[LineItem]:
    """Baseline (post lines and team lines), optional and event lines, then the event lines at
    the other confidence levels."""
    items = [item for b in plan.baseline for item in _baseline_items(b)]
    items += [_optional_item(o) for o in plan.optional]
    if plan.event is not None:
        items += _event_items(plan.event, "event")
    for level, s in plan.event_at.items():
        items += _event_items(s, f"event_at_{level}")
    return items


def csv_text(plan: FeePlan) -> str:
    """``fee_plan.csv``: UTF-8 with a byte order mark (Excel shows the Chinese labels)."""
    return cells.csv_text(CSV_HEADER, [item.row() for item in line_items(plan)], bom=True)


def summary_rows(plan: FeePlan) -> list[tuple[str, str, str, Decimal | None, Decimal]]:
    """(中文, English, heads, monthly, amount) rows of the plan's summary."""
    rows: list[tuple[str, str, str, Decimal | None, Decimal]] = [
        ("基础岗位", f"baseline posts ({plan.loaded.card.months} months)",
         str(plan.baseline_heads), plan.baseline_monthly, plan.baseline_amount),
        (f"选配岗位（{plan.product_label}）", "optional posts", str(plan.optional_heads),
         plan.optional_monthly, plan.optional_amount),
        ("合计（不含活动）", "total without events",
         str(plan.baseline_heads + plan.optional_heads),
         plan.baseline_monthly + plan.optional_monthly, plan.period_total),
    ]  # fmt: skip
    surcharges = [plan.event, *plan.event_at.values()] if plan.event else []
    for s in sorted(surcharges, key=lambda x: x.level):
        mark = "（方案）" if plan.event is not None and s is plan.event else ""
        days = plan.billed_event_days
        rows.append((f"活动附加费 @{s.level}{mark}",
                     f"event surcharge at confidence {s.level}, {days}个活动日 event day(s)",
                     f"+{s.extra_heads}", None, s.total))  # fmt: skip
    return rows


def invoice_rows(plan: FeePlan) -> list[tuple[str, str, Decimal]]:
    """The monthly bill (月度账单): (中文, English, 元) of the baseline, the optional posts,
    the monthly service fee, the event surcharge of the month (at the plan's confidence level,
    for the card's event days; 0 without a sizing) and the month's total."""
    service = plan.baseline_monthly + plan.optional_monthly
    event = plan.event.total if plan.event is not None else Decimal(0)
    level = f"@{plan.event.level}" if plan.event is not None else "（未请求 none requested）"
    days = plan.billed_event_days
    return [
        ("基础岗位月费", "baseline posts, monthly", plan.baseline_monthly),
        (f"选配岗位月费（{plan.product_label}）", "optional posts, monthly", plan.optional_monthly),
        ("月度服务费小计", "monthly service fee (baseline + optional)", service),
        (f"本月活动附加费 {level}（{days}个活动日）",
         f"event surcharge of the month, {days} event day(s)", event),
        ("本月应付合计", "total billed this month", service + event),
    ]  # fmt: skip


def invoice_line(plan: FeePlan) -> str:
    """The monthly bill in one line for the terminal (月度账单)."""
    base, opt, service, event, total = (amount for _, _, amount in invoice_rows(plan))
    return (f"月度账单 monthly bill: 基础 baseline {base:,.2f} + 选配 optional {opt:,.2f} = "
            f"月度服务费 {service:,.2f} 元/月; 本月活动附加费 event surcharge {event:,.2f}; "
            f"本月合计 total this month {total:,.2f} 元")
