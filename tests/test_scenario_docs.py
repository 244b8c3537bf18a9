"""docs/scenario-reference.md is generated from the schema, up to date, and complete."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import yaml
from pydantic import TypeAdapter

from sim.core.distributions import KINDS, Distribution
from sim.core.schema import StrictModel
from sim.scenario import docs
from sim.scenario.loader import ScenarioYamlLoader
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "scenario-reference.md"


def _models(annotation: Any) -> list[type[StrictModel]]:
    if isinstance(annotation, type) and issubclass(annotation, StrictModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models(arg)]


def _fields(model: type[StrictModel], prefix: str = "") -> list[tuple[str, str]]:
    """``(path, description)`` of every field, sections included; list items as ``[]``."""
    out: list[tuple[str, str]] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{info.alias or name}"
        out.append((path, info.description or ""))
        inner = [m for m in _models(info.annotation) if m not in KINDS.values()]
        if inner:
            items = "[]" if get_origin(info.annotation) is tuple else ""
            out += _fields(inner[0], f"{path}{items}.")
    return out


def _kind_section(text: str, kind: str) -> str:
    start = text.index(f"### `{kind}`")
    end = text.find("### `", start + 1)
    return text[start : end if end > 0 else len(text)]


def test_committed_page_is_up_to_date() -> None:
    assert PAGE.read_text(encoding="utf-8") == docs.render(), (
        "docs/scenario-reference.md is stale: run  python -m sim.scenario.docs"
    )


def test_every_field_is_documented_with_its_description() -> None:
    text = PAGE.read_text(encoding="utf-8")
    fields = _fields(Scenario)
    assert len(fields) > 50
    for path, description in fields:
        assert f"| `{path}` |" in text, f"{path} is not in the reference"
        assert description, f"{path} has no description in the schema"
        assert description.replace("|", "\\|") in text, path


def test_every_distribution_kind_and_parameter_is_documented() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for kind, model in KINDS.items():
        section = _kind_section(text, kind)
        assert model.__doc__ is not None and model.__doc__.split("\n")[0] in section
        for name, info in model.model_fields.items():
            assert f"| `{info.alias or name}` |" in section, (kind, name)
            assert info.description and info.description in section, (kind, name)


@pytest.mark.parametrize("kind", list(docs.EXAMPLES))
def test_distribution_examples_are_valid(kind: str) -> None:
    value = TypeAdapter(Distribution).validate_python(
        yaml.load(docs.EXAMPLES[kind], Loader=ScenarioYamlLoader)
    )
    assert value.dist == kind
    assert set(docs.EXAMPLES) == set(KINDS)


def test_check_mode_reports_a_stale_page(tmp_path: Path) -> None:
    page = tmp_path / "reference.md"
    assert docs.main(["--path", str(page)]) == 0
    assert docs.main(["--check", "--path", str(page)]) == 0
    page.write_text(page.read_text(encoding="utf-8").replace("visitors.car_share", "x"))
    assert docs.main(["--check", "--path", str(page)]) == 1


def test_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sim.scenario.docs", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout
