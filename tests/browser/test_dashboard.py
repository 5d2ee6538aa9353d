"""The analyst's dashboard in headless Chromium, against the real API on a real database.

The review test changes the database; it runs after the read-only tests (file order).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
READY = "document.body.dataset.state === 'ready'"


def _open(page: Any, path: str = "/") -> None:
    page.goto(path)
    page.wait_for_function(READY, timeout=20_000)


def _timeline_events(page: Any) -> int:
    return int(page.get_attribute("#timeline", "data-events"))


def _rows(page: Any) -> list[str]:
    return [str(t) for t in page.locator("#events tbody tr[data-event-id]").all_inner_texts()]


def _api(base_url: str, path: str, **params: Any) -> Any:
    response = httpx.get(f"{base_url}{path}", params=params, timeout=20)
    response.raise_for_status()
    return response.json()


def test_page_loads_with_no_failed_request_and_no_console_error(page: tuple[Any, Any], base_url: str) -> None:
    tab, recorder = page
    _open(tab)
    total = _api(base_url, "/api/events", limit=1)["total"]
    assert total > 0
    assert len(_rows(tab)) == total
    assert _timeline_events(tab) > 0
    # Every panel drew from the vendored libraries: the world boundaries, the network, the charts.
    assert tab.locator("#map path.leaflet-interactive").count() > 100
    assert int(tab.get_attribute("#network", "data-nodes")) > 0
    assert tab.locator("#timeline canvas").count() == 1
    assert tab.locator("#quantities canvas").count() == 1
    assert tab.locator("#signals canvas").count() == 1
    assert tab.evaluate("typeof echarts.init === 'function' && typeof L.map === 'function'")
    assert recorder.offsite() == []
    assert recorder.problems == []


def test_filtering_by_actor_changes_the_timeline_and_the_table(page: tuple[Any, Any], base_url: str) -> None:
    tab, recorder = page
    _open(tab)
    before_timeline, before_rows = _timeline_events(tab), _rows(tab)
    actors = _api(base_url, "/api/actors", limit=200)["items"]
    actor = next(a for a in actors if 0 < a["events"] < len(before_rows) // 2)
    expected = _api(base_url, "/api/events", actor=actor["name"], limit=1000)
    tab.fill("#filters input[name=actor]", actor["name"])
    tab.click("#filters button[type=submit]")
    tab.wait_for_function(
        f"([before]) => {READY} && document.querySelector('#timeline').dataset.events !== before",
        arg=[str(before_timeline)],
    )
    after_rows = _rows(tab)
    assert 0 < len(after_rows) < len(before_rows)
    assert len(after_rows) == expected["total"]
    rows = tab.locator("#events tbody tr[data-event-id]")
    shown = {str(rows.nth(i).get_attribute("data-event-id")) for i in range(len(after_rows))}
    assert shown == {e["event_id"] for e in expected["items"]}
    assert 0 < _timeline_events(tab) < before_timeline
    assert "actor=" in tab.url
    # The filter is in the URL: a reload shows the same filtered view.
    tab.reload()
    tab.wait_for_function(READY)
    assert len(_rows(tab)) == len(after_rows)
    assert tab.input_value("#filters input[name=actor]") == actor["name"]
    assert recorder.problems == []


def _attributed_event(base_url: str) -> dict[str, Any]:
    """An event with a source actor mentioned in the text and a reported speaker, if there is one."""
    items = _api(base_url, "/api/events", limit=1000)["items"]

    def score(event: dict[str, Any]) -> int:
        mentioned = any(a.get("mention") for a in event["source_actors"])
        spoken = event["attribution"]["kind"] in ("anonymous", "named", "media", "organization")
        return 2 * mentioned + spoken

    return max(items, key=score)


def test_clicking_an_event_shows_its_highlighted_evidence(page: tuple[Any, Any], base_url: str) -> None:
    tab, recorder = page
    _open(tab)
    event = _attributed_event(base_url)
    detail = _api(base_url, f"/api/events/{event['event_id']}")
    tab.click(f"#events tbody tr[data-event-id='{event['event_id']}']")
    tab.wait_for_selector("#article-text mark.hl-evidence")
    evidence = "".join(tab.locator("#article-text mark.hl-evidence").all_inner_texts())
    text = detail["article"]["text"]
    assert evidence == text[event["evidence"]["start"] : event["evidence"]["end"]]
    trigger = "".join(tab.locator("#article-text mark.hl-trigger").all_inner_texts())
    assert trigger == text[event["trigger"]["start"] : event["trigger"]["end"]]
    if any(a.get("mention") for a in event["source_actors"]):
        assert tab.locator("#article-text mark.hl-source").count() > 0
    # The article is shown whole, not just the sentence.
    assert tab.inner_text("#article-text").replace("\n", "") == text.replace("\n", "")
    plain = tab.inner_text("#event-plain")
    assert plain.startswith(event["modality"])
    speaker = event["attribution"].get("speaker") or {}
    if event["attribution"]["kind"] == "anonymous":
        assert "per an anonymous source" in plain
    elif speaker.get("name"):
        assert speaker["name"] in plain
    assert event["event_id"] in tab.inner_text("#panel")
    assert f"event={event['event_id']}" in tab.url
    assert recorder.problems == []


def test_a_review_correction_persists_after_a_reload(
    page: tuple[Any, Any], base_url: str, review_token: str
) -> None:
    tab, recorder = page
    _open(tab)
    event = _api(base_url, "/api/events", limit=1000)["items"][0]
    new_modality = "denied" if event["modality"] != "denied" else "occurred"
    tab.click(f"#events tbody tr[data-event-id='{event['event_id']}']")
    tab.wait_for_selector("#review-form")
    tab.select_option("#rv-modality", new_modality)
    tab.fill("#rv-reviewer", "Test Analyst")
    tab.fill("#rv-note", "the spokesman denied it")

    # A wrong token is refused with the API's error message, and nothing is saved.
    recorder.allowed_status.add(403)
    tab.fill("#rv-token", "not-the-token")
    tab.click("#review-form button[type=submit]")
    tab.wait_for_selector("#review-form .form-error")
    assert tab.inner_text("#review-form .form-error").strip() != ""
    assert _api(base_url, f"/api/events/{event['event_id']}")["event"]["review"] is None
    recorder.allowed_status.clear()

    tab.fill("#rv-token", review_token)
    tab.click("#review-form button[type=submit]")
    tab.wait_for_selector("#correction")
    assert "Test Analyst" in tab.inner_text("#correction")

    tab.reload()
    tab.wait_for_function(READY)
    tab.wait_for_selector("#correction")  # the panel reopens from the URL, with the stored correction
    assert "Test Analyst" in tab.inner_text("#correction")
    assert new_modality in tab.inner_text("#correction")
    assert tab.inner_text("#event-plain").startswith(new_modality.split()[0])
    assert tab.input_value("#rv-token") == review_token  # kept for the session
    row = tab.locator(f"#events tbody tr[data-event-id='{event['event_id']}']")
    assert "reviewed" in row.inner_text()
    stored = _api(base_url, f"/api/events/{event['event_id']}")["event"]
    assert stored["modality"] == new_modality
    assert stored["review"]["reviewer"] == "Test Analyst"
    assert recorder.problems == []


def test_screenshot_of_the_dashboard(page: tuple[Any, Any], tmp_path: Path) -> None:
    """Written under the test's output and to docs/ for the README; a person looks at it."""
    tab, recorder = page
    _open(tab)
    tab.wait_for_timeout(300)  # let the map and network settle their layout
    shot = tmp_path / "dashboard.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    shutil.copyfile(shot, docs / "dashboard.png")
    tab.click("#events tbody tr[data-event-id] >> nth=0")
    tab.wait_for_selector("#article-text mark.hl-evidence")
    tab.screenshot(path=str(tmp_path / "event-panel.png"))
    assert recorder.problems == []
