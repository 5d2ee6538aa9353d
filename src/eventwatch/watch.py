"""Live ingest: poll RSS/Atom feeds, store each new item once, keep going through bad items and
dead feeds (``eventwatch watch``).

One round polls every feed that is due: a conditional GET (the ETag and Last-Modified of the last
answer), then each item not seen before (or failed, with attempts left) is read from its linked
page, extracted and stored. A feed that fails is retried after ``interval * 2**failures`` seconds
(capped); an item whose page cannot be fetched is marked failed and retried on the feed's next
polls, then, after ``max_attempts``, stored from the feed's summary (or given up, if it has none).

Crash safety (``kill -9`` at any moment, then the same command again) comes from the order of the
writes (``eventwatch.store.feeds``): a batch of articles is committed with its items' marks in one
transaction, and a feed's validators only after all its new items are marked, so anything not
committed is fetched again, and content-hash dedup makes storing it again a no-op.

Stopping (``stop()``, SIGINT, SIGTERM) lets the batch in hand commit, then returns; a second signal
raises ``KeyboardInterrupt`` at once, which rolls back the transaction in flight.

The database is opened for each round and closed between rounds, so queries can read it while the
watcher sleeps. The extractor (the spaCy model) loads on the first article and lives as long as the
``Watcher``. Network, clock and sleep are injected, so tests drive the loop without waiting.
"""

from __future__ import annotations

import io
import logging
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Protocol

from eventwatch.config import Settings
from eventwatch.errors import ConfigError, FetchError, InputError, SchemaError, StoreError
from eventwatch.io.fetch import ConditionalFetcher, Fetcher, Polled
from eventwatch.model import Article, Extraction, stable_id
from eventwatch.store.feeds import FeedItem, FeedState, ItemState

if TYPE_CHECKING:
    from eventwatch.store import Store

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 300.0
DEFAULT_MAX_BACKOFF_S = 3600.0
DEFAULT_MAX_ATTEMPTS = 5
Clock = Callable[[], datetime]


class Extracts(Protocol):
    """What the watcher needs of an ``eventwatch.pipeline.Extractor``."""

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]: ...


@dataclass
class WatchStats:
    """Counters of one ``Watcher.run``, printed as its summary."""

    rounds: int = 0
    polls: int = 0  # feed fetches
    not_modified: int = 0
    feed_errors: int = 0
    new_items: int = 0  # items never seen before
    stored: int = 0
    duplicates: int = 0  # items whose article was already stored
    failed_items: int = 0  # failed reads of an item, to be retried
    gave_up: int = 0  # items failed for good (no page after max_attempts and no summary)
    events: int = 0
    store_errors: int = 0  # rounds skipped because the database could not be opened

    def summary(self) -> str:
        feeds = f"{self.polls} feed polls in {self.rounds} round(s)"
        health = f"{self.not_modified} not modified, {self.feed_errors} feed errors"
        items = (
            f"{self.new_items} new items: {self.stored} stored, {self.duplicates} already stored, "
            f"{self.failed_items} failed reads, {self.gave_up} given up"
        )
        tail = f"; database busy {self.store_errors} time(s)" if self.store_errors else ""
        return f"{feeds} ({health}); {items}; {self.events} events{tail}"


def utc_now() -> datetime:
    """Naive UTC, as the store keeps its timestamps."""
    return datetime.now(UTC).replace(tzinfo=None)


# --- feeds: parsing and fetching ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    items: tuple[FeedItem, ...]
    complete: bool  # False when the parser recovered from an error: part of the feed may be missing


