"""Event fusion: which reports, from different articles, tell of the same real event, and what
the event is once they are merged. Pure functions, no I/O; ``store/fusion.py`` runs them at write
time.

``same_event(a, b)`` says two reports may be one event:
- type family: the same PLOVER type, or the same ACLED event type;
- the same kind of modality: what happened (occurred/ongoing), a threat, an intention or plan, a
  hypothesis, a denial are different things even about the same act;
- dates: the periods they can mean overlap (a day inside a week). A report whose date spans more than
  ``coarse_days`` (a month, a year) fuses only with reports as coarse: were "strikes in November"
  allowed to join every day's strike, one summary sentence would chain a month of strikes into one
  event. An undated report means the day of publication or the day before;
- places: the same place (geonameid or name), two points within ``radius_km``, or a region that
  contains the other place (same admin1, same country); different countries never fuse;
- actors: on each side, an overlapping actor (id; CAMEO code, where one may contain the other, as
  ISR contains ISRMIL; name, or country where one of the two is not resolved to an id), or one side
  unknown or only vague (an actor with neither id nor country: "people", "gunmen"); in battles the
  sides may be given either way round;
- and a positive anchor: a place that matches, or (where a report has no place) the same actor
  resolved to an id on both sides, or the same actor name with the same ACLED sub-event type;
  actors alike only by country ("soldiers" of one country) anchor nothing. Coarse reports need
  more: the same region or point, and actors that match. On a realistic stream (bench/ingest.py)
  looser rules chained hundreds of reports into one event.

``cluster(reports)`` groups reports deterministically, whatever order they come in, from the most
specific place to the least: reports with a point place are linked into connected components; then
the linked groups of reports with a region (admin1), then with a country, then with no place, each
join the one event formed so far that all their links to more specific reports lead to, and stay
apart when those links lead to several: "an Israeli strike in Lebanon" cannot chain the strikes on
Tyre and on Baalbek into one event.
Reports of the same article are never linked to each other directly.

``fuse(reports)`` gives the ``FusedEvent``: the lead report is the earliest published (event id
breaks ties); fatalities and injured take the lowest figure as low, the highest as high and, as
ACLED does with conflicting reports, the most conservative (lowest) best figure as best.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from eventwatch.model import (
    ActorRef,
    Count,
    DateValue,
    Disagreement,
    Event,
    FusedEvent,
    Place,
    Reading,
)

COARSE_DAYS = 7
RADIUS_KM = 25.0
_MODALITY_CLASS = {
    "occurred": "happened",
    "ongoing": "happened",
    "threatened": "threatened",
    "intended": "intended",
    "planned": "intended",
    "hypothetical": "hypothetical",
    "denied": "denied",
}
_WEEK = re.compile(r"^(\d{4})-W(\d{2})")
_POINT = frozenset({"exact", "city"})


@dataclass(frozen=True, slots=True)
class Report:
    """One stored event with what fusion needs of its article."""

    event: Event
    published: str | None = None  # the article's published date (YYYY-MM-DD or ISO datetime)
    source: str | None = None  # the article's outlet


def modality_class(modality: str) -> str:
    return _MODALITY_CLASS.get(modality, modality)


def _day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def date_interval(value: DateValue | None) -> tuple[date, date] | None:
    """The first and last day a date can mean, or None where it is not bounded."""
    if value is None:
        return None
    start, end = _day(value.start), _day(value.end)
    if start and end and start <= end:
        return start, end
    text = value.value or ""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text)
            return day, day
        if re.fullmatch(r"\d{4}-\d{2}", text):
            first = date.fromisoformat(text + "-01")
            last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            return first, last
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 1, 1), date(int(text), 12, 31)
        week = _WEEK.match(text)
        if week:
            monday = date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
            return monday, monday + timedelta(days=6)
    except ValueError:
        return None
    return None


def report_interval(report: Report) -> tuple[date, date] | None:
    """The days a report's event can have happened on: its date's period, else (undated) the day
    of publication or the day before."""
    found = date_interval(report.event.date)
    if found is not None:
        return found
    published = _day(report.published)
    if published is None:
        return None
    return published - timedelta(days=1), published


def is_coarse(interval: tuple[date, date] | None, *, coarse_days: int = COARSE_DAYS) -> bool:
    return interval is None or (interval[1] - interval[0]).days + 1 > coarse_days


def _norm(text: str | None) -> str:
    return re.sub(r"\W+", " ", (text or "").casefold()).strip()


def _km(a: Place, b: Place) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def place_rank(place: Place | None) -> int:
    """How specific a place is: 3 a point (city, exact), 2 a region (admin1), 1 a country, 0 none."""
    if place is None:
        return 0
    if place.precision in _POINT:
        return 3
    if place.precision == "admin1":
        return 2
    return 1 if place.country or place.name else 0


def place_relation(a: Place | None, b: Place | None, *, radius_km: float = RADIUS_KM) -> str:
    """How two places relate: "same" (one place, or one contains the other), "unknown" (nothing
    says either way) or "different"."""
    if a is None or b is None:
        return "unknown"
    if a.country and b.country and a.country.upper() != b.country.upper():
        return "different"
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return "same"
    if _norm(a.name) and _norm(a.name) == _norm(b.name):
        return "same"
    ra, rb = place_rank(a), place_rank(b)
    if ra == 3 and rb == 3:
        km = _km(a, b)
        return "same" if km is not None and km <= radius_km else "different"
    coarse, fine = (a, b) if ra <= rb else (b, a)
    if place_rank(coarse) == 2:
        region = {_norm(coarse.admin1), _norm(coarse.name)} - {""}
        if _norm(fine.admin1) in region or (place_rank(fine) == 2 and _norm(fine.name) in region):
            return "same"
        if place_rank(fine) == 2 or fine.admin1:
            return "different"  # another region, or a place in another region
        return "unknown"
    if coarse.country and fine.country:
        return "same"  # a country contains every place in it
    return "unknown"


def _actor_match(x: ActorRef, y: ActorRef, *, strict: bool = False) -> bool:
    """The same actor, or one that contains the other by CAMEO code (ISR and ISRMIL: Israel and
    its army), or, where one is not resolved to an id, the same name or country. ``strict``: only
    actors resolved to ids on both sides count ("soldiers" of one country on both sides do not)."""
    if strict and not (x.actor_id and y.actor_id):
        return False
    cx, cy = (x.cameo_code or "").upper(), (y.cameo_code or "").upper()
    if len(cx) >= 3 and len(cy) >= 3 and (cx.startswith(cy) or cy.startswith(cx)):
        return True
    if x.actor_id and y.actor_id:
        return x.actor_id.upper() == y.actor_id.upper()
    if _norm(x.name) and _norm(x.name) == _norm(y.name):
        return True
    return bool(x.country and y.country and x.country.upper() == y.country.upper())


def _vague(actor: ActorRef) -> bool:
    """An actor named but not placed ("people", "gunmen"): it neither matches nor contradicts."""
    return not actor.actor_id and not actor.country


def side_relation(a: Sequence[ActorRef], b: Sequence[ActorRef]) -> str:
    """How one side of two events relates: "same" (resolved actors overlap), "alike" (only by
    name or country), "unknown" (a side is empty or only vague) or "different"."""
    if not a or not b:
        return "unknown"
    if any(_actor_match(x, y, strict=True) for x in a for y in b):
        return "same"
    if any(_norm(x.name) and _norm(x.name) == _norm(y.name) for x in a for y in b):
        return "named"
    if any(_actor_match(x, y) for x in a for y in b):
        return "alike"
    if all(_vague(x) for x in a) or all(_vague(y) for y in b):
        return "unknown"
    return "different"


def _actors(a: Event, b: Event) -> str:
    """How the actors of two events relate, both sides together (battles either way round)."""
    rank = {"different": 0, "unknown": 1, "alike": 2, "named": 3, "same": 4}
    best = "different"
    orders = [(b.source_actors, b.target_actors)]
    if a.acled_event_type == "Battles" and b.acled_event_type == "Battles":
        orders.append((b.target_actors, b.source_actors))
    for source, target in orders:
        sides = (side_relation(a.source_actors, source), side_relation(a.target_actors, target))
        if "different" in sides:
            continue
        found = max(sides, key=rank.__getitem__)
        if rank[found] > rank[best]:
            best = found
    return best


def same_type(a: Event, b: Event) -> bool:
    if modality_class(a.modality) != modality_class(b.modality):
        return False
    return a.plover_type == b.plover_type or bool(
        a.acled_event_type and a.acled_event_type == b.acled_event_type
    )


def same_event(a: Report, b: Report, *, coarse_days: int = COARSE_DAYS, radius_km: float = RADIUS_KM) -> bool:
    """Whether two reports may tell of one real event (the rules are in the module docstring)."""
    ea, eb = a.event, b.event
    if not same_type(ea, eb):
        return False
    ia, ib = report_interval(a), report_interval(b)
    if ia is None or ib is None or ia[0] > ib[1] or ib[0] > ia[1]:
        return False
    if is_coarse(ia, coarse_days=coarse_days) != is_coarse(ib, coarse_days=coarse_days):
        return False
    place = place_relation(ea.location, eb.location, radius_km=radius_km)
    if place == "different":
        return False
    actors = _actors(ea, eb)
    if actors == "different":
        return False
    if is_coarse(ia, coarse_days=coarse_days):
        # "strikes in November": only the same place and the same actors make two such one event,
        # else loose reports chain a month of strikes together
        specific = min(place_rank(ea.location), place_rank(eb.location)) >= 2
        return place == "same" and specific and actors != "unknown"
    # the same place, or (where a report has no place) the same resolved actor, or the same named
    # actor doing the same kind of act ("female suicide bombers", a suicide bombing, that day);
    # two reports alike only by country ("soldiers" of Nigeria) on one day are not enough
    same_kind = bool(ea.acled_sub_event_type) and ea.acled_sub_event_type == eb.acled_sub_event_type
    return place == "same" or actors == "same" or (actors == "named" and same_kind)


class _Sets:
    """Union-find over strings; the smallest member names a set, so results never depend on order."""

    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {i: i for i in items}

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def cluster(
    reports: Sequence[Report],
    edges: Iterable[tuple[str, str]] | None = None,
    *,
    coarse_days: int = COARSE_DAYS,
    radius_km: float = RADIUS_KM,
) -> list[list[str]]:
    """Group reports into events (lists of event ids, sorted), as the module docstring says.
    ``edges`` are the pairs ``same_event`` holds for (computed here when not given); the same set of
    reports gives the same groups in any order."""
    by_id = {r.event.event_id: r for r in reports}
    if edges is None:
        ordered = sorted(by_id)
        edges = [
            (x, y)
            for i, x in enumerate(ordered)
            for y in ordered[i + 1 :]
            if by_id[x].event.article_id != by_id[y].event.article_id
            and same_event(by_id[x], by_id[y], coarse_days=coarse_days, radius_km=radius_km)
        ]
    tier = {i: place_rank(r.event.location) for i, r in by_id.items()}
    links: dict[str, set[str]] = defaultdict(set)
    for x, y in edges:
        if x in by_id and y in by_id:
            links[x].add(y)
            links[y].add(x)
    sets = _Sets(by_id)
    for level in (3, 2, 1, 0):  # points first, then regions, countries, no place
        local = _Sets(i for i in by_id if tier[i] == level)
        for x in local.parent:
            for y in links[x]:
                if tier[y] == level:
                    local.union(x, y)
        groups: dict[str, list[str]] = defaultdict(list)
        for x in sorted(local.parent):
            groups[local.find(x)].append(x)
        for group in groups.values():
            # The events already formed (of more specific reports) that this group's links lead to.
            roots = {sets.find(y) for x in group for y in links[x] if tier[y] > level}
            for x in group[1:]:
                sets.union(group[0], x)
            if len(roots) == 1:
                sets.union(group[0], roots.pop())
    out: dict[str, list[str]] = defaultdict(list)
    for i in sorted(by_id):
        out[sets.find(i)].append(i)
    return sorted(out.values())


def lead_key(report: Report) -> tuple[str, str]:
    """The lead report of a fused event is the earliest published; the event id breaks ties."""
    return (report.published or "\uffff", report.event.event_id)


def _figure(count: Count | None) -> int | None:
    if count is None:
        return None
    for value in (count.best, count.low, count.high):
        if value is not None:
            return value
    return None


def fuse_counts(counts: Sequence[Count | None]) -> Count | None:
    """Low = the lowest figure any report allows, high = the highest, best = the most conservative
    best figure (ACLED's rule for conflicting reports); None when no report gives a count."""
    given = [c for c in counts if c is not None]
    if not given:
        return None
    if len({(c.low, c.best, c.high) for c in given}) == 1:
        return (
            given[0]
            if len({c.text for c in given}) == 1
            else Count(
                given[0].low, given[0].best, given[0].high, " | ".join(dict.fromkeys(c.text for c in given))
            )
        )
    lows = [v for c in given if (v := c.low if c.low is not None else _figure(c)) is not None]
    highs = [v for c in given if (v := c.high if c.high is not None else _figure(c)) is not None]
    bests = [v for c in given if (v := c.best if c.best is not None else c.low) is not None]
    return Count(
        low=min(lows) if lows else None,
        best=min(bests) if bests else None,
        high=max(highs) if highs else None,
        text=" | ".join(dict.fromkeys(c.text for c in given)),
    )


def _place_text(place: Place | None) -> str | None:
    return None if place is None else place.name


def _date_text(value: DateValue | None) -> str | None:
    return None if value is None else value.value


def _actors_text(actors: Sequence[ActorRef]) -> str | None:
    """The side as its actors' ids, else their names folded: "Female bombers" and "female bombers"
    (or "Hamas" and "the Islamic Resistance Movement", both HAMAS) are one reading, not a dispute."""
    return "; ".join(sorted({a.actor_id or " ".join(a.name.casefold().split()) for a in actors})) or None


def disagreements(reports: Sequence[Report]) -> tuple[Disagreement, ...]:
    """The fields on which reports differ, each with every value given and the articles giving it."""
    fields: dict[str, Callable[[Event], object]] = {
        "fatalities": lambda e: _figure(e.fatalities),
        "injured": lambda e: _figure(e.injured),
        "date": lambda e: _date_text(e.date),
        "location": lambda e: _place_text(e.location),
        "plover_mode": lambda e: e.plover_mode,
        "acled_sub_event_type": lambda e: e.acled_sub_event_type,
        "source_actors": lambda e: _actors_text(e.source_actors),
        "target_actors": lambda e: _actors_text(e.target_actors),
    }
    out = []
    for name, get in fields.items():
        seen: dict[str, set[str]] = defaultdict(set)
        for report in reports:
            value = get(report.event)
            if value is not None:
                seen[str(value)].add(report.event.article_id)
        if len(seen) > 1:
            readings = tuple(Reading(value, tuple(sorted(ids))) for value, ids in sorted(seen.items()))
            out.append(Disagreement(name, readings))
    return tuple(out)


def fuse(reports: Sequence[Report], *, copies: Sequence[tuple[str, str | None]] = ()) -> FusedEvent:
    """One fused event from its reports; ``copies`` are the (article_id, outlet) of near-duplicate
    copies of the reports' articles: they count as articles, not as independent sources."""
    if not reports:
        raise ValueError("fuse() needs at least one report")
    ordered = sorted(reports, key=lead_key)
    lead = ordered[0]
    articles: dict[str, str | None] = {}
    for report in ordered:
        articles.setdefault(report.event.article_id, report.source)
    independent = {(s.casefold() if s else f"\x00{a}") for a, s in articles.items()}
    copy_ids = tuple(sorted({a for a, _ in copies} - set(articles)))
    copy_sources = [s for a, s in sorted(copies) if s and a in copy_ids]
    sources = tuple(dict.fromkeys([s for s in articles.values() if s] + copy_sources))
    intervals = [i for r in ordered if (i := report_interval(r)) is not None]
    return FusedEvent(
        fused_id=lead.event.event_id,
        lead=lead.event,
        event_ids=tuple(sorted(r.event.event_id for r in ordered)),
        article_ids=tuple(articles),
        duplicate_ids=copy_ids,
        sources=sources,
        n_sources=len(independent),
        fatalities=fuse_counts([r.event.fatalities for r in ordered]),
        injured=fuse_counts([r.event.injured for r in ordered]),
        date_start=min(i[0] for i in intervals).isoformat() if intervals else None,
        date_end=max(i[1] for i in intervals).isoformat() if intervals else None,
        disagreements=disagreements(ordered),
    )
