"""Readers: every input format into ``Article`` records, with errors that name the file and record."""

from __future__ import annotations

import gzip
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from eventwatch.errors import FetchError, InputError, RecordError, UnsupportedInput
from eventwatch.io.fetch import Fetched, Fetcher, http_fetcher
from eventwatch.io.readers import expand_inputs, html_to_text, read_inputs, read_path
from eventwatch.model import Article, stable_id

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
SHARED_SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "shafaq-2024-11-28.txt"


def read_all(*inputs: str | Path, **options: object) -> list[Article]:
    return list(read_inputs([str(item) for item in inputs], **options))  # type: ignore[arg-type]


def collecting() -> tuple[list[InputError], Callable[[InputError], None]]:
    seen: list[InputError] = []
    return seen, seen.append


def fake_fetcher(
    pages: dict[str, tuple[bytes, str | None]], *, redirects: dict[str, str] | None = None
) -> Fetcher:
    """A network stand-in: a dict lookup, and a 404 for any URL it does not know."""

    def fetch(url: str) -> Fetched:
        final = (redirects or {}).get(url, url)
        if final not in pages:
            raise FetchError(url, "the server answered HTTP 404 Not Found")
        content, content_type = pages[final]
        return Fetched(url=url, content=content, content_type=content_type, final_url=final)

    return fetch


# --- wire text --------------------------------------------------------------------------------


def test_wire_text_fields_and_exact_text() -> None:
    [article] = read_all(FIXTURES / "wire.txt")
    assert article.article_id == "wire"
    assert article.published == "2025-03-06"
    assert article.source == "Northern Wire"
    assert article.text == (
        "On Thursday, the governor of Lakeport province said that border guards had detained 14 "
        "smugglers near the river crossing.\n\nThe guards seized two trucks carrying fuel, he told "
        'reporters in the provincial capital. "We will not tolerate this trade," he said.'
    )
    assert article.origin == str(FIXTURES / "wire.txt")


def test_wire_text_strips_bom_and_normalises_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf  date 2025-01-02 Desk/ First line.\r\nSecond line.\rThird line.\r\n\r\n")
    [article] = read_path(path)
    assert (article.published, article.source) == ("2025-01-02", "Desk")
    assert article.text == "First line.\nSecond line.\nThird line."


@pytest.mark.skipif(not SHARED_SAMPLE.exists(), reason="the shared sample article is not present")
def test_shared_sample_article() -> None:
    [article] = read_path(SHARED_SAMPLE)
    raw = SHARED_SAMPLE.read_text(encoding="utf-8")
    assert article.article_id == "shafaq-2024-11-28"
    assert (article.published, article.source) == ("2024-11-28", "Shafaq News")
    assert article.text.startswith("On Thursday")
    assert article.text == raw.split("Shafaq News/", 1)[1].strip()


def test_plain_text_without_header() -> None:
    [article] = read_all(FIXTURES / "plain.txt")
    assert article.article_id == "plain"
    assert article.published is None and article.source is None
    assert article.text.startswith("Talks between") and article.text.endswith("announced.")


