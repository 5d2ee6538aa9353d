"""Events of one sentence: trigger -> type and codes, participants, modality, attribution, date,
place and casualties, assembled into ``Event`` records.

Source and target come from the dependency parse: the subject (or the agent of a passive) is the
source, the object or the object of a directed preposition ("on", "against", "with") the target.
A verb without a subject borrows the subject of the verb that governs it ("Elkin stated denied"
-> Elkin); a noun trigger takes its possessive or national modifier ("Israel's aggression",
"Israeli attack") as source and a light verb's subject ("the army launched strikes").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from eventwatch.extract.modality import modality_of
from eventwatch.extract.triggers import TriggerMatch, find_triggers
from eventwatch.model import ActorRef, Count, DateValue, Event, Modality, Place, Span, stable_id

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from eventwatch.extract.attribution import AttributionFinder
    from eventwatch.extract.participants import ParticipantResolver
    from eventwatch.extract.resources import Resources

TARGET_PREPS = frozenset({"on", "against", "with", "at", "toward", "towards", "upon", "over", "into", "to"})
VERB_TARGET_PREPS = frozenset({"on", "against", "with", "at", "toward", "towards", "upon", "into", "to"})
CO_PARTY_TYPES = frozenset({"AGREE", "CONSULT", "COOPERATE"})  # "agreed with X": X is a party
RELATIVE_PRONOUNS = frozenset({"which", "who", "that", "whom"})
LOCATIVE_PREPS = frozenset(
    {"in", "at", "near", "across", "inside", "outside", "throughout", "around", "from"}
)
WEAK_TRIGGER = 0.6
MIN_CONFIDENCE = 0.3
ARMED_TYPES = frozenset({"armed_group", "rebel", "militia", "military"})
ARMED_ROLES = ("MIL", "REB", "IMG")
MEDIATE_VERBS = frozenset({"broker", "mediate", "facilitate", "sponsor", "negotiate"})
CLIMB_DEPS = frozenset({"xcomp", "ccomp", "conj", "advcl", "pcomp"})


@dataclass(frozen=True, slots=True)
class SentenceContext:
    """What the event builder needs to know about one sentence of the article."""

    article_id: str
    index: int
    sent: SpacySpan
    published: DateValue | None
    dates: dict[int, DateValue]  # DATE entity start token -> normalised date
    places: dict[int, Place]  # place entity start token -> geocoded place
    casualties: tuple[Count | None, Count | None] = (None, None)


def events_in_sentence(
    ctx: SentenceContext,
    *,
    resources: Resources,
    resolver: ParticipantResolver,
    attributions: AttributionFinder,
) -> list[Event]:
    built: list[tuple[Token, Event]] = []
    for match in find_triggers(ctx.sent, resources.lexicon):
        event = _build(match, ctx, resources=resources, resolver=resolver, attributions=attributions)
        if event is not None and match.rule.confidence >= MIN_CONFIDENCE:
            built.append((match.token, event))
    events: list[Event] = []
    for event in _merge_same_happening(built):
        if not any(_same(event, other) for other in events):
            events.append(event)
    _attach_casualties(events, ctx)
    return events


def _merge_same_happening(built: list[tuple[Token, Event]]) -> list[Event]:
    """One happening, one event: "a roadside bomb killed five" (the bomb is the subject of the
    killing) and "threatened to strike the port" (the strike is what is threatened) are each one
    event; the merged event keeps the more specific mode and code, and every participant."""
    by_token = {token.i: (token, event) for token, event in built}
    dropped: set[int] = set()
    merged: dict[int, Event] = {token.i: event for token, event in built}
    for token, event in built:
        head = token.head
        if head.i == token.i or head.i not in by_token or token.i in dropped:
            continue
        outer = merged[head.i]
        same_kind = event.plover_type == outer.plover_type and token.dep_ in ("nsubj", "nsubjpass", "dobj")
        threat = outer.plover_type == "THREATEN" and event.plover_type == "THREATEN" and token.dep_ == "xcomp"
        if same_kind or threat:
            merged[head.i] = _absorb(outer, event, text=token.doc.text)
            dropped.add(token.i)
    return [merged[token.i] for token, _ in built if token.i not in dropped]


def _absorb(outer: Event, inner: Event, *, text: str) -> Event:
    specific = inner if (outer.cameo_code or "").endswith("0") and inner.cameo_code else outer
    sources = list(outer.source_actors)
    _extend(sources, list(inner.source_actors))
    targets = list(outer.target_actors)
    _extend(targets, [t for t in inner.target_actors if not any(_same_actor(t, s) for s in sources)])
    start = min(outer.evidence.start, inner.evidence.start)
    end = max(outer.evidence.end, inner.evidence.end)
    return replace(
        outer,
        plover_mode=outer.plover_mode or inner.plover_mode,
        cameo_code=specific.cameo_code,
        goldstein=specific.goldstein,
        acled_event_type=outer.acled_event_type or inner.acled_event_type,
        acled_sub_event_type=(
            inner.acled_sub_event_type
            if specific is inner and inner.acled_sub_event_type
            else outer.acled_sub_event_type
        ),
        source_actors=tuple(sources),
        target_actors=tuple(targets),
        evidence=Span(text=text[start:end], start=start, end=end),
        location=outer.location or inner.location,
    )


def _build(
    match: TriggerMatch,
    ctx: SentenceContext,
    *,
    resources: Resources,
    resolver: ParticipantResolver,
    attributions: AttributionFinder,
) -> Event | None:
    rule, trigger, anchor = match.rule, match.token, match.anchor
    code = resources.ontology.cameo(rule.cameo)
    plover_type = rule.plover or (code.plover_type if code else None)
    if plover_type is None:
        return None  # a public statement or the like: PLOVER codes no event
    plover_mode = rule.mode if rule.mode is not None else (code.plover_mode if code else None)
    cameo_code = rule.cameo
    sources, targets = participants(match, resolver, plover_type=plover_type)
    if not sources and not targets:
        return None
    if plover_type == "ASSAULT" and rule.confidence < WEAK_TRIGGER and not any(map(_armed, sources)):
        return None  # "operations", "violence": an attack only when an armed actor carries it out
    if plover_mode == "arrest" and targets and all(t.type == "location" for t in targets):
        plover_mode, cameo_code = "occupy", "192"  # "captured Wad Madani": territory, not people
    modality, _cues = modality_of(trigger, anchor)
    if plover_type == "ASSAULT" and modality in ("intended", "threatened"):
        # a declared intention to attack is a threat of violence (PLOVER THREATEN, CAMEO 138)
        plover_type, plover_mode, cameo_code = "THREATEN", "violence", "138"
    attribution = attributions.for_event(trigger, anchor)
    trigger_span = Span(text=trigger.text, start=trigger.idx, end=trigger.idx + len(trigger.text))
    goldstein = resources.ontology.goldstein(cameo_code)
    acled = resources.ontology.acled(
        plover_type=plover_type,
        plover_mode=plover_mode,
        cameo_code=cameo_code,
        source_types=[a.type or "" for a in sources],
        target_types=[a.type or "" for a in targets],
    )
    confidence = rule.confidence * (0.9 if sources and targets else 0.7)
    if modality != "occurred":
        confidence *= 0.9
    return Event(
        event_id=stable_id(ctx.article_id, ctx.index, trigger_span.start, plover_type),
        article_id=ctx.article_id,
        sentence=ctx.index,
        evidence=_evidence(ctx.sent, trigger_span, [*sources, *targets]),
        trigger=trigger_span,
        plover_type=plover_type,
        plover_mode=plover_mode,
        cameo_code=cameo_code,
        goldstein=goldstein,
        quad_class=resources.ontology.quad_class(plover_type),
        acled_event_type=acled[0] if acled else None,
        acled_sub_event_type=acled[1] if acled else None,
        modality=modality,
        source_actors=tuple(sources),
        target_actors=tuple(targets),
        date=_date_for(trigger, anchor, ctx),
        location=_place_for(trigger, anchor, ctx, [*sources, *targets]),
        attribution=attribution,
        confidence=round(confidence, 3),
    )


def participants(
    match: TriggerMatch, resolver: ParticipantResolver, *, plover_type: str
) -> tuple[list[ActorRef], list[ActorRef]]:
    """(sources, targets) of a trigger, from the parse."""
    trigger, anchor = match.token, match.anchor
    sources: list[ActorRef] = []
    targets: list[ActorRef] = []
    consumed = set(match.consumed)

    if trigger.pos_ == "NOUN":
        _noun_participants(trigger, resolver, sources, targets)
    if anchor.pos_ in ("VERB", "AUX"):
        subject, passive_target = _subject_of(anchor)
        if subject is not None:
            _extend(sources, resolver.resolve_all(subject))
        if passive_target is not None and passive_target.i != trigger.i:
            _extend(targets, resolver.resolve_all(passive_target))
        for child in anchor.children:
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        _extend(sources, resolver.resolve_all(pobj))
        if anchor.i == trigger.i:
            _verb_targets(anchor, consumed, resolver, targets)
        co_parties = _prep_objects(anchor, {"with"})
        if plover_type in CO_PARTY_TYPES and co_parties and not sources:
            for tok in co_parties:
                _extend(sources, resolver.resolve_all(tok))
    targets = [t for t in targets if all(_same_actor(t, s) is False for s in sources)]
    return sources, targets


def _noun_participants(
    noun: Token, resolver: ParticipantResolver, sources: list[ActorRef], targets: list[ActorRef]
) -> None:
    national = [
        c
        for c in _modifiers(noun)
        if c.dep_ in ("poss", "amod", "compound", "nmod") and c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")
    ]
    national = [c for c in national if c.ent_iob_ == "B" or c.dep_ == "poss" or c.ent_type_ in ("NORP",)] or [
        c for c in national if c.ent_iob_ != "I"
    ]
    refs = [ref for tok in national for ref in resolver.resolve(tok)]
    if len(refs) >= 2 and all(c.dep_ == "compound" for c in national):
        _extend(sources, refs[:1])  # "a Lebanon-Israel ceasefire": two parties
        _extend(targets, refs[1:])
    else:
        _extend(sources, refs)
    for prep in noun.children:
        if prep.dep_ != "prep":
            continue
        objs = [p for p in prep.children if p.dep_ == "pobj"]
        if prep.lower_ == "by" or prep.lower_ == "from":
            for obj in objs:
                _extend(sources, resolver.resolve_all(obj))
        elif prep.lower_ == "between" or prep.lower_ == "among":
            for obj in objs:
                parties = resolver.resolve_all(obj)
                _extend(sources, parties[:1])
                _extend(targets, parties[1:])
        elif prep.lower_ in TARGET_PREPS:
            for obj in objs:
                _extend(targets, resolver.resolve_all(obj))
    for verb in noun.children:  # "attacks originating from Iraq", "strikes carried out by Israel"
        if verb.dep_ == "acl" and verb.lemma_.lower() not in MEDIATE_VERBS:
            for prep in verb.children:
                if prep.dep_ in ("prep", "agent") and prep.lower_ in ("from", "by"):
                    for obj in prep.children:
                        if obj.dep_ == "pobj":
                            _extend(sources, resolver.resolve_all(obj))


def _armed(actor: ActorRef) -> bool:
    return actor.type in ARMED_TYPES or (actor.cameo_code or "").endswith(ARMED_ROLES)


def _modifiers(noun: Token) -> list[Token]:
    """The noun's modifiers, with compounds of compounds ("a Lebanon-Israel ceasefire")."""
    found: list[Token] = []
    for child in noun.children:
        if child.dep_ == "compound":
            found.extend(_modifiers(child))
        found.append(child)
    return sorted(found, key=lambda t: t.i)


