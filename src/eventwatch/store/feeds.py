"""The state of live feeds (``eventwatch watch``), kept in the event database (migration 003).

Per feed: its validators (ETag, Last-Modified), its health (consecutive failures drive the backoff)
and when it was polled. Per item: what became of it (``stored``, ``duplicate`` of an article already
there, or ``failed`` with the number of attempts and the last error), and what the feed said of it,
so a failed item can be retried after it has left the feed.

Crash safety rests on the order of the writes, each one transaction: ``write_items`` stores a batch
of articles together with the marks of the items they came from (``Store.write(..., also=...)``),
and ``save_feed`` saves a feed's new validators only after every new item of that answer is marked.
A ``kill -9`` anywhere leaves either an item marked with its article stored, or neither; an item
that is not marked is fetched again on the next run.

This module belongs to the store package: it reads through the store's own query helper, under its
lock, and writes through ``Store.write``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, get_args

from eventwatch.model import Extraction

if TYPE_CHECKING:
    import duckdb

    from eventwatch.store.duckdb_store import Store, WriteResult

ItemStatus = Literal["stored", "duplicate", "failed"]
ITEM_STATUSES: tuple[str, ...] = get_args(ItemStatus)


@dataclass(frozen=True, slots=True)
class FeedState:
    """What is known of one feed between polls. Times are naive UTC, as the store keeps them."""

    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    polls: int = 0
    failures: int = 0  # consecutive failed polls
    last_polled_at: datetime | None = None
    last_ok_at: datetime | None = None
    next_poll_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item as the feed describes it. ``key`` (the entry's id, else its link) identifies it
    across polls and is the id of the article it becomes."""

    key: str
    link: str | None = None
    title: str | None = None
    published: str | None = None
    summary: str = ""  # plain text of the item's content or summary
    source: str | None = None  # the feed's title
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ItemState:
    """What became of an item: ``attempts`` counts the tries to read its linked page."""

    item: FeedItem
    status: ItemStatus
    attempts: int = 0
    article_id: str | None = None
    last_error: str | None = None


_FEED_COLUMNS = (
    "url",
    "title",
    "etag",
    "last_modified",
    "polls",
    "failures",
    "last_polled_at",
    "last_ok_at",
    "next_poll_at",
    "last_error",
)
_ITEM_FIELDS = ("link", "title", "published", "summary", "source", "language")
_MARK_FIELDS = ("status", "attempts", "article_id", "last_error")


def feed_state(store: Store, url: str) -> FeedState:
    """The stored state of ``url``, or a fresh one for a feed never polled."""
    rows = store._dicts(f"SELECT {', '.join(_FEED_COLUMNS)} FROM feeds WHERE url = ?", [url])
    return FeedState(**rows[0]) if rows else FeedState(url=url)


def feed_states(store: Store) -> list[FeedState]:
    """Every feed the database knows, by URL."""
    rows = store._dicts(f"SELECT {', '.join(_FEED_COLUMNS)} FROM feeds ORDER BY url")
    return [FeedState(**row) for row in rows]


def item_states(store: Store, feed_url: str) -> dict[str, ItemState]:
    """Every item of ``feed_url`` seen so far, by key."""
    columns = ", ".join(("item_key", *_ITEM_FIELDS, *_MARK_FIELDS))
    rows = store._dicts(f"SELECT {columns} FROM feed_items WHERE feed_url = ?", [feed_url])
    return {row["item_key"]: _item_state(row) for row in rows}


def _item_state(row: dict[str, Any]) -> ItemState:
    fields = {name: row[name] for name in _ITEM_FIELDS}
    fields["summary"] = fields["summary"] or ""
    item = FeedItem(key=row["item_key"], **fields)
    return ItemState(item=item, **{name: row[name] for name in _MARK_FIELDS})


@dataclass(frozen=True, slots=True)
class StoredArticle:
    article_id: str
    content_hash: str
    url: str | None


def stored_like(store: Store, *, content_hash: str, article_ids: Sequence[str]) -> list[StoredArticle]:
    """Stored articles with this content hash or one of these ids: those ``Store.write`` would
    skip an article for."""
    rows = store._dicts(
        "SELECT article_id, content_hash, url FROM articles "
        "WHERE content_hash = ? OR article_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY article_id",
        [content_hash, list(article_ids)],
    )
    return [StoredArticle(**row) for row in rows]


def write_items(
    store: Store,
    extractions: Sequence[Extraction],
    marks: Sequence[ItemState],
    *,
    feed_url: str,
    now: datetime,
) -> WriteResult:
    """Store ``extractions`` and the items' ``marks`` in one transaction: both or neither."""
    rows = [_item_row(feed_url, mark, now) for mark in marks]

    def mark_items(con: duckdb.DuckDBPyConnection) -> None:
        if rows:
            con.executemany(_UPSERT_ITEM, rows)

    return store.write(extractions, also=mark_items)


_ITEM_COLUMNS = ("feed_url", "item_key", *_ITEM_FIELDS, *_MARK_FIELDS, "first_seen_at", "updated_at")
_UPSERT_ITEM = (
    f"INSERT INTO feed_items ({', '.join(_ITEM_COLUMNS)}) VALUES ({', '.join('?' * len(_ITEM_COLUMNS))}) "
    "ON CONFLICT (feed_url, item_key) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in (*_ITEM_FIELDS, *_MARK_FIELDS, "updated_at"))
)


def _item_row(feed_url: str, mark: ItemState, now: datetime) -> list[Any]:
    item = mark.item
    values = [feed_url, item.key, *(getattr(item, name) for name in _ITEM_FIELDS)]
    return [*values, mark.status, mark.attempts, mark.article_id, mark.last_error, now, now]


_UPSERT_FEED = (
    f"INSERT INTO feeds ({', '.join(_FEED_COLUMNS)}) VALUES ({', '.join('?' * len(_FEED_COLUMNS))}) "
    "ON CONFLICT (url) DO UPDATE SET " + ", ".join(f"{name} = excluded.{name}" for name in _FEED_COLUMNS[1:])
)


def save_feed(store: Store, state: FeedState) -> None:
    """Save a feed's state in a transaction of its own. Call it with new validators only once every
    new item of the answer they came with is marked (``write_items``)."""
    values = [getattr(state, name) for name in _FEED_COLUMNS]

    def save(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(_UPSERT_FEED, values)

    store.write((), also=save)


def item_counts(store: Store) -> dict[str, dict[str, int]]:
    """Per feed, how many of its items are stored, duplicates or failed."""
    rows = store._dicts("SELECT feed_url, status, count(*) AS n FROM feed_items GROUP BY ALL ORDER BY ALL")
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        out.setdefault(row["feed_url"], dict.fromkeys(ITEM_STATUSES, 0))[row["status"]] = int(row["n"])
    return out
