"""The batch engine: large inputs -> extraction in partitions -> partitioned Parquet.

``DIR/<table>/part-NNNNN.parquet`` for articles, events, mentions, quantities and relations, in the
DuckDB tables' column layout, plus ``DIR/_manifest.json`` and one marker per finished partition.
The same input gives the same files whatever the engine (``local`` or ``dask``) and the number of
workers; a killed run, run again, resumes. Dask is imported only when the dask engine runs.
"""

from __future__ import annotations

from eventwatch.batch.engines import ENGINES, DaskEngine, Engine, LocalEngine
from eventwatch.batch.manifest import is_batch_output
from eventwatch.batch.run import DEFAULT_PARTITION_SIZE, BatchResult, LoadResult, load_batch, run_batch
from eventwatch.errors import BatchError

__all__ = [
    "DEFAULT_PARTITION_SIZE",
    "ENGINES",
    "BatchError",
    "BatchResult",
    "DaskEngine",
    "Engine",
    "LoadResult",
    "LocalEngine",
    "is_batch_output",
    "load_batch",
    "run_batch",
]
