"""Near-duplicate articles and fused events, kept up to date in the transaction that writes a batch.

Duplicates (``find_duplicates``): the batch's articles are taken in (published, article_id) order;
each is compared with the stored articles that share an LSH band bucket and with the batch's
earlier articles; a copy is linked to the original of what it copies (never to another copy).

Fusion (``refuse``): the stored events of the batch (and the events of articles that gained a copy)
are the seeds. From them the graph of ``same_event`` links is walked (candidates by SQL on
``event_fusion``'s type, modality, country and day window; the rules in Python on those few) until
it closes: that connected part of the graph holds every report whose fused event could change. It
is clustered again from scratch (``eventwatch.fusion.cluster``), so the result is the same whatever
order or batches the articles came in, and its rows in ``event_fusion``/``fused_events`` are
replaced. Nothing outside one batch and its graph neighbourhood is held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eventwatch import fusion
from eventwatch.model import Article, FusedEvent
from eventwatch.store import dedup

if TYPE_CHECKING:
    from eventwatch.store.duckdb_store import Store

FUSION_COLUMNS = {
    "event_id": "VARCHAR",
    "fused_id": "VARCHAR",
    "article_id": "VARCHAR",
    "plover_type": "VARCHAR",
    "acled_event_type": "VARCHAR",
    "modality_class": "VARCHAR",
    "country": "VARCHAR",
    "day_lo": "DATE",
    "day_hi": "DATE",
    "coarse": "BOOLEAN",
}
FUSED_COLUMNS = {
    "fused_id": "VARCHAR",
    "n_reports": "BIGINT",
    "n_articles": "BIGINT",
    "n_sources": "BIGINT",
    "event_ids": "VARCHAR[]",
    "article_ids": "VARCHAR[]",
    "duplicate_ids": "VARCHAR[]",
    "sources": "VARCHAR[]",
    "fatalities_low": "BIGINT",
    "fatalities_best": "BIGINT",
    "fatalities_high": "BIGINT",
    "fatalities_text": "VARCHAR",
    "injured_low": "BIGINT",
    "injured_best": "BIGINT",
    "injured_high": "BIGINT",
    "injured_text": "VARCHAR",
    "date_start": "VARCHAR",
    "date_end": "VARCHAR",
    "disagreements": "VARCHAR",
}
MINHASH_COLUMNS = {"article_id": "VARCHAR", "band": "INTEGER", "bucket": "BIGINT"}
DUPLICATE_COLUMNS = {"article_id": "VARCHAR", "original_id": "VARCHAR", "similarity": "DOUBLE"}
_CHUNK = 1000


# --------------------------------------------------------------------------- duplicates


def find_duplicates(store: Store, articles: Sequence[Article]) -> dict[str, tuple[str, float]]:
    """Which of ``articles`` (new, not yet stored) copy a stored article or an earlier one of the
    batch: {article_id: (original_id, similarity)}. Writes every article's band buckets."""
    out, rows = copies_of(store, articles)
    store._insert_rows("article_minhash", MINHASH_COLUMNS, rows)
    store._insert_rows(
        "article_duplicates",
        DUPLICATE_COLUMNS,
        [{"article_id": a, "original_id": o, "similarity": s} for a, (o, s) in sorted(out.items())],
    )
    return out


def copies_of(
    store: Store, articles: Sequence[Article]
) -> tuple[dict[str, tuple[str, float]], list[dict[str, Any]]]:
    """``find_duplicates`` without writing: the copies, and the band bucket rows to store."""
    ordered = sorted(articles, key=lambda a: (a.published or "", a.article_id))
    sets = {a.article_id: dedup.shingles(a.text) for a in ordered}
    keys = {a.article_id: dedup.buckets(sets[a.article_id]) for a in ordered}
    rows = [
        {"article_id": a, "band": band, "bucket": bucket}
        for a, found in keys.items()
        for band, bucket in enumerate(found)
    ]
    stored: dict[str, set[str]] = {}
    if rows:
        _, pairs = store._fetch(
            "SELECT DISTINCT q.article_id, m.article_id FROM article_minhash m JOIN ("
            "SELECT unnest(?::VARCHAR[]) AS article_id, unnest(?::INTEGER[]) AS band, "
            "unnest(?::BIGINT[]) AS bucket) q ON m.band = q.band AND m.bucket = q.bucket",
            [[r["article_id"] for r in rows], [r["band"] for r in rows], [r["bucket"] for r in rows]],
        )
        for new_id, old_id in pairs:
            stored.setdefault(new_id, set()).add(old_id)
    known, roots = _candidates(store, sorted({o for olds in stored.values() for o in olds}))
    batch: dict[str, dedup.Candidate] = {}
    by_bucket: dict[tuple[int, int], list[str]] = {}
    out: dict[str, tuple[str, float]] = {}
    for article in ordered:
        aid = article.article_id
        here = [known[o] for o in sorted(stored.get(aid, ())) if o in known]
        near = {b for band, bucket in enumerate(keys[aid]) for b in by_bucket.get((band, bucket), ())}
        here += [batch[b] for b in sorted(near)]
        found = dedup.best_original(dedup.Candidate(aid, article.text, article.published), here)
        if found is not None:
            original, similarity = found
            root = out[original][0] if original in out else roots.get(original, original)
            out[aid] = (root, round(similarity, 6))
        batch[aid] = dedup.Candidate(aid, article.text, article.published)
        for band, bucket in enumerate(keys[aid]):
            by_bucket.setdefault((band, bucket), []).append(aid)
    return out, rows