def test_wire_header_with_impossible_date(tmp_path: Path) -> None:
    path = tmp_path / "bad-date.txt"
    path.write_text("date 2025-02-29 Desk/ Body text.", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad-date\.txt: the header's date '2025-02-29' is not a possible"):
        list(read_path(path))


# --- JSONL --------------------------------------------------------------------------------------


def test_jsonl_good_records_keep_text_verbatim() -> None:
    articles = read_all(FIXTURES / "articles.jsonl")
    assert [a.article_id for a in articles] == ["a-1", "a-2", "3"]
    first, second, third = articles
    assert (first.published, first.source, first.title, first.url, first.language) == (
        "2025-01-14",
        "City Desk",
        "Wage protest",
        "https://example.org/a-1",
        "en",
    )
    assert second.text == "  The navy said it intercepted a vessel carrying weapons late on Friday.\n"
    assert second.published == "2025-01-17T22:15:00+02:00"
    assert third.published is None
    assert second.origin is not None and second.origin.endswith("articles.jsonl, line 3")


BAD_JSONL = {
    2: "invalid JSON",
    3: "expected a JSON object, got an array",
    4: "missing 'id'",
    5: "empty 'id'",
    6: "missing 'text'",
    7: "'text' must be a string, got a number",
    8: "'published': 'yesterday' is not YYYY-MM-DD",
    9: "'published': '2024-02-30' is not a possible date",
}


def test_jsonl_bad_lines_are_named_by_file_and_line() -> None:
    seen, on_error = collecting()
    articles = read_all(FIXTURES / "bad.jsonl", on_error=on_error)
    assert [a.article_id for a in articles] == ["ok-1", "ok-2"]
    assert all(isinstance(error, RecordError) for error in seen)
    found = {int(str(error.record).removeprefix("line ")): error for error in seen}
    assert sorted(found) == sorted(BAD_JSONL)
    for line, problem in BAD_JSONL.items():
        message = str(found[line])
        assert f"bad.jsonl, line {line}: " in message
        assert problem in message


def test_jsonl_without_handler_raises_at_the_first_bad_line() -> None:
    articles = read_path(FIXTURES / "bad.jsonl")
    assert next(articles).article_id == "ok-1"
    with pytest.raises(RecordError, match=r"bad\.jsonl, line 2: invalid JSON"):
        next(articles)


def test_gzip_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl.gz"
    path.write_bytes(gzip.compress((FIXTURES / "articles.jsonl").read_bytes()))
    assert [a.article_id for a in read_path(path)] == ["a-1", "a-2", "3"]


def test_corrupt_gzip_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"id": "x", "text": "y"}\n' * 50)[:30])
    with pytest.raises(InputError, match=r"broken\.jsonl\.gz: cannot decompress"):
        list(read_path(path))


