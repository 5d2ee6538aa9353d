"""``kill -9`` during ``eventwatch watch`` at several points, then the same command again: every feed
item is stored exactly once, no event is missing or doubled, no article is stored without its
item's mark (nor marked without its article); SIGTERM stops it cleanly (exit 0) and loses nothing.

The feed and its pages are served by a real HTTP server in this process; ``watch`` runs as a real
``eventwatch`` process with the real model."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from hashlib import sha1
from html import escape
from pathlib import Path
from typing import IO, ClassVar

import duckdb
import pytest
from reliability_helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
N_ITEMS = 30
BATCH = "4"


def _paragraphs() -> list[str]:
    """Paragraphs of our own sample articles: one feed item each."""
    found: list[str] = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("/", 1)[1]
        found.extend(p.strip() for p in body.split("\n\n") if len(p.split()) >= 12)
    assert len(found) >= N_ITEMS
    return found[:N_ITEMS]


class _Site(http.server.BaseHTTPRequestHandler):
    """A feed of N_ITEMS items with an ETag, and one page per item."""

    paragraphs: ClassVar[list[str]] = []
    requests: ClassVar[Counter[str]] = Counter()
    lock = threading.Lock()

    def do_GET(self) -> None:
        with self.lock:
            self.requests["feed" if self.path == "/feed.xml" else "page"] += 1
        if self.path == "/feed.xml":
            base = f"http://{self.headers['Host']}"
            body = self._feed(base)
            etag = '"' + sha1(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                with self.lock:
                    self.requests["304"] += 1
                self.send_response(304)
                self.end_headers()
                return
            self._send(body, "application/rss+xml; charset=utf-8", {"ETag": etag})
        elif self.path.startswith("/story/"):
            n = int(self.path.removeprefix("/story/"))
            text = escape(self.paragraphs[n])
            page = (
                f"<html lang='en'><head><title>Story {n}</title></head><body><nav>Home | World</nav>"
                f"<article><h1>Story {n}</h1><p>{text}</p></article><footer>Test Wire</footer></body></html>"
            )
            self._send(page.encode(), "text/html; charset=utf-8")
        else:
            self.send_error(404)

    def _feed(self, base: str) -> bytes:
        items = "".join(
            f"<item><title>Story {n}</title><link>{base}/story/{n}</link>"
            f"<guid isPermaLink='false'>story-{n:02d}</guid>"
            f"<pubDate>Sun, 01 Jun 2025 10:{n:02d}:00 +0000</pubDate>"
            f"<description>{escape(p[:80])}</description></item>"
            for n, p in enumerate(self.paragraphs)
        )
        head = "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Test Wire</title>"
        return f"{head}<link>{base}/</link><description>t</description>{items}</channel></rss>".encode()

    def _send(self, body: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def feed_url() -> Iterator[str]:
    _Site.paragraphs = _paragraphs()
    _Site.requests = Counter()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/feed.xml"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _state(db: Path) -> dict[str, object]:
    """What a crash could spoil: doubles, orphans, articles and item marks out of step."""
    con = duckdb.connect(str(db), read_only=True)
    try:

        def one(sql: str) -> int:
            return int(con.execute(sql).fetchone()[0])  # type: ignore[index]

        def ids(sql: str) -> list[str]:
            return sorted(str(r[0]) for r in con.execute(sql).fetchall())

        return {
            "articles": ids("SELECT article_id FROM articles"),
            "distinct_hashes": one("SELECT count(DISTINCT content_hash) FROM articles"),
            "event_ids": ids("SELECT event_id FROM events"),
            "marked_stored": ids("SELECT article_id FROM feed_items WHERE status = 'stored'"),
            "other_marks": ids("SELECT item_key || ':' || status FROM feed_items WHERE status <> 'stored'"),
            "orphan_events": one(
                "SELECT count(*) FROM events e LEFT JOIN articles a USING (article_id) "
                "WHERE a.article_id IS NULL"
            ),
            "orphan_actors": one(
                "SELECT count(*) FROM event_actors x LEFT JOIN events e USING (event_id) "
                "WHERE e.event_id IS NULL"
            ),
        }
    finally:
        con.close()


def _check_consistent(state: dict[str, object]) -> None:
    articles = state["articles"]
    assert isinstance(articles, list)
    assert len(articles) == len(set(articles)) == state["distinct_hashes"]
    assert state["marked_stored"] == articles  # every stored article is marked, every mark stored
    assert state["other_marks"] == []
    assert state["orphan_events"] == state["orphan_actors"] == 0
    event_ids = state["event_ids"]
    assert isinstance(event_ids, list) and len(event_ids) == len(set(event_ids))


def _sizes(db: Path) -> tuple[int, int]:
    wal = db.with_name(db.name + ".wal")
    return (db.stat().st_size if db.exists() else -1, wal.stat().st_size if wal.exists() else -1)


class _Watch:
    """``eventwatch watch`` in a process of its own; its output is collected as it comes."""

    def __init__(self, url: str, db: Path, *extra: str) -> None:
        env = {**os.environ, "COLUMNS": "200"}
        env.pop("EVENTWATCH_DB", None)
        command = ["watch", url, "--db", str(db), "--batch-size", BATCH, *extra]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "eventwatch.cli", *command],
            cwd=db.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [
            threading.Thread(target=self._collect, args=(stream, lines), daemon=True)
            for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _collect(stream: IO[str] | None, lines: list[str]) -> None:
        assert stream is not None
        lines.extend(iter(stream.readline, ""))

    def round_over(self) -> bool:
        """The first round has ended: the poll's line says when the next one is."""
        return any("next poll in" in line for line in self.err)

    def wait(self, done: Callable[[], bool], *, timeout: float = 120) -> None:
        """Until ``done()``, the end of the first round, the end of the process, or ``timeout``."""
        deadline = time.monotonic() + timeout
        while not done() and not self.round_over() and self.proc.poll() is None:
            assert time.monotonic() < deadline, f"nothing happened in {timeout} s: {self.err}"
            time.sleep(0.005)

    def kill_9(self) -> None:
        self.proc.kill()  # SIGKILL
        self.finish()

    def finish(self, timeout: float = 120) -> tuple[int, str, str]:
        code = self.proc.wait(timeout=timeout)
        for reader in self._readers:
            reader.join()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return code, "".join(self.out), "".join(self.err)


