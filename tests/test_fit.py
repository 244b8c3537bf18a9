"""``salesim fit`` (issue 16, item 3): the shipped synthetic register is drawn from known
scenarios (data/register/truth_*.yaml), and the fit recovers their parameters within
intervals derived from the register's sample sizes; the fitted scenarios reproduce the
register's KPIs (back-test)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import stats

from sim.cli import main
from sim.fit.distfit import choose
from sim.fit.estimate import DayTypeFit, Value, fit_day_type
from sim.fit.register import FitError, read_calls, read_visits
from sim.scenario import Scenario, load_scenario
from tests.helpers import ROOT

REGISTER = ROOT / "data" / "register"
VISITS, CALLS = REGISTER / "visits.csv", REGISTER / "calls.csv"
DAY_TYPES = ("weekday", "weekend")


@pytest.fixture(scope="module")
def fits() -> dict[str, DayTypeFit]:
    visits, calls = read_visits(VISITS), read_calls(CALLS)
    return {d: fit_day_type(visits, calls, d) for d in DAY_TYPES}


def _truth(day_type: str) -> Scenario:
    return load_scenario(REGISTER / f"truth_{day_type}.yaml")


def _rate_at(pieces: tuple[object, ...], t: float) -> float:
    """The truth's rate in force at clock time t (pieces start on the hour)."""
    return [p.rate for p in pieces if p.start <= t][-1]  # type: ignore[attr-defined]


def _checks(fit: DayTypeFit, truth: Scenario) -> list[tuple[str, Value, float]]:
    """(name, estimate, true value) for every parameter the register identifies."""
    mix, phones = truth.visitors, truth.staffing.phones  # type: ignore[union-attr]
    weights = dict(mix.group_size)
    total = sum(weights.values())
    out = [(f"walk_in@{h:g}", v, _rate_at(truth.arrivals.walk_in, h)) for h, v in fit.walk_in]
    out += [(f"calls@{h:g}", v, _rate_at(phones.calls, h)) for h, v in fit.calls]  # type: ignore[union-attr]
    out += [(f"size {s}", v, weights[s] / total) for s, v in fit.group_size.items()]
    out += [
        ("booked a day", fit.booked_per_day, truth.arrivals.appointments.count),
        ("returning", fit.returning, mix.returning_share),
        ("non-sales", fit.non_sales, mix.non_sales_share),
    ]
    for what, choice, dist in (
        ("reception", fit.reception, truth.service_times.sandbox),
        ("call", fit.call_duration, phones.duration),
    ):  # type: ignore[union-attr]
        assert choice is not None
        for name, (lo, hi) in choice.intervals.items():
            true = {"mean": dist.mean_min, "sd": dist.sd}[name]  # type: ignore[union-attr]
            # the bootstrap percentile interval as centre +- half-width (it may be skewed
            # about the fitted value; its own ends are what the 95% statement is about)
            out.append((f"{what} {name}", Value((lo + hi) / 2, (hi - lo) / 2, choice.n), true))
    return out


def test_fit_recovers_the_known_scenarios_within_their_intervals(
    fits: dict[str, DayTypeFit],
) -> None:
    """Every parameter within its 95% interval, Bonferroni-widened over all the parameters
    checked (so the family of checks holds with 95% confidence, not each alone)."""
    checks = [(d, *c) for d in DAY_TYPES for c in _checks(fits[d], _truth(d))]
    z = float(stats.norm.ppf(1 - 0.05 / (2 * len(checks))))
    missed = [
        (d, name, v.value, v.half_width, true)
        for d, name, v, true in checks
        if not v.covers(true, z)
    ]
    assert len(checks) > 50
    assert missed == []


def test_fit_finds_the_hours_reps_and_distribution_kinds(fits: dict[str, DayTypeFit]) -> None:
    for day_type in DAY_TYPES:
        fit, truth = fits[day_type], _truth(day_type)
        assert (fit.open, fit.close) == (truth.day.open, truth.day.close)
        assert len(fit.reps) == len(truth.reps)
        assert fit.reception.best.kind == "lognormal"  # the truth's kind has the smallest AIC
        assert fit.reception.best.ks_p > 0.05  # and the KS test does not reject it
        assert all(f.ks_p < 0.01 for f in fit.reception.fits[1:])


