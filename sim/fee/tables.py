"""The plan's line items (one per post and section) for the CSV, the terminal and the page."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from sim.fee.plan import FeePlan, Surcharge
from sim.fee.posts import label_en, label_zh

CSV_HEADER = (
    "section", "post", "label_zh", "label_en", "posts", "heads", "unit_cost", "quantity",
    "quantity_unit", "amount", "billed", "note",
)  # fmt: skip


@dataclass(frozen=True)
class LineItem:
    """One priced line: heads × unit cost × quantity (months, person-hours or person-days)."""

    section: str  # baseline, optional, event, event_at_0.90, event_at_0.99
    post: str
    posts: int | None
    heads: int
    unit_cost: Decimal
    quantity: Decimal
    quantity_unit: str
    amount: Decimal
    billed: bool
    note: str

    def row(self) -> list[str]:
        """The CSV row (money as plain decimals to the fen)."""
        return [self.section, self.post, label_zh(self.post), label_en(self.post),
                "" if self.posts is None else str(self.posts), str(self.heads),
                f"{self.unit_cost:.2f}", f"{self.quantity.normalize():f}", self.quantity_unit,
                f"{self.amount:.2f}", "yes" if self.billed else "no", self.note]  # fmt: skip


def _event_items(s: Surcharge, section: str) -> list[LineItem]:
    out = []
    for line in s.lines:
        unit = "person-day" if line.per == "day" else "person-hour"
        note = "" if line.billed else "不计费 not billed"
        out.append(LineItem(section, line.post, None, line.peak_extra, line.rate,
                            line.units * line.days, unit, line.amount, line.billed,
                            note))  # fmt: skip
    return out


def line_items(plan: FeePlan) -> list[LineItem]:
    """Baseline, optional and event lines, then the event lines at the other confidence levels."""
    items = [
        LineItem("baseline", b.post, b.posts, b.heads, b.unit, Decimal(b.months), "month",
                 b.amount, b.billed, b.basis)
        for b in plan.baseline
    ]  # fmt: skip
    items += [
        LineItem("optional", o.post, o.posts, o.heads, o.unit, Decimal(o.months), "month",
                 o.amount, True, f"{'/'.join(o.day_types)} {o.note}".strip())
        for o in plan.optional
    ]  # fmt: skip
    if plan.event is not None:
        items += _event_items(plan.event, "event")
    for level, s in plan.event_at.items():
        items += _event_items(s, f"event_at_{level}")
    return items


def csv_text(plan: FeePlan) -> str:
    """``fee_plan.csv``: UTF-8 with a byte order mark (Excel shows the Chinese labels)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(item.row() for item in line_items(plan))
    return "\ufeff" + buf.getvalue()


def summary_rows(plan: FeePlan) -> list[tuple[str, str, str, Decimal | None, Decimal]]:
    """(中文, English, heads, monthly, amount) rows of the plan's summary."""
    rows: list[tuple[str, str, str, Decimal | None, Decimal]] = [
        ("基础岗位", f"baseline posts ({plan.loaded.card.months} months)",
         str(plan.baseline_heads), plan.baseline_monthly, plan.baseline_amount),
        ("选配岗位", "optional posts", str(plan.optional_heads), plan.optional_monthly,
         plan.optional_amount),
        ("合计（不含活动）", "total without events",
         str(plan.baseline_heads + plan.optional_heads),
         plan.baseline_monthly + plan.optional_monthly, plan.period_total),
    ]  # fmt: skip
    surcharges = [plan.event, *plan.event_at.values()] if plan.event else []
    for s in sorted(surcharges, key=lambda x: x.level):
        mark = "（方案）" if plan.event is not None and s is plan.event else ""
        days = plan.loaded.card.event_days
        rows.append((f"活动附加费 @{s.level}{mark}（{days}个活动日）",
                     f"event surcharge at confidence {s.level}, {days} event day(s)",
                     f"+{s.extra_heads}", None, s.total))  # fmt: skip
    return rows