def _verb_targets(
    verb: Token, consumed: set[int], resolver: ParticipantResolver, targets: list[ActorRef]
) -> None:
    for child in verb.children:
        if child.dep_ in ("dobj", "dative", "obj"):
            if child.i in consumed:  # "denied any truce with Iraq", "regained control of X"
                for obj in _prep_objects(child, TARGET_PREPS | {"of"}):
                    _extend(targets, resolver.resolve_all(obj))
            else:
                _extend(targets, resolver.resolve_all(child))
    if not targets:
        for obj in _prep_objects(verb, VERB_TARGET_PREPS):
            _extend(targets, resolver.resolve_all(obj))


def _subject_of(verb: Token) -> tuple[Token | None, Token | None]:
    """(subject, passive subject) of a verb, borrowing the governing verb's subject when the
    verb has none ("Elkin stated denied", "decided to strike")."""
    node = verb
    for _ in range(4):
        subj = next((c for c in node.children if c.dep_ in ("nsubj", "csubj")), None)
        passive = next((c for c in node.children if c.dep_ == "nsubjpass"), None)
        if subj is not None and subj.lower_ in RELATIVE_PRONOUNS and node.dep_ == "relcl":
            return node.head, passive
        if subj is not None or passive is not None:
            return subj, passive
        if node.dep_ in CLIMB_DEPS and node.head.i != node.i:
            node = node.head
            continue
        break
    return None, None


