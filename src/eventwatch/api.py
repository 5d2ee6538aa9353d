"""The one Python surface of eventwatch: the CLI (and later the HTTP API) are thin layers over it.

from eventwatch import api
from eventwatch.config import Settings
settings = Settings.from_env(db_path="events.duckdb")
api.ingest(["examples/"], settings=settings)
for event in api.events(settings=settings, plover_type="ASSAULT"):
    print(event.event_id, event.source_actors, event.target_actors)
"""

from __future__ import annotations

import json
import platform
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from eventwatch import __version__
from eventwatch.config import Settings
from eventwatch.errors import InputError
from eventwatch.model import Article, Event, Extraction, FusedEvent

if TYPE_CHECKING:
    from eventwatch.batch import BatchResult
    from eventwatch.io.fetch import ConditionalFetcher, Fetched, Fetcher
    from eventwatch.pipeline import Extractor
    from eventwatch.store import EventFilter, Store, WriteResult
    from eventwatch.watch import WatchStats

ProgressCallback = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class IngestResult:
    articles_read: int
    articles_added: int
    articles_skipped: int
    events: int
    mentions: int
    quantities: int
    relations: int
    failed: tuple[str, ...] = ()  # article ids whose extraction failed (stored with their error)
    duplicates: int = 0  # added articles that copy a stored one (syndicated): stored, not coded


