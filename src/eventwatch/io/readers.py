"""Readers: files, folders, globs and URLs in, ``Article`` records out (DESIGN.md section 2, "Input").

Formats are chosen by extension, then by sniffing the content: wire text (``date YYYY-MM-DD Source/
body``), JSONL (also gzipped), CSV, HTML (main text by trafilatura), RSS/Atom (feedparser). Everything
is a generator so a large JSONL or CSV file streams record by record. A problem with one record (a
JSONL line, a CSV row, a feed item) raises ``RecordError`` naming the file and the record, unless an
``on_error`` callback is given: then the callback receives it and reading goes on. The network is
behind an injected ``Fetcher`` (see ``eventwatch.io.fetch``).
"""

from __future__ import annotations

import csv
import glob
import gzip
import io
import json
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any, Literal, Protocol

from eventwatch.errors import FetchError, InputError, RecordError, UnsupportedInput
from eventwatch.io.fetch import Fetched, Fetcher, http_fetcher
from eventwatch.model import Article, stable_id

Format = Literal["text", "jsonl", "jsonl.gz", "csv", "html", "feed"]
ErrorHandler = Callable[[InputError], None]

DEFAULT_MAX_BYTES = 20_000_000
DEFAULT_TIMEOUT_S = 20.0

# Longest suffix first, so ".jsonl.gz" wins over a bare ".gz".
_SUFFIXES: tuple[tuple[str, Format], ...] = (
    (".jsonl.gz", "jsonl.gz"),
    (".ndjson.gz", "jsonl.gz"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".csv", "csv"),
    (".txt", "text"),
    (".html", "html"),
    (".htm", "html"),
    (".xml", "feed"),
    (".rss", "feed"),
    (".atom", "feed"),
)
_STREAMED: frozenset[Format] = frozenset({"jsonl", "jsonl.gz", "csv"})
_SKIPPED_STEM = re.compile(r"(^|[._-])(gold|golden|expected)([._-]|$)", re.IGNORECASE)
_GLOB_CHARS = re.compile(r"[*?\[]")
_WIRE_HEADER = re.compile(r"date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]+([^/\n]{1,200}?)[ \t]*/\s*", re.IGNORECASE)
_HTML_LANG = re.compile(
    r"<html\b[^>]{0,500}?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.IGNORECASE
)
_DATE_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (docx, xlsx, epub?)"),
    (b"\x1f\x8b", "gzip-compressed (name it .jsonl.gz)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_HEAD = 4096
_RAW_KEEP = 10_000  # characters of a bad record kept for the quarantine file
_MIN_PAGE_WORDS = 5
_NOT_TEXT = "not valid UTF-8 text (binary or wrong encoding?)"
_JSONL_MIMES = frozenset(
    {
        "application/json",
        "application/jsonl",
        "application/x-jsonlines",
        "application/x-ndjson",
        "application/ndjson",
    }
)
_FEED_MIMES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_HTML_MIMES = frozenset({"text/html", "application/xhtml+xml"})


class BadRecord(RecordError):
    """A ``RecordError`` that keeps the record's raw text, so ``--skip-bad`` can quarantine it."""

    def __init__(self, where: str, problem: str, *, record: str, raw: str) -> None:
        super().__init__(where, problem, record=record)
        self.raw = raw[:_RAW_KEEP]


# --- expanding inputs -------------------------------------------------------------------------


def is_url(value: str) -> bool:
    """True for the http(s) URLs that are fetched rather than opened."""
    return value.lower().startswith(("http://", "https://"))


def format_of_name(name: str) -> Format | None:
    """The format an extension promises, or None where the name says nothing."""
    lower = name.lower()
    for suffix, fmt in _SUFFIXES:
        if lower.endswith(suffix):
            return fmt
    return None


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """Files, folders (recursively), globs and URLs -> the list of things to read, in a stable order.

    A file named explicitly is always kept. Inside folders and glob matches only files with a known
    extension are kept, and hidden files, README*, *.md and gold/expected files (evaluation answers,
    golden outputs) are skipped. A missing path, or a glob that matches nothing, is an ``InputError``.
    """
    out: list[str] = []
    seen: set[str] = set()

    def add(item: str) -> None:
        if item not in seen:
            seen.add(item)
            out.append(item)

    for item in inputs:
        if is_url(item):
            add(item)
            continue
        path = Path(item)
        if path.is_file():
            add(str(path))
        elif path.is_dir():
            for found in _walk(path):
                add(str(found))
        elif _GLOB_CHARS.search(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(item, "no files match this pattern")
            for match in matches:
                match_path = Path(match)
                if match_path.is_dir():
                    for found in _walk(match_path):
                        add(str(found))
                elif match_path.is_file() and _wanted(match_path.name):
                    add(str(match_path))
        elif path.exists():
            raise InputError(item, "not a regular file (a pipe, socket or device?)")
        else:
            raise InputError(item, "no such file or folder")
    return out


def _walk(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative):
            continue
        if path.is_file() and _wanted(path.name):
            found.append(path)
    return sorted(found)


def _wanted(name: str) -> bool:
    """Whether a file met inside a folder or glob is an input rather than a note or an answer key."""
    if name.startswith(".") or name.upper().startswith("README") or name.lower().endswith(".md"):
        return False
    if format_of_name(name) is None:
        return False
    stem = next(name[: -len(suffix)] for suffix, _ in _SUFFIXES if name.lower().endswith(suffix))
    return not _SKIPPED_STEM.search(stem)


# --- entry points -----------------------------------------------------------------------------


def read_inputs(
    inputs: Sequence[str],
    *,
    fetch: Fetcher | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_error: ErrorHandler | None = None,
) -> Iterator[Article]:
    """Articles from every input, in order. Paths are expanded now, so a missing one fails at once.

    With ``on_error`` a bad input or record is handed to it and the others are still read; without,
    the first problem raises.
    """
    items = expand_inputs(inputs)
    return _read_items(items, fetch=fetch, max_bytes=max_bytes, on_error=on_error)


def _read_items(
    items: list[str], *, fetch: Fetcher | None, max_bytes: int, on_error: ErrorHandler | None
) -> Iterator[Article]:
    for item in items:
        try:
            try:
                if is_url(item):
                    fetcher = fetch or http_fetcher(timeout_s=DEFAULT_TIMEOUT_S, max_bytes=max_bytes)
                    yield from read_url(item, fetch=fetcher, max_bytes=max_bytes, on_error=on_error)
                else:
                    yield from read_path(Path(item), fetch=fetch, max_bytes=max_bytes, on_error=on_error)
            except OSError as exc:  # permission denied, a disk error, a file removed while read
                raise InputError(item, f"cannot read: {exc.strerror or exc}") from exc
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)


def read_path(
    path: Path,
    *,
    fetch: Fetcher | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_error: ErrorHandler | None = None,
) -> Iterator[Article]:
    """Articles from one file (or every input file in a folder).

    Whole-document formats (text, HTML, feeds) must fit in ``max_bytes``; JSONL and CSV stream, so
    for them the limit holds per line.
    """
    if path.is_dir():
        return read_inputs([str(path)], fetch=fetch, max_bytes=max_bytes, on_error=on_error)
    where = str(path)
    if not path.exists():
        raise InputError(where, "no such file or folder")
    if not path.is_file():
        raise InputError(where, "not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(where, "empty file")
    fmt = format_of_name(path.name)
    if fmt is None:
        with path.open("rb") as handle:
            fmt = sniff_format(handle.read(_HEAD))
        if fmt is None:
            known = ", ".join(suffix for suffix, _ in _SUFFIXES)
            raise UnsupportedInput(where, f"unknown format: expected one of {known}")
    if fmt not in _STREAMED and size > max_bytes:
        raise InputError(where, f"the file is {size} bytes, more than the limit of {max_bytes}")
    return _handled(_read_file(path, fmt, fetch=fetch, max_bytes=max_bytes), on_error)


def read_url(
    url: str, *, fetch: Fetcher, max_bytes: int = DEFAULT_MAX_BYTES, on_error: ErrorHandler | None = None
) -> Iterator[Article]:
    """Articles from one URL: a page (one article), a feed (one per item) or a JSONL file."""
    return _handled(_read_fetched(url, fetch=fetch, max_bytes=max_bytes), on_error)


def _handled(items: Iterable[Article | InputError], on_error: ErrorHandler | None) -> Iterator[Article]:
    """Record-level problems come through as values so that reading can go on after them."""
    for item in items:
        if isinstance(item, InputError):
            if on_error is None:
                raise item
            on_error(item)
        else:
            yield item


def _read_file(
    path: Path, fmt: Format, *, fetch: Fetcher | None, max_bytes: int
) -> Iterator[Article | InputError]:
    where = str(path)
    if fmt == "jsonl":
        with path.open("rb") as handle:
            check_head(handle.read(_HEAD), where)
            handle.seek(0)
            yield from _jsonl_records(handle, where=where, max_bytes=max_bytes)
    elif fmt == "jsonl.gz":
        try:
            with gzip.open(path, "rb") as handle:
                check_head(handle.read(_HEAD), where)
                handle.seek(0)
                yield from _jsonl_records(handle, where=where, max_bytes=max_bytes)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(where, f"cannot decompress: {exc}") from exc
    elif fmt == "csv":
        with path.open("rb") as handle:
            check_head(handle.read(_HEAD), where)
            handle.seek(0)
            yield from _csv_records(handle, where=where, max_bytes=max_bytes)
    else:
        data = path.read_bytes()
        if fmt == "text":
            yield text_article(_decode(data, where), where=where, article_id=path.stem)
        elif fmt == "html":
            html = _decode(data, where, charset=_meta_charset(data))
            yield html_article(html, where=where, article_id=path.stem)
        else:
            yield from _feed_articles(data, where=where, base_url=None, fetch=fetch, max_bytes=max_bytes)


def _read_fetched(url: str, *, fetch: Fetcher, max_bytes: int) -> Iterator[Article | InputError]:
    fetched = fetch(url)
    data = fetched.content
    if len(data) > max_bytes:
        raise FetchError(url, f"the answer is {len(data)} bytes, more than the limit of {max_bytes}")
    if not data.strip():
        raise FetchError(url, "the answer is empty")
    mime, charset = _parse_content_type(fetched.content_type)
    fmt = _format_of_mime(mime)
    if fmt is None or mime in ("text/xml", "application/xml", "text/plain"):
        fmt = sniff_format(data[:_HEAD]) or fmt or format_of_name(url.split("?", 1)[0].split("#", 1)[0])
    if fmt == "feed":
        yield from _feed_articles(
            data, where=url, base_url=fetched.final_url, fetch=fetch, max_bytes=max_bytes
        )
    elif fmt == "html":
        html = _decode(data, url, charset=charset or _meta_charset(data))
        yield html_article(html, where=url, article_id=stable_id(url), url=fetched.final_url)
    elif fmt == "text":
        article = text_article(_decode(data, url, charset=charset), where=url, article_id=stable_id(url))
        yield replace(article, url=fetched.final_url)
    elif fmt in ("jsonl", "jsonl.gz"):
        if fmt == "jsonl.gz" or data.startswith(b"\x1f\x8b"):
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error) as exc:
                raise FetchError(url, f"cannot decompress: {exc}") from exc
        check_head(data[:_HEAD], url)
        yield from _jsonl_records(io.BytesIO(data), where=url, max_bytes=max_bytes)
    elif fmt == "csv":
        check_head(data[:_HEAD], url)
        yield from _csv_records(io.BytesIO(data), where=url, max_bytes=max_bytes)
    else:
        raise UnsupportedInput(url, f"cannot read content of type {mime or 'unknown'}")


# --- sniffing and decoding --------------------------------------------------------------------


def sniff_format(head: bytes) -> Format | None:
    """The format the first bytes look like, or None. Used where the name or content type is silent."""
    if head.startswith(b"\x1f\x8b"):
        return "jsonl.gz"
    text = head.removeprefix(_UTF8_BOM).decode("latin-1").lstrip().lower()
    if text.startswith("<"):
        if any(tag in text for tag in ("<rss", "<feed", "<rdf:rdf")):
            return "feed"
        if "<html" in text or "<!doctype html" in text:
            return "html"
        return None
    if text.startswith("{"):
        return "jsonl"
    if _WIRE_HEADER.match(text):
        return "text"
    return None


def check_head(head: bytes, where: str) -> None:
    """Refuse binary files early with a message that says what the file seems to be."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise InputError(where, f"not a text file: it looks like {what}")
    if head.startswith(_UTF16_BOMS):
        raise InputError(where, "the file is UTF-16; save it as UTF-8")
    if b"\x00" in head:
        raise InputError(where, "not a text file: it contains NUL bytes (binary?)")


def _decode(data: bytes, where: str, *, charset: str | None = None) -> str:
    """UTF-8 (with or without BOM) first; then a declared charset; otherwise a clear error."""
    if not data.strip():
        raise InputError(where, "empty file")
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(where, _NOT_TEXT) from exc
    check_head(data[:_HEAD], where)
    if b"\x00" in data:
        raise InputError(where, "not a text file: it contains NUL bytes (binary?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if charset:
            try:
                return data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                pass
        raise InputError(where, _NOT_TEXT) from exc


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_HEAD])
    return match.group(1).decode("ascii") if match else None


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    mime, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return mime.strip().lower() or None, charset


def _format_of_mime(mime: str | None) -> Format | None:
    if mime is None:
        return None
    if mime in _HTML_MIMES:
        return "html"
    if mime in _FEED_MIMES or mime.endswith(("/xml", "+xml")):
        return "feed"
    if mime in _JSONL_MIMES:
        return "jsonl"
    if mime in ("text/csv", "application/csv"):
        return "csv"
    if mime in ("application/gzip", "application/x-gzip"):
        return "jsonl.gz"
    if mime == "text/plain":
        return "text"
    return None


def clean_text(text: str) -> str:
    """The reader's only changes to a document's text: no BOM, LF line ends, no outer whitespace."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").strip()


