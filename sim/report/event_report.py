"""The files of an event-day run (issue 15 item 5): its own tables as CSV (UTF-8 with BOM, so
that Excel on Chinese Windows opens them) and a self-contained ``report.html`` that opens with
the answer: the scenario's targets (``event.sizing.targets``) against what the run achieved,
met or missed, then the headline KPIs, then the queue per desk per time block, the call
batches and the satisfaction cards, and last, collapsed, provenance and the scenario.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from sim.core.atomic import write_text
from sim.core.cells import csv_text
from sim.domain.labels import EVENT_POSTS
from sim.event.tables import (
    BATCH_COLUMNS,
    CARD_COLUMNS,
    QUEUE_COLUMNS,
    EventTables,
    Row,
    event_tables,
)
from sim.experiment.pairing import compare
from sim.experiment.runner import TABLE_DAYS, RunResult
from sim.report.answer import top_keys
from sim.report.fonts import font_face_css
from sim.report.html_answer import kpi_table, targets_table
from sim.report.targets import judge_run, scenario_targets

FILES = {"queue_by_block.csv": QUEUE_COLUMNS, "call_batches.csv": BATCH_COLUMNS,
         "satisfaction_cards.csv": CARD_COLUMNS}  # fmt: skip
_CSS = """
body, table, th, td, pre, code, summary, h1, h2, h3, p, span {
       font-family: 'ReportCJK', sans-serif; }
