"""Event fusion: the pure rules (``eventwatch.fusion``) and fused events in a real DuckDB store."""

from __future__ import annotations

import csv
import dataclasses
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from eventwatch.cli import app
from eventwatch.fusion import Report, cluster, fuse, fuse_counts, place_relation, same_event
from eventwatch.model import ActorRef, Article, Count, DateValue, Event, Extraction, Place, Span
from eventwatch.store import EventFilter, Store, export

ISR = ActorRef("Israel", actor_id="ISR", type="state", country="ISR", cameo_code="ISR")
IDF = ActorRef("Israeli army", country="ISR", cameo_code="ISRMIL")
HEZ = ActorRef("Hezbollah", actor_id="HEZBOLLAH", type="armed_group", country="LBN", cameo_code="LBNUAF")
HAMAS = ActorRef("Hamas", actor_id="HAMAS", type="armed_group", country="PSE", cameo_code="PSEUAF")
TYRE = Place("Tyre", "LBN", "South Governorate", 33.27333, 35.19389, 267008, "PPLA", "city", "Tyre")
TYRE_SUBURB = Place("Abbasiyeh", "LBN", "South Governorate", 33.291, 35.226, None, "PPL", "city")
BAALBEK = Place("Baalbek", "LBN", "Baalbek-Hermel", 34.00583, 36.21806, 276781, "PPLA", "city", "Baalbek")
SOUTH = Place("South Governorate", "LBN", "South Governorate", None, None, None, "ADM1", "admin1")
LEBANON = Place("Lebanon", "LBN", None, 33.8, 35.8, 272103, "country", "country", "Lebanon")
KYIV = Place("Kyiv", "UKR", "Kyiv City", 50.45466, 30.5238, 703448, "PPLC", "city", "Kyiv")


def day(value: str) -> DateValue:
    return DateValue(value, "day", value, value, value)


def make_event(article_id: str, n: int = 0, **kw: Any) -> Event:
    fields: dict[str, Any] = dict(
        event_id=f"{article_id}-e{n}",
        article_id=article_id,
        sentence=0,
        evidence=Span("strike", 0, 6),
        trigger=Span("strike", 0, 6),
        plover_type="ASSAULT",
        plover_mode="aerial",
        cameo_code="195",
        goldstein=-10.0,
        quad_class=4,
        acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Air/drone strike",
        modality="occurred",
        source_actors=(ISR,),
        target_actors=(HEZ,),
        date=day("2024-11-20"),
        location=TYRE,
        fatalities=None,
    )
    fields.update(kw)
    return Event(**fields)


def report(
    article_id: str, n: int = 0, *, published: str = "2024-11-20", source: str = "", **kw: Any
) -> Report:
    return Report(make_event(article_id, n, **kw), published, source or f"{article_id} news")


def killed(n: int) -> Count:
    return Count(n, n, n, f"{n} killed")


# --------------------------------------------------------------------------- pure rules


def test_same_strike_from_two_outlets_is_one_event() -> None:
    a = report("a", fatalities=killed(3))
    b = report("b", published="2024-11-21", fatalities=killed(5), source_actors=(IDF,), location=TYRE_SUBURB)
    assert same_event(a, b) and same_event(b, a)


def test_threat_and_attack_are_different_events() -> None:
    attack = report("a")
    threat = report("b", plover_type="THREATEN", acled_event_type=None, acled_sub_event_type=None)
    threatened_attack = report("c", modality="threatened")
    assert not same_event(attack, threat)
    assert not same_event(attack, threatened_attack)
    assert same_event(attack, report("d", modality="ongoing"))  # ongoing and occurred both happened


