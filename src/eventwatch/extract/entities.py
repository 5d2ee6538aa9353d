"""Entity repair: the small English model's NER mislabels names of the region and of local news
(it tags the city "Wad Madani" as PERSON, the surname "Dagalo" as LOC, "Texas" as ORG and the
town in an all-capital dateline not at all). Document-level rules mend the labels before
anything reads them; the actor ruler's entities (those with an ``ent_id_``) are never touched.

- The head word decides where it is unambiguous: "X Ministry", "X Army", "X Party" are ORG;
  "Mount X", "X River", "the X Mountains" are LOC; "X County", "X Province" are GPE; "X Street",
  "X Airport" are FAC. So do the words around a name: "the town of X", "X province".
- A name already seen as a PERSON ("Mohamed Hamdan Dagalo") makes later mentions of its last
  words ("Dagalo") PERSON too, unless that word is itself a country or a state ("Rethinking
  Egypt" does not make every later "Egypt" a person).
- A PERSON, ORG or NORP span that names a place becomes a GPE: always for a country or a state
  ("Texas" tagged ORG); for a city only with support from the article (the city lies in a country
  the article is about, or the model tags the same name as a place elsewhere in it), never for
  a surname of a person the article names in full ("Baker" after "James Baker"), nor after a
  title ("President X").
- An all-capital dateline ("SPRINGFIELD, Ill. (AP) --") names the place the story is filed from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventwatch.model import ActorRef, DateValue, Mention, MentionForm, Place, stable_id
from eventwatch.nlp import doc_text
from eventwatch.resources.gazetteer import name_key

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

    from eventwatch.resources.actors import ActorBase

PlaceLookup = Callable[[str], Place | None]

TITLE_DEPS = frozenset({"compound", "amod", "appos"})
NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# labels the model gives place names by mistake, which a gazetteer match may overrule
PLACE_CANDIDATE_LABELS = frozenset({"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "LANGUAGE", "EVENT"})
SURE_PRECISIONS = frozenset({"country", "admin1"})
PLACE_PRECISIONS = frozenset({"country", "admin1", "city", "exact"})

ORG_HEADS = frozenset(
    {
        "ministry", "army", "party", "council", "committee", "commission", "front", "brigade",
        "brigades", "battalion", "battalions", "regiment", "movement", "militia", "militias",
        "forces", "police", "agency", "government", "court", "department", "office", "authority",
        "association", "union", "organisation", "organization", "corporation", "company", "bank",
        "navy", "guard", "corps", "parliament", "assembly", "senate", "directorate", "bureau",
        "alliance", "coalition", "federation", "league", "group", "network", "administration",
        "command", "secretariat", "embassy", "consulate", "foundation", "institute",
    }
)  # fmt: skip
LOC_HEADS = frozenset(
    {
        "river", "mountains", "mountain", "lake", "lakes", "sea", "gulf", "valley", "desert",
        "island", "islands", "peninsula", "bay", "strait", "straits", "canal", "plain", "plains",
        "coast", "hills", "ocean", "basin", "delta", "lagoon", "creek", "forest", "heights",
    }
)  # fmt: skip
LOC_FIRST = frozenset({"mount", "mt", "lake", "lakes", "jabal", "jebel", "wadi", "cape", "gulf", "river"})
GPE_HEADS = frozenset(
    {
        "county", "province", "governorate", "parish", "township", "prefecture", "oblast",
        "municipality", "borough", "city", "village", "town", "emirate",
    }
)  # fmt: skip
FAC_HEADS = frozenset(
    {
        "street", "road", "avenue", "highway", "boulevard", "bridge", "airport", "airfield",
        "airbase", "square", "parkway", "dam", "barrage", "motorway", "crossing",
    }
)  # fmt: skip
# a lower-case word before "of X" or after "X" that says X is a place: "the town of X", "X province"
PLACE_NOUNS = frozenset(
    {
        "town", "city", "village", "province", "governorate", "district", "region", "county",
        "neighborhood", "neighbourhood", "suburb", "port", "capital", "state", "island", "river",
        "camp", "area", "airport", "municipality", "countryside", "outskirts",
    }
)  # fmt: skip
EMBEDDING_LABELS = frozenset({"ORG", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"})
MAX_EMBEDDING_TOKENS = 12
MAX_PLACE_TOKENS = 3
LOOSE_PLACE_NOUNS = frozenset({"area", "state", "camp"})  # "Islamic State", "X camp residents"
LEADING_PREPOSITIONS = frozenset(
    {"near", "in", "at", "from", "outside", "around", "inside", "across", "into"}
)
SHIP_PREFIXES = frozenset({"USS", "USNS", "HMS", "HMAS", "HMCS", "HMNZS", "FS", "INS", "TCG", "ITS", "ESPS"})
LOCAL_INSTITUTIONS = frozenset(
    {
        "police", "fire", "city", "county", "council", "school", "schools", "hospital", "university",
        "college", "chamber", "department", "library", "museum", "airport", "public", "municipal",
    }
)  # fmt: skip
# people of a place, named after or before it: "X police", "residents of X"
PLACE_PEOPLE = frozenset({"police", "residents", "mayor", "streets", "suburbs", "townships"})
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
EVENT_HEADS = frozenset(
    {
        "war",
        "conference",
        "summit",
        "festival",
        "olympics",
        "cup",
        "championship",
        "championships",
        "uprising",
    }
)
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})

# "SPRINGFIELD, Ill. (AP) --", "EAST HAMPTON —", "BEIRUT (Reuters) -": capitals at the start of
# the text, a line or a sentence (after a headline), or before a wire agency's tag.
_CAPS_NAME = r"[A-Z][A-Z'’.\-]*(?: [A-Z][A-Z'’.\-]*){0,3}"
_REGION = r"(?:, (?P<region>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?))?"
_WIRE = r"(?: ?\((?:AP|Reuters|AFP|UPI|CNN|dpa|IANS|PTI|Xinhua|[A-Z]{2,6})\))"
_DASH = r" ?(?:-{1,3}|—|–)"
DATELINE = re.compile(rf"(?:^|\n|[.!?] )(?P<name>{_CAPS_NAME}){_REGION}{_WIRE}?{_DASH}")
WIRE_DATELINE = re.compile(rf"\b(?P<name>{_CAPS_NAME}){_REGION}{_WIRE}")
NOT_DATELINE = frozenset(
    {"UPDATE", "UPDATED", "BREAKING", "EXCLUSIVE", "NEWS", "PHOTOS", "VIDEO", "WATCH", "NOTE", "EDITORS"}
)
MAX_DATELINE_OFFSET = 400  # a dateline comes after at most a headline and a byline


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the rules know about the document besides the span they look at."""

    actors: ActorBase
    place_of: PlaceLookup
    context: tuple[str, ...]
    person_keys: frozenset[str]
    place_texts: frozenset[str]


