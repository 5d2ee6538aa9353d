"""The analyst's desk: the queries behind the dashboard and the HTTP API, over one open ``Store``.

Both ``eventwatch serve`` (``eventwatch.http``) and any CLI command call ``Desk``; the routes only
parse, call and render. Everything returned is plain JSON (dicts, lists, str, numbers, None).

Reviews. A reviewer's correction is stored in ``reviews`` and applied on top of the machine's event
when it is read: ``apply_reviews`` folds an event's reviews in order, so the corrected fields are
returned, ``original`` keeps the machine's values of those fields and ``review`` says who and when.
The latest review decides whether the event is "not an event"; such events are hidden from lists,
series, signals, actors and exports unless asked for. List filters match the machine's values
(SQL); series, signals and actors count the corrected ones.

Pure functions (``apply_reviews``, ``highlights``, ``series_items``, ``robust_z``,
``surge_alerts``, ``signals_of``) hold the logic; ``Desk`` only reads the store and calls them.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import dataclasses
import json
import re
import statistics
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, localcontext
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from eventwatch.config import Settings
from eventwatch.errors import QueryError, RecordError
from eventwatch.model import MODALITIES, PLOVER_TYPES, Article, to_record

if TYPE_CHECKING:
    from eventwatch.pipeline import Extractor
    from eventwatch.resources.actors import ActorBase
    from eventwatch.resources.ontology import Ontology
    from eventwatch.store import ArticleInfo, EventFilter, Store
    from eventwatch.store.aggregates import ActorTally, Cell, DyadDays

JSON = dict[str, Any]

MAX_LIMIT = 1000
MAX_ARTICLES_PER_POST = 1000
CACHED_RESULTS = 64  # per-filter results the desk keeps (a dashboard reload asks the same again)
SERIES_BY: tuple[str, ...] = ("day", "week", "month")
SERIES_GROUPS: tuple[str, ...] = ("plover_type", "quad_class", "country", "dyad")
REVIEWABLE: tuple[str, ...] = (
    "plover_type", "source_actors", "target_actors", "modality", "location", "date", "fatalities",
)  # fmt: skip
GEO_PRECISIONS = ("exact", "city", "admin1", "country", "unknown")
# Actor types that speak for their state: a dyad names their country rather than the organ.
STATE_TYPES = frozenset(
    {"state", "government", "military", "police", "intelligence", "judiciary", "legislature"}
)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

SIGNALS_METHOD = (
    "Daily event counts per dyad (source -> target) and in all; a day is a surge when its robust "
    "z-score (x - median) / (1.4826 * max(MAD, {mad_floor})) over the {window} days before it is at "
    "least {threshold} and at least {min_count} events happened; a baseline needs {min_baseline} days "
    "the database covers. conflict_cooperation = sum of Goldstein scores / (10 * events): -1 is all "
    "maximal conflict, +1 all maximal cooperation."
)


# --------------------------------------------------------------------------- cursors


def encode_cursor(offset: int) -> str:
    """An opaque cursor for the page starting at ``offset``."""
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        offset = json.loads(raw)["o"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise QueryError(f"invalid cursor {cursor[:40]!r}: use next_cursor from a previous page") from None
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise QueryError(f"invalid cursor {cursor[:40]!r}: use next_cursor from a previous page")
    return offset


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    return limit


# --------------------------------------------------------------------------- reviews


def _iso(moment: datetime | str | None) -> str | None:
    if isinstance(moment, datetime):
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat().replace("+00:00", "Z")
    return moment


def apply_reviews(event: JSON, reviews: Sequence[JSON]) -> JSON:
    """The event with its reviews (oldest first, as ``Store.reviews`` gives them) applied on top:
    ``review`` (the latest: who, when, the merged changes, not_an_event, note) and ``original``
    (the machine's values of every changed field), both None when there is no review."""
    if not reviews:
        return {**event, "review": None, "original": None}
    merged: JSON = {}
    for review in reviews:
        merged.update(json.loads(review["changes"]))
    latest = reviews[-1]
    original = {name: event.get(name) for name in merged}
    return {
        **event,
        **merged,
        "review": {
            "review_id": latest["review_id"],
            "reviewer": latest["reviewer"],
            "reviewed_at": _iso(latest["reviewed_at"]),
            "changes": merged,
            "not_an_event": bool(latest["not_an_event"]),
            "note": latest["note"],
            "reviews": len(reviews),
        },
        "original": original,
    }


def is_rejected(event: JSON) -> bool:
    review = event.get("review")
    return bool(review and review["not_an_event"])


def _actor_record(value: object, *, side: str, actors: ActorBase) -> JSON:
    """A reviewer's actor (a name, or an object with at least ``name``) as the contract's actor;
    names and ids the actor base knows are completed from it."""
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not value["name"].strip():
        raise QueryError(f"changes.{side}: each actor is a name or an object with a non-empty 'name'")
    fields = ("actor_id", "type", "country", "cameo_code")
    unknown = set(value) - {"name", "mention", *fields}
    if unknown:
        raise QueryError(f"changes.{side}: unknown actor field(s) {', '.join(sorted(unknown))}")
    for name in fields:
        if value.get(name) is not None and not isinstance(value[name], str):
            raise QueryError(f"changes.{side}: actor field {name!r} must be a string")
    entry = actors.get(value["actor_id"]) if value.get("actor_id") else actors.lookup(value["name"])
    out: JSON = {"name": value["name"].strip(), "mention": None}
    for name in fields:
        given = value.get(name)
        out[name] = given if given is not None else (getattr(entry, name) if entry else None)
    return out


def _date_record(value: object) -> JSON | None:
    if value is None:
        return None
    text = value.get("value") if isinstance(value, dict) else value
    match = _DATE.match(text) if isinstance(text, str) else None
    if match is None:
        raise QueryError(f"changes.date must be YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")
    year, month, day = match.groups()
    try:
        if day:
            first = last = date(int(year), int(month), int(day))
            precision = "day"
        elif month:
            first = date(int(year), int(month), 1)
            last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
            precision = "month"
        else:
            first, last, precision = date(int(year), 1, 1), date(int(year), 12, 31), "year"
    except ValueError:
        raise QueryError(f"changes.date {text!r} is not a real date") from None
    return {
        "value": text,
        "precision": precision,
        "start": first.isoformat(),
        "end": last.isoformat(),
        "text": None,
    }


def _location_record(value: object) -> JSON | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not value["name"].strip():
        raise QueryError("changes.location must be null, a place name or an object with a non-empty 'name'")
    out: JSON = {
        "name": value["name"].strip(),
        "country": None,
        "admin1": None,
        "lat": None,
        "lon": None,
        "geonameid": None,
        "feature": None,
        "precision": "unknown",
        "text": None,
    }
    unknown = set(value) - set(out)
    if unknown:
        raise QueryError(f"changes.location: unknown field(s) {', '.join(sorted(unknown))}")
    for name in ("country", "admin1", "feature", "text"):
        if value.get(name) is not None and not isinstance(value[name], str):
            raise QueryError(f"changes.location.{name} must be a string")
        out[name] = value.get(name)
    for name, bound in (("lat", 90), ("lon", 180)):
        number = value.get(name)
        if number is not None:
            if isinstance(number, bool) or not isinstance(number, int | float) or abs(number) > bound:
                raise QueryError(f"changes.location.{name} must be a number within ±{bound}")
            out[name] = float(number)
    if value.get("precision") is not None:
        if value["precision"] not in GEO_PRECISIONS:
            raise QueryError(f"changes.location.precision must be one of {', '.join(GEO_PRECISIONS)}")
        out["precision"] = value["precision"]
    return out


def _count_record(value: object) -> JSON | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = {"low": value, "best": value, "high": value}
    if not isinstance(value, dict) or set(value) - {"low", "best", "high", "text"}:
        raise QueryError("changes.fatalities must be null, a number or an object {low, best, high}")
    numbers: dict[str, int | None] = {}
    for name in ("low", "best", "high"):
        number = value.get(name)
        if number is not None and (isinstance(number, bool) or not isinstance(number, int) or number < 0):
            raise QueryError(f"changes.fatalities.{name} must be a whole number, 0 or more")
        numbers[name] = number
    given = [n for n in (numbers["low"], numbers["best"], numbers["high"]) if n is not None]
    if not given:
        raise QueryError("changes.fatalities needs at least one of low, best, high")
    if given != sorted(given):
        raise QueryError("changes.fatalities: low <= best <= high")
    text = value.get("text")
    return {**numbers, "text": text if isinstance(text, str) else "reviewed"}


def normalize_changes(changes: JSON, *, actors: ActorBase, ontology: Ontology) -> JSON:
    """A reviewer's changes checked and put in the contract's shapes. A new ``plover_type`` also
    sets the fields that follow from it (mode cleared; CAMEO code, Goldstein score and quad class
    from the ontology), so series and signals count the corrected event."""
    unknown = set(changes) - set(REVIEWABLE)
    if unknown:
        raise QueryError(
            f"changes: unknown field(s) {', '.join(sorted(unknown))}; reviewable: {', '.join(REVIEWABLE)}"
        )
    out: JSON = {}
    if "plover_type" in changes:
        kind = changes["plover_type"]
        if not isinstance(kind, str) or kind.upper() not in PLOVER_TYPES:
            raise QueryError(f"changes.plover_type {kind!r} is not one of {', '.join(PLOVER_TYPES)}")
        kind = kind.upper()
        code = ontology.default_cameo(kind)
        out.update(
            plover_type=kind,
            plover_mode=None,
            cameo_code=code,
            goldstein=ontology.goldstein(code),
            quad_class=ontology.quad_class(kind),
        )
    for side in ("source_actors", "target_actors"):
        if side in changes:
            value = changes[side]
            if not isinstance(value, list):
                raise QueryError(f"changes.{side} must be a list of actors")
            out[side] = [_actor_record(a, side=side, actors=actors) for a in value]
    if "modality" in changes:
        if changes["modality"] not in MODALITIES:
            raise QueryError(
                f"changes.modality {changes['modality']!r} is not one of {', '.join(MODALITIES)}"
            )
        out["modality"] = changes["modality"]
    if "location" in changes:
        out["location"] = _location_record(changes["location"])
    if "date" in changes:
        out["date"] = _date_record(changes["date"])
    if "fatalities" in changes:
        out["fatalities"] = _count_record(changes["fatalities"])
    return out


# --------------------------------------------------------------------------- evidence


def highlights(event: JSON, text: str) -> list[JSON]:
    """The spans of the article text to mark for an event: evidence, trigger, source and target
    actor mentions, and the date and place where their words occur in the evidence. Every span
    satisfies ``0 <= start < end <= len(text)``."""
    out: list[JSON] = []

    def add(kind: str, start: object, end: object) -> None:
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            out.append({"start": start, "end": end, "kind": kind})

    evidence = event["evidence"]
    add("evidence", evidence["start"], evidence["end"])
    add("trigger", event["trigger"]["start"], event["trigger"]["end"])
    for kind in ("source", "target"):
        for actor in event[f"{kind}_actors"]:
            mention = actor.get("mention")
            if mention:
                add(kind, mention["start"], mention["end"])
    for kind, record in (("date", event.get("date")), ("place", event.get("location"))):
        words = record and (record.get("text") or (record.get("name") if kind == "place" else None))
        if words:
            at = text.find(words, evidence["start"], evidence["end"])
            if at >= 0:
                add(kind, at, at + len(words))
    return out


# --------------------------------------------------------------------------- series


def event_day(event: JSON) -> date | None:
    """The day an event is filed under: its date's start, else its value padded, else published."""
    value: str | None = None
    record = event.get("date")
    if record:
        value = record.get("start")
        raw = record.get("value") or ""
        if value is None and re.match(r"^\d{4}(-\d{2})?(-\d{2})?$", raw):
            value = raw + "-01-01"[len(raw) - 4 :] if len(raw) < 10 else raw
    if value is None and event.get("published"):
        value = event["published"][:10]
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def period_start(day: date, by: str) -> date:
    """The first day of the day, ISO week (Monday) or month ``day`` falls in."""
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day


def _side(actors: Sequence[JSON]) -> str | None:
    if not actors:
        return None
    actor = actors[0]
    if actor.get("country") and (
        actor.get("type") in STATE_TYPES or actor.get("cameo_code") == actor["country"]
    ):
        return str(actor["country"])
    return str(actor["name"])


def dyad_of(event: JSON) -> str | None:
    """ "SOURCE->TARGET" from the first actor on each side: a state actor by its country code, any
    other actor by name; None when a side is missing."""
    source, target = _side(event["source_actors"]), _side(event["target_actors"])
    return f"{source}->{target}" if source and target else None


def group_key(event: JSON, group: str) -> str:
    if group == "plover_type":
        return str(event["plover_type"])
    if group == "quad_class":
        return "unknown" if event.get("quad_class") is None else str(event["quad_class"])
    if group == "country":
        location = event.get("location") or {}
        countries = [location.get("country")] + [
            a.get("country") for a in (*event["target_actors"], *event["source_actors"])
        ]
        return next((str(c) for c in countries if c), "unknown")
    if group == "dyad":
        return dyad_of(event) or "unknown"
    raise QueryError(f"unknown group {group!r}; valid: {', '.join(SERIES_GROUPS)}")


def check_series(by: str, group: str) -> None:
    if by not in SERIES_BY:
        raise QueryError(f"unknown period {by!r}; valid: {', '.join(SERIES_BY)}")
    if group not in SERIES_GROUPS:
        raise QueryError(f"unknown group {group!r}; valid: {', '.join(SERIES_GROUPS)}")


def series_cells_of(events: Sequence[JSON], *, by: str, group: str) -> dict[tuple[str, str], Cell]:
    """Events and Goldstein scores per (period, key) of ``events`` (``store.aggregates.series_cells``
    counts the same in SQL)."""
    from eventwatch.store.aggregates import Cell

    check_series(by, group)
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    cells: dict[tuple[str, str], Cell] = {}
    for event in events:
        day = event_day(event)
        if day is not None:
            key = (period_start(day, by).isoformat(), group_key(event, group))
            cell = cells.setdefault(key, Cell())
            cell.events += 1
            if event.get("goldstein") is not None:
                scores[key].append(float(event["goldstein"]))
    with localcontext() as exact:
        exact.prec = 80  # exact sums of doubles: a mean rounds as ``statistics.fmean`` did
        for key, known in scores.items():
            cells[key].scored = len(known)
            cells[key].goldstein = sum((Decimal(x) for x in known), Decimal(0))
    return cells


def series_from_cells(cells: dict[tuple[str, str], Cell]) -> list[JSON]:
    return [
        {
            "period": period,
            "key": key,
            "events": cell.events,
            "goldstein_mean": round(float(cell.goldstein) / cell.scored, 3) if cell.scored else None,
        }
        for (period, key), cell in sorted(cells.items())
    ]


def series_items(events: Sequence[JSON], *, by: str, group: str) -> list[JSON]:
    """Events and mean Goldstein score per (period, key); periods are their first day (YYYY-MM-DD)."""
    return series_from_cells(series_cells_of(events, by=by, group=group))


# --------------------------------------------------------------------------- signals


def robust_z(
    value: float, baseline: Sequence[float], *, mad_floor: float = 0.5
) -> tuple[float, float, float]:
    """(median, MAD, robust z) of ``value`` against ``baseline``.

    Event counts are heavy-tailed and bursty: one big day inflates a mean and a standard deviation
    so much that the next surge hides behind it, while the median and the median absolute deviation
    (MAD) ignore a few extreme days. 1.4826 * MAD estimates the standard deviation of normal data,
    so the score reads like an ordinary z-score. Sparse series have a MAD of 0 (most days are 0);
    the floor keeps one extra event on a quiet dyad from scoring infinity."""
    if not baseline:
        raise ValueError("robust_z needs a non-empty baseline")
    median = statistics.median(baseline)
    mad = statistics.median(abs(x - median) for x in baseline)
    return median, mad, (value - median) / (1.4826 * max(mad, mad_floor))


def surge_alerts(
    key: str,
    counts: Sequence[tuple[date, int]],
    *,
    covered_from: date,
    report_from: date,
    window: int = 14,
    min_baseline: int = 7,
    mad_floor: float = 0.5,
    threshold: float = 3.5,
    min_count: int = 2,
) -> list[JSON]:
    """Days from ``report_from`` on where the daily ``counts`` (consecutive days, zero-filled) break
    above their trailing ``window``-day baseline. Days before ``covered_from`` (when the database
    starts) are unknown, not zero: a day needs ``min_baseline`` known days before it. 3.5 is
    Iglewicz and Hoaglin's cut-off for outliers by the modified z-score."""
    alerts = []
    for i, (day, count) in enumerate(counts):
        if day < report_from or count < min_count:
            continue
        baseline = [c for d, c in counts[max(0, i - window) : i] if d >= covered_from]
        if len(baseline) < min_baseline:
            continue
        median, mad, z = robust_z(count, baseline, mad_floor=mad_floor)
        if z >= threshold:
            alerts.append(
                {
                    "key": key,
                    "day": day.isoformat(),
                    "count": count,
                    "baseline_median": median,
                    "mad": mad,
                    "robust_z": round(z, 3),
                    "method": "robust_z",
                }
            )
    return alerts


def view_order(event: JSON) -> tuple[str, str]:
    """Where the store's order puts an event (the order the desk's loops met events in): the
    machine's ``event_view.day`` (date start, else value padded, else published day; missing last),
    then the event id. A reviewed event keeps its machine date in ``original``."""
    original = event.get("original") or {}
    record = (original["date"] if "date" in original else event.get("date")) or {}
    value, start, published = record.get("value"), record.get("start"), event.get("published")
    if start is not None:
        day: str | None = start
    elif value is not None:
        day = value + "-01-01" if len(value) == 4 else value + "-01" if len(value) == 7 else value[:10]
    else:
        day = published[:10] if published is not None else None
    return (day if day is not None else "\uffff", event["event_id"])


def actor_tallies_of(events: Sequence[JSON]) -> dict[str, ActorTally]:
    """``store.aggregates.actor_tallies`` over ``events`` (dicts with corrections applied)."""
    from eventwatch.store.aggregates import ActorTally

    out: dict[str, ActorTally] = {}
    seen: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for event in events:
        day, event_id = view_order(event)
        for r, role in enumerate(("source", "target")):
            for p, actor in enumerate(event[f"{role}_actors"]):
                key = f"id:{actor['actor_id']}" if actor.get("actor_id") else f"name:{actor['name'].lower()}"
                order = (day, event_id, r, p)
                row = out.get(key)
                if row is None or order < row.first:
                    fields = {k: actor.get(k) for k in ("actor_id", "cameo_code", "country", "type")}
                    if row is None:
                        row = out[key] = ActorTally(
                            **fields, events=0, as_source=0, as_target=0, first=order, names={}
                        )
                    else:
                        row.actor_id, row.cameo_code = fields["actor_id"], fields["cameo_code"]
                        row.country, row.type, row.first = fields["country"], fields["type"], order
                uses, first = row.names.get(actor["name"], (0, order))
                row.names[actor["name"]] = (uses + 1, min(first, order))
                ids = seen.setdefault(key, (set(), set(), set()))
                ids[0].add(event_id)
                ids[1 + r].add(event_id)
    for key, (every, sources, targets) in seen.items():
        out[key].events, out[key].as_source, out[key].as_target = len(every), len(sources), len(targets)
    return out


def merge_actor_tallies(into: dict[str, ActorTally], more: dict[str, ActorTally]) -> dict[str, ActorTally]:
    """Tallies of two disjoint sets of events as one."""
    for key, row in more.items():
        mine = into.get(key)
        if mine is None:
            into[key] = row
            continue
        if row.first < mine.first:
            mine.actor_id, mine.cameo_code, mine.country, mine.type = (
                row.actor_id, row.cameo_code, row.country, row.type,
            )  # fmt: skip
            mine.first = row.first
        mine.events += row.events
        mine.as_source += row.as_source
        mine.as_target += row.as_target
        for name, (uses, first) in row.names.items():
            had, was = mine.names.get(name, (0, first))
            mine.names[name] = (had + uses, min(was, first))
    return into


def actor_items(
    tallies: dict[str, ActorTally], *, actors: ActorBase, q: str | None, limit: int
) -> list[JSON]:
    """Actors by number of events, with the actor base's name, aliases and memberships where the
    id is known (else the name used most, the first met on a tie); ``q`` matches a name, an alias or
    the id."""
    items: list[JSON] = []
    needle = q.lower().strip() if q else None
    for row in tallies.values():
        entry = actors.get(row.actor_id) if row.actor_id else None
        most_used = min(row.names.items(), key=lambda kv: (-kv[1][0], kv[1][1]))[0]
        name = entry.name if entry else most_used
        aliases = list(entry.aliases) if entry else []
        if needle and not (
            needle in name.lower()
            or any(needle in alias.lower() for alias in aliases)
            or needle == (row.actor_id or "").lower()
        ):
            continue
        items.append(
            {
                "name": name,
                "actor_id": row.actor_id,
                "cameo_code": row.cameo_code,
                "country": row.country,
                "type": row.type,
                "events": row.events,
                "as_source": row.as_source,
                "as_target": row.as_target,
                "aliases": aliases,
                "memberships": [_plain(m) for m in entry.memberships] if entry else [],
            }
        )
    items.sort(key=lambda a: (-int(a["events"]), str(a["name"]).lower()))
    return items[:limit]


def dyad_days_of(
    events: Sequence[JSON], *, start: date, anchor: date, scored_from: date
) -> dict[str, DyadDays]:
    """``store.aggregates.dyad_days`` over ``events`` (dicts with corrections applied)."""
    from eventwatch.store.aggregates import DyadDays

    out: dict[str, DyadDays] = {}
    for event in events:
        day = event_day(event)
        if day is None or day > anchor:
            continue
        order = view_order(event)
        for key in ("*", dyad_of(event)):
            if key is None:
                continue
            entry = out.get(key)
            if entry is None:
                entry = out[key] = DyadDays({}, {}, ("", "") if key == "*" else order)
            entry.first_seen = min(entry.first_seen, order)
            if day < start:
                continue
            entry.days[day] = entry.days.get(day, 0) + 1
            if key != "*" and event.get("goldstein") is not None and day >= scored_from:
                n, total = entry.scores.get(day, (0, 0.0))
                entry.scores[day] = (n + 1, total + float(event["goldstein"]))
    return out


def merge_dyad_days(into: dict[str, DyadDays], more: dict[str, DyadDays]) -> dict[str, DyadDays]:
    for key, entry in more.items():
        mine = into.get(key)
        if mine is None:
            into[key] = entry
            continue
        mine.first_seen = min(mine.first_seen, entry.first_seen)
        for day, n in entry.days.items():
            mine.days[day] = mine.days.get(day, 0) + n
        for day, (n, total) in entry.scores.items():
            m, t = mine.scores.get(day, (0, 0.0))
            mine.scores[day] = (m + n, t + total)
    return into


def signals_method(
    *,
    window: int = 14,
    min_baseline: int = 7,
    mad_floor: float = 0.5,
    threshold: float = 3.5,
    min_count: int = 2,
) -> str:
    return SIGNALS_METHOD.format(
        window=window,
        min_baseline=min_baseline,
        mad_floor=mad_floor,
        threshold=threshold,
        min_count=min_count,
    )


def signals_from_counts(
    counts: dict[str, DyadDays],
    *,
    days: int,
    anchor: date,
    covered_from: date,
    window: int = 14,
    min_baseline: int = 7,
    mad_floor: float = 0.5,
    threshold: float = 3.5,
    min_count: int = 2,
) -> JSON:
    """``signals_of`` from daily counts per dyad (and "*") over at least the ``days + window`` days
    up to ``anchor``."""
    first = anchor - timedelta(days=days - 1)
    dyads: list[JSON] = []
    for dyad, entry in counts.items():
        if dyad == "*":
            continue
        shown = sorted(d for d in entry.days if first <= d <= anchor)
        if not shown:
            continue
        source, target = dyad.split("->", 1)
        rows: list[JSON] = []
        for day in shown:
            n, total = entry.scores.get(day, (0, 0.0))
            rows.append(
                {
                    "day": day.isoformat(),
                    "events": entry.days[day],
                    "goldstein_sum": round(total, 3),
                    "conflict_cooperation": round(total / (10 * n), 3) if n else None,
                }
            )
        dyads.append({"source": source, "target": target, "days": rows})
    dyads.sort(key=lambda d: (-sum(r["events"] for r in d["days"]), d["source"], d["target"]))
    alerts: list[JSON] = []
    start = first - timedelta(days=window)
    span = [start + timedelta(days=i) for i in range((anchor - start).days + 1)]
    # The desk met the keys in this order; it breaks ties between alerts of the same day and score.
    for key, entry in sorted(counts.items(), key=lambda kv: kv[1].first_seen):
        per_day = entry.days
        if not any(n >= min_count and first <= d <= anchor for d, n in per_day.items()):
            continue  # no day it could be reported on has enough events
        alerts += surge_alerts(
            key,
            [(d, per_day.get(d, 0)) for d in span],
            covered_from=covered_from,
            report_from=first,
            window=window,
            min_baseline=min_baseline,
            mad_floor=mad_floor,
            threshold=threshold,
            min_count=min_count,
        )
    alerts.sort(key=lambda a: (a["day"], a["robust_z"]), reverse=True)
    method = signals_method(
        window=window,
        min_baseline=min_baseline,
        mad_floor=mad_floor,
        threshold=threshold,
        min_count=min_count,
    )
    return {"dyads": dyads, "alerts": alerts, "method": method}


def signals_of(
    events: Sequence[JSON],
    *,
    days: int = 30,
    anchor: date | None = None,
    covered_from: date | None = None,
    window: int = 14,
    min_baseline: int = 7,
    mad_floor: float = 0.5,
    threshold: float = 3.5,
    min_count: int = 2,
) -> JSON:
    """The conflict-cooperation index per dyad and day over the ``days`` days up to ``anchor``
    (default: the latest event's day; the data may be historical), and surge alerts on the daily
    counts per dyad and in all (key "*")."""
    if days < 1 or days > 3660:
        raise QueryError(f"days must be between 1 and 3660, not {days}")
    known = [d for e in events if (d := event_day(e)) is not None]
    options = {
        "window": window,
        "min_baseline": min_baseline,
        "mad_floor": mad_floor,
        "threshold": threshold,
        "min_count": min_count,
    }
    if not known:
        return {"dyads": [], "alerts": [], "method": signals_method(**options)}  # type: ignore[arg-type]
    anchor = anchor or max(known)
    covered_from = covered_from or min(known)
    first = anchor - timedelta(days=days - 1)
    counts = dyad_days_of(events, start=first - timedelta(days=window), anchor=anchor, scored_from=first)
    return signals_from_counts(
        counts,
        days=days,
        anchor=anchor,
        covered_from=covered_from,
        **options,  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------------- the desk


def _plain(value: Any) -> Any:
    return (
        dataclasses.asdict(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type)
        else value
    )


class Desk:
    """The desk's queries over one open store. The extractor is made on first ingest (spaCy loads
    in seconds), and ingests and reviews are serialised: one writer at a time."""

    def __init__(
        self,
        store: Store,
        *,
        extractor: Callable[[], Extractor] | None = None,
        actors: ActorBase | None = None,
        ontology: Ontology | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.store = store
        self.settings = settings or Settings(db_path=store.path)
        self._make_extractor = extractor
        self._extractor: Extractor | None = None
        self._actors = actors
        self._ontology = ontology
        self._write_lock = threading.Lock()
        # Results that depend on the whole database only (actor tallies, its first day): valid until
        # the desk writes (the only writer: DuckDB lets one process write a file, and it is us).
        self._whole_db: dict[str, tuple[int, Any]] = {}
        self._version = 0  # grows with every write; a cached result is valid for its version
        self._results: OrderedDict[tuple[Any, ...], tuple[int, JSON]] = OrderedDict()
        self._cache_lock = threading.Lock()

    @classmethod
    @contextmanager
    def open(cls, settings: Settings, *, read_only: bool = False) -> Iterator[Desk]:
        from eventwatch.store import Store

        with Store(settings.db_path, read_only=read_only) as store:
            yield cls(store, settings=settings)

    @property
    def actor_base(self) -> ActorBase:
        if self._actors is None:
            from eventwatch.resources.actors import default_actor_base

            self._actors = default_actor_base()
        return self._actors

    @property
    def ontology(self) -> Ontology:
        if self._ontology is None:
            from eventwatch.resources.ontology import default_ontology

            self._ontology = default_ontology()
        return self._ontology

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            if self._make_extractor is not None:
                self._extractor = self._make_extractor()
            else:
                from eventwatch.pipeline import Extractor

                self._extractor = Extractor(settings=self.settings)
        return self._extractor

    # -- reading events

    def _reviewed(self, rows: list[JSON]) -> list[JSON]:
        by_event: dict[str, list[JSON]] = defaultdict(list)
        for review in self.store.reviews([r["event_id"] for r in rows]):
            by_event[review["event_id"]].append(review)
        return [apply_reviews(r, by_event.get(r["event_id"], [])) for r in rows]

    def _all(self, flt: EventFilter) -> list[JSON]:
        """Every event that passes ``flt`` (no paging), reviewed, rejected ones dropped: the
        reference the SQL aggregates are checked against (slow on a large database)."""
        flt = dataclasses.replace(flt, limit=None, offset=0, include_rejected=False)
        return [e for e in self._reviewed(self.store.event_rows(flt)) if not is_rejected(e)]

    def _corrected(self, flt: EventFilter) -> list[JSON]:
        """The events that pass ``flt`` and have a review, corrected, rejected ones dropped: the
        part of an aggregate SQL leaves to Python."""
        from eventwatch.store import aggregates

        ids = aggregates.reviewed_ids(self.store, flt)
        if not ids:
            return []
        # Every reviewed event, corrected, is read once per database version and kept: a filter only
        # picks among them (its rows differ only where the store's fusion options differ).
        base = dataclasses.replace(
            flt, plover_type=None, actor=None, country=None, since=None, until=None, modality=None,
            text=None, include_rejected=True, limit=None, offset=0, descending=False,
        )  # fmt: skip

        def read() -> JSON:
            rows = self._reviewed(aggregates.reviewed_rows(self.store, base))
            return {e["event_id"]: e for e in rows}

        every = self._cached(("reviewed", base), read)
        return [every[i] for i in ids if i in every and not is_rejected(every[i])]

    @staticmethod
    def _whole(flt: EventFilter) -> EventFilter:
        return dataclasses.replace(flt, limit=None, offset=0, include_rejected=False)

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], JSON]) -> JSON:
        """``compute()``, kept for the next request with the same ``key`` until the desk writes: a
        count or a series over a million events takes a second, and every dashboard load asks the
        same first questions. The least recently used of ``CACHED_RESULTS`` results go first."""
        with self._cache_lock:
            hit = self._results.get(key)
            if hit is not None and hit[0] == self._version:
                self._results.move_to_end(key)
                return hit[1]
        version = self._version
        value = compute()
        with self._cache_lock:
            if version == self._version:
                self._results[key] = (version, value)
                self._results.move_to_end(key)
                while len(self._results) > CACHED_RESULTS:
                    self._results.popitem(last=False)
        return value

    def events(self, flt: EventFilter, *, limit: int = 50, cursor: str | None = None) -> JSON:
        """One page of events: ``items``, ``next_cursor`` (None on the last page) and ``total``."""
        offset = decode_cursor(cursor) if cursor else 0
        check_limit(limit)
        return self._cached(("events", flt, limit, offset), lambda: self._events(flt, limit, offset))

    def _events(self, flt: EventFilter, limit: int, offset: int) -> JSON:
        from eventwatch.store import aggregates

        page = dataclasses.replace(flt, limit=check_limit(limit), offset=offset)
        items = self._reviewed(aggregates.event_rows(self.store, page))
        total = aggregates.count_events(self.store, flt)
        more = offset + len(items) < total
        return {
            "items": items,
            "next_cursor": encode_cursor(offset + len(items)) if more else None,
            "total": total,
        }

    def _row(self, event_id: str) -> JSON | None:
        """``Store.event_row``, read through a view narrowed to the event."""
        from eventwatch.store import aggregates

        row = aggregates.event_row(self.store, event_id)
        return self._reviewed([row])[0] if row else None

    def event(self, event_id: str) -> JSON | None:
        return self._row(event_id)

    def event_detail(self, event_id: str) -> JSON | None:
        """The event, its article (with text) and the spans to mark in it."""
        event = self._row(event_id)
        if event is None:
            return None
        article = self.store.article(event["article_id"])
        if article is None:  # the schema's foreign key makes this unreachable
            return None
        return {
            "event": event,
            "article": {
                "article_id": article.article_id,
                "title": article.title,
                "source": article.source,
                "published": article.published,
                "url": article.url,
                "text": article.text,
            },
            "highlights": highlights(event, article.text),
        }

    def article(self, article_id: str) -> JSON | None:
        """An article with its events (reviewed, rejected ones flagged), mentions, quantities and
        relations."""
        from eventwatch.store import EventFilter, aggregates

        extraction = self.store.extraction(article_id)
        if extraction is None:
            return None
        record = to_record(extraction.article)
        record.pop("record", None)
        return {
            "article": record,
            "events": self._reviewed(aggregates.event_rows(self.store, EventFilter(article_id=article_id))),
            "mentions": [to_record(m) for m in extraction.mentions],
            "quantities": [to_record(q) for q in extraction.quantities],
            "relations": [to_record(r) for r in extraction.relations],
            "errors": list(extraction.errors),
        }

    # -- aggregates: SQL counts the events without a review, Python the few with one

    def actors(self, *, q: str | None = None, limit: int = 100) -> JSON:
        """Actors by number of events (corrections counted), with the actor base's aliases and
        memberships where the actor id is known; ``q`` matches a name, an alias or the id."""
        from eventwatch.store import EventFilter, aggregates

        check_limit(limit)
        version, tallies = self._whole_db.get("actors", (-1, None))
        if tallies is None or version != self._version:
            version, flt = self._version, self._whole(EventFilter())
            tallies = merge_actor_tallies(
                aggregates.actor_tallies(self.store, flt), actor_tallies_of(self._corrected(flt))
            )
            self._whole_db["actors"] = (version, tallies)
        return {"items": actor_items(tallies, actors=self.actor_base, q=q, limit=limit)}

    def series(self, flt: EventFilter, *, by: str = "day", group: str = "plover_type") -> JSON:
        check_series(by, group)
        return self._cached(("series", flt, by, group), lambda: self._series(flt, by, group))

    def _series(self, flt: EventFilter, by: str, group: str) -> JSON:
        from eventwatch.store import aggregates

        flt = self._whole(flt)
        cells = aggregates.series_cells(self.store, flt, by=by, group=group)
        for key, cell in series_cells_of(self._corrected(flt), by=by, group=group).items():
            mine = cells.setdefault(key, type(cell)())
            mine.events += cell.events
            mine.scored += cell.scored
            with localcontext() as exact:
                exact.prec = 80
                mine.goldstein += cell.goldstein
        return {"by": by, "group": group, "items": series_from_cells(cells)}

    def signals(self, flt: EventFilter, *, days: int = 30, top: int | None = None) -> JSON:
        """The conflict-cooperation index and surge alerts (``signals_of``); ``top`` keeps the dyads
        with the most events only (a million events have tens of thousands of dyads: megabytes)."""
        if days < 1 or days > 3660:
            raise QueryError(f"days must be between 1 and 3660, not {days}")
        if top is not None and top < 1:
            raise QueryError(f"top must be 1 or more, not {top}")
        result = self._cached(("signals", flt, days), lambda: self._signals(flt, days))
        return result if top is None else {**result, "dyads": result["dyads"][:top]}

    def _signals(self, flt: EventFilter, days: int) -> JSON:
        from eventwatch.store import EventFilter, aggregates

        flt = self._whole(flt)
        corrected = self._corrected(flt)
        known = [d for e in corrected if (d := event_day(e)) is not None]
        low, high = aggregates.day_bounds(self.store, flt)
        known += [d for d in (low, high) if d is not None]
        if not known:
            return {"dyads": [], "alerts": [], "method": signals_method()}
        anchor = max(known)
        version, covered_from = self._whole_db.get("first_day", (-1, None))
        if covered_from is None or version != self._version:
            version, every = self._version, self._whole(EventFilter())
            first_days = [d for e in self._corrected(every) if (d := event_day(e)) is not None]
            first_days += [d for d in aggregates.day_bounds(self.store, every)[:1] if d is not None]
            covered_from = min(first_days or known)
            self._whole_db["first_day"] = (version, covered_from)
        first = anchor - timedelta(days=days - 1)
        start = first - timedelta(days=14)
        counts = merge_dyad_days(
            aggregates.dyad_days(self.store, flt, start=start, anchor=anchor, scored_from=first),
            dyad_days_of(corrected, start=start, anchor=anchor, scored_from=first),
        )
        return signals_from_counts(counts, days=days, anchor=anchor, covered_from=covered_from)

    def quantities(
        self,
        *,
        what: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> JSON:
        """Reported counts (``what`` a case-insensitive part of the counted noun), in period order,
        with their article's source and published date; ``since``/``until`` (YYYY-MM-DD) bound the
        day a count is plotted on (period end, else start, else published), ``limit`` keeps the
        latest ones (a database of a million events reports tens of thousands)."""
        from eventwatch.store import aggregates

        for name, value in (("since", since), ("until", until)):
            if value is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is None:
                raise QueryError(f"{name}={value!r} is not a date in the form YYYY-MM-DD")
        if limit is not None and limit < 1:
            raise QueryError(f"limit must be 1 or more, not {limit}")

        def compute() -> JSON:
            pairs: list[tuple[Any, ArticleInfo]] = aggregates.quantities(
                self.store, what=what, since=since, until=until, limit=limit
            )
            return {
                "items": [
                    {**to_record(quantity), "source": info.source, "published": info.published}
                    for quantity, info in pairs
                ]
            }

        return self._cached(("quantities", what, since, until, limit), compute)

    def export(self, fmt: str, out: Path | IO[str] | IO[bytes], *, flt: EventFilter) -> int:
        """The filtered events, rejected ones left out, in one of ``store.EXPORT_FORMATS`` (the
        machine's values: the export formats have no place for a reviewer's correction)."""
        from eventwatch.store.export import export

        return export(self.store, fmt, out, flt=dataclasses.replace(flt, include_rejected=False))

    # -- writing

    def ingest(self, payload: object, *, where: str = "request body") -> JSON:
        """Ingest one article object or a list of them (the input contract); every item is checked
        before anything is extracted or stored. Articles already stored (same content hash or same
        id) are skipped. Returns the counts and the new events."""
        from eventwatch.io.readers import _record_article
        from eventwatch.store import EventFilter

        items = payload if isinstance(payload, list) else [payload]
        if not items:
            raise QueryError(f"{where}: no article given")
        if len(items) > MAX_ARTICLES_PER_POST:
            raise QueryError(
                f"{where}: at most {MAX_ARTICLES_PER_POST} articles per request, got {len(items)}"
            )
        articles: list[Article] = []
        for i, item in enumerate(items):
            parsed = _record_article(item, where=where, label=f"item {i}")
            if isinstance(parsed, RecordError):
                raise parsed
            articles.append(parsed)
        with self._write_lock:
            pending: list[Article] = []
            seen: set[str] = set()
            for article in articles:
                keys = {article.content_hash, "id:" + article.article_id}
                if keys & seen or self.store.has_article(article.content_hash):
                    continue
                if self.store.article(article.article_id) is not None:
                    continue
                seen |= keys
                pending.append(article)
            if pending:
                self.store.write(list(self.extractor.extract(pending)))
                self._version += 1
        events: list[JSON] = []
        for article in pending:
            events += self._reviewed(self.store.event_rows(EventFilter(article_id=article.article_id)))
        return {
            "articles_added": len(pending),
            "articles_skipped": len(articles) - len(pending),
            "events": events,
        }

    def review(
        self,
        event_id: str,
        *,
        reviewer: str,
        changes: JSON,
        not_an_event: bool = False,
        note: str | None = None,
    ) -> JSON | None:
        """Record a reviewer's correction and return the corrected event (None: no such event)."""
        if not reviewer.strip():
            raise QueryError("reviewer must name who reviews")
        normalized = normalize_changes(changes, actors=self.actor_base, ontology=self.ontology)
        with self._write_lock:
            if not self.store.has_event(event_id):
                return None
            self.store.add_review(
                event_id,
                reviewer=reviewer.strip(),
                changes=json.dumps(normalized, ensure_ascii=False),
                not_an_event=not_an_event,
                note=note,
            )
            self._version += 1
        return self.event(event_id)