body { margin: 24px auto; max-width: 1280px; color: #222; line-height: 1.45; padding: 0 16px; }
h2 { border-bottom: 2px solid #ddd; margin-top: 32px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th { background: #f2f4f7; } td.l, th.l { text-align: left; }
.muted { color: #666; font-size: 12px; } code { font-size: 12px; color: #444; }
.st-met { color: #1b7a2f; font-weight: bold; } .st-missed { color: #b00020; font-weight: bold; }
.st-borderline { color: #a66300; font-weight: bold; } .st-unknown { color: #888; }
p.verdict { font-size: 18px; font-weight: bold; } details { margin-top: 32px; }
pre { background: #f7f7f7; padding: 10px; font-size: 12px; overflow-x: auto; }
"""


def _e(value: object) -> str:
    return html.escape(str(value))


def post_label(post: str) -> str:
    """``签到台 sign-in desk``."""
    zh, en = EVENT_POSTS.get(post, (post, post))
    return f"{zh} {en}"


def write_event_tables(tables: EventTables, folder: Path) -> list[Path]:
    """The tables as CSV with a BOM (neutralised cells, ``\\n`` line ends); a table with no
    rows (no call batches on a day without calling) is not written."""
    paths = []
    for (name, header), rows in zip(FILES.items(), (tables.queue, tables.batches, tables.cards),
                                    strict=True):  # fmt: skip
        if not rows:
            continue
        write_text(folder / name, csv_text(header, rows, bom=True))
        paths.append(folder / name)
    return paths


OFFICE_TABLES = ("visits.csv", "assignments.csv", "vip_rooms.csv", "sample_houses.csv",
                 "post_hours.csv", "reps.csv")  # fmt: skip


def drop_office_tables(folder: Path) -> None:
    """Remove the office tables that an event day leaves with a header and no row (an event
    day has no reps, rooms or sample houses; its tables are :data:`FILES`)."""
    for name in OFFICE_TABLES:
        path = folder / name
        if path.is_file() and len(path.read_text(encoding="utf-8").splitlines()) <= 1:
            path.unlink()


def _mean(values: Iterable[object]) -> str:
    nums = [float(v) for v in values if isinstance(v, int | float)]
    return f"{sum(nums) / len(nums):.2f}" if nums else "–"


def _table(head: Sequence[str], rows: Iterable[Sequence[object]], left: int = 1) -> str:
    def cells(row: Sequence[object], tag: str) -> str:
        return "".join(f'<{tag}{" class=l" if i < left else ""}>{_e(c)}</{tag}>'
                       for i, c in enumerate(row))  # fmt: skip

    body = "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows)
    return f"<table><tr>{cells(head, 'th')}</tr>{body}</table>"


def _by(rows: Sequence[Row], *cols: int) -> dict[tuple[object, ...], list[Row]]:
    groups: dict[tuple[object, ...], list[Row]] = defaultdict(list)
    for r in rows:
        groups[tuple(r[c] for c in cols)].append(r)
    return groups


def queue_section(tables: EventTables, days: int) -> str:
    """Per desk and block, over the days: arrivals a day, mean and P90 wait, longest queue."""
    head = ["服务台 desk", "时段 block", "日均到达 arrivals/day", "平均等待 mean wait (min)",
            "P90等待 P90 wait (min)", "最长队列 longest queue (mean/max)", "未服务 unserved"]
    rows = []
    groups = _by(tables.queue, 1, 2)
    posts = list(dict.fromkeys(post for post, _ in groups))  # the desks in walking order
    for (post, block), rs in sorted(groups.items(),
                                    key=lambda kv: (posts.index(kv[0][0]), str(kv[0][1]))):
        peak = [int(str(r[7])) for r in rs]
        rows.append([post_label(str(post)), block, f"{sum(int(str(r[3])) for r in rs) / days:.1f}",
                     _mean(r[5] for r in rs), _mean(r[6] for r in rs),
                     f"{sum(peak) / days:.1f} / {max(peak)}", sum(int(str(r[4])) for r in rs)])
    return _table(head, rows, left=2)


def batch_section(tables: EventTables, days: int) -> str:
    """The call batches per round, over the days; empty without ``event.calling``."""
    if not tables.batches:
        return '<p class="muted">无叫号 no calling: groups go to the desks in arrival order.</p>'
    head = ["轮次 round", "日均批次 batches/day", "日均叫到组数 groups called/day",
            "日均移至最后 moved to the end/day", "首次叫号 first call (day 1)"]
    rows = []
    for (rnd,), rs in sorted(_by(tables.batches, 1).items(), key=lambda kv: str(kv[0])):
        first = next((str(r[7]) for r in rs if r[7]), "–")
        rows.append([{1: "第一轮 main", 2: "第二轮 moved"}.get(int(str(rnd)), str(rnd)),
                     f"{len(rs) / days:.1f}", f"{sum(int(str(r[4])) for r in rs) / days:.1f}",
                     f"{sum(int(str(r[6])) for r in rs) / days:.1f}", first])
    return _table(head, rows)


def card_section(tables: EventTables, days: int) -> str:
    """Satisfaction cards by arrival block, over the days."""
    head = ["到达时段 arrival block", "日均持卡组 card holders/day", "平均分 mean card",
            "日均回访 follow-ups/day"]
    rows = [[block, f"{sum(int(str(r[2])) for r in rs) / days:.1f}", _mean(r[3] for r in rs),
             f"{sum(int(str(r[4])) for r in rs) / days:.1f}"]
            for (block,), rs in sorted(_by(tables.cards, 1).items(), key=lambda kv: str(kv[0]))
            ]  # fmt: skip
    return _table(head, rows)


def render_event_html(result: RunResult, tables: EventTables, days: int) -> str:
    """The event-day report as one HTML string (answer first; see the module doc)."""
    sc = result.scenario
    targets = scenario_targets(sc, result.summary)
    outcomes = judge_run(result, targets)
    missed = sum(o.status == "missed" for o in outcomes)
    n = len(outcomes)
    verdict = (f"全部 {n} 项目标达成 all {n} targets met" if not missed else
               f"{missed}/{n} 项目标未达成 {missed} of {n} targets missed")  # fmt: skip
    if not outcomes:
        verdict = "场景未设目标 the scenario sets no targets (event.sizing.targets)"
    comp = compare([result], [sc.name])
    echo = yaml.safe_dump(sc.model_dump(mode="json", by_alias=True), allow_unicode=True,
                          sort_keys=False)  # fmt: skip
    title = f"活动日仿真报告 Event-day simulation report · {sc.name}"
    body = (
        f"<h1>{_e(title)}</h1>"
        f'<p class="muted">{result.replications} 次重复 replications · 种子 seed {result.seed} · '
        f"95% 置信区间 confidence intervals · 明细表取前 {days} 天 tables: first {days} days</p>"
        f'<h2>结论 Answer</h2><p class="verdict {"st-missed" if missed else "st-met"}">'
        f"{_e(verdict)}</p>{targets_table(outcomes) if outcomes else ''}"
        f"<h3>主要指标 Headline KPIs</h3>{kpi_table(comp, top_keys([result], targets), False)}"
        f"<h2>各服务台排队 Queue per desk per block</h2>{queue_section(tables, days)}"
        f"<h2>叫号批次 Call batches (V5)</h2>{batch_section(tables, days)}"
        f"<h2>满意度卡 Satisfaction cards (V5)</h2>{card_section(tables, days)}"
        "<details><summary>来源与场景 Provenance and scenario</summary>"
        f'<p class="muted">场景哈希 scenario hash {_e(result.scenario_hash)} · 代码版本 code '
        f"version {_e(result.code_version)} · 开始 started {_e(result.started)} · 运行键 run key "
        f"{_e(result.run_key)}</p><pre>{_e(echo)}</pre></details>"
    )
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{_e(title)}</title><style>{font_face_css(body)}{_CSS}</style></head>"
            f"<body>{body}</body></html>\n")  # fmt: skip


def write_event_outputs(
    result: RunResult, folder: Path, table_days: int = TABLE_DAYS
) -> list[Path]:
    """Rebuild the tables of the first ``table_days`` replications of an event-day run, write
    them and ``report.html`` into ``folder``; return the paths written."""
    days = min(table_days, result.replications)
    tables = event_tables(result.scenario, result.seed, range(days))
    paths = write_event_tables(tables, folder)
    write_text(folder / "report.html", render_event_html(result, tables, days))
    return [*paths, folder / "report.html"]
