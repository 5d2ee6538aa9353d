"""The SQL aggregates (``store.aggregates`` through ``Desk``) equal the straightforward Python
computation (``Desk._all`` + the desk's pure functions) over the same real DuckDB file, reviews
included."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventwatch.desk import (
    Desk,
    actor_items,
    actor_tallies_of,
    event_day,
    series_items,
    signals_of,
)
from eventwatch.store import EventFilter, Store, aggregates

pytestmark = pytest.mark.slow  # builds a database and runs the slow Python reference (~30 s)
ROOT = Path(__file__).resolve().parent.parent


def _builder() -> Any:
    spec = importlib.util.spec_from_file_location("make_events_db", ROOT / "bench" / "make_events_db.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_events_db", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    path = tmp_path_factory.mktemp("agg") / "events.duckdb"
    _builder().build(path, events=600, seed=7)
    with Store(path) as store:
        desk = Desk(store)
        ids = [r[0] for r in store._fetch("SELECT event_id FROM events ORDER BY event_id")[1]]
        changes: list[dict[str, Any]] = [
            {"modality": "ongoing"},
            {"plover_type": "ASSAULT"},
            {"date": "2023-05"},
            {"source_actors": ["Hamas"], "target_actors": [{"name": "Israel Defense Forces"}]},
            {"target_actors": []},
            {"location": {"name": "Gaza", "country": "PSE"}},
        ]
        for i, event_id in enumerate(ids[::37]):
            desk.review(event_id, reviewer="t", changes=changes[i % len(changes)], not_an_event=i % 4 == 0)
        yield desk


FILTERS = [
    EventFilter(include_rejected=False),
    EventFilter(plover_type="ASSAULT", include_rejected=False),
    EventFilter(country="UKR", include_rejected=False),
    EventFilter(since="2024-01-01", until="2025-06-30", include_rejected=False),
    EventFilter(text="in", include_rejected=False),
    EventFilter(actor="ukr", include_rejected=False),
]
NAMES = ["all", "type", "country", "dates", "text", "actor"]


@pytest.mark.parametrize("flt", FILTERS, ids=NAMES)
def test_series_equal_the_python_computation(desk: Desk, flt: EventFilter) -> None:
    events = desk._all(flt)
    assert events, "the filter must select events for the test to mean anything"
    for by in ("day", "week", "month"):
        for group in ("plover_type", "quad_class", "country", "dyad"):
            expected = series_items(events, by=by, group=group)
            assert desk.series(flt, by=by, group=group)["items"] == expected, (by, group)


@pytest.mark.parametrize("flt", FILTERS, ids=NAMES)
def test_signals_equal_the_python_computation(desk: Desk, flt: EventFilter) -> None:
    events = desk._all(flt)
    everything = desk._all(EventFilter())
    covered = min(d for e in everything if (d := event_day(e)) is not None)
    for days in (1, 30, 90, 400):
        expected = signals_of(events, days=days, covered_from=covered)
        got = desk.signals(flt, days=days)
        assert got == expected, days
    assert any(desk.signals(flt, days=400)["dyads"] for flt in FILTERS)


def test_actors_equal_the_python_computation(desk: Desk) -> None:
    tallies = actor_tallies_of(desk._all(EventFilter()))
    for q in (None, "hamas", "ukr"):
        expected = actor_items(tallies, actors=desk.actor_base, q=q, limit=500)
        assert desk.actors(q=q, limit=500)["items"] == expected
    assert desk.actors(limit=5)["items"][0]["events"] > 1


def test_event_pages_equal_the_store_rows(desk: Desk) -> None:
    for flt in FILTERS:
        for descending in (False, True):
            page = dataclasses.replace(flt, descending=descending, limit=25, offset=10)
            expected = desk._reviewed(desk.store.event_rows(page))
            assert (
                desk.events(dataclasses.replace(flt, descending=descending), limit=25, cursor=None)["items"][
                    :0
                ]
                == []
            )

            assert desk._reviewed(aggregates.event_rows(desk.store, page)) == expected
    some = desk.store.event_rows(EventFilter(limit=3))
    for row in some:
        detail = desk.event_detail(row["event_id"])
        assert detail is not None and detail["event"]["event_id"] == row["event_id"]


def test_quantities_are_bounded_on_request(desk: Desk) -> None:
    every = desk.quantities()["items"]
    assert len(every) >= 10
    assert desk.quantities(limit=10_000)["items"] == every
    latest = desk.quantities(limit=5)["items"]
    assert len(latest) == 5 and all(q in every for q in latest)

    def day(q: dict[str, Any]) -> str:
        period = q["period"] or {}
        return str(period.get("end") or period.get("start") or q["published"])[:10]

    cut = sorted(day(q) for q in every)[-5]
    assert all(day(q) >= cut for q in latest)
    since = sorted(day(q) for q in every)[len(every) // 2]
    assert desk.quantities(since=since)["items"] == [q for q in every if day(q) >= since]