def test_jsonl_streams_past_max_bytes_but_refuses_a_long_line(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    short = '{"id": "s%d", "text": "short text"}\n'
    long_line = '{"id": "long", "text": "' + "x" * 500 + '"}\n'
    path.write_text(short % 1 + long_line + short % 2 + short % 3, encoding="utf-8")
    seen, on_error = collecting()
    articles = list(read_path(path, max_bytes=100, on_error=on_error))
    assert [a.article_id for a in articles] == ["s1", "s2", "s3"]
    assert [str(e) for e in seen] == [
        f"[E102] {path}, line 2: the line is longer than the limit of 100 bytes"
    ]


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_good_rows() -> None:
    articles = read_all(FIXTURES / "articles.csv")
    assert [a.article_id for a in articles] == ["c-1", "c-2"]
    assert articles[0].published == "2025-04-02" and articles[0].source == "Valley Post"
    assert articles[1].published is None
    assert articles[1].text == "A second report, with a comma, and a line break:\nthe mayor called for calm."


def test_csv_bad_rows_are_named_by_file_and_row() -> None:
    seen, on_error = collecting()
    articles = read_all(FIXTURES / "bad.csv", on_error=on_error)
    assert [a.article_id for a in articles] == ["r-1", "r-5"]
    messages = [str(e) for e in seen]
    assert len(messages) == 3
    assert "bad.csv, row 3: 'published': '2025-04-31' is not a possible date" in messages[0]
    assert "bad.csv, row 4: 2 fields, but the header has 3" in messages[1]
    assert "bad.csv, row 5: empty 'id'" in messages[2]


def test_csv_without_text_column(tmp_path: Path) -> None:
    path = tmp_path / "columns.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"columns\.csv: the header lacks the column\(s\) text"):
        list(read_path(path))


# --- HTML ---------------------------------------------------------------------------------------


def test_html_file_main_text_and_metadata() -> None:
    [article] = read_all(FIXTURES / "news.html")
    assert article.article_id == "news"
    assert article.title == "Ceasefire talks stall as shelling resumes"
    assert article.source == "The Harbour Gazette"
    assert article.published == "2025-05-12"
    assert article.language == "en"
    assert article.url == "https://harbour-gazette.example/world/2025/05/12/ceasefire-talks-stall"
    assert "Negotiators from both sides left the talks" in article.text
    assert "revive the process" in article.text
    for boilerplate in ("Subscribe", "Football results", "All rights reserved"):
        assert boilerplate not in article.text


def test_html_without_main_text(tmp_path: Path) -> None:
    path = tmp_path / "empty-page.html"
    path.write_text(
        "<html><body><nav><a href='/'>Home</a></nav><footer>© 2025 Example</footer></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"empty-page\.html: no main text found"):
        list(read_path(path))


def test_html_in_a_declared_legacy_charset(tmp_path: Path) -> None:
    html = (FIXTURES / "news.html").read_text(encoding="utf-8")
    html = html.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("Negotiators", "Négociateurs")
    path = tmp_path / "latin.html"
    path.write_bytes(html.encode("iso-8859-1"))
    [article] = read_path(path)
    assert "Négociateurs from both sides" in article.text


def test_undeclared_legacy_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Le président a parlé.".encode("iso-8859-1"))
    with pytest.raises(InputError, match=r"latin\.txt: not valid UTF-8 text \(binary or wrong encoding\?\)"):
        list(read_path(path))


# --- RSS and Atom -------------------------------------------------------------------------------


def test_rss_without_fetcher_uses_summaries() -> None:
    first, second = read_all(FIXTURES / "feed.rss")
    assert first.article_id == "frontier-1001"
    assert first.source == "Frontier Monitor"
    assert first.title == "Militia seizes checkpoint on highway"
    assert first.url == "https://frontier.example/news/checkpoint"
    assert first.published == "2024-11-29T01:15:00+03:00"  # the item's own day, not UTC's
    assert first.language == "en"
    assert first.text == (
        "A militia group took control of a checkpoint on the main highway on Thursday night, "
        "witnesses said.\nNo casualties were reported."
    )
    assert first.errors == ()
    assert second.article_id == "https://frontier.example/news/convoy"  # no guid: the link
    assert second.published == "2024-11-30T10:00:00+00:00"


def test_rss_with_fetcher_reads_linked_pages_and_falls_back() -> None:
    page = (FIXTURES / "news.html").read_bytes()
    fetch = fake_fetcher({"https://frontier.example/news/checkpoint": (page, "text/html; charset=utf-8")})
    first, second = read_all(FIXTURES / "feed.rss", fetch=fetch)
    assert "Negotiators from both sides left the talks" in first.text
    assert first.title == "Militia seizes checkpoint on highway"  # the item's metadata wins
    assert first.source == "Frontier Monitor"
    assert first.errors == ()
    assert second.text.startswith("An aid convoy of twelve trucks")
    assert len(second.errors) == 1
    assert "linked page not used" in second.errors[0] and "HTTP 404" in second.errors[0]


def test_atom_prefers_content_over_summary() -> None:
    first, second = read_all(FIXTURES / "feed.atom")
    assert first.article_id == "urn:uuid:delta-entry-1"
    assert first.source == "Delta Bulletin"
    assert first.published == "2025-02-03T10:30:00+01:00"
    assert first.text == (
        "The water ministers of the two states signed an accord on sharing the river's flow during the "
        "dry season.\nThe accord takes effect in June."
    )
    assert second.article_id == "https://delta.example/2025/02/rally"
    assert second.published == "2025-02-02"
    assert second.text.startswith("Police dispersed an opposition rally")


def test_feed_item_without_text(tmp_path: Path) -> None:
    path = tmp_path / "thin.rss"
    path.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Thin</title>"
        "<item><title>Only a title</title><guid>t-1</guid></item>"
        "<item><guid>t-2</guid><description>Second item with a body.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    seen, on_error = collecting()
    [article] = read_path(path, on_error=on_error)
    assert (article.article_id, article.text, article.source) == ("t-2", "Second item with a body.", "Thin")
    assert [str(e) for e in seen] == [
        f"[E102] {path}, item 1: the item has no text (no summary, content or readable page)"
    ]


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "config.xml"
    path.write_text("<?xml version='1.0'?><settings><a>1</a>", encoding="utf-8")
    with pytest.raises(InputError, match=r"config\.xml: not a readable RSS or Atom feed"):
        list(read_path(path))


def test_html_to_text_drops_scripts_and_keeps_paragraphs() -> None:
    fragment = "<div>One &amp; two<script>alert(1)</script></div><p>Three   <i>four</i></p>plain"
    assert html_to_text(fragment) == "One & two\nThree four\nplain"


# --- URLs ---------------------------------------------------------------------------------------


def test_url_inputs_by_content_type() -> None:
    pages: dict[str, tuple[bytes, str | None]] = {
        "https://news.example/story": ((FIXTURES / "news.html").read_bytes(), "text/html"),
        "https://news.example/feed": ((FIXTURES / "feed.atom").read_bytes(), "application/atom+xml"),
        "https://news.example/batch": ((FIXTURES / "articles.jsonl").read_bytes(), "application/x-ndjson"),
        "https://news.example/wire": ((FIXTURES / "wire.txt").read_bytes(), "text/plain; charset=utf-8"),
    }
    fetch = fake_fetcher(pages, redirects={"https://news.example/old-story": "https://news.example/story"})
    story, *feed_items = read_all("https://news.example/old-story", "https://news.example/feed", fetch=fetch)
    assert story.article_id == stable_id("https://news.example/old-story")
    assert story.origin == "https://news.example/old-story"
    assert story.title == "Ceasefire talks stall as shelling resumes"
    assert [a.source for a in feed_items] == ["Delta Bulletin", "Delta Bulletin"]
    batch = read_all("https://news.example/batch", fetch=fetch)
    assert [a.article_id for a in batch] == ["a-1", "a-2", "3"]
    [wire] = read_all("https://news.example/wire", fetch=fetch)
    assert (wire.published, wire.source, wire.url) == (
        "2025-03-06",
        "Northern Wire",
        "https://news.example/wire",
    )


def test_url_with_unreadable_content() -> None:
    fetch = fake_fetcher({"https://files.example/report": (b"%PDF-1.7 binary", "application/pdf")})
    with pytest.raises(UnsupportedInput, match=r"https://files\.example/report: cannot read content of type"):
        read_all("https://files.example/report", fetch=fetch)
    with pytest.raises(FetchError, match="HTTP 404"):
        read_all("https://files.example/missing", fetch=fetch)


# --- expansion ----------------------------------------------------------------------------------


def make_tree(root: Path) -> None:
    for name in (
        "a.txt",
        "b.jsonl",
        "sub/c.csv",
        "sub/deeper/d.html",
        "sub/e.rss",
        ".hidden.txt",
        ".git/f.txt",
        "README.md",
        "README.txt",
        "notes.md",
        "gold.jsonl",
        "case.expected.jsonl",
        "picture.png",
        "data.json",
    ):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("date 2025-01-01 Desk/ text", encoding="utf-8")


def test_folder_expansion_is_recursive_sorted_and_skips_non_inputs(tmp_path: Path) -> None:
    make_tree(tmp_path)
    expanded = expand_inputs([str(tmp_path)])
    assert [Path(p).relative_to(tmp_path).as_posix() for p in expanded] == [
        "a.txt",
        "b.jsonl",
        "sub/c.csv",
        "sub/deeper/d.html",
        "sub/e.rss",
    ]


def test_glob_urls_explicit_files_and_duplicates(tmp_path: Path) -> None:
    make_tree(tmp_path)
    explicit = str(tmp_path / "README.md")
    pattern = str(tmp_path / "**" / "*.txt")
    url = "https://news.example/story"
    expanded = expand_inputs([pattern, explicit, url, str(tmp_path / "a.txt")])
    assert expanded == [str(tmp_path / "a.txt"), explicit, url]


def test_missing_inputs_are_named(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere.jsonl")
    with pytest.raises(InputError, match=r"nowhere\.jsonl: no such file or folder"):
        read_inputs([missing])  # fails at the call, before any reading
    with pytest.raises(InputError, match=r"\*\.csv: no files match"):
        expand_inputs([str(tmp_path / "*.csv")])


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    wire = tmp_path / "story.dat"
    wire.write_text("date 2025-01-01 Desk/ Sniffed body.", encoding="utf-8")
    [article] = read_path(wire)
    assert (article.text, article.source) == ("Sniffed body.", "Desk")
    other = tmp_path / "notes.dat"
    other.write_text("just some words", encoding="utf-8")
    with pytest.raises(UnsupportedInput, match=r"notes\.dat: unknown format"):
        read_path(other)


def test_on_error_goes_on_to_the_next_input(tmp_path: Path) -> None:
    (tmp_path / "1-empty.txt").write_bytes(b"")
    (tmp_path / "2-good.txt").write_text("A good article.", encoding="utf-8")
    seen, on_error = collecting()
    articles = read_all(tmp_path, on_error=on_error)
    assert [a.article_id for a in articles] == ["2-good"]
    assert [e.problem for e in seen] == ["empty file"]


# --- binary, empty, oversize --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("report.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "it looks like a PDF document"),
        ("blob.txt", b"abc\x00\x01\x02def", "it contains NUL bytes"),
        ("blob.jsonl", b'{"id": "1"}\x00\x00', "it contains NUL bytes"),
        ("sheet.csv", b"PK\x03\x04\x14\x00", "it looks like a ZIP archive"),
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\t\r\n", "empty file"),
        ("empty.jsonl", b"", "empty file"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        list(read_path(path))
    assert caught.value.where == str(path)
    assert problem in caught.value.problem


def test_oversize_document(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, encoding="utf-8")
    with pytest.raises(InputError, match=r"big\.txt: the file is 500 bytes, more than the limit of 100"):
        read_path(path, max_bytes=100)


# --- the real HTTP fetcher ----------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    page = b""
    release = threading.Event()

    def do_GET(self) -> None:
        if self.path == "/slow":
            self.release.wait(timeout=10)  # answers only when the test is over
            return
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/story")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path != "/story":
            body = b"not here"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
        else:
            body = self.page
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.page = (FIXTURES / "news.html").read_bytes()
    _Handler.release = threading.Event()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        _Handler.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_http_fetcher_against_a_local_server(server: str) -> None:
    fetch = http_fetcher(timeout_s=5.0, max_bytes=1_000_000)
    fetched = fetch(f"{server}/moved")
    assert fetched.final_url == f"{server}/story"
    assert fetched.content_type == "text/html; charset=utf-8"
    assert fetched.content == (FIXTURES / "news.html").read_bytes()
    with pytest.raises(FetchError, match=r"/missing: the server answered HTTP 404 Not Found"):
        fetch(f"{server}/missing")
    with pytest.raises(FetchError, match="more than the limit 100"):
        http_fetcher(timeout_s=5.0, max_bytes=100)(f"{server}/story")
    [article] = read_inputs([f"{server}/story"], fetch=fetch)
    assert article.title == "Ceasefire talks stall as shelling resumes"
    assert article.article_id == stable_id(f"{server}/story")


def test_http_fetcher_connection_refused() -> None:
    import socket

    with socket.socket() as sock:  # a port that was free a moment ago, so nothing listens on it
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match="could not connect"):
        http_fetcher(timeout_s=2.0, max_bytes=1000)(f"http://127.0.0.1:{port}/")


def test_http_fetcher_timeout(server: str) -> None:
    with pytest.raises(FetchError, match=r"/slow: no answer within 0.2 s"):
        http_fetcher(timeout_s=0.2, max_bytes=1000)(f"{server}/slow")