def parse_feed(
    data: bytes, *, url: str, base_url: str | None = None, content_type: str | None = None
) -> ParsedFeed:
    """The items of an RSS or Atom document, each with a key that stays the same across polls (the
    entry's id, else its link, else a hash of its title and text); the first of a repeated key wins.
    A document that is no feed is an ``InputError`` naming ``url``."""
    from xml.sax import SAXException

    import feedparser

    from eventwatch.io.readers import check_head, entry_date, entry_text, is_url, language_tag, str_or_none

    if not data.strip():
        raise FetchError(url, "the answer is empty")
    check_head(data[:4096], url)
    headers = {"content-location": base_url or url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = f" ({parsed.get('bozo_exception')})" if parsed.bozo else ""
        raise InputError(url, f"not a readable RSS or Atom feed{reason}")
    title = str_or_none(parsed.feed.get("title"))
    language = language_tag(parsed.feed.get("language"))
    items: dict[str, FeedItem] = {}
    for entry in parsed.entries:
        link = str_or_none(entry.get("link"))
        link = link if link and is_url(link) else None  # feedparser takes an Atom id ("urn:...") for one
        entry_title = str_or_none(entry.get("title"))
        summary = entry_text(entry)
        key = str_or_none(entry.get("id")) or link or stable_id(url, entry_title, summary)
        items.setdefault(
            key,
            FeedItem(
                key=key,
                link=link,
                title=entry_title,
                published=entry_date(entry),
                summary=summary,
                source=title,
                language=language,
            ),
        )
    broken = parsed.bozo and isinstance(parsed.get("bozo_exception"), SAXException)
    return ParsedFeed(title=title, items=tuple(items.values()), complete=not broken)


def file_feed(path: str, *, etag: str | None, last_modified: str | None, max_bytes: int) -> Polled:
    """A feed file read like a conditional GET: its modification time and size are its ETag."""
    file = Path(path)
    try:
        stat = file.stat()
        tag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        if tag == etag:
            return Polled(path, True, b"", None, path, etag, last_modified)
        if stat.st_size > max_bytes:
            raise InputError(path, f"the file is {stat.st_size} bytes, more than the limit of {max_bytes}")
        return Polled(path, False, file.read_bytes(), None, path, tag, None)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc


def feed_article(item: FeedItem, *, feed_url: str, page: Article | None, errors: Sequence[str]) -> Article:
    """The article an item becomes: its linked page's text where read, else the feed's summary.
    Same fields as ``eventwatch ingest FEED`` gives, so the two deduplicate against each other."""
    return Article(
        article_id=item.key,
        text=page.text if page is not None else item.summary,
        published=item.published or (page.published if page else None),
        source=item.source or (page.source if page else None),
        title=item.title or (page.title if page else None),
        url=(page.url if page else None) or item.link,
        language=item.language or (page.language if page else None),
        errors=tuple(errors),
        origin=f"{feed_url}, item {item.key}",
    )


def backoff_s(failures: int, *, interval_s: float, max_backoff_s: float) -> float:
    """Seconds to wait after ``failures`` consecutive failed polls: the interval, doubled per failure,
    capped (but never below the interval itself)."""
    return min(interval_s * 2.0 ** min(failures, 32), max(max_backoff_s, interval_s))


# --- the watcher ---------------------------------------------------------------------------------


class Watcher:
    """Polls ``feeds`` (http(s) URLs or feed files) into the database of ``settings``."""

    def __init__(
        self,
        feeds: Sequence[str],
        *,
        settings: Settings,
        interval_s: float = DEFAULT_INTERVAL_S,
        max_backoff_s: float = DEFAULT_MAX_BACKOFF_S,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        extractor: Extracts | None = None,
        fetch_feed: ConditionalFetcher | None = None,
        fetch_page: Fetcher | None = None,
        clock: Clock = utc_now,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        from eventwatch.io.fetch import conditional_http_fetcher, http_fetcher
        from eventwatch.io.readers import is_url

        if not feeds:
            raise ConfigError("no feed to watch: give at least one feed URL or file")
        if interval_s <= 0 or max_attempts < 1:
            raise ConfigError(
                f"the interval ({interval_s:g} s) and max_attempts ({max_attempts}) must be positive"
            )
        self.feeds: list[str] = []
        for feed in feeds:
            if not is_url(feed):
                path = Path(feed)
                if not path.is_file():
                    raise InputError(feed, "no such feed file (give an http(s) URL or an RSS/Atom file)")
                feed = str(path.resolve())
            if feed not in self.feeds:
                self.feeds.append(feed)
        self.settings = settings
        self.interval_s = interval_s
        self.max_backoff_s = max_backoff_s
        self.max_attempts = max_attempts
        self.stats = WatchStats()
        timeout, limit = settings.fetch_timeout_s, settings.max_input_bytes
        self._fetch_url = fetch_feed or conditional_http_fetcher(timeout_s=timeout, max_bytes=limit)
        self._fetch_page = fetch_page or http_fetcher(timeout_s=timeout, max_bytes=limit)
        self._extractor = extractor
        self._clock = clock
        self._stopping = threading.Event()
        self._sleep = sleep or self._wait

    # -- control

    def stop(self) -> None:
        """Ask the loop to stop once the batch in hand is committed."""
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def _wait(self, seconds: float) -> None:
        """Sleep, but wake up at once when asked to stop."""
        self._stopping.wait(seconds)

    @contextmanager
    def stop_on_signals(self) -> Iterator[None]:
        """SIGINT or SIGTERM: stop after the current batch; the same signal again: stop at once
        (``KeyboardInterrupt``; the transaction in flight rolls back). Main thread only."""

        def handle(signum: int, frame: FrameType | None) -> None:
            name = signal.Signals(signum).name
            if self.stopping:
                raise KeyboardInterrupt(name)
            log.warning("%s: stopping after the current batch (send it again to stop at once)", name)
            self.stop()

        previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def run(
        self, *, max_polls: int | None = None, until: Callable[[WatchStats], bool] | None = None
    ) -> WatchStats:
        """Poll until stopped, until ``max_polls`` rounds are done, or until ``until(stats)`` holds
        after a round. A database that cannot be opened at the start (in use, damaged, newer) is an
        error at once; later, one that is in use only skips the round."""
        from eventwatch.store import Store

        Store(self.settings.db_path).close()
        due = dict.fromkeys(self.feeds, self._clock())
        while not self.stopping:
            now = self._clock()
            ready = [url for url in self.feeds if due[url] <= now]
            if not ready:
                self._sleep(max(0.0, (min(due.values()) - now).total_seconds()))
                continue
            due.update(self._round(ready))
            self.stats.rounds += 1
            if (max_polls is not None and self.stats.rounds >= max_polls) or (until and until(self.stats)):
                break
        return self.stats

    # -- one round

    def _round(self, urls: list[str]) -> dict[str, datetime]:
        """Poll ``urls`` on one open store; returns when each is due next."""
        from eventwatch.store import Store

        retry_at = self._clock() + timedelta(seconds=self.interval_s)
        try:
            store = Store(self.settings.db_path)
        except SchemaError:
            raise
        except StoreError as exc:
            self.stats.store_errors += 1
            log.warning("%s; this round is skipped, next try in %g s", exc, self.interval_s)
            return dict.fromkeys(urls, retry_at)
        due: dict[str, datetime] = {}
        with store:
            for url in urls:
                if self.stopping:
                    break
                state = self._poll(store, url)
                due[url] = state.next_poll_at or retry_at
        return due

    def _poll(self, store: Store, url: str) -> FeedState:
        from eventwatch.store import feeds

        state = feeds.feed_state(store, url)
        known = feeds.item_states(store, url)
        retrying = {
            key: seen
            for key, seen in known.items()
            if seen.status == "failed" and seen.attempts < self.max_attempts
        }
        now = self._clock()
        before = replace(self.stats)
        self.stats.polls += 1
        try:
            polled = self._fetch(url, etag=state.etag, last_modified=state.last_modified)
            parsed = (
                None
                if polled.not_modified
                else parse_feed(
                    polled.content, url=url, base_url=polled.final_url, content_type=polled.content_type
                )
            )
        except InputError as exc:
            return self._feed_failed(store, state, exc, now)
        todo: list[tuple[FeedItem, int]] = []
        for item in parsed.items if parsed else ():
            seen = known.get(item.key)
            if seen is None:
                self.stats.new_items += 1
                todo.append((item, 0))
            elif item.key in retrying:
                todo.append((item, seen.attempts))
        fresh = {item.key for item, _ in todo}
        todo += [(seen.item, seen.attempts) for key, seen in retrying.items() if key not in fresh]
        done = self._process(store, url, todo)
        next_at = now + timedelta(seconds=self.interval_s)
        self.stats.not_modified += polled.not_modified
        after = replace(
            state,
            polls=state.polls + 1,
            failures=0,
            last_polled_at=now,
            last_ok_at=now,
            next_poll_at=next_at,
            last_error=None,
        )
        if parsed is not None:
            after = replace(after, title=parsed.title or state.title)
            if done and parsed.complete:  # validators only once every new item is marked
                after = replace(after, etag=polled.etag, last_modified=polled.last_modified)
            elif not parsed.complete:  # poll in full next time: items may be missing from this answer
                after = replace(after, etag=None, last_modified=None)
        if not done:
            log.info("%s: stopped before the end of this answer; the rest is read next time", url)
            return after
        feeds.save_feed(store, after)
        wait = max(0, round((next_at - self._clock()).total_seconds()))
        log.info("%s: %s; next poll in %d s", url, self._report(before, polled.not_modified, todo), wait)
        return after

    def _report(self, before: WatchStats, not_modified: bool, todo: list[tuple[FeedItem, int]]) -> str:
        """What one poll did, from the counters before and after it."""
        if not todo:
            return "not modified" if not_modified else "nothing new"

        def delta(name: str) -> int:
            return int(getattr(self.stats, name) - getattr(before, name))

        new = delta("new_items")
        return (
            f"{new} new, {len(todo) - new} retried: {delta('stored')} stored, "
            f"{delta('duplicates')} already stored, {delta('failed_items')} failed, "
            f"{delta('gave_up')} given up"
        )

    def _fetch(self, url: str, *, etag: str | None, last_modified: str | None) -> Polled:
        from eventwatch.io.readers import is_url

        if is_url(url):
            return self._fetch_url(url, etag=etag, last_modified=last_modified)
        return file_feed(url, etag=etag, last_modified=last_modified, max_bytes=self.settings.max_input_bytes)

    def _feed_failed(self, store: Store, state: FeedState, error: InputError, now: datetime) -> FeedState:
        from eventwatch.store import feeds

        self.stats.feed_errors += 1
        failures = state.failures + 1
        wait = backoff_s(failures, interval_s=self.interval_s, max_backoff_s=self.max_backoff_s)
        log.warning("%s (failure %d in a row; next try in %g s)", error, failures, wait)
        after = replace(
            state,
            polls=state.polls + 1,
            failures=failures,
            last_polled_at=now,
            next_poll_at=now + timedelta(seconds=wait),
            last_error=error.message,
        )
        feeds.save_feed(store, after)
        return after

    # -- items

    def _process(self, store: Store, url: str, todo: list[tuple[FeedItem, int]]) -> bool:
        """Read, extract and store the items, a batch per transaction. False if stopped before the end."""
        from eventwatch.store import feeds

        articles: list[tuple[Article, ItemState]] = []
        marks: list[ItemState] = []
        batch: dict[str, str] = {}  # content hash -> article id, in the batch in hand

        def flush() -> None:
            if not articles and not marks:
                return
            extractions = list(self._extract([article for article, _ in articles])) if articles else []
            result = feeds.write_items(
                store, extractions, [*marks, *(mark for _, mark in articles)], feed_url=url, now=self._clock()
            )
            self.stats.stored += result.articles_added
            self.stats.events += result.events
            if articles:
                log.info("%s: %d article(s) stored, %d events", url, result.articles_added, result.events)
            articles.clear()
            marks.clear()
            batch.clear()

        for item, attempts in todo:
            if self.stopping:
                flush()
                return False
            outcome = self._read(url, item, attempts)
            if isinstance(outcome, ItemState):
                marks.append(outcome)
                continue
            article, attempts = outcome
            article, copy_of = self._placed(store, url, item, article, batch)
            if copy_of is not None:
                self.stats.duplicates += 1
                marks.append(ItemState(item, "duplicate", attempts, article_id=copy_of))
                continue
            batch[article.content_hash] = article.article_id
            articles.append((article, ItemState(item, "stored", attempts, article_id=article.article_id)))
            if len(articles) >= self.settings.batch_size:
                flush()
        flush()
        return True

    def _placed(
        self, store: Store, url: str, item: FeedItem, article: Article, batch: dict[str, str]
    ) -> tuple[Article, str | None]:
        """``(article, id of its stored copy)`` when it is stored already: the same content, or
        another version of the same page under the same id. Else ``(article to store, None)``, under
        an id of its own where another story holds its id (feeds that number their items alike)."""
        from eventwatch.store import feeds

        if article.content_hash in batch:
            return article, batch[article.content_hash]
        own_id = stable_id(url, item.key)
        found = feeds.stored_like(
            store, content_hash=article.content_hash, article_ids=[article.article_id, own_id]
        )
        same_text = [match for match in found if match.content_hash == article.content_hash]
        if same_text:
            return article, same_text[0].article_id
        taken = {match.article_id: match for match in found}
        holder = taken.get(article.article_id)
        if holder is None:
            return article, None
        if holder.url is not None and holder.url in (article.url, item.link):
            return article, holder.article_id
        if own_id in taken:  # cannot be this item's (it would be marked): keep what is there
            return article, own_id
        log.warning(
            "%s, item %s: another story (%s) holds the id %r; stored as %r",
            url,
            item.key,
            holder.url or "no URL",
            article.article_id,
            own_id,
        )
        return replace(article, article_id=own_id), None

    def _read(self, url: str, item: FeedItem, attempts: int) -> tuple[Article, int] | ItemState:
        """The item's article (with the attempts it took), or its failed mark."""
        from eventwatch.io.readers import linked_page

        page: Article | None = None
        unused: str | None = None  # why the linked page is not used, where it is not
        if item.link:
            try:
                page = linked_page(item.link, fetch=self._fetch_page, max_bytes=self.settings.max_input_bytes)
            except FetchError as exc:  # the network or the server: worth another try later
                attempts += 1
                if attempts < self.max_attempts:
                    self.stats.failed_items += 1
                    log.warning("%s, item %s: %s (attempt %d, retried later)", url, item.key, exc, attempts)
                    return ItemState(item, "failed", attempts, last_error=exc.message)
                unused = f"linked page not read in {attempts} attempts: {exc.message}"
            except InputError as exc:  # the page is there but has no article in it: the summary will do
                attempts += 1
                unused = f"linked page not used: {exc.message}"
        if page is None and not item.summary:
            problem = f"no summary, and {unused}" if unused else "no text: no summary, content or link"
            self.stats.gave_up += 1
            log.warning("%s, item %s: %s; given up", url, item.key, problem)
            return ItemState(item, "failed", max(attempts, self.max_attempts), last_error=problem)
        errors = [f"{unused}; the feed's summary used instead"] if unused else []
        return feed_article(item, feed_url=url, page=page, errors=errors), attempts

    def _extract(self, articles: list[Article]) -> Iterator[Extraction]:
        if self._extractor is None:
            from eventwatch.pipeline import Extractor

            self._extractor = Extractor(settings=self.settings)
        return self._extractor.extract(articles)
