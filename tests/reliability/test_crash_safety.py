"""``kill -9`` during ``ingest`` at several points, then the same command again: every article is
stored exactly once, no event is missing or doubled, nothing is left half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from reliability_helpers import run_cli, write_jsonl

ROOT = Path(__file__).resolve().parents[2]
N_ARTICLES = 200
BATCH = "8"

# Records whose key points at a parent that must exist (no orphans after a crash).
_PARENTS = {
    "events": ("articles", "article_id"),
    "mentions": ("articles", "article_id"),
    "quantities": ("articles", "article_id"),
    "relations": ("articles", "article_id"),
    "event_actors": ("events", "event_id"),
}
ORPHAN_QUERIES = {
    child: f"SELECT count(*) FROM {child} c LEFT JOIN {parent} p USING ({key}) WHERE p.{key} IS NULL"
    for child, (parent, key) in _PARENTS.items()
}


def _articles(folder: Path) -> Path:
    """200 short articles, each a paragraph of our own sample articles, under its own id."""
    paragraphs: list[str] = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("/", 1)[1]
        paragraphs.extend(p.strip() for p in body.split("\n\n") if len(p.split()) >= 6)
    assert len(paragraphs) >= 40
    records: list[dict[str, object]] = [
        {
            "id": f"crash-{i:03d}",
            "text": f"{paragraphs[i % len(paragraphs)]} (Report {i}.)",
            "published": "2024-06-01",
        }
        for i in range(N_ARTICLES)
    ]
    return write_jsonl(folder / "articles.jsonl", records)


def _state(db: Path) -> dict[str, object]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        one = lambda sql: int(con.execute(sql).fetchone()[0])  # type: ignore[index]  # noqa: E731
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "distinct_articles": one("SELECT count(DISTINCT content_hash) FROM articles"),
            "event_ids": sorted(r[0] for r in con.execute("SELECT event_id FROM events").fetchall()),
            "orphans": {name: one(sql) for name, sql in ORPHAN_QUERIES.items()},
        }
    finally:
        con.close()


def _sizes(db: Path) -> tuple[int, int]:
    wal = db.with_name(db.name + ".wal")
    return (db.stat().st_size if db.exists() else -1, wal.stat().st_size if wal.exists() else -1)


def _ingest_and_kill(source: Path, db: Path, *, changes: int, start_delay: float) -> None:
    """Start ``ingest`` and ``kill -9`` it once the database files have changed ``changes`` times
    (0: after ``start_delay`` seconds, before any write)."""
    env = {**os.environ}
    env.pop("EVENTWATCH_DB", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "eventwatch.cli",
            "ingest",
            str(source),
            "--db",
            str(db),
            "--batch-size",
            BATCH,
        ],
        cwd=db.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        seen = 0
        last = _sizes(db)
        deadline = time.monotonic() + 240
        if changes == 0:
            time.sleep(start_delay)
        while changes and proc.poll() is None and time.monotonic() < deadline:
            now = _sizes(db)
            if now != last:
                seen += 1
                last = now
                if seen >= changes:
                    break
            time.sleep(0.005)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.mark.slow
def test_kill_9_during_ingest_then_rerun_stores_everything_once(tmp_path: Path) -> None:
    source = _articles(tmp_path)
    clean = tmp_path / "clean.duckdb"
    done = run_cli("ingest", str(source), "--db", str(clean), "--batch-size", BATCH, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    expected = _state(clean)
    assert expected["articles"] == N_ARTICLES
    assert expected["event_ids"], "the articles should yield events"

    db = tmp_path / "crashed.duckdb"
    # Kill while the model loads, as the first batches are written, and later, mid-run.
    for changes, delay in ((0, 1.5), (1, 0.0), (3, 0.0), (8, 0.0), (15, 0.0)):
        _ingest_and_kill(source, db, changes=changes, start_delay=delay)
        if not db.exists():
            continue
        state = _state(db)  # opens: the file survived the kill
        print(f"killed after {changes} file changes: {state['articles']} articles stored")
        assert state["orphans"] == dict.fromkeys(ORPHAN_QUERIES, 0), state["orphans"]
        assert state["articles"] == state["distinct_articles"]
        assert len(set(state["event_ids"])) == len(state["event_ids"])  # type: ignore[arg-type]
        assert state["articles"] < N_ARTICLES or state == expected

    rerun = run_cli("ingest", str(source), "--db", str(db), "--batch-size", BATCH, cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert _state(db) == expected
    again = run_cli("ingest", str(source), "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"0 added, {N_ARTICLES} already stored" in again.stdout
    assert _state(db) == expected