def test_same_type_in_different_cities_or_days_is_not_fused() -> None:
    a = report("a")
    assert not same_event(a, report("b", location=BAALBEK))  # about 100 km apart
    assert not same_event(a, report("c", location=KYIV))  # another country
    assert not same_event(a, report("d", date=day("2024-11-22")))
    assert not same_event(a, report("e", target_actors=(HAMAS,)))  # another target
    army = ActorRef("Israeli army", actor_id="IDF", country="ISR", cameo_code="ISRMIL")
    assert same_event(a, report("f", source_actors=(army,)))  # ISR contains ISRMIL
    people, residents = ActorRef("people", cameo_code="CVL"), ActorRef("residents")
    assert same_event(report("i", target_actors=(people,)), report("j", target_actors=(residents,)))
    assert same_event(a, report("k", target_actors=(residents,)))  # vague: no contradiction
    pij = ActorRef("Islamic Jihad", actor_id="PIJ", country="PSE", cameo_code="PSEREB")
    assert not same_event(report("g", target_actors=(HAMAS,)), report("h", target_actors=(pij,)))


def test_reports_alike_only_by_country_do_not_chain() -> None:
    """Two reports without a place whose actors share only a country ("soldiers" of Nigeria on one
    day) are not one event; the same named actor in the same kind of act is."""
    soldiers = ActorRef("soldiers", country="NGA", cameo_code="NGAMIL")
    troops = ActorRef("troops", country="NGA", cameo_code="NGAMIL")
    a = report("a", location=None, source_actors=(soldiers,), target_actors=())
    assert not same_event(a, report("b", location=None, source_actors=(troops,), target_actors=()))
    bombers = ActorRef("female suicide bombers")
    suicide = dict(plover_mode="suicide-attack", acled_sub_event_type="Suicide bomb", target_actors=())
    x = report("x", location=None, source_actors=(bombers,), **suicide)
    y = report("y", location=TYRE, source_actors=(ActorRef("Female suicide bombers"),), **suicide)
    assert same_event(x, y)


def test_coarse_reports_need_a_specific_place_and_matching_actors() -> None:
    month = DateValue("2024-11", "month", "2024-11-01", "2024-11-30")
    a = report("a", date=month, location=LEBANON)
    assert not same_event(a, report("b", date=month, location=LEBANON))  # a country is not enough
    assert same_event(report("c", date=month), report("d", date=month))  # Tyre, Israel -> Hezbollah
    nobody = report("f", date=month, source_actors=(), target_actors=())
    assert not same_event(report("e", date=month), nobody)


def test_dates_overlap_within_their_precision() -> None:
    a = report("a")
    week = report("b", date=DateValue("2024-W47", "week", "2024-11-18", "2024-11-24"))
    month = report("c", date=DateValue("2024-11", "month", "2024-11-01", "2024-11-30"))
    other_month = report("d", date=DateValue("2024-11", "month", "2024-11-01", "2024-11-30"))
    undated = report("e", date=None, published="2024-11-21")
    assert same_event(a, week)
    assert not same_event(a, month)  # too coarse to fuse with a day: it would chain a month of strikes
    assert same_event(month, other_month)
    assert same_event(a, undated)  # undated: the day of publication or the day before
    assert not same_event(a, report("f", date=None, published="2024-11-25"))


def test_places_contain_each_other_by_precision() -> None:
    assert place_relation(TYRE, SOUTH) == "same"
    assert place_relation(TYRE, LEBANON) == "same"
    assert place_relation(BAALBEK, SOUTH) == "different"
    assert place_relation(TYRE, None) == "unknown"
    assert place_relation(TYRE, KYIV) == "different"


def test_reports_agreeing_only_on_unknowns_are_not_fused() -> None:
    a = report("a", source_actors=(), target_actors=(), location=None)
    b = report("b", source_actors=(), target_actors=(), location=None)
    assert not same_event(a, b)
    assert same_event(a, report("c", source_actors=(), target_actors=(), location=TYRE)) is False
    assert same_event(report("d", source_actors=(), target_actors=()), report("e", source_actors=()))


