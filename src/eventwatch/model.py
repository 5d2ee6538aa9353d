"""The typed records that flow between stages (the interchange contract, DESIGN.md section 2).

Every record is a frozen dataclass; spans are character offsets into ``Article.text``, so no
spaCy object ever leaves the NLP stage and every record pickles, stores and serialises cleanly.
``to_record()`` gives the JSON shape of the contract; ``from_record()`` reads it back.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, get_args

Precision = Literal["day", "week", "month", "year", "unknown"]
GeoPrecision = Literal["exact", "city", "admin1", "country", "unknown"]
Modality = Literal["occurred", "ongoing", "threatened", "intended", "hypothetical", "denied", "planned"]
AttributionKind = Literal["author", "named", "anonymous", "media", "organization"]
Bound = Literal["exact", "at_least", "at_most", "about"]
RelationType = Literal["member_of", "allied_with", "supports", "opposes", "mediates", "leads"]
MentionForm = Literal["name", "nominal", "pronoun"]

MODALITIES: tuple[str, ...] = get_args(Modality)
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE",
    "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN",
    "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the article text: ``text == article.text[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor as it takes part in an event or relation, resolved where the actor base knows it."""

    name: str
    actor_id: str | None = None
    type: str | None = None
    country: str | None = None  # ISO 3166 alpha-3, or an IGO code
    cameo_code: str | None = None
    mention: Span | None = None


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None  # e.g. "country", "PPLC", "ADM1", "curated"
    precision: GeoPrecision = "unknown"
    text: str | None = None


@dataclass(frozen=True, slots=True)
class DateValue:
    """A normalised date. ``value`` follows TimeML: YYYY, YYYY-MM or YYYY-MM-DD as ``precision``
    says, an ISO week (2024-W48, 2024-W47-WE) with precision week, a quarter, half or season
    (1998-Q3, 1990-H1, 1998-SU) with precision month, a decade or century (199, 19) with
    precision year, or PRESENT_REF / PAST_REF / FUTURE_REF with precision unknown. ``start`` and
    ``end`` (inclusive, YYYY-MM-DD) bound the period it can mean, where it is bounded."""

    value: str | None
    precision: Precision
    start: str | None = None
    end: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Count:
    """A reported count of people (killed, injured): vague words follow DESIGN.md section 3."""

    low: int | None
    best: int | None
    high: int | None
    text: str


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    actor_id: str | None = None


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who says so: the author unless a speaker, a source or a report is named."""

    kind: AttributionKind = "author"
    speaker: Speaker | None = None
    via: str | None = None
    hedged: bool = False
    cues: tuple[str, ...] = ()


AUTHOR = Attribution()


@dataclass(frozen=True, slots=True)
class Article:
    article_id: str
    text: str
    published: str | None = None  # YYYY-MM-DD or ISO 8601 datetime
    source: str | None = None
    title: str | None = None
    url: str | None = None
    language: str | None = None
    n_sentences: int = 0
    errors: tuple[str, ...] = ()
    origin: str | None = None  # file, URL or record the reader took it from

    @property
    def content_hash(self) -> str:
        """Hash of what makes the article the same article: its text, date and source."""
        key = "\x1f".join([self.text, self.published or "", self.source or ""])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Mention:
    article_id: str
    mention_id: str
    kind: str  # PERSON, ORG, GPE, LOC, FAC, NORP, DATE, QUANTITY, WEAPON, ...
    text: str
    start: int
    end: int
    sentence: int
    actor: ActorRef | None = None
    place: Place | None = None
    date: DateValue | None = None
    # how the mention refers: by a name (and every date or number), a common noun ("the group",
    # "civilians") or a pronoun; ``refers_to`` is the mention_id of the mention it was resolved
    # to (the named one where there is one; its actor is carried over), None where unresolved
    # (extension of DESIGN.md section 2, extract/coref.py)
    form: MentionForm = "name"
    refers_to: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    event_id: str
    article_id: str
    sentence: int
    evidence: Span
    trigger: Span
    plover_type: str
    plover_mode: str | None
    cameo_code: str | None
    goldstein: float | None
    quad_class: int | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    modality: Modality
    source_actors: tuple[ActorRef, ...] = ()
    target_actors: tuple[ActorRef, ...] = ()
    date: DateValue | None = None
    location: Place | None = None
    fatalities: Count | None = None
    injured: Count | None = None
    attribution: Attribution = AUTHOR
    confidence: float = 0.5


@dataclass(frozen=True, slots=True)
class Period:
    start: str | None
    end: str | None
    precision: Precision = "unknown"


@dataclass(frozen=True, slots=True)
class Quantity:
    article_id: str
    quantity_id: str
    what: str
    value: float | int
    bound: Bound
    unit: str | None
    period: Period | None
    evidence: Span
    sentence: int
    origin: ActorRef | None = None
    target: ActorRef | None = None
    attribution: Attribution = AUTHOR


@dataclass(frozen=True, slots=True)
class Relation:
    article_id: str
    relation_id: str
    type: RelationType
    subject: ActorRef
    object: ActorRef
    evidence: Span
    sentence: int
    attribution: Attribution = AUTHOR


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article: what `extract` writes and `ingest` stores."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    relations: tuple[Relation, ...] = ()
    errors: tuple[str, ...] = field(default=())

    def records(self) -> list[dict[str, Any]]:
        """The JSONL records of the contract, in the contract's order."""
        out = [to_record(self.article)]
        for group in (self.mentions, self.events, self.quantities, self.relations):
            out.extend(to_record(item) for item in group)
        return out


