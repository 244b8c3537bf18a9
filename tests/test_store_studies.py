"""Issue 15 item 4: nothing a planner made is lost. compare, size and fee are recorded in the
results store like run; an interrupted compare resumes from its stored variant-days to the
figures of an uninterrupted one; an earlier study is never silently overwritten."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.experiment.store import DB_NAME, EncodedDay, Store
from sim.experiment.studies import studies
from tests.helpers import SCENARIOS

WEEKEND = str(SCENARIOS / "weekend.yaml")
N = 5
COMPARE = ["compare", WEEKEND, "--vary", "reps=8,10", "-n", str(N), "--seed", "3", "--json"]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def stored_days(root: Path) -> int:
    with Store(root / DB_NAME) as store:
        return int(store.db.execute("SELECT COUNT(*) FROM replications").fetchone()[0])


def test_interrupted_compare_resumes_to_the_uninterrupted_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "a" / "cmp"
    real_add = Store.add
    added: list[int] = []
    k = N + 2  # the first variant finished, the second under way (2 variants x N days)

    def add_then_fault(self: Store, key: str, days: Iterable[EncodedDay]) -> None:
        batch = list(days)
        real_add(self, key, batch)
        added.extend(d[0] for d in batch)
        if len(added) >= k:
            raise KeyboardInterrupt  # Ctrl-C after k variant-days were stored

    with monkeypatch.context() as m:
        m.setattr(Store, "add", add_then_fault)
        code, text = invoke(*COMPARE, "--out", str(out))
    assert code == 130, text
    assert "run the same command again to resume" in text
    kept = stored_days(out)  # outside results/: the folder keeps its own store
    assert k <= kept < 2 * N, kept  # at least k stored, not all: the study was cut short

    code, text = invoke(*COMPARE, "--out", str(out))
    assert code == 0, text
    resumed = json.loads(text)
    assert resumed["reused"] == kept  # every stored variant-day reused, none simulated again

    code, text = invoke(*COMPARE, "--out", str(tmp_path / "b" / "cmp"))
    assert code == 0, text
    reference = json.loads(text)
    assert reference["reused"] == 0
    strip = {"output", "reused"}
    assert {k: v for k, v in resumed.items() if k not in strip} == {
        k: v for k, v in reference.items() if k not in strip
    }
    for name in ("comparison.csv", "kpis_by_replication.csv"):
        assert (out / name).read_bytes() == (tmp_path / "b" / "cmp" / name).read_bytes(), name
    with Store(out / DB_NAME) as store:
        assert [(s.kind, s.status) for s in studies(store)] == [
            ("compare", "interrupted"), ("compare", "done")
        ]


def test_second_compare_without_out_keeps_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["compare", WEEKEND, "--vary", "reps=8,10", "-n", "2", "--json"]
    code, text = invoke(*args)
    assert code == 0, text
    first = Path(json.loads(text)["output"])
    before = (first / "comparison.json").read_bytes()
    code, text = invoke(*args[:-1], "--seed", "1", "--json")
    assert code == 0, text
    second = Path(json.loads(text)["output"])
    assert second != first and second.parent == first.parent == Path("results")
    assert second.name.startswith("compare-weekend-")
    assert (first / "comparison.json").read_bytes() == before  # the first study is intact
    assert (second / "comparison.json").read_bytes() != before  # another seed, other figures


def test_explicit_out_holding_another_study_is_refused_unless_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    base = ["compare", WEEKEND, "--vary", "reps=8,10", "-n", "2", "--out", str(out)]
    assert invoke(*base)[0] == 0
    before = (out / "comparison.json").read_bytes()
    assert invoke(*base)[0] == 0  # the same study again: allowed (a restart)
    code, text = invoke(*base, "--seed", "9")
    assert code == 2, text
    assert "Traceback" not in text and "--overwrite" in text
    assert text.index("该目录已有另一项研究") < text.index("holds an earlier, different study")
    assert len(text.strip().splitlines()) == 1  # one clear line, Chinese first
    assert (out / "comparison.json").read_bytes() == before
    code, text = invoke(*base, "--seed", "9", "--overwrite")
    assert code == 0, text
    assert (out / "comparison.json").read_bytes() != before


def test_a_folder_with_unrecorded_files_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    out.mkdir()
    (out / "notes.txt").write_text("a planner's file", encoding="utf-8")
    code, text = invoke("compare", WEEKEND, "--vary", "reps=8,10", "-n", "2", "--out", str(out))
    assert code == 2 and "未登记" in text, text


def test_results_lists_run_compare_size_and_fee(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("run", WEEKEND, "-n", "2", "--workers", "1")[0] == 0
    assert invoke("compare", WEEKEND, "--vary", "reps=8,10", "-n", "2")[0] == 0
    code, text = invoke("size", str(SCENARIOS / "launch_day_800.yaml"), "--days", "10",
                        "--validate-days", "0", "--no-plots")  # fmt: skip
    assert code == 0, text
    assert invoke("fee", WEEKEND)[0] == 0
    with Store(Path("results") / DB_NAME) as store:
        done = studies(store)
    assert [(s.kind, s.status) for s in done] == [
        ("run", "done"), ("compare", "done"), ("size", "done"), ("fee", "done")
    ]
    folders = [Path(s.folder) for s in done]
    assert folders[0] == Path("results/weekend-longfor-seed0")
    assert folders[2:] == [Path("results/size"), Path("results/fee-weekend")]
    assert all(f.is_dir() for f in folders)
    code, text = invoke("results")
    assert code == 0, text
    for label in ("类别 kind", "模拟 run", "比较 compare", "测算 size", "收费 fee", "完成 done",
                  "本地时间 local time", "4 项研究 studies"):  # fmt: skip
        assert label in text, label


def test_a_failed_study_is_recorded_as_failed_where_a_store_exists(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    code, _ = invoke("size", WEEKEND, "--target", "nonsense<=1", "--out", str(fresh))
    assert code == 2
    assert not fresh.exists()  # a refused command leaves no folder (and no store) behind
    out = tmp_path / "plan"
    assert invoke("fee", WEEKEND, "--out", str(out))[0] == 0
    code, _ = invoke("size", WEEKEND, "--target", "nonsense<=1", "--out", str(out))
    assert code == 2
    with Store(out / DB_NAME) as store:
        assert [(s.kind, s.status) for s in studies(store)] == [("fee", "done"), ("size", "failed")]
