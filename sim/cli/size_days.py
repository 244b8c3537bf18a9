"""``salesim size`` on a multi-day event (``event.days``, issue 12): every day sized on its
own by the public :func:`sim.event_sizing.size`, a post × block grid per payer and day, a
per-day summary and the total, each day's roster at the booking terms, the combined
``sizing.json`` for ``salesim fee``. A day whose fresh-day check fails makes the whole event
NOT an answer: exit 2, only ``sizing_failed.json`` (issue 19).

Kept apart from :mod:`sim.cli.size` (which dispatches here) so that the one-day command can
change without touching the multi-day one.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from sim.cli.common import fail
from sim.cli.size_joint import FAILED_FILE, joint_line, retire_old_answer, shortfall
from sim.cli.size_roster import print_roster, roster_or_fail
from sim.core.atomic import all_or_nothing
from sim.domain.labels import PAYER_LABELS, PROPERTY, any_post_label
from sim.event_sizing import Infeasible, SizingResult
from sim.event_sizing.multiday import MultiDaySizing, size_days, write_days, write_failed_days
from sim.event_sizing.output import block_labels, rows
from sim.event_sizing.roster_output import RosterValue
from sim.scenario.schema import Scenario


def _person_hours(table: Sequence[dict[str, Any]], result: SizingResult) -> float:
    minutes = {lb: (b - a) for (lb, _, _), (a, b) in
               zip(block_labels(result.problem.edges), itertools.pairwise(result.problem.edges),
                   strict=True)}  # fmt: skip
    return float(sum(r["extra"] * minutes[r["block"]] for r in table)) / 60


def day_grid(label: str, result: SizingResult, payer: str) -> Table | None:
    """One day's post × block grid for one payer: the total people per block (baseline +
    extra) and each post's peak extra; ``None`` when the payer has no post."""
    table_rows = [r for r in rows(result, result.counts, result.service) if r["payer"] == payer]
    if not table_rows:
        return None
    labels = [lb for lb, _, _ in block_labels(result.problem.edges)]
    zh, en = PAYER_LABELS[payer]
    table = Table(title=f"{label} — {zh} {en}: 人数 people per block (基础+选配 baseline+extra)",
                  title_justify="left")  # fmt: skip
    table.add_column("岗位 post", no_wrap=True)
    for lb in labels:
        table.add_column(lb, justify="right", no_wrap=True)
    table.add_column("峰值选配 peak extra", justify="right")
    for post in dict.fromkeys(r["post"] for r in table_rows):
        mine = [r for r in table_rows if r["post"] == post]
        cells = [str(r["total"]) if r["total"] else "·" for r in mine]
        table.add_row(f"{any_post_label(post)[0]} {post}", *cells,
                      str(max(r["extra"] for r in mine)))  # fmt: skip
    return table


def summary_table(res: MultiDaySizing) -> Table:
    """Per day and in total: attendance, the peak extra people and the extra person-hours per
    payer (物业选配 billed, 开发商/代理 not), the fresh-day verdict and the time taken."""
    table = Table(title="多日活动 multi-day event: 每日与合计 per day and in total",
                  title_justify="left")  # fmt: skip
    heads = ["日 day", "到场 people", "物业峰值选配 property peak extra",
             "物业选配人时 property extra person-h", "开发商/代理选配人时 developer extra person-h",
             "样本外验证 fresh check", "用时 time s"]  # fmt: skip
    for h in heads:
        table.add_column(h, justify="left" if h == heads[0] else "right")
    totals = [0, 0, 0.0, 0.0]
    for d in res.days:
        r = d.result
        table_rows = rows(r, r.counts, r.service)
        prop = [x for x in table_rows if x["payer"] == PROPERTY]
        dev = [x for x in table_rows if x["payer"] != PROPERTY]
        peak = sum(max((x["extra"] for x in prop if x["post"] == p), default=0)
                   for p in dict.fromkeys(x["post"] for x in prop))  # fmt: skip
        hours = (_person_hours(prop, r), _person_hours(dev, r))
        v = r.validation
        verdict = ("—" if v is None else "未通过 FAILED" if r.status == "failed"
                   else "达标 met" if not v.misses else "未达标 MISSES")  # fmt: skip
        table.add_row(d.day.label, str(d.day.attendance), str(peak), f"{hours[0]:.1f}",
                      f"{hours[1]:.1f}", verdict, f"{r.seconds:.1f}")  # fmt: skip
        totals = [totals[0] + d.day.attendance, totals[1] + peak, totals[2] + hours[0],
                  totals[3] + hours[1]]  # fmt: skip
    table.add_row("合计 total", str(totals[0]), str(totals[1]), f"{totals[2]:.1f}",
                  f"{totals[3]:.1f}", "", f"{res.seconds:.1f}")  # fmt: skip
    return table