@dataclass(frozen=True, slots=True)
class Reading:
    """One value a field takes in some of the reports of a fused event, and which articles give it."""

    value: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A field on which the reports of one fused event differ: every value given, and by whom."""

    field: str  # fatalities, injured, date, location, plover_mode, acled_sub_event_type, ...
    readings: tuple[Reading, ...]


@dataclass(frozen=True, slots=True)
class FusedEvent:
    """One real event as several articles report it (``eventwatch.fusion``). ``fused_id`` is the
    event id of the lead report, whose fields stand for the event; ``fatalities``/``injured`` are
    the figures across reports (low = lowest, high = highest, best = the most conservative, as
    ACLED does). ``article_ids`` are the independent articles whose reports were fused,
    ``duplicate_ids`` their near-duplicate copies (stored, never coded); ``sources`` lists the
    outlets of both, ``n_sources`` counts the distinct outlets of the independent ones only."""

    fused_id: str
    lead: Event
    event_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    duplicate_ids: tuple[str, ...]
    sources: tuple[str, ...]
    n_sources: int
    fatalities: Count | None
    injured: Count | None
    date_start: str | None  # the earliest day any report allows
    date_end: str | None  # the latest day any report allows
    disagreements: tuple[Disagreement, ...] = ()

    @property
    def n_reports(self) -> int:
        return len(self.event_ids)

    @property
    def n_articles(self) -> int:
        """Every article that reports it, syndicated copies included."""
        return len(self.article_ids) + len(self.duplicate_ids)


RECORD_KINDS: dict[type, str] = {
    Article: "article",
    Mention: "mention",
    Event: "event",
    Quantity: "quantity",
    Relation: "relation",
}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def to_record(item: Article | Mention | Event | Quantity | Relation) -> dict[str, Any]:
    """The contract's JSON object for one record, ``record`` first."""
    body = _plain(item)
    if isinstance(item, Article):
        body.pop("origin", None)
        body["content_hash"] = item.content_hash
    return {"record": RECORD_KINDS[type(item)], **body}


T = TypeVar("T")


def from_plain(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a record (and its nested records) from its plain JSON shape."""
    import typing

    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            continue
        kwargs[f.name] = _coerce(hints[f.name], data[f.name])
    return cls(**kwargs)


def _coerce(hint: Any, value: Any) -> Any:
    import types
    import typing

    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(hint):
            if arg is type(None):
                continue
            return _coerce(arg, value)
    if origin is tuple:
        (item_hint, *_rest) = typing.get_args(hint)
        return tuple(_coerce(item_hint, v) for v in value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return from_plain(hint, value)
    return value


def from_record(data: dict[str, Any]) -> Article | Mention | Event | Quantity | Relation:
    kinds = {v: k for k, v in RECORD_KINDS.items()}
    cls = kinds[data["record"]]
    body = {k: v for k, v in data.items() if k not in ("record", "content_hash")}
    return from_plain(cls, body)


def stable_id(*parts: object, length: int = 16) -> str:
    """A short id that depends only on its parts: same input, same id, on any machine."""
    key = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:length]
