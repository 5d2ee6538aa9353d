"""One parsed article in, one ``Extraction`` out: mentions, events, quantities and relations.

This is the only place that walks a whole document; each kind of record has its own module.
Article-level context is used where one sentence cannot decide: the countries the article is
about steer the geocoder, and an attack whose target the sentence leaves implicit ("a rise in
drone attacks originating from Iraq") takes the article's main adversary, with lower confidence.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from eventwatch.extract.attribution import AttributionFinder
from eventwatch.extract.coref import coreference_mentions
from eventwatch.extract.entities import embedded_places, mention_of, repair_entities
from eventwatch.extract.events import SentenceContext, events_in_sentence
from eventwatch.extract.participants import ParticipantResolver
from eventwatch.extract.relations import relations_from_events, relations_in_sentence
from eventwatch.extract.responsibility import Claim, attach_claims, claims_in_sentence
from eventwatch.model import (
    ActorRef,
    Article,
    DateValue,
    Event,
    Extraction,
    Mention,
    Place,
    Quantity,
    Relation,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

    from eventwatch.extract.resources import Resources

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
IMPLICIT_TARGET_TYPES = frozenset({"ASSAULT", "THREATEN", "COERCE"})


def published_date(article: Article) -> dt.date | None:
    if not article.published:
        return None
    try:
        return dt.date.fromisoformat(article.published[:10])
    except ValueError:
        return None


def extract_article(doc: Doc, article: Article, resources: Resources) -> Extraction:
    from eventwatch.extract.dates import normalize_entity, reference_spans
    from eventwatch.extract.quantities import sentence_counts

    published = published_date(article)
    published_value = (
        DateValue(
            value=published.isoformat(),
            precision="day",
            start=published.isoformat(),
            end=published.isoformat(),
        )
        if published
        else None
    )
    countries = _article_countries(doc, resources)
    repair_entities(
        doc,
        actors=resources.actors,
        place_of=lambda name: resources.gazetteer.resolve(name, context_countries=countries, kind="GPE"),
        countries=countries,
    )
    # the geocoder weighs every place name of the article and the outlet's country
    place_names = [e.text for e in doc.ents if e.label_ in PLACE_LABELS]
    outlet = (urlparse(article.url).hostname if article.url else None) or article.source or ""
    outlet_country = resources.gazetteer.country_of_source(outlet)
    geo_countries = countries + [c for c in (outlet_country,) if c is not None and c not in countries]

    geocoded: dict[tuple[str, str], Place | None] = {}

    def geocode(name: str, label: str) -> Place | None:
        """One answer per name and label in an article: the gazetteer weighs the same evidence each time."""
        if (name, label) not in geocoded:
            place = resources.gazetteer.resolve(
                name,
                context_countries=geo_countries,
                kind=label,
                names=place_names,
                source_country=outlet_country,
            )
            if label in PLACE_LABELS:
                # A demonym the model tagged as a place ("Syrian") names its country, never a
                # town whose alternate names happen to include it; so does a state's epithet
                # the gazetteer lacks ("the Islamic Republic").
                code = resources.actors.country_of(name)
                if code is not None and (place is None or resources.actors.lookup(name) is None):
                    place = resources.gazetteer.country(code) or place
            geocoded[name, label] = place
        return geocoded[name, label]

    resolver = ParticipantResolver(
        doc,
        resources.actors,
        places=geocode,
        home_country=_home_country(countries, doc, resources),
    )
    attributions = AttributionFinder(doc, resolver)
    sentences = list(doc.sents)
    sentence_of = {tok.i: n for n, sent in enumerate(sentences) for tok in sent}
    mentions: list[Mention] = []
    dates: dict[int, DateValue] = {}
    places: dict[int, Place] = {}
    for ent in doc.ents:
        actor = resolver.entity_actor(ent)
        place = None
        date = None
        if ent.label_ in PLACE_LABELS:
            place = geocode(ent.text, ent.label_)
            within = _written_region(doc, ent)  # "Springfield, Ill.": the state written after the town
            coordinated = _coordinated_places(doc, ent)  # "Oregon and Washington": like with like
            if within is not None or coordinated:
                place = (
                    resources.gazetteer.resolve(
                        ent.text,
                        context_countries=geo_countries,
                        kind=ent.label_,
                        names=place_names,
                        within=within,
                        coordinated=coordinated,
                    )
                    or place
                )
            if place is not None:
                place = replace(place, text=ent.text)
                places[ent.start] = place
        elif ent.label_ == "NORP":  # "Egyptian" mentions Egypt; it is no event's location
            code = resources.actors.country_of(ent.text)
            country = resources.gazetteer.country(code) if code else None
            if country is not None:
                place = replace(country, text=ent.text)
        elif ent.label_ in ("DATE", "TIME"):
            date = normalize_entity(ent, published=published)
            if date is not None and ent.label_ == "DATE" and (date.value or "")[:1].isdigit():
                dates[ent.start] = date  # events take calendar dates; "now", "recently" don't date them
        if ent.label_ in ("DATE", "TIME", "CARDINAL"):
            actor = None
        kind = ent.label_
        mentions.append(
            mention_of(article.article_id, ent, kind, sentence_of, actor=actor, place=place, date=date)
        )
    # places inside organisation names ("the Ohio Department of Development"): extra mentions,
    # overlapping their organisation; never an event's location
    for span in embedded_places(doc, place_of=lambda name: geocode(name, "GPE"), countries=countries):
        inner = geocode(span.text, "GPE")
        place = None if inner is None else replace(inner, text=span.text)
        mentions.append(mention_of(article.article_id, span, "GPE", sentence_of, place=place))
    for span in reference_spans(doc):  # "now", "recently", "in the future": outside the NER's dates
        date = normalize_entity(span, published=published)
        mentions.append(mention_of(article.article_id, span, "DATE", sentence_of, date=date))
    mentions.sort(key=lambda m: (m.start, m.end))
    # nominal and pronominal mentions ("the group", "he") and name extents; they never change
    # doc.ents, and the events' "they", "it" take the antecedents found here
    referring = coreference_mentions(
        doc, mentions, article_id=article.article_id, resolver=resolver, sentence_of=sentence_of
    )
    resolver.link_pronouns(_pronoun_links(doc, referring))

    events: list[Event] = []
    quantities: list[Quantity] = []
    relations: list[Relation] = []
    claims: list[Claim] = []  # perpetrators and victims named in claims and identifications
    ents_of = _sentence_ents(doc, sentences)
    for n, sent in enumerate(sentences):
        killed, injured, sentence_quantities = sentence_counts(
            sent, article_id=article.article_id, sentence_index=n, published=published, ents=ents_of[n]
        )
        ctx = SentenceContext(
            article_id=article.article_id,
            index=n,
            sent=sent,
            published=published_value,
            dates={k: v for k, v in dates.items() if sent.start <= k < sent.end},
            places={k: v for k, v in places.items() if sent.start <= k < sent.end},
            casualties=(killed.count if killed else None, injured.count if injured else None),
        )
        events.extend(
            events_in_sentence(ctx, resources=resources, resolver=resolver, attributions=attributions)
        )
        claims.extend(claims_in_sentence(sent, index=n, resolver=resolver))
        for quantity in sentence_quantities:
            root = doc.char_span(quantity.evidence.start, quantity.evidence.end, alignment_mode="expand")
            attribution = (
                attributions.for_event(root.root, root.root) if root is not None else quantity.attribution
            )
            quantities.append(replace(quantity, attribution=attribution))
        relations.extend(
            relations_in_sentence(
                sent, article_id=article.article_id, index=n, resolver=resolver, attributions=attributions
            )
        )

    events = _fill_implicit_targets(events, doc, resources)
    # after: a claimed doer does not invite a guessed target
    events = attach_claims(events, claims, named=[m.actor for m in mentions if m.actor is not None])
    quantities = _inherit_report_attribution(quantities, events)
    for relation in relations_from_events(events):
        if all(r.relation_id != relation.relation_id for r in relations):
            relations.append(relation)
    mentions = sorted(referring, key=lambda m: (m.start, m.end))
    return Extraction(
        article=replace(article, n_sentences=len(sentences)),
        mentions=tuple(mentions),
        events=tuple(events),
        quantities=tuple(quantities),
        relations=tuple(relations),
    )


def _coordinated_places(doc: Doc, ent: SpacySpan) -> tuple[str, ...]:
    """The place names coordinated with ``ent`` ("Missouri, New York and Virginia")."""
    names = []
    for token in ent.root.conjuncts:
        if token.ent_type_ in PLACE_LABELS and not ent.start <= token.i < ent.end:
            start = token.i
            while start > 0 and doc[start].ent_iob_ == "I":
                start -= 1
            end = token.i + 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
            names.append(doc[start:end].text)
    return tuple(names)


def _written_region(doc: Doc, ent: SpacySpan) -> str | None:
    """The place name written right after ``ent`` and a comma ("Paris, Texas", "Springfield, Ill."),
    which says which of the name's namesakes is meant; None when there is none."""
    if ent.end + 1 >= len(doc) or doc[ent.end].text != ",":
        return None
    following = doc[ent.end + 1]
    if following.ent_iob_ != "B" or following.ent_type_ != "GPE":
        return None
    end = following.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    if end < len(doc) and doc[end].pos_ in ("NOUN", "PROPN", "ADJ"):
        return None  # "in Russia, U.S. officials said": the second name modifies a noun
    return doc[following.i : end].text


