"""Fuzzing the input files and the command line (issue 18 item 1).

Hypothesis mutates valid inputs — the office and event scenarios, the rate card, the sizing
file — by replacing, deleting or adding fields with hostile values (enormous counts and
rates, NaN and infinity, negative numbers, control characters, formula text, deep nesting,
wrong types), and draws command lines of ``run``, ``compare``, ``size``, ``fee`` and
``results`` with hostile option values. Whatever the input, the command must end within
:data:`BOUND_S` seconds with exit code 0 (a result) or 2 (one clear ``salesim:`` line, or
click's ``Error:`` line for a malformed option), and never with a traceback.

The CI profile is fixed and derandomized (:data:`EXAMPLES` examples per format); the
``slow`` tests run :data:`SLOW_FACTOR` times as many.
"""

from __future__ import annotations

import copy
import json
import math
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sim.cli import main
from tests.helpers import ROOT

BOUND_S = 90
"""The longest any fuzzed command may take (a loaded CI machine; cases take about a second)."""
EXAMPLES = 20
SLOW_FACTOR = 10

OFFICE = yaml.safe_load((ROOT / "scenarios" / "weekday.yaml").read_text(encoding="utf-8"))
EVENT = yaml.safe_load((ROOT / "tests" / "fixtures" / "bad" / "_base_event.yaml")
                       .read_text(encoding="utf-8"))  # fmt: skip
CARD = yaml.safe_load((ROOT / "ratecards" / "example_yancheng.yaml").read_text(encoding="utf-8"))
SIZING = json.loads((ROOT / "tests" / "fixtures" / "sizing_launch_day.json")
                    .read_text(encoding="utf-8"))  # fmt: skip


def _deep(levels: int) -> Any:
    node: Any = 1
    for _ in range(levels):
        node = [node]
    return node


HOSTILE: list[Any] = [
    0, 1, -1, 2, 7, 10**6, 10**9, 10**18, 2**63, -(10**12), 0.5, -0.001, 1e300, -1e300,
    math.inf, -math.inf, math.nan, 1e-300, True, False, None, "", " ", "0", "1e9", "abc",
    "=HYPERLINK(\"http://x\",\"x\")", "+1", "-1", "@SUM(1)", "a\x00b", "\x1b[31m", "名字",
    "x" * 5000, "25:00", "09:00", "24:00", "-01:00", "../../etc", [], {}, [1, 2], {"a": 1},
    _deep(60), {"dist": "exponential", "mean": 1e12}, {"dist": "fixed", "value": 1e9},
    [{"from": "09:00", "rate": 1e8}],
]  # fmt: skip


def _paths(node: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key and item path of a parsed document (containers included)."""
    yield at
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(
        node, list) else ()  # fmt: skip
    for key, value in items:
        yield from _paths(value, (*at, key))


def _apply(doc: Any, path: tuple[Any, ...], op: str, value: Any) -> Any:
    if not path:
        return value if op == "replace" else doc
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if op == "replace":
        parent[last] = value
    elif op == "delete":
        del parent[last]
    elif op == "add" and isinstance(parent, dict):
        parent[f"{last}_extra"] = value
    elif op == "add" and isinstance(parent, list):
        parent.append(value)
    return doc


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> Any:
    """``base`` with one to three hostile edits."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(doc))
        path = draw(st.sampled_from(paths[1:] or paths))
        op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
        doc = _apply(doc, path, op, copy.deepcopy(draw(st.sampled_from(HOSTILE))))
    return doc


class Hang(Exception):
    """The command ran past :data:`BOUND_S`."""


@contextmanager
def bounded(seconds: int) -> Iterator[None]:
    """Raise :class:`Hang` if the block runs longer than ``seconds`` (SIGALRM)."""

    def ring(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _dump(doc: Any, path: Path) -> None:
    if path.suffix == ".json":
        text = json.dumps(doc, ensure_ascii=False, allow_nan=True)
    else:
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")


def invoke(args: list[str]) -> tuple[Result, float]:
    start = time.monotonic()
    with bounded(BOUND_S):
        result = CliRunner().invoke(main, args)
    return result, time.monotonic() - start


def check(result: Result, args: list[str]) -> None:
    """Exit 0, or exit 2 with a clear line; never a traceback."""
    shown = f"{args}\n{result.output}"
    if isinstance(result.exception, Hang):
        raise AssertionError(f"no end within {BOUND_S} s: {shown}")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback for {shown}") from result.exception
    assert "Traceback" not in result.output, shown
    assert result.exit_code in (0, 2), shown
    if result.exit_code == 2:
        lines = result.output.splitlines()
        assert any(line.startswith(("salesim: ", "错误 Error: ")) for line in lines), shown


def run_case(args: list[str]) -> None:
    result, seconds = invoke(args)
    check(result, args)
    assert seconds < BOUND_S


def fuzz(examples: int) -> Any:
    # no explain phase: its line tracing slows a real run (plots) many times over
    phases = [p for p in Phase if p is not Phase.explain]
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck), phases=phases)  # fmt: skip


def _scenario_case(doc: Any) -> None:
    with tempfile.TemporaryDirectory(prefix="salesim-fuzz-") as tmp:
        path = Path(tmp) / "scenario.yaml"
        _dump(doc, path)
        run_case(["run", str(path), "-n", "1", "-w", "1", "--out", str(Path(tmp) / "out")])