def repair_entities(doc: Doc, *, actors: ActorBase, place_of: PlaceLookup, countries: Sequence[str]) -> None:
    """Relabel mislabelled entities of ``doc`` in place (see the module docstring)."""
    from spacy.tokens import Span as SpacySpan

    ents = list(doc.ents)
    facts = _Facts(
        actors=actors,
        place_of=place_of,
        context=_context(ents, countries=countries, place_of=place_of),
        person_keys=frozenset(_person_keys(ents, place_of=place_of)),
        place_texts=frozenset(_bare(e.text) for e in ents if e.label_ in ("GPE", "LOC") and not e.ent_id_),
    )
    first: list[tuple[SpacySpan, str, bool]] = []
    strong_places: dict[str, str] = {}
    ships: set[str] = set()
    for ent in ents:
        if ent.ent_id_:
            first.append((ent, ent.label_, False))
            continue
        span = _trimmed(ent)
        label, strong = _repaired_label(span, facts)
        if strong and label in PLACE_LABELS:
            strong_places.setdefault(_bare(span.text), label)
        if label == "PRODUCT" and span[0].text in SHIP_PREFIXES:
            ships.add(span[1:].text)
        first.append((span, label, strong))
    repaired: list[SpacySpan] = []
    for span, label, strong in first:
        if not span.ent_id_ and not strong and span.label_ in ("PERSON", "ORG", "NORP"):
            text = _bare(span.text)
            if text in ships:
                label = "PRODUCT"  # "Forbin" after "the frigate FS Forbin"
            elif text in strong_places and label not in PLACE_LABELS:
                label = strong_places[text]  # "Dabiq" after "the town of Dabiq"
        repaired.append(span if label == span.label_ else SpacySpan(doc, span.start, span.end, label=label))
    datelines = list(_datelines(doc, repaired))
    if datelines:
        covered = {i for span in datelines for i in range(span.start, span.end)}
        repaired = [e for e in repaired if not any(i in covered for i in range(e.start, e.end))]
        repaired = sorted([*repaired, *datelines], key=lambda s: s.start)
    if [(e.start, e.end, e.label_) for e in repaired] != [(e.start, e.end, e.label_) for e in ents]:
        doc.ents = repaired