def test_aic_prefers_the_generating_kind_on_known_samples() -> None:
    """Samples of each kind (seeded) are given back that kind by the AIC."""
    rng = np.random.default_rng(3)
    samples = {
        "exponential": rng.exponential(20, 600),
        "uniform": rng.uniform(5, 30, 600),
        "triangular": rng.triangular(10, 15, 40, 600),
    }
    for kind, x in samples.items():
        assert choose(x).best.kind == kind


def test_shipped_register_is_what_the_script_generates(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_register", REGISTER / "make_register.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for name in ("visits.csv", "calls.csv"):
        assert (tmp_path / name).read_bytes() == (REGISTER / name).read_bytes()


def test_fit_cli_writes_valid_scenarios_plot_and_report(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["fit", str(VISITS), str(CALLS), "--out", str(tmp_path), "--backtest-days", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "按 AIC 选择 chosen by AIC" in result.output
    for day_type in DAY_TYPES:
        scenario = load_scenario(tmp_path / f"fitted_{day_type}.yaml")
        assert scenario.day.type == day_type
        assert scenario.service_times.sandbox.dist == "lognormal"
        assert (tmp_path / f"fit_{day_type}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = json.loads((tmp_path / "fit_report.json").read_text(encoding="utf-8"))
    assert report["day_types"]["weekday"]["reception_min"]["criterion"] == "AIC"


@pytest.mark.slow
def test_backtest_fitted_model_reproduces_the_register_kpis(tmp_path: Path) -> None:
    """Simulated days of the fitted scenarios match the register's KPIs (Welch 95% intervals
    of the difference contain 0) for every KPI of both day types."""
    result = CliRunner().invoke(
        main, ["fit", str(VISITS), "--out", str(tmp_path), "--backtest-days", "40"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "fit_report.json").read_text(encoding="utf-8"))
    checks = [c for d in DAY_TYPES for c in report["day_types"][d]["backtest"]]
    assert len(checks) == 12
    assert [c["kpi"] for c in checks if not c["ok"]] == []


def test_bad_register_is_one_line_per_problem(tmp_path: Path) -> None:
    rows = VISITS.read_text(encoding="utf-8-sig").splitlines()
    bad = tmp_path / "visits.csv"
    bad.write_text(
        "\n".join([rows[0], rows[1].replace(",09:22,", ",9点,"), rows[2]]), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["fit", str(bad), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.strip() == (
        f"salesim: {bad}:2: 到访时间 arrival = '9点': 须为时刻 must be a clock time 'HH:MM'"
    )
    no_column = tmp_path / "short.csv"
    no_column.write_text("日期 date,人数 group_size\n2026-03-02,2\n", encoding="utf-8")
    with pytest.raises(FitError, match="缺少列 missing columns: 日类型 day_type, 到访时间 arrival"):
        read_visits(no_column)


@pytest.mark.parametrize(
    ("column", "value", "header", "allowed"),
    [
        (
            1,
            "周六",
            "日类型 day_type",
            "须为 工作日/周末/节假日 must be weekday, weekend or holiday",
        ),
        (3, "0", "人数 group_size", "须为人数 must be a whole number of people, at least 1"),
        (4, "也许", "老客户 returning", "须为 是/否 must be yes or no"),
        (
            7,
            "-3",
            "接待时长 reception_min",
            "须为分钟数或留空 must be minutes, at least 0, or empty",
        ),
        (8, "成交", "结果 outcome", "须为 接待/流失/非销售 must be served, lost or non_sales"),
    ],
)
def test_each_bad_register_value_names_row_column_value_and_allowed(
    column: int, value: str, header: str, allowed: str, tmp_path: Path
) -> None:
    head, first, *_ = VISITS.read_text(encoding="utf-8-sig").splitlines()
    cells = first.split(",")
    cells[column] = value
    bad = tmp_path / "visits.csv"
    bad.write_text(f"{head}\n{','.join(cells)}\n", encoding="utf-8")
    with pytest.raises(FitError) as caught:
        read_visits(bad)
    assert caught.value.lines == [f"{bad}:2: {header} = '{value}': {allowed}"]
