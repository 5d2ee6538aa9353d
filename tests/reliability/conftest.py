"""Fixtures for the reliability suite: the real CLI in a subprocess, on a real DuckDB file.

Every test works on its own copy of one small database, so what a failing command did (or did
not do) to the file can be checked byte for byte.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from reliability_helpers import GOOD_TEXTS, Cli, run_cli, write_jsonl


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    def call(
        *args: str, timeout: float = 300, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, cwd=tmp_path, timeout=timeout, env=env)

    return call


@pytest.fixture(scope="session")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real database with two articles, made once by the real ``ingest``."""
    folder = tmp_path_factory.mktemp("base")
    good = write_jsonl(
        folder / "good.jsonl",
        [{"id": f"base-{i}", "text": t, "published": "2024-03-05"} for i, t in enumerate(GOOD_TEXTS)],
    )
    db = folder / "base.duckdb"
    result = run_cli("ingest", str(good), "--db", str(db), cwd=folder)
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def db(base_db: Path, tmp_path: Path) -> Path:
    """This test's own copy of the base database."""
    copy = tmp_path / "events.duckdb"
    shutil.copyfile(base_db, copy)
    return copy