def _prep_objects(token: Token, preps: frozenset[str] | set[str]) -> list[Token]:
    return [
        pobj
        for prep in token.children
        if prep.dep_ == "prep" and prep.lower_ in preps
        for pobj in prep.children
        if pobj.dep_ == "pobj"
    ]


def _extend(into: list[ActorRef], refs: list[ActorRef]) -> None:
    for ref in refs:
        if not any(_same_actor(ref, have) for have in into):
            into.append(ref)


def _same_actor(a: ActorRef, b: ActorRef) -> bool:
    if a.mention is not None and b.mention is not None and a.mention == b.mention:
        return True
    if a.actor_id and a.actor_id == b.actor_id:
        return True
    return a.name.lower() == b.name.lower()


def _same(a: Event, b: Event) -> bool:
    return (
        a.plover_type == b.plover_type
        and a.modality == b.modality
        and {s.name for s in a.source_actors} == {s.name for s in b.source_actors}
        and {t.name for t in a.target_actors} == {t.name for t in b.target_actors}
    )


def _evidence(sent: SpacySpan, trigger: Span, actors: list[ActorRef]) -> Span:
    """The smallest span of the sentence covering the trigger and the actors' mentions in it."""
    starts = [trigger.start] + [a.mention.start for a in actors if a.mention and _inside(a.mention, sent)]
    ends = [trigger.end] + [a.mention.end for a in actors if a.mention and _inside(a.mention, sent)]
    start, end = min(starts), max(ends)
    text = sent.doc.text[start:end]
    return Span(text=text, start=start, end=end)


