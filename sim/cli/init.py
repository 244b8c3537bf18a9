"""``salesim init``: a guided start (a few questions in Chinese) or a template workbook.

``salesim init`` asks the office size, opening hours, reps, rooms and weekday/weekend traffic
and writes ``NAME_weekday.yaml`` and ``NAME_weekend.yaml`` (complete, valid scenarios);
``salesim init --xlsx my_office.xlsx`` writes the same starting office as a workbook to fill in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import yaml

from sim.cli.common import fail, main, reason
from sim.core.atomic import write_text
from sim.core.clock import parse_clock
from sim.scenario import ScenarioError
from sim.scenario.schema import Scenario
from sim.scenario.starter import SIZES, Answers, starter_scenario

DAY_TYPES = ("weekday", "weekend")


def _clock(text: str) -> str:
    try:
        parse_clock(text)
    except ValueError:
        raise click.BadParameter(f"'{text}': 请写成 HH:MM write a clock time 'HH:MM'") from None
    return text


def ask() -> Answers:
    """The guided questions (Chinese first); each default comes from the office size."""
    size = click.prompt(
        "售楼处规模 Office size (小 small / 中 medium / 大 large)",
        type=click.Choice(list(SIZES)), default="中",
    )  # fmt: skip
    d = SIZES[size]
    name = click.prompt("情景名称 Scenario name", default="my_office")
    open_ = click.prompt("开门时间 Doors open (HH:MM)", default="09:00", value_proc=_clock)
    close = click.prompt("闭门时间 Doors close (HH:MM)", default="18:00", value_proc=_clock)
    count: dict[str, Any] = {"type": click.IntRange(min=0)}
    reps = click.prompt("置业顾问人数 Sales reps", default=d["reps"], type=click.IntRange(min=1))
    rooms = click.prompt("VIP室数量 VIP rooms", default=d["vip_rooms"], **count)
    houses = click.prompt("样板间数量 Sample houses", default=d["sample_houses"], **count)
    groups: dict[str, Any] = {"type": click.FloatRange(min=1)}
    weekday = click.prompt("工作日来访组数 Weekday visitor groups", default=d["weekday"], **groups)
    weekend = click.prompt("周末来访组数 Weekend visitor groups", default=d["weekend"], **groups)
    return Answers(name, size, open_, close, reps, rooms, houses, weekday, weekend)


def scenario_yaml(scenario: Scenario, by: str = "salesim init") -> str:
    """A scenario as YAML, every field written out, Chinese kept readable."""
    data = scenario.model_dump(by_alias=True, mode="json")
    head = (
        f"# 由 {by} 生成，可直接修改 Written by {by}; edit freely.\n"
        "# 字段说明 Field reference: docs/scenario-reference.md\n"
    )
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _build(answers: Answers, day_type: str) -> Scenario:
    try:
        return starter_scenario(answers, day_type)
    except ScenarioError as exc:
        fail(exc.lines)


@main.command("init")
@click.option(
    "--xlsx",
    "xlsx",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="不问答，写出待填写的模板工作簿 write a template workbook (.xlsx) to fill in instead "
    "of asking",
)
@click.option(
    "--day",
    type=click.Choice(DAY_TYPES),
    default="weekday",
    show_default=True,
    help="模板描述的日类型（配合 --xlsx） with --xlsx: the day the template describes",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="输出目录：问答后写出的情景文件 folder for the scenario files written after the "
    "questions",
)
def init_command(xlsx: Path | None, day: str, out: Path) -> None:
    """开始建模：中文问答或模板工作簿 Start modelling an office: questions in Chinese, or a
    template workbook.

    \b
    salesim init
        问答后写出情景 asks, then writes NAME_weekday.yaml and NAME_weekend.yaml
    salesim init --xlsx my_office.xlsx
        写出中文模板工作簿 writes a template workbook to fill in
    """
    if xlsx is not None:
        from sim.scenario.xlsx.write import write_workbook

        try:
            write_workbook(_build(Answers(), day), xlsx)
        except OSError as exc:
            fail(f"--xlsx {xlsx}: 无法写入 cannot write ({reason(exc)})")
        click.echo(f"已写出模板 Template written: {xlsx}")
        return
    answers = ask()
    for day_type in DAY_TYPES:
        path = out / f"{answers.name}_{day_type}.yaml"
        try:
            out.mkdir(parents=True, exist_ok=True)
            write_text(path, scenario_yaml(_build(answers, day_type)))
        except OSError as exc:
            fail(f"{path}: 无法写入 cannot write ({reason(exc)})")
        click.echo(f"已写出情景 Scenario written: {path}")
