"""``salesim size --spread-seeds K``: the same sizing with K search seeds, and per post and
block the fewest and most people across them (issue 19 item 3), in the terminal and in
``spread.json``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from sim.core.atomic import write_text
from sim.event_sizing import SizingResult
from sim.event_sizing.output import block_labels
from sim.event_sizing.spread import Spread, seed_spread

SPREAD_FILE = "spread.json"


def size_spread(result: SizingResult, k: int, size_seed: Callable[[int], SizingResult],
                ) -> Spread:  # fmt: skip
    """``result`` (seed S) and ``k - 1`` more sizings with seeds S+1 … S+k-1."""
    seeds = [result.seed + i for i in range(k)]
    plans = [result.counts] + [size_seed(s).counts for s in seeds[1:]]
    return seed_spread(seeds, plans)


def spread_table(result: SizingResult, spread: Spread) -> Table:
    """Per post and block 'min–max' (one number when every seed agrees)."""
    labels = [label for label, _, _ in block_labels(result.problem.edges)]
    table = Table(title=f"跨种子波动 spread across search seeds {list(spread.seeds)}: 最少–最多 "
                        f"min–max people (widest {spread.widest})")  # fmt: skip
    table.add_column("岗位 post")
    for label in labels:
        table.add_column(label, justify="right")
    for post, row in spread.ranges.items():
        table.add_row(post, *[str(lo) if lo == hi else f"{lo}–{hi}" for lo, hi in row])
    return table


def write_spread(result: SizingResult, spread: Spread, out: Path) -> Path:
    """``spread.json``: seeds, blocks and per post the ``[min, max]`` of each block."""
    labels = [label for label, _, _ in block_labels(result.problem.edges)]
    data = {"seeds": list(spread.seeds), "blocks": labels, "widest": spread.widest,
            "posts": {p: [list(r) for r in row] for p, row in spread.ranges.items()}}
    path = out / SPREAD_FILE
    write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return path


def report_spread(result: SizingResult, k: int, size_seed: Callable[[int], SizingResult],
                  out: Path, console: Console) -> Path:  # fmt: skip
    """Size with the other seeds, print the spread table, write ``spread.json``."""
    spread = size_spread(result, k, size_seed)
    console.print(spread_table(result, spread))
    return write_spread(result, spread, out)