def check_published(value: str) -> str:
    """Return ``value`` unchanged if it is a possible YYYY-MM-DD date or ISO 8601 datetime."""
    if not _DATE_PREFIX.match(value):
        raise ValueError(f"{value!r} is not YYYY-MM-DD or an ISO 8601 datetime")
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a possible date or datetime ({exc})") from exc
    return value


# --- wire text and HTML -----------------------------------------------------------------------


def text_article(raw: str, *, where: str, article_id: str) -> Article:
    """A plain-text article; the wire header ``date YYYY-MM-DD Source Name/`` gives date and source."""
    text = clean_text(raw)
    if not text:
        raise InputError(where, "empty file (only whitespace)")
    match = _WIRE_HEADER.match(text)
    if match is None:
        return Article(article_id=article_id, text=text, origin=where)
    published, source = match.group(1), match.group(2).strip()
    try:
        check_published(published)
    except ValueError as exc:
        raise InputError(where, f"the header's date {exc}") from exc
    body = text[match.end() :].strip()
    if not body:
        raise InputError(where, "no text after the 'date YYYY-MM-DD Source/' header")
    return Article(article_id=article_id, text=body, published=published, source=source, origin=where)


def html_article(html: str, *, where: str, article_id: str, url: str | None = None) -> Article:
    """The main text and metadata of a web page, by trafilatura; a page without main text is an error."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    meta: dict[str, Any] = {} if doc is None else doc if isinstance(doc, dict) else doc.as_dict()
    text = clean_text(meta.get("text") or "")
    if len(text.split()) < _MIN_PAGE_WORDS:  # trafilatura falls back to menus: "Home" is not an article
        raise InputError(where, f"no main text found in the page ({len(text.split())} words)")
    published = meta.get("date")
    if published:
        try:
            check_published(published)
        except ValueError:
            published = None
    return Article(
        article_id=article_id,
        text=text,
        published=published or None,
        source=meta.get("sitename") or meta.get("hostname") or None,
        title=meta.get("title") or None,
        url=meta.get("url") or url,
        language=language_tag(meta.get("language") or _html_language(html)),
        origin=where,
    )


def _html_language(html: str) -> str | None:
    match = _HTML_LANG.search(html[:_HEAD])
    return match.group(1) if match else None


def language_tag(value: object) -> str | None:
    """The primary language subtag ("en-US" -> "en"), the form the rest of the pipeline compares."""
    if not isinstance(value, str) or not value.strip():
        return None
    return re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()


# --- JSONL and CSV ----------------------------------------------------------------------------


class _LineSource(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


def _jsonl_records(stream: _LineSource, *, where: str, max_bytes: int) -> Iterator[Article | InputError]:
    """One article per non-blank line; a bad line becomes a ``RecordError`` value, the rest go on."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        label = f"line {number}"
        raw = line[:_RAW_KEEP].decode("utf-8", errors="replace").rstrip("\r\n")
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the long line
                line = stream.readline(max_bytes + 1)
            yield BadRecord(
                where, f"the line is longer than the limit of {max_bytes} bytes", record=label, raw=raw
            )
            continue
        if number == 1:
            line = line.removeprefix(_UTF8_BOM)
        if not line.strip():
            continue
        try:
            value = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            yield BadRecord(where, _NOT_TEXT, record=label, raw=raw)
            continue
        except json.JSONDecodeError as exc:
            problem = f"invalid JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}"
            if not line.endswith(b"\n") and stream.readline(1) == b"":
                problem += " (the file ends mid-record: truncated?)"
            yield BadRecord(where, problem, record=label, raw=raw)
            continue
        except RecursionError:
            yield BadRecord(where, "invalid JSON: nested too deeply", record=label, raw=raw)
            continue
        yield _with_raw(_record_article(value, where=where, label=label), raw)


