"""The results store checks what it reuses (issue 20, item 5): a stored replication that was
altered, cannot be decoded or has no digest is never reused. ``salesim run`` warns on one line,
simulates it again and publishes the figures of a fresh run; ``salesim results export`` refuses
the run with a clear error. Never a traceback."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sim.cli import main
from sim.experiment.integrity import Damaged, damage_note, day_digest, spans
from sim.experiment.store import DB_NAME, Store, decode_day
from tests.helpers import SCENARIOS

N = 6
ARGS = ["run", str(SCENARIOS / "weekend.yaml"), "-n", str(N), "--seed", "4", "--json"]
FILES = ("summary.csv", "kpis_by_replication.csv", "reps.csv", "visits.csv")
DAMAGED = 2  # the replication the tests damage (it has tables: the first 100 do)

Damage = Callable[[sqlite3.Connection], None]


def salesim(*args: str) -> Result:
    """``salesim`` run in-process; fails the test on a traceback (an exception click caught)."""
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def run_into(out: Path) -> Result:
    """``salesim run`` with the tests' arguments into ``out``; must succeed."""
    result = salesim(*ARGS, "--out", str(out))
    assert result.exit_code == 0, result.output
    return result


def published(result: Result) -> dict[str, str]:
    """The run's published files by name (text)."""
    folder = Path(json.loads(result.stdout)["output"])
    return {name: (folder / name).read_text(encoding="utf-8") for name in FILES}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The published files of an undamaged run in a folder of its own."""
    return published(run_into(tmp_path_factory.mktemp("fresh")))


def damage(out: Path, how: Damage) -> None:
    """Damage the store of ``out`` with ``how``, on a connection of its own (as a user would)."""
    with sqlite3.connect(out / DB_NAME) as db:
        how(db)
    db.close()


def set_column(column: str, replication: int, value: object) -> Damage:
    """Overwrite one stored column of one replication."""

    def apply(db: sqlite3.Connection) -> None:
        db.execute(f"UPDATE replications SET {column} = ? WHERE replication = ?",
                   (value, replication))  # fmt: skip

    return apply


def stored(out: Path, replication: int, column: str) -> object:
    """One stored column of one replication."""
    with sqlite3.connect(out / DB_NAME) as db:
        (value,) = db.execute(
            f"SELECT {column} FROM replications WHERE replication = ?", (replication,)
        ).fetchone()
    db.close()
    return value


def altered_digit(kpis: str, key: str) -> str:
    """The stored KPI JSON with one digit of ``key``'s value changed (the first: 1 -> 2,
    anything else -> 1), everything else byte for byte the same."""
    at = kpis.index(f'"{key}": ') + len(key) + 4
    assert kpis[at].isdigit(), kpis[at : at + 10]
    return kpis[:at] + ("2" if kpis[at] == "1" else "1") + kpis[at + 1 :]


def without_key(kpis: str, key: str) -> str:
    """The stored KPI JSON without ``key``."""
    data = json.loads(kpis)
    del data[key]
    return json.dumps(data)


def damages(out: Path) -> dict[str, Damage]:
    """The kinds of damage: bad zlib in the tables, invalid KPI JSON, a KPI key removed."""
    kpis = str(stored(out, DAMAGED, "kpis"))
    return {
        "tables not zlib": set_column("tables", DAMAGED, b"x\x9cnot zlib at all"),
        "kpis not JSON": set_column("kpis", DAMAGED, kpis[:-1]),
        "a KPI key removed": set_column("kpis", DAMAGED, without_key(kpis, "groups_arrived")),
    }


def warning_of(result: Result, problem: str, which: str = str(DAMAGED)) -> str:
    """The one warning line the rerun must print (and check it is printed once)."""
    key = json.loads(result.stdout)["run_key"]
    line = (f"salesim: warning: run {key[:12]}: damaged stored replications not reused "
            f"({problem}: {which}); dropped and simulated again")  # fmt: skip
    assert result.stderr.splitlines().count(line) == 1, result.stderr
    return line


def test_an_altered_kpi_digit_is_simulated_again(tmp_path: Path, fresh: dict[str, str]) -> None:
    """(a) One digit of a stored KPI changed with sqlite3: the rerun warns, exits 0 and
    publishes exactly what a fresh run publishes (not the altered mean)."""
    run_into(tmp_path)
    kpis = str(stored(tmp_path, 3, "kpis"))
    changed = altered_digit(kpis, "groups_arrived")
    assert json.loads(changed)["groups_arrived"] != json.loads(kpis)["groups_arrived"]
    damage(tmp_path, set_column("kpis", 3, changed))

    again = run_into(tmp_path)
    warning_of(again, "digest mismatch", "3")
    assert json.loads(again.stdout)["reused"] == N - 1
    assert published(again) == fresh  # summary.csv byte for byte, and the other files
    assert stored(tmp_path, 3, "kpis") == kpis  # the store holds the sound value again
    third = run_into(tmp_path)
    assert json.loads(third.stdout)["reused"] == N and "warning" not in third.stderr


@pytest.mark.parametrize("kind", ["tables not zlib", "kpis not JSON", "a KPI key removed"])
def test_undecodable_replications_are_simulated_again(
    tmp_path: Path, fresh: dict[str, str], kind: str
) -> None:
    """(b) Bad zlib, bad JSON, a missing KPI key: no traceback, one warning, right figures."""
    run_into(tmp_path)
    damage(tmp_path, damages(tmp_path)[kind])
    again = run_into(tmp_path)
    warning_of(again, "digest mismatch")
    assert json.loads(again.stdout)["reused"] == N - 1
    assert published(again) == fresh


@pytest.mark.parametrize(
    ("kind", "problem"),
    [("tables not zlib", "undecodable"), ("kpis not JSON", "undecodable"),
     ("a KPI key removed", "KPIs unlike the run's other replications")],
)  # fmt: skip
def test_damage_behind_a_matching_digest_is_not_reused(
    tmp_path: Path, fresh: dict[str, str], kind: str, problem: str
) -> None:
    """The same damage with the digest recomputed to match (the digest detects damage; it is
    no signature): decoding still refuses it, so there is still no traceback and no wrong
    figure."""
    run_into(tmp_path)
    damage(tmp_path, damages(tmp_path)[kind])
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        row = db.execute(
            "SELECT run_key, replication, kpis, reps, end_min, tables FROM replications "
            "WHERE replication = ?", (DAMAGED,),
        ).fetchone()  # fmt: skip
        db.execute("UPDATE replications SET digest = ? WHERE replication = ?",
                   (day_digest(*row), DAMAGED))  # fmt: skip
    db.close()
    again = run_into(tmp_path)
    warning_of(again, problem)
    assert published(again) == fresh


def test_a_store_without_digests_is_migrated_and_recomputed(
    tmp_path: Path, fresh: dict[str, str]
) -> None:
    """A store made before digests (no ``digest`` column) opens without error, gains the
    column, and its unverifiable replications are simulated again, once."""
    run_into(tmp_path)
    damage(tmp_path, lambda db: db.execute("ALTER TABLE replications DROP COLUMN digest"))
    again = run_into(tmp_path)
    warning_of(again, "no digest (stored by an older salesim)", f"0-{N - 1}")
    assert json.loads(again.stdout)["reused"] == 0
    assert published(again) == fresh
    assert all(stored(tmp_path, i, "digest") for i in range(N))
    assert json.loads(run_into(tmp_path).stdout)["reused"] == N


def test_export_refuses_a_damaged_run_until_it_is_run_again(tmp_path: Path) -> None:
    """``results export`` of a run with a damaged replication: exit 2, one clear line naming the
    run and the replication, no file written; after the rerun it exports."""
    key = json.loads(run_into(tmp_path).stdout)["run_key"]
    kpis = str(stored(tmp_path, 4, "kpis"))
    damage(tmp_path, set_column("kpis", 4, altered_digit(kpis, "groups_arrived")))
    to = tmp_path / "export"
    refused = salesim("results", "export", key[:8], "--out", str(tmp_path), "--to", str(to))
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"salesim: run {key[:12]}: 数据已损坏 damaged stored replications not reused (digest "
        "mismatch: 4); "
        "not exported: repeat the `salesim run` command that made this run (it simulates them "
        "again), then export\n"
    )
    assert not to.exists() or not any(to.iterdir())
    run_into(tmp_path)
    exported = salesim("results", "export", key[:8], "--out", str(tmp_path), "--to", str(to))
    assert exported.exit_code == 0, exported.output
    assert len(list(to.iterdir())) == 3


def test_a_garbled_database_file_is_a_clear_error(tmp_path: Path) -> None:
    """Damage below the rows (every page after the first overwritten): listing and export
    end with one line and exit code 2, not a traceback."""
    key = json.loads(run_into(tmp_path).stdout)["run_key"]
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = path.read_bytes()
    page = int.from_bytes(data[16:18], "big")
    path.write_bytes(data[:page] + b"Z" * (len(data) - page))
    expected = f"salesim: --out {tmp_path}: 无法读取结果数据库 cannot read the results database ("
    expected += "database disk "
    for args in (["results"], ["results", "export", key[:8]]):
        result = salesim(*args, "--out", str(tmp_path))
        assert result.exit_code == 2
        assert result.stderr == expected + "image is malformed)\n"


def test_store_days_reports_what_it_skips(tmp_path: Path) -> None:
    """:meth:`Store.days` yields the sound replications and lists the damaged ones; a row
    copied onto another replication fails too (the digest covers key and number)."""
    run_into(tmp_path)
    damage(tmp_path, set_column("end_min", 1, 1.5))
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        db.execute("UPDATE replications SET (kpis, reps, end_min, tables, digest) = (SELECT "
                   "kpis, reps, end_min, tables, digest FROM replications WHERE replication = 0) "
                   "WHERE replication = 5")  # fmt: skip
    db.close()
    with Store.in_folder(tmp_path) as store:
        (record,) = store.runs()
        damaged: list[Damaged] = []
        days = list(store.days(record.run_key, damaged))
    assert [d.replication for d in days] == [0, 2, 3, 4]
    assert damaged == [Damaged(1, "digest mismatch"), Damaged(5, "digest mismatch")]


def test_decode_day_raises_value_error_on_garbage() -> None:
    """Strict decoding: garbage is a ValueError, never a KeyError/TypeError/zlib.error."""
    sound = ('{"groups_arrived": 3.0}', '[{"name": "A", "team": "t", "receptions": 1, '
             '"busy_min": 2.0}]', 600.0, None)  # fmt: skip
    assert decode_day((0, *sound), 1, "p").kpis == {"groups_arrived": 3.0}
    bad = [
        ('{"no_such_kpi": 3.0}', sound[1]), ('{"groups_arrived": "3"}', sound[1]),
        ("[1, 2]", sound[1]), (sound[0], '[{"name": "A"}]'), (sound[0], "{}"),
        (sound[0], '[{"name": "A", "team": "t", "receptions": "1", "busy_min": 2.0}]'),
    ]  # fmt: skip
    for kpis, reps in bad:
        with pytest.raises(ValueError):
            decode_day((0, kpis, reps, 600.0, None), 1, "p")
    texts = [b"", b"\xff", b"[]", b'{"nope": []}', b'{"visits": 1}', b'{"visits": [1]}']
    for blob in [b"junk", *(zlib.compress(text) for text in texts)]:
        with pytest.raises(ValueError):
            decode_day((0, *sound[:3], blob), 1, "p")


def test_the_warning_is_one_short_line() -> None:
    damaged = [Damaged(i, "no digest (stored by an older salesim)") for i in range(10_000)]
    damaged += [Damaged(10_003, "digest mismatch"), Damaged(10_001, "digest mismatch")]
    assert spans([9, 1, 2, 3, 7, 8]) == "1-3, 7-9"
    assert damage_note("0123456789abcdef", damaged) == (
        "run 0123456789ab: damaged stored replications not reused (no digest (stored by an "
        "older salesim): 0-9999; digest mismatch: 10001, 10003)"
    )