def _sentence_ents(doc: Doc, sentences: list[SpacySpan]) -> list[list[SpacySpan]]:
    """Each sentence's entities (what ``sent.ents`` gives), from one pass over ``doc.ents``."""
    out: list[list[SpacySpan]] = [[] for _ in sentences]
    ends = [sent.end for sent in sentences]
    k = 0
    for ent in doc.ents:
        while k < len(sentences) and ends[k] <= ent.start:
            k += 1
        if k < len(sentences) and sentences[k].start <= ent.start and ent.end <= ends[k]:
            out[k].append(ent)
    return out


def _country_mentions(doc: Doc, resources: Resources) -> Counter[str]:
    """How often each country is named in the document's entities (names and demonyms)."""
    counts: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ in ("GPE", "NORP"):
            code = resources.actors.country_of(ent.text)
            if code:
                counts[code] += 1
    return counts


def _article_countries(doc: Doc, resources: Resources) -> list[str]:
    """Countries the article is about, most mentioned first (GPE names and demonyms)."""
    return [code for code, _ in _country_mentions(doc, resources).most_common()]


def _home_country(countries: list[str], doc: Doc, resources: Resources) -> str | None:
    """The country the article is mostly about, when one stands out: names and demonyms of
    countries and known actors count once (twice in the opening sentence), and every other place
    name counts for the country it lies in (Tibu and Cucuta make an article about Colombia)."""
    counts = Counter[str]()
    first_sentence_end = next(iter(doc.sents)).end if len(doc) else 0
    for ent in doc.ents:
        weight = 2 if ent.start < first_sentence_end else 1
        if ent.root.head.lower_ == "based":  # "a UK-based monitor": where it sits, not the story's country
            continue
        if ent.ent_id_:  # a known actor counts for its country ("the MNDAA" for Myanmar)
            entry = resources.actors.get(ent.ent_id_)
            if entry is not None and entry.country and entry.type not in ("igo", "media", "ngo"):
                counts[entry.country] += weight
            continue
        if ent.label_ not in ("GPE", "NORP", "LOC", "FAC"):
            continue
        code = resources.actors.country_of(ent.text)
        if code is None and ent.label_ != "NORP":
            place = resources.gazetteer.resolve(ent.text, context_countries=countries, kind=ent.label_)
            code = place.country if place is not None and place.precision != "country" else None
        if code:
            counts[code] += weight
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _pronoun_links(doc: Doc, mentions: list[Mention]) -> dict[int, ActorRef]:
    """Pronoun token -> the actor the mention coreference linked it to."""
    links: dict[int, ActorRef] = {}
    for mention in mentions:
        if mention.form == "pronoun" and mention.actor is not None:
            span = doc.char_span(mention.start, mention.end)
            if span is not None and len(span):
                links[span.root.i] = mention.actor
    return links


