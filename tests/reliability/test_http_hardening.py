"""Hostile requests against a real ``eventwatch serve`` (uvicorn) on 127.0.0.1: SQL injection in
filters, path traversal, huge pages, malformed JSON, oversized bodies, missing tokens, cross-origin
preflights, and a bounded load test. None gets a 5xx, and none changes the data."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from reliability_helpers import counts

TOKEN = "reliability-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# A real server and a few hundred requests: about 25 s on 2 cores, so the slow tier (CI runs both).
pytestmark = pytest.mark.slow

INJECTIONS = (
    "' OR '1'='1",
    "'; DROP TABLE events; --",
    '" OR 1=1 --',
    "1); DELETE FROM articles; --",
    "%' UNION SELECT * FROM articles --",
    "\\x00\u202e",
)


T = TypeVar("T")


def _run_isolated(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on its own event loop in its own thread: another test's client (the
    browser tests' Playwright) may keep a loop running in the main thread for the session."""
    results: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results.append(asyncio.run(coroutine))
        except BaseException as exc:  # handed back to the test thread below
            errors.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout=300)
    if errors:
        raise errors[0]
    if not results:
        raise TimeoutError("the load did not finish within 300 s")
    return results[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(db: Path, folder: Path) -> Iterator[str]:
    """``eventwatch serve`` on ``db`` (writable, with the token) on a free loopback port; yields its
    URL and stops it on the way out (the server log must hold no traceback)."""
    port = _free_port()
    env = {**os.environ, "EVENTWATCH_TOKEN": TOKEN}
    env.pop("EVENTWATCH_DB", None)
    log_path = folder / "server.log"
    command = [sys.executable, "-m", "eventwatch.cli", "serve", "--db", str(db), "--port", str(port)]
    with log_path.open("w") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                assert proc.poll() is None, log_path.read_text()
                try:
                    if httpx.get(url + "/api/events?limit=1", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert "Traceback" not in log_path.read_text()


@pytest.fixture(scope="module")
def served(base_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A writable server on a copy of the base database; yields (base URL, db). When it stops,
    the database holds exactly what it held: every request was a read or was refused."""
    folder = tmp_path_factory.mktemp("served")
    db = folder / "served.duckdb"
    shutil.copyfile(base_db, db)
    before = counts(db)
    with serving(db, folder) as url:
        yield url, db
    assert counts(db) == before


def _total(url: str) -> int:
    return int(httpx.get(url + "/api/events", params={"limit": 1}).json()["total"])


def _no_server_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code < 500, (response.status_code, response.text[:500])
    body: dict[str, Any] = response.json()
    if response.status_code >= 400:
        assert set(body) == {"error"} and body["error"]["code"].startswith("E")
    return body


@pytest.mark.parametrize("param", ["type", "actor", "country", "q", "since", "modality", "cursor"])
def test_sql_injection_in_filters_is_just_a_value(served: tuple[str, Path], param: str) -> None:
    url, _ = served
    total = _total(url)
    for value in INJECTIONS:
        body = _no_server_error(httpx.get(url + "/api/events", params={param: value}))
        if "items" in body and param in ("actor", "q"):
            assert body["items"] == []  # no "OR 1=1" widening the result
        _no_server_error(httpx.get(url + "/api/actors", params={"q": value}))
        _no_server_error(httpx.get(url + "/api/quantities", params={"what": value}))
        _no_server_error(httpx.get(url + "/api/series", params={param if param != "cursor" else "q": value}))
    assert _total(url) == total


@pytest.mark.parametrize(
    "path",
    [
        "/api/export?format=../../../../etc/passwd",
        "/api/export?format=acled-csv/../../etc/passwd",
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/api/events/..%2f..%2f..%2fetc%2fpasswd",
        "/api/articles/..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_path_traversal_reads_nothing_outside(served: tuple[str, Path], path: str) -> None:
    url, _ = served
    response = httpx.get(url + path)
    assert response.status_code in (400, 404, 422), (response.status_code, response.text[:300])
    assert "root:" not in response.text


def test_export_name_is_fixed_by_the_server(served: tuple[str, Path]) -> None:
    url, _ = served
    response = httpx.get(url + "/api/export", params={"format": "acled-csv", "q": "../../etc/passwd"})
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith('filename="eventwatch-events.csv"')


@pytest.mark.parametrize(
    "limit", ["1001", "1000000000000", "99999999999999999999999", "-1", "0", "1e9", "NaN"]
)
def test_huge_or_odd_limit_is_refused(served: tuple[str, Path], limit: str) -> None:
    url, _ = served
    response = httpx.get(url + "/api/events", params={"limit": limit})
    assert response.status_code == 422
    _no_server_error(response)
    assert httpx.get(url + "/api/events", params={"limit": "1000"}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b'{"id": "x", "text": ',
        b"\xff\xfe\x00garbage",
        b"[" * 5000 + b"]" * 5000,
        b"null",
        b'"text"',
        b"",
    ],
)
def test_malformed_json_is_a_clear_error(served: tuple[str, Path], body: bytes) -> None:
    url, _ = served
    total = _total(url)
    response = httpx.post(
        url + "/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422), (response.status_code, response.text[:300])
    _no_server_error(response)
    assert _total(url) == total


def test_oversized_body_is_413(served: tuple[str, Path]) -> None:
    url, _ = served
    big = b'{"id": "big", "text": "' + b"a" * 6_000_000 + b'"}'
    response = httpx.post(
        url + "/api/articles", content=big, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "E413"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"id": "big", "text": "'
        for _ in range(60):
            yield b"a" * 100_000
        yield b'"}'

    streamed = httpx.post(
        url + "/api/articles", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413


def test_writes_need_the_right_token(served: tuple[str, Path]) -> None:
    url, _ = served
    total = _total(url)
    article = {
        "id": "w1",
        "text": "Police arrested 12 protesters in Baghdad on Monday.",
        "published": "2024-03-05",
    }
    assert httpx.post(url + "/api/articles", json=article).status_code == 401
    wrong = {"Authorization": "Bearer " + TOKEN[:-1] + "x"}
    assert httpx.post(url + "/api/articles", json=article, headers=wrong).status_code == 403
    assert (
        httpx.post(url + "/api/articles", json=article, headers={"Authorization": TOKEN}).status_code == 401
    )
    review = {"reviewer": "x", "changes": {"modality": "occurred"}}
    event_id = httpx.get(url + "/api/events", params={"limit": 1}).json()["items"][0]["event_id"]
    assert httpx.patch(url + f"/api/events/{event_id}", json=review).status_code == 401
    assert _total(url) == total


def test_cors_is_closed_by_default(served: tuple[str, Path]) -> None:
    url, _ = served
    origin = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    preflight = httpx.options(url + "/api/articles", headers=origin)
    assert "access-control-allow-origin" not in preflight.headers
    get = httpx.get(url + "/api/events", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in get.headers


async def _load(url: str, n: int, concurrency: int) -> list[int]:
    paths = [
        "/api/events?limit=20",
        "/api/events?type=ASSAULT&limit=5",
        "/api/events?actor=%27%20OR%201%3D1%20--",
        "/api/actors?limit=10",
        "/api/series?by=month",
        "/api/quantities",
        "/api/signals?days=30",
        "/api/events?limit=1001",
        "/api/events/nope",
        "/",
    ]
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def one(i: int) -> int:
            async with gate:
                if i % 50 == 0:  # writes without the token, in the middle of the reads
                    response = await client.post("/api/articles", json={"id": f"x{i}", "text": "x"})
                else:
                    response = await client.get(paths[i % len(paths)])
                return response.status_code

        return await asyncio.gather(*(one(i) for i in range(n)))


def test_bounded_load_no_server_error_no_data_change(served: tuple[str, Path]) -> None:
    url, _ = served
    total = _total(url)
    statuses = _run_isolated(_load(url, 1000, 50))
    assert len(statuses) == 1000
    assert all(status < 500 for status in statuses), sorted(set(statuses))
    assert statuses.count(200) >= 700
    assert set(statuses) <= {200, 401, 404, 422}
    assert _total(url) == total


async def _ingest_while_reading(
    url: str, articles: list[dict[str, Any]], reads: int
) -> tuple[list[int], list[int]]:
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:

        async def write(article: dict[str, Any]) -> int:
            return (await client.post("/api/articles", json=article, headers=AUTH)).status_code

        async def read(i: int) -> int:
            path = "/api/events?limit=50" if i % 2 else "/api/series?by=month"
            return (await client.get(path)).status_code

        writes = asyncio.gather(*(write(a) for a in articles))
        gathered = await asyncio.gather(writes, asyncio.gather(*(read(i) for i in range(reads))))
        return list(gathered[0]), list(gathered[1])


def test_server_ingests_while_readers_query(base_db: Path, tmp_path: Path) -> None:
    """Writes through the server (one DuckDB connection under a lock) while reads go on: every
    request answers, each article is stored once, and the file is whole afterwards."""
    db = tmp_path / "busy.duckdb"
    shutil.copyfile(base_db, db)
    before = counts(db)
    articles = [
        {
            "id": f"busy-{i}",
            "text": f"Rebels attacked an army post near Goma on Tuesday. Report {i}.",
            "published": "2024-06-04",
        }
        for i in range(4)
    ]
    with serving(db, tmp_path) as url:
        writes, reads = _run_isolated(_ingest_while_reading(url, [*articles, articles[0]], 200))
        assert all(status in (200, 201) for status in writes), writes
        assert sorted(writes) == [200, 201, 201, 201, 201]  # the repeated article is stored once
        assert all(status == 200 for status in reads), sorted(set(reads))
    assert counts(db)["articles"] == before["articles"] + len(articles)
