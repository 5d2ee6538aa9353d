"""The dashboard's aggregates in SQL: series cells, signal counts, actor tallies and event pages.

Why. The desk used to load every event that passed a filter into Python and count there; on a
database of a million events that takes minutes. These queries count inside DuckDB and return only
the cells, days or actors the responses need.

Every query reads ``event_view v`` and takes its WHERE from ``duckdb_store._conditions(flt)``, so a
change to what a filter means (fused events, rejected events) applies here too. Reviews are the one
thing SQL does not apply: a reviewer's correction is JSON folded on top of the event in Python
(``desk.apply_reviews``). So each aggregate here counts only events that have no review
(``reviewed=False``); ``reviewed_rows`` returns the few reviewed ones, which the desk corrects and
counts with the same pure functions it uses as the reference, and the two parts are merged.

Days follow ``desk.event_day`` exactly: the date's start, else its value padded to a day when it
is YYYY[-MM[-DD]], else the article's published day; a day that is not a real date leaves the event
out of series and signals. (``event_view.day``, which filters and sorting use, pads any value.)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

from eventwatch.store.duckdb_store import _conditions as conditions
from eventwatch.store.duckdb_store import _where as where_order

if TYPE_CHECKING:
    from eventwatch.store.duckdb_store import EventFilter, Store

JSON = dict[str, Any]

# Actor types that speak for their state (``desk.STATE_TYPES``): a dyad names their country.
STATE_TYPES = ("state", "government", "military", "police", "intelligence", "judiciary", "legislature")

# ``desk.event_day`` in SQL, over ``event_view v``.
EVENT_DAY = r"""CASE
    WHEN v.date_start IS NOT NULL THEN TRY_CAST(left(v.date_start, 10) AS DATE)
    WHEN regexp_full_match(v.date_value, '\d{4}(-\d{2})?(-\d{2})?') THEN TRY_CAST(
        CASE length(v.date_value) WHEN 4 THEN v.date_value || '-01-01'
            WHEN 7 THEN v.date_value || '-01' ELSE v.date_value END AS DATE)
    ELSE TRY_CAST(left(v.published, 10) AS DATE) END"""

# Per event: the dyad sides (first actor of each side: a state actor as its country, any other by
# name) and the first country among its target, then source, actors (``desk.group_key``).
_STATES = ", ".join(f"'{t}'" for t in STATE_TYPES)
_SIDE = f"""CASE WHEN x.country <> '' AND (x.type IN ({_STATES}) OR x.cameo_code = x.country)
    THEN x.country ELSE x.name END"""
ACTOR_KEYS = f"""
SELECT x.event_id,
    arg_min({_SIDE}, x.position) FILTER (WHERE x.role = 'source') AS source_side,
    arg_min({_SIDE}, x.position) FILTER (WHERE x.role = 'target') AS target_side,
    arg_min(x.country, (x.role = 'source')::BIGINT * 1000000000 + x.position)
        FILTER (WHERE x.country <> '') AS actor_country
FROM event_actors x
"""
_DYAD = """CASE WHEN k.source_side <> '' AND k.target_side <> ''
    THEN k.source_side || '->' || k.target_side END"""
GROUP_KEY = {
    "plover_type": "v.plover_type",
    "quad_class": "COALESCE(CAST(v.quad_class AS VARCHAR), 'unknown')",
    "country": "COALESCE(NULLIF(v.location_country, ''), k.actor_country, 'unknown')",
    "dyad": f"COALESCE({_DYAD}, 'unknown')",
}
PERIOD = {
    "day": "d",
    "week": "d - CAST(isodow(d) - 1 AS INTEGER)",
    "month": "CAST(strftime(d, '%Y-%m') || '-01' AS DATE)",
}


@dataclass(slots=True)
class Cell:
    """Events in one (period, key) cell and the Goldstein scores known among them."""

    events: int = 0
    scored: int = 0
    goldstein: Decimal = Decimal(0)  # the exact sum (as ``math.fsum``), so means round as before


def _scope(flt: EventFilter, *, reviewed: bool | None) -> tuple[str, list[Any]]:
    """The filter's WHERE, narrowed to events with (True) or without (False) a review."""
    where, params = conditions(flt)
    if reviewed is None:
        return where, params
    clause = "v.event_id " + ("" if reviewed else "NOT ") + "IN (SELECT r.event_id FROM reviews r)"
    return (f"{where} AND {clause}" if where else f" WHERE {clause}"), params


