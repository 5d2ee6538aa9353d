"""The DuckDB store: the only place that talks to the database.

Layout. Every record is stored in flat columns named by its attribute path (``date_start``,
``attribution_speaker_name``, ``location_lat``), so SQL filters and exports read plain columns and
every evidence offset is kept. Event actors live in their own table, ``event_actors`` (one row per
actor, with ``role`` and ``position``), rather than in LIST-of-STRUCT columns: the actor filter, the
actor index and ``top_actors`` are then ordinary SQL, while the view ``event_view`` aggregates them
back into LIST-of-STRUCT columns for the round trip and the Parquet export. A nested record that is
absent (``location`` is None) is told apart from one whose fields are all null by the column of
its first required field (``location_name``), which is never null when the record is present.

Columns are derived from the typed records in ``eventwatch.model`` by ``_Codec``; the migrations
in ``migrations/NNN_*.sql`` create them, and the tests check that the two agree.

Writes. ``Store.write`` stores a batch in one transaction. An article is skipped, with all its
records, when its ``content_hash`` is already stored (the same article again), or when its
``article_id`` is stored with a different hash (another version of the article): stored records are
never replaced, so a re-run is idempotent; the second case is reported in ``WriteResult.conflicts``
so callers can warn. Any failure rolls the whole batch back and raises ``StoreError``.

Copies and fusion (``store/fusion.py``, migration 004). In the same transaction, an added article
that is a near-duplicate of a stored one (or of an earlier one in the batch) is stored with its
link in ``article_duplicates`` but without its records, and the batch's events are fused with the
stored reports of the same real events (``event_fusion``: report -> fused event, ``fused_events``:
figures across reports). Queries return fused events unless ``EventFilter.reports``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwatch.errors import QueryError, SchemaError, StoreError
from eventwatch.model import (
    MODALITIES,
    PLOVER_TYPES,
    ActorRef,
    Article,
    Count,
    Disagreement,
    Event,
    Extraction,
    FusedEvent,
    Mention,
    Quantity,
    Reading,
    Relation,
    to_record,
)

if TYPE_CHECKING:
    import duckdb

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------- records <-> columns


@dataclass(frozen=True, slots=True)
class _Column:
    name: str
    path: tuple[str, ...]
    sql: str
    number: bool = False  # a ``float | int`` field: a DOUBLE plus ``<name>_is_int`` to keep ints ints


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _optional(hint: Any) -> tuple[Any, bool]:
    """``X | None`` -> (X, True); other hints unchanged."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = args[0] if len(args) == 1 else typing.Union[tuple(args)]  # noqa: UP007
        return inner, len(args) < len(typing.get_args(hint))
    return hint, False


def _sql_type(hint: Any) -> tuple[str, bool]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        if set(typing.get_args(hint)) == {float, int}:
            return "DOUBLE", True
        raise TypeError(f"no column type for {hint!r}")
    if typing.get_origin(hint) is typing.Literal or hint is str:
        return "VARCHAR", False
    if typing.get_origin(hint) is tuple and typing.get_args(hint)[0] is str:
        return "VARCHAR[]", False
    simple = {bool: "BOOLEAN", int: "BIGINT", float: "DOUBLE"}
    if hint in simple:
        return simple[hint], False
    raise TypeError(f"no column type for {hint!r}")


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


