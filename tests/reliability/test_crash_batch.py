"""``kill -9`` during ``eventwatch batch`` at several points (model loading, mid-partition, after
some partitions, on the Dask engine), then the same command again: the output folder is byte for
byte what an uninterrupted run writes, and at every point in between each file in it is whole."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from reliability_helpers import run_cli, write_jsonl

ROOT = Path(__file__).resolve().parents[2]
N_ARTICLES = 120
PARTITION = "8"
TABLES = ("articles", "events", "mentions", "quantities", "relations")
TMP_SUFFIX = ".eventwatch-tmp"


def _articles(folder: Path) -> Path:
    paragraphs: list[str] = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("/", 1)[1]
        paragraphs.extend(p.strip() for p in body.split("\n\n") if len(p.split()) >= 6)
    records: list[dict[str, object]] = [
        {
            "id": f"kb-{i:03d}",
            "text": f"{paragraphs[i % len(paragraphs)]} (Item {i}.)",
            "published": "2024-06-01",
        }
        for i in range(N_ARTICLES)
    ]
    return write_jsonl(folder / "articles.jsonl", records)


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _markers(out: Path) -> int:
    folder = out / "_partitions"
    return len(list(folder.glob("*.json"))) if folder.is_dir() else 0


def _unmarked_file(out: Path) -> bool:
    """A partition's first table file is in place but its marker is not: the middle of a partition."""
    folder = out / "articles"
    if not folder.is_dir():
        return False
    return any(not (out / "_partitions" / f"{p.stem}.json").exists() for p in folder.glob("*.parquet"))


def _batch_and_kill(args: list[str], cwd: Path, *, when: Callable[[], bool], delay: float = 0.0) -> bool:
    """Start ``eventwatch batch ARGS``; ``kill -9`` it as soon as ``when()`` holds (after ``delay``
    seconds where ``when`` is never true). Returns whether it was killed before it finished."""
    env = {k: v for k, v in os.environ.items() if k != "EVENTWATCH_DB"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "eventwatch.cli", "batch", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        started = time.monotonic()
        while proc.poll() is None and time.monotonic() - started < 240:
            if when() or (delay and time.monotonic() - started >= delay):
                break
            time.sleep(0.002)
    finally:
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    return killed


def _check_whole(out: Path, clean: dict[str, bytes]) -> None:
    """Every file a reader can see is whole; every finished partition is exactly the clean one."""
    if not out.exists():
        return
    json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    for marker in (out / "_partitions").glob("*.json"):
        name = marker.stem
        assert marker.read_bytes() == clean[f"_partitions/{marker.name}"]
        for table in TABLES:
            assert (out / table / f"{name}.parquet").read_bytes() == clean[f"{table}/{name}.parquet"]
    for table in TABLES:
        for path in (out / table).glob("*.parquet"):
            pq.read_table(path)  # whole, even where its partition is unfinished
        if list((out / table).glob("*.parquet")):
            duckdb.sql(f"SELECT count(*) FROM '{out}/{table}/*.parquet'").fetchall()


@pytest.mark.slow
def test_kill_9_during_batch_then_rerun_gives_the_clean_output(tmp_path: Path) -> None:
    source = _articles(tmp_path)
    clean_out = tmp_path / "clean"
    done = run_cli("batch", str(source), "--out", str(clean_out), "--partition-size", PARTITION, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    clean = _files(clean_out)
    n_partitions = N_ARTICLES // int(PARTITION)
    assert json.loads(clean["_manifest.json"])["partitions"] == n_partitions
    assert json.loads(clean["_manifest.json"])["totals"]["events"] > 0

    out = tmp_path / "crashed"
    args = [str(source), "--out", str(out), "--partition-size", PARTITION]
    kills: list[tuple[str, list[str], Callable[[], bool], float]] = [
        ("while the model loads", args, lambda: False, 1.5),
        ("after the first partition", args, lambda: _markers(out) >= 1, 0.0),
        ("in the middle of a partition", args, lambda: _unmarked_file(out), 0.0),
        ("a few partitions later", args, lambda: _markers(out) >= 6, 0.0),
        (
            "on the Dask engine",
            [*args, "--engine", "dask", "--workers", "2"],
            lambda: _markers(out) >= 9,
            0.0,
        ),
    ]
    for label, call, when, delay in kills:
        before = _markers(out)
        killed = _batch_and_kill(call, tmp_path, when=when, delay=delay)
        print(f"killed {label}: {killed}; partitions done {before} -> {_markers(out)}")
        _check_whole(out, clean)
        assert _markers(out) >= before  # finished partitions stay finished

    assert _markers(out) < n_partitions, "every run finished before its kill: nothing was tested"
    rerun = run_cli("batch", *args, cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert "done by an earlier run" in rerun.stdout
    assert _files(out) == clean
    assert not list(out.rglob(f"*{TMP_SUFFIX}"))
