"""The JSON Schema generated from the typed records accepts what the pipeline writes and rejects
records that break the contract."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from eventwatch.model import (
    ActorRef,
    Article,
    Attribution,
    DateValue,
    Event,
    Extraction,
    Quantity,
    Span,
    Speaker,
)
from eventwatch.schema import contract_schema


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = contract_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _records() -> list[dict[str, Any]]:
    text = "Rebels fired rockets at the base on Monday, the army said."
    article = Article(article_id="a1", text=text, published="2024-03-05", source="Test Wire")
    event = Event(
        event_id="e1",
        article_id="a1",
        sentence=0,
        evidence=Span(text="Rebels fired rockets", start=0, end=20),
        trigger=Span(text="fired", start=7, end=12),
        plover_type="ASSAULT",
        plover_mode="heavy-weapons",
        cameo_code="194",
        goldstein=-10.0,
        quad_class=4,
        acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Shelling/artillery/missile attack",
        modality="occurred",
        source_actors=(
            ActorRef(name="Rebels", type="rebel", cameo_code="REB", mention=Span("Rebels", 0, 6)),
        ),
        date=DateValue(value="2024-03-04", precision="day", start="2024-03-04", end="2024-03-04", text="Mon"),
        attribution=Attribution(kind="organization", speaker=Speaker(name="army"), cues=("said",)),
        confidence=0.8,
    )
    quantity = Quantity(
        article_id="a1",
        quantity_id="q1",
        what="rocket",
        value=12,
        bound="at_least",
        unit=None,
        period=None,
        evidence=Span(text="rockets", start=13, end=20),
        sentence=0,
    )
    return Extraction(article=article, events=(event,), quantities=(quantity,)).records()


def test_records_validate(validator: jsonschema.Draft202012Validator) -> None:
    for record in _records():
        validator.validate(record)


def test_a_broken_record_is_rejected(validator: jsonschema.Draft202012Validator) -> None:
    event = next(r for r in _records() if r["record"] == "event")
    event["modality"] = "rumoured"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(event)
    del event["plover_type"]
    event["modality"] = "occurred"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(event)