def _file_changes(db: Path, n: int) -> Callable[[], bool]:
    """True once the database files have changed ``n`` times since the call."""
    last = [_sizes(db)]
    seen = [0]

    def check() -> bool:
        now = _sizes(db)
        if now != last[0]:
            last[0] = now
            seen[0] += 1
        return seen[0] >= n

    return check


@pytest.mark.slow
def test_kill_9_during_watch_then_rerun_stores_every_item_once(feed_url: str, tmp_path: Path) -> None:
    clean = tmp_path / "clean.duckdb"
    done = run_cli(
        "watch", feed_url, "--db", str(clean), "--max-polls", "1", "--batch-size", BATCH, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert f"{N_ITEMS} new items: {N_ITEMS} stored" in done.stdout
    expected = _state(clean)
    _check_consistent(expected)
    assert len(expected["articles"]) == N_ITEMS  # type: ignore[arg-type]
    assert expected["event_ids"], "the items should yield events"

    db = tmp_path / "crashed.duckdb"
    requests = _Site.requests

    def more(kind: str, n: int) -> Callable[[], bool]:
        """True once the server has answered ``n`` more requests of ``kind`` than now."""
        start = requests[kind]
        return lambda: requests[kind] >= start + n

    # Right after the feed answers and while the first pages are read (before any commit); as the
    # database files change (inside or right after a commit); mid-batch, after some commits (a page
    # is asked for only once the batches before it are committed: 4 per batch).
    points: list[tuple[str, Callable[[], Callable[[], bool]]]] = [
        ("the feed answered", lambda: more("feed", 1)),
        ("2 pages read", lambda: more("page", 2)),
        ("1st file change", lambda: _file_changes(db, 1)),
        ("7 pages read", lambda: more("page", 7)),
        ("2nd file change", lambda: _file_changes(db, 2)),
    ]
    runs: list[_Watch] = []
    try:
        for label, make in points:
            run = _Watch(feed_url, db)  # no --max-polls: it would poll for ever
            runs.append(run)
            run.wait(make())
            assert not run.round_over(), f"the round ended before the kill point '{label}'"
            run.kill_9()
            state = _state(db)  # the database opened before the feed was asked for; it survived
            _check_consistent(state)
            stored = len(state["articles"])  # type: ignore[arg-type]
            print(f"killed after {label}: {stored} articles stored")
            assert stored < N_ITEMS

        # SIGTERM mid-run: the batch in hand commits, exit 0 with a summary, and nothing is lost.
        run = _Watch(feed_url, db)
        runs.append(run)
        run.wait(_file_changes(db, 1))
        run.proc.send_signal(signal.SIGTERM)
        code, out, err = run.finish()
        assert code == 0, err
        assert "SIGTERM: stopping after the current batch" in err
        assert "feed polls" in out and "events" in out
        _check_consistent(_state(db))

        rerun = run_cli(
            "watch", feed_url, "--db", str(db), "--max-polls", "1", "--batch-size", BATCH, cwd=tmp_path
        )
        assert rerun.returncode == 0, rerun.stderr
        assert _state(db) == expected

        # Everything done: the feed answers 304, nothing is fetched; SIGTERM while it sleeps ends it.
        pages_before = requests["page"]
        run = _Watch(feed_url, db, "--interval", "3600")
        runs.append(run)
        run.wait(lambda: False)
        run.proc.send_signal(signal.SIGTERM)
        code, out, err = run.finish(timeout=60)
        assert code == 0, err
        assert "feed.xml: not modified; next poll in" in err
        assert "0 new items: 0 stored" in out and "1 not modified" in out
        assert requests["page"] == pages_before
        assert _state(db) == expected
    finally:
        for run in runs:
            if run.proc.poll() is None:
                run.kill_9()
