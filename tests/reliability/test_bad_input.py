"""Every way an input can be bad, through the real CLI on a real DuckDB file: a message that names
the file or URL, the record and the problem; a non-zero exit; no traceback; the database untouched.
``--skip-bad`` stores the good records and quarantines the rest."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from reliability_helpers import Cli, counts, digest, write_jsonl

GOOD = {
    "id": "new-1",
    "text": "Troops shelled the village of Tal Rifaat on Sunday.",
    "published": "2024-06-02",
}


def _jsonl(*lines: str) -> bytes:
    return "".join(line + "\n" for line in lines).encode()


# name -> (file name, content, fragments the message must hold)
FILE_CASES: dict[str, tuple[str, bytes | Callable[[Path], None], tuple[str, ...]]] = {
    "pdf-renamed-txt": ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", ("report.txt", "PDF")),
    "png-renamed-jsonl": ("feed.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ("feed.jsonl", "PNG")),
    "latin-1-text": (
        "latin.txt",
        "La police a arrêté des manifestants à Genève.".encode("latin-1"),
        ("latin.txt", "not valid UTF-8"),
    ),
    "utf-16-jsonl": (
        "wide.jsonl",
        json.dumps(GOOD).encode("utf-16"),
        ("wide.jsonl", "UTF-16"),
    ),
    "nul-bytes": ("nul.jsonl", b'{"id": "a", "text": "x\x00y"}\n', ("nul.jsonl", "NUL")),
    "empty-file": ("empty.jsonl", b"", ("empty.jsonl", "empty file")),
    "whitespace-only": ("blank.txt", b"  \n\n\t \n", ("blank.txt", "empty")),
    "invalid-json-line": (
        "broken.jsonl",
        _jsonl(json.dumps(GOOD), '{"id": "b", "text": "unterminated'),
        ("broken.jsonl", "line 2", "invalid JSON"),
    ),
    "truncated-download": (
        "cut.jsonl",
        (json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "id": "b"})[:30]).encode(),
        ("cut.jsonl", "line 2", "truncated"),
    ),
    "not-an-object": ("list.jsonl", _jsonl("[1, 2, 3]"), ("list.jsonl", "line 1", "expected a JSON object")),
    "missing-text": (
        "notext.jsonl",
        _jsonl('{"id": "a", "published": "2024-01-01"}'),
        ("line 1", "missing 'text'"),
    ),
    "empty-text": ("emptytext.jsonl", _jsonl('{"id": "a", "text": "   "}'), ("line 1", "empty 'text'")),
    "missing-id": ("noid.jsonl", _jsonl('{"text": "Police fired tear gas."}'), ("line 1", "missing 'id'")),
    "impossible-date": (
        "feb30.jsonl",
        _jsonl(json.dumps({**GOOD, "published": "2024-02-30"})),
        ("feb30.jsonl", "line 1", "2024-02-30", "not a possible date"),
    ),
    "date-without-year": (
        "thursday.jsonl",
        _jsonl(json.dumps({**GOOD, "published": "Thursday"})),
        ("line 1", "'Thursday'", "YYYY-MM-DD"),
    ),
    "csv-short-row": (
        "rows.csv",
        b"id,text,published\na,Police fired tear gas.,2024-01-01\nb,only two\n",
        ("rows.csv", "row 3", "2 fields, but the header has 3"),
    ),
    "csv-missing-column": (
        "cols.csv",
        b"id,body\na,Police fired tear gas.\n",
        ("cols.csv", "lacks the column(s) text"),
    ),
    "csv-binary": ("bin.csv", b"id,text\n\xff\xfe\xfa,\x81\x82\n", ("bin.csv", "not valid UTF-8")),
    "wire-impossible-date": (
        "wire.txt",
        b"date 2024-13-45 Wire Service/ Police fired tear gas at protesters.",
        ("wire.txt", "header's date", "2024-13-45"),
    ),
    "wire-header-only": ("head.txt", b"date 2024-01-02 Wire Service/   ", ("head.txt", "no text after")),
    "page-without-main-text": (
        "menu.html",
        b"<html><body><nav><a href='/'>Home</a> <a href='/about'>About</a></nav></body></html>",
        ("menu.html", "no main text"),
    ),
    "feed-that-does-not-parse": (
        "news.rss",
        b"this is not a feed {{{ <<<",
        ("news.rss", "not a readable RSS or Atom feed"),
    ),
    "unknown-format": ("notes.dat", b"\x01\x02\x03 random", ("notes.dat", "unknown format")),
    "missing-file": ("gone.jsonl", lambda path: None, ("gone.jsonl", "no such file")),
    "named-pipe": ("pipe.jsonl", lambda path: os.mkfifo(path), ("pipe.jsonl", "not a regular file")),
    "oversized-page": (
        "huge.txt",
        lambda path: path.write_bytes(b"date 2024-01-02 Wire/ " + b"Police fired tear gas. " * 900_000),
        ("huge.txt", "more than the limit of 20000000"),
    ),
}


def _expect_refused(result: object, fragments: tuple[str, ...]) -> None:
    out = result.stdout + result.stderr  # type: ignore[attr-defined]
    assert result.returncode == 1, out  # type: ignore[attr-defined]
    assert "Traceback" not in out
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)  # type: ignore[attr-defined]


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_bad_file_is_refused_clearly_and_changes_nothing(
    case: str, cli: Cli, db: Path, tmp_path: Path
) -> None:
    name, content, fragments = FILE_CASES[case]
    bad = tmp_path / name
    if callable(content):
        content(bad)
    else:
        bad.write_bytes(content)
    good = write_jsonl(tmp_path / "good.jsonl", [GOOD])
    before, before_counts = digest(db), counts(db)
    result = cli("ingest", str(good), str(bad), "--db", str(db))
    _expect_refused(result, fragments)
    assert result.stderr.startswith("[E1"), result.stderr  # an input error, by its code
    assert digest(db) == before
    assert counts(db) == before_counts


def test_bad_input_creates_no_database(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(_jsonl('{"id": 1}'))
    result = cli("ingest", str(bad), "--db", str(tmp_path / "new.duckdb"))
    _expect_refused(result, ("bad.jsonl", "line 1", "missing 'text'"))
    assert not (tmp_path / "new.duckdb").exists()


def test_debug_shows_the_traceback(cli: Cli, db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(_jsonl("{nope"))
    result = cli("--debug", "ingest", str(bad), "--db", str(db))
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "[E102]" in result.stderr


# --- URLs, against a server on loopback ----------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(3)
        if self.path.startswith("/status/"):
            self.send_error(int(self.path.rsplit("/", 1)[1]))
            return
        bodies = {
            "/empty": (b"   ", "text/plain"),
            "/menu": (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html"),
            "/feed": (b"<<< not a feed", "application/rss+xml"),
            "/binary": (b"%PDF-1.7\n\x00\x01", "application/jsonl"),
            "/slow": (b"too late", "text/plain"),
        }
        body, mime = bodies.get(self.path, (b"", "text/plain"))
        self.send_response(200)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client that gave up on /slow
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


URL_CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "404": ("/status/404", ("HTTP 404",)),
    "500": ("/status/500", ("HTTP 500",)),
    "503": ("/status/503", ("HTTP 503",)),
    "timeout": ("/slow", ("no answer within 0.5 s",)),
    "empty-answer": ("/empty", ("the answer is empty",)),
    "page-without-main-text": ("/menu", ("no main text",)),
    "feed-that-does-not-parse": ("/feed", ("not a readable RSS or Atom feed",)),
    "binary-as-jsonl": ("/binary", ("PDF",)),
}


@pytest.mark.parametrize("case", sorted(URL_CASES))
def test_bad_url_is_refused_clearly_and_changes_nothing(
    case: str, server: str, cli: Cli, db: Path, tmp_path: Path
) -> None:
    path, fragments = URL_CASES[case]
    url = server + path
    good = write_jsonl(tmp_path / "good.jsonl", [GOOD])
    before = digest(db)
    result = cli("ingest", str(good), url, "--db", str(db), "--fetch-timeout", "0.5")
    _expect_refused(result, (url, *fragments))
    assert digest(db) == before


def test_unreachable_url_is_refused(cli: Cli, db: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on: bound, never accepting
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/article"
        before = digest(db)
        result = cli("ingest", url, "--db", str(db), "--fetch-timeout", "2")
    _expect_refused(result, (url, "could not connect"))
    assert digest(db) == before


# --- --skip-bad ----------------------------------------------------------------------------------


def test_skip_bad_stores_the_good_and_quarantines_the_bad(
    server: str, cli: Cli, db: Path, tmp_path: Path
) -> None:
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(
        _jsonl(
            json.dumps(GOOD),
            '{"id": "b", "text": "cut',
            json.dumps({**GOOD, "id": "c", "published": "2024-02-30"}),
            json.dumps({"id": "d", "text": "Soldiers fired on a crowd in Khartoum on Friday."}),
            '{"id": "e"}',
        )
    )
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.4 scanned")
    before = counts(db)
    result = cli("ingest", str(mixed), str(binary), server + "/status/404", "--db", str(db), "--skip-bad")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    quarantine = tmp_path / "quarantine.jsonl"  # beside the database by default
    assert f"2 good records, 5 rejected -> {quarantine}" in result.stdout
    assert counts(db)["articles"] == before["articles"] + 2
    entries = [json.loads(line) for line in quarantine.read_text(encoding="utf-8").splitlines()]
    assert [(e["where"].rsplit("/", 1)[-1], e["record"]) for e in entries] == [
        ("mixed.jsonl", "line 2"),
        ("mixed.jsonl", "line 3"),
        ("mixed.jsonl", "line 5"),
        ("scan.txt", None),
        ("404", None),
    ]
    assert "invalid JSON" in entries[0]["problem"] and entries[0]["raw"] == '{"id": "b", "text": "cut'
    assert "2024-02-30" in entries[1]["problem"] and '"id": "c"' in entries[1]["raw"]
    assert entries[2]["problem"] == "missing 'text'" and entries[2]["code"] == "E102"
    assert "PDF" in entries[3]["problem"]
    assert "HTTP 404" in entries[4]["problem"]
    # Run again: the good records are already stored, the bad ones are quarantined again.
    again = cli(
        "ingest", str(mixed), "--db", str(db), "--skip-bad", "--quarantine", str(tmp_path / "q2.jsonl")
    )
    assert again.returncode == 0, again.stderr
    assert "0 added, 2 already stored" in again.stdout
    assert counts(db)["articles"] == before["articles"] + 2
    assert len((tmp_path / "q2.jsonl").read_text(encoding="utf-8").splitlines()) == 3


@pytest.mark.slow  # loads the model once more: the case above covers the fast tier
def test_skip_bad_with_nothing_bad_writes_no_quarantine(cli: Cli, db: Path, tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", [GOOD])
    result = cli("ingest", str(good), "--db", str(db), "--skip-bad")
    assert result.returncode == 0, result.stderr
    assert "1 good records, 0 rejected" in result.stdout
    assert not (tmp_path / "quarantine.jsonl").exists()
