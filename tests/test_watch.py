"""``eventwatch watch`` driven in-process against a real local HTTP server serving a feed and its
article pages, on a real DuckDB file; the clock and the sleep are fakes, so no test waits."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from hashlib import sha1
from html import escape
from pathlib import Path
from typing import Any

import pytest

from eventwatch import api
from eventwatch.config import Settings
from eventwatch.errors import ConfigError, FetchError, InputError
from eventwatch.io.fetch import conditional_http_fetcher
from eventwatch.model import Article, Extraction, stable_id
from eventwatch.store import Store
from eventwatch.store.feeds import feed_state, feed_states, item_counts, item_states
from eventwatch.watch import Watcher, WatchStats, backoff_s, parse_feed

START = datetime(2026, 3, 2, 8, 0, 0)
TEXTS = (
    "Police arrested 12 protesters in Baghdad on Monday, officials said.",
    "Rebels attacked an army post near Goma on Tuesday, killing three soldiers.",
    "The government and the rebels signed a ceasefire agreement in Doha on Wednesday.",
    "Thousands of people marched in Beirut against a new tax on messaging calls.",
    "The army shelled villages near the border, residents said on Thursday.",
    "The minister accused the opposition of planning violent protests in the capital.",
    "Gunmen abducted 20 villagers in Zamfara state on Friday, police said.",
    "Drones struck a fuel depot in the port city overnight, the governor said.",
)


# --- a news site: a feed and its pages ------------------------------------------------------------


class Site:
    """What the local server serves, with switches for the failures a test wants."""

    def __init__(self, n_items: int) -> None:
        self.items: list[int] = list(range(n_items))
        self.requests: Counter[str] = Counter()
        self.not_modified = 0
        self.feed_failures = 0  # the next N feed requests answer 500
        self.feed_body: bytes | None = None  # served instead of the feed (a malformed one)
        self.broken: set[int] = set()  # items whose page answers 500
        self.no_link: set[int] = set()  # items without a link, only their summary
        self.etag = True
        self.last_modified = True
        self.on_page: Any = None  # called with the item number before a page is served
        self.lock = threading.Lock()

    def feed(self) -> bytes:
        entries = []
        for n in self.items:
            link = "" if n in self.no_link else f"<link>{{base}}/a/{n}.html</link>"
            entries.append(
                f"<item><title>Report {n}</title>{link}<guid isPermaLink='false'>item-{n}</guid>"
                f"<pubDate>Mon, 02 Mar 2026 0{n % 10}:00:00 +0000</pubDate>"
                f"<description>Summary {n}: {escape(TEXTS[n % len(TEXTS)])}</description></item>"
            )
        return (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Test Wire</title>"
            f"<link>{{base}}/</link><description>tests</description>{''.join(entries)}</channel></rss>"
        ).encode()

    def page(self, n: int) -> bytes:
        text = f"{TEXTS[n % len(TEXTS)]} This is report number {n} of the test wire."
        return (
            f"<html lang='en'><head><title>Report {n}</title></head><body><nav>Home</nav>"
            f"<article><h1>Report {n}</h1><p>{escape(text)}</p></article></body></html>"
        ).encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    site: Site

    def do_GET(self) -> None:
        site = self.site
        with site.lock:
            site.requests[self.path] += 1
        base = f"http://{self.headers['Host']}"
        if self.path == "/feed.xml":
            self._feed(site, base)
        elif self.path.startswith("/a/") and self.path.endswith(".html"):
            n = int(self.path[3:-5])
            if site.on_page is not None:
                site.on_page(n)
            if n in site.broken or n not in site.items:
                self._send(500 if n in site.broken else 404, b"broken", "text/plain")
            else:
                self._send(200, site.page(n), "text/html; charset=utf-8")
        else:
            self._send(404, b"not here", "text/plain")

    def _feed(self, site: Site, base: str) -> None:
        if site.feed_failures:
            site.feed_failures -= 1
            self._send(500, b"down", "text/plain")
            return
        body = site.feed_body or site.feed().replace(b"{base}", base.encode())
        etag = '"' + sha1(body).hexdigest()[:12] + '"'
        modified = format_datetime(
            (START + timedelta(minutes=len(site.items))).replace(tzinfo=UTC), usegmt=True
        )
        if (site.etag and self.headers.get("If-None-Match") == etag) or (
            not site.etag and site.last_modified and self.headers.get("If-Modified-Since") == modified
        ):
            site.not_modified += 1
            self.send_response(304)
            self.end_headers()
            return
        headers = {}
        if site.etag:
            headers["ETag"] = etag
        if site.last_modified:
            headers["Last-Modified"] = modified
        self._send(200, body, "application/rss+xml; charset=utf-8", headers)

    def _send(self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture
def site() -> Iterator[tuple[Site, str]]:
    """A site with 5 items, served on 127.0.0.1; yields it with its feed's URL."""
    state = Site(5)
    handler = type("Handler", (_Handler,), {"site": state})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{httpd.server_address[1]}/feed.xml"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


