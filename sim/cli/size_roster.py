"""``salesim size``: the roster at the booking terms and the per-desk peak Erlang C plan beside
it (issue 19 items 2 and 6), both checked on the same fresh days."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from sim.cli.common import fail
from sim.domain.labels import any_post_label
from sim.event_sizing.erlang_plan import check_fresh
from sim.event_sizing.roster import PostRoster, RosterError
from sim.event_sizing.roster_output import RosterValue, roster_value
from sim.event_sizing.sizer import SizingResult
from sim.event_sizing.validate import Validation

UNIT_ZH = {"hour": "人·时 person-hours", "half_day": "人·半天 person-half-days",
           "day": "人·天 person-days"}  # fmt: skip


def roster_or_fail(result: SizingResult, scenario: str) -> RosterValue:
    """The roster of the sized plan (exit 2 with one line when the terms cannot cover it)."""
    try:
        return roster_value(result)
    except RosterError as exc:
        fail(f"{scenario}: event.booking: {exc}; allow an earlier start or a longer shift")


def roster_table(value: RosterValue) -> Table:
    """Per post: the shifts booked (start-end ×people), people, units; and the Erlang C plan's."""
    unit = UNIT_ZH[value.terms.unit_or_default]
    table = Table(title=f"排班 roster — 预订条件 booking terms: {value.terms.describe()}",
                  title_justify="left")  # fmt: skip
    for name in ("岗位 post", "班次 shifts (start-end ×people)", "人数 people", unit,
                 f"峰值Erlang C全天 peak Erlang C all day: {unit}"):
        table.add_column(name, justify="left" if "post" in name or "shifts" in name else "right")
    for post, r in value.sized.items():
        flat = value.erlang.get(post)
        same = post not in value.desks
        table.add_row(f"{any_post_label(post)[0]} {post}", _shifts(r), str(r.people),
                      f"{r.units:g}", "同 same" if same or flat is None else f"{flat.units:g}")
    return table


def _shifts(r: PostRoster) -> str:
    return ", ".join(f"{s.label} ×{s.people}" for s in r.shifts) or "·"


def value_lines(value: RosterValue, erlang_met: bool | None = None) -> list[str]:
    """The sized roster's units against the Erlang C plan's, desks and in all. A saving is
    stated only against an Erlang C plan that meets every target (``erlang_met`` not False):
    a cheaper plan that misses is no saving."""
    unit = UNIT_ZH[value.terms.unit_or_default]
    sized_d, flat_d = value.units(value.sized, value.desks), value.units(value.erlang, value.desks)
    sized, flat = value.units(value.sized), value.units(value.erlang)
    saved = f"{1 - sized_d / flat_d:.1%}" if flat_d else "—"
    if erlang_met is False:
        saved = "不可比 not comparable: Erlang C方案未达标 the Erlang C plan misses a target"
    return [f"排班成本 roster cost at these terms: 测算方案 sized plan {sized:g} {unit} "
            f"(各台 desks {sized_d:g}); 峰值Erlang C方案 per-desk peak Erlang C plan {flat:g} "
            f"(各台 desks {flat_d:g}); 各台节省 desks saved {saved}"]


def booked_line(value: RosterValue, result: SizingResult) -> str | None:
    """The desks' money at the terms: the booked plan (the answer) against the person-block
    minimal plan and the per-desk peak Erlang C plan (issue 19 item 2)."""
    b = result.booked
    if b is None or value.minimal is None:
        return None
    unit = UNIT_ZH[value.terms.unit_or_default]
    booked = value.units(value.sized, value.desks)
    low, flat = value.units(value.minimal), value.units(value.erlang, value.desks)
    met = "搜索日达标 meets on the search days" if b.erlang_met else \
        "搜索日未达标 misses on the search days"
    start = "峰值Erlang C方案 the Erlang C plan" if b.start == "erlang_c" else \
        "人·时段最少方案 the person-block plan"
    return (f"各台订用成本 desks' booked cost at these terms: 本方案 booked plan {booked:g} {unit}"
            f"; 人·时段最少方案 person-block-minimal plan {low:g}; 峰值Erlang C方案 per-desk "
            f"peak Erlang C plan {flat:g} ({met}); 起点 started from {start}, {b.moves} moves, "
            f"{b.candidates} plans screened; 最小性 minimality: {len(b.removals)} single "
            f"booked-person removals each miss a target (筛选，临界者 SimPy 复核 screen; SimPy on "
            "the close ones)"
            + (f"; 注 note: {b.note}" if b.note else ""))


def print_roster(console: Console, value: RosterValue, result: SizingResult,
                 validate_days: int, workers: int | None) -> None:  # fmt: skip
    """Print the roster, the value lines and (with validation days) the Erlang C plan and the
    rostered plan on the sized plan's fresh days."""
    console.print(roster_table(value))
    met = None if result.booked is None else result.booked.erlang_met
    for line in value_lines(value, met):
        console.print(line, soft_wrap=True)
    money = booked_line(value, result)
    if money is not None:
        console.print(money, soft_wrap=True)
    if not validate_days:
        return
    cover = {p: value.sized[p].cover for p in value.desks}
    plans = [("峰值Erlang C方案 Erlang C plan", value.erlang_counts)]
    if any(cover[p] != result.counts[p] for p in value.desks):  # else: the validation above
        plans.append(("排班后方案 rostered plan", cover))
    for i, (name, counts) in enumerate(plans):
        v = result.erlang_validation if i == 0 else None  # the sizer checked it beside
        if v is None or v.days != validate_days:
            v = check_fresh(result, {p: counts[p] for p in value.desks}, validate_days, workers)
        console.print(f"样本外验证 fresh days ({v.days}, seed {v.seed}): {name}: "
                      f"{_verdicts(v)}", soft_wrap=True)


def _verdicts(v: Validation) -> str:
    parts = [f"{c.target.kpi} {c.share_met:.3f} {c.verdict}" for c in v.checks]
    head = "全部达标 all met" if not v.misses else f"未达标 MISSES {len(v.misses)}"
    return f"{head} — " + "; ".join(parts)
