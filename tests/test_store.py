"""The DuckDB store: round trips, idempotent and atomic writes, filters, migrations, bad files."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwatch.errors import QueryError, SchemaError, StoreError
from eventwatch.model import (
    ActorRef,
    Article,
    Attribution,
    Count,
    DateValue,
    Event,
    Extraction,
    Mention,
    Period,
    Place,
    Quantity,
    Relation,
    Span,
    Speaker,
    from_record,
)
from eventwatch.store import EventFilter, Store, duckdb_store
from eventwatch.store.duckdb_store import LATEST_VERSION, TABLE_CODEC, table_columns

# --------------------------------------------------------------------------- sample extractions
# Three short articles written for these tests, coded by hand with exact offsets.

TEXT_1 = (
    "Armed groups in Iraq have allegedly launched 90 drone attacks on Israel in October, the daily "
    "Maariv reported on Thursday. A drone struck a port building in Eilat on Wednesday, killing two "
    "workers. Kataib Hezbollah threatened to strike Israel again."
)
TEXT_2 = "Lebanon and Israel agreed to a ceasefire on Tuesday, mediated by the United States and France."
TEXT_3 = (
    "Hundreds of protesters rallied in Baghdad on Monday against the strikes. Officials warned that an "
    "Israeli attack on Iraq could follow."
)


def span(text: str, piece: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return Span(piece, start, start + len(piece))


def actor(name: str, text: str | None = None, src: str = "", **kw: Any) -> ActorRef:
    return ActorRef(name=name, mention=span(src, text) if text else None, **kw)


IRQ_GROUPS = dict(type="armed_group", country="IRQ", cameo_code="IRQUAF")
ISRAEL = dict(actor_id="ISR", type="state", country="ISR", cameo_code="ISR")
MAARIV = Attribution(kind="media", via="Maariv", hedged=True, cues=("allegedly", "reported"))
EILAT = Place("Eilat", "ISR", "Southern District", 29.55805, 34.94821, 295277, "PPL", "city", "Eilat")
BAGHDAD = Place("Baghdad", "IRQ", "Baghdad", 33.34058, 44.40088, 98182, "PPLC", "city", "Baghdad")


def event(article: Article, evidence: str, trigger: str, **kw: Any) -> Event:
    fields: dict[str, Any] = dict(
        event_id=f"{article.article_id}-{trigger}",
        article_id=article.article_id,
        sentence=0,
        evidence=span(article.text, evidence),
        trigger=span(article.text, trigger),
        plover_type="ASSAULT",
        plover_mode=None,
        cameo_code=None,
        goldstein=None,
        quad_class=None,
        acled_event_type=None,
        acled_sub_event_type=None,
        modality="occurred",
    )
    fields.update(kw)
    return Event(**fields)


def extractions() -> list[Extraction]:
    """Three articles: drone attacks (with a threatened one), a ceasefire, a protest."""
    a1 = Article(
        "wire-1",
        TEXT_1,
        "2024-11-28",
        "Wire Desk",
        "Drone attacks from Iraq",
        "https://example.org/1",
        "en",
        3,
    )
    a2 = Article("wire-2", TEXT_2, "2024-11-26T09:30:00+00:00", "Other Wire", None, "https://example.org/2")
    a3 = Article("wire-3", TEXT_3, "2024-12-03", "Wire Desk", errors=("geocode: timeout",), origin="x.jsonl")
    groups = actor("armed groups in Iraq", "Armed groups in Iraq", TEXT_1, **IRQ_GROUPS)
    e_month = event(
        a1,
        "Armed groups in Iraq have allegedly launched 90 drone attacks on Israel in October",
        "launched",
        plover_mode="drone",
        cameo_code="195",
        goldstein=-10.0,
        quad_class=4,
        acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Air/drone strike",
        source_actors=(groups,),
        target_actors=(actor("Israel", "Israel", TEXT_1, **ISRAEL),),
        date=DateValue("2024-10", "month", "2024-10-01", "2024-10-31", "in October"),
        attribution=MAARIV,
        confidence=0.7,
    )
    e_eilat = event(
        a1,
        "A drone struck a port building in Eilat on Wednesday, killing two workers.",
        "struck",
        sentence=1,
        plover_mode="drone",
        cameo_code="195",
        goldstein=-10.0,
        quad_class=4,
        acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Air/drone strike",
        source_actors=(groups,),
        target_actors=(
            actor("workers", "workers", TEXT_1, type="civilians", country="ISR", cameo_code="ISRCVL"),
        ),
        date=DateValue("2024-11-27", "day", "2024-11-27", "2024-11-27", "on Wednesday"),
        location=EILAT,
        fatalities=Count(2, 2, 2, "killing two workers"),
        injured=Count(None, None, None, "no injuries reported"),
        confidence=0.9,
    )
    kh = ActorRef(
        "Kataib Hezbollah", "kataib-hezbollah", "armed_group", "IRQ", "IRQUAF", span(TEXT_1, "Kataib")
    )
    e_threat = event(
        a1,
        "Kataib Hezbollah threatened to strike Israel again.",
        "strike",
        sentence=2,
        plover_mode="heavy-weapons",
        cameo_code="190",
        goldstein=-10.0,
        quad_class=4,
        acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Shelling/artillery/missile attack",
        modality="threatened",
        source_actors=(kh,),
        target_actors=(ActorRef("Israel", "ISR", "state", "ISR", "ISR", span(TEXT_1, "Israel", 1)),),
        attribution=Attribution(kind="organization", speaker=Speaker("Kataib Hezbollah", "kataib-hezbollah")),
    )
    e_agree = event(
        a2,
        "Lebanon and Israel agreed to a ceasefire on Tuesday",
        "agreed",
        plover_type="AGREE",
        plover_mode="ceasefire",
        cameo_code="0871",
        goldstein=9.0,
        quad_class=1,
        acled_event_type="Strategic developments",
        acled_sub_event_type="Agreement",
        source_actors=(
            actor(
                "Lebanon", "Lebanon", TEXT_2, actor_id="LBN", type="state", country="LBN", cameo_code="LBN"
            ),
        ),
        target_actors=(actor("Israel", "Israel", TEXT_2, **ISRAEL),),
        date=DateValue("2024-11-26", "day", "2024-11-26", "2024-11-26", "on Tuesday"),
    )
    e_protest = event(
        a3,
        "Hundreds of protesters rallied in Baghdad on Monday against the strikes.",
        "rallied",
        plover_type="PROTEST",
        cameo_code="141",
        goldstein=-6.5,
        quad_class=3,
        acled_event_type="Protests",
        acled_sub_event_type="Peaceful protest",
        source_actors=(actor("protesters", "protesters", TEXT_3, type="civilians", country="IRQ"),),
        date=DateValue("2024-12-02", "day", "2024-12-02", "2024-12-02", "on Monday"),
        location=BAGHDAD,
    )
    e_hypo = event(
        a3,
        "an Israeli attack on Iraq could follow",
        "attack",
        sentence=1,
        cameo_code="190",
        goldstein=-10.0,
        quad_class=4,
        acled_event_type="Battles",
        acled_sub_event_type="Armed clash",
        modality="hypothetical",
        source_actors=(ActorRef("Israel", "ISR", "state", "ISR", "ISR"),),
        target_actors=(ActorRef("Iraq", "IRQ", "state", "IRQ", "IRQ"),),
        attribution=Attribution(kind="anonymous", cues=("warned",)),
    )
    mentions_1 = (
        Mention("wire-1", "m1", "GPE", "Iraq", *_se(span(TEXT_1, "Iraq")), 0, actor=ActorRef("Iraq", "IRQ")),
        Mention("wire-1", "m2", "GPE", "Eilat", *_se(span(TEXT_1, "Eilat")), 1, place=EILAT),
        Mention(
            "wire-1",
            "m3",
            "DATE",
            "on Wednesday",
            *_se(span(TEXT_1, "on Wednesday")),
            1,
            date=DateValue("2024-11-27", "day", "2024-11-27", "2024-11-27"),
        ),
        Mention("wire-1", "m4", "ORG", "Maariv", *_se(span(TEXT_1, "Maariv")), 0),
    )
    quantity = Quantity(
        "wire-1",
        "q1",
        "drone attack",
        90,
        "exact",
        None,
        Period("2024-10-01", "2024-10-31", "month"),
        span(TEXT_1, "90 drone attacks"),
        0,
        origin=groups,
        target=ActorRef("Israel", "ISR", "state", "ISR", "ISR"),
        attribution=MAARIV,
    )
    ratio = Quantity(
        "wire-3", "q2", "protester", 100, "at_least", "people", None, span(TEXT_3, "Hundreds"), 0
    )
    relations = (
        Relation(
            "wire-2",
            "r1",
            "mediates",
            ActorRef("United States", "USA", "state", "USA", "USA", span(TEXT_2, "United States")),
            ActorRef("Lebanon", "LBN", "state", "LBN", "LBN"),
            span(TEXT_2, "mediated by the United States and France"),
            0,
        ),
        Relation(
            "wire-2",
            "r2",
            "mediates",
            ActorRef("France", "FRA", "state", "FRA", "FRA", span(TEXT_2, "France")),
            ActorRef("Israel", "ISR", "state", "ISR", "ISR"),
            span(TEXT_2, "mediated by the United States and France"),
            0,
            attribution=Attribution(kind="named", speaker=Speaker("Wire editor"), hedged=False),
        ),
    )
    return [
        Extraction(a1, mentions_1, (e_month, e_eilat, e_threat), (quantity,), ()),
        Extraction(a2, (), (e_agree,), (), relations),
        Extraction(
            a3, (), (e_protest, e_hypo), (dataclasses.replace(ratio, value=100.0),), (), ("ner: slow",)
        ),
    ]


def _se(s: Span) -> tuple[int, int]:
    return s.start, s.end


def all_events() -> list[Event]:
    return [e for x in extractions() for e in x.events]


def snapshot(store: Store) -> dict[str, Any]:
    """Everything the store holds, to compare before and after a failed write."""
    return {
        "counts": store.counts(),
        "articles": store.articles(),
        "events": store.events(),
        "mentions": store.mentions(),
        "quantities": store.quantities(),
        "relations": store.relations(),
    }


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with Store(tmp_path / "events.duckdb") as s:
        s.write(extractions())
        yield s


# --------------------------------------------------------------------------- round trip


def test_sample_spans_are_exact() -> None:
    for x in extractions():
        for e in x.events:
            for s in (e.evidence, e.trigger):
                assert x.article.text[s.start : s.end] == s.text


def test_round_trip_equals_what_was_written(store: Store) -> None:
    for x in extractions():
        assert store.extraction(x.article.article_id) == x
        assert store.article(x.article.article_id) == x.article
        assert store.mentions(x.article.article_id) == list(x.mentions)
        assert store.quantities(x.article.article_id) == list(x.quantities)
        assert store.relations(x.article.article_id) == list(x.relations)
    assert sorted(store.events(), key=lambda e: e.event_id) == sorted(all_events(), key=lambda e: e.event_id)
    assert store.article("nope") is None and store.extraction("nope") is None


def test_round_trip_keeps_number_types_and_absent_records(store: Store) -> None:
    by_id = {q.quantity_id: q for q in store.quantities()}
    assert type(by_id["q1"].value) is int and by_id["q1"].value == 90
    assert type(by_id["q2"].value) is float
    eilat = next(e for e in store.events() if e.event_id == "wire-1-struck")
    assert eilat.injured == Count(None, None, None, "no injuries reported")  # present, all counts null
    agree = next(e for e in store.events() if e.event_id == "wire-2-agreed")
    assert agree.location is None and agree.fatalities is None and agree.attribution == Attribution()
    assert store.mentions("wire-1")[0].actor == ActorRef("Iraq", "IRQ")  # actor without mention span


def test_event_rows_are_contract_records_plus_article_fields(store: Store) -> None:
    rows = store.event_rows(EventFilter(article_id="wire-2"))
    assert len(rows) == 1
    row = rows[0]
    assert (row["published"], row["source"], row["url"], row["title"]) == (
        "2024-11-26T09:30:00+00:00",
        "Other Wire",
        "https://example.org/2",
        None,
    )
    assert row["record"] == "event" and row["evidence"] == {
        "text": row["evidence"]["text"],
        "start": 0,
        "end": 51,
    }
    body = {k: v for k, v in row.items() if k not in ("published", "source", "url", "title")}
    assert from_record(body) == extractions()[1].events[0]


_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30)
_opt_text = st.none() | _text


@settings(max_examples=25, deadline=None)
@given(
    name=_text,
    mode=_opt_text,
    goldstein=st.none() | st.floats(-10, 10, allow_nan=False),
    cues=st.lists(_text, max_size=3).map(tuple),
    date=st.none() | st.builds(DateValue, _opt_text, st.sampled_from(["day", "month", "unknown"]), _opt_text),
    deaths=st.none() | st.builds(Count, st.none() | st.integers(0, 10**6), st.none(), st.none(), _text),
    value=st.integers(-(10**12), 10**12) | st.floats(-1e9, 1e9, allow_nan=False),
)
def test_round_trip_property(
    name: str,
    mode: str | None,
    goldstein: float | None,
    cues: tuple[str, ...],
    date: DateValue | None,
    deaths: Count | None,
    value: float | int,
) -> None:
    article = Article("p", "some text", "2024-01-02")
    ev = event(
        article,
        "some",
        "text",
        plover_mode=mode,
        goldstein=goldstein,
        source_actors=(ActorRef(name), ActorRef(name + "2", country="ISR")),
        date=date,
        fatalities=deaths,
        attribution=Attribution(kind="named", speaker=Speaker(name), cues=cues),
    )
    q = Quantity("p", "q", name, value, "about", None, Period(None, None), Span("some", 0, 4), 0)
    x = Extraction(article, (), (ev,), (q,), ())
    with Store(":memory:") as s:
        s.write([x])
        assert s.extraction("p") == x
        assert type(s.quantities()[0].value) is type(value)


# --------------------------------------------------------------------------- writing


def test_rewriting_changes_nothing(store: Store) -> None:
    before = snapshot(store)
    result = store.write(extractions())
    assert (result.articles_added, result.articles_skipped, result.events, result.conflicts) == (0, 3, 0, ())
    assert snapshot(store) == before
    assert before["counts"] == {"articles": 3, "events": 6, "mentions": 4, "quantities": 2, "relations": 2}


def test_first_write_reports_what_it_stored(tmp_path: Path) -> None:
    with Store(tmp_path / "x.duckdb") as s:
        result = s.write(extractions())
        assert (result.articles_added, result.articles_skipped) == (3, 0)
        assert (result.events, result.mentions, result.quantities, result.relations) == (6, 4, 2, 2)
        assert s.has_article(extractions()[0].article.content_hash)
        assert not s.has_article("0" * 64)


def test_duplicates_within_a_batch_and_other_versions_are_skipped(store: Store) -> None:
    x = extractions()[1]
    changed = dataclasses.replace(
        x, article=dataclasses.replace(x.article, text=x.article.text + " Updated.")
    )
    same_text_new_id = Extraction(dataclasses.replace(x.article, article_id="wire-2-copy"))
    new = Extraction(Article("wire-9", "Nothing happened today.", "2024-12-05"))
    result = store.write([changed, same_text_new_id, new, new])
    assert (result.articles_added, result.articles_skipped) == (1, 3)
    assert result.conflicts == ("wire-2",)
    assert store.article("wire-2") == x.article  # the stored version is never replaced
    assert store.counts()["articles"] == 4


def test_failed_write_leaves_database_exactly_as_before(store: Store) -> None:
    before = snapshot(store)
    good = Extraction(Article("wire-7", "Troops withdrew from the town.", "2024-12-06"))
    x = extractions()[0]
    # Its own text: a light edit of the stored article would be stored as a copy, never coded.
    a = dataclasses.replace(x.article, article_id="wire-8", text="Another wire tells it in its own words.")
    dup = dataclasses.replace(x.events[0], article_id="wire-8")
    bad = Extraction(a, events=(dup, dataclasses.replace(dup, trigger=Span("x", 1, 2))))
    with pytest.raises(StoreError, match=r"nothing was stored.*(?i:duplicate|primary key)"):
        store.write([good, bad])
    assert snapshot(store) == before
    assert store.write([good]).articles_added == 1  # the connection is usable after the rollback


def test_failure_mid_batch_rolls_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(store)
    original = Store._insert

    def failing(self: Store, table: str, rows: list[dict[str, Any]]) -> None:
        if table == "quantities":
            raise RuntimeError("disk full")
        original(self, table, rows)

    monkeypatch.setattr(Store, "_insert", failing)
    x = Extraction(
        Article("wire-5", "Forty drones.", "2024-12-07"),
        quantities=(Quantity("wire-5", "q", "drone", 40, "exact", None, None, Span("Forty", 0, 5), 0),),
    )
    with pytest.raises(StoreError, match="disk full"):
        store.write([x])
    assert snapshot(store) == before


def test_records_under_another_article_are_refused(tmp_path: Path) -> None:
    x = extractions()[1]
    wrong = dataclasses.replace(x, events=(dataclasses.replace(x.events[0], article_id="elsewhere"),))
    with Store(tmp_path / "x.duckdb") as s, pytest.raises(StoreError, match=r"'wire-2'.*'elsewhere'"):
        s.write([wrong])


# --------------------------------------------------------------------------- queries


def ids(events: list[Event]) -> list[str]:
    return [e.event_id for e in events]


def test_events_are_ordered_by_day_then_id(store: Store) -> None:
    # days: 2024-10-01 (month), 2024-11-26, 2024-11-27, 2024-11-28 (threat: no date -> published),
    # 2024-12-02 (protest), 2024-12-03 (hypothetical: no date -> published)
    assert ids(store.events()) == [
        "wire-1-launched",
        "wire-2-agreed",
        "wire-1-struck",
        "wire-1-strike",
        "wire-3-rallied",
        "wire-3-attack",
    ]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (EventFilter(plover_type="AGREE"), ["wire-2-agreed"]),
        (EventFilter(plover_type="assault", modality="occurred"), ["wire-1-launched", "wire-1-struck"]),
        (EventFilter(modality="threatened"), ["wire-1-strike"]),
        (EventFilter(actor="KATAIB"), ["wire-1-strike"]),
        (EventFilter(actor="kataib-hezbollah"), ["wire-1-strike"]),
        (EventFilter(actor="IRQUAF"), ["wire-1-launched", "wire-1-struck", "wire-1-strike"]),
        (EventFilter(actor="lebanon"), ["wire-2-agreed"]),
        (EventFilter(actor="O'Brien%' OR 1=1 --"), []),
        (EventFilter(country="LBN"), ["wire-2-agreed"]),
        (EventFilter(country="irq", plover_type="PROTEST"), ["wire-3-rallied"]),  # by location and actor
        (
            EventFilter(country="ISR", since="2024-11-27", until="2024-11-28"),
            ["wire-1-struck", "wire-1-strike"],
        ),
        (EventFilter(since="2024-12-01"), ["wire-3-rallied", "wire-3-attack"]),
        (EventFilter(until="2024-10-31"), ["wire-1-launched"]),
        (EventFilter(article_id="wire-3"), ["wire-3-rallied", "wire-3-attack"]),
        (EventFilter(limit=2), ["wire-1-launched", "wire-2-agreed"]),
        (EventFilter(limit=2, offset=4), ["wire-3-rallied", "wire-3-attack"]),
        (EventFilter(limit=0), []),
    ],
)
def test_filters(store: Store, flt: EventFilter, expected: list[str]) -> None:
    assert ids(store.events(flt)) == expected
    assert [r["event_id"] for r in store.event_rows(flt)] == expected


@pytest.mark.parametrize(
    ("flt", "message"),
    [
        (EventFilter(plover_type="FIGHT"), "unknown PLOVER type 'FIGHT'; valid: AGREE"),
        (EventFilter(modality="maybe"), "unknown modality 'maybe'; valid: occurred"),
        (EventFilter(since="2024-13-01"), "since='2024-13-01' is not a date"),
        (EventFilter(until="28/11/2024"), "until='28/11/2024' is not a date"),
        (EventFilter(limit=-1), "limit must be 0 or more"),
    ],
)
def test_invalid_filters_raise_query_error(store: Store, flt: EventFilter, message: str) -> None:
    with pytest.raises(QueryError, match=message.replace("(", r"\(")):
        store.events(flt)


def test_counts_and_summary(store: Store) -> None:
    summary = store.summary(top=3)
    assert summary["counts"] == store.counts()
    assert summary["events_by_type"] == [("ASSAULT", 4), ("AGREE", 1), ("PROTEST", 1)]
    assert summary["events_by_modality"] == [("occurred", 4), ("hypothetical", 1), ("threatened", 1)]
    assert summary["top_actors"] == [("Israel", 4), ("armed groups in Iraq", 2), ("Iraq", 1)]


def test_articles_listing(store: Store) -> None:
    assert [a.article_id for a in store.articles()] == ["wire-2", "wire-1", "wire-3"]  # by published


# --------------------------------------------------------------------------- schema and files


def test_new_database_is_migrated_and_columns_match_the_records(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    with Store(path) as s:
        assert s.schema_version() == LATEST_VERSION >= 1
    with Store(path) as s:  # reopening runs nothing again
        assert s.schema_version() == LATEST_VERSION
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM schema_version").fetchone() == (LATEST_VERSION,)
        for table in TABLE_CODEC:
            rows = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [table]
            ).fetchall()
            assert dict(rows) == table_columns(table), table
        indexes = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
        assert {"events_article_id", "reviews_event_id", "event_fusion_fused_id"} <= indexes
        # dropped by migration 5: resident memory per row, and no query used them
        assert not {"events_plover_type", "events_date_value", "event_actors_actor_id"} & indexes
    finally:
        con.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version VALUES (?, 'from the future', now())", [LATEST_VERSION + 1])
    con.close()
    with pytest.raises(
        SchemaError, match=rf"schema version {LATEST_VERSION + 1}, newer than .* \({LATEST_VERSION}\)"
    ):
        Store(path)


def test_pending_migrations_are_applied_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.duckdb"
    with Store(path) as s:
        s.write(extractions()[:1])
    shipped = duckdb_store.migrations()
    extra = (
        len(shipped) + 1,
        "999_add_note.sql",
        "ALTER TABLE articles ADD COLUMN note VARCHAR DEFAULT 'n';",
    )
    monkeypatch.setattr(duckdb_store, "migrations", lambda: [*shipped, extra])
    with pytest.raises(SchemaError, match=r"needs migrating .* without read-only"):
        Store(path, read_only=True)
    with Store(path) as s:
        assert s.schema_version() == len(shipped) + 1
        assert s.extraction("wire-1") == extractions()[0]
        _, rows = s._fetch("SELECT note FROM articles")
        assert rows == [("n",)]


def test_failed_migration_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.duckdb"
    Store(path).close()
    shipped = duckdb_store.migrations()
    broken = (len(shipped) + 1, "999_broken.sql", "CREATE TABLE notes (x INTEGER); SELECT * FROM missing;")
    monkeypatch.setattr(duckdb_store, "migrations", lambda: [*shipped, broken])
    with pytest.raises(SchemaError, match=r"migration 999_broken\.sql failed on .*old\.duckdb"):
        Store(path)
    monkeypatch.undo()
    with Store(path) as s:
        assert s.schema_version() == len(shipped)
        _, rows = s._fetch("SELECT count(*) FROM information_schema.tables WHERE table_name = 'notes'")
        assert rows == [(0,)]


def test_foreign_duckdb_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (id INTEGER)")
    con.close()
    with pytest.raises(SchemaError, match="has tables \\(sales\\) but no schema_version"):
        Store(path)


def test_non_duckdb_file_raises_store_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("these are not the droids\n" * 200)
    with pytest.raises(StoreError, match=r"cannot open database .*notes\.duckdb") as info:
        Store(path)
    assert not isinstance(info.value, SchemaError)


def test_read_only(tmp_path: Path) -> None:
    path = tmp_path / "ro.duckdb"
    with pytest.raises(StoreError, match="does not exist"):
        Store(path, read_only=True)
    with Store(path) as s:
        s.write(extractions()[:1])
    with Store(path, read_only=True) as s:
        assert s.counts()["events"] == 3
        with pytest.raises(StoreError, match="nothing was stored"):
            s.write(extractions()[1:])


def test_closed_store_raises_store_error(tmp_path: Path) -> None:
    s = Store(tmp_path / "c.duckdb")
    s.close()
    s.close()  # closing twice is harmless
    with pytest.raises(StoreError, match="is closed"):
        s.counts()


def test_in_memory_store() -> None:
    with Store(":memory:") as s:
        s.write(extractions())
        assert s.counts()["articles"] == 3