def _csv_records(stream: IO[bytes], *, where: str, max_bytes: int) -> Iterator[Article | InputError]:
    """One article per row after the header; rows are numbered as a spreadsheet shows them."""
    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)  # an article is one field; the default (128 KiB) is too small
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    row_number = 1
    try:
        header = next(reader, None)
        if header is None:
            raise InputError(where, "empty file")
        columns = [name.strip() for name in header]
        missing = [name for name in ("id", "text") if name not in columns]
        if missing:
            raise InputError(where, f"the header lacks the column(s) {', '.join(missing)}; it has {columns}")
        for row in reader:
            row_number += 1
            label = f"row {row_number}"
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                yield BadRecord(
                    where,
                    f"{len(row)} fields, but the header has {len(columns)}",
                    record=label,
                    raw=json.dumps(row, ensure_ascii=False),
                )
                continue
            record = _record_article(dict(zip(columns, row, strict=True)), where=where, label=label)
            yield _with_raw(record, json.dumps(row, ensure_ascii=False))
    except UnicodeDecodeError as exc:
        raise InputError(where, _NOT_TEXT, record=f"row {row_number + 1}") from exc
    except csv.Error as exc:
        raise InputError(where, f"invalid CSV: {exc}", record=f"row {row_number + 1}") from exc
    finally:
        text.detach()  # leave the caller's stream open; it closes it


