"""Helpers of the reliability suite: the CLI in a fresh process, database digests and counts."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

Cli = Callable[..., subprocess.CompletedProcess[str]]

GOOD_TEXTS = (
    "Police arrested 12 protesters in Baghdad on Monday, officials said.",
    "Rebels attacked an army post near Goma on Tuesday, killing three soldiers.",
)


def run_cli(
    *args: str, cwd: Path, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``eventwatch ARGS`` as a user runs it: a fresh process, its exit code and its output."""
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    full_env.pop("EVENTWATCH_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "eventwatch.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        check=False,
    )


def digest(path: Path) -> str:
    """The file's bytes, hashed, with any write-ahead log beside it: 'unchanged' means exactly that."""
    h = hashlib.sha256(path.read_bytes())
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        h.update(wal.read_bytes())
    return h.hexdigest()


def counts(path: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = ("articles", "events", "mentions", "event_actors", "quantities", "relations")
        return {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}  # type: ignore[index]
    finally:
        con.close()


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
