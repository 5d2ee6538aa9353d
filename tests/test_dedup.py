"""Near-duplicate articles: MinHash LSH candidates, exact Jaccard check, stored but not coded."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from eventwatch.model import ActorRef, Article, Count, DateValue, Event, Extraction, Place, Span
from eventwatch.store import EventFilter, Store, dedup

TYRE = Place("Tyre", "LBN", "South Governorate", 33.27333, 35.19389, 267008, "PPLA", "city", "Tyre")


def make_event(article_id: str, *, fatalities: Count) -> Event:
    """The Tyre strike as each article's extraction codes it."""
    return Event(
        event_id=f"{article_id}-e0",
        article_id=article_id,
        sentence=0,
        evidence=Span("air strike", 0, 10),
        trigger=Span("strike", 4, 10),
        plover_type="ASSAULT",
        plover_mode="aerial",
        cameo_code="195",
        goldstein=-10.0,
        quad_class=4,
        acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Air/drone strike",
        modality="occurred",
        source_actors=(ActorRef("Israel", actor_id="ISR", country="ISR"),),
        target_actors=(ActorRef("Hezbollah", actor_id="HEZBOLLAH", country="LBN"),),
        date=DateValue("2024-11-20", "day", "2024-11-20", "2024-11-20"),
        location=TYRE,
        fatalities=fatalities,
    )


# Written for these tests.
ORIGINAL = (
    "By Rania Haddad. An Israeli air strike hit a residential building on the outskirts of Tyre in "
    "southern Lebanon on Wednesday, killing three people and wounding eleven others, the Lebanese health "
    "ministry said. Civil defence crews searched the rubble through the night while ambulances ferried "
    "the wounded to hospitals in the city. The Israeli military said it had targeted a Hezbollah weapons "
    "depot and accused the group of hiding rockets among civilians. Hezbollah did not comment on the "
    "claim. Residents said the building housed four families who had fled fighting closer to the border "
    "last month. The strike came a day after the group fired rockets at northern Israel, where sirens "
    "sounded in several towns. Mediators from the United States and France have pressed both sides to "
    "accept a truce, but talks stalled this week over the terms of a withdrawal."
)
# The same wire story republished: new byline and dateline, one sentence trimmed, a word changed.
SYNDICATED = (
    "From our correspondents in Beirut. An Israeli air strike hit a residential building on the outskirts "
    "of Tyre in southern Lebanon on Wednesday, killing three people and wounding eleven others, the "
    "Lebanese health ministry said. Civil defence crews searched the rubble through the night while "
    "ambulances ferried the wounded to hospitals in the city. The Israeli army said it had targeted a "
    "Hezbollah weapons depot and accused the group of hiding rockets among civilians. Hezbollah did not "
    "comment on the claim. Residents said the building housed four families who had fled fighting closer "
    "to the border last month. The strike came a day after the group fired rockets at northern Israel, "
    "where sirens sounded in several towns. Mediators from the United States and France have pressed "
    "both sides to accept a truce."
)
# The same event in another outlet's own words: not a copy.
OWN_WORDS = (
    "Three civilians died when Israeli jets bombed an apartment block near Tyre on Wednesday, Lebanese "
    "officials reported. Eleven were hurt. Israel claimed the block hid a Hezbollah arms cache; local "
    "people said displaced families lived there. Rescue teams worked until dawn."
)


def article(article_id: str, text: str, published: str = "2024-11-20", **kw: str) -> Article:
    return Article(article_id, text, published, kw.get("source", f"{article_id} outlet"), kw.get("title"))


def coded(a: Article, fatalities: int = 3) -> Extraction:
    event = make_event(
        a.article_id, fatalities=Count(fatalities, fatalities, fatalities, f"{fatalities} killed")
    )
    return Extraction(a, events=(event,))


def test_similarity_of_a_light_edit_is_high_and_of_a_rewrite_low() -> None:
    same = dedup.jaccard(dedup.shingles(ORIGINAL), dedup.shingles(SYNDICATED))
    other = dedup.jaccard(dedup.shingles(ORIGINAL), dedup.shingles(OWN_WORDS))
    assert same >= dedup.THRESHOLD > 0.3 > other
    assert dedup.normalise("Beyrouth, LIBAN — «frappe»") == ["beyrouth", "liban", "frappe"]
    n_bands, rows = dedup.bands()
    assert n_bands * rows <= dedup.NUM_PERM and n_bands > 1
    # Near copies share a band bucket (what makes them candidates); the rewrite shares none.
    a, b, c = (set(enumerate(dedup.buckets(dedup.shingles(t)))) for t in (ORIGINAL, SYNDICATED, OWN_WORDS))
    assert a & b and not a & c


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "events.duckdb")
    yield s
    s.close()