def _record_article(value: object, *, where: str, label: str) -> Article | RecordError:
    """Validate one JSONL object or CSV row against the input contract."""

    def problem(message: str) -> RecordError:
        return RecordError(where, message, record=label)

    if not isinstance(value, dict):
        return problem(f"expected a JSON object, got {_json_type(value)}")
    raw_id = value.get("id")
    if raw_id is None:
        return problem("missing 'id'")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        return problem(f"'id' must be a string, got {_json_type(raw_id)}")
    article_id = str(raw_id).strip()
    if not article_id:
        return problem("empty 'id'")
    text = value.get("text")
    if text is None:
        return problem("missing 'text'")
    if not isinstance(text, str):
        return problem(f"'text' must be a string, got {_json_type(text)}")
    if not text.strip():
        return problem("empty 'text'")
    fields: dict[str, str | None] = {}
    for name in ("published", "source", "title", "url", "language"):
        field = value.get(name)
        if field is not None and not isinstance(field, str):
            return problem(f"'{name}' must be a string, got {_json_type(field)}")
        fields[name] = field.strip() or None if isinstance(field, str) else None
    if fields["published"] is not None:
        try:
            check_published(fields["published"])
        except ValueError as exc:
            return problem(f"'published': {exc}")
    return Article(
        article_id=article_id,
        text=text,  # verbatim: offsets in gold data and in our output point into it
        published=fields["published"],
        source=fields["source"],
        title=fields["title"],
        url=fields["url"],
        language=fields["language"],
        origin=f"{where}, {label}",
    )


