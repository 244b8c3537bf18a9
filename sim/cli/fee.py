"""``salesim fee``: the fee plan (收费方案) of an office, as a workbook, CSV and HTML page.

The baseline posts come from the scenario's shifts (or from measured areas under the rate
card's staffing standard), the optional posts from the rate card, and the event surcharge from
a sizing result of ``salesim size``. Bad inputs print ``file:line: path = value: what is
allowed`` and exit with code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from pydantic import ValidationError
from rich.console import Console

from sim.cli.common import fail, load_or_fail, main
from sim.cli.recording import note_folder, recorded_command
from sim.core.atomic import all_or_nothing, write_text
from sim.core.names import folder_name
from sim.fee.assemble import Basis, make_plan
from sim.fee.card_sections import Site
from sim.fee.errors import PlanError
from sim.fee.fee_table import plan_table
from sim.fee.plan import FeePlan, unpriced_warning
from sim.fee.ratecard import LoadedCard, RateCardError, load_card
from sim.fee.sizing_file import (
    SizingError,
    SizingFile,
    event_lines,
    load_sizing,
    validation_lines,
)
from sim.fee.tables import csv_text, invoice_line
from sim.scenario.loader import error_lines

EXAMPLE_CARD = Path(__file__).resolve().parents[2] / "ratecards" / "example_yancheng.yaml"


def parse_areas(texts: tuple[str, ...]) -> Site | None:
    """``--area hall=800 --area grounds=5000`` as a :class:`Site` (areas not given are 0); a bad
    area prints one line per problem (``--area: hall = '800.555': must have at most 2 ...``)."""
    if not texts:
        return None
    areas: dict[str, str] = {}
    for text in texts:
        name, _, value = text.partition("=")
        if name.strip() not in Site.model_fields:
            fail(f"--area {text}: 区域应为其中之一 the area must be one of "
                 f"{', '.join(Site.model_fields)}, written NAME=M2, e.g. hall=800")  # fmt: skip
        areas[name.strip()] = value.strip()
    try:
        return Site.model_validate(areas)
    except ValidationError as exc:
        fail(error_lines(exc, areas, None, "--area", Site))


def _inputs(rates: Path | None, sizing: Path | None) -> tuple[LoadedCard, SizingFile | None]:
    if rates is None:
        click.echo(f"salesim: 注意 note: 未给 --rates，用的是示例费率卡 no --rates given; "
                   f"using the EXAMPLE rate card {EXAMPLE_CARD} — 请换成贵公司的数字 replace "
                   "its figures with your company's", err=True)  # fmt: skip
    try:
        loaded = load_card(rates or EXAMPLE_CARD)
        return loaded, (load_sizing(sizing) if sizing is not None else None)
    except (RateCardError, SizingError) as exc:
        fail(exc.lines)


def _write(plan: FeePlan, out: Path) -> list[Path]:
    from sim.fee.fee_html import render_fee_html  # fontTools: only when writing
    from sim.fee.workbook import write_workbook  # openpyxl: only when writing

    paths = [out / "fee_plan.xlsx", out / "fee_plan.csv", out / "fee_plan.html"]
    try:
        with all_or_nothing():  # the three files, or none of them
            write_workbook(plan, paths[0])
            write_text(paths[1], csv_text(plan))
            write_text(paths[2], render_fee_html(plan))
    except OSError as exc:
        fail(f"--out {out}: 无法写出收费方案 cannot write the fee plan ({exc.strerror or exc})")
    return paths


@main.command("fee")
@click.argument("scenario", metavar="SCENARIO")
@click.option("--sizing", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="测算结果 sizing.json of `salesim size`: its extra headcount is the event "
                   "surcharge (活动附加费)")
@click.option("--rates", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="费率卡 rate card YAML  [默认 default: the example "
                   "ratecards/example_yancheng.yaml]")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出目录 output folder  [默认 default: results/fee-<scenario>]")
@click.option("--basis", type=click.Choice(["scenario", "areas"]), default=None,
              help="基础岗位依据：情景班次或测量面积 baseline positions from the scenario's "
                   "shifts, or from measured areas and the card's staffing standard  "
                   "[默认 default: scenario; areas with --area]")
@click.option("--area", "areas", multiple=True, metavar="NAME=M2",
              help="测量面积 a measured area (hall, offices, sample_houses, grounds), m²; "
                   "replaces the card's site: block")
@click.option("--product-type", "product", default=None, metavar="TYPE",
              help="业态：按业态提出选配岗位，如 villa 别墅、high_rise 高层、commercial 商业 "
                   "(费率卡 product_types) — the product type whose optional posts the plan "
                   "proposes  [默认 default: the card's default_product_type]")
@recorded_command("fee", Path("results") / "fee")
def fee_command(
    scenario: str, sizing: Path | None, rates: Path | None, out: Path | None,
    basis: str | None, areas: tuple[str, ...], product: str | None,
) -> None:  # fmt: skip
    """写出 SCENARIO 的收费方案 Write the fee plan of SCENARIO: fee_plan.xlsx, fee_plan.csv,
    fee_plan.html.

    基础岗位按覆盖工时与人均工时计人，按费率卡计月费；选配岗位按业态另计；带 --sizing 时，活动增员
    计为活动附加费（并列 90%、99% 置信水平）。Baseline posts: covered hours ÷ one person's hours
    = heads, priced per month from the rate card; the product type's optional posts on top;
    with --sizing, the extra event headcount as the event surcharge, also at 90% and 99%.
    """
    sc = load_or_fail(scenario, None)
    if sc.event is not None:
        click.echo(f"salesim: 注意 note: {scenario} 是活动日 is an event day (event:); its office "
                   "staffing is the baseline. Give the office's normal-day scenario and the "
                   "event through --sizing.", err=True)  # fmt: skip
    loaded, sized = _inputs(rates, sizing)
    site = parse_areas(areas)
    chosen: Basis = "areas" if basis == "areas" or (basis is None and site) else "scenario"
    try:
        plan = make_plan(loaded, sc, scenario, chosen, site, sized, str(sizing or ""),
                         product)
    except PlanError as exc:
        fail(exc.lines)
    for post in plan.unpriced:
        click.echo(f"salesim: 警告 warning: {loaded.source}: {unpriced_warning(post)}", err=True)
    folder = out if out is not None else Path("results") / f"fee-{folder_name(sc.name)}"
    note_folder(folder)  # the results store records this fee run (issue 15 item 4)
    paths = _write(plan, folder)
    console = Console(width=None if sys.stdout.isatty() else 130)
    console.print(invoice_line(plan), soft_wrap=True)  # the answer first (issue 15 item 1)
    if plan.event is None:
        console.print("活动附加费：未请求 no event surcharge requested (add --sizing sizing.json)")
    elif sized is not None:
        for line in event_lines(sized) + validation_lines(sized)[:1]:  # verdict; targets: xlsx
            console.print(line, soft_wrap=True)
        for label, day in plan.event_by_day():
            console.print(f"活动附加费 {label} event surcharge of day {label} @{day.level}: "
                          f"{day.total:,.2f} 元 (+{day.extra_heads} 人 extra people)")
    console.print(plan_table(plan))  # then the detail: every post, heads and money
    if loaded.card.example:
        console.print("注意 note: 示例费率 EXAMPLE rates — replace the card with your company's")
    console.print(f"收费方案已写入 fee plan written to: {', '.join(map(str, paths))}",
                  soft_wrap=True)  # fmt: skip
