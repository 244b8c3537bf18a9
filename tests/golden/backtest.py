"""The golden back-test: exact output of fixed-seed runs, hashed.

``python -m tests.golden.backtest --update`` rewrites ``hashes.json`` after a deliberate change
of results (commit it on its own, saying why); ``tests/test_golden.py`` compares.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from click.testing import CliRunner

from sim.cli import main

ROOT = Path(__file__).resolve().parents[2]
HASHES = Path(__file__).with_name("hashes.json")
TABLES = ("visits.csv", "kpis_by_replication.csv", "summary.csv")
VOLATILE = ("seconds", "code_version")  # wall time and git commit: not results

# name -> (command line, files); the scenario path is relative to the checkout
CASES: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "weekday": (["run", "scenarios/weekday.yaml", "-n", "4", "--seed", "7", "-w", "1"], TABLES),
    "weekend": (["run", "scenarios/weekend.yaml", "-n", "4", "--seed", "11", "-w", "1"], TABLES),
    "launch_day": (
        ["run", "scenarios/launch_day_800.yaml", "-n", "3", "--seed", "3", "-w", "1"],
        ("kpis_by_replication.csv", "summary.csv"),
    ),
    "launch_day_size": (
        ["size", "scenarios/launch_day_800.yaml", "-n", "20", "--validate-days", "20",
         "--seed", "5", "-w", "1", "--no-plots"],
        ("sizing.json", "headcount.csv"),
    ),
}  # fmt: skip


def _digest(path: Path) -> str:
    data = path.read_bytes()
    if path.name == "sizing.json":
        doc = json.loads(data)
        for key in VOLATILE:
            doc.pop(key, None)
        doc["scenario"] = Path(doc["scenario"]).name  # the path as typed, not a result
        data = json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(data).hexdigest()


def run_case(name: str, out: Path) -> dict[str, str]:
    """Run one case into ``out`` and return ``{file: sha256}``."""
    args, files = CASES[name]
    args = [str(ROOT / a) if a.startswith("scenarios/") else a for a in args]
    result = CliRunner().invoke(main, [*args, "--out", str(out)])
    if result.exit_code != 0:
        raise RuntimeError(f"{name}: exit {result.exit_code}\n{result.output}")
    found = {f: next(out.rglob(f)) for f in files}
    return {f: _digest(p) for f, p in found.items()}


def expected() -> dict[str, dict[str, str]]:
    """The stored hashes."""
    return dict(json.loads(HASHES.read_text(encoding="utf-8")))


def update(workdir: Path) -> None:
    """Recompute and store every case's hashes."""
    table = {name: run_case(name, workdir / name) for name in CASES}
    HASHES.write_text(json.dumps(table, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python -m tests.golden.backtest --update")
    with tempfile.TemporaryDirectory() as tmp:
        update(Path(tmp))
    print(f"wrote {HASHES}")