# --------------------------------------------------------------------------- event rows


_PAGE_IDS = "_eventwatch_page_ids"


def _view_sql(store: Store, *, narrowed: bool) -> str | None:
    """``event_view``'s own definition (as the database holds it) as a CREATE TEMP VIEW that shadows
    it: narrowed to the events in the temp table ``_PAGE_IDS``, or lean (no event's actors are
    grouped: ``source_actors``/``target_actors`` are empty, which no filter reads). None where its
    text is not the shape this knows: the caller then reads the view as it is."""
    _, rows = store._fetch(
        "SELECT sql FROM duckdb_views() "
        "WHERE view_name = 'event_view' AND NOT temporary AND schema_name = 'main'"
    )
    if not rows or not rows[0][0]:
        return None
    sql = str(rows[0][0]).strip().rstrip(";")
    head = "CREATE VIEW event_view AS "
    grouped = " FROM event_actors GROUP BY event_id"
    tail = " LEFT JOIN actors AS x ON ((x.event_id = e.event_id)))"
    if not sql.startswith(head) or sql.count(grouped) != 1 or not sql.endswith(tail):
        return None
    only = f"(SELECT event_id FROM temp.{_PAGE_IDS})" if narrowed else None
    sql = sql.replace(
        grouped, f" FROM event_actors WHERE {f'event_id IN {only}' if only else 'false'} GROUP BY event_id"
    )
    where = f" WHERE e.event_id IN {only}" if only else ""
    return "CREATE OR REPLACE TEMP VIEW event_view AS " + sql[len(head) :] + where


@contextmanager
def shadowed(store: Store, ids: Sequence[str] | None = None) -> Iterator[bool]:
    """Within the block, ``event_view`` on the store's connection is the narrowed (``ids``) or lean
    (no ``ids``) view of ``_view_sql``; yields False where it is the view as it is. The store's lock
    is held throughout, so no other thread's query sees the shadow."""
    with store._lock:
        sql = _view_sql(store, narrowed=ids is not None)
        if sql is None:
            yield False
            return
        try:
            if ids is not None:
                store._fetch(
                    f"CREATE OR REPLACE TEMP TABLE {_PAGE_IDS} AS SELECT unnest(?::VARCHAR[]) AS event_id",
                    [list(ids)],
                )
            store._fetch(sql)
            yield True
        finally:
            store._fetch("DROP VIEW IF EXISTS temp.event_view")
            store._fetch(f"DROP TABLE IF EXISTS temp.{_PAGE_IDS}")


