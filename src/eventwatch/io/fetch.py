"""Fetching URLs behind one small seam, so readers never touch the network directly.

A ``Fetcher`` is a plain function ``url -> Fetched``; tests inject a dict lookup, the CLI injects
``http_fetcher(...)``. ``eventwatch watch`` polls feeds with a ``ConditionalFetcher``
(``conditional_http_fetcher(...)``), which sends the validators of the previous answer and may
hear "not modified". Every failure is a ``FetchError`` that names the URL and says what went wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from eventwatch.errors import FetchError

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Fetched:
    """What a URL answered: the body, its declared content type (with charset) and where it ended up."""

    url: str
    content: bytes
    content_type: str | None
    final_url: str


@dataclass(frozen=True, slots=True)
class Polled:
    """What a conditional GET answered: a new body with its validators (ETag, Last-Modified), or
    "not modified" (HTTP 304): then ``content`` is empty and the validators are the ones sent."""

    url: str
    not_modified: bool
    content: bytes
    content_type: str | None
    final_url: str
    etag: str | None
    last_modified: str | None


Fetcher = Callable[[str], Fetched]


class ConditionalFetcher(Protocol):
    """``fetch(url, etag=..., last_modified=...)``: a GET that sends If-None-Match and
    If-Modified-Since when the caller holds validators from an earlier answer."""

    def __call__(self, url: str, *, etag: str | None, last_modified: str | None) -> Polled: ...


def http_fetcher(*, timeout_s: float, max_bytes: int) -> Fetcher:
    """A fetcher over httpx that follows redirects and refuses bodies larger than ``max_bytes``."""

    def fetch(url: str) -> Fetched:
        def get() -> Fetched:
            with _client(timeout_s) as client, client.stream("GET", url) as response:
                return Fetched(
                    url=url,
                    content=_body(response, url, max_bytes),
                    content_type=response.headers.get("content-type"),
                    final_url=str(response.url),
                )

        return _named_errors(url, timeout_s, get)

    return fetch


def conditional_http_fetcher(*, timeout_s: float, max_bytes: int) -> ConditionalFetcher:
    """Like ``http_fetcher``, for polling: sends the validators it is given and returns the
    answer's, so an unchanged feed costs its server a 304 without a body."""

    def fetch(url: str, *, etag: str | None, last_modified: str | None) -> Polled:
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified

        def get() -> Polled:
            with _client(timeout_s) as client, client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return Polled(url, True, b"", None, str(response.url), etag, last_modified)
                return Polled(
                    url=url,
                    not_modified=False,
                    content=_body(response, url, max_bytes),
                    content_type=response.headers.get("content-type"),
                    final_url=str(response.url),
                    etag=response.headers.get("etag") or None,
                    last_modified=response.headers.get("last-modified") or None,
                )

        return _named_errors(url, timeout_s, get)

    return fetch


def _client(timeout_s: float) -> httpx.Client:
    import httpx

    from eventwatch import __version__

    headers = {"User-Agent": f"eventwatch/{__version__}", "Accept": "*/*"}
    return httpx.Client(follow_redirects=True, timeout=timeout_s, headers=headers)


def _body(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    """The body of a successful answer, read up to ``max_bytes``; an HTTP error is a ``FetchError``."""
    if response.status_code >= 400:
        reason = f" {response.reason_phrase}" if response.reason_phrase else ""
        raise FetchError(url, f"the server answered HTTP {response.status_code}{reason}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(url, f"the page is {int(declared)} bytes, more than the limit {max_bytes}")
    body = bytearray()
    for chunk in response.iter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise FetchError(url, f"the page is larger than the limit {max_bytes} bytes")
    return bytes(body)


def _named_errors(url: str, timeout_s: float, request: Callable[[], T]) -> T:
    """Run ``request``; httpx's exceptions come out as ``FetchError``s naming the URL and the problem."""
    import httpx

    try:
        return request()
    except httpx.TimeoutException as exc:
        raise FetchError(url, f"no answer within {timeout_s:g} s ({type(exc).__name__})") from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(url, "too many redirects") from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FetchError(url, f"not a URL that can be fetched: {exc}") from exc
    except httpx.TransportError as exc:
        raise FetchError(url, f"could not connect: {exc or type(exc).__name__}") from exc
    except httpx.HTTPError as exc:
        raise FetchError(url, f"the request failed: {exc or type(exc).__name__}") from exc
