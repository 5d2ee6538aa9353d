"""Relations between actors, from appositions, relative clauses and lists:

- "Kataib Hezbollah, a key faction in the Iraqi resistance" / "A, B and C, which are part of Y"
  -> member_of
- "X, an ally of Y" -> allied_with; "the Iran-backed X" -> Iran supports X
- "a ceasefire brokered by the US and France" -> mediates (the parties of the ceasefire)
- a SUPPORT event that occurred -> supports; "Y, led by X" -> X leads Y
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventwatch.model import AUTHOR, ActorRef, Attribution, Event, Relation, RelationType, Span, stable_id
from eventwatch.nlp import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from eventwatch.extract.attribution import AttributionFinder
    from eventwatch.extract.participants import ParticipantResolver

MEMBER_NOUNS = frozenset(
    {"faction", "member", "part", "wing", "branch", "affiliate", "unit", "arm", "component"}
)
ALLY_NOUNS = frozenset({"ally", "partner"})
MEDIATE_VERBS = frozenset({"broker", "mediate", "facilitate", "negotiate", "sponsor"})
BACKED = ("-backed", "-supported", "-sponsored", "-funded", "-aligned")


def relations_in_sentence(
    sent: SpacySpan,
    *,
    article_id: str,
    index: int,
    resolver: ParticipantResolver,
    attributions: AttributionFinder,
) -> list[Relation]:
    found: list[Relation] = []

    def add(
        kind: RelationType, subject: ActorRef, obj: ActorRef, cue: Token, attribution: Attribution
    ) -> None:
        if subject.name.lower() == obj.name.lower():
            return
        start = min(cue.idx, *(a.mention.start for a in (subject, obj) if a.mention))
        end = max(cue.idx + len(cue.text), *(a.mention.end for a in (subject, obj) if a.mention))
        rel = Relation(
            article_id=article_id,
            relation_id=stable_id(article_id, index, kind, subject.name, obj.name),
            type=kind,
            subject=subject,
            object=obj,
            evidence=Span(text=doc_text(sent.doc)[start:end], start=start, end=end),
            sentence=index,
            attribution=attribution,
        )
        if all(r.relation_id != rel.relation_id for r in found):
            found.append(rel)

    for tok in sent:
        lemma = tok.lemma_.lower()
        # "X, a faction in Y" (apposition) and "X, which are part of Y" (relative clause)
        if lemma in MEMBER_NOUNS | ALLY_NOUNS and tok.dep_ in ("appos", "attr"):
            members = _members(tok, resolver)
            groups = [r for p in _preps(tok, ("of", "in", "within")) for r in resolver.resolve_all(p)]
            kind: RelationType = "allied_with" if lemma in ALLY_NOUNS else "member_of"
            attribution = attributions.for_event(tok, tok)
            for member in members:
                for group in groups:
                    add(kind, member, group, tok, attribution)
        # "a ceasefire brokered by the US and France"
        if lemma in MEDIATE_VERBS and tok.dep_ == "acl":
            mediators = [
                r
                for a in tok.children
                if a.dep_ == "agent"
                for p in a.children
                for r in resolver.resolve_all(p)
            ]
            event_noun = tok.head
            parties = [
                r
                for c in event_noun.subtree
                if c.dep_ == "compound" and c.i < event_noun.i
                for r in resolver.resolve(c)
            ]
            attribution = attributions.for_event(tok, tok)
            for mediator in mediators:
                for party in parties:
                    add("mediates", mediator, party, tok, attribution)
        # "the Iran-backed Houthis"
        if tok.text.lower().endswith(BACKED) or (
            tok.lower_ in ("backed", "supported") and tok.dep_ == "amod"
        ):
            backers = [
                r for c in tok.children if c.dep_ in ("npadvmod", "compound") for r in resolver.resolve(c)
            ]
            if tok.i > 1 and tok.doc[tok.i - 1].text == "-":
                backers += resolver.resolve(tok.doc[tok.i - 2])
            backed = resolver.resolve_all(tok.head)
            for backer in backers:
                for client in backed:
                    add("supports", backer, client, tok, AUTHOR)
        # "Y, led by X"
        if lemma == "lead" and tok.dep_ == "acl":
            leaders = [
                r
                for a in tok.children
                if a.dep_ == "agent"
                for p in a.children
                for r in resolver.resolve_all(p)
            ]
            for led in resolver.resolve(tok.head):
                for leader in leaders:
                    add("leads", leader, led, tok, AUTHOR)
    return found


def relations_from_events(events: list[Event]) -> list[Relation]:
    """An occurred SUPPORT event is also a standing relation: its source supports its target."""
    found: list[Relation] = []
    for event in events:
        if event.plover_type != "SUPPORT" or event.modality not in ("occurred", "ongoing"):
            continue
        for source in event.source_actors:
            for target in event.target_actors:
                found.append(
                    Relation(
                        article_id=event.article_id,
                        relation_id=stable_id(
                            event.article_id, event.sentence, "supports", source.name, target.name
                        ),
                        type="supports",
                        subject=source,
                        object=target,
                        evidence=event.evidence,
                        sentence=event.sentence,
                        attribution=event.attribution,
                    )
                )
    return found


def _members(noun: Token, resolver: ParticipantResolver) -> list[ActorRef]:
    """The actors a membership noun describes: the head of the apposition, or the antecedent of
    "which are part of" with all its coordinated siblings."""
    if noun.dep_ == "appos":
        return resolver.resolve_all(_list_head(noun.head))
    verb = noun.head  # "which are part of": attr of "are", a relative clause on the last member
    if verb.dep_ == "relcl":
        return resolver.resolve_all(_list_head(verb.head))
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return resolver.resolve_all(subj) if subj is not None else []


def _list_head(token: Token) -> Token:
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


def _preps(token: Token, preps: tuple[str, ...]) -> list[Token]:
    return [
        p for prep in token.children if prep.dep_ == "prep" and prep.lower_ in preps for p in prep.children
        if p.dep_ == "pobj"
    ]  # fmt: skip