def _context(
    ents: Sequence[SpacySpan], *, countries: Sequence[str], place_of: PlaceLookup
) -> tuple[str, ...]:
    """The countries the article is about: the article's own ranking, and the countries of the
    states it names (local news names "Illinois", seldom "the United States")."""
    found = list(countries[:3])
    for ent in ents:
        if ent.label_ == "GPE" and not ent.ent_id_:
            place = place_of(ent.text)
            if (
                place is not None
                and place.precision == "admin1"
                and place.country
                and place.country not in found
            ):
                found.append(place.country)
    return tuple(found)


def _trimmed(ent: SpacySpan) -> SpacySpan:
    """The entity without a sentence-initial preposition the model took into the name ("Near
    Palmyra", "In Mosul"), with its label."""
    from spacy.tokens import Span as SpacySpan

    if len(ent) >= 2 and ent[0].is_sent_start and ent[0].lower_ in LEADING_PREPOSITIONS and ent[1].is_title:
        return SpacySpan(ent.doc, ent.start + 1, ent.end, label=ent.label_)
    return ent


def _repaired_label(ent: SpacySpan, facts: _Facts) -> tuple[str, bool]:
    """The span's label, and whether a rule about its own words or context (not a lookup) set it."""
    label = ent.label_
    if ent[0].text in SHIP_PREFIXES and len(ent) >= 2 and ent[1].is_title:
        return "PRODUCT", True  # "USS Mahan", "HMS Daring": a ship, not a person or a group
    by_head = _label_by_head(ent)
    if by_head is not None and label in NAME_LABELS | PLACE_CANDIDATE_LABELS:
        if by_head in ("ORG", "EVENT") or label not in PLACE_LABELS:
            return by_head, True
        return label, True  # GPE vs LOC vs FAC: both are places, keep the model's
    text = _bare(ent.text)
    if label in ("PERSON", "ORG") and facts.actors.country_of(text) and facts.actors.lookup(text) is None:
        place = facts.place_of(text)
        if place is None or place.precision != "country":
            return "NORP", False  # a demonym the model took for a name: "Sri Lankan"
    if label in ("LOC", "GPE", "ORG", "NORP") and text in facts.person_keys:
        return "PERSON", False
    if label in PLACE_CANDIDATE_LABELS and _names_place(ent, facts):
        return "GPE", False
    return label, False


def _label_by_head(ent: SpacySpan) -> str | None:
    """The label the span's own words or its neighbours give it, or None where they say nothing."""
    words = [t for t in ent if not t.is_punct and t.text not in POSSESSIVES]
    if words and words[0].lower_ == "the":
        words = words[1:]
    if not words:
        return None
    head, first = words[-1].lower_, _fold(words[0].lower_).rstrip(".")
    if len(words) >= 2 and words[-1].is_title:
        if head in ORG_HEADS:
            return "ORG"
        if head in LOC_HEADS:
            return "LOC"
        if head in GPE_HEADS:
            return "GPE"
        if head in FAC_HEADS:
            return "FAC"
        if head in EVENT_HEADS:
            return "EVENT"
    if len(words) >= 2 and first in LOC_FIRST and words[1].is_title and head not in ORG_HEADS:
        return "LOC"
    if ent.label_ in PLACE_LABELS or (ent.label_ == "PERSON" and _has_title(ent)):
        return None
    doc = ent.doc
    after = doc[ent.end] if ent.end < len(doc) else None
    if (
        after is not None
        and after.is_lower
        and after.lower_ in (PLACE_NOUNS | PLACE_PEOPLE) - LOOSE_PLACE_NOUNS
    ):
        return "GPE"  # "X province", "X neighborhood", "X police"
    noun = doc[ent.start - 2] if ent.start >= 2 and doc[ent.start - 1].lower_ == "of" else None
    if noun is not None and noun.is_lower and noun.lower_ in (PLACE_NOUNS | PLACE_PEOPLE) - LOOSE_PLACE_NOUNS:
        return "GPE"  # "the town of X", "residents of X"
    return None


