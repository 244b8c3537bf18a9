"""The ``salesim`` command line.

User mistakes (a bad scenario file, an unknown policy, an unwritable output folder) print one
clear line per problem on stderr and exit with code 2; they never show a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console

from sim.output import summary_dict, write_run
from sim.policies import UnknownPolicyError, known_policies, policy_class
from sim.report import print_kpis
from sim.runner import run
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.schema import Scenario


def fail(lines: list[str] | str) -> NoReturn:
    """Print the problem(s) and exit with code 2."""
    for line in [lines] if isinstance(lines, str) else lines:
        click.echo(f"salesim: {line}", err=True)
    sys.exit(2)


def load_or_fail(path: str, policy: str | None) -> Scenario:
    """The validated scenario, with the policy name checked too."""
    try:
        scenario = load_scenario(path)
        if policy is not None:
            policy_class(policy)
    except ScenarioError as exc:
        fail(exc.lines)
    except UnknownPolicyError as exc:
        fail(f"--policy: {exc}")
    return scenario


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="salesim")
def main() -> None:
    """Sales-office (售楼处/案场) staffing simulator."""


@main.command("run")
@click.argument("scenario", metavar="SCENARIO")
@click.option("-n", "--replications", type=click.IntRange(min=1), default=20, show_default=True,
              help="independent simulated days")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="root seed; same seed and scenario give identical results")
@click.option("--policy", default=None, help="rotation policy (default: the scenario's)")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True, help="folder for the run's tables")
@click.option("--json", "as_json", is_flag=True, help="print the summary as JSON, not a table")
def run_command(
    scenario: str, replications: int, seed: int, policy: str | None, out: Path, as_json: bool
) -> None:
    """Simulate SCENARIO (a YAML file) and print the KPI table with 95% confidence intervals."""
    sc = load_or_fail(scenario, policy)
    result = run(sc, replications=replications, seed=seed, policy=policy)
    try:
        folder = write_run(result, out)
    except OSError as exc:
        fail(f"--out {out}: cannot write results ({exc.strerror or exc})")
    if as_json:
        data = summary_dict(result) | {"output": str(folder)}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console = Console(width=None if sys.stdout.isatty() else 120)
    print_kpis(result, console)
    console.print(f"表格已写入 tables written to: {folder}", soft_wrap=True)


@main.command("policies")
def policies_command() -> None:
    """List the rotation policies (轮序规则) by name."""
    for name in known_policies():
        cls = policy_class(name)
        click.echo(f"{name:24s} {cls.description}")


if __name__ == "__main__":  # pragma: no cover
    main()
