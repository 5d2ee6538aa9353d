"""What runs where the extraction happens (in-process, or in a Dask worker process).

The ``Extractor`` (spaCy model and resources) is cached per process, keyed by the settings that
change what it loads: a worker loads the model on its first partition and keeps it for every later
one. ``MODEL_LOADS`` counts the loads, so tests can check it through ``client.run``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from eventwatch.batch.manifest import PartitionResult, write_marker
from eventwatch.batch.parquet import to_tables, write_tables
from eventwatch.batch.partitions import Partition
from eventwatch.config import Settings

if TYPE_CHECKING:
    from eventwatch.pipeline import Extractor

MODEL_LOADS = 0
PARTITIONS_DONE = 0
_extractors: dict[tuple[str, int], Extractor] = {}
_lock = threading.Lock()


def model_loads() -> tuple[int, int]:
    """How many times this process loaded the model, and how many partitions it extracted
    (``client.run(model_loads)`` asks every worker)."""
    return MODEL_LOADS, PARTITIONS_DONE


def extractor_for(settings: Settings) -> Extractor:
    """This process's extractor for ``settings``, loaded on first use."""
    global MODEL_LOADS
    key = (settings.spacy_model, settings.batch_size)
    with _lock:
        if key not in _extractors:
            from eventwatch.pipeline import Extractor

            extractor = Extractor(settings=settings)
            _ = extractor.nlp, extractor.res  # load now, once, rather than inside the first partition
            _extractors[key] = extractor
            MODEL_LOADS += 1
        return _extractors[key]


def warm(settings: Settings) -> int:
    """Load the model now (``client.run(warm, settings)`` on every worker); returns the load count."""
    extractor_for(settings)
    return MODEL_LOADS


@dataclass(frozen=True, slots=True)
class PartitionJob:
    """Extract one partition and write its files and marker; returns only the counts, so nothing
    large travels back to the client. Pickles small: an output path and the settings."""

    out: str  # absolute: every worker must reach it (on a cluster, a shared filesystem)
    settings: Settings

    def __call__(self, partition: Partition) -> PartitionResult:
        global PARTITIONS_DONE
        extractor = extractor_for(self.settings)
        with _lock:  # one partition at a time per extractor: spaCy pipelines are not thread-safe
            extractions = list(extractor.extract(partition.articles))
        tables = to_tables(extractions)
        out = Path(self.out)
        write_tables(out, partition.name, tables)
        result = PartitionResult(
            number=partition.number,
            digest=partition.digest,
            articles=len(extractions),
            events=tables["events"].num_rows,
            mentions=tables["mentions"].num_rows,
            quantities=tables["quantities"].num_rows,
            relations=tables["relations"].num_rows,
            failed=tuple(x.article.article_id for x in extractions if x.errors),
        )
        write_marker(out, partition.name, result)
        PARTITIONS_DONE += 1
        return result