def _names_place(ent: SpacySpan, facts: _Facts) -> bool:
    text = _bare(ent.text)
    if not text or (text.isupper() and len(text) <= 5):
        return False  # acronyms ("EU", "SA") are mostly organisations
    if facts.actors.country_of(text) and ent.label_ == "NORP":
        return False  # a demonym ("Syrian") stays NORP
    if ent.label_ == "PERSON" and (_has_title(ent) or text in facts.person_keys):
        return False
    entry = facts.actors.lookup(text) if ent.label_ in ("ORG", "PERSON") else None
    if entry is not None and entry.type != "state":
        return False
    if ent.label_ == "ORG" and len(ent) > 3:
        return False
    place = facts.place_of(text)
    if place is None or place.precision not in PLACE_PRECISIONS:
        return False
    if place.precision in SURE_PRECISIONS:
        return True
    if _in_longer_name(ent) or name_key(place.name) != name_key(text):
        return False  # "Central" of "U.S. Central Command"; a fuzzy match ("Day" -> "Dayton")
    return place.country in facts.context or text in facts.place_texts


def _in_longer_name(ent: SpacySpan) -> bool:
    """Whether capitalised words go on around the span: the model cut a longer name."""
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    after = doc[ent.end] if ent.end < len(doc) else None
    if after is not None and after.is_title:
        return True
    if before is None or (before.is_sent_start and (before.is_stop or before.lower_ in LEADING_PREPOSITIONS)):
        return False
    if before.is_title:
        return True
    linker = doc[ent.start - 2] if ent.start >= 2 else None
    return before.lower_ in ("of", "for") and linker is not None and linker.is_title