def _inside(span: Span, sent: SpacySpan) -> bool:
    return bool(sent.start_char <= span.start and span.end <= sent.end_char)


def _date_for(trigger: Token, anchor: Token, ctx: SentenceContext) -> DateValue | None:
    """The date expression attached to the event's clause, else the sentence's, else the
    publication date (precision day, as wire services date their reports)."""
    if ctx.dates:
        clause = {trigger.i, anchor.i}
        best: tuple[int, DateValue] | None = None
        for start, value in ctx.dates.items():
            token = ctx.sent.doc[start]
            ancestors = {a.i for a in token.ancestors}
            attached = bool(clause & ancestors)
            distance = abs(start - trigger.i) + (0 if attached else 1000)
            if best is None or distance < best[0]:
                best = (distance, value)
        if best is not None:
            return best[1]
    return ctx.published


def _place_for(trigger: Token, anchor: Token, ctx: SentenceContext, actors: list[ActorRef]) -> Place | None:
    """A place attached by a locative preposition to the event's clause or its participants."""
    if not ctx.places:
        return None
    taken = {(a.mention.start, a.mention.end) for a in actors if a.mention}
    best: tuple[int, Place] | None = None
    doc = ctx.sent.doc
    for start, place in ctx.places.items():
        token = doc[start]
        root = token
        while root.head.i != root.i and root.dep_ in ("compound", "amod", "flat", "appos", "conj"):
            root = root.head
        if root.dep_ != "pobj" or root.head.lower_ not in LOCATIVE_PREPS:
            continue
        span_key = (token.idx, token.idx + len(place.text or token.text))
        if span_key in taken or any(s <= token.idx < e for s, e in taken):
            continue
        distance = abs(start - trigger.i) + (
            0 if anchor in root.ancestors or trigger in root.ancestors else 100
        )
        if best is None or distance < best[0]:
            best = (distance, place)
    return best[1] if best else None


def _attach_casualties(events: list[Event], ctx: SentenceContext) -> None:
    killed, injured = ctx.casualties
    if killed is None and injured is None:
        return
    for i, event in enumerate(events):
        if event.plover_type == "ASSAULT" or event.quad_class == 4:
            events[i] = replace(event, fatalities=killed, injured=injured)
            return


def with_modality(event: Event, modality: Modality) -> Event:
    return replace(event, modality=modality)