def test_fused_figures_and_disagreements() -> None:
    a = report("a", fatalities=killed(3), published="2024-11-20")
    b = report("b", fatalities=killed(5), published="2024-11-21", location=TYRE_SUBURB)
    c = report("c", fatalities=None, published="2024-11-21", source="a news")  # a news again
    fused = fuse([c, b, a], copies=[("a-copy", "Wire Copy")])
    assert fused.fused_id == "a-e0"  # the earliest published report leads
    assert fused.event_ids == ("a-e0", "b-e0", "c-e0")
    assert fused.article_ids == ("a", "b", "c")
    assert fused.duplicate_ids == ("a-copy",)
    assert fused.n_reports == 3 and fused.n_articles == 4
    assert fused.n_sources == 2  # "a news" twice; the copy is not independent
    assert fused.sources == ("a news", "b news", "Wire Copy")
    assert fused.fatalities == Count(3, 3, 5, "3 killed | 5 killed")
    fields = {d.field: {r.value: r.article_ids for r in d.readings} for d in fused.disagreements}
    assert fields["fatalities"] == {"3": ("a",), "5": ("b",)}
    assert fields["location"] == {"Abbasiyeh": ("b",), "Tyre": ("a", "c")}
    assert "date" not in fields
    assert fuse_counts([Count(5, 5, None, "at least 5"), killed(3)]) == Count(
        3, 3, 5, "at least 5 | 3 killed"
    )


def test_coarse_report_does_not_chain_two_strikes() -> None:
    tyre = report("a")
    baalbek = report("b", location=BAALBEK)
    lebanon = report("c", location=LEBANON)
    assert same_event(tyre, lebanon) and same_event(baalbek, lebanon) and not same_event(tyre, baalbek)
    assert cluster([tyre, baalbek, lebanon]) == [["a-e0"], ["b-e0"], ["c-e0"]]
    # With one strike only, the country-level report joins it.
    assert cluster([tyre, lebanon]) == [["a-e0", "c-e0"]]
    # Nor does it chain two regions; a region-level report joins the strike in it.
    bekaa = Place("Baalbek-Hermel", "LBN", "Baalbek-Hermel", None, None, None, "ADM1", "admin1")
    south, north = report("d", location=SOUTH), report("e", location=bekaa)
    assert place_relation(SOUTH, bekaa) == "different"
    assert cluster([south, north, lebanon]) == [["c-e0"], ["d-e0"], ["e-e0"]]
    assert cluster([tyre, south, north, lebanon]) == [["a-e0", "d-e0"], ["c-e0"], ["e-e0"]]


def test_clusters_do_not_depend_on_order() -> None:
    reports = [
        report("a"),
        report("b", location=TYRE_SUBURB),
        report("c", location=SOUTH),
        report("d", location=BAALBEK),
        report("e", location=BAALBEK, published="2024-11-21"),
        report("f", plover_type="THREATEN", acled_event_type=None),
    ]
    expected = cluster(reports)
    assert expected == [["a-e0", "b-e0", "c-e0"], ["d-e0", "e-e0"], ["f-e0"]]
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(reports)
        assert cluster(reports) == expected


# --------------------------------------------------------------------------- in the store


def extraction(article_id: str, published: str, source: str, *events: Event, text: str = "") -> Extraction:
    body = text or f"{source} reports on {article_id}: " + " ".join(f"word{i}{article_id}" for i in range(40))
    return Extraction(Article(article_id, body, published, source), events=events)


def strike_batch() -> list[Extraction]:
    return [
        extraction("al-a", "2024-11-20", "Al Akhbar", make_event("al-a", fatalities=killed(3))),
        extraction(
            "nna-b",
            "2024-11-21",
            "NNA",
            make_event("nna-b", fatalities=killed(5), location=TYRE_SUBURB, source_actors=(IDF,)),
            make_event("nna-b", 1, plover_type="THREATEN", acled_event_type=None, modality="threatened"),
        ),
        extraction("x-c", "2024-11-20", "X Daily", make_event("x-c", location=BAALBEK)),
        extraction("y-d", "2024-11-21", "Y Post", make_event("y-d", location=KYIV, target_actors=())),
    ]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "events.duckdb")
    yield s
    s.close()