def _fee_case(card: Any, sizing: Any) -> None:
    with tempfile.TemporaryDirectory(prefix="salesim-fuzz-") as tmp:
        rates, sized = Path(tmp) / "card.yaml", Path(tmp) / "sizing.json"
        _dump(card, rates)
        _dump(sizing, sized)
        run_case(["fee", str(ROOT / "scenarios" / "weekday.yaml"), "--rates", str(rates),
                  "--sizing", str(sized), "--out", str(Path(tmp) / "out")])  # fmt: skip


FEE_INPUTS = st.one_of(st.tuples(mutated(CARD), st.just(SIZING)),
                       st.tuples(st.just(CARD), mutated(SIZING)))  # fmt: skip
"""A mutated rate card with a valid sizing file, or the other way round."""


def _fee_pair(pair: tuple[Any, Any]) -> None:
    _fee_case(*pair)


NUMBERS = ["0", "1", "-1", "2", "abc", "", "1e9", "20000", "10000000000000000000000", "3.5"]
OPTIONS: dict[str, dict[str, list[str]]] = {
    "run": {"-n": NUMBERS, "--seed": NUMBERS, "-w": ["0", "1", "100000", "x"],
            "--policy": ["longfor", "nope", "", "=1"], "--target": ["wait_rep_mean=0.5",
            "x=1", "=", "wait_rep_mean=-1", "wait_rep_mean=1e-300"],
            "--max-replications": NUMBERS, "--scheduler": ["tcp://127.0.0.1:1", "x"]},
    "compare": {"-n": NUMBERS, "--seed": NUMBERS, "--policy": ["longfor", "nope"],
                "--vary": ["reps=1,2", "reps=", "x.y=1", "reps=1e9", "vip_rooms.count=a",
                           "arrivals.walk_in[0].rate=100000000", "reps=" + ",".join("1" * 50)]},
    "size": {"-n": NUMBERS, "--validate-days": NUMBERS, "--blocks": ["0h", "1e9h", "-1", "x"],
             "--confidence": ["2", "0.5", "nan"], "--mode": ["x"], "-w": ["100000", "0"],
             "--target": ["x<=1", "sign_in_wait_p90<=-1", "<="]},
    "fee": {"--area": ["hall=-1", "hall=1e300", "x=1", "hall=nan"], "--basis": ["areas", "x"],
            "--product-type": ["villa", "nope", ""], "--rates": ["/nonexistent.yaml"],
            "--sizing": ["/nonexistent.json", str(ROOT / "README.md")]},
    "results": {"--format": ["pdf", "csv"], "--to": ["/dev/null/x"]},
}  # fmt: skip
SCENARIO_OF = {"run": "weekday.yaml", "compare": "weekday.yaml", "size": "site_open_day.yaml",
               "fee": "weekday.yaml"}  # fmt: skip
EXPENSIVE = {("size", "-n"), ("size", "--validate-days")}


@st.composite
def command_lines(draw: st.DrawFn, out: str) -> list[str]:
    """A subcommand with one to three hostile options; options that would start real work
    are drawn so that the work is small or refused (a valid ``size`` search is left out)."""
    name = draw(st.sampled_from(sorted(OPTIONS)))
    options = OPTIONS[name]
    chosen = draw(st.lists(st.sampled_from(sorted(options)), min_size=1, max_size=3,
                           unique=True))  # fmt: skip
    args = [name]
    if name == "results":
        args += ["export", draw(st.sampled_from(["abc", "", "%"]))]
    else:
        args.append(str(ROOT / "scenarios" / SCENARIO_OF[name]))
    for option in chosen:
        args += [option, draw(st.sampled_from(options[option]))]
    if name == "size" and not any(a in ("-n", "--validate-days") for a in chosen):
        args += ["-n", "20000"]  # a real search takes minutes: keep size on the refusals
    if name in ("run", "compare") and "-n" not in chosen:
        args += ["-n", "2"]
    return [*args, "--out", out]


def test_fuzz_office_scenarios() -> None:
    """Mutated office scenarios under ``salesim run``: a result or exit 2, in bounded time."""
    fuzz(EXAMPLES)(given(doc=mutated(OFFICE))(_scenario_case))()


def test_fuzz_event_scenarios() -> None:
    """Mutated event scenarios (launch / open days) under ``salesim run``."""
    fuzz(EXAMPLES)(given(doc=mutated(EVENT))(_scenario_case))()


def test_fuzz_rate_cards_and_sizing_files() -> None:
    """Mutated rate cards and sizing files under ``salesim fee``."""
    fuzz(EXAMPLES)(given(pair=FEE_INPUTS)(_fee_pair))()


def test_fuzz_command_lines(tmp_path: Path) -> None:
    """Hostile option values of every subcommand."""

    def case(args: list[str]) -> None:
        run_case(args)

    fuzz(EXAMPLES)(given(args=command_lines(str(tmp_path / "out")))(case))()


@pytest.mark.slow
@pytest.mark.parametrize("which", ["office", "event", "fee", "cli"])
def test_fuzz_longer(which: str, tmp_path: Path) -> None:
    """The same fuzzing with :data:`SLOW_FACTOR` times the examples."""
    n = EXAMPLES * SLOW_FACTOR
    if which == "office":
        fuzz(n)(given(doc=mutated(OFFICE))(_scenario_case))()
    elif which == "event":
        fuzz(n)(given(doc=mutated(EVENT))(_scenario_case))()
    elif which == "fee":
        fuzz(n)(given(pair=FEE_INPUTS)(_fee_pair))()
    else:
        fuzz(n)(given(args=command_lines(str(tmp_path / "out")))(run_case))()
