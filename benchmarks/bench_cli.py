"""Start-up of the command line: ``salesim --help`` against ``python -c 'import simpy'``.

Both are whole processes started from this interpreter's virtual environment, run back to back
in every repeat with the order alternating, so the machine's noise hits both alike. Printed: the
median of each and the median of the per-repeat ratios, against the target of issue 17 (≤ 5×).

    .venv/bin/python benchmarks/bench_cli.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import verdict, versions

ROOT = Path(__file__).resolve().parent.parent
TARGET = 5.0

COMMANDS = {
    "import simpy": [sys.executable, "-c", "import simpy"],
    "salesim --help": [sys.executable, "-m", "sim.cli", "--help"],
}


def wall(command: list[str]) -> float:
    """Seconds from start to exit of one process (output discarded)."""
    t0 = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    """Time both commands interleaved and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    repeats = parser.parse_args().repeats
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


if __name__ == "__main__":
    main()
