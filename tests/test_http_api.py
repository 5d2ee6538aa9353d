"""The HTTP API on a real DuckDB file built from sample articles: through FastAPI's TestClient,
and once through ``eventwatch serve`` on a socket."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from eventwatch import api
from eventwatch.config import Settings
from eventwatch.http import create_app
from eventwatch.io.readers import text_article

with warnings.catch_warnings():  # starlette's TestClient warns that it wraps httpx
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
STORED = (
    "iran-attack-on-israel-2024-04-14.txt",
    "iraq-kataib-hezbollah-suspension-2024-01-31.txt",
    "yemen-houthi-strikes-2024-01-12.txt",
)
POSTED = "ukraine-kyiv-missile-attack-2024-07-09.txt"
TOKEN = "test-token-7f3a9c"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> Path:
    path = tmp_path_factory.mktemp("http") / "events.duckdb"
    result = api.ingest(
        [str(EXAMPLES / name) for name in STORED], settings=Settings(db_path=path), extractor=extractor
    )
    assert result.articles_added == 3 and result.events > 10
    return path


@pytest.fixture(scope="module")
def client(base_db: Path) -> Iterator[TestClient]:
    """A read-only app over the shared database (the write tests use their own copy)."""
    app = create_app(settings=Settings(db_path=base_db), token=None, read_only=True)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture()
def writer(base_db: Path, tmp_path: Path, extractor: Any) -> Iterator[TestClient]:
    path = tmp_path / "copy.duckdb"
    shutil.copy(base_db, path)
    app = create_app(
        settings=Settings(db_path=path), token=TOKEN, read_only=False, extractor=lambda: extractor
    )
    with TestClient(app) as test_client:
        yield test_client


def _all_events(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    page = client.get("/api/events", params={"limit": 1000, **params})
    assert page.status_code == 200, page.text
    return list(page.json()["items"])


# --------------------------------------------------------------------------- reading


def test_events_list_shape_and_filters(client: TestClient) -> None:
    everything = _all_events(client)
    body = client.get("/api/events", params={"limit": 5}).json()
    assert set(body) == {"items", "next_cursor", "total"}
    assert body["total"] == len(everything) > 5
    first = body["items"][0]
    for key in (
        "event_id",
        "evidence",
        "plover_type",
        "source_actors",
        "published",
        "source",
        "title",
        "url",
    ):
        assert key in first
    assert first["review"] is None and first["original"] is None

    iran = _all_events(client, actor="Iran")
    assert iran and all(
        any(
            "iran" in a["name"].lower() or a.get("actor_id") == "Iran"
            for a in e["source_actors"] + e["target_actors"]
        )
        for e in iran
    )
    assaults = _all_events(client, type="assault")
    assert assaults and {e["plover_type"] for e in assaults} == {"ASSAULT"}
    since = _all_events(client, since="2024-04-01")
    assert since and {e["article_id"] for e in since} == {"iran-attack-on-israel-2024-04-14"}
    occurred = _all_events(client, modality="occurred")
    assert occurred and {e["modality"] for e in occurred} == {"occurred"}
    isr = _all_events(client, country="isr")
    assert isr and len(isr) < len(everything)


def test_text_search_in_evidence_and_actor_names(client: TestClient) -> None:
    first = _all_events(client)[0]
    word = first["trigger"]["text"]
    found = _all_events(client, q=word.upper())
    assert first["event_id"] in {e["event_id"] for e in found}
    assert all(
        word.lower() in e["evidence"]["text"].lower()
        or any(word.lower() in a["name"].lower() for a in e["source_actors"] + e["target_actors"])
        for e in found
    )
    houthi = _all_events(client, q="houthi")
    assert houthi and all(
        "houthi" in e["evidence"]["text"].lower()
        or any("houthi" in a["name"].lower() for a in e["source_actors"] + e["target_actors"])
        for e in houthi
    )
    assert _all_events(client, q="no such words anywhere") == []


def test_paging_with_cursor_visits_every_event_once_in_order(client: TestClient) -> None:
    everything = [e["event_id"] for e in _all_events(client)]
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        params: dict[str, Any] = {"limit": 4}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/api/events", params=params).json()
        seen += [e["event_id"] for e in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == everything
    newest = [e["event_id"] for e in _all_events(client, sort="-date")]
    assert newest == everything[::-1]
    bad = client.get("/api/events", params={"cursor": "not a cursor"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "E300"


def test_event_detail_highlights_point_into_the_article(client: TestClient) -> None:
    events = _all_events(client)
    kinds: set[str] = set()
    for event in events:
        body = client.get(f"/api/events/{event['event_id']}").json()
        text = body["article"]["text"]
        assert set(body["article"]) == {"article_id", "title", "source", "published", "url", "text"}
        assert body["event"]["event_id"] == event["event_id"]
        for mark in body["highlights"]:
            assert 0 <= mark["start"] < mark["end"] <= len(text)
            kinds.add(mark["kind"])
        marks = {m["kind"]: m for m in body["highlights"]}
        ev = body["event"]["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["text"]
        assert text[marks["evidence"]["start"] : marks["evidence"]["end"]] == ev["text"]
        tr = body["event"]["trigger"]
        assert text[marks["trigger"]["start"] : marks["trigger"]["end"]] == tr["text"]
        for actor in body["event"]["source_actors"]:
            if actor["mention"]:
                assert text[actor["mention"]["start"] : actor["mention"]["end"]] == actor["mention"]["text"]
    assert {"evidence", "trigger", "source", "target"} <= kinds
    missing = client.get("/api/events/does-not-exist")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "E404"


def test_article_with_its_records(client: TestClient) -> None:
    body = client.get("/api/articles/iraq-kataib-hezbollah-suspension-2024-01-31").json()
    assert body["article"]["article_id"] == "iraq-kataib-hezbollah-suspension-2024-01-31"
    assert body["article"]["text"].startswith("Kataib Hezbollah") or body["article"]["text"]
    assert body["events"] and body["mentions"] and body["quantities"]
    assert {e["article_id"] for e in body["events"]} == {body["article"]["article_id"]}
    assert client.get("/api/articles/nope").status_code == 404


def test_actors_with_counts_aliases_and_memberships(client: TestClient) -> None:
    items = client.get("/api/actors", params={"limit": 1000}).json()["items"]
    assert items == sorted(items, key=lambda a: (-a["events"], a["name"].lower()))
    for actor in items:
        assert set(actor) == {
            "name", "actor_id", "cameo_code", "country", "type", "events", "as_source", "as_target",
            "aliases", "memberships",
        }  # fmt: skip
        assert actor["events"] <= actor["as_source"] + actor["as_target"]
    known = [a for a in items if a["actor_id"] and a["aliases"]]
    assert known, "the actor base gives aliases for known actors"
    houthis = client.get("/api/actors", params={"q": "houthi"}).json()["items"]
    assert houthis and all(
        "houthi" in a["name"].lower() or any("houthi" in x.lower() for x in a["aliases"]) for a in houthis
    )
    assert len(client.get("/api/actors", params={"limit": 2}).json()["items"]) == 2
    assert client.get("/api/actors", params={"limit": 1001}).status_code == 422


def test_series_by_period_and_group(client: TestClient) -> None:
    total = len(_all_events(client))
    for by in ("day", "week", "month"):
        for group in ("plover_type", "quad_class", "country", "dyad"):
            body = client.get("/api/series", params={"by": by, "group": group}).json()
            assert body["by"] == by and body["group"] == group
            assert sum(i["events"] for i in body["items"]) <= total
            assert all(set(i) == {"period", "key", "events", "goldstein_mean"} for i in body["items"])
    months = client.get("/api/series", params={"by": "month", "group": "plover_type"}).json()["items"]
    assert all(i["period"].endswith("-01") for i in months)
    assaults = client.get("/api/series", params={"by": "month", "type": "ASSAULT"}).json()["items"]
    assert assaults and {i["key"] for i in assaults} == {"ASSAULT"}
    assert client.get("/api/series", params={"by": "year"}).json()["error"]["code"] == "E422"


def test_quantities_give_the_attack_and_drone_series(client: TestClient) -> None:
    attacks = client.get("/api/quantities", params={"what": "attack"}).json()["items"]
    monthly = [
        (q["period"]["start"], q["value"])
        for q in attacks
        if q["period"] and q["period"]["precision"] == "month"
    ]
    assert ("2023-10-01", 23) in monthly and ("2023-12-01", 61) in monthly
    assert all(q["source"] == "Levant Wire" or q["source"] for q in attacks)
    drones = client.get("/api/quantities", params={"what": "Drone"}).json()["items"]
    assert drones and drones[0]["article_id"] == "iran-attack-on-israel-2024-04-14"
    assert drones[0]["value"] == 300 and drones[0]["bound"] == "at_least"
    assert drones[0]["published"] == "2024-04-14"


def test_signals_shape(client: TestClient) -> None:
    body = client.get("/api/signals", params={"days": 4000}).json()
    assert body["error"]["code"] == "E422"
    body = client.get("/api/signals", params={"days": 120}).json()
    assert set(body) == {"dyads", "alerts", "method"} and "robust z-score" in body["method"]
    assert body["dyads"]
    for dyad in body["dyads"]:
        assert dyad["source"] and dyad["target"]
        for day in dyad["days"]:
            assert day["events"] >= 1
            if day["conflict_cooperation"] is not None:
                assert -1 <= day["conflict_cooperation"] <= 1
    for alert in body["alerts"]:
        assert set(alert) == {"key", "day", "count", "baseline_median", "mad", "robust_z", "method"}
        assert alert["robust_z"] >= 3.5


@pytest.mark.parametrize(
    ("fmt", "media", "suffix"),
    [
        ("acled-csv", "text/csv", "csv"),
        ("plover-json", "application/json", "json"),
        ("gdelt-tsv", "text/tab-separated-values", "tsv"),
        ("parquet", "application/vnd.apache.parquet", "parquet"),
    ],
)
def test_export_formats_and_headers(client: TestClient, fmt: str, media: str, suffix: str) -> None:
    response = client.get("/api/export", params={"format": fmt, "type": "ASSAULT"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["content-disposition"] == f'attachment; filename="eventwatch-events.{suffix}"'
    if fmt == "plover-json":
        rows = json.loads(response.content)
        assert rows and {r["event_type"] for r in rows} == {"ASSAULT"}
    elif fmt == "acled-csv":
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert rows and "event_id_cnty" in rows[0]
    elif fmt == "gdelt-tsv":
        assert response.text.split("\n", 1)[0].startswith("GLOBALEVENTID\t")
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(io.BytesIO(response.content))
        assert table.num_rows == len(_all_events(client, type="ASSAULT"))
    assert client.get("/api/export", params={"format": "xml"}).status_code == 422


def test_injection_looking_values_are_just_values(client: TestClient) -> None:
    before = len(_all_events(client))
    for value in ("'; DROP TABLE events; --", "%' OR '1'='1", '\\x00" OR 1=1 --', "Iran' --"):
        for name in ("actor", "country", "q"):
            response = client.get("/api/events", params={name: value})
            assert response.status_code == 200 and response.json()["total"] == 0, (name, value)
        assert client.get("/api/quantities", params={"what": value}).json()["items"] == []
        assert client.get("/api/actors", params={"q": value}).json()["items"] == []
    assert client.get("/api/events", params={"type": "ASSAULT' OR 1=1"}).status_code == 400
    assert len(_all_events(client)) == before


# --------------------------------------------------------------------------- errors


def test_one_error_body_for_every_kind_of_error(client: TestClient) -> None:
    cases = [
        (client.get("/api/nowhere"), 404, "E404"),
        (client.get("/api/events/unknown-id"), 404, "E404"),
        (client.delete("/api/events"), 405, "E405"),
        (client.get("/api/events", params={"limit": 0}), 422, "E422"),
        (client.get("/api/events", params={"limit": "many"}), 422, "E422"),
        (client.get("/api/events", params={"since": "yesterday"}), 400, "E300"),
        (client.get("/api/events", params={"modality": "rumoured"}), 400, "E300"),
        (client.post("/api/articles", json={"id": "x", "text": "y"}), 403, "E403"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.text
        body = response.json()
        assert set(body) == {"error"}
        assert set(body["error"]) == {"code", "message", "details"}
        assert body["error"]["code"] == code
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    details = client.get("/api/events", params={"limit": 0}).json()["error"]["details"]
    assert details[0]["loc"] == ["query", "limit"]


def test_openapi_documents_the_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/events", "/api/events/{event_id}", "/api/articles/{article_id}", "/api/actors", "/api/series",
        "/api/quantities", "/api/signals", "/api/export", "/api/articles",
    ):  # fmt: skip
        assert path in paths
    assert paths["/api/events"]["get"]["summary"]
    assert "patch" in paths["/api/events/{event_id}"] and "post" in paths["/api/articles"]


def test_dashboard_page_and_static_mount(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "eventwatch" in page.text
    missing = client.get("/static/no-such-file.js")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "E404"


# --------------------------------------------------------------------------- writing


def _posted_article() -> dict[str, Any]:
    article = text_article((EXAMPLES / POSTED).read_text(encoding="utf-8"), where=POSTED, article_id="kyiv")
    return {"id": "kyiv", "text": article.text, "published": article.published, "source": article.source}


def test_post_articles_needs_the_token(writer: TestClient) -> None:
    body = [_posted_article()]
    missing = writer.post("/api/articles", json=body)
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "E401"
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = writer.post("/api/articles", json=body, headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "E403"
    assert "not-the-token" not in wrong.text and TOKEN not in wrong.text
    basic = writer.post("/api/articles", json=body, headers={"Authorization": f"Basic {TOKEN}"})
    assert basic.status_code == 401
    assert writer.get("/api/events", params={"q": "Kyiv"}).json()["total"] == 0


def test_post_articles_ingests_and_returns_the_new_events(writer: TestClient) -> None:
    before = writer.get("/api/events").json()["total"]
    created = writer.post("/api/articles", json=_posted_article(), headers=AUTH)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["articles_added"] == 1 and body["articles_skipped"] == 0
    assert body["events"] and {e["article_id"] for e in body["events"]} == {"kyiv"}
    assert writer.get("/api/events").json()["total"] == before + len(body["events"])
    again = writer.post("/api/articles", json=[_posted_article()], headers=AUTH)
    assert again.status_code == 200
    assert again.json() == {"articles_added": 0, "articles_skipped": 1, "events": []}
    bad = writer.post("/api/articles", json=[_posted_article(), {"id": "empty", "text": " "}], headers=AUTH)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "E102"
    assert "item 1" in bad.json()["error"]["message"]
    invalid = writer.post("/api/articles", json={"text": "no id"}, headers=AUTH)
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "E422"


def test_body_size_is_limited(writer: TestClient) -> None:
    huge = writer.post(
        "/api/articles",
        content=b"[" + b" " * 5_000_001 + b"]",
        headers={**AUTH, "content-type": "application/json"},
    )
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "E413"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams in
        yield b"["
        for _ in range(6):
            yield b" " * 1_000_000
        yield b"]"

    streamed = writer.post(
        "/api/articles", content=chunks(), headers={**AUTH, "content-type": "application/json"}
    )
    assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "E413"


def test_review_persists_and_keeps_the_original(writer: TestClient, base_db: Path) -> None:
    event = _all_events(writer, type="ASSAULT")[0]
    event_id = event["event_id"]
    change = {
        "reviewer": "analyst-1",
        "changes": {
            "plover_type": "coerce",
            "modality": "threatened",
            "fatalities": {"low": 2, "best": 3, "high": 5},
            "target_actors": ["Israel"],
            "date": "2024-04",
        },
        "note": "the strike was only threatened",
    }
    assert writer.patch(f"/api/events/{event_id}", json=change).status_code == 401
    response = writer.patch(f"/api/events/{event_id}", json=change, headers=AUTH)
    assert response.status_code == 200, response.text
    corrected = response.json()
    assert corrected["plover_type"] == "COERCE" and corrected["modality"] == "threatened"
    assert corrected["fatalities"] == {"low": 2, "best": 3, "high": 5, "text": "reviewed"}
    assert (
        corrected["target_actors"][0]["name"] == "Israel"
        and corrected["target_actors"][0]["country"] == "ISR"
    )
    assert corrected["date"]["precision"] == "month" and corrected["date"]["end"] == "2024-04-30"
    assert corrected["original"]["plover_type"] == "ASSAULT"
    assert corrected["original"]["modality"] == event["modality"]
    assert corrected["review"]["reviewer"] == "analyst-1" and corrected["review"]["reviewed_at"]
    assert corrected["review"]["note"] == "the strike was only threatened"
    # A later read (and the detail page) shows the correction; the list filter still finds the
    # machine's row, and the machine's original is untouched in the database.
    detail = writer.get(f"/api/events/{event_id}").json()["event"]
    assert detail["plover_type"] == "COERCE" and detail["original"]["plover_type"] == "ASSAULT"
    from eventwatch.store import Store

    desk_store = writer.app.state.desk_holder.get().store  # type: ignore[attr-defined]
    assert desk_store.event_row(event_id)["plover_type"] == "ASSAULT"
    assert len(desk_store.reviews([event_id])) == 1
    with Store(base_db, read_only=True) as original:
        row = original.event_row(event_id)
        assert row is not None and row["plover_type"] == "ASSAULT"
    invalid = writer.patch(
        f"/api/events/{event_id}", json={"reviewer": "a", "changes": {"plover_type": "X"}}, headers=AUTH
    )
    assert invalid.status_code == 400 and invalid.json()["error"]["code"] == "E300"
    extra = writer.patch(
        f"/api/events/{event_id}", json={"reviewer": "a", "changes": {"goldstein": 1}}, headers=AUTH
    )
    assert extra.status_code == 422
    unknown = writer.patch("/api/events/nope", json={"reviewer": "a", "changes": {}}, headers=AUTH)
    assert unknown.status_code == 404


def test_not_an_event_is_hidden_unless_asked_for(writer: TestClient) -> None:
    before = _all_events(writer)
    target = before[0]["event_id"]
    response = writer.patch(
        f"/api/events/{target}", json={"reviewer": "analyst-2", "not_an_event": True}, headers=AUTH
    )
    assert response.status_code == 200 and response.json()["review"]["not_an_event"] is True
    after = _all_events(writer)
    assert target not in {e["event_id"] for e in after} and len(after) == len(before) - 1
    assert writer.get("/api/events").json()["total"] == len(before) - 1
    shown = _all_events(writer, include_rejected="true")
    assert target in {e["event_id"] for e in shown}
    series = writer.get("/api/series", params={"by": "month"}).json()["items"]
    assert sum(i["events"] for i in series) == len(after)
    plover = json.loads(writer.get("/api/export", params={"format": "plover-json"}).content)
    assert target not in {r["event_id"] for r in plover}
    undo = writer.patch(
        f"/api/events/{target}", json={"reviewer": "analyst-3", "not_an_event": False}, headers=AUTH
    )
    assert undo.status_code == 200
    assert len(_all_events(writer)) == len(before)


def test_read_only_server_refuses_writes(client: TestClient) -> None:
    event_id = _all_events(client)[0]["event_id"]
    for response in (
        client.post("/api/articles", json=_posted_article(), headers=AUTH),
        client.patch(f"/api/events/{event_id}", json={"reviewer": "a", "changes": {}}, headers=AUTH),
    ):
        assert response.status_code == 403
        assert "read-only" in response.json()["error"]["message"]


def test_writable_app_needs_a_token(base_db: Path) -> None:
    from eventwatch.errors import ConfigError

    with pytest.raises(ConfigError, match="EVENTWATCH_TOKEN"):
        create_app(settings=Settings(db_path=base_db), token=None, read_only=False)


# --------------------------------------------------------------------------- a real server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


SERVE = "import typer; from eventwatch.http.command import serve_command; typer.run(serve_command)"


def test_serve_refuses_to_start_writable_without_a_token(base_db: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "EVENTWATCH_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-c", SERVE, "--db", str(base_db), "--port", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "EVENTWATCH_TOKEN" in done.stderr and "--read-only" in done.stderr


def test_serve_over_a_socket(base_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "served.duckdb"
    shutil.copy(base_db, path)
    port = _free_port()
    env = {**os.environ, "EVENTWATCH_TOKEN": TOKEN}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE, "--db", str(path), "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                ready = httpx.get(f"{base}/api/events", params={"limit": 1}, timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read().decode() if server.stdout else ""
                    pytest.fail(f"eventwatch serve did not start: {output}")
                time.sleep(0.2)
        assert ready.status_code == 200 and ready.json()["total"] > 0
        with httpx.Client(base_url=base, timeout=10) as http:
            event_id = ready.json()["items"][0]["event_id"]
            assert http.get(f"/api/events/{event_id}").json()["event"]["event_id"] == event_id
            review = {"reviewer": "socket", "changes": {"modality": "denied"}}
            assert http.patch(f"/api/events/{event_id}", json=review).status_code == 401
            wrong = http.patch(
                f"/api/events/{event_id}", json=review, headers={"Authorization": "Bearer wrong"}
            )
            assert wrong.status_code == 403
            done = http.patch(f"/api/events/{event_id}", json=review, headers=AUTH)
            assert done.status_code == 200 and done.json()["modality"] == "denied"
            assert http.get("/").status_code == 200
    finally:
        server.terminate()
        try:
            log, _ = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            log, _ = server.communicate()
    assert TOKEN.encode() not in log