# --- fakes for the model and the clock ----------------------------------------------------------


class Recorder:
    """Stands in for the spaCy extractor: no events, but it counts what it was given."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        for article in articles:
            self.seen.append(article.article_id)
            yield Extraction(article=article)


class Clock:
    """A clock that only moves when the watcher sleeps; ``then`` runs at each sleep."""

    def __init__(self) -> None:
        self.now = START
        self.sleeps: list[float] = []
        self.then: Any = None

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)
        if self.then is not None:
            self.then(len(self.sleeps))


def watcher(db: Path, feeds: list[str], clock: Clock | None = None, **options: Any) -> Watcher:
    clock = clock or Clock()
    options.setdefault("extractor", Recorder())
    settings = Settings(db_path=db, batch_size=options.pop("batch_size", 2), fetch_timeout_s=5.0)
    return Watcher(feeds, settings=settings, interval_s=300, clock=clock, sleep=clock.sleep, **options)


def stored(db: Path) -> list[str]:
    with Store(db, read_only=True) as store:
        return sorted(a.article_id for a in store.articles())


def statuses(db: Path, url: str) -> dict[str, tuple[str, int]]:
    with Store(db, read_only=True) as store:
        return {key: (s.status, s.attempts) for key, s in item_states(store, url).items()}


def pages(site: Site) -> dict[str, int]:
    return {path: n for path, n in site.requests.items() if path.startswith("/a/")}


# --- tests ----------------------------------------------------------------------------------------


def test_conditional_fetcher_sends_validators_and_hears_304(site: tuple[Site, str]) -> None:
    server, url = site
    fetch = conditional_http_fetcher(timeout_s=5.0, max_bytes=1_000_000)
    first = fetch(url, etag=None, last_modified=None)
    assert not first.not_modified and b"<rss" in first.content
    assert first.etag and first.last_modified
    again = fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.content == b""
    assert (again.etag, again.last_modified) == (first.etag, first.last_modified)
    assert server.not_modified == 1
    server.feed_failures = 1
    with pytest.raises(FetchError, match=r"feed\.xml: the server answered HTTP 500"):
        fetch(url, etag=None, last_modified=None)


def test_first_poll_stores_every_item_and_the_next_costs_a_304(
    site: tuple[Site, str], tmp_path: Path
) -> None:
    server, url = site
    db = tmp_path / "events.duckdb"
    stats = watcher(db, [url]).run(max_polls=1)
    assert (stats.polls, stats.new_items, stats.stored, stats.duplicates) == (1, 5, 5, 0)
    assert stored(db) == [f"item-{n}" for n in range(5)]
    assert statuses(db, url) == {f"item-{n}": ("stored", 0) for n in range(5)}
    with Store(db, read_only=True) as store:
        article = store.article("item-3")
        state = feed_state(store, url)
    assert article is not None and "report number 3" in article.text  # the page, not the summary
    assert article.source == "Test Wire" and article.url and article.url.endswith("/a/3.html")
    assert state.etag and state.last_modified and state.failures == 0 and state.polls == 1
    assert state.title == "Test Wire"

    recorder = Recorder()
    again = watcher(db, [url], extractor=recorder).run(max_polls=1)  # a new process, the same database
    assert server.not_modified == 1 and again.not_modified == 1
    assert (again.new_items, again.stored) == (0, 0) and recorder.seen == []
    assert all(n == 1 for n in pages(server).values()) and len(pages(server)) == 5


def test_last_modified_alone_is_honoured(site: tuple[Site, str], tmp_path: Path) -> None:
    server, url = site
    server.etag = False
    db = tmp_path / "events.duckdb"
    watcher(db, [url]).run(max_polls=1)
    assert watcher(db, [url]).run(max_polls=1).not_modified == 1
    assert server.not_modified == 1 and server.requests["/feed.xml"] == 2


def test_new_items_between_polls_are_stored_and_old_ones_not_fetched_again(
    site: tuple[Site, str], tmp_path: Path
) -> None:
    server, url = site
    db = tmp_path / "events.duckdb"
    clock = Clock()
    clock.then = lambda n: server.items.extend([5, 6]) if n == 1 else None
    stats = watcher(db, [url], clock).run(until=lambda s: s.stored >= 7)
    assert clock.sleeps == [300.0]
    assert (stats.rounds, stats.new_items, stats.stored) == (2, 7, 7)
    assert stored(db) == [f"item-{n}" for n in range(7)]
    assert set(pages(server).values()) == {1}  # every page fetched once


def test_a_failing_feed_backs_off_and_recovers_while_other_feeds_go_on(
    site: tuple[Site, str], tmp_path: Path
) -> None:
    server, url = site
    server.feed_failures = 3
    dead = url.replace("/feed.xml", "/gone.xml")  # 404 for ever
    db = tmp_path / "events.duckdb"
    clock = Clock()
    stats = watcher(db, [dead, url], clock).run(until=lambda s: s.stored >= 5)
    # The good feed fails 3 times: retried after 600, 1200 and 2400 s, then stored.
    assert stats.stored == 5 and stats.feed_errors >= 3 + 1
    assert clock.now - START == timedelta(seconds=600 + 1200 + 2400)
    with Store(db, read_only=True) as store:
        good, gone = feed_state(store, url), feed_state(store, dead)
    assert good.failures == 0 and good.last_error is None and good.polls == 4
    assert gone.failures >= 3 and gone.last_error is not None and "HTTP 404" in gone.last_error
    assert gone.etag is None
    assert backoff_s(1, interval_s=300, max_backoff_s=3600) == 600
    assert backoff_s(10, interval_s=300, max_backoff_s=3600) == 3600
    assert backoff_s(10, interval_s=7200, max_backoff_s=3600) == 7200


def test_a_broken_page_is_retried_on_later_polls_even_when_the_feed_is_unchanged(
    site: tuple[Site, str], tmp_path: Path
) -> None:
    server, url = site
    server.broken = {3}
    db = tmp_path / "events.duckdb"
    clock = Clock()
    first = watcher(db, [url], clock).run(max_polls=1)
    assert (first.stored, first.failed_items) == (4, 1)
    assert statuses(db, url)["item-3"] == ("failed", 1)
    with Store(db, read_only=True) as store:
        assert item_states(store, url)["item-3"].last_error == (
            f"{url.replace('feed.xml', 'a/3.html')}: the server answered HTTP 500 Internal Server Error"
        )
        assert feed_state(store, url).etag  # the failure is marked, so the answer is done with

    second = watcher(db, [url], clock).run(max_polls=1)  # still broken: attempt 2
    assert second.not_modified == 1 and second.failed_items == 1
    server.broken.clear()
    third = watcher(db, [url], clock).run(max_polls=1)
    assert third.not_modified == 1 and third.stored == 1
    assert statuses(db, url)["item-3"] == ("stored", 2)
    with Store(db, read_only=True) as store:
        article = store.article("item-3")
    assert article is not None and "report number 3" in article.text and article.errors == ()


def test_after_its_last_attempt_an_item_is_stored_from_its_summary_or_given_up(
    site: tuple[Site, str], tmp_path: Path
) -> None:
    server, url = site
    server.broken = {1}
    server.no_link = {2}
    db = tmp_path / "events.duckdb"
    clock = Clock()
    stats = watcher(db, [url], clock, max_attempts=2).run(max_polls=3)
    assert stats.failed_items == 1 and stats.stored == 5
    assert server.requests["/a/1.html"] == 2  # two attempts, then the summary
    with Store(db, read_only=True) as store:
        summary_only = store.article("item-1")
        no_link = store.article("item-2")
    assert summary_only is not None and summary_only.text.startswith("Summary 1:")
    assert summary_only.errors == (
        f"linked page not read in 2 attempts: {url.replace('feed.xml', 'a/1.html')}: the server "
        "answered HTTP 500 Internal Server Error; the feed's summary used instead",
    )
    assert no_link is not None and no_link.text.startswith("Summary 2:") and no_link.errors == ()
    assert statuses(db, url)["item-1"] == ("stored", 2)


def test_an_item_without_any_text_is_given_up_and_the_rest_stored(
    site: tuple[Site, str], tmp_path: Path
) -> None:
    server, url = site
    server.broken = {7}
    base = url.removesuffix("/feed.xml")
    server.feed_body = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
        "<item><guid isPermaLink='false'>empty</guid><title>No text</title></item>"
        f"<item><guid isPermaLink='false'>dead</guid><link>{base}/a/7.html</link></item>"
        "<item><guid isPermaLink='false'>full</guid>"
        "<description>Police arrested 12 protesters in Baghdad on Monday.</description></item>"
        "</channel></rss>"
    ).encode()
    db = tmp_path / "events.duckdb"
    stats = watcher(db, [url], max_attempts=2).run(max_polls=3)
    assert (stats.stored, stats.failed_items, stats.gave_up) == (1, 1, 2)
    assert statuses(db, url) == {"empty": ("failed", 2), "dead": ("failed", 2), "full": ("stored", 0)}
    assert server.requests["/a/7.html"] == 2  # not asked for again once given up
    with Store(db, read_only=True) as store:
        dead = item_states(store, url)["dead"]
    assert dead.last_error == (
        f"no summary, and linked page not read in 2 attempts: {base}/a/7.html: "
        "the server answered HTTP 500 Internal Server Error"
    )


def test_a_malformed_feed_is_a_feed_error_that_is_retried(site: tuple[Site, str], tmp_path: Path) -> None:
    server, url = site
    server.feed_body = b"<html><body><p>This is not a feed at all.</p></body></html>"
    db = tmp_path / "events.duckdb"
    clock = Clock()
    clock.then = lambda n: setattr(server, "feed_body", None)
    stats = watcher(db, [url], clock).run(until=lambda s: s.stored >= 5)
    assert stats.feed_errors == 1 and clock.sleeps == [600.0]
    with pytest.raises(InputError, match="not a readable RSS or Atom feed"):
        parse_feed(b"<html><body><p>This is not a feed at all.</p></body></html>", url=url)
    with pytest.raises(InputError, match="the answer is empty"):
        parse_feed(b"  ", url=url)


def test_a_truncated_feed_is_stored_but_polled_in_full_next_time(
    site: tuple[Site, str], tmp_path: Path
) -> None:
    server, url = site
    whole = server.feed().replace(b"{base}", url.removesuffix("/feed.xml").encode())
    server.feed_body = whole[: whole.index(b"<item><title>Report 3")] + b"<item><title>Rep"
    db = tmp_path / "events.duckdb"
    watcher(db, [url]).run(max_polls=1)
    assert stored(db) == ["item-0", "item-1", "item-2"]
    with Store(db, read_only=True) as store:
        assert feed_state(store, url).etag is None  # no 304 for an answer that was cut short
    server.feed_body = None
    again = watcher(db, [url]).run(max_polls=1)
    assert again.not_modified == 0 and again.stored == 2


def test_a_rerun_and_an_earlier_ingest_store_nothing_twice(site: tuple[Site, str], tmp_path: Path) -> None:
    server, url = site
    db = tmp_path / "events.duckdb"
    settings = Settings(db_path=db, fetch_timeout_s=5.0)
    done = api.ingest([url], settings=settings, extractor=Recorder())  # type: ignore[arg-type]
    assert done.articles_added == 5
    stats = watcher(db, [url]).run(max_polls=1)  # the same articles, read by the watcher
    assert (stats.new_items, stats.stored, stats.duplicates) == (5, 0, 5)
    assert statuses(db, url) == {f"item-{n}": ("duplicate", 0) for n in range(5)}
    server.items.append(5)
    again = watcher(db, [url]).run(max_polls=1)
    assert (again.new_items, again.stored, again.duplicates) == (1, 1, 0)
    assert stored(db) == [f"item-{n}" for n in range(6)]
    with Store(db, read_only=True) as store:
        assert item_counts(store) == {url: {"stored": 1, "duplicate": 5, "failed": 0}}
        assert [s.url for s in feed_states(store)] == [url]


def test_stop_commits_the_batch_in_hand_and_a_rerun_completes(site: tuple[Site, str], tmp_path: Path) -> None:
    server, url = site
    db = tmp_path / "events.duckdb"
    first = watcher(db, [url], batch_size=10)
    server.on_page = lambda n: first.stop() if n == 2 else None
    stats = first.run()
    assert stats.stored == 3 and stored(db) == ["item-0", "item-1", "item-2"]
    with Store(db, read_only=True) as store:
        assert feed_state(store, url).etag is None  # not every new item is marked yet
    server.on_page = None
    rest = watcher(db, [url]).run(max_polls=1)
    assert (rest.not_modified, rest.new_items, rest.stored, rest.duplicates) == (0, 2, 2, 0)
    assert stored(db) == [f"item-{n}" for n in range(5)]
    assert all(n == 1 for n in pages(server).values())


def test_sigterm_stops_after_the_batch_and_a_second_one_at_once(
    site: tuple[Site, str], tmp_path: Path
) -> None:
    server, url = site
    db = tmp_path / "events.duckdb"
    first = watcher(db, [url], batch_size=10)
    server.on_page = lambda n: os.kill(os.getpid(), signal.SIGTERM) if n == 1 else None
    before = signal.getsignal(signal.SIGTERM)
    with first.stop_on_signals():
        stats = first.run()
    assert signal.getsignal(signal.SIGTERM) is before
    assert stats.stored == 2 and first.stopping

    second = watcher(db, [url], batch_size=10)

    def twice(n: int) -> None:  # the second signal comes once the first is handled
        if n == 3:
            os.kill(os.getpid(), signal.SIGTERM)
            deadline = time.monotonic() + 10
            while not second.stopping and time.monotonic() < deadline:
                time.sleep(0.01)
            os.kill(os.getpid(), signal.SIGTERM)

    server.on_page = twice
    with pytest.raises(KeyboardInterrupt), second.stop_on_signals():
        second.run()
    assert stored(db) == ["item-0", "item-1"]  # the batch in hand (item 2) was never committed
    assert set(statuses(db, url)) == {"item-0", "item-1"}
    server.on_page = None
    watcher(db, [url]).run(max_polls=1)
    assert stored(db) == [f"item-{n}" for n in range(5)]


def test_feed_files_and_bad_arguments(tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_bytes(
        b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>File Wire</title>"
        b"<entry><id>urn:1</id><title>One</title><updated>2026-03-01T10:00:00Z</updated>"
        b"<summary>Rebels attacked an army post near Goma on Tuesday.</summary></entry></feed>"
    )
    db = tmp_path / "events.duckdb"
    assert watcher(db, [str(feed)]).run(max_polls=1).stored == 1
    assert watcher(db, [str(feed)]).run(max_polls=1).not_modified == 1  # unchanged file
    with Store(db, read_only=True) as store:
        [state] = feed_states(store)
        article = store.article("urn:1")
    assert state.url == str(feed.resolve()) and state.title == "File Wire"
    assert (
        article is not None and article.source == "File Wire" and article.published == "2026-03-01T10:00:00Z"
    )
    with pytest.raises(InputError, match=r"missing\.xml: no such feed file"):
        watcher(db, [str(tmp_path / "missing.xml")])
    with pytest.raises(ConfigError, match="no feed to watch"):
        watcher(db, [])
    with pytest.raises(ConfigError, match="must be positive"):
        watcher(db, [str(feed)], max_attempts=0)


def test_api_watch_with_the_real_model_stores_events(
    site: tuple[Site, str], tmp_path: Path, extractor: Any
) -> None:
    _, url = site
    db = tmp_path / "events.duckdb"
    settings = Settings(db_path=db, fetch_timeout_s=5.0)
    stats = api.watch([url], settings=settings, max_polls=1, extractor=extractor)
    assert isinstance(stats, WatchStats) and stats.stored == 5 and stats.events > 0
    with Store(db, read_only=True) as store:
        assert stats.events == store.counts()["events"]
        assert store.events()[0].article_id.startswith("item-")
    assert "5 new items: 5 stored" in stats.summary()


def test_the_cli_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from eventwatch.cli import app

    feed = tmp_path / "wire.rss"
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>"
        "<item><guid isPermaLink='false'>x1</guid><title>No text</title></item></channel></rss>"
    )
    db = tmp_path / "events.duckdb"
    runner = CliRunner()
    done = runner.invoke(app, ["watch", str(feed), "--db", str(db), "--max-polls", "1"])
    assert done.exit_code == 0, done.output
    assert (
        f"1 new items: 0 stored, 0 already stored, 0 failed reads, 1 given up; 0 events -> {db}"
        in done.stdout
    )
    assert "item x1: no text: no summary, content or link; given up" in done.stderr
    missing = runner.invoke(app, ["watch", str(tmp_path / "gone.rss"), "--db", str(db)])
    assert missing.exit_code == 1
    assert f"[E100] {tmp_path / 'gone.rss'}: no such feed file" in missing.stderr


def test_items_that_share_an_id_are_told_apart_by_their_page(site: tuple[Site, str], tmp_path: Path) -> None:
    server, url = site
    db = tmp_path / "events.duckdb"
    server.broken = {0}
    settings = Settings(db_path=db, fetch_timeout_s=5.0)
    api.ingest([url], settings=settings, extractor=Recorder())  # type: ignore[arg-type]
    server.broken.clear()
    with Store(db, read_only=True) as store:
        ingested = store.article("item-0")
    assert ingested is not None and ingested.text.startswith("Summary 0:")  # ingest fell back at once

    other = tmp_path / "other.xml"  # another wire that numbers its items like the site
    other.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Other Wire</title>"
        "<item><guid isPermaLink='false'>item-0</guid>"
        "<description>Protesters blocked the main highway north of the capital on Sunday.</description>"
        "</item></channel></rss>"
    )
    stats = watcher(db, [url, str(other)]).run(max_polls=1)
    # item-0 of the site: the same page (now readable) under the same id: a version already stored.
    assert statuses(db, url)["item-0"] == ("duplicate", 0)
    # item-0 of the other wire is another story: stored, under an id of its own.
    own_id = stable_id(str(other.resolve()), "item-0")
    assert statuses(db, str(other.resolve())) == {"item-0": ("stored", 0)}
    assert (stats.stored, stats.duplicates) == (1, 5)
    with Store(db, read_only=True) as store:
        theirs = store.article(own_id)
    assert theirs is not None and theirs.source == "Other Wire"
    assert stored(db) == sorted([*(f"item-{n}" for n in range(5)), own_id])


def test_a_round_is_skipped_while_another_process_holds_the_database(
    site: tuple[Site, str], tmp_path: Path
) -> None:
    _, url = site
    db = tmp_path / "events.duckdb"
    clock = Clock()
    holders: list[subprocess.Popen[str]] = []
    hold = (
        f"import duckdb, time; con = duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(60)"
    )

    def then(n: int) -> None:
        if n == 1:  # a second writer takes the file while the watcher sleeps
            holders.append(subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True))
            assert holders[0].stdout is not None and holders[0].stdout.readline() == "ready\n"
        elif n == 2:
            holders[0].kill()
            holders[0].communicate()

    clock.then = then
    try:
        stats = watcher(db, [url], clock).run(max_polls=3)
    finally:
        for holder in holders:
            if holder.poll() is None:
                holder.kill()
                holder.communicate()
    assert (stats.rounds, stats.store_errors, stats.polls, stats.not_modified) == (3, 1, 2, 1)
    assert "database busy 1 time(s)" in stats.summary()
    assert stored(db) == [f"item-{n}" for n in range(5)]