class _Codec:
    """Flattens one record type into columns and back, exactly (``unflatten(flatten(x)) == x``)."""

    def __init__(self, cls: type, *, skip: frozenset[str] = frozenset()) -> None:
        self.cls = cls
        self.columns: list[_Column] = []
        self.optional: list[tuple[tuple[str, ...], str]] = []  # (path, marker column), outer first
        self._walk(cls, (), skip)

    def _walk(self, cls: type, path: tuple[str, ...], skip: frozenset[str]) -> None:
        for name, hint in _fields(cls):
            if not path and name in skip:
                continue
            inner, nullable = _optional(hint)
            here = (*path, name)
            if _is_record(inner):
                if nullable:
                    required = next(n for n, h in _fields(inner) if not _optional(h)[1])
                    self.optional.append((here, "_".join((*here, required))))
                self._walk(inner, here, frozenset())
            else:
                sql, number = _sql_type(inner)
                self.columns.append(_Column("_".join(here), here, sql, number))

    @property
    def names(self) -> list[str]:
        out: list[str] = []
        for col in self.columns:
            out.append(col.name)
            if col.number:
                out.append(f"{col.name}_is_int")
        return out

    def sql_types(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for col in self.columns:
            out[col.name] = col.sql
            if col.number:
                out[f"{col.name}_is_int"] = "BOOLEAN"
        return out

    def flatten(self, item: Any) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for col in self.columns:
            value = item
            for part in col.path:
                value = None if value is None else getattr(value, part)
            if isinstance(value, tuple):
                value = list(value)
            if col.number:
                row[f"{col.name}_is_int"] = None if value is None else isinstance(value, int)
                value = None if value is None else float(value)
            row[col.name] = value
        return row

    def unflatten(self, row: dict[str, Any], **extra: Any) -> Any:
        plain: dict[str, Any] = {}
        for col in self.columns:
            value = row[col.name]
            if col.number and value is not None and row[f"{col.name}_is_int"]:
                value = int(value)
            node = plain
            for part in col.path[:-1]:
                node = node.setdefault(part, {})
            node[col.path[-1]] = value
        for path, marker in self.optional:
            parent: Any = plain
            for part in path[:-1]:
                parent = parent.get(part) if isinstance(parent, dict) else None
            if isinstance(parent, dict) and row[marker] is None:
                parent[path[-1]] = None
        plain.update(extra)
        return _build(self.cls, plain)


def _build(cls: type, data: dict[str, Any]) -> Any:
    """``model.from_plain`` with the per-field conversion planned once per class: it runs per row."""
    kwargs: dict[str, Any] = {}
    for name, convert in _plan(cls):
        if name in data:
            value = data[name]
            kwargs[name] = value if convert is None or value is None else convert(value)
    return cls(**kwargs)


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    return tuple((name, _converter(hint)) for name, hint in _fields(cls))


def _converter(hint: Any) -> Callable[[Any], Any] | None:
    """How to turn a stored value into the field's value: None where it is already right."""
    inner, _ = _optional(hint)
    if typing.get_origin(inner) is tuple:
        item = _converter(typing.get_args(inner)[0])
        if item is None:
            return tuple
        return lambda values: tuple(None if v is None else item(v) for v in values)
    if _is_record(inner):
        return lambda value: _build(inner, value) if isinstance(value, dict) else value
    return None


ARTICLE = _Codec(Article)
MENTION = _Codec(Mention)
EVENT = _Codec(Event, skip=frozenset({"source_actors", "target_actors"}))
ACTOR = _Codec(ActorRef)
QUANTITY = _Codec(Quantity)
RELATION = _Codec(Relation)

# Columns a table adds to its record's columns, with their types.
TABLE_EXTRA: dict[str, dict[str, str]] = {
    "articles": {"content_hash": "VARCHAR", "extraction_errors": "VARCHAR[]", "ingested_at": "TIMESTAMP"},
    "mentions": {"position": "BIGINT"},
    "events": {"position": "BIGINT"},
    "event_actors": {"event_id": "VARCHAR", "role": "VARCHAR", "position": "BIGINT"},
    "quantities": {"position": "BIGINT"},
    "relations": {"position": "BIGINT"},
}
TABLE_CODEC: dict[str, _Codec] = {
    "articles": ARTICLE,
    "mentions": MENTION,
    "events": EVENT,
    "event_actors": ACTOR,
    "quantities": QUANTITY,
    "relations": RELATION,
}


def table_columns(table: str) -> dict[str, str]:
    """Every column ``table`` must have, with its DuckDB type (the migrations must agree)."""
    return {**TABLE_CODEC[table].sql_types(), **TABLE_EXTRA[table]}


def record_codec(table: str) -> _Codec:
    """The codec of ``table``'s record (``names``, ``sql_types``, ``flatten``, ``unflatten``), for
    outputs that keep the tables' column layout outside DuckDB (the batch engine's Parquet)."""
    return TABLE_CODEC[table]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --------------------------------------------------------------------------- public records


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events a query returns. ``actor`` is a case-insensitive substring of an actor's name or
    an exact ``actor_id``/``cameo_code`` (source or target); ``country`` an ISO3 code of an actor or
    of the location; ``since``/``until`` (YYYY-MM-DD, inclusive) bound the event's day: its date's
    start, else its value, else the article's published date. ``text`` is a case-insensitive
    substring of the evidence text or of an actor's name. ``include_rejected=False`` drops events a
    reviewer's latest review marks "not an event"; ``descending`` sorts latest day first.

    By default a query returns fused events (``eventwatch.fusion``): one row per real event, the
    lead report's fields with the figures across its reports; every filter applies to that row.
    ``reports=True`` returns every per-report event instead, and so does ``article_id`` (an
    article's own reports). A fused event's review is its lead report's."""

    plover_type: str | None = None
    actor: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    modality: str | None = None
    article_id: str | None = None
    limit: int | None = None
    offset: int = 0
    text: str | None = None
    include_rejected: bool = True
    descending: bool = False
    reports: bool = False


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one ``Store.write`` did. ``conflicts`` lists article ids that were skipped because a
    different version (another content hash) of that article is already stored."""

    articles_added: int
    articles_skipped: int
    events: int
    mentions: int
    quantities: int
    relations: int
    conflicts: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()  # added articles that copy another: stored, their records not


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """The article fields exports need next to an event (no text)."""

    article_id: str
    published: str | None
    source: str | None
    url: str | None
    title: str | None
    ingested_at: datetime | None


def _check_filter(flt: EventFilter) -> None:
    if flt.plover_type is not None and flt.plover_type.upper() not in PLOVER_TYPES:
        raise QueryError(f"unknown PLOVER type {flt.plover_type!r}; valid: {', '.join(PLOVER_TYPES)}")
    if flt.modality is not None and flt.modality not in MODALITIES:
        raise QueryError(f"unknown modality {flt.modality!r}; valid: {', '.join(MODALITIES)}")
    for name in ("since", "until"):
        value = getattr(flt, name)
        if value is None:
            continue
        try:
            if not _DAY.match(value):
                raise ValueError(value)
            date.fromisoformat(value)
        except ValueError:
            raise QueryError(f"{name}={value!r} is not a date in the form YYYY-MM-DD") from None
    if flt.limit is not None and flt.limit < 0:
        raise QueryError(f"limit must be 0 or more, not {flt.limit}")
    if flt.offset < 0:
        raise QueryError(f"offset must be 0 or more, not {flt.offset}")


def _where(flt: EventFilter) -> tuple[str, list[Any]]:
    """The WHERE/ORDER/LIMIT tail of a query on ``event_view v``; every value is a bound parameter."""
    sql, params = _conditions(flt)
    order = "DESC" if flt.descending else "ASC"
    sql += f" ORDER BY v.day {order} NULLS LAST, v.event_id {order}"
    if flt.limit is not None:
        sql += " LIMIT ?"
        params.append(flt.limit)
    if flt.offset:
        sql += " OFFSET ?"
        params.append(flt.offset)
    return sql, params


def fused_only(flt: EventFilter) -> bool:
    """Whether ``flt`` asks for fused events (the default) rather than per-report ones."""
    return not flt.reports and flt.article_id is None


# The latest review of an event says whether it is "not an event" (later reviews can undo it).
# Every clause below is an uncorrelated ``event_id [NOT] IN (...)``: a correlated subquery makes
# DuckDB materialise every column of the view for a delim join (0.2 s per 100,000 events each),
# these cost one hash join (event ids are never null, so NOT IN means NOT EXISTS).
_REJECTED = (
    "v.event_id IN (SELECT r.event_id FROM reviews r GROUP BY r.event_id "
    "HAVING arg_max(r.not_an_event, r.review_id))"
)


def _conditions(flt: EventFilter) -> tuple[str, list[Any]]:
    """The WHERE clause (or "") of a query on ``event_view v``: no order, no limit."""
    _check_filter(flt)
    clauses: list[str] = []
    params: list[Any] = []
    if flt.plover_type is not None:
        clauses.append("v.plover_type = ?")
        params.append(flt.plover_type.upper())
    if flt.actor is not None:
        clauses.append(
            "v.event_id IN (SELECT x.event_id FROM event_actors x WHERE ("
            "contains(lower(x.name), lower(?)) OR lower(x.actor_id) = lower(?) "
            "OR upper(x.cameo_code) = upper(?)))"
        )
        params += [flt.actor] * 3
    if flt.country is not None:
        clauses.append(
            "(upper(v.location_country) = upper(?) OR v.event_id IN (SELECT x.event_id "
            "FROM event_actors x WHERE upper(x.country) = upper(?)))"
        )
        params += [flt.country] * 2
    if flt.since is not None:
        clauses.append("v.day >= ?")
        params.append(flt.since)
    if flt.until is not None:
        clauses.append("v.day <= ?")
        params.append(flt.until)
    if flt.modality is not None:
        clauses.append("v.modality = ?")
        params.append(flt.modality)
    if flt.article_id is not None:
        clauses.append("v.article_id = ?")
        params.append(flt.article_id)
    if flt.text is not None:
        clauses.append(
            "(contains(lower(v.evidence_text), lower(?)) OR v.event_id IN (SELECT x.event_id "
            "FROM event_actors x WHERE contains(lower(x.name), lower(?))))"
        )
        params += [flt.text] * 2
    if not flt.include_rejected:
        clauses.append(f"NOT {_REJECTED}")
    if fused_only(flt):  # leads of fused events, and events not fused at all (bulk-loaded rows)
        clauses.append(
            "v.event_id NOT IN (SELECT fx.event_id FROM event_fusion fx WHERE fx.fused_id <> fx.event_id)"
        )
    return ((" WHERE " + " AND ".join(clauses)) if clauses else ""), params


# --------------------------------------------------------------------------- migrations


def migrations() -> list[tuple[int, str, str]]:
    """The packaged migrations as (version, file name, SQL), numbered 1, 2, 3... without gaps."""
    folder = resources.files("eventwatch.store").joinpath("migrations")
    found: list[tuple[int, str, str]] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    if [v for v, _, _ in found] != list(range(1, len(found) + 1)):
        raise SchemaError(f"packaged migrations are not numbered 1..n: {[n for _, n, _ in found]}")
    return found


LATEST_VERSION = len(migrations())


# --------------------------------------------------------------------------- the store


class Store:
    """One DuckDB file, one connection, guarded by a lock so threads can share the store."""

    def __init__(
        self,
        path: Path | str,
        *,
        read_only: bool = False,
        clock: Callable[[], datetime] | None = None,
        memory_limit: str | None = None,
    ) -> None:
        """``memory_limit`` caps DuckDB's memory (e.g. "1GB"; default: the setting
        ``db_memory_limit``, env ``EVENTWATCH_DB_MEMORY_LIMIT``), so a long ingest stays bounded."""
        import duckdb

        self.path = Path(path)
        self.read_only = read_only
        self._clock = clock or (lambda: datetime.now(UTC).replace(tzinfo=None))
        self._lock = threading.RLock()
        self._views: list[str] = []
        self._error = duckdb.Error
        memory = str(path) == ":memory:"
        if read_only and not memory and not self.path.exists():
            raise StoreError(f"database {self.path} does not exist")
        try:
            self._con: duckdb.DuckDBPyConnection | None = duckdb.connect(
                ":memory:" if memory else str(self.path), read_only=read_only
            )
        except duckdb.Error as exc:
            raise StoreError(_open_problem(self.path, exc)) from exc
        if memory_limit is None:
            from eventwatch.config import Settings

            memory_limit = Settings.from_env().db_memory_limit
        try:
            self._limit_memory(memory_limit)
        except duckdb.Error as exc:
            self.close()
            raise StoreError(
                f"cannot open database {self.path}: invalid DuckDB memory limit {memory_limit!r} "
                f"(setting db_memory_limit, env EVENTWATCH_DB_MEMORY_LIMIT; e.g. '1GB'): {exc}"
            ) from exc
        try:
            self._migrate()
        except duckdb.Error as exc:
            self.close()
            raise SchemaError(f"cannot read the schema of database {self.path} (corrupted?): {exc}") from exc
        except BaseException:
            self.close()
            raise

    def _limit_memory(self, memory_limit: str) -> None:
        """Cap DuckDB's buffer pool ("" keeps DuckDB's default, 80% of RAM, under which a long
        ingest grows past its 1.5 GB budget). A SET, not a connect option: another connection to
        the same file in this process may have opened it with other options."""
        limit = memory_limit.strip()
        if limit:
            self.con.execute(f"SET memory_limit = '{limit.replace(chr(39), '')}'")

    # -- lifecycle

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise StoreError(f"database {self.path} is closed")
        return self._con

    def _fetch(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
        with self._lock:
            try:
                cur = self.con.execute(sql, list(params))
                names = [d[0] for d in cur.description or []]
                return names, cur.fetchall()
            except self._error as exc:
                raise StoreError(
                    _corrupt_problem(self.path, exc) or f"query on {self.path} failed: {exc}"
                ) from exc

    def _dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        names, rows = self._fetch(sql, params)
        return [dict(zip(names, row, strict=True)) for row in rows]

    # -- schema

    def _migrate(self) -> None:
        """Apply the packaged migrations the file lacks, each in its own transaction."""
        con = self.con
        pending = migrations()
        latest = len(pending)
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "schema_version" in tables:
            row = con.execute("SELECT max(version) FROM schema_version").fetchone()
            current = int(row[0]) if row and row[0] is not None else 0
        elif tables:
            raise SchemaError(
                f"database {self.path} has tables ({', '.join(sorted(tables))}) but no schema_version: "
                "it is not an eventwatch database"
            )
        else:
            current = 0
        if current > latest:
            raise SchemaError(
                f"database {self.path} has schema version {current}, newer than this eventwatch knows "
                f"({latest}); upgrade eventwatch to open it"
            )
        if current == latest:
            return
        if self.read_only:
            raise SchemaError(
                f"database {self.path} has schema version {current} and needs migrating to "
                f"{latest}; open it once without read-only"
            )
        for version, name, sql in pending[current:]:
            try:
                con.begin()
                con.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version "
                    "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
                )
                con.execute(sql)
                if version == 4:  # fuse and index what the database already held
                    from eventwatch.store.fusion import backfill

                    backfill(self)
                    while self._views:
                        con.unregister(self._views.pop())
                con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, self._clock()])
                con.commit()
            except self._error as exc:
                con.rollback()
                raise SchemaError(f"migration {name} failed on {self.path}: {exc}") from exc

    def schema_version(self) -> int:
        _, rows = self._fetch("SELECT max(version) FROM schema_version")
        return int(rows[0][0])

    # -- writing

    def write(
        self,
        extractions: Sequence[Extraction],
        *,
        also: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    ) -> WriteResult:
        """Store a batch in one transaction; see the module docstring for what is skipped.
        ``also`` runs in the same transaction, after the batch (``store.feeds`` marks feed items
        done with the articles they led to): both are committed, or neither."""
        try:
            with self._transaction() as con:
                result = self._write(list(extractions))
                if also is not None:
                    also(con)
        except StoreError:
            raise
        except Exception as exc:
            failure = f"writing {len(extractions)} article(s) to {self.path} failed, nothing was stored"
            corrupt = _corrupt_problem(self.path, exc)
            if "could not allocate" in str(exc) or "out of memory" in str(exc).lower():
                failure += (
                    " (DuckDB's indexes must fit in its memory limit: raise EVENTWATCH_DB_MEMORY_LIMIT)"
                )
            raise StoreError(f"{failure}: {corrupt or exc}") from exc
        return result

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction under the store's lock: committed when the block ends, rolled back when
        it raises; the Arrow views ``_insert`` registered are unregistered either way."""
        with self._lock:
            con = self.con
            con.begin()
            try:
                yield con
                con.commit()
            except BaseException:
                con.rollback()
                raise
            finally:
                # Unregistering inside an aborted transaction fails and would hide the real error.
                while self._views:
                    con.unregister(self._views.pop())

    def _write(self, batch: list[Extraction]) -> WriteResult:
        hashes = [x.article.content_hash for x in batch]
        ids = [x.article.article_id for x in batch]
        stored = self.con.execute(
            "SELECT article_id, content_hash FROM articles "
            "WHERE content_hash IN (SELECT unnest(?::VARCHAR[])) "
            "OR article_id IN (SELECT unnest(?::VARCHAR[]))",
            [hashes, ids],
        ).fetchall()
        known_hashes = {h for _, h in stored}
        known_ids = {a for a, _ in stored}
        rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLE_CODEC}
        skipped = 0
        conflicts: list[str] = []
        now = self._clock()
        new: list[Extraction] = []
        for extraction, content_hash in zip(batch, hashes, strict=True):
            article = extraction.article
            if content_hash in known_hashes or article.article_id in known_ids:
                skipped += 1
                if content_hash not in known_hashes:
                    conflicts.append(article.article_id)
                continue
            known_hashes.add(content_hash)
            known_ids.add(article.article_id)
            _check_article_ids(extraction)
            new.append(extraction)
        from eventwatch.store.fusion import find_duplicates, refuse

        copies = find_duplicates(self, [x.article for x in new])
        for extraction in new:
            article = extraction.article
            rows["articles"].append(
                {
                    **ARTICLE.flatten(article),
                    "content_hash": article.content_hash,
                    "extraction_errors": list(extraction.errors),
                    "ingested_at": now,
                }
            )
            if article.article_id in copies:
                continue  # a copy of a stored article: known, never coded twice
            for table, codec, items in (
                ("mentions", MENTION, extraction.mentions),
                ("events", EVENT, extraction.events),
                ("quantities", QUANTITY, extraction.quantities),
                ("relations", RELATION, extraction.relations),
            ):
                rows[table].extend({**codec.flatten(item), "position": i} for i, item in enumerate(items))
            for event in extraction.events:
                for role, actors in (("source", event.source_actors), ("target", event.target_actors)):
                    rows["event_actors"].extend(
                        {**ACTOR.flatten(actor), "event_id": event.event_id, "role": role, "position": i}
                        for i, actor in enumerate(actors)
                    )
        for table in ("articles", "mentions", "events", "event_actors", "quantities", "relations"):
            self._insert(table, rows[table])
        refuse(
            self,
            [r["event_id"] for r in rows["events"]],
            articles=sorted({original for original, _ in copies.values()}),
        )
        return WriteResult(
            articles_added=len(rows["articles"]),
            articles_skipped=skipped,
            events=len(rows["events"]),
            mentions=len(rows["mentions"]),
            quantities=len(rows["quantities"]),
            relations=len(rows["relations"]),
            conflicts=tuple(conflicts),
            duplicates=tuple(sorted(copies)),
        )

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert a record table's rows through an Arrow table: one statement, not one per row."""
        self._insert_rows(table, table_columns(table), rows)

    def _insert_rows(self, table: str, columns: dict[str, str], rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` (dicts with every key of ``columns``: name -> DuckDB type) into ``table``."""
        if not rows:
            return
        import pyarrow as pa

        arrow_types = {
            "VARCHAR": pa.string(),
            "BIGINT": pa.int64(),
            "DOUBLE": pa.float64(),
            "BOOLEAN": pa.bool_(),
            "VARCHAR[]": pa.list_(pa.string()),
            "TIMESTAMP": pa.timestamp("us"),
            "INTEGER": pa.int32(),
            "DATE": pa.date32(),
        }
        data = pa.table(
            {name: pa.array([r[name] for r in rows], type=arrow_types[sql]) for name, sql in columns.items()}
        )
        view = f"_eventwatch_{table}_rows"
        self.con.register(view, data)
        self._views.append(view)  # unregistered by ``write`` once the transaction is over
        self.con.execute(f"INSERT INTO {_q(table)} BY NAME SELECT * FROM {_q(view)}")

    def rebuild_fusion(self) -> int:
        """Index every stored article's band buckets again (copy links stay as they are) and fuse
        every stored event again, from scratch, in chunks: for rows bulk-loaded around ``write``,
        which keeps both up to date itself (until then such events count as their own fused event).
        Returns the number of fused events."""
        from eventwatch.store.fusion import backfill

        with self._transaction() as con:
            for table in ("event_fusion", "fused_events", "article_minhash"):
                con.execute(f"DELETE FROM {table}")
            backfill(self)
        _, rows = self._fetch("SELECT count(*) FROM fused_events")
        return int(rows[0][0])

    def has_article(self, content_hash: str) -> bool:
        _, rows = self._fetch("SELECT count(*) FROM articles WHERE content_hash = ?", [content_hash])
        return bool(rows[0][0])

    # -- reading

    def _event_query(self, flt: EventFilter, extra: str = "") -> tuple[str, list[Any]]:
        """Events (``event_view v``) with their fused event's figures as ``fe_*`` columns (null for a
        report that does not lead one) and ``ef_fused_id``, the fused event a report belongs to."""
        tail, params = _where(flt)
        cols = ", ".join(f"v.{_q(c)}" for c in EVENT.names)
        fused = ", ".join(f"fe.{_q(c)} AS {_q('fe_' + c)}" for c in _FUSED_EXTRA)
        return (
            f"SELECT {cols}, v.source_actors, v.target_actors{extra}, ef.fused_id AS ef_fused_id, {fused} "
            "FROM event_view v LEFT JOIN event_fusion ef ON ef.event_id = v.event_id "
            f"LEFT JOIN fused_events fe ON fe.fused_id = v.event_id{tail}",
            params,
        )

    def _event_rows(
        self, flt: EventFilter, extra: str = ""
    ) -> list[tuple[Event, FusedEvent | None, dict[str, Any]]]:
        """(event, its fused event where it leads one, the raw row); with a fused filter the event
        carries the fused figures (fatalities, injured)."""
        sql, params = self._event_query(flt, extra)
        out = []
        fused_rows = fused_only(flt)
        for row in self._dicts(sql, params):
            event = _event(row)
            fused = _fused_event(event, row) if row["fe_n_reports"] is not None else None
            if fused_rows and fused is not None:
                event = dataclasses.replace(event, fatalities=fused.fatalities, injured=fused.injured)
            out.append((event, fused, row))
        return out

    def events(self, flt: EventFilter = EventFilter()) -> list[Event]:
        """Events that pass ``flt``, ordered by day then event_id: fused events (with the figures
        across their reports) unless ``flt.reports``."""
        return [event for event, _, _ in self._event_rows(flt)]

    def fused_events(self, flt: EventFilter = EventFilter()) -> list[FusedEvent]:
        """The fused events that pass ``flt`` (``reports`` ignored), in the order of ``events``;
        ``lead`` keeps the lead report's own figures."""
        flt = dataclasses.replace(flt, reports=False, article_id=None)
        return [fused for _, fused, _ in self._event_rows(flt) if fused is not None]

    def near_duplicates(self, articles: Sequence[Article]) -> dict[str, tuple[str, float]]:
        """Which of ``articles`` (not yet stored) ``write`` would store as copies, and of what:
        {article_id: (original_id, similarity)}. Nothing is written: callers skip extracting them."""
        from eventwatch.store.fusion import copies_of

        return copies_of(self, articles)[0]

    def duplicates(self) -> list[tuple[str, str, float]]:
        """Stored near-duplicate articles: (article_id, original_id, similarity), by article_id."""
        _, rows = self._fetch(
            "SELECT article_id, original_id, similarity FROM article_duplicates ORDER BY article_id"
        )
        return [(r[0], r[1], float(r[2])) for r in rows]

    def events_with_article(self, flt: EventFilter = EventFilter()) -> list[tuple[Event, ArticleInfo]]:
        """Events with the article fields exports need, in the order of ``events``."""
        extra = ", v.published, v.source, v.url, v.title, v.ingested_at"
        return [(event, _article_info(row)) for event, _, row in self._event_rows(flt, extra)]

    def events_with_fusion(
        self, flt: EventFilter = EventFilter()
    ) -> list[tuple[Event, ArticleInfo, FusedEvent | None]]:
        """``events_with_article`` plus, for a fused row, its fused event (None for report rows)."""
        extra = ", v.published, v.source, v.url, v.title, v.ingested_at"
        fused_rows = fused_only(flt)
        return [
            (event, _article_info(row), fused if fused_rows else None)
            for event, fused, row in self._event_rows(flt, extra)
        ]

    def event_rows(self, flt: EventFilter = EventFilter()) -> list[dict[str, Any]]:
        """The contract's JSON records of the events, plus the article's published, source, url,
        title, the ``fused_id`` of the fused event each belongs to and, for fused rows, ``fusion``:
        n_reports, n_articles, n_sources, event_ids, article_ids, duplicate_ids, sources,
        date_start, date_end, fatalities, injured, disagreements."""
        return self._event_records(flt, every_lead=False)

    def _event_records(self, flt: EventFilter, *, every_lead: bool) -> list[dict[str, Any]]:
        """``event_rows``; with ``every_lead`` a report that leads a fused event gets ``fusion``
        even when ``flt`` asks for reports."""
        extra = ", v.published, v.source, v.url, v.title, v.ingested_at"
        out = []
        fused_rows = fused_only(flt) or every_lead
        for event, fused, row in self._event_rows(flt, extra):
            record = {
                **to_record(event),
                "published": row["published"],
                "source": row["source"],
                "url": row["url"],
                "title": row["title"],
                "fused_id": row["ef_fused_id"],
            }
            if fused_rows and fused is not None:
                record["fusion"] = fusion_record(fused)
            out.append(record)
        return out

    def event_row(self, event_id: str) -> dict[str, Any] | None:
        """One event (the report: its own figures) as ``event_rows`` gives it, with ``fusion`` when it
        leads a fused event; None when there is no such event."""
        _, hits = self._fetch("SELECT article_id FROM events WHERE event_id = ?", [event_id])
        if not hits:
            return None
        rows = self._event_records(EventFilter(article_id=hits[0][0]), every_lead=True)
        return next((r for r in rows if r["event_id"] == event_id), None)

    def articles(self) -> list[Article]:
        cols = ", ".join(_q(c) for c in ARTICLE.names)
        rows = self._dicts(f"SELECT {cols} FROM articles ORDER BY published NULLS LAST, article_id")
        return [ARTICLE.unflatten(r) for r in rows]

    def article(self, article_id: str) -> Article | None:
        cols = ", ".join(_q(c) for c in ARTICLE.names)
        rows = self._dicts(f"SELECT {cols} FROM articles WHERE article_id = ?", [article_id])
        return ARTICLE.unflatten(rows[0]) if rows else None

    def _records(self, table: str, codec: _Codec, article_id: str | None) -> list[Any]:
        cols = ", ".join(_q(c) for c in codec.names)
        where, params = ("WHERE article_id = ?", [article_id]) if article_id is not None else ("", [])
        rows = self._dicts(f"SELECT {cols} FROM {_q(table)} {where} ORDER BY article_id, position", params)
        return [codec.unflatten(r) for r in rows]

    def mentions(self, article_id: str | None = None) -> list[Mention]:
        return self._records("mentions", MENTION, article_id)

    def quantities(self, article_id: str | None = None) -> list[Quantity]:
        return self._records("quantities", QUANTITY, article_id)

    def relations(self, article_id: str | None = None) -> list[Relation]:
        return self._records("relations", RELATION, article_id)

    def quantities_with_article(self, what: str | None = None) -> list[tuple[Quantity, ArticleInfo]]:
        """Quantities whose ``what`` contains ``what`` (case-insensitive), with their article's
        fields, ordered by period start (undated last), then article and position."""
        cols = ", ".join(f"q.{_q(c)}" for c in QUANTITY.names)
        sql = (
            f"SELECT {cols}, a.published, a.source, a.url, a.title, a.ingested_at "
            "FROM quantities q JOIN articles a ON a.article_id = q.article_id"
        )
        params: list[Any] = []
        if what is not None:
            sql += " WHERE contains(lower(q.what), lower(?))"
            params.append(what)
        sql += " ORDER BY q.period_start NULLS LAST, q.article_id, q.position"
        out = []
        for row in self._dicts(sql, params):
            out.append((QUANTITY.unflatten(row), _article_info(row)))
        return out

    def count_events(self, flt: EventFilter = EventFilter()) -> int:
        """How many events pass ``flt`` (its limit and offset ignored)."""
        where, params = _conditions(flt)
        _, rows = self._fetch(f"SELECT count(*) FROM event_view v{where}", params)
        return int(rows[0][0])

    def has_event(self, event_id: str) -> bool:
        _, rows = self._fetch("SELECT count(*) FROM events WHERE event_id = ?", [event_id])
        return bool(rows[0][0])

    def add_review(
        self,
        event_id: str,
        *,
        reviewer: str,
        changes: str,
        not_an_event: bool,
        note: str | None,
    ) -> int:
        """Store one review (``changes`` is a JSON object as text); returns its ``review_id``.
        The event's own row is never touched."""
        if not self.has_event(event_id):
            raise QueryError(f"no event {event_id!r} to review")
        _, rows = self._fetch(
            "INSERT INTO reviews (event_id, reviewer, reviewed_at, changes, not_an_event, note) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING review_id",
            [event_id, reviewer, self._clock(), changes, not_an_event, note],
        )
        return int(rows[0][0])

    def reviews(self, event_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Reviews (of ``event_ids``, else all) oldest first: review_id, event_id, reviewer,
        reviewed_at, changes (JSON text), not_an_event, note."""
        sql = "SELECT review_id, event_id, reviewer, reviewed_at, changes, not_an_event, note FROM reviews"
        params: list[Any] = []
        if event_ids is not None:
            sql += " WHERE event_id IN (SELECT unnest(?::VARCHAR[]))"
            params.append(list(event_ids))
        return self._dicts(sql + " ORDER BY review_id", params)

    def extraction(self, article_id: str) -> Extraction | None:
        """Everything stored for one article, in the order it was written."""
        article = self.article(article_id)
        if article is None:
            return None
        _, rows = self._fetch(
            "SELECT event_id FROM events WHERE article_id = ? ORDER BY position", [article_id]
        )
        order = {r[0]: i for i, r in enumerate(rows)}
        events = sorted(self.events(EventFilter(article_id=article_id)), key=lambda e: order[e.event_id])
        _, err = self._fetch("SELECT extraction_errors FROM articles WHERE article_id = ?", [article_id])
        return Extraction(
            article=article,
            mentions=tuple(self.mentions(article_id)),
            events=tuple(events),
            quantities=tuple(self.quantities(article_id)),
            relations=tuple(self.relations(article_id)),
            errors=tuple(err[0][0] or ()),
        )

    def counts(self) -> dict[str, int]:
        tables = ("articles", "events", "mentions", "quantities", "relations")
        sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {_q(t)})" for t in tables)
        _, rows = self._fetch(sql)
        return dict(zip(tables, (int(n) for n in rows[0]), strict=True))

    def summary(self, *, top: int = 10) -> dict[str, Any]:
        """Counts (stored rows), fused events and near-duplicate articles, fused events by type and
        by modality, and the ``top`` actors by number of fused events any report of which names them."""
        if top < 0:
            raise QueryError(f"top must be 0 or more, not {top}")
        where, params = _conditions(EventFilter())
        _, by_type = self._fetch(
            f"SELECT v.plover_type, count(*) AS n FROM events v{where} GROUP BY 1 ORDER BY n DESC, 1", params
        )
        _, by_modality = self._fetch(
            f"SELECT v.modality, count(*) AS n FROM events v{where} GROUP BY 1 ORDER BY n DESC, 1", params
        )
        _, actors = self._fetch(
            "SELECT x.name, count(DISTINCT COALESCE(f.fused_id, x.event_id)) AS n FROM event_actors x "
            "LEFT JOIN event_fusion f ON f.event_id = x.event_id GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?",
            [top],
        )
        _, fused = self._fetch(
            f"SELECT (SELECT count(*) FROM events v{where}), (SELECT count(*) FROM article_duplicates)",
            params,
        )
        return {
            "fused_events": int(fused[0][0]),
            "duplicate_articles": int(fused[0][1]),
            "counts": self.counts(),
            "events_by_type": [(t, int(n)) for t, n in by_type],
            "events_by_modality": [(m, int(n)) for m, n in by_modality],
            "top_actors": [(a, int(n)) for a, n in actors],
        }

    def export_parquet(self, path: Path, flt: EventFilter = EventFilter()) -> int:
        """Write the events that pass ``flt`` as one Parquet file (DuckDB's COPY): every flat event
        column, the actors as LIST of STRUCT, the article's published/source/url/title and the
        ``fused_id``; fused rows carry the figures across reports and the fused columns (n_reports,
        n_articles, n_sources, event_ids, article_ids, duplicate_ids, sources, date_start, date_end,
        disagreements as JSON text)."""
        tail, params = _where(flt)
        figures = ("fatalities_", "injured_")
        fused = fused_only(flt)
        cols = ", ".join(
            f"fe.{_q(c)} AS {_q(c)}" if fused and c.startswith(figures) else f"v.{_q(c)}" for c in EVENT.names
        )
        extra = "ef.fused_id"
        if fused:
            extra += ", " + ", ".join(
                f"fe.{_q(c)}" for c in _FUSED_EXTRA if not c.startswith(figures) and c != "disagreements"
            )
            extra += ", fe.disagreements"
        sql = (
            f"SELECT {cols}, v.source_actors, v.target_actors, v.published, v.source, v.url, v.title, "
            f"{extra} "
            "FROM event_view v LEFT JOIN event_fusion ef ON ef.event_id = v.event_id "
            f"LEFT JOIN fused_events fe ON fe.fused_id = v.event_id{tail}"
        )
        with self._lock:
            try:
                cursor = self.con.cursor()  # a fresh cursor: no earlier result may be pending on it
                try:
                    cursor.sql(sql, params=params).write_parquet(str(path))
                    row = cursor.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()
                finally:
                    cursor.close()
            except self._error as exc:
                raise StoreError(f"Parquet export from {self.path} to {path} failed: {exc}") from exc
        return int(row[0]) if row else 0


_LOCK_HOLDER = re.compile(r"\(PID (\d+)\)")
_CORRUPT_CUES = ("not a valid duckdb database", "could not read enough bytes", "corrupt")


def _open_problem(path: Path, exc: Exception) -> str:
    """Why a database file cannot be opened, in words a user can act on (DuckDB's own are terse)."""
    detail = str(exc)
    lowered = detail.lower()
    if "could not set lock" in lowered or "conflicting lock" in lowered:
        holder = _LOCK_HOLDER.search(detail)
        who = f" (process {holder.group(1)})" if holder else ""
        return (
            f"cannot open database {path}: the database is in use by another process{who}, and "
            "DuckDB allows one writer per file. Retry when it has finished, or send articles to the "
            "running server (POST /api/articles)"
        )
    if any(cue in lowered for cue in _CORRUPT_CUES):
        return (
            f"cannot open database {path}: it is corrupted or not a DuckDB database file ({detail}); "
            "restore it from a backup, or ingest again into a new file"
        )
    return f"cannot open database {path}: {detail}"


def _corrupt_problem(path: Path, exc: Exception) -> str | None:
    """The message for a read or write that hit a damaged file; None for any other failure."""
    if not any(cue in str(exc).lower() for cue in _CORRUPT_CUES):
        return None
    return f"database {path} is corrupted ({exc}); restore it from a backup, or ingest again into a new file"


def _article_info(row: dict[str, Any]) -> ArticleInfo:
    """The article fields a joined event or quantity row carries."""
    return ArticleInfo(
        row["article_id"], row["published"], row["source"], row["url"], row["title"], row["ingested_at"]
    )


def _event(row: dict[str, Any]) -> Event:
    actors = {
        role: tuple(_build(ActorRef, a) for a in (row[f"{role}_actors"] or ()))
        for role in ("source", "target")
    }
    event: Event = EVENT.unflatten(row, source_actors=actors["source"], target_actors=actors["target"])
    return event


# The columns of ``fused_events`` a query selects next to the lead report's (as ``fe_<name>``).
_FUSED_EXTRA = (
    "n_reports", "n_articles", "n_sources", "event_ids", "article_ids", "duplicate_ids", "sources",
    "fatalities_low", "fatalities_best", "fatalities_high", "fatalities_text",
    "injured_low", "injured_best", "injured_high", "injured_text",
    "date_start", "date_end", "disagreements",
)  # fmt: skip


def _fused_event(lead: Event, row: dict[str, Any]) -> FusedEvent:
    """The fused event a row's ``fe_*`` columns describe, led by ``lead``."""
    import json

    counts: dict[str, Count | None] = {}
    for name in ("fatalities", "injured"):
        text = row[f"fe_{name}_text"]
        counts[name] = (
            None
            if text is None
            else Count(row[f"fe_{name}_low"], row[f"fe_{name}_best"], row[f"fe_{name}_high"], text)
        )
    return FusedEvent(
        fused_id=lead.event_id,
        lead=lead,
        event_ids=tuple(row["fe_event_ids"]),
        article_ids=tuple(row["fe_article_ids"]),
        duplicate_ids=tuple(row["fe_duplicate_ids"]),
        sources=tuple(row["fe_sources"]),
        n_sources=int(row["fe_n_sources"]),
        fatalities=counts["fatalities"],
        injured=counts["injured"],
        date_start=row["fe_date_start"],
        date_end=row["fe_date_end"],
        disagreements=tuple(
            Disagreement(
                d["field"], tuple(Reading(r["value"], tuple(r["article_ids"])) for r in d["readings"])
            )
            for d in json.loads(row["fe_disagreements"])
        ),
    )


def fusion_record(fused: FusedEvent) -> dict[str, Any]:
    """The JSON shape of what fusion adds to a fused event's row."""
    from eventwatch.store.fusion import disagreements_plain, fused_fields

    return {
        **fused_fields(fused),
        "fatalities": None if fused.fatalities is None else dataclasses.asdict(fused.fatalities),
        "injured": None if fused.injured is None else dataclasses.asdict(fused.injured),
        "disagreements": disagreements_plain(fused),
    }


def _check_article_ids(extraction: Extraction) -> None:
    """Refuse records filed under another article: they would be orphaned or misattributed."""
    article_id = extraction.article.article_id
    for group in (extraction.mentions, extraction.events, extraction.quantities, extraction.relations):
        for item in group:
            if item.article_id != article_id:
                raise StoreError(
                    f"article {article_id!r}: {type(item).__name__.lower()} carries article_id "
                    f"{item.article_id!r}"
                )
