"""Storage: the DuckDB event database, its queries and its exports.

Only this package imports duckdb, and only inside functions, so importing it stays cheap.
"""

from __future__ import annotations

from eventwatch.store.duckdb_store import ArticleInfo, EventFilter, Store, WriteResult
from eventwatch.store.export import EXPORT_FORMATS, export

__all__ = ["EXPORT_FORMATS", "ArticleInfo", "EventFilter", "Store", "WriteResult", "export"]