def test_two_outlets_one_fused_event_with_two_sources(store: Store) -> None:
    store.write(strike_batch())
    fused = store.fused_events(EventFilter(plover_type="ASSAULT"))
    tyre = next(f for f in fused if f.fused_id == "al-a-e0")
    assert tyre.event_ids == ("al-a-e0", "nna-b-e0")
    assert tyre.n_sources == 2 and tyre.sources == ("Al Akhbar", "NNA")
    assert tyre.fatalities is not None
    assert (tyre.fatalities.low, tyre.fatalities.best, tyre.fatalities.high) == (3, 3, 5)
    assert tyre.lead.fatalities == killed(3)  # the lead report keeps its own figure
    # Default queries count fused events; Baalbek and Kyiv stay apart, the threat is its own event.
    assert store.count_events() == 4
    assert store.count_events(EventFilter(reports=True)) == 5
    assert [e.event_id for e in store.events()] == ["al-a-e0", "nna-b-e1", "x-c-e0", "y-d-e0"]
    lead = store.events(EventFilter(plover_type="ASSAULT"))[0]
    assert lead.fatalities == Count(3, 3, 5, "3 killed | 5 killed")
    rows = store.event_rows(EventFilter(plover_type="ASSAULT", limit=1))
    assert rows[0]["fusion"]["n_sources"] == 2
    assert rows[0]["fusion"]["disagreements"][0] == {
        "field": "fatalities",
        "readings": [{"value": "3", "article_ids": ["al-a"]}, {"value": "5", "article_ids": ["nna-b"]}],
    }
    detail = store.event_row("al-a-e0")
    assert detail is not None and detail["fatalities"]["best"] == 3  # the report's own figure
    assert detail["fusion"]["fatalities"] == {"low": 3, "best": 3, "high": 5, "text": "3 killed | 5 killed"}
    assert "fusion" not in (store.event_row("nna-b-e0") or {"fusion": 1})
    report_rows = store.event_rows(EventFilter(reports=True))
    assert {r["event_id"]: r["fused_id"] for r in report_rows}["nna-b-e0"] == "al-a-e0"
    assert all("fusion" not in r for r in report_rows)
    # An article's own events are its reports, fused or not.
    assert [e.event_id for e in store.events(EventFilter(article_id="nna-b"))] == ["nna-b-e0", "nna-b-e1"]
    summary = store.summary()
    assert summary["fused_events"] == 4 and dict(summary["events_by_type"]) == {"ASSAULT": 3, "THREATEN": 1}


def test_fusion_does_not_depend_on_batch_order(tmp_path: Path) -> None:
    batch = strike_batch()
    results = []
    for i, order in enumerate([batch, batch[::-1], [batch[1], batch[3], batch[0], batch[2]]]):
        with Store(tmp_path / f"order{i}.duckdb") as s:
            for x in order:  # one article per write: fusion is incremental
                s.write([x])
            results.append([(f.fused_id, f.event_ids, f.fatalities) for f in s.fused_events()])
    with Store(tmp_path / "one-batch.duckdb") as s:
        s.write(batch)
        results.append([(f.fused_id, f.event_ids, f.fatalities) for f in s.fused_events()])
    assert all(r == results[0] for r in results)


def test_a_later_report_that_bridges_clusters_merges_them(store: Store) -> None:
    store.write([extraction("a", "2024-11-20", "A", make_event("a", location=None, target_actors=()))])
    store.write([extraction("b", "2024-11-20", "B", make_event("b", location=KYIV, source_actors=()))])
    assert store.count_events() == 2
    # Fits both: same attacker as a, the place of b (nothing contradicts either).
    store.write([extraction("c", "2024-11-19", "C", make_event("c", location=KYIV, target_actors=()))])
    fused = store.fused_events()
    assert [(f.fused_id, f.event_ids) for f in fused] == [("c-e0", ("a-e0", "b-e0", "c-e0"))]