def _fill_implicit_targets(events: list[Event], doc: Doc, resources: Resources) -> list[Event]:
    """Give an attack or threat with a known source but no target the article's main adversary of
    that source: the most mentioned country other than the source's own (coreference at the level
    of the article, marked by a target with no mention and a lower confidence)."""
    countries = _country_mentions(doc, resources)  # after entity repair, unlike _article_countries
    filled: list[Event] = []
    for event in events:
        if (
            event.plover_type in IMPLICIT_TARGET_TYPES
            and event.source_actors
            and not event.target_actors
            and not _names_a_target(doc, event)
        ):
            own = {a.country for a in event.source_actors}
            candidates = [(c, n) for c, n in countries.most_common() if c not in own and n >= 3]
            if candidates:
                code = candidates[0][0]
                entry = resources.actors.get(code.lower())
                state = (
                    resources.actors.ref(entry)
                    if entry
                    else ActorRef(name=code, country=code, cameo_code=code)
                )
                target = replace(state, mention=None)
                event = replace(event, target_actors=(target,), confidence=round(event.confidence * 0.6, 3))
        filled.append(event)
    return filled


def _names_a_target(doc: Doc, event: Event) -> bool:
    """True when the event's words name what was hit, resolved or not ("attacks on vessels")."""
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    if span is None:
        return False
    trigger = span.root
    for child in trigger.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            return True
        if child.dep_ == "prep" and child.lower_ in ("on", "against", "at", "toward", "towards", "upon"):
            return True
    return False


def _inherit_report_attribution(quantities: list[Quantity], events: list[Event]) -> list[Quantity]:
    """Counts that continue a media report ("... a Maariv report ... Drone assaults have surged
    from six to 90") are attributed to that report when the sentence names no source of its own."""
    reports = {e.sentence: e.attribution for e in events if e.attribution.kind == "media"}
    out = []
    for q in quantities:
        if q.attribution.kind == "author":
            previous = reports.get(q.sentence) or reports.get(q.sentence - 1)
            if previous is not None:
                q = replace(q, attribution=previous)
        out.append(q)
    return out
