"""A batch run (articles -> partitioned Parquet, resumable) and its loading into the store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from eventwatch import __version__
from eventwatch.batch.engines import Engine
from eventwatch.batch.manifest import (
    Manifest,
    PartitionResult,
    complete,
    finished,
    marker_path,
    prepare,
    read_manifest,
)
from eventwatch.batch.parquet import TABLES, from_tables, read_tables, table_file
from eventwatch.batch.partitions import Partition, Partitioner, partition_name
from eventwatch.batch.worker import PartitionJob
from eventwatch.config import Settings
from eventwatch.errors import InputError, StoreError
from eventwatch.model import Article

if TYPE_CHECKING:
    from eventwatch.store import Store

DEFAULT_PARTITION_SIZE = 256
Tick = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class BatchResult:
    out: Path
    engine: str
    workers: int
    partitions: int
    partitions_resumed: int  # finished by an earlier run and skipped
    articles_read: int
    duplicates: int  # dropped: same content hash, or an article id already seen
    articles: int
    events: int
    mentions: int
    quantities: int
    relations: int
    failed: tuple[str, ...] = ()  # article ids whose extraction failed (written with their error)


@dataclass(frozen=True, slots=True)
class LoadResult:
    articles_read: int
    articles_added: int
    articles_skipped: int
    events: int
    mentions: int
    quantities: int
    relations: int
    failed: tuple[str, ...] = ()


def run_batch(
    articles: Iterable[Article],
    *,
    inputs: Sequence[str],
    out: Path,
    engine: Engine,
    settings: Settings,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    progress: Tick | None = None,
) -> BatchResult:
    """Extract ``articles`` partition by partition into ``out``; a re-run with the same inputs and
    settings skips the partitions an earlier (maybe killed) run finished. ``inputs`` identify the
    run in the manifest (resolved paths and URLs)."""
    out = out.resolve()
    wanted = Manifest(
        eventwatch=__version__,
        spacy_model=settings.spacy_model,
        partition_size=partition_size,
        inputs=tuple(inputs),
    )
    manifest = prepare(out, wanted)
    done = finished(out)
    partitioner = Partitioner(size=partition_size)
    results: dict[int, PartitionResult] = {}
    seen: list[int] = []

    def record(result: PartitionResult) -> None:
        results[result.number] = result
        if progress:
            progress(result.articles)

    def todo() -> Iterator[Partition]:
        for partition in partitioner.partitions(articles):
            seen.append(partition.number)
            earlier = done.get(partition.number)
            if earlier is not None and earlier.digest != partition.digest:
                raise StoreError(
                    f"--out {out}: {partition.describe()} differs from the one an earlier run wrote "
                    f"({marker_path(out, partition.name)}): the input changed; give a new folder, or "
                    "delete this one to start again"
                )
            if earlier is None or not _files_present(out, partition.name):
                yield partition  # a file deleted by hand since is written again
            else:
                record(earlier)

    engine.run(todo(), PartitionJob(out=str(out), settings=settings), record)
    extra = sorted(set(done) - set(seen))
    if extra:
        names = ", ".join(map(partition_name, extra))
        raise StoreError(
            f"--out {out} holds partitions this input does not make ({names}): the input changed; "
            "give a new folder, or delete this one to start again"
        )
    ordered = [results[n] for n in sorted(results)]
    complete(out, manifest, ordered)
    return BatchResult(
        out=out,
        engine=engine.name,
        workers=engine.workers,
        partitions=len(ordered),
        partitions_resumed=sum(1 for n in seen if n in done and results[n] is done[n]),
        articles_read=partitioner.read,
        duplicates=partitioner.duplicates,
        articles=sum(r.articles for r in ordered),
        events=sum(r.events for r in ordered),
        mentions=sum(r.mentions for r in ordered),
        quantities=sum(r.quantities for r in ordered),
        relations=sum(r.relations for r in ordered),
        failed=tuple(a for r in ordered for a in r.failed),
    )


def _files_present(out: Path, name: str) -> bool:
    return all(table_file(out, table, name).is_file() for table in TABLES)


def batch_total(out: Path) -> int:
    """How many articles a complete batch output holds; an incomplete one is an ``InputError``."""
    manifest = _complete_manifest(out)
    return manifest.totals.get("articles", 0)


def load_batch(out: Path, *, store: Store, batch_size: int, progress: Tick | None = None) -> LoadResult:
    """Store a complete batch output's records, partition by partition, ``batch_size`` articles per
    transaction: no extraction, and ``Store.write``'s rules (an article stored already is skipped)."""
    manifest = _complete_manifest(out)
    read = added = skipped = 0
    counts = {"events": 0, "mentions": 0, "quantities": 0, "relations": 0}
    failed: list[str] = []
    for number in range(manifest.partitions or 0):
        name = partition_name(number)
        try:
            extractions = from_tables(read_tables(out, name))
        except (OSError, ValueError) as exc:  # pyarrow's errors are OSError / ArrowInvalid (ValueError)
            raise InputError(
                str(table_file(out, "articles", name).parent.parent), f"cannot read partition {name}: {exc}"
            ) from exc
        for start in range(0, len(extractions), batch_size):
            chunk = extractions[start : start + batch_size]
            result = store.write(chunk)
            read += len(chunk)
            added += result.articles_added
            skipped += result.articles_skipped
            for key in counts:
                counts[key] += getattr(result, key)
            failed.extend(x.article.article_id for x in chunk if x.errors)
            if progress:
                progress(len(chunk))
    return LoadResult(
        articles_read=read, articles_added=added, articles_skipped=skipped, failed=tuple(failed), **counts
    )


def _complete_manifest(out: Path) -> Manifest:
    manifest = read_manifest(out)
    if manifest is None:
        raise InputError(str(out), "not an eventwatch batch output (no _manifest.json)")
    if not manifest.complete:
        raise InputError(
            str(out),
            "the batch output is incomplete (its run was stopped); run the same `eventwatch batch` "
            "command again to finish it, then ingest it",
        )
    return manifest
