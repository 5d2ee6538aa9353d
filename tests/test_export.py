"""Exports: ACLED CSV, PLOVER JSON, GDELT TSV and Parquet, from a store holding the sample articles."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from eventwatch.errors import QueryError
from eventwatch.model import ActorRef
from eventwatch.store import EXPORT_FORMATS, EventFilter, Store, export
from eventwatch.store.export import (
    ACLED_COLUMNS,
    GDELT_COLUMNS,
    acled_region,
    acled_rows,
    cameo_role,
    inter_code,
)
from test_store import all_events, extractions

ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
    "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
    "tags,timestamp"
)
GDELT_HEADER = (
    "GLOBALEVENTID SQLDATE MonthYear Year Actor1Code Actor1Name Actor1CountryCode Actor1Type1Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2Type1Code IsRootEvent EventCode EventBaseCode "
    "EventRootCode QuadClass GoldsteinScale NumMentions NumSources NumArticles AvgTone ActionGeo_Type "
    "ActionGeo_FullName ActionGeo_CountryCode ActionGeo_Lat ActionGeo_Long DATEADDED SOURCEURL"
)


@pytest.fixture
def store(tmp_path: Path) -> Any:
    from datetime import datetime

    with Store(tmp_path / "events.duckdb", clock=lambda: datetime(2024, 12, 8, 6, 30, 0)) as s:
        s.write(extractions())
        yield s


def test_unknown_format_lists_the_valid_ones(store: Store, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="unknown export format 'xlsx'; valid: acled-csv, plover-json"):
        export(store, "xlsx", tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()
    assert EXPORT_FORMATS == ("acled-csv", "plover-json", "gdelt-tsv", "parquet")


# --------------------------------------------------------------------------- Parquet


def test_parquet_reads_back_as_the_stored_events(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    assert export(store, "parquet", out) == 6
    con = duckdb.connect()
    rows = con.execute(
        "SELECT event_id, plover_type, modality, evidence_start, evidence_end, date_precision, "
        "[a.name for a in source_actors], [a.country for a in target_actors], "
        "source_actors[1].mention.start, published FROM read_parquet(?)",
        [str(out)],
    ).fetchall()
    con.close()
    stored = store.events()
    assert [r[0] for r in rows] == [e.event_id for e in stored]
    for row, ev in zip(rows, stored, strict=True):
        assert row[1:6] == (
            ev.plover_type,
            ev.modality,
            ev.evidence.start,
            ev.evidence.end,
            ev.date.precision if ev.date else None,
        )
        assert row[6] == [a.name for a in ev.source_actors]
        assert row[7] == [a.country for a in ev.target_actors]
        mention = ev.source_actors[0].mention
        assert row[8] == (mention.start if mention else None)
    assert rows[0][9] == "2024-11-28"


def test_parquet_to_a_binary_stream_with_a_filter(store: Store) -> None:
    buffer = io.BytesIO()
    assert export(store, "parquet", buffer, flt=EventFilter(plover_type="AGREE")) == 1
    assert buffer.getvalue()[:4] == b"PAR1"
    with pytest.raises(QueryError, match="parquet is binary"):
        export(store, "parquet", io.StringIO())


# --------------------------------------------------------------------------- ACLED


def acled(store: Store, **flt: Any) -> list[dict[str, str]]:
    out = io.StringIO()
    n = export(store, "acled-csv", out, flt=EventFilter(**flt))
    text = out.getvalue()
    assert text.splitlines()[0] == ACLED_HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == n
    return rows


def test_acled_has_the_acled_columns_and_only_eligible_events(store: Store) -> None:
    assert ",".join(ACLED_COLUMNS) == ACLED_HEADER
    rows = acled(store)
    # Not the threatened strike, not the hypothetical attack: ACLED codes what happened.
    assert [r["notes"] for r in rows] == [
        e.evidence.text
        for e in store.events()
        if e.event_id in ("wire-1-launched", "wire-2-agreed", "wire-1-struck", "wire-3-rallied")
    ]


def test_acled_values(store: Store) -> None:
    rows = {r["notes"].split()[0]: r for r in acled(store)}
    month, eilat, agree, protest = rows["Armed"], rows["A"], rows["Lebanon"], rows["Hundreds"]
    assert eilat["event_id_cnty"].startswith("ISR") and eilat["event_id_cnty"][3:].isdigit()
    assert (eilat["event_date"], eilat["year"], eilat["time_precision"]) == ("2024-11-27", "2024", "1")
    assert (month["event_date"], month["time_precision"]) == ("2024-10-01", "3")
    assert (eilat["disorder_type"], eilat["event_type"], eilat["sub_event_type"]) == (
        "Political violence",
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    assert (eilat["actor1"], eilat["inter1"], eilat["actor2"], eilat["inter2"]) == (
        "armed groups in Iraq",
        "3",
        "workers",
        "7",
    )
    assert (eilat["interaction"], eilat["civilian_targeting"], eilat["fatalities"]) == (
        "37",
        "Civilian targeting",
        "2",
    )
    assert (eilat["iso"], eilat["region"], eilat["country"], eilat["admin1"], eilat["location"]) == (
        "376",
        "Middle East",
        "Israel",
        "Southern District",
        "Eilat",
    )
    assert (eilat["latitude"], eilat["longitude"], eilat["geo_precision"]) == ("29.55805", "34.94821", "1")
    assert (eilat["source"], eilat["timestamp"]) == ("Wire Desk", "1733639400")
    assert "modality=occurred" in eilat["tags"]
    assert "via=Maariv" in month["tags"] and "hedged" in month["tags"]
    assert (agree["disorder_type"], agree["interaction"], agree["fatalities"]) == (
        "Strategic developments",
        "11",
        "0",
    )
    assert (protest["disorder_type"], protest["inter1"], protest["interaction"]) == (
        "Demonstrations",
        "6",
        "60",
    )
    assert protest["event_id_cnty"].startswith("IRQ") and protest["geo_precision"] == "1"
    assert acled(store)[0]["event_id_cnty"] == month["event_id_cnty"]  # stable across exports


def test_acled_to_a_file_path(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "acled.csv"
    assert export(store, "acled-csv", out, flt=EventFilter(country="IRQ", plover_type="PROTEST")) == 1
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ACLED_HEADER and len(lines) == 2


def test_acled_names_an_unnamed_crowd(store: Store) -> None:
    pairs = store.events_with_article(EventFilter(plover_type="PROTEST"))
    unnamed = [(dataclasses.replace(ev, source_actors=()), info) for ev, info in pairs]
    (row,) = acled_rows(unnamed)
    assert (row["actor1"], row["inter1"], row["interaction"]) == ("Protesters (Iraq)", "6", "60")


@pytest.mark.parametrize(
    ("ref", "code"),
    [
        (ActorRef("Israel", "ISR", "state", "ISR", "ISR"), 1),
        (ActorRef("Iraqi army", type="military", country="IRQ", cameo_code="IRQMIL"), 1),
        (ActorRef("rebels", country="SYR", cameo_code="SYRREB"), 2),
        (ActorRef("Kataib Hezbollah", type="armed_group", country="IRQ"), 3),
        (ActorRef("villagers", type="civilians"), 7),
        (ActorRef("UN mission", cameo_code="IGOUNO"), 8),
        (ActorRef("someone"), 8),
    ],
)
def test_inter_codes(ref: ActorRef, code: int) -> None:
    assert inter_code(ref) == code


def test_helpers() -> None:
    assert cameo_role(ActorRef("x", country="ISR", cameo_code="ISRGOV")) == "GOV"
    assert cameo_role(ActorRef("x", cameo_code="IGOUNO")) == "IGO"
    assert cameo_role(ActorRef("x", country="ISR", cameo_code="ISR")) == ""
    assert (acled_region("IRQ"), acled_region("NGA"), acled_region("FRA"), acled_region(None)) == (
        "Middle East",
        "Western Africa",
        "Europe",
        "",
    )


# --------------------------------------------------------------------------- GDELT


def test_gdelt_header_and_rows(store: Store) -> None:
    assert " ".join(GDELT_COLUMNS) == GDELT_HEADER
    out = io.StringIO()
    n = export(store, "gdelt-tsv", out)
    lines = out.getvalue().splitlines()
    assert lines[0].split("\t") == GDELT_HEADER.split()
    rows = list(csv.DictReader(io.StringIO(out.getvalue()), delimiter="\t"))
    assert len(rows) == n == 4  # the threatened strike and the hypothetical attack are not events
    eilat = next(r for r in rows if r["SQLDATE"] == "20241127")
    assert (eilat["MonthYear"], eilat["Year"], eilat["EventCode"], eilat["EventRootCode"]) == (
        "202411",
        "2024",
        "195",
        "19",
    )
    assert (eilat["Actor1Name"], eilat["Actor1CountryCode"], eilat["Actor1Type1Code"]) == (
        "ARMED GROUPS IN IRAQ",
        "IRQ",
        "UAF",
    )
    assert (eilat["Actor2Code"], eilat["Actor2Type1Code"], eilat["QuadClass"], eilat["GoldsteinScale"]) == (
        "ISRCVL",
        "CVL",
        "4",
        "-10.0",
    )
    assert (eilat["ActionGeo_Type"], eilat["ActionGeo_CountryCode"], eilat["ActionGeo_FullName"]) == (
        "4",
        "IS",
        "Eilat, Southern District, Israel",
    )
    assert (eilat["IsRootEvent"], eilat["DATEADDED"], eilat["SOURCEURL"]) == (
        "0",
        "20241208063000",
        "https://example.org/1",
    )
    agree = next(r for r in rows if r["EventCode"] == "0871")
    assert (agree["EventBaseCode"], agree["EventRootCode"], agree["ActionGeo_Type"]) == ("087", "08", "0")
    assert all(r["GLOBALEVENTID"].isdigit() for r in rows)


# --------------------------------------------------------------------------- PLOVER


def test_plover_json_parses_and_has_the_fields(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "plover.json"
    assert export(store, "plover-json", out) == len(all_events())
    objects = json.loads(out.read_text(encoding="utf-8"))
    assert [o["event_id"] for o in objects] == [e.event_id for e in store.events()]
    threat = next(o for o in objects if o["event_id"] == "wire-1-strike")
    assert threat["modality"] == "threatened" and threat["context"] is None
    assert (threat["source_actor"], threat["source_agent"], threat["source_country"]) == (
        "Kataib Hezbollah",
        "UAF",
        "IRQ",
    )
    assert threat["attribution"] == {
        "kind": "organization",
        "speaker": "Kataib Hezbollah",
        "via": None,
        "hedged": False,
    }
    eilat = next(o for o in objects if o["event_id"] == "wire-1-struck")
    assert eilat["location"] == {
        "name": "Eilat",
        "country": "ISR",
        "lat": 29.55805,
        "lon": 34.94821,
        "precision": "city",
    }
    assert (eilat["fatalities"], eilat["event_type"], eilat["mode"], eilat["event_date"]) == (
        2,
        "ASSAULT",
        "drone",
        "2024-11-27",
    )
    assert (eilat["story_id"], eilat["publisher"], eilat["cameo_code"], eilat["quad_class"]) == (
        "wire-1",
        "Wire Desk",
        "195",
        4,
    )
    assert eilat["event_text"] == "A drone struck a port building in Eilat on Wednesday, killing two workers."
    expected = {
        "event_id", "event_date", "event_type", "mode", "context", "source_actor", "source_agent",
        "source_country", "target_actor", "target_agent", "target_country", "story_id", "publisher",
        "event_text", "modality", "attribution", "location", "fatalities", "goldstein", "quad_class",
        "cameo_code",
    }  # fmt: skip
    assert all(expected <= set(o) for o in objects)


def test_text_export_to_a_binary_stream(store: Store) -> None:
    buffer = io.BytesIO()
    assert export(store, "plover-json", buffer, flt=EventFilter(modality="hypothetical")) == 1
    assert json.loads(buffer.getvalue().decode("utf-8"))[0]["event_id"] == "wire-3-attack"