def _fold(text: str) -> str:
    """Drop diacritics: "jabāl" -> "jabal"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _person_keys(ents: Iterable[SpacySpan], *, place_of: PlaceLookup) -> set[str]:
    """The words a person named in full may be named by again: the last word or two of the name,
    but not a country or a state ("Rethinking Egypt" is a headline the model took for a name)."""
    keys: set[str] = set()
    for ent in ents:
        if ent.label_ != "PERSON" or ent.ent_id_:
            continue
        name = _bare(_trimmed(ent).text)
        words = name.split()
        while len(words) > 2 and words[-1].rstrip(".").lower() in NAME_SUFFIXES:
            words = words[:-1]  # "George Bush Jr." is named again as "Bush"
        if len(words) < 2:
            continue
        whole = place_of(name)
        if whole is not None and whole.precision in PLACE_PRECISIONS:
            continue  # "Wad Madani": a town the model took for a name
        for key in (words[-1], " ".join(words[-2:])):
            place = place_of(key)
            if place is None or place.precision not in SURE_PRECISIONS:
                keys.add(key)
    return keys


def _has_title(ent: SpacySpan) -> bool:
    """ "Minister X", "President X": a person whatever the gazetteer says."""
    if any(t.dep_ in TITLE_DEPS and t.i < ent.start for t in ent.root.children):
        return True
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    return before is not None and before.text.rstrip(".") in ("Mr", "Mrs", "Ms", "Dr", "Gen", "Sen", "Rep")


def _bare(text: str) -> str:
    """The name without a leading "the" or a possessive ending: "the Tigris's" -> "Tigris"."""
    text = text.strip()
    for ending in ("'s", "’s"):
        if text.endswith(ending):
            text = text[: -len(ending)]
    if text[:4].lower() == "the ":
        text = text[4:]
    return text.strip()


def _datelines(doc: Doc, ents: Sequence[SpacySpan]) -> Iterable[SpacySpan]:
    """GPE spans for the place names of an all-capital dateline near the top of the article."""
    text = doc_text(doc)
    if not text[:MAX_DATELINE_OFFSET].strip() or sum(c.isupper() for c in text) > 0.5 * len(text):
        return  # all-capital text is restored by the casing stage, not read as datelines
    ruler = {i for e in ents if e.ent_id_ for i in range(e.start, e.end)}
    matches = (
        m for pattern in (DATELINE, WIRE_DATELINE) for m in pattern.finditer(text, 0, MAX_DATELINE_OFFSET)
    )
    for match in matches:
        name = match.group("name").rstrip(".'’-")
        if len(name) < 3 or any(word in NOT_DATELINE for word in name.split()):
            continue
        start = match.start("name")
        for s, e in ((start, start + len(name)), (match.start("region"), match.end("region"))):
            if s < 0:
                continue
            span = doc.char_span(s, e, label="GPE", alignment_mode="contract")
            if span is not None and len(span) and not any(i in ruler for i in range(span.start, span.end)):
                yield span
        return  # one dateline per article


def embedded_places(doc: Doc, *, place_of: PlaceLookup, countries: Sequence[str]) -> list[SpacySpan]:
    """GPE spans for the place names inside other entities: "Ohio" in "the Ohio Department of
    Development", "Laurel County" in "the Laurel County Fiscal Court", "Toronto" in "the University
    of Toronto". ``doc.ents`` cannot nest, so these come separately; a mention of the organisation
    and one of its place are both true."""
    from spacy.tokens import Span as SpacySpan

    found: list[SpacySpan] = []
    for ent in doc.ents:
        if ent.label_ not in EMBEDDING_LABELS or len(ent) < 2 or len(ent) > MAX_EMBEDDING_TOKENS:
            continue
        i = ent.start + 1 if ent[0].lower_ == "the" else ent.start
        while i < ent.end:
            hit = None
            for n in range(min(MAX_PLACE_TOKENS, ent.end - i), 0, -1):
                if i + n == ent.end and i == ent.start:
                    continue  # the whole entity is not embedded in itself
                if _embedded_place(doc[i : i + n], place_of=place_of, context=countries[:3]):
                    hit = SpacySpan(doc, i, i + n, label="GPE")
                    break
            if hit is not None:
                found.append(hit)
                i = hit.end
            else:
                i += 1
    return found


def _embedded_place(span: SpacySpan, *, place_of: PlaceLookup, context: Sequence[str]) -> bool:
    first, last = span[0], span[-1]
    if not (first.is_title or first.is_upper) or not (last.is_title or last.is_upper) or last.is_punct:
        return False
    if any(t.is_lower or t.is_digit or t.lower_ in ORG_HEADS for t in span):
        return False
    if len(span) >= 2 and last.lower_ in ("center", "centre"):
        return False  # "University of Michigan Center": the state, not the town Michigan Center
    if len(span) >= 2 and last.lower_ in GPE_HEADS - {"city", "town", "village"}:
        return True  # "Laurel County", "Readington Township"
    text = span.text
    if text.isupper() and len(text) <= 5:
        return False  # acronyms: "US" is left to the country lookup below only when dotted
    place = place_of(text)
    if place is None or place.precision not in PLACE_PRECISIONS:
        return False
    if place.precision in SURE_PRECISIONS:
        return True
    # a city only where the name says so: "University of X", "X Police Department"
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    local = (before is not None and before.lower_ in ("of", "in", "at")) or (
        after is not None and after.lower_ in LOCAL_INSTITUTIONS
    )
    return local and place.country in context and name_key(place.name) == name_key(text)


def mention_of(
    article_id: str,
    span: SpacySpan,
    kind: str,
    sentence_of: Mapping[int, int],
    *,
    actor: ActorRef | None = None,
    place: Place | None = None,
    date: DateValue | None = None,
    form: MentionForm = "name",
    refers_to: str | None = None,
) -> Mention:
    """The mention record of a span of the parsed article (its id depends on offsets and kind)."""
    return Mention(
        article_id=article_id,
        mention_id=stable_id(article_id, span.start_char, span.end_char, kind),
        kind=kind,
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        sentence=sentence_of.get(span.start, 0),
        actor=actor,
        place=place,
        date=date,
        form=form,
        refers_to=refers_to,
    )