def _with_raw(item: Article | RecordError, raw: str) -> Article | RecordError:
    if isinstance(item, RecordError) and not isinstance(item, BadRecord):
        return BadRecord(item.where, item.problem, record=item.record or "", raw=raw)
    return item


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number"}
    if value is None:
        return "null"
    return names.get(type(value), "a number" if isinstance(value, float) else type(value).__name__)


# --- RSS and Atom -----------------------------------------------------------------------------


def _feed_articles(
    data: bytes, *, where: str, base_url: str | None, fetch: Fetcher | None, max_bytes: int
) -> Iterator[Article | InputError]:
    """One article per feed item: the linked page's main text when it can be fetched, else the summary."""
    import feedparser

    check_head(data[:_HEAD], where)
    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = f" ({parsed.get('bozo_exception')})" if parsed.bozo else ""
        raise InputError(where, f"not a readable RSS or Atom feed{reason}")
    feed = parsed.feed
    source = str_or_none(feed.get("title"))
    language = language_tag(feed.get("language"))
    for number, entry in enumerate(parsed.entries, start=1):
        label = f"item {number}"
        link = str_or_none(entry.get("link"))
        title = str_or_none(entry.get("title"))
        item_id = str_or_none(entry.get("id")) or link or stable_id(where, number, title)
        published = entry_date(entry)
        errors: list[str] = []
        page: Article | None = None
        if fetch is not None and link:
            try:
                page = linked_page(link, fetch=fetch, max_bytes=max_bytes)
            except InputError as exc:
                errors.append(f"linked page not used, summary used instead: {exc.message}")
        text = page.text if page is not None else entry_text(entry)
        if not text:
            yield RecordError(
                where, "the item has no text (no summary, content or readable page)", record=label
            )
            continue
        yield Article(
            article_id=item_id,
            text=text,
            published=published or (page.published if page else None),
            source=source or (page.source if page else None),
            title=title or (page.title if page else None),
            url=(page.url if page else None) or link,
            language=language or (page.language if page else None),
            errors=tuple(errors),
            origin=f"{where}, {label}",
        )


