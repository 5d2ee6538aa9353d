"""One database file, many hands: a second process gets a clear "in use" error, never a corrupted
file; an older schema migrates, a newer one is refused, a corrupted file is reported by name."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from reliability_helpers import Cli, counts, digest, write_jsonl

from eventwatch.errors import SchemaError, StoreError
from eventwatch.store import Store
from eventwatch.store.duckdb_store import LATEST_VERSION, migrations

GOOD = {
    "id": "new-1",
    "text": "Troops shelled the village of Tal Rifaat on Sunday.",
    "published": "2024-06-02",
}
HOLDER = """
import sys
from eventwatch.store import Store
store = Store(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
store.close()
"""


@contextmanager
def held(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database open for writing (as ``ingest`` or ``serve`` does)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        proc.communicate(timeout=30)  # closes stdin (the holder lets go) and the pipes


# --- concurrency ---------------------------------------------------------------------------------


def test_second_writer_gets_a_clear_in_use_error(cli: Cli, db: Path, tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", [GOOD])
    before = counts(db)
    with held(db) as holder:
        result = cli("ingest", str(good), "--db", str(db))
        reader = cli("events", "--db", str(db), "--format", "jsonl")
    for attempt in (result, reader):
        assert attempt.returncode == 1
        assert "Traceback" not in attempt.stdout + attempt.stderr
        assert str(db) in attempt.stderr
        assert "the database is in use by another process" in attempt.stderr
        assert f"(process {holder.pid})" in attempt.stderr
    assert "POST /api/articles" in result.stderr
    assert counts(db) == before  # the holder is gone and the file is whole
    with Store(db) as store:  # and writable again
        assert store.counts()["articles"] == before["articles"]


def test_in_use_error_from_the_store(db: Path) -> None:
    with held(db), pytest.raises(StoreError, match="in use by another process") as info:
        Store(db)
    assert str(db) in str(info.value)


@pytest.mark.slow
def test_two_ingests_at_once_store_each_article_once(tmp_path: Path) -> None:
    records = [{**GOOD, "id": f"a{i}", "text": f"{GOOD['text']} Report {i}."} for i in range(6)]
    source = write_jsonl(tmp_path / "a.jsonl", records)
    db = tmp_path / "shared.duckdb"
    command = [sys.executable, "-m", "eventwatch.cli", "ingest", str(source), "--db", str(db)]
    procs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outcomes = [(p.communicate(timeout=300)[1], p.returncode) for p in procs]
    for err, code in outcomes:
        assert "Traceback" not in err
        assert code == 0 or "in use by another process" in err, err
    assert any(code == 0 for _, code in outcomes)
    assert counts(db)["articles"] == len(records)


# --- upgrades ------------------------------------------------------------------------------------


def _make_schema_1(path: Path) -> None:
    """A database as the first release left it: migration 001 only."""
    version, name, sql = migrations()[0]
    assert version == 1
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMP NOT NULL)"
    )
    con.execute(sql)
    con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [1, name, datetime(2025, 1, 1)])
    con.close()


def test_older_schema_migrates_on_writable_open(tmp_path: Path) -> None:
    assert LATEST_VERSION > 1, "a second migration exists to upgrade to"
    path = tmp_path / "old.duckdb"
    _make_schema_1(path)
    with pytest.raises(SchemaError, match=r"needs migrating.*open it once without read-only"):
        Store(path, read_only=True)
    with Store(path) as store:
        assert store.schema_version() == LATEST_VERSION
    with Store(path, read_only=True) as store:
        assert store.schema_version() == LATEST_VERSION
        assert store.counts()["articles"] == 0


@pytest.mark.slow  # ingests with the model; the in-process test above is the fast tier
def test_older_schema_migrates_through_the_cli(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _make_schema_1(path)
    good = write_jsonl(tmp_path / "good.jsonl", [GOOD])
    result = cli("ingest", str(good), "--db", str(path))
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(path), read_only=True)
    versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
    con.close()
    assert versions == list(range(1, LATEST_VERSION + 1))
    assert counts(path)["articles"] == 1


def test_newer_schema_is_refused_clearly(cli: Cli, db: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [99, "099_future.sql", datetime(2030, 1, 1)])
    con.close()
    before = digest(db)
    good = write_jsonl(tmp_path / "good.jsonl", [GOOD])
    for args in (("ingest", str(good)), ("events",), ("summary",)):
        result = cli(*args, "--db", str(db))
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        assert result.stderr.startswith("[E201]")
        assert (
            f"{db} has schema version 99, newer than this eventwatch knows ({LATEST_VERSION})"
            in result.stderr
        )
    assert digest(db) == before


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _garble_header(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.write(b"\x00garbage\xff" * 64)


def _garble_block(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.seek(12288)
        handle.write(b"X" * 4096)


def _not_duckdb(path: Path) -> None:
    path.write_text("id,text\n1,this is a CSV file named .duckdb\n", encoding="utf-8")


DAMAGES = [_truncate, _garble_header, _garble_block, _not_duckdb]


def _expect_corruption_reported(result: subprocess.CompletedProcess[str], db: Path) -> None:
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out
    assert result.stderr.startswith("[E20"), result.stderr
    assert str(db) in result.stderr
    said = result.stderr.replace(str(db), "DB")  # the test's own path holds the word "corrupted"
    assert "is corrupted" in said or "not a DuckDB database file" in said, result.stderr


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda f: f.__name__)
def test_corrupted_file_is_reported_by_name(damage: Callable[[Path], None], cli: Cli, db: Path) -> None:
    damage(db)
    before = digest(db)
    _expect_corruption_reported(cli("events", "--format", "jsonl", "--db", str(db)), db)
    _expect_corruption_reported(cli("summary", "--db", str(db)), db)
    assert digest(db) == before  # reported, not "repaired" into something else


@pytest.mark.slow  # a file damaged past its header opens, and fails on the first write: after the model loads
@pytest.mark.parametrize("damage", DAMAGES, ids=lambda f: f.__name__)
def test_ingest_into_a_corrupted_file_is_refused(
    damage: Callable[[Path], None], cli: Cli, db: Path, tmp_path: Path
) -> None:
    damage(db)
    good = write_jsonl(tmp_path / "good.jsonl", [GOOD])
    _expect_corruption_reported(cli("ingest", str(good), "--db", str(db)), db)


def test_corrupted_file_raises_store_error(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(db, copy)
    _garble_block(copy)
    with pytest.raises(StoreError, match="corrupt"), Store(copy, read_only=True) as store:
        store.events()