def test_syndicated_copy_is_linked_not_coded(store: Store) -> None:
    store.write([coded(article("orig", ORIGINAL, title="Strike on Tyre kills three", source="Wire A"))])
    copy = article("copy", SYNDICATED, "2024-11-21", title="Three dead in Tyre strike", source="Daily B")
    result = store.write([coded(copy, fatalities=5)])
    assert result.articles_added == 1 and result.duplicates == ("copy",) and result.events == 0
    assert store.article("copy") is not None  # known: never fetched or coded again
    [(copy_id, original_id, similarity)] = store.duplicates()
    assert (copy_id, original_id) == ("copy", "orig") and 0.8 <= similarity < 1
    assert store.count_events(EventFilter(reports=True)) == 1
    fused = store.fused_events()[0]
    assert fused.article_ids == ("orig",) and fused.duplicate_ids == ("copy",)
    assert fused.sources == ("Wire A", "Daily B") and fused.n_sources == 1 and fused.n_articles == 2
    assert store.write([coded(copy)]).articles_skipped == 1  # re-ingest changes nothing
    assert store.duplicates()[0][:2] == ("copy", "orig")


def test_copies_within_one_batch_and_copies_of_copies(store: Store) -> None:
    batch = [
        coded(article("later", SYNDICATED, "2024-11-21")),
        coded(article("first", ORIGINAL, "2024-11-20")),
        coded(article("own", OWN_WORDS, "2024-11-20")),
    ]
    result = store.write(batch)
    assert result.duplicates == ("later",)  # the earlier published is the original
    again = SYNDICATED.replace("From our correspondents in Beirut.", "Staff and agencies.")
    assert store.write([coded(article("third", again, "2024-11-22"))]).duplicates == ("third",)
    assert {a: o for a, o, _ in store.duplicates()} == {"later": "first", "third": "first"}
    fused = store.fused_events()
    assert len(fused) == 1 and fused[0].article_ids == ("first", "own") and fused[0].n_sources == 2
    assert fused[0].duplicate_ids == ("later", "third")


def test_same_text_weeks_apart_or_too_short_is_not_a_copy(store: Store) -> None:
    store.write([coded(article("may", ORIGINAL, "2024-05-01")), coded(article("short", "Strike hits Tyre."))])
    result = store.write(
        [
            coded(article("june", ORIGINAL + " Update.", "2024-06-01")),
            coded(article("s2", "Strike hits Tyre!")),
        ]
    )
    assert result.duplicates == () and result.events == 2


def test_a_failed_write_keeps_no_duplicate_links(store: Store) -> None:
    store.write([coded(article("orig", ORIGINAL))])
    good = coded(article("copy", SYNDICATED, "2024-11-21"))
    bad = coded(article("bad", OWN_WORDS))
    bad = dataclasses.replace(bad, events=bad.events * 2)  # the same event id twice: the write fails
    with pytest.raises(Exception, match="nothing was stored"):
        store.write([good, bad])
    assert store.duplicates() == []
    assert store.write([good]).duplicates == ("copy",)


class RecordingExtractor:
    """Stands in for the spaCy pipeline: codes every article with one event, and remembers which
    articles it was asked to extract."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        for a in articles:
            self.seen.append(a.article_id)
            yield coded(a)


def test_ingest_does_not_extract_copies(tmp_path: Path) -> None:
    from eventwatch import api
    from eventwatch.config import Settings

    lines = [
        {"id": "orig", "text": ORIGINAL, "published": "2024-11-20", "source": "Wire A"},
        {"id": "own", "text": OWN_WORDS, "published": "2024-11-20", "source": "Daily C"},
        {"id": "copy", "text": SYNDICATED, "published": "2024-11-21", "source": "Daily B"},
    ]
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(json.dumps(lines[0]) + "\n", encoding="utf-8")
    second.write_text("".join(json.dumps(x) + "\n" for x in lines[1:]), encoding="utf-8")
    settings = Settings(db_path=tmp_path / "events.duckdb")
    extractor = RecordingExtractor()
    api.ingest([str(first)], settings=settings, extractor=extractor)  # type: ignore[arg-type]
    result = api.ingest([str(second)], settings=settings, extractor=extractor)  # type: ignore[arg-type]
    assert extractor.seen == ["orig", "own"]
    assert (result.articles_added, result.duplicates, result.events) == (2, 1, 1)
    fused = api.fused_events(settings=settings)
    assert [(f.article_ids, f.duplicate_ids, f.n_sources) for f in fused] == [(("orig", "own"), ("copy",), 2)]
