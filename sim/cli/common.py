"""What every ``salesim`` subcommand shares: the command group, clean failures, loading.

The subcommands register on :data:`main` (:mod:`sim.cli.group`).
User mistakes (a bad scenario file, an unknown policy, an unwritable output folder) print one
clear line per problem on stderr and exit with code 2; they never show a traceback.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import NoReturn

import click

from sim.cli.group import main as main  # re-exported: subcommands register on it
from sim.experiment.store import DB_NAME, Store
from sim.policies import UnknownPolicyError, policy_class
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


def reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def open_store_or_fail(out: Path, create: bool = False) -> Store:
    """The results store of ``out``; exits with code 2 if it is missing or cannot be opened."""
    if not create and not (out / DB_NAME).is_file():
        fail(f"--out {out}: no results database ({DB_NAME}) here; run `salesim run` first")
    try:
        return Store.in_folder(out)
    except (OSError, sqlite3.Error) as exc:
        fail(f"--out {out}: cannot write results ({reason(exc)})")
