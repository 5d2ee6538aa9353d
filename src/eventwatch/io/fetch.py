"""Fetching URLs behind one small seam, so readers never touch the network directly.

A ``Fetcher`` is a plain function ``url -> Fetched``; tests inject a dict lookup, the CLI injects
``http_fetcher(...)``. Every failure is a ``FetchError`` that names the URL and says what went wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from eventwatch.errors import FetchError


@dataclass(frozen=True, slots=True)
class Fetched:
    """What a URL answered: the body, its declared content type (with charset) and where it ended up."""

    url: str
    content: bytes
    content_type: str | None
    final_url: str


Fetcher = Callable[[str], Fetched]


def http_fetcher(*, timeout_s: float, max_bytes: int) -> Fetcher:
    """A fetcher over httpx that follows redirects and refuses bodies larger than ``max_bytes``."""
    from eventwatch import __version__

    headers = {"User-Agent": f"eventwatch/{__version__}", "Accept": "*/*"}

    def fetch(url: str) -> Fetched:
        import httpx

        try:
            with (
                httpx.Client(follow_redirects=True, timeout=timeout_s, headers=headers) as client,
                client.stream("GET", url) as response,
            ):
                if response.status_code >= 400:
                    reason = f" {response.reason_phrase}" if response.reason_phrase else ""
                    raise FetchError(url, f"the server answered HTTP {response.status_code}{reason}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(
                        url, f"the page is {int(declared)} bytes, more than the limit {max_bytes}"
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise FetchError(url, f"the page is larger than the limit {max_bytes} bytes")
                return Fetched(
                    url=url,
                    content=bytes(body),
                    content_type=response.headers.get("content-type"),
                    final_url=str(response.url),
                )
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

    return fetch
