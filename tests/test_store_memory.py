"""Bounded memory for long ingests: DuckDB's memory limit comes from the settings, and a batch's
spaCy strings are freed with its memory zone without changing the records."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwatch.config import Settings
from eventwatch.errors import StoreError
from eventwatch.store import Store


def _limit(store: Store) -> str:
    row = store.con.execute("SELECT current_setting('memory_limit')").fetchone()
    assert row is not None
    return str(row[0])


def test_memory_limit_setting_reads_the_environment() -> None:
    assert Settings.from_env({}).db_memory_limit == ""  # DuckDB's own default
    assert Settings.from_env({"EVENTWATCH_DB_MEMORY_LIMIT": "512MB"}).db_memory_limit == "512MB"
    assert Settings.from_env({}, db_memory_limit="2GB").db_memory_limit == "2GB"


def test_store_applies_the_configured_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWATCH_DB_MEMORY_LIMIT", "300MB")
    with Store(tmp_path / "a.duckdb") as store:
        assert _limit(store) == "286.1 MiB"  # DuckDB reports 300 MB in MiB
    with Store(tmp_path / "a.duckdb", memory_limit="200MB") as store:  # an explicit limit wins
        assert _limit(store) == "190.7 MiB"


def test_no_limit_keeps_duckdbs_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENTWATCH_DB_MEMORY_LIMIT", raising=False)
    with Store(tmp_path / "b.duckdb", memory_limit="123MB") as store:
        capped = _limit(store)
    with Store(tmp_path / "b.duckdb") as store:
        assert _limit(store) not in (capped, "")


def test_bad_limit_names_the_setting_and_the_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"c\.duckdb.*invalid DuckDB memory limit 'lots'.*EVENTWATCH_DB"):
        Store(tmp_path / "c.duckdb", memory_limit="lots")


def test_a_batch_leaves_no_new_strings_in_the_vocabulary(extractor) -> None:  # type: ignore[no-untyped-def]
    """Without the memory zone every unseen word of a long run stays in spaCy's string store."""
    from eventwatch.model import Article

    article = Article(
        article_id="zone-1",
        text="Fighters of the Qwertzuiop Brigade shelled Zxcvbnmkj village in Sudan on Monday, "
        "killing 12 people, officials said.",
        published="2024-05-06",
    )
    first = extractor.extract_one(article)
    strings = len(extractor.nlp.vocab.strings)
    assert "Qwertzuiop" not in extractor.nlp.vocab.strings
    second = extractor.extract_one(article)  # the same records from a later zone
    assert second == first
    assert first.events or first.mentions
    assert len(extractor.nlp.vocab.strings) == strings


def test_a_limit_below_the_indexes_fails_the_batch_and_says_what_to_raise(tmp_path: Path) -> None:
    """DuckDB cannot evict its indexes: a cap below them makes the write fail, atomically."""
    from eventwatch.model import Article, Extraction, Mention

    batch = [
        Extraction(
            article=Article(article_id=f"a{k}", text=f"text of article {k}"),
            mentions=tuple(
                Mention(f"a{k}", f"m{i:06d}-{'x' * 40}", "PERSON", "x", 0, 1, 0) for i in range(5000)
            ),
        )
        for k in range(10)
    ]
    with Store(tmp_path / "d.duckdb", memory_limit="16MB") as store:
        with pytest.raises(
            StoreError, match=r"d\.duckdb failed, nothing was stored.*EVENTWATCH_DB_MEMORY_LIMIT"
        ):
            store.write(batch)
        assert store.con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
