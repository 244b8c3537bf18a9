"""The package's shape, kept by tests (issue 11, items 7 and 8).

- The public API (:mod:`sim`): every name in ``sim.__all__`` resolves, lazily, to the object
  its ``TYPE_CHECKING`` import names; the docstring and docs/api.md list exactly these names;
  importing a submodule does not load the rest of the package through the root.
- Scripts (``experiments/``, ``benchmarks/``) import from ``sim`` only names in ``sim.__all__``.
- No two classes defined at module level in ``sim/`` share a name.
- No module imports another module's ``_private`` name.

Each scan is a function of source files, and each is also run on a small bad example, so a
check that stopped finding anything would fail here.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sim"
SCRIPTS = sorted([*(ROOT / "experiments").glob("*.py"), *(ROOT / "benchmarks").glob("*.py")])
ALL_SOURCES = sorted(p for d in ("sim", "tests", "benchmarks", "experiments")
                     for p in (ROOT / d).rglob("*.py"))  # fmt: skip


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _where(path: Path, node: ast.AST) -> str:
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return f"{shown}:{getattr(node, 'lineno', 0)}"


# -- the public API --------------------------------------------------------------------------


def type_checking_imports(path: Path) -> dict[str, str]:
    """Name -> module of the imports under ``if TYPE_CHECKING:`` in ``path``."""
    out: dict[str, str] = {}
    for node in _tree(path).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.module, ast.unparse(imp)
                out.update({a.asname or a.name: imp.module for a in imp.names})
    return out


def listed_names(text: str) -> list[str]:
    """The names listed one per line, indented four spaces, in a docstring or Markdown list
    (``    Name   what it is`` or ``- `Name` ...``)."""
    doc = re.findall(r"^ {4}([A-Za-z_]\w*) {2,}\S", text, flags=re.M)
    md = re.findall(r"^- `([A-Za-z_]\w*)`", text, flags=re.M)
    return doc + md


def lazy_modules(path: Path) -> dict[str, str]:
    """Name -> module of the lazy-import table (``_MODULES``, module -> names) in ``path``."""
    for node in _tree(path).body:
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "_MODULES":
            assert node.value is not None
            table: dict[str, tuple[str, ...]] = ast.literal_eval(node.value)
            return {name: module for module, names in table.items() for name in names}
    raise AssertionError(f"{path}: no _MODULES table")


def test_every_public_name_resolves_to_its_declared_object() -> None:
    init = PACKAGE / "__init__.py"
    declared = type_checking_imports(init)
    assert sorted(declared) == sorted(sim.__all__), "TYPE_CHECKING imports and __all__ differ"
    assert len(set(sim.__all__)) == len(sim.__all__), "a name is listed twice in __all__"
    assert lazy_modules(init) == declared, "the lazy imports and the TYPE_CHECKING imports differ"
    for name in sim.__all__:
        obj = getattr(sim, name)
        assert obj is getattr(importlib.import_module(declared[name]), name), name
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert obj.__module__ == declared[name], f"sim.{name} is defined elsewhere"
    assert set(sim.__all__) <= set(dir(sim))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        sim.not_a_name  # type: ignore[attr-defined]  # noqa: B018
    from sim import core  # a subpackage still imports through the AttributeError fallback

    assert core.__name__ == "sim.core"


def test_the_docstring_and_docs_api_list_the_public_names() -> None:
    assert sorted(listed_names(sim.__doc__ or "")) == sorted(sim.__all__)
    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert sorted(listed_names(api)) == sorted(sim.__all__)


def test_listed_names_reads_both_formats() -> None:
    text = "Intro\n    run                   many replications\n- `size` the fewest\n"
    assert listed_names(text) == ["run", "size"]


def _loaded_after(statement: str) -> list[str]:
    code = f"import json, sys; {statement}; print(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)  # fmt: skip
    loaded: list[str] = json.loads(out.stdout)
    return loaded


@pytest.mark.parametrize(
    ("statement", "allowed"),
    [("import sim", ("sim",)), ("import sim.core.clock", ("sim", "sim.core", "sim.core.clock"))],
)
def test_importing_a_module_does_not_load_the_package(
    statement: str, allowed: tuple[str, ...]
) -> None:
    loaded = _loaded_after(statement)
    assert [m for m in loaded if m.split(".")[0] == "sim" and m not in allowed] == []
    heavy = ("numpy", "pydantic", "simpy", "yaml", "matplotlib", "dask", "rich")
    assert [m for m in heavy if m in loaded] == []


def test_a_public_name_loads_only_what_it_needs() -> None:
    loaded = _loaded_after("from sim import format_clock")
    assert "sim.experiment.runner" not in loaded and "numpy" not in loaded


def test_validating_a_scenario_loads_no_parser_and_no_hint_library() -> None:
    """The M/M/c path (issue 17 item 5): data validated without PyYAML or difflib, which
    are imported only to read a file or to suggest a name after a mistake."""
    loaded = _loaded_after("from sim import validate_scenario, Scenario")
    assert [m for m in ("yaml", "difflib") if m in loaded] == []


def test_scenario_models_build_their_validators_on_first_use() -> None:
    code = ("from sim.scenario.schema import Scenario; from sim.scenario.event import Event; "
            "print(Scenario.__pydantic_complete__, Event.__pydantic_complete__)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    assert out.stdout.split() == ["False", "False"]


# -- scripts use the public API only -------------------------------------------------------------


def private_api_uses(path: Path, public: Iterable[str]) -> Iterator[str]:
    """Where ``path`` imports from ``sim`` a name outside ``public``, imports a ``sim``
    submodule, or uses ``sim.<name>`` outside ``public``."""
    allowed = set(public)
    tree = _tree(path)
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "sim":
            if node.module != "sim":
                yield f"{_where(path, node)}: from {node.module} import ..."
            for a in node.names:
                if node.module == "sim" and a.name not in allowed:
                    yield f"{_where(path, node)}: from sim import {a.name} (not in sim.__all__)"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "sim":
                    aliases.add(a.asname or "sim")
                elif a.name.startswith("sim."):
                    yield f"{_where(path, node)}: import {a.name}"
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
            continue
        if node.value.id in aliases and node.attr not in allowed:
            yield f"{_where(path, node)}: sim.{node.attr} (not in sim.__all__)"


def test_scripts_import_only_the_public_api() -> None:
    assert len(SCRIPTS) >= 6
    found = [v for path in SCRIPTS for v in private_api_uses(path, sim.__all__)]
    assert found == []


def test_private_api_uses_finds_each_kind(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(
        "import sim\nimport sim.cli.compare\nfrom sim import run, BY_KEY\n"
        "from sim.report.fmt import fmt\nsim.run\nsim.write_outputs\n",
        encoding="utf-8",
    )
    found = list(private_api_uses(script, ["run"]))
    assert [f.split(": ", 1)[1] for f in found] == [
        "import sim.cli.compare",
        "from sim import BY_KEY (not in sim.__all__)",
        "from sim.report.fmt import ...",
        "sim.write_outputs (not in sim.__all__)",
    ]


# -- class names -----------------------------------------------------------------------------


def module_level_classes(path: Path) -> Iterator[tuple[str, str]]:
    """``(class name, where)`` for classes defined at module level (also under ``if``/``try``)."""
    todo: list[ast.stmt] = list(_tree(path).body)
    while todo:
        node = todo.pop(0)
        if isinstance(node, ast.ClassDef):
            yield node.name, _where(path, node)
        elif isinstance(node, ast.If | ast.Try):
            todo.extend([*node.body, *node.orelse, *getattr(node, "finalbody", [])])


def shared_class_names(paths: Iterable[Path]) -> dict[str, list[str]]:
    """Class names defined at module level in more than one place, with where."""
    where: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        for name, at in module_level_classes(path):
            where[name].append(at)
    return {name: places for name, places in where.items() if len(places) > 1}


def test_no_two_classes_share_a_name() -> None:
    assert shared_class_names(sorted(PACKAGE.rglob("*.py"))) == {}


def test_shared_class_names_finds_a_clash(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("class Target:\n    pass\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("if True:\n    class Target:\n        pass\n", encoding="utf-8")
    assert list(shared_class_names(sorted(tmp_path.glob("*.py")))) == ["Target"]


# -- private names ---------------------------------------------------------------------------


def private_imports(path: Path) -> Iterator[str]:
    """Where ``path`` imports a ``_private`` name (not a ``__dunder__``) from a ``sim`` module."""
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "sim":
            for a in node.names:
                private = a.name.startswith("_") and not a.name.endswith("__")
                if private:
                    yield f"{_where(path, node)}: from {node.module} import {a.name}"


def test_no_module_imports_another_modules_private_names() -> None:
    assert [v for path in sorted(ALL_SOURCES) for v in private_imports(path)] == []


def test_private_imports_finds_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from sim.scenario.loader import _Loader, derive\n"
                   "from sim import __doc__\n", encoding="utf-8")  # fmt: skip
    assert [f.split(": ", 1)[1] for f in private_imports(bad)] == [
        "from sim.scenario.loader import _Loader"
    ]


# Function-level imports of the package's own modules are only for deferring heavy
# third-party libraries (matplotlib, fontTools, openpyxl: plots, HTML pages, workbooks) or,
# listed with a reason, own modules a simulated day does not need (LAZY_FOR_MEMORY);
# never to dodge an import cycle (import-linter's contracts forbid cycles anyway).
LAZY_FOR_SPEED = {
    "sim.report.html", "sim.report.plots", "sim.report.sizing_plots", "sim.fee.workbook",
    "sim.fee.fee_html", "sim.report.export", "sim.scenario.xlsx.read", "sim.scenario.xlsx.write",
    "sim.fit.plot", "sim.experiment.frames", "sim.report.plot_pool",
}  # fmt: skip
LAZY_FOR_MEMORY: dict[str, str] = {
    "sim.event.day": "the event-day model, imported by simulate_day only for a scenario with "
    "an event: an office day never loads sim.event nor, through it, the KPI catalogue",
    "sim.domain.kpis": "the KPI catalogue, imported by the scenario only to check a sizing "
    "target's KPI name: a scenario without targets, and a day, never load it",
    "sim.scenario.messages": "the validation error messages, imported by the loader only after "
    "a mistake: a valid scenario never loads them",
}
"""Own modules imported inside a function to keep them off the M/M/c path (issue 17 item 5:
the whole-process memory of a day), each with its reason; tests/test_import_footprint.py
checks that the path indeed does without them."""


def function_level_sim_imports(path: Path) -> Iterator[str]:
    """``file:line module`` of each ``from sim... import`` inside a function body."""
    for func in ast.walk(_tree(path)):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sim"):
                yield f"{_where(path, node)} {node.module}"


def test_function_level_imports_only_defer_heavy_libraries() -> None:
    found = [hit for p in sorted(PACKAGE.rglob("*.py")) for hit in function_level_sim_imports(p)]
    allowed = LAZY_FOR_SPEED | set(LAZY_FOR_MEMORY)
    assert [hit for hit in found if hit.split()[-1] not in allowed] == []


def test_function_level_sim_imports_finds_one(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from sim.domain.kpis import BY_KEY\n    return BY_KEY\n")
    assert [hit.split()[-1] for hit in function_level_sim_imports(module)] == ["sim.domain.kpis"]


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    """``salesim --help`` must not pay for plotting, fonts, Excel or the model (issue 17)."""
    heavy = "('matplotlib', 'fontTools', 'openpyxl', 'scipy', 'numpy', 'pydantic', 'simpy')"
    code = ("import sys, sim.cli; sim.cli.main(['--help'], standalone_mode=False);"
            f" print(sorted(m for m in {heavy} if m in sys.modules), file=sys.stderr)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT, timeout=120)  # fmt: skip
    assert "命令 Commands" in done.stdout
    assert done.stderr.strip() == "[]"


MAX_LINES = 420
"""A module of ``sim/`` stays small (the project's standard: about 400 lines)."""
LONG_FOR_A_REASON: dict[str, str] = {}
"""Modules allowed past :data:`MAX_LINES`, each with its reason."""


def long_modules(root: Path, limit: int) -> list[str]:
    """``path: lines`` of every module under ``root`` longer than ``limit`` lines."""
    out = []
    for path in sorted(root.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            out.append(f"{path.relative_to(root.parent).as_posix()}: {lines}")
    return out


def test_no_module_of_sim_is_long_without_a_reason() -> None:
    long = [hit for hit in long_modules(PACKAGE, MAX_LINES)
            if hit.split(":")[0] not in LONG_FOR_A_REASON]  # fmt: skip
    assert long == []


def test_long_modules_finds_one(tmp_path: Path) -> None:
    pkg = tmp_path / "sim"
    pkg.mkdir()
    (pkg / "short.py").write_text("x = 1\n" * 10)
    (pkg / "long.py").write_text("x = 1\n" * 11)
    assert long_modules(pkg, 10) == ["sim/long.py: 11"]
