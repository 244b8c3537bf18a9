"""Names are data, not paths (issue 18): output folders made from a scenario's ``name:`` stay
inside the output folder, whatever the name holds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sim.cli import main
from sim.core.names import MAX_CHARS, folder_name
from tests.helpers import SCENARIOS

HOSTILE = ["x/../../../escape", "../..", "a\\b:c", "..", "/etc/passwd", "名字\x00\u202e", "CON"]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_folder_name_is_one_safe_component(name: str) -> None:
    safe = folder_name(name)
    assert safe and "/" not in safe and "\\" not in safe and ".." not in safe
    assert safe not in (".", "..") and not safe.startswith(".")
    assert all(c.isprintable() for c in safe) and safe.upper() != "CON"


def test_ordinary_names_are_kept_and_long_ones_cut() -> None:
    assert folder_name("weekend") == "weekend" and folder_name("开盘日_800") == "开盘日_800"
    assert folder_name("开盘日 800人") == "开盘日_800人"
    assert len(folder_name("长" * 500)) == MAX_CHARS


def hostile_scenario(tmp_path: Path, name: str) -> Path:
    data = yaml.safe_load((SCENARIOS / "weekday.yaml").read_text(encoding="utf-8"))
    data["name"] = name
    path = tmp_path / "in" / "hostile.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def files_outside(root: Path, inside: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.is_relative_to(inside)
            and p.parent.name != "in"]  # fmt: skip


@pytest.mark.parametrize("command", ["run", "compare", "fee"])
def test_every_command_writes_inside_its_output_folder(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "a" / "b" / "c"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    scenario = hostile_scenario(work, "x/../../../escape")
    args = {
        "run": ["-n", "1"],
        "compare": ["-n", "2", "--policy", "round_robin", "--policy", "first_free"],
        "fee": [],
    }[command]
    result = CliRunner().invoke(main, [command, str(scenario), *args])
    assert result.exit_code == 0, result.output
    assert files_outside(tmp_path, work / "results") == []
    assert any((work / "results").iterdir())