def _candidates(store: Store, ids: list[str]) -> tuple[dict[str, dedup.Candidate], dict[str, str]]:
    """Stored articles to compare with, and the original each stored copy links to."""
    if not ids:
        return {}, {}
    _, rows = store._fetch(
        "SELECT a.article_id, a.text, a.published, d.original_id FROM articles a "
        "LEFT JOIN article_duplicates d ON d.article_id = a.article_id "
        "WHERE a.article_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids],
    )
    return {r[0]: dedup.Candidate(r[0], r[1], r[2]) for r in rows}, {r[0]: r[3] for r in rows if r[3]}


def index_existing(store: Store) -> None:
    """Band buckets for articles stored before schema 4 (copies among them stay as they were)."""
    offset = 0
    while True:
        _, rows = store._fetch(
            "SELECT article_id, text FROM articles ORDER BY article_id LIMIT ? OFFSET ?", [_CHUNK, offset]
        )
        if not rows:
            return
        store._insert_rows(
            "article_minhash",
            MINHASH_COLUMNS,
            [
                {"article_id": aid, "band": band, "bucket": bucket}
                for aid, text in rows
                for band, bucket in enumerate(dedup.buckets(dedup.shingles(text)))
            ],
        )
        offset += _CHUNK


# --------------------------------------------------------------------------- fusion


def _reports(store: Store, event_ids: Sequence[str]) -> dict[str, fusion.Report]:
    """Stored events with their article's published date and outlet. Reads the tables, not
    ``event_view``, whose actor lists are built for every event before a filter applies."""
    from eventwatch.store.duckdb_store import ACTOR, EVENT, _q

    if not event_ids:
        return {}
    ids = [sorted(set(event_ids))]
    cols = ", ".join(f"e.{_q(c)}" for c in EVENT.names)
    rows = store._dicts(
        f"SELECT {cols}, a.published, a.source FROM events e JOIN articles a ON a.article_id = e.article_id "
        "WHERE e.event_id IN (SELECT unnest(?::VARCHAR[]))",
        ids,
    )
    actor_cols = ", ".join(_q(c) for c in ACTOR.names)
    actors: dict[tuple[str, str], list[Any]] = {}
    for row in store._dicts(
        f"SELECT event_id, role, {actor_cols} FROM event_actors "
        "WHERE event_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY event_id, role, position",
        ids,
    ):
        actors.setdefault((row["event_id"], row["role"]), []).append(ACTOR.unflatten(row))
    out = {}
    for row in rows:
        eid = row["event_id"]
        event = EVENT.unflatten(
            row,
            source_actors=tuple(actors.get((eid, "source"), ())),
            target_actors=tuple(actors.get((eid, "target"), ())),
        )
        out[eid] = fusion.Report(event, row["published"], row["source"])
    return out


def _blocking_row(report: fusion.Report) -> dict[str, Any]:
    event = report.event
    interval = fusion.report_interval(report)
    country = event.location.country if event.location is not None else None
    return {
        "event_id": event.event_id,
        "fused_id": event.event_id,
        "article_id": event.article_id,
        "plover_type": event.plover_type,
        "acled_event_type": event.acled_event_type,
        "modality_class": fusion.modality_class(event.modality),
        "country": country.upper() if country else None,
        "day_lo": interval[0] if interval else None,
        "day_hi": interval[1] if interval else None,
        "coarse": fusion.is_coarse(interval),
    }


_NEIGHBOURS = """
WITH f AS (SELECT unnest(?::VARCHAR[]) AS event_id)
SELECT a.event_id, b.event_id
FROM f JOIN event_fusion a ON a.event_id = f.event_id
JOIN event_fusion b ON {key}
    AND b.modality_class = a.modality_class AND b.coarse = a.coarse
    AND b.day_lo <= a.day_hi AND b.day_hi >= a.day_lo
    AND b.article_id <> a.article_id
    AND (a.country IS NULL OR b.country IS NULL OR a.country = b.country)
"""