def test_reingest_is_idempotent(store: Store) -> None:
    store.write(strike_batch())
    before = [(f.fused_id, f.event_ids, f.n_sources) for f in store.fused_events()]
    result = store.write(strike_batch())
    assert result.articles_added == 0 and result.articles_skipped == 4
    assert [(f.fused_id, f.event_ids, f.n_sources) for f in store.fused_events()] == before


def test_exports_follow_the_fused_default(store: Store, tmp_path: Path) -> None:
    store.write(strike_batch())
    out = tmp_path / "acled.csv"
    assert export(store, "acled-csv", out) == 3  # the threat is not an ACLED event
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    tyre = next(r for r in rows if r["location"] == "Tyre")
    assert tyre["fatalities"] == "3" and tyre["source"] == "Al Akhbar; NNA"
    assert "sources=2" in tyre["tags"]
    assert export(store, "acled-csv", out, flt=EventFilter(reports=True)) == 4
    gdelt = tmp_path / "gdelt.tsv"
    export(store, "gdelt-tsv", gdelt)
    first = next(csv.DictReader(gdelt.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    assert (first["NumMentions"], first["NumSources"], first["NumArticles"]) == ("2", "2", "2")
    plover = tmp_path / "plover.json"
    export(store, "plover-json", plover)
    objects = json.loads(plover.read_text(encoding="utf-8"))
    assert len(objects) == 4 and objects[0]["fusion"]["article_ids"] == ["al-a", "nna-b"]
    parquet = tmp_path / "events.parquet"
    assert export(store, "parquet", parquet) == 4
    import pyarrow.parquet as pq

    table = pq.read_table(parquet).to_pylist()
    lead = next(r for r in table if r["event_id"] == "al-a-e0")
    assert (lead["n_sources"], lead["fatalities_low"], lead["fatalities_high"]) == (2, 3, 5)
    assert export(store, "parquet", parquet, flt=EventFilter(reports=True)) == 5


def test_cli_events_and_export_reports_flag(store: Store, tmp_path: Path) -> None:
    store.write(strike_batch())
    db = store.path
    store.close()
    runner = CliRunner()
    fused = runner.invoke(app, ["events", "--db", str(db), "--format", "jsonl"])
    reports = runner.invoke(app, ["events", "--db", str(db), "--format", "jsonl", "--reports"])
    assert fused.exit_code == 0 and reports.exit_code == 0, fused.output + reports.output
    assert len(fused.stdout.splitlines()) == 4
    assert len(reports.stdout.splitlines()) == 5
    out = tmp_path / "all.json"
    done = runner.invoke(
        app, ["export", "--db", str(db), "--format", "plover-json", "--out", str(out), "--reports"]
    )
    assert done.exit_code == 0 and "5 rows" in done.stdout


def test_migration_fuses_what_an_older_database_held(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with Store(path) as s:
        s.write(strike_batch())
        con = s.con
        for table in ("fused_events", "event_fusion", "article_minhash", "article_duplicates"):
            con.execute(f"DROP TABLE {table}")
        con.execute("DELETE FROM schema_version WHERE version >= 4")  # a version-3 database
        con.execute("CREATE INDEX events_plover_type ON events (plover_type)")  # as 5 finds them
        con.execute("CREATE INDEX events_date_value ON events (date_value)")
        con.execute("CREATE INDEX event_actors_actor_id ON event_actors (actor_id)")
    with Store(path) as s:
        assert s.schema_version() >= 4
        assert s.count_events() == 4
        assert s.fused_events()[0].event_ids == ("al-a-e0", "nna-b-e0")
        copy = dataclasses.replace(strike_batch()[0].article, article_id="copy", source="Wire")
        assert s.write([Extraction(copy)]).duplicates == ("copy",)  # old articles are indexed


def test_http_events_reports_param(store: Store) -> None:
    import warnings

    from eventwatch.config import Settings
    from eventwatch.http import create_app

    with warnings.catch_warnings():  # starlette's TestClient warns that it wraps httpx
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    store.write(strike_batch())
    db = store.path
    store.close()
    app = create_app(settings=Settings(db_path=db), token=None, read_only=True)
    with TestClient(app) as client:
        fused = client.get("/api/events", params={"limit": 100}).json()
        reports = client.get("/api/events", params={"limit": 100, "reports": "true"}).json()
        series = client.get("/api/series", params={"by": "month"}).json()
    assert (fused["total"], reports["total"]) == (4, 5)
    assert fused["items"][0]["fusion"]["n_sources"] == 2
    assert sum(item["events"] for item in series["items"]) == 4


def test_bulk_loaded_events_count_alone_until_fusion_is_rebuilt(store: Store) -> None:
    store.write(strike_batch())
    con = store.con
    con.execute("DELETE FROM event_fusion")  # as if the rows had been loaded by SQL, around write()
    con.execute("DELETE FROM fused_events")
    assert store.count_events() == store.count_events(EventFilter(reports=True)) == 5
    assert store.rebuild_fusion() == 4
    assert store.count_events() == 4
    assert store.fused_events()[0].event_ids == ("al-a-e0", "nna-b-e0")


@pytest.mark.parametrize(
    ("seeds", "n"), [(range(2), 14), pytest.param(range(2, 12), 30, marks=pytest.mark.slow)]
)
def test_incremental_fusion_equals_clustering_everything_at_once(seeds: range, n: int) -> None:
    """Random reports written in small batches, in random order, end in the clusters that
    ``cluster`` gives for all of them at once (the store's graph walk misses no link)."""
    places = [TYRE, TYRE_SUBURB, BAALBEK, SOUTH, LEBANON, KYIV, None]
    sides = [(ISR,), (IDF,), (HEZ,), (HAMAS,), ()]
    days = ["2024-11-19", "2024-11-20", "2024-11-21"]
    for seed in seeds:
        rng = random.Random(seed)
        extractions = []
        for i in range(n):
            aid = f"art{i:02d}"
            events = [
                make_event(
                    aid,
                    k,
                    location=rng.choice(places),
                    source_actors=rng.choice(sides),
                    target_actors=rng.choice(sides),
                    date=rng.choice([day(rng.choice(days)), None]),
                    plover_type=rng.choice(["ASSAULT", "ASSAULT", "COERCE"]),
                    acled_event_type=None,
                    fatalities=killed(rng.randint(1, 4)),
                )
                for k in range(rng.randint(1, 2))
            ]
            extractions.append(extraction(aid, rng.choice(days), f"Outlet {i % 5}", *events))
        reports = [Report(e, x.article.published, x.article.source) for x in extractions for e in x.events]
        expected = sorted(tuple(group) for group in cluster(reports))
        rng.shuffle(extractions)
        with Store(":memory:") as s:
            while extractions:
                size = rng.randint(1, 3)
                s.write(extractions[:size])
                del extractions[:size]
            got = sorted(f.event_ids for f in s.fused_events())
        assert got == expected, seed
        assert any(len(group) > 1 for group in expected)


def test_api_fused_events(store: Store) -> None:
    from eventwatch import api
    from eventwatch.config import Settings

    store.write(strike_batch())
    store.close()
    fused = api.fused_events(settings=Settings(db_path=store.path), flt=EventFilter(plover_type="ASSAULT"))
    assert [(f.fused_id, f.n_sources) for f in fused] == [("al-a-e0", 2), ("x-c-e0", 1), ("y-d-e0", 1)]
