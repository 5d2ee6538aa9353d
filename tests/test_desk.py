"""The desk's pure logic: robust surge scores, reviews, highlights, series, cursors."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from eventwatch.desk import (
    apply_reviews,
    decode_cursor,
    dyad_of,
    encode_cursor,
    event_day,
    highlights,
    normalize_changes,
    period_start,
    robust_z,
    series_items,
    signals_of,
    surge_alerts,
)
from eventwatch.errors import QueryError
from eventwatch.resources.actors import default_actor_base
from eventwatch.resources.ontology import default_ontology

TEXT = "Iran launched drones at Israel on Saturday in Tehran's first direct attack."


def _event(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event_id": "e1",
        "article_id": "a1",
        "evidence": {"text": TEXT[:45], "start": 0, "end": 45},
        "trigger": {"text": "launched", "start": 5, "end": 13},
        "plover_type": "ASSAULT",
        "plover_mode": "aerial",
        "cameo_code": "195",
        "goldstein": -10.0,
        "quad_class": 4,
        "modality": "occurred",
        "source_actors": [
            {
                "name": "Iran",
                "actor_id": "IRN",
                "type": "state",
                "country": "IRN",
                "cameo_code": "IRN",
                "mention": {"text": "Iran", "start": 0, "end": 4},
            },
        ],
        "target_actors": [
            {
                "name": "Israel",
                "actor_id": "ISR",
                "type": "state",
                "country": "ISR",
                "cameo_code": "ISR",
                "mention": {"text": "Israel", "start": 24, "end": 30},
            },
        ],
        "date": {
            "value": "2024-04-13",
            "precision": "day",
            "start": "2024-04-13",
            "end": "2024-04-13",
            "text": "Saturday",
        },
        "location": None,
        "fatalities": None,
        "published": "2024-04-14",
    }
    return {**base, **fields}


# --------------------------------------------------------------------------- robust z


def test_robust_z_on_a_known_series() -> None:
    median, mad, z = robust_z(20, [1, 2, 2, 3, 3, 3, 4, 50])
    assert median == 3 and mad == 1
    assert z == pytest.approx((20 - 3) / 1.4826)


def test_robust_z_floors_the_mad_of_a_quiet_series() -> None:
    median, mad, z = robust_z(2, [0] * 14, mad_floor=0.5)
    assert (median, mad) == (0, 0)
    assert z == pytest.approx(2 / (1.4826 * 0.5))
    with pytest.raises(ValueError):
        robust_z(1, [])


def test_one_huge_day_does_not_hide_the_next_surge() -> None:
    """A mean/sd z-score would be blinded by the outlier in the baseline; the robust one is not."""
    start = date(2024, 1, 1)
    counts = [3, 4, 3, 5, 4, 3, 4, 90, 4, 3, 5, 4, 3, 4, 30]
    series = [(start + timedelta(days=i), n) for i, n in enumerate(counts)]
    alerts = surge_alerts("X->Y", series, covered_from=start, report_from=start + timedelta(days=8))
    assert [a["day"] for a in alerts] == ["2024-01-15"]
    assert alerts[0]["count"] == 30 and alerts[0]["baseline_median"] == 4 and alerts[0]["robust_z"] > 3.5
    plain_mean = sum(counts[:-1]) / 14
    plain_sd = (sum((c - plain_mean) ** 2 for c in counts[:-1]) / 13) ** 0.5
    assert (30 - plain_mean) / plain_sd < 3.5  # the classical score misses it


def test_surge_needs_a_baseline_the_database_covers() -> None:
    start = date(2024, 1, 1)
    series = [(start + timedelta(days=i), n) for i, n in enumerate([0, 0, 0, 9])]
    assert surge_alerts("k", series, covered_from=start, report_from=start) == []
    longer = [(start + timedelta(days=i), 0) for i in range(10)] + [(start + timedelta(days=10), 9)]
    assert [a["day"] for a in surge_alerts("k", longer, covered_from=start, report_from=start)] == [
        "2024-01-11"
    ]
    assert surge_alerts("k", longer, covered_from=start + timedelta(days=5), report_from=start) == []


def test_signals_index_and_alerts_on_synthetic_events() -> None:
    events = []
    first = date(2024, 3, 1)
    for i in range(20):
        day = first + timedelta(days=i)
        count = 1 if i < 19 else 6
        for n in range(count):
            iso = day.isoformat()
            events.append(
                _event(
                    event_id=f"e{i}-{n}", date={"value": iso, "precision": "day", "start": iso, "end": iso}
                )
            )
    cooperation = _event(event_id="coop", goldstein=7.0, date={"value": "2024-03-20", "precision": "day"})
    body = signals_of([*events, cooperation], days=5)
    assert [d["source"] + "->" + d["target"] for d in body["dyads"]] == ["IRN->ISR"]
    last = body["dyads"][0]["days"][-1]
    assert last == {"day": "2024-03-20", "events": 7, "goldstein_sum": -53.0, "conflict_cooperation": -0.757}
    assert {(a["key"], a["day"]) for a in body["alerts"]} == {("IRN->ISR", "2024-03-20"), ("*", "2024-03-20")}
    assert signals_of([], days=5)["dyads"] == []
    with pytest.raises(QueryError):
        signals_of(events, days=0)


# --------------------------------------------------------------------------- reviews


def test_changes_are_normalized_with_the_ontology_and_actor_base() -> None:
    changes = normalize_changes(
        {"plover_type": "protest", "source_actors": ["Hamas"], "date": "2024-02", "fatalities": 4,
         "location": {"name": "Gaza", "lat": 31.5, "lon": 34.45}},
        actors=default_actor_base(),
        ontology=default_ontology(),
    )  # fmt: skip
    assert changes["plover_type"] == "PROTEST" and changes["plover_mode"] is None
    assert changes["quad_class"] == default_ontology().quad_class("PROTEST")
    assert changes["goldstein"] == default_ontology().goldstein(changes["cameo_code"])
    assert changes["source_actors"][0]["actor_id"] and changes["source_actors"][0]["mention"] is None
    assert changes["date"] == {"value": "2024-02", "precision": "month", "start": "2024-02-01",
                               "end": "2024-02-29", "text": None}  # fmt: skip
    assert changes["fatalities"] == {"low": 4, "best": 4, "high": 4, "text": "reviewed"}
    assert changes["location"]["lat"] == 31.5 and changes["location"]["precision"] == "unknown"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"plover_type": "BOMB"}, "plover_type"),
        ({"modality": "rumoured"}, "modality"),
        ({"date": "2024-02-30"}, "real date"),
        ({"date": "April"}, "YYYY"),
        ({"fatalities": {"low": 5, "high": 2}}, "low <= best <= high"),
        ({"fatalities": -1}, "fatalities"),
        ({"source_actors": "Hamas"}, "list"),
        ({"location": {"name": "X", "lat": 123}}, "lat"),
        ({"goldstein": 3}, "unknown field"),
    ],
)
def test_bad_changes_are_refused_with_the_field_named(changes: dict[str, Any], problem: str) -> None:
    with pytest.raises(QueryError, match=problem):
        normalize_changes(changes, actors=default_actor_base(), ontology=default_ontology())


def test_reviews_apply_in_order_and_keep_the_original() -> None:
    event = _event()
    reviews = [
        {"review_id": 1, "reviewer": "a", "reviewed_at": "t1", "changes": json.dumps({"modality": "denied"}),
         "not_an_event": True, "note": None},
        {"review_id": 2, "reviewer": "b", "reviewed_at": "t2",
         "changes": json.dumps({"plover_type": "THREATEN", "modality": "threatened"}), "not_an_event": False,
         "note": "a threat"},
    ]  # fmt: skip
    out = apply_reviews(event, reviews)
    assert out["modality"] == "threatened" and out["plover_type"] == "THREATEN"
    assert out["original"] == {"modality": "occurred", "plover_type": "ASSAULT"}
    assert out["review"]["reviewer"] == "b" and out["review"]["not_an_event"] is False
    assert out["review"]["reviews"] == 2 and out["review"]["note"] == "a threat"
    assert event["plover_type"] == "ASSAULT"  # the input is not modified
    plain = apply_reviews(event, [])
    assert plain["review"] is None and plain["original"] is None


# --------------------------------------------------------------------------- evidence, series, cursors


def test_highlights_mark_real_spans() -> None:
    marks = highlights(_event(), TEXT)
    assert {m["kind"] for m in marks} == {"evidence", "trigger", "source", "target", "date"}
    by_kind = {m["kind"]: TEXT[m["start"] : m["end"]] for m in marks}
    assert (
        by_kind["trigger"] == "launched" and by_kind["date"] == "Saturday" and by_kind["target"] == "Israel"
    )
    outside = _event(trigger={"text": "x", "start": 500, "end": 501}, date=None)
    assert "trigger" not in {m["kind"] for m in highlights(outside, TEXT)}


def test_event_day_and_periods() -> None:
    assert event_day(_event()) == date(2024, 4, 13)
    assert event_day(_event(date={"value": "2024-05", "precision": "month"})) == date(2024, 5, 1)
    assert event_day(_event(date={"value": "2024-W20", "precision": "week"})) == date(2024, 4, 14)
    assert event_day(_event(date=None, published=None)) is None
    assert period_start(date(2024, 4, 13), "week") == date(2024, 4, 8)
    assert period_start(date(2024, 4, 13), "month") == date(2024, 4, 1)


def test_series_and_dyads() -> None:
    events = [
        _event(),
        _event(event_id="e2", goldstein=-6.0),
        _event(event_id="e3", plover_type="CONSULT", goldstein=None, target_actors=[]),
    ]
    items = series_items(events, by="month", group="plover_type")
    assert items == [
        {"period": "2024-04-01", "key": "ASSAULT", "events": 2, "goldstein_mean": -8.0},
        {"period": "2024-04-01", "key": "CONSULT", "events": 1, "goldstein_mean": None},
    ]
    assert [i["key"] for i in series_items(events, by="day", group="dyad")] == ["IRN->ISR", "unknown"]
    assert [i["key"] for i in series_items(events, by="day", group="country")] == ["IRN", "ISR"]
    group = {"name": "Kataib Hezbollah", "type": "armed_group", "country": "IRQ", "cameo_code": "IRQREB"}
    assert dyad_of(_event(source_actors=[group])) == "Kataib Hezbollah->ISR"
    with pytest.raises(QueryError):
        series_items(events, by="year", group="dyad")


def test_cursor_round_trip_and_garbage() -> None:
    assert decode_cursor(encode_cursor(150)) == 150
    for bad in ("", "!!!", encode_cursor(-3), "eyJ4IjogMX0"):
        with pytest.raises(QueryError, match="cursor"):
            decode_cursor(bad)
