"""``salesim compare``: policies and scenario variants side by side, with paired differences.

Every variant runs with the same seed and replication indices (common random numbers); each KPI
is reported per variant with its 95% CI, and as the paired difference to the first variant
with its 95% CI and whether that interval excludes 0. The comparison CSV/JSON, the plots (PNG
and SVG) and a self-contained ``report.html`` are written to ``--out``
(:func:`sim.report.comparison.write_comparison`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import click
from rich.console import Console

from sim.cli.common import (
    allow_large_option,
    check_limits,
    display_options,
    fail,
    load_or_fail,
    main,
    open_store_or_fail,
    worker_lost,
)
from sim.core.atomic import all_or_nothing
from sim.core.names import folder_name
from sim.core.workers import WorkerLost
from sim.domain.results import DayStalled
from sim.experiment.pairing import compare
from sim.experiment.runner import RunResult, run
from sim.experiment.store import Store
from sim.experiment.studies import fingerprint, other_study, recorded, store_root
from sim.experiment.variants import Variant, VaryError, build_variants, parse_vary
from sim.policies import UnknownPolicyError, policy_class
from sim.report.answer import decide, shown_keys, top_keys, variant_size
from sim.report.compare_terminal import compare_answer
from sim.report.comparison import write_comparison
from sim.report.i18n import Lang, pick
from sim.report.names import display_name
from sim.report.targets import scenario_targets
from sim.scenario import ScenarioError
from sim.scenario.schema import Scenario


def make_variants(
    scenario: Scenario, policies: Sequence[str], varies: Sequence[str]
) -> list[Variant]:
    """The labelled variants, or exit 2 with one clear line per problem."""
    for name in policies:
        try:
            policy_class(name)
        except UnknownPolicyError as exc:
            fail(f"--policy: {exc}")
    try:
        return build_variants(scenario, policies, [parse_vary(v) for v in varies])
    except VaryError as exc:
        fail(str(exc))
    except ScenarioError as exc:
        fail(exc.lines)


def run_variants(
    variants: Sequence[Variant], replications: int, seed: int, store: Store | None = None
) -> list[RunResult]:
    """Run every variant with the same seed and replication indices (common random numbers);
    with ``store``, each variant-day is stored as it finishes and reused by a restart."""
    results = []
    for i, v in enumerate(variants, 1):
        if sys.stderr.isatty():
            click.echo(f"[{i}/{len(variants)}] {display_name(v.label)} …", err=True)
        results.append(run(v.scenario, replications=replications, seed=seed, policy=v.policy,
                           store=store))  # fmt: skip
    return results


def study_folder(out: Path | None, name: str, print_: str, overwrite: bool) -> Path:
    """Where the comparison goes: ``--out``, unless it holds an earlier, different study
    (exit 2 unless ``--overwrite``); by default a new dated folder, never an earlier one."""
    if out is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")  # local time: a planner's clock
        folder = Path("results") / f"compare-{folder_name(name)}-{stamp}"
        n = 1
        while folder.exists():
            n += 1
            folder = folder.with_name(f"compare-{folder_name(name)}-{stamp}-{n}")
        return folder
    earlier = None if overwrite else other_study(out, print_)
    if earlier is not None:
        fail(f"--out {out}: 该目录已有另一项研究，不覆盖 holds an earlier, different study "
             f"({earlier}); omit --out for a new dated folder, or add --overwrite")
    return out


@main.command("compare")
@click.argument("scenario", metavar="SCENARIO")
@click.option(
    "--policy",
    "policies",
    multiple=True,
    metavar="NAME",
    help="要比较的轮序规则，可重复给出 a rotation policy to compare; repeat for several  "
    "[默认 default: the scenario's]",
)
@click.option(
    "--vary",
    "varies",
    multiple=True,
    metavar="FIELD=V1,V2,...",
    help="情景字段及其取值，可重复组成网格 a scenario field (dotted path, e.g. "
    "vip_rooms.count=2,3,4 or reps=8,10) and the values to try; repeat for a grid",
)
@click.option(
    "-n",
    "--replications",
    type=click.IntRange(min=2),
    default=20,
    show_default=True,
    help="每个变体的重复次数（仿真天数，各变体相同） simulated days per variant (the same "
    "days for every variant)",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="随机种子，各变体共用（共同随机数） root seed shared by every variant (common "
    "random numbers)",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="输出目录 output folder  [默认 default: a new results/compare-<scenario>-<date> each "
    "time]",
)
@click.option("--overwrite", is_flag=True,
              help="覆盖 --out 中的早先研究 replace an earlier, different study in --out")
@click.option("--json", "as_json", is_flag=True,
              help="以 JSON 输出比较结果 print the comparison as JSON")
@display_options
@allow_large_option
def compare_command(
    scenario: str, policies: tuple[str, ...], varies: tuple[str, ...], replications: int,
    seed: int, out: Path | None, overwrite: bool, as_json: bool, show_all: bool, lang: Lang,
    allow_large: bool,
) -> None:  # fmt: skip
    """比较轮序规则与情景变体（配对95%置信区间）
    Compare policies and scenario variants of SCENARIO with paired 95% CIs.

    第一个变体为基准，其余各给出与它的配对差值；已完成的变体天数存入结果库，再次运行同一命令会复用。
    The first variant is the base: every other is reported as its paired difference to it.
    Variant-days are kept in the results store as they finish: the same command run again
    (after Ctrl-C, say) reuses them. Without --out each comparison gets a new dated folder.
    """
    sc = load_or_fail(scenario, None)
    variants = make_variants(sc, policies, varies)
    check_limits([v.scenario for v in variants], scenario, {"--replications": replications},
                 replications, allow_large)  # fmt: skip
    options = {"policies": list(policies), "varies": list(varies),
               "replications": replications, "seed": seed}  # fmt: skip
    folder = study_folder(out, sc.name, fingerprint("compare", scenario, options), overwrite)
    with open_store_or_fail(store_root(folder), create=True) as store, \
            recorded("compare", scenario, options, folder):  # fmt: skip
        try:
            results = run_variants(variants, replications, seed, store)
        except DayStalled as exc:
            fail(f"{scenario}: 模拟停滞 the simulated day stalled: {exc}")
        except KeyboardInterrupt:
            click.echo(f"salesim: 已中断 interrupted; finished variant-days are kept in "
                       f"{store.path}; run the same command again to resume", err=True)
            sys.exit(130)
        except WorkerLost as exc:
            worker_lost(exc, store.path)
        _report(sc, variants, results, folder, replications, seed, as_json, show_all, lang)


def _report(
    sc: Scenario, variants: Sequence[Variant], results: list[RunResult], folder: Path,
    replications: int, seed: int, as_json: bool, show_all: bool, lang: Lang,
) -> None:  # fmt: skip
    """Write the comparison's files and print its answer (or its JSON)."""
    comparison = compare(results, [v.label for v in variants])
    try:
        with all_or_nothing():  # every file of the comparison, or none of them
            data = write_comparison(folder, variants, results, comparison)
    except OSError as exc:
        fail(f"--out {folder}: 无法写入结果 cannot write results ({exc.strerror or exc})")
    if as_json:
        reused = sum(r.reused for r in results)
        click.echo(json.dumps(data | {"output": str(folder), "reused": reused},
                              ensure_ascii=False, indent=2))  # fmt: skip
        return
    console = Console(width=None if sys.stdout.isatty() else 80)
    base = display_name(comparison.base, lang)
    title = pick(lang, f"{sc.name} · {len(variants)} 个方案 · {replications} 次重复 · "
                       f"种子 {seed} · 基准「{base}」",
                 f"{sc.name} · {len(variants)} variants · {replications} replications · "
                 f"seed {seed} · base '{base}'")  # fmt: skip
    targets = scenario_targets(sc, comparison.estimates)
    verdict = decide(
        results, comparison.labels, targets, [variant_size(v.changes) for v in variants]
    )
    shown = shown_keys(results)
    keys = shown if show_all else top_keys(results, targets)
    console.print(compare_answer(comparison, verdict, keys, len(shown) - len(keys), title, lang))
    written = pick(lang, "比较结果已写入：", "comparison written to: ")
    console.print(f"{written}{folder} (report.html)", soft_wrap=True)
