"""Extractions <-> Arrow tables in the DuckDB tables' column layout, and the partition files.

Each table keeps the columns of its DuckDB table (``store.duckdb_store``: one flat column per
attribute path, ``position`` for the record's place in its article), so ``SELECT * FROM
'DIR/events/*.parquet'`` reads like ``SELECT * FROM events``. Two differences: ``articles`` has no
``ingested_at`` (a clock would make two runs differ; ``ingest DIR`` stamps it), and ``events``
carries its actors as ``source_actors``/``target_actors`` LIST of STRUCT, as ``event_view`` and the
Parquet export do, instead of a separate ``event_actors`` table.

Every file is written to a temporary name and renamed into place, so a reader (or a crash) sees
either the whole file or none of it.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwatch.model import ActorRef, Article, Event, Extraction, Mention, Quantity, Relation, from_plain
from eventwatch.store.duckdb_store import record_codec

if TYPE_CHECKING:
    import pyarrow as pa

TABLES: tuple[str, ...] = ("articles", "events", "mentions", "quantities", "relations")
TMP_SUFFIX = ".eventwatch-tmp"
_ACTOR_COLUMNS = ("source_actors", "target_actors")
_PARTS: dict[str, str] = {  # table -> the Extraction field that holds its records
    "mentions": "mentions",
    "events": "events",
    "quantities": "quantities",
    "relations": "relations",
}


@functools.cache
def schema(table: str) -> pa.Schema:
    """The Arrow schema of one output table."""
    import pyarrow as pa

    types_ = {
        "VARCHAR": pa.string(),
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "VARCHAR[]": pa.list_(pa.string()),
    }
    fields = [pa.field(name, types_[sql]) for name, sql in record_codec(table).sql_types().items()]
    if table == "articles":
        fields += [
            pa.field("content_hash", pa.string()),
            pa.field("extraction_errors", pa.list_(pa.string())),
        ]
    else:
        fields.append(pa.field("position", pa.int64()))
    if table == "events":
        actor = _arrow_type(ActorRef)
        fields += [pa.field(name, pa.list_(actor)) for name in _ACTOR_COLUMNS]
    return pa.schema(fields)


def _arrow_type(hint: Any) -> pa.DataType:
    """The Arrow type of a record field: records become structs, tuples lists."""
    import pyarrow as pa

    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if set(args) == {float, int}:
            return pa.float64()
        (hint,) = args
    if typing.get_origin(hint) is typing.Literal or hint is str:
        return pa.string()
    if typing.get_origin(hint) is tuple:
        return pa.list_(_arrow_type(typing.get_args(hint)[0]))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return pa.struct([pa.field(f.name, _arrow_type(hints[f.name])) for f in dataclasses.fields(hint)])
    simple = {bool: pa.bool_(), int: pa.int64(), float: pa.float64()}
    return simple[hint]


def to_tables(extractions: Sequence[Extraction]) -> dict[str, pa.Table]:
    """One Arrow table per output table; rows in article order, then record position."""
    import pyarrow as pa

    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    articles = record_codec("articles")
    for extraction in extractions:
        rows["articles"].append(
            {
                **articles.flatten(extraction.article),
                "content_hash": extraction.article.content_hash,
                "extraction_errors": list(extraction.errors),
            }
        )
        for table, attribute in _PARTS.items():
            codec = record_codec(table)
            for position, item in enumerate(getattr(extraction, attribute)):
                row = {**codec.flatten(item), "position": position}
                if table == "events":
                    for name in _ACTOR_COLUMNS:
                        row[name] = [dataclasses.asdict(actor) for actor in getattr(item, name)]
                rows[table].append(row)
    out: dict[str, pa.Table] = {}
    for table, table_rows in rows.items():
        shape = schema(table)
        columns = {f.name: pa.array([r[f.name] for r in table_rows], type=f.type) for f in shape}
        out[table] = pa.table(columns, schema=shape)
    return out


def from_tables(tables: dict[str, pa.Table]) -> list[Extraction]:
    """The inverse of ``to_tables``: the extractions, in article order."""
    article_codec = record_codec("articles")
    parts: dict[str, dict[str, list[Any]]] = {table: {} for table in _PARTS}
    for table in _PARTS:
        codec = record_codec(table)
        for row in tables[table].to_pylist():
            extra: dict[str, Any] = {}
            if table == "events":
                extra = {
                    name: tuple(from_plain(ActorRef, a) for a in row[name] or ()) for name in _ACTOR_COLUMNS
                }
            parts[table].setdefault(row["article_id"], []).append(
                (row["position"], codec.unflatten(row, **extra))
            )
    out: list[Extraction] = []
    for row in tables["articles"].to_pylist():
        article: Article = article_codec.unflatten(row)
        found = {table: [item for _, item in sorted(parts[table].get(article.article_id, []), key=_first)]
                 for table in _PARTS}  # fmt: skip
        out.append(
            Extraction(
                article=article,
                mentions=tuple(typing.cast(list[Mention], found["mentions"])),
                events=tuple(typing.cast(list[Event], found["events"])),
                quantities=tuple(typing.cast(list[Quantity], found["quantities"])),
                relations=tuple(typing.cast(list[Relation], found["relations"])),
                errors=tuple(row["extraction_errors"] or ()),
            )
        )
    return out


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]


def table_file(out: Path, table: str, name: str) -> Path:
    return out / table / f"{name}.parquet"


def write_tables(out: Path, name: str, tables: dict[str, pa.Table]) -> None:
    """Write ``DIR/<table>/<name>.parquet`` for every table, each atomically."""
    import pyarrow.parquet as pq

    for table in TABLES:
        final = table_file(out, table, name)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{final.name}.{os.getpid()}{TMP_SUFFIX}")
        pq.write_table(tables[table], tmp, compression="zstd")
        _fsync(tmp)
        os.replace(tmp, final)
    for table in TABLES:
        _fsync(out / table)


def read_tables(out: Path, name: str) -> dict[str, pa.Table]:
    import pyarrow.parquet as pq

    return {table: pq.read_table(table_file(out, table, name), schema=schema(table)) for table in TABLES}


def write_atomic(path: Path, data: bytes) -> None:
    """Write a small file so that it is either the old one or the whole new one, even after a crash."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync(path.parent)


def _fsync(path: Path) -> None:
    """Flush a file's (or a folder's entries') data to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