def read_articles(
    inputs: Sequence[str],
    *,
    settings: Settings,
    fetch: Fetcher | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> Iterator[Article]:
    """Articles from files, folders, globs and URLs, streamed in input order. With ``on_error`` a
    bad input or record is handed to it and reading goes on; without, the first one raises."""
    from eventwatch.io.readers import read_inputs

    return read_inputs(
        inputs,
        fetch=fetch or _default_fetcher(settings),
        max_bytes=settings.max_input_bytes,
        on_error=on_error,
    )


def extract(
    inputs: Sequence[str],
    *,
    settings: Settings,
    extractor: Extractor | None = None,
    fetch: Fetcher | None = None,
) -> Iterator[Extraction]:
    """Stateless extraction: records for every article of the inputs, nothing stored."""
    extractor = extractor or _extractor(settings)
    return extractor.extract(read_articles(inputs, settings=settings, fetch=fetch))


def write_jsonl(extractions: Iterable[Extraction], out: IO[str]) -> int:
    """The interchange contract's JSONL; returns the number of articles written."""
    n = 0
    for extraction in extractions:
        for record in extraction.records():
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def ingest(
    inputs: Sequence[str],
    *,
    settings: Settings,
    extractor: Extractor | None = None,
    fetch: Fetcher | None = None,
    progress: Callable[[int], ProgressCallback] | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> IngestResult:
    """Read, extract and store. Every input is read and checked before the database is touched,
    so bad input leaves it as it was; articles already stored (same content hash) are skipped
    before extraction; each batch is written in one transaction, so a crash loses at most the
    batch in flight and a re-run completes the rest.

    With ``on_error`` (``--skip-bad``) each bad input or record is handed to it once and the good
    ones are stored; without, the first bad one raises ``InputError`` and nothing is stored."""
    from eventwatch.store import Store

    if _batch_outputs(inputs):  # a folder ``eventwatch batch`` wrote: its records, no re-extraction
        return _ingest_batch(inputs, settings=settings, progress=progress)
    fetch = _caching(fetch or _default_fetcher(settings))
    # The validation pass: reports every problem (once); the storing pass then skips them silently.
    total = sum(1 for _ in read_articles(inputs, settings=settings, fetch=fetch, on_error=on_error))
    again: Callable[[InputError], None] | None = None if on_error is None else _ignore
    # The model loads on the first batch to extract: a locked, corrupted or newer database, or a
    # re-run with nothing new, is answered without it.
    loaded: list[Extractor] = [extractor] if extractor else []
    tick = progress(total) if progress else None
    read = added = skipped = 0
    counts = {"events": 0, "mentions": 0, "quantities": 0, "relations": 0}
    failed: list[str] = []
    copies = 0
    with Store(settings.db_path) as store:
        pending: list[Article] = []
        seen: set[str] = set()

        def flush() -> None:
            nonlocal added, skipped, copies
            if not pending:
                return
            if not loaded:
                loaded.append(_extractor(settings))
            # Syndicated copies of stored articles are stored, never coded: no need to extract them.
            copies_here = store.near_duplicates(pending)
            done = iter(loaded[0].extract([a for a in pending if a.article_id not in copies_here]))
            extractions = [Extraction(a) if a.article_id in copies_here else next(done) for a in pending]
            failed.extend(e.article.article_id for e in extractions if e.errors)
            result: WriteResult = store.write(extractions)
            copies += len(result.duplicates)
            added += result.articles_added
            skipped += result.articles_skipped
            for key in counts:
                counts[key] += getattr(result, key)
            if tick:
                tick(len(pending))
            pending.clear()

        for article in read_articles(inputs, settings=settings, fetch=fetch, on_error=again):
            read += 1
            digest = article.content_hash
            if digest in seen or store.has_article(digest):
                skipped += 1
                if tick:
                    tick(1)
                continue
            seen.add(digest)
            pending.append(article)
            if len(pending) >= settings.batch_size:
                flush()
        flush()
    return IngestResult(
        articles_read=read,
        articles_added=added,
        articles_skipped=skipped,
        failed=tuple(failed),
        duplicates=copies,
        **counts,
    )


def batch(
    inputs: Sequence[str],
    *,
    out: Path,
    settings: Settings,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    partition_size: int | None = None,
    progress: ProgressCallback | None = None,
) -> BatchResult:
    """Extract large inputs in partitions into partitioned Parquet under ``out`` (see
    ``eventwatch.batch``). ``engine="dask"`` runs on a LocalCluster of ``workers`` processes, or on
    the cluster at ``scheduler``. Re-running the same call resumes a stopped run; ``out`` holding
    another run's output, or anything else, is refused."""
    import os

    from eventwatch.batch import DEFAULT_PARTITION_SIZE, DaskEngine, Engine, LocalEngine, run_batch
    from eventwatch.errors import ConfigError
    from eventwatch.io.readers import expand_inputs, is_url

    size = DEFAULT_PARTITION_SIZE if partition_size is None else partition_size
    if size < 1:
        raise ConfigError(f"--partition-size must be 1 or more, not {size}")
    chosen: Engine
    if engine == "local":
        if scheduler is not None or (workers or 1) != 1:
            raise ConfigError(
                "--workers and --scheduler need --engine dask; the local engine uses one process"
            )
        chosen = LocalEngine()
    elif engine == "dask":
        if workers is not None and workers < 1:
            raise ConfigError(f"--workers must be 1 or more, not {workers}")
        if workers is not None and scheduler is not None:
            raise ConfigError("--workers sizes a local cluster; with --scheduler the cluster's own run it")
        chosen = DaskEngine(n_workers=workers or os.cpu_count() or 1, scheduler=scheduler)
    else:
        raise ConfigError(f"unknown engine {engine!r}: use local or dask")
    identity = [item if is_url(item) else str(Path(item).resolve()) for item in expand_inputs(inputs)]
    return run_batch(
        read_articles(inputs, settings=settings),
        inputs=identity,
        out=Path(out),
        engine=chosen,
        settings=settings,
        partition_size=size,
        progress=progress,
    )


def _batch_outputs(inputs: Sequence[str]) -> bool:
    """True when the inputs are batch output folders; a mix of those and other inputs is refused."""
    from eventwatch.batch import is_batch_output

    found = [item for item in inputs if is_batch_output(Path(item))]
    if found and len(found) != len(inputs):
        raise InputError(found[0], "a batch output folder is ingested on its own, not with other inputs")
    return bool(found)


def _ingest_batch(
    outputs: Sequence[str], *, settings: Settings, progress: Callable[[int], ProgressCallback] | None
) -> IngestResult:
    from eventwatch.batch.run import LoadResult, batch_total, load_batch
    from eventwatch.store import Store

    total = sum(batch_total(Path(out)) for out in outputs)  # checks each is complete, before the DB opens
    tick = progress(total) if progress else None
    loaded: list[LoadResult] = []
    with Store(settings.db_path) as store:
        for out in outputs:
            loaded.append(load_batch(Path(out), store=store, batch_size=settings.batch_size, progress=tick))
    return IngestResult(
        articles_read=sum(one.articles_read for one in loaded),
        articles_added=sum(one.articles_added for one in loaded),
        articles_skipped=sum(one.articles_skipped for one in loaded),
        events=sum(one.events for one in loaded),
        mentions=sum(one.mentions for one in loaded),
        quantities=sum(one.quantities for one in loaded),
        relations=sum(one.relations for one in loaded),
        failed=tuple(a for one in loaded for a in one.failed),
    )


def watch(
    feeds: Sequence[str],
    *,
    settings: Settings,
    interval_s: float = 300.0,
    max_polls: int | None = None,
    until: Callable[[WatchStats], bool] | None = None,
    extractor: Extractor | None = None,
    fetch_feed: ConditionalFetcher | None = None,
    fetch_page: Fetcher | None = None,
    stop_on_signals: bool = False,
) -> WatchStats:
    """Poll RSS/Atom feeds (URLs or files) and store their new items as they appear; see
    ``eventwatch.watch``. Runs until ``max_polls`` rounds are done, ``until(stats)`` holds, or it is
    stopped (``stop_on_signals``: SIGINT/SIGTERM, main thread only). The model loads once, on the
    first new item. After a crash the same call stores what is missing and nothing twice."""
    from eventwatch.watch import Watcher

    watcher = Watcher(
        feeds,
        settings=settings,
        interval_s=interval_s,
        extractor=extractor,
        fetch_feed=fetch_feed,
        fetch_page=fetch_page,
    )
    if not stop_on_signals:
        return watcher.run(max_polls=max_polls, until=until)
    with watcher.stop_on_signals():
        return watcher.run(max_polls=max_polls, until=until)


def events(*, settings: Settings, flt: EventFilter | None = None) -> list[Event]:
    from eventwatch.store import EventFilter, Store

    with Store(settings.db_path, read_only=True) as store:
        return store.events(flt or EventFilter())


def fused_events(*, settings: Settings, flt: EventFilter | None = None) -> list[FusedEvent]:
    """Events as several articles report them: every report, article, outlet, the figures across
    reports and where the reports disagree (``eventwatch.fusion``)."""
    from eventwatch.store import EventFilter, Store

    with Store(settings.db_path, read_only=True) as store:
        return store.fused_events(flt or EventFilter())


def event_rows(*, settings: Settings, flt: EventFilter | None = None) -> list[dict[str, Any]]:
    from eventwatch.store import EventFilter, Store

    with Store(settings.db_path, read_only=True) as store:
        return store.event_rows(flt or EventFilter())


def export(fmt: str, out: Path, *, settings: Settings, flt: EventFilter | None = None) -> int:
    from eventwatch.store import EventFilter, Store
    from eventwatch.store.export import export as run_export

    with Store(settings.db_path, read_only=True) as store:
        return run_export(store, fmt, out, flt=flt or EventFilter())


def summary(*, settings: Settings, top: int = 10) -> dict[str, Any]:
    with _open(settings) as store:
        return store.summary(top=top)


def info(*, settings: Settings) -> dict[str, Any]:
    """Versions, the spaCy model in use, the database and its counts."""
    from importlib.metadata import version

    import spacy

    from eventwatch.nlp import model_version

    details: dict[str, Any] = {
        "eventwatch": __version__,
        "python": platform.python_version(),
        "spacy": version("spacy"),
        "duckdb": version("duckdb"),
        "spacy_model": settings.spacy_model,
        "db_path": str(settings.db_path),
        "db_exists": Path(settings.db_path).exists(),
    }
    try:
        details["spacy_model_version"] = model_version(spacy.load(settings.spacy_model))
    except OSError as exc:
        details["spacy_model_version"] = f"not installed: {exc}"
    if details["db_exists"]:
        with _open(settings) as store:
            details["schema_version"] = store.schema_version()
            details["counts"] = store.counts()
    else:
        details["counts"] = {"articles": 0, "events": 0, "mentions": 0, "quantities": 0, "relations": 0}
    return details


def _ignore(error: InputError) -> None:
    """The storing pass meets the problems the validation pass already reported."""


def _open(settings: Settings) -> Store:
    from eventwatch.store import Store

    return Store(settings.db_path, read_only=True)


def _extractor(settings: Settings) -> Extractor:
    from eventwatch.pipeline import Extractor

    return Extractor(settings=settings)


def _default_fetcher(settings: Settings) -> Fetcher:
    from eventwatch.io.fetch import http_fetcher

    return http_fetcher(timeout_s=settings.fetch_timeout_s, max_bytes=settings.max_input_bytes)


def _caching(fetch: Fetcher) -> Fetcher:
    """A fetcher that asks the network once per URL, failures included (ingest reads its inputs twice)."""
    cache: dict[str, Fetched | InputError] = {}

    def cached(url: str) -> Fetched:
        if url not in cache:
            try:
                cache[url] = fetch(url)
            except InputError as exc:  # a URL that timed out once is not waited for twice
                cache[url] = exc
        answer = cache[url]
        if isinstance(answer, InputError):
            raise answer
        return answer

    return cached