def size_multi_day(sc: Scenario, scenario_path: str, size_one: Callable[[Scenario, int],
                   SizingResult], seed: int, out: Path,
                   workers: int | None = None) -> None:  # fmt: skip
    """Size, write and print a multi-day event (``size_one``: the one-day sizing with the
    command's targets and options; ``workers`` for the Erlang C plan's fresh check)."""
    assert sc.event is not None

    def guarded(day: Scenario, day_seed: int) -> SizingResult:
        label = sc.event.days[day_seed - seed].label if sc.event else ""
        try:
            return size_one(day, day_seed)
        except Infeasible as exc:
            block = block_labels(exc.span)[0][0]
            fail(
                f"{scenario_path}: 第 {label} 天 day {label}: 目标无法达到 impossible target "
                f"{exc.target}: the binding "
                f"post {exc.post} is at its cap in block {block}; best {exc.target.kpi} "
                f"reached {exc.best:.2f}; raise event.desks[].cap or relax the target"
            )

    res = size_days(sc, guarded, seed)
    if res.failed:
        report_failed_days(res, out, scenario_path)
    booked = [roster_or_fail(d.result, f"{scenario_path}: 第 {d.day.label} 天 day {d.day.label}")
              for d in res.days]  # shifts at the booking terms (issue 19), before any file
    try:
        with all_or_nothing():  # every day's files and the combined result, or none of them
            paths = write_days(res, out, scenario_path)
    except OSError as exc:
        fail(f"--out {out}: cannot write ({exc.strerror or exc})")
    console = Console(width=None if sys.stdout.isatty() else 200)
    console.print(f"多日活动 multi-day event: {len(res.days)} 天 days, 合计 {res.attendance} 人 "
                  f"people in total; 规模与许可按每场次（每天）判定 class and police permit "
                  f"judged per day (每场次), by the busiest day:", soft_wrap=True)  # fmt: skip
    for line in res.event_class.lines():
        console.print(line, soft_wrap=True)
    for d in res.days:
        for payer in PAYER_LABELS:
            grid = day_grid(d.day.label, d.result, payer)
            if grid is not None:
                console.print(grid)
        s = d.result.seats
        if s is not None:
            console.print(f"{d.day.label}: 等候区座位 waiting-area seats {s.seats}, 需 needed "
                          f"{s.needed} (峰值 peak mean {s.peak_mean:.0f})")  # fmt: skip
    for d, value in zip(res.days, booked, strict=True):
        print_day_roster(console, d.day.label, value, d.result, workers)
    console.print(summary_table(res))
    console.print(f"用时 time taken: {res.seconds:.1f} s for {len(res.days)} days; 写入 written: "
                  f"{paths[0]} (combined, for salesim fee) and one folder per day",
                  soft_wrap=True)  # fmt: skip


def print_day_roster(console: Console, label: str, value: RosterValue,
                     result: SizingResult, workers: int | None = None) -> None:  # fmt: skip
    """One day's roster as the one-day command prints it (with the day's own fresh days
    for the Erlang C plan beside it), under the day's label."""
    v = result.validation
    console.print(f"[bold]{label}[/] 当日排班 roster of day {label}:")
    print_roster(console, value, result, 0 if v is None else v.days, workers)


def report_failed_days(res: MultiDaySizing, out: Path, scenario_path: str) -> None:
    """Some day's fresh check still misses after every search round: the summary and each
    failed day's joint line on the terminal, ``sizing_failed.json`` only (status failed,
    ``failed_days``), exit 2 with one line naming the days and their shortfall."""
    console = Console(width=None if sys.stdout.isatty() else 200)
    console.print(summary_table(res))
    parts = []
    for d in res.failed:
        v, r = d.result.validation, d.result
        assert v is not None  # a failed status comes from the fresh check
        console.print(f"{d.day.label}: {joint_line(v, r.rounds, r.search_level)}", soft_wrap=True)
        parts.append(f"第 {d.day.label} 天 day {d.day.label} ({r.rounds} further search rounds, "
                     f"{r.days} search days): {shortfall(v)}")  # fmt: skip
    path = out / FAILED_FILE
    try:
        write_failed_days(res, path, scenario_path)
        retired = retire_old_answer(out)
    except OSError as exc:
        fail(f"--out {out}: cannot write ({exc.strerror or exc})")
    fail(f"{scenario_path}: 未找到可信方案 no plan passes the fresh-day check on "
         f"{len(res.failed)} of {len(res.days)} days — {'; '.join(parts)}; best plans (NOT an "
         f"answer) in {path}; search on more days (-n) or relax the targets{retired}")
