"""Scenario workbooks (issue 16, item 1): YAML <-> workbook without loss, Chinese sheets, data
validation and comments from the schema, errors naming sheet and cell, and shares as '70%'."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sim.cli import main
from sim.scenario import ScenarioError, load_scenario, validate_scenario
from sim.scenario.xlsx.layout import SHEETS, from_cell, to_cell
from sim.scenario.xlsx.write import write_workbook
from tests.helpers import SCENARIOS, scenario_dict

SHIPPED = sorted(SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_scenario_round_trips_through_a_workbook(path: Path, tmp_path: Path) -> None:
    """YAML -> workbook -> scenario gives the same validated scenario, field for field."""
    scenario = load_scenario(path)
    book = write_workbook(scenario, tmp_path / f"{path.stem}.xlsx")
    again = load_scenario(book)
    assert again.model_dump() == scenario.model_dump()
    assert again == scenario


def test_cell_values_read_back_as_written() -> None:
    """Text that looks like something else is quoted, and reads back as the same text."""
    for value in ["09:00", "true", "null", "123", "[draft]", "名称", 3, 2.5, True, None, ["a", 1]]:
        assert from_cell(to_cell(value)) == value


def test_workbook_has_chinese_sheets_validation_and_comments(tmp_path: Path) -> None:
    book = write_workbook(load_scenario(SCENARIOS / "weekday.yaml"), tmp_path / "w.xlsx")
    wb = load_workbook(book)
    assert wb.sheetnames == [name for name, _ in SHEETS]
    office = wb["营业与时间 Office"]
    assert [c.value for c in office[1]] == [
        "字段 Field",
        "值 Value",
        "说明 Description",
        "允许 Allowed",
    ]
    rows = {r[0].value: r for r in office.iter_rows(min_row=2)}
    day_type = rows["day.type"][1]
    assert "day type" in day_type.comment.text
    lists = [dv for dv in office.data_validations.dataValidation if dv.type == "list"]
    assert any(day_type.coordinate in str(dv.sqref) for dv in lists)
    assert any("weekday,weekend" in (dv.formula1 or "") for dv in lists)
    visitors = wb["客户构成 Visitors"]
    share = next(r[1] for r in visitors.iter_rows(min_row=2) if r[0].value == "visitors.car_share")
    ranges = [dv for dv in visitors.data_validations.dataValidation if dv.type == "decimal"]
    covering = [dv for dv in ranges if share.coordinate in str(dv.sqref)]
    assert [(float(dv.formula1), float(dv.formula2)) for dv in covering] == [(0.0, 1.0)]
    arrivals = wb["分时来访 Arrivals"]
    assert [c.value for c in arrivals[2][:3]] == ["arrivals.walk_in[]", "from", "rate"]
    assert [c.value for c in arrivals[3][:3]] == [None, "09:00", 1.5]


def _edit(book: Path, sheet: str, field: str, value: object) -> None:
    wb = load_workbook(book)
    row = next(r for r in wb[sheet].iter_rows(min_row=2) if r[0].value == field)
    row[1].value = value
    wb.save(book)


def test_percent_share_in_workbook_and_yaml(tmp_path: Path) -> None:
    """'70%' is read as 0.7 where a share is expected, in a workbook and in YAML."""
    book = write_workbook(load_scenario(SCENARIOS / "weekday.yaml"), tmp_path / "w.xlsx")
    _edit(book, "客户构成 Visitors", "visitors.car_share", "70%")
    assert load_scenario(book).visitors.car_share == pytest.approx(0.7)
    data = scenario_dict("weekday")
    data["visitors"]["car_share"] = "70%"
    data["arrivals"]["appointments"]["no_show_share"] = " 12.5 % "
    scenario = validate_scenario(data)
    assert scenario.visitors.car_share == pytest.approx(0.7)
    assert scenario.arrivals.appointments.no_show_share == pytest.approx(0.125)


def test_workbook_errors_name_sheet_cell_field_value_and_allowed(tmp_path: Path) -> None:
    book = write_workbook(load_scenario(SCENARIOS / "weekday.yaml"), tmp_path / "w.xlsx")
    wb = load_workbook(book)
    wb["分时来访 Arrivals"]["C4"] = -2  # the second walk-in piece's rate
    wb.save(book)
    _edit(book, "客户构成 Visitors", "visitors.vip_share", "7O%")
    _edit(book, "客户构成 Visitors", "visitors.patience.dist", "lognorma")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(book)
    lines = caught.value.lines
    assert f"{book} 工作表「分时来访 Arrivals」单元格 C4: arrivals.walk_in[1].rate = -2: " \
        "应不小于 0 must be at least 0" in lines  # fmt: skip
    assert any(
        "「客户构成 Visitors」单元格 B" in ln and "visitors.vip_share = '7O%'" in ln
        and "or a percent such as '70%'" in ln for ln in lines
    )  # fmt: skip
    assert any("visitors.patience.dist = 'lognorma'" in ln and "did you mean 'lognormal'" in ln
               and "单元格 B" in ln for ln in lines)  # fmt: skip


def test_cli_runs_a_workbook_and_reports_its_mistakes_without_traceback(tmp_path: Path) -> None:
    book = tmp_path / "my_office.xlsx"
    made = CliRunner().invoke(main, ["init", "--xlsx", str(book)])
    assert made.exit_code == 0, made.output
    ran = CliRunner().invoke(main, ["run", str(book), "-n", "2", "-w", "1", "--out", str(tmp_path)])
    assert ran.exit_code == 0, ran.output
    assert "到访组数" in ran.output
    _edit(book, "营业与时间 Office", "day.open", "9点")
    bad = CliRunner().invoke(main, ["run", str(book), "-n", "1", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    assert "工作表「营业与时间 Office」单元格 B" in bad.stderr
    assert "day.open = '9点': 应为时刻 HH:MM must be a clock time 'HH:MM'" in bad.stderr


def test_not_a_workbook_is_one_clear_line(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(fake), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == f"salesim: {fake}: 不是 Excel 工作簿 not an Excel workbook (.xlsx)"
    )


def test_a_time_typed_into_excel_reads_as_hh_mm(tmp_path: Path) -> None:
    """Excel turns a typed 8:30 into a time value; the reader gives it back as '08:30'."""
    import datetime as dt

    book = write_workbook(load_scenario(SCENARIOS / "weekday.yaml"), tmp_path / "w.xlsx")
    _edit(book, "营业与时间 Office", "day.open", dt.time(8, 30))
    assert load_scenario(book).day.open == 8 * 60 + 30


def test_a_table_row_added_in_the_workbook_is_a_new_record(tmp_path: Path) -> None:
    book = write_workbook(load_scenario(SCENARIOS / "weekday.yaml"), tmp_path / "w.xlsx")
    wb = load_workbook(book)
    ws = wb["分时来访 Arrivals"]  # pieces in rows 3-7, spare rows from 8
    ws["B8"], ws["C8"] = "17:30", 0.5
    wb.save(book)
    pieces = load_scenario(book).arrivals.walk_in
    assert [(p.start, p.rate) for p in pieces[-2:]] == [(17 * 60, 2.0), (17 * 60 + 30, 0.5)]


def test_compare_and_size_read_workbooks(tmp_path: Path) -> None:
    book = write_workbook(load_scenario(SCENARIOS / "weekday.yaml"), tmp_path / "weekday.xlsx")
    out = tmp_path / "cmp"
    args = ["compare", str(book), "--vary", "vip_rooms.count=2,3", "-n", "2", "--out", str(out)]
    compared = CliRunner().invoke(main, args)
    assert compared.exit_code == 0, compared.output
    assert (out / "comparison.csv").is_file()
    size_out = tmp_path / "size"
    sized = CliRunner().invoke(main, ["size", str(book), "--days", "10", "--validate-days", "0",
                                      "--out", str(size_out)])  # fmt: skip
    assert sized.exit_code == 0, sized.output  # an office day: reps, rooms and posts (issue 14)
    assert json.loads((size_out / "sizing.json").read_text(encoding="utf-8"))["kind"] == "office"


def test_distribution_kind_offers_every_kind_and_nullable_numbers_take_null(
    tmp_path: Path,
) -> None:
    """A `dist` cell lists every kind (a planner may switch triangular to lognormal); a field
    that may be null (vip_rooms.max_wait_min) gets no number check, so `null` can be typed."""
    book = write_workbook(load_scenario(SCENARIOS / "weekday.yaml"), tmp_path / "w.xlsx")
    ws = load_workbook(book)["场地与样板间 Rooms"]
    rows = {r[0].value: r[1] for r in ws.iter_rows(min_row=2)}
    checks = ws.data_validations.dataValidation
    kind = rows["service_times.sandbox.dist"].coordinate
    lists = [dv.formula1 for dv in checks if kind in str(dv.sqref).split()]
    assert lists == ['"fixed,exponential,lognormal,triangular,uniform,empirical"']
    wait = rows["vip_rooms.max_wait_min"].coordinate
    assert [dv for dv in checks if wait in str(dv.sqref).split()] == []
    _edit(book, "场地与样板间 Rooms", "service_times.sandbox.dist", "exponential")
    _edit(book, "场地与样板间 Rooms", "service_times.sandbox.min", None)
    _edit(book, "场地与样板间 Rooms", "service_times.sandbox.mode", None)
    _edit(book, "场地与样板间 Rooms", "service_times.sandbox.max", None)
    wb = load_workbook(book)
    ws = wb["场地与样板间 Rooms"]
    ws.insert_rows(ws.max_row + 1)
    ws.cell(row=ws.max_row + 1, column=1, value="service_times.sandbox.mean")
    ws.cell(row=ws.max_row, column=2, value=12)
    wb.save(book)
    sandbox = load_scenario(book).service_times.sandbox
    assert (sandbox.dist, sandbox.mean_min) == ("exponential", 12)  # type: ignore[union-attr]