def _fetch(store: Store, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` on the lean view: for queries that read no event's actor lists."""
    with shadowed(store):
        return store._fetch(sql, params)[1]


def count_events(store: Store, flt: EventFilter) -> int:
    """``Store.count_events(flt)``: its query, with ``conditions``, on the lean view."""
    where, params = conditions(flt)
    return int(_fetch(store, f"SELECT count(*) FROM event_view v{where}", params)[0][0])


def event_rows(store: Store, flt: EventFilter) -> list[JSON]:
    """``Store.event_rows(flt)``, fast on a large database. ``event_view`` groups every event's
    actors before a filter reaches them (seconds on a million events), so the page's ids are found
    first, and the store's own ``event_rows`` then reads a view narrowed to them: the rows are built
    by the store, whatever it puts in them."""
    import dataclasses

    page = event_ids(store, flt)
    if not page:
        return []
    with shadowed(store, page) as narrowed:
        return store.event_rows(dataclasses.replace(flt, limit=None, offset=0) if narrowed else flt)


def event_records(store: Store, event_ids: Sequence[str], *, flt: EventFilter | None = None) -> list[JSON]:
    """The events ``event_ids`` as ``Store.event_rows(flt)`` gives them (default: an event's own
    report row), in the store's order."""
    from eventwatch.store.duckdb_store import EventFilter as Filter

    if not event_ids:
        return []
    base = flt or _report_filter(Filter)
    with shadowed(store, event_ids) as narrowed:
        rows = store.event_rows(base)
    if narrowed:
        return rows
    wanted = set(event_ids)
    return [r for r in rows if r["event_id"] in wanted]


def event_row(store: Store, event_id: str) -> JSON | None:
    """``Store.event_row(event_id)`` on a view narrowed to that event."""
    with shadowed(store, [event_id]):
        return store.event_row(event_id)


def _report_filter(cls: Any) -> Any:
    """A filter that passes every stored report (``reports=True`` where the store knows fusion)."""
    import dataclasses

    names = {f.name for f in dataclasses.fields(cls)}
    return cls(reports=True) if "reports" in names else cls()


def event_ids(store: Store, flt: EventFilter) -> list[str]:
    """The ids of the events ``flt`` selects, in its order and page."""
    tail, params = where_order(flt)
    return [r[0] for r in _fetch(store, f"SELECT v.event_id FROM event_view v{tail}", params)]


def reviewed_rows(store: Store, flt: EventFilter) -> list[JSON]:
    """The machine's rows of the events that pass ``flt`` and have a review, in the filter's order."""
    return event_records(store, reviewed_ids(store, flt), flt=flt)


def reviewed_ids(store: Store, flt: EventFilter) -> list[str]:
    """The ids of the events that pass ``flt`` and have a review."""
    where, params = _scope(flt, reviewed=True)
    return [r[0] for r in _fetch(store, f"SELECT v.event_id FROM event_view v{where}", params)]


# --------------------------------------------------------------------------- series


def series_cells(
    store: Store, flt: EventFilter, *, by: str, group: str, reviewed: bool | None = False
) -> dict[tuple[str, str], Cell]:
    """Events and Goldstein scores per (period start YYYY-MM-DD, group key) of the events that pass
    ``flt`` (by default only those without a review; None: all)."""
    where, params = _scope(flt, reviewed=reviewed)
    join = (
        f" LEFT JOIN ({ACTOR_KEYS} GROUP BY x.event_id) k ON k.event_id = v.event_id"
        if group
        in (
            "country",
            "dyad",
        )
        else ""
    )
    sql = f"""
        WITH s AS (
            SELECT {EVENT_DAY} AS d, {GROUP_KEY[group]} AS key, v.goldstein AS g
            FROM event_view v{join}{where}
        ),
        c AS (
            SELECT strftime({PERIOD[by]}, '%Y-%m-%d') AS period, key, g, count(*) AS n
            FROM s WHERE d IS NOT NULL GROUP BY ALL
        )
        SELECT period, key, sum(n), list(struct_pack(g := g, n := n)) FILTER (WHERE g IS NOT NULL)
        FROM c GROUP BY ALL
    """
    rows = _fetch(store, sql, params)
    out: dict[tuple[str, str], Cell] = {}
    with localcontext() as exact:
        exact.prec = 80  # a sum of doubles, exactly (Goldstein scores take few distinct values)
        for period, key, n, scores in rows:
            scores = scores or []
            total = sum((Decimal(s["g"]) * s["n"] for s in scores), Decimal(0))
            out[(period, key)] = Cell(int(n), sum(int(s["n"]) for s in scores), total)
    return out


# --------------------------------------------------------------------------- signals


def day_bounds(store: Store, flt: EventFilter, *, reviewed: bool | None = False) -> tuple[Any, Any]:
    """(first, last) day (``datetime.date``, or None) among the events that pass ``flt``."""
    where, params = _scope(flt, reviewed=reviewed)
    rows = _fetch(store, f"SELECT min({EVENT_DAY}), max({EVENT_DAY}) FROM event_view v{where}", params)
    return rows[0][0], rows[0][1]


@dataclass(slots=True)
class DyadDays:
    """Daily counts of one dyad (or "*": all events) over a span of days, Goldstein per day from
    ``scored_from`` on, and the (day, event_id) of its first event in the filter's order."""

    days: dict[Any, int]
    scores: dict[Any, tuple[int, float]]
    first_seen: tuple[str, str]


def dyad_days(
    store: Store,
    flt: EventFilter,
    *,
    start: Any,
    anchor: Any,
    scored_from: Any,
    reviewed: bool | None = False,
) -> dict[str, DyadDays]:
    """Per dyad, and "*" for all dated events, the daily counts between ``start`` and ``anchor``
    (dates, inclusive) of the events that pass ``flt``. ``first_seen`` orders the dyads as the
    desk's Python loop first met them; it is computed over every day up to ``anchor``."""
    where, params = _scope(flt, reviewed=reviewed)
    sql = f"""
        WITH s AS (
            SELECT v.event_id, v.day AS vday, {EVENT_DAY} AS d, v.goldstein AS g FROM event_view v{where}
        ),
        dated AS (SELECT * FROM s WHERE d IS NOT NULL AND d <= ?),
        keyed AS (
            SELECT dated.*, {_DYAD} AS dyad
            FROM dated LEFT JOIN ({ACTOR_KEYS} WHERE x.event_id IN (SELECT event_id FROM dated)
                GROUP BY x.event_id) k ON k.event_id = dated.event_id
        ),
        firsts AS (
            SELECT COALESCE(dyad, '*') AS dyad, min(struct_pack(d := vday, e := event_id)) AS first
            FROM keyed GROUP BY ALL
        ),
        span AS (SELECT * FROM keyed WHERE d >= ?),
        counts AS (
            SELECT dyad, d, count(*) AS n, count(g) FILTER (WHERE d >= ?) AS scored,
                fsum(g) FILTER (WHERE d >= ?) AS total
            FROM span WHERE dyad IS NOT NULL GROUP BY ALL
            UNION ALL
            SELECT '*', d, count(*), 0, 0.0 FROM span GROUP BY ALL
        )
        SELECT c.dyad, c.d, c.n, c.scored, c.total, f.first
        FROM counts c JOIN firsts f ON f.dyad = c.dyad
    """
    rows = _fetch(store, sql, [*params, anchor, start, scored_from, scored_from])
    out: dict[str, DyadDays] = {}
    for dyad, day, n, scored, total, first in rows:
        entry = out.get(dyad)
        if entry is None:
            entry = out[dyad] = DyadDays({}, {}, (first["d"] or "\uffff", first["e"]))
        entry.days[day] = int(n)
        if scored:
            entry.scores[day] = (int(scored), float(total or 0.0))
    # "*" counts every dated event, so it is always met first.
    if "*" in out:
        out["*"].first_seen = ("", "")
    return out


# --------------------------------------------------------------------------- actors


@dataclass(slots=True)
class ActorTally:
    """One actor key's counts and the fields of its first appearance (``first`` orders it)."""

    actor_id: str | None
    cameo_code: str | None
    country: str | None
    type: str | None
    events: int
    as_source: int
    as_target: int
    first: tuple[str, str, int, int]
    names: dict[str, tuple[int, tuple[str, str, int, int]]]  # name -> (uses, first appearance)


def actor_tallies(store: Store, flt: EventFilter, *, reviewed: bool | None = False) -> dict[str, ActorTally]:
    """Per actor key ("id:<actor_id>", else "name:<lower name>"): distinct events in all, as source
    and as target, the first appearance's id, CAMEO code, country and type, and each name's uses,
    over the events that pass ``flt``. An appearance is ordered by (day, event_id, source before
    target, position), the order the desk's Python loop met them in."""
    where, params = _scope(flt, reviewed=reviewed)
    sql = f"""
        WITH ev AS (SELECT v.event_id, COALESCE(v.day, '\uffff') AS vday FROM event_view v{where}),
        a AS (
            SELECT CASE WHEN x.actor_id <> '' THEN 'id:' || x.actor_id ELSE 'name:' || lower(x.name) END
                    AS key,
                x.name, x.actor_id, x.cameo_code, x.country, x.type, x.role, x.event_id,
                struct_pack(d := ev.vday, e := x.event_id, r := CAST(x.role = 'target' AS INTEGER),
                    p := x.position) AS o
            FROM event_actors x JOIN ev ON ev.event_id = x.event_id
        ),
        names AS (SELECT key, name, count(*) AS uses, min(o) AS first FROM a GROUP BY ALL),
        -- one row per actor and event: distinct events without three DISTINCT aggregates
        per_event AS (
            SELECT key, event_id, bool_or(role = 'source') AS s, bool_or(role = 'target') AS t
            FROM a GROUP BY key, event_id
        ),
        counts AS (
            SELECT key, count(*) AS events, count(*) FILTER (WHERE s) AS as_source,
                count(*) FILTER (WHERE t) AS as_target
            FROM per_event GROUP BY key
        ),
        tallies AS (
            SELECT key, arg_min(struct_pack(actor_id := actor_id, cameo_code := cameo_code,
                    country := country, type := type), o) AS fields,
                min(o) AS first
            FROM a GROUP BY key
        )
        SELECT t.key, t.fields, t.first, c.events, c.as_source, c.as_target,
            list(struct_pack(name := n.name, uses := n.uses, first := n.first)) AS names
        FROM tallies t JOIN counts c ON c.key = t.key JOIN names n ON n.key = t.key
        GROUP BY ALL
    """
    rows = _fetch(store, sql, params)
    out: dict[str, ActorTally] = {}
    for key, fields, first, events, as_source, as_target, names in rows:
        out[key] = ActorTally(
            actor_id=fields["actor_id"],
            cameo_code=fields["cameo_code"],
            country=fields["country"],
            type=fields["type"],
            events=int(events),
            as_source=int(as_source),
            as_target=int(as_target),
            first=_order(first),
            names={n["name"]: (int(n["uses"]), _order(n["first"])) for n in names},
        )
    return out


def _order(value: dict[str, Any]) -> tuple[str, str, int, int]:
    return (value["d"], value["e"], int(value["r"]), int(value["p"]))


# --------------------------------------------------------------------------- quantities


def quantities(
    store: Store, *, what: str | None, since: str | None, until: str | None, limit: int | None
) -> list[tuple[Any, Any]]:
    """``Store.quantities_with_article(what)`` bounded: a quantity's day (its period's end, else its
    start, else the article's published day: where the dashboard plots it) between ``since`` and
    ``until``, and only the ``limit`` latest by that day; same order as the store's."""
    from eventwatch.store.duckdb_store import QUANTITY, _article_info, _q

    if since is None and until is None and limit is None:
        return store.quantities_with_article(what)
    cols = ", ".join(f"q.{_q(c)}" for c in QUANTITY.names)
    day = "left(COALESCE(q.period_end, q.period_start, a.published), 10)"
    clauses: list[str] = []
    params: list[Any] = []
    if what is not None:
        clauses.append("contains(lower(q.what), lower(?))")
        params.append(what)
    if since is not None:
        clauses.append(f"{day} >= ?")
        params.append(since)
    if until is not None:
        clauses.append(f"{day} <= ?")
        params.append(until)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    latest = ""
    if limit is not None:
        latest = f" ORDER BY {day} DESC NULLS LAST, q.article_id DESC, q.position DESC LIMIT ?"
        params.append(limit)
    sql = (
        f"SELECT * FROM (SELECT {cols}, q.position AS q_position, a.published, a.source, a.url, a.title, "
        "a.ingested_at "
        f"FROM quantities q JOIN articles a ON a.article_id = q.article_id{where}{latest}) "
        "ORDER BY period_start NULLS LAST, article_id, q_position"
    )
    return [(QUANTITY.unflatten(row), _article_info(row)) for row in store._dicts(sql, params)]