def linked_page(link: str, *, fetch: Fetcher, max_bytes: int) -> Article:
    fetched: Fetched = fetch(link)
    if len(fetched.content) > max_bytes:
        raise FetchError(
            link, f"the page is {len(fetched.content)} bytes, more than the limit of {max_bytes}"
        )
    _mime, charset = _parse_content_type(fetched.content_type)
    html = _decode(fetched.content, link, charset=charset or _meta_charset(fetched.content))
    return html_article(html, where=link, article_id=stable_id(link), url=fetched.final_url)


def entry_text(entry: Any) -> str:
    """The fullest text a feed item carries: its content if longer than its summary."""
    candidates = [str(part.get("value") or "") for part in entry.get("content") or []]
    candidates.append(str(entry.get("summary") or ""))
    texts = [html_to_text(candidate) for candidate in candidates]
    return max(texts, key=len, default="")


def entry_date(entry: Any) -> str | None:
    """The item's date with its own time zone kept (converting to UTC could move it to another day)."""
    for key in ("published", "updated", "created"):
        raw = str_or_none(entry.get(key))
        if raw is None:
            continue
        try:
            return check_published(raw)
        except ValueError:
            pass
        try:
            return parsedate_to_datetime(raw).isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
    return None


def str_or_none(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


class _TextCollector(HTMLParser):
    """Text of an HTML fragment with block elements on their own lines; scripts and styles dropped."""

    _BLOCKS = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "tr",
            "section",
        }
    )
    _SKIP = frozenset({"script", "style", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of a feed summary (HTML or not): one paragraph per line, spaces collapsed."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)