def refuse(store: Store, event_ids: Sequence[str], *, articles: Sequence[str] = ()) -> int:
    """Fuse the newly stored ``event_ids`` (not yet in ``event_fusion``) and re-fuse the events of
    ``articles`` (they gained a copy); returns how many fused events were written."""
    new = _reports(store, event_ids)
    store._insert_rows("event_fusion", FUSION_COLUMNS, [_blocking_row(new[e]) for e in sorted(new)])
    seeds = set(new)
    if articles:
        _, rows = store._fetch(
            "SELECT event_id FROM event_fusion WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [sorted(set(articles))],
        )
        seeds |= {r[0] for r in rows}
    if not seeds:
        return 0
    reports = dict(new)
    reports.update(_reports(store, sorted(seeds - set(reports))))
    edges: set[tuple[str, str]] = set()
    visited = set(seeds)
    frontier = sorted(seeds)
    while frontier:
        pairs: set[tuple[str, str]] = set()
        for key in ("b.plover_type = a.plover_type", "b.acled_event_type = a.acled_event_type"):
            _, rows = store._fetch(_NEIGHBOURS.format(key=key), [frontier])
            pairs |= {(r[0], r[1]) for r in rows}
        missing = sorted({b for _, b in pairs} - set(reports))
        reports.update(_reports(store, missing))
        following: set[str] = set()
        for a, b in pairs:
            edge = (min(a, b), max(a, b))
            if edge in edges or not fusion.same_event(reports[a], reports[b]):
                continue
            edges.add(edge)
            if b not in visited:
                visited.add(b)
                following.add(b)
        frontier = sorted(following)
    part = [reports[e] for e in sorted(visited)]
    groups = fusion.cluster(part, edges)
    _, old = store._fetch(
        "SELECT DISTINCT fused_id FROM event_fusion WHERE event_id IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(visited)],
    )
    copies = _copies(store, sorted({r.event.article_id for r in part}))
    fused = [
        fusion.fuse(
            [reports[e] for e in group],
            copies=[c for r in {reports[e].event.article_id for e in group} for c in copies.get(r, ())],
        )
        for group in groups
    ]
    members = [(e, f.fused_id) for f in fused for e in f.event_ids]
    store._fetch(
        "UPDATE event_fusion SET fused_id = m.fused_id FROM (SELECT unnest(?::VARCHAR[]) AS event_id, "
        "unnest(?::VARCHAR[]) AS fused_id) m WHERE event_fusion.event_id = m.event_id",
        [[e for e, _ in members], [f for _, f in members]],
    )
    gone = sorted({r[0] for r in old} | {f.fused_id for f in fused})
    store._fetch("DELETE FROM fused_events WHERE fused_id IN (SELECT unnest(?::VARCHAR[]))", [gone])
    store._insert_rows("fused_events", FUSED_COLUMNS, [fused_row(f) for f in fused])
    return len(fused)


def _copies(store: Store, article_ids: list[str]) -> dict[str, list[tuple[str, str | None]]]:
    """{original article: [(copy article, its outlet)]}."""
    if not article_ids:
        return {}
    _, rows = store._fetch(
        "SELECT d.original_id, d.article_id, a.source FROM article_duplicates d "
        "JOIN articles a ON a.article_id = d.article_id "
        "WHERE d.original_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY d.article_id",
        [article_ids],
    )
    out: dict[str, list[tuple[str, str | None]]] = {}
    for original, copy, source in rows:
        out.setdefault(original, []).append((copy, source))
    return out


def fused_fields(fused: FusedEvent) -> dict[str, Any]:
    """What a fused event adds to its lead report, as plain values (the table row and the JSON
    record both start from these)."""
    return {
        "n_reports": fused.n_reports,
        "n_articles": fused.n_articles,
        "n_sources": fused.n_sources,
        "event_ids": list(fused.event_ids),
        "article_ids": list(fused.article_ids),
        "duplicate_ids": list(fused.duplicate_ids),
        "sources": list(fused.sources),
        "date_start": fused.date_start,
        "date_end": fused.date_end,
    }


def fused_row(fused: FusedEvent) -> dict[str, Any]:
    row: dict[str, Any] = {
        "fused_id": fused.fused_id,
        **fused_fields(fused),
        "disagreements": json.dumps(disagreements_plain(fused), ensure_ascii=False),
    }
    for name in ("fatalities", "injured"):
        count = getattr(fused, name)
        for part in ("low", "best", "high", "text"):
            row[f"{name}_{part}"] = None if count is None else getattr(count, part)
    return row


def disagreements_plain(fused: FusedEvent) -> list[dict[str, Any]]:
    return [
        {
            "field": d.field,
            "readings": [{"value": r.value, "article_ids": list(r.article_ids)} for r in d.readings],
        }
        for d in fused.disagreements
    ]


def backfill(store: Store) -> None:
    """Index and fuse what a database held before schema 4, in chunks (bounded memory)."""
    index_existing(store)
    offset = 0
    while True:
        _, rows = store._fetch(
            "SELECT event_id FROM events ORDER BY event_id LIMIT ? OFFSET ?", [_CHUNK, offset]
        )
        if not rows:
            return
        refuse(store, [r[0] for r in rows])
        offset += _CHUNK
