"""Start-up of the command line: ``salesim --help`` against ``python -c 'import simpy'``; and
``salesim run weekend -n 20`` end to end against the code as it was when issue 17 was filed.

Both are whole processes started from this interpreter's virtual environment, run back to back
in every repeat with the order alternating, so the machine's noise hits both alike. Printed: the
median of each and the median of the per-repeat ratios, against the targets of issue 17 (--help
≤ 5× import simpy; ``run -n 20`` ≥ 2× faster than then).

The baseline of ``run -n 20`` is commit ``BASELINE`` (the last one before the issue-17 work: the
next one stops ``import sim.cli`` from loading matplotlib), extracted with ``git archive`` into a
temporary folder. Both run that commit's ``scenarios/weekend.yaml`` (today's file has fields the
old code refuses), each into a fresh ``--out`` folder, byte-compiled (:func:`byte_compile`) and
after one untimed run each (today's code then finds its font subset cached, as after any first
report; the old code had no cache).

    .venv/bin/python benchmarks/bench_cli.py [--repeats 15] [--run-repeats 5] [--run 0]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import verdict, versions

ROOT = Path(__file__).resolve().parent.parent
TARGET = 5.0
RUN_TARGET = 2.0  # issue 17 item 3: run -n 20 at least 2x faster end to end
BASELINE = "acb6c99"  # Merge branch 'event-posts': the commit before the issue-17 work

COMMANDS = {
    "import simpy": [sys.executable, "-c", "import simpy"],
    "salesim --help": [sys.executable, "-m", "sim.cli", "--help"],
}


def wall(command: list[str]) -> float:
    """Seconds from start to exit of one process (output discarded)."""
    t0 = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(root: Path, scenario: Path, replications: int) -> tuple[float, float]:
    """Wall and CPU seconds of ``salesim run SCENARIO -n N`` with the ``sim`` package of
    ``root``, into a fresh folder."""
    env = os.environ | {"PYTHONPATH": str(root)}
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "sim.cli", "run", str(scenario), "-n", str(replications),
               "--out", out]  # fmt: skip
        cpu, t0 = _children_cpu(), time.perf_counter()
        subprocess.run(cmd, cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - t0, _children_cpu() - cpu


def byte_compile(root: Path) -> None:
    """Compile ``root``'s ``sim`` package to bytecode, as installing a package does: where
    ``PYTHONDONTWRITEBYTECODE`` is set (as on some build machines) nothing else writes it,
    and every run would compile each module again; both trees are measured compiled."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "sim")], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def run_ratio(replications: int, repeats: int, rev: str) -> None:
    """``salesim run weekend -n N`` today against commit ``rev``, interleaved; print the ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "sim", "scenarios"],
                                 check=True, capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        scenario = old / "scenarios" / "weekend.yaml"
        roots = {f"commit {rev}": old, "today": ROOT}
        for root in roots.values():
            byte_compile(root)
            run_once(root, scenario, replications)  # untimed: caches and page cache warm
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in roots}
        for r in range(repeats):
            for name in list(roots) if r % 2 == 0 else list(roots)[::-1]:
                times[name].append(run_once(roots[name], scenario, replications))
    print(f"\n`salesim run weekend.yaml -n {replications}` end to end ({rev}'s weekend.yaml), "
          f"{repeats} interleaved repeats")  # fmt: skip
    for name, t in times.items():
        print(f"  {name:<16} median {statistics.median(w for w, _ in t):6.2f} s wall, "
              f"{statistics.median(c for _, c in t):6.2f} s CPU")  # fmt: skip
    then, now = times.values()
    wall = statistics.median(a[0] / b[0] for a, b in zip(then, now, strict=True))
    cpu = statistics.median(a[1] / b[1] for a, b in zip(then, now, strict=True))
    print(f"run -n {replications}: today {wall:.2f}x faster end to end than {rev} "
          f"(target >= {RUN_TARGET:.0f}x) {verdict(wall, RUN_TARGET)}; CPU {cpu:.2f}x less")


def main() -> None:
    """Time both commands interleaved and print the ratio; then the ``run -n 20`` ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--run", type=int, default=20, help="replications of the timed run "
                        "against the baseline (0: skip)")  # fmt: skip
    parser.add_argument("--run-repeats", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE, help="commit to compare run with")
    args = parser.parse_args()
    repeats = args.repeats
    print(f"CLI start-up ({versions('simpy', 'click')}), {repeats} interleaved repeats")
    names = list(COMMANDS)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(repeats):
        for name in names if r % 2 == 0 else names[::-1]:
            times[name].append(wall(COMMANDS[name]))
    for name in names:
        print(f"  {name:<16} median {statistics.median(times[name]) * 1000:7.1f} ms")
    ratios = [h / s for h, s in zip(times["salesim --help"], times["import simpy"], strict=True)]
    ratio = statistics.median(ratios)
    print(f"salesim --help / import simpy: {ratio:.2f}x (target <= {TARGET:.0f}x) "
          f"{verdict(ratio, TARGET, higher_is_better=False)}")  # fmt: skip
    if args.run:
        run_ratio(args.run, args.run_repeats, args.baseline)


if __name__ == "__main__":
    main()
