"""``salesim fit VISITS.csv [CALLS.csv]``: a scenario fitted to the office's own records.

For each day type in the register it writes ``OUT/fitted_<day type>.yaml``, the plot
``OUT/fit_<day type>.png`` (fitted vs observed) and ``OUT/fit_report.json``, and prints every
estimate with its 95% interval, the distribution candidates by AIC with their KS tests, and
the back-test (the fitted scenario simulated and compared with the register's KPIs).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import numpy as np

from sim.cli.common import fail, main, reason
from sim.cli.init import scenario_yaml
from sim.core.atomic import write_text
from sim.core.clock import format_clock
from sim.fit.backtest import REGISTER_KPIS, KpiCheck, backtest
from sim.fit.distfit import Choice
from sim.fit.estimate import DayTypeFit, Value, fit_day_type, scenario_data
from sim.fit.register import FitError, LoggedCall, Visit, read_calls, read_visits
from sim.scenario import ScenarioError, validate_scenario


def _v(v: Value, digits: int = 2) -> str:
    return f"{v.value:.{digits}f} [{v.low:.{digits}f}, {v.high:.{digits}f}]"


def _print_fit(f: DayTypeFit) -> None:
    click.echo(
        f"\n== {f.day_type}: {f.days} 天 days, {format_clock(f.open)}–{format_clock(f.close)}"
    )
    rates = "  ".join(f"{format_clock(h)} {v.value:.2f}±{v.half_width:.2f}" for h, v in f.walk_in)
    click.echo(f"自然来访 组/小时 walk-ins per hour: {rates}")
    click.echo(f"预约来访 组/天 booked a day: {_v(f.booked_per_day)}")
    sizes = "  ".join(f"{s}人 {_v(v, 3)}" for s, v in f.group_size.items())
    click.echo(f"每组人数 group size: {sizes}")
    click.echo(
        f"老客户比例 returning share: {_v(f.returning, 3)}   "
        f"非销售比例 non-sales share: {_v(f.non_sales, 3)}   顾问 reps: {len(f.reps)}"
    )
    _print_choice("接待时长 reception", f.reception)
    if f.call_duration is not None:
        calls = "  ".join(f"{format_clock(h)} {v.value:.2f}" for h, v in f.calls)
        click.echo(f"来电 通/小时 calls per hour: {calls}")
        _print_choice("通话时长 call duration", f.call_duration)


def _print_choice(what: str, c: Choice) -> None:
    click.echo(
        f"{what} (n={c.n}, 均值 mean {c.sample_mean:.2f}, 标准差 sd {c.sample_sd:.2f}) "
        "— 按 AIC 选择 chosen by AIC (smallest):"
    )
    for fit in c.fits:
        mark = "→" if fit is c.best else " "
        click.echo(
            f"  {mark} {fit.kind:<11} AIC {fit.aic:9.1f}  KS D={fit.ks_stat:.3f} "
            f"p={fit.ks_p:.3f}  {fit.spec()}"
        )
    for name, (lo, hi) in c.intervals.items():
        click.echo(f"    {name}: {c.best.params[name]:.2f}  95% bootstrap [{lo:.2f}, {hi:.2f}]")


def _print_backtest(checks: list[KpiCheck]) -> None:
    click.echo("回测 Back-test (模拟-观测 simulated - observed, Welch 95%):")
    labels = {k: f"{zh} {en}" for k, zh, en, _ in REGISTER_KPIS}
    for c in checks:
        verdict = "通过 ok" if c.ok else "偏离 OFF"
        click.echo(
            f"  {labels[c.key]:<28} 观测 observed {c.observed.mean:8.3f} "
            f"[{c.observed.low:.3f}, {c.observed.high:.3f}]  模拟 simulated "
            f"{c.simulated.mean:8.3f}  差 diff [{c.diff_low:+.3f}, {c.diff_high:+.3f}]  {verdict}"
        )


def _report(f: DayTypeFit, checks: list[KpiCheck]) -> dict[str, Any]:
    def val(v: Value) -> dict[str, float]:
        return {"value": v.value, "low": v.low, "high": v.high}

    def choice(c: Choice) -> dict[str, Any]:
        return {
            "criterion": "AIC",
            "chosen": c.best.spec(),
            "intervals": c.intervals,
            "candidates": [
                {
                    "kind": x.kind,
                    "params": x.params,
                    "aic": x.aic,
                    "ks_stat": x.ks_stat,
                    "ks_p": x.ks_p,
                }
                for x in c.fits
            ],
        }

    return {
        "days": f.days,
        "walk_in_per_hour": {format_clock(h): val(v) for h, v in f.walk_in},
        "booked_per_day": val(f.booked_per_day),
        "group_size": {str(s): val(v) for s, v in f.group_size.items()},
        "returning_share": val(f.returning),
        "non_sales_share": val(f.non_sales),
        "reps": list(f.reps),
        "reception_min": choice(f.reception),
        "call_duration_min": choice(f.call_duration) if f.call_duration else None,
        "backtest": [
            {
                "kpi": c.key,
                "observed": c.observed.mean,
                "simulated": c.simulated.mean,
                "diff_low": c.diff_low,
                "diff_high": c.diff_high,
                "ok": c.ok,
            }
            for c in checks
        ],
    }


def _read(visits: str, calls: str | None) -> tuple[list[Visit], list[LoggedCall]]:
    try:
        return read_visits(visits), read_calls(calls) if calls else []
    except FitError as exc:
        fail(exc.lines)


@main.command("fit")
@click.argument("visits", metavar="VISITS.csv")
@click.argument("calls", metavar="[CALLS.csv]", required=False)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("fitted"),
    show_default=True,
    help="输出目录：校准后的情景、图与报告 folder for the fitted scenarios, plots and report",
)
@click.option(
    "--backtest-days",
    type=click.IntRange(min=0),
    default=40,
    show_default=True,
    help="回测每种日类型的仿真天数，0 为不回测 simulated days per day type for the back-test "
    "(0: none)",
)
@click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True,
              help="随机种子 root seed of the back-test")
def fit_command(visits: str, calls: str | None, out: Path, backtest_days: int, seed: int) -> None:
    """由来访登记（及来电登记）校准情景 Fit a scenario to a visit register (and call log)."""
    from sim.fit.plot import write_fit_plot

    register, call_log = _read(visits, calls)
    report: dict[str, Any] = {"visits": visits, "calls": calls, "day_types": {}}
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"--out {out}: 无法写入 cannot write ({reason(exc)})")
    for day_type in sorted({v.day_type for v in register}):
        try:
            fit = fit_day_type(register, call_log, day_type, seed)
            scenario = validate_scenario(scenario_data(fit, f"fitted_{day_type}"), visits)
        except (ValueError, ScenarioError) as exc:
            fail(exc.lines if isinstance(exc, ScenarioError) else f"{visits}: {day_type}: {exc}")
        _print_fit(fit)
        checks = backtest(scenario, register, backtest_days, seed) if backtest_days > 1 else []
        if checks:
            _print_backtest(checks)
        served = np.array(
            [v.reception_min for v in register if v.day_type == day_type and v.outcome == "served"]
        )
        write_text(out / f"fitted_{day_type}.yaml", scenario_yaml(scenario, "salesim fit"))
        write_fit_plot(fit, served[np.isfinite(served) & (served > 0)], out / f"fit_{day_type}.png")
        report["day_types"][day_type] = _report(fit, checks)
    text = json.dumps(report, ensure_ascii=False, indent=2, default=lambda x: None)
    write_text(out / "fit_report.json", text)
    click.echo(f"\n已写出 Written: {out}/fitted_*.yaml, fit_*.png, fit_report.json")
