"""Attribution: who says so, through whom, and how hedged.

Sources, in order: the quotation an event sits in (with the speaker before the opening mark,
"X remarked, “...”", or after the closing one, "...” The source said."); a reporting verb above the
event ("a government source revealed that ..."); "according to X"; a media report the event is
described in ("a Maariv report, which highlighted ... attacks"). A speaker is classified as named
(a person), anonymous ("a source", "officials"), media (an outlet or a report) or organization.
Hedges ("allegedly", "reportedly") mark the attribution, whoever the speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventwatch.extract.modality import BACKGROUND_PREPS
from eventwatch.model import AUTHOR, ActorRef, Attribution, AttributionKind, Speaker
from eventwatch.nlp import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from eventwatch.extract.participants import ParticipantResolver

REPORTING_VERBS = frozenset(
    {
        "say", "state", "tell", "remark", "reveal", "announce", "report", "claim", "add", "confirm",
        "note", "stress", "emphasize", "emphasise", "insist", "explain", "disclose", "indicate",
        "assert", "allege", "acknowledge", "write", "quote", "cite", "reveald", "told", "warn",
        "highlight", "show", "suggest", "publish", "broadcast",
    }
)  # fmt: skip
HEDGES = frozenset(
    {
        "allegedly",
        "reportedly",
        "purportedly",
        "apparently",
        "supposedly",
        "unconfirmed",
        "alleged",
        "rumored",
    }
)
ANONYMOUS_NOUNS = frozenset(
    {
        "source",
        "official",
        "diplomat",
        "insider",
        "witness",
        "resident",
        "aide",
        "officer",
        "person",
        "people",
    }
)
MEDIA_NOUNS = frozenset(
    {
        "report", "newspaper", "channel", "media", "broadcaster", "radio", "outlet", "television",
        "tv", "daily", "news", "website", "paper", "station", "journalist", "reporter", "correspondent",
    }
)  # fmt: skip
QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("«", "»"))


@dataclass(frozen=True, slots=True)
class Quote:
    start: int
    end: int
    attribution: Attribution


class AttributionFinder:
    """Attribution for events of one document; quotations are found once per document."""

    def __init__(self, doc: Doc, resolver: ParticipantResolver) -> None:
        self.doc = doc
        self.resolver = resolver
        self.quotes = self._find_quotes()

    def for_event(self, trigger: Token, anchor: Token) -> Attribution:
        hedges = self._hedges(trigger)
        base = self._base(trigger, anchor)
        if hedges:
            return Attribution(
                kind=base.kind,
                speaker=base.speaker,
                via=base.via,
                hedged=True,
                cues=(*base.cues, *hedges),
            )
        return base

    def _base(self, trigger: Token, anchor: Token) -> Attribution:
        for quote in self.quotes:
            if quote.start <= trigger.idx < quote.end:
                return quote.attribution
        node = anchor if anchor.i != trigger.i else trigger
        seen: set[int] = set()
        while node.head.i != node.i and node.i not in seen:
            if node.dep_ == "prep" and node.lower_ in BACKGROUND_PREPS:
                break  # "despite a ceasefire brokered by ...": background the author states
            seen.add(node.i)
            child, node = node, node.head
            if node.lemma_.lower() in REPORTING_VERBS and node.pos_ == "VERB" and child.dep_ != "nsubj":
                speaker = _subject(node)
                if (
                    speaker is not None
                    and speaker.lower_ in ("which", "that", "who")
                    and node.dep_ == "relcl"
                ):
                    speaker = node.head  # "a report, which highlighted ...": the report speaks
                    if speaker.lemma_.lower() == "report":
                        return self._media_report(speaker)
                if speaker is not None:
                    return self._classify(speaker, cue=node, via=_via(node))
            if (
                node.pos_ == "NOUN"
                and node.lemma_.lower() == "report"
                and child.dep_ in ("relcl", "acl", "prep")
            ):
                return self._media_report(node)
        according = _according_to(trigger.sent)
        if according is not None:
            return self._classify(according, cue=according.head, via=None)
        return AUTHOR

    def _media_report(self, report: Token) -> Attribution:
        outlet = next(
            (
                c
                for c in report.children
                if c.dep_ in ("compound", "poss") and c.ent_type_ in ("ORG", "PERSON")
            ),
            None,
        )
        speaker = None
        if outlet is not None:
            refs = self.resolver.resolve(outlet)
            name = refs[0].name if refs else outlet.text
            speaker = Speaker(name=name, actor_id=refs[0].actor_id if refs else None)
        return Attribution(kind="media", speaker=speaker, via=None, cues=(report.text,))

    def _classify(self, speaker: Token, *, cue: Token, via: str | None) -> Attribution:
        refs = self.resolver.resolve(speaker)
        ref: ActorRef | None = refs[0] if refs else None
        lemma = speaker.lemma_.lower()
        kind: AttributionKind
        if (ref is not None and ref.type == "media") or lemma in MEDIA_NOUNS:
            kind = "media"
        elif ref is not None and (ref.type == "person" or speaker.ent_type_ == "PERSON"):
            kind = "named"
        elif lemma in ANONYMOUS_NOUNS and speaker.ent_type_ != "PERSON" and not _of_named_body(speaker):
            kind = "anonymous"
            ref = None
        elif ref is not None:
            kind = "organization"
        else:
            return Attribution(kind="author", cues=(cue.text,))
        name = ref.name if ref is not None else _phrase(speaker)
        return Attribution(
            kind=kind,
            speaker=Speaker(name=name, actor_id=ref.actor_id if ref else None),
            via=via,
            cues=(cue.text,),
        )

    def _hedges(self, trigger: Token) -> tuple[str, ...]:
        sent = trigger.sent
        found = [t.text for t in sent if t.lower_ in HEDGES]
        if _according_to(sent) is not None:
            found.append("according to")
        return tuple(found)

    def _find_quotes(self) -> list[Quote]:
        text = doc_text(self.doc)
        quotes: list[Quote] = []
        for opening, closing in QUOTE_PAIRS:
            if opening == closing:
                pattern = re.compile(
                    re.escape(opening) + r"([^" + re.escape(opening) + r"]{20,})" + re.escape(closing)
                )
            else:
                pattern = re.compile(
                    re.escape(opening) + r"([^" + re.escape(closing) + r"]{20,})" + re.escape(closing)
                )
            for match in pattern.finditer(text):
                attribution = self._quote_speaker(match.start(), match.end())
                if attribution is not None:
                    quotes.append(Quote(start=match.start(), end=match.end(), attribution=attribution))
        return quotes

    def _quote_speaker(self, start: int, end: int) -> Attribution | None:
        """The speaker of a quotation: a reporting verb outside the marks, in the sentence that
        opens the quote or in the words right after it closes."""
        before = self.doc.char_span(start, start + 1, alignment_mode="expand")
        after = self.doc.char_span(end - 1, end, alignment_mode="expand")
        candidates: list[SpacySpan] = []
        if before is not None:
            candidates.append(before.sent)
        if after is not None:
            candidates.append(after.sent)
            nxt = after.sent.end
            if nxt < len(self.doc):
                candidates.append(self.doc[nxt].sent)
        for sent in candidates:
            for tok in sent:
                if start <= tok.idx < end:
                    continue
                if tok.lemma_.lower() in REPORTING_VERBS and tok.pos_ == "VERB":
                    speaker = _subject(tok)
                    if speaker is not None and not start <= speaker.idx < end:
                        return self._classify(speaker, cue=tok, via=_via(tok))
        return None


def _of_named_body(speaker: Token) -> bool:
    """Unnamed officials of a named body speak for it ("US officials", "Ukrainian officials",
    "army officers"); a "source", however described, stays anonymous."""
    if speaker.lemma_.lower() == "source":
        return False
    named = ("NORP", "GPE", "ORG")
    return any(c.dep_ in ("amod", "compound", "poss") and c.ent_type_ in named for c in speaker.children)


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    return None


def _via(verb: Token) -> str | None:
    """The channel a statement went through: "told Army Radio", "speaking to Army Radio"."""
    places = [verb, *[c for c in verb.children if c.dep_ in ("nsubj",)]]
    for node in places:
        for child in node.subtree if node is not verb else node.children:
            if child.dep_ == "prep" and child.lower_ in ("to", "with") and child.head.lemma_ in (
                "speak", "tell", "talk", "remark", "say", "reveal", "interview", "reveald",
            ):  # fmt: skip
                pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
                if pobj is not None:
                    return _phrase(pobj)
        if node is verb:
            for child in node.children:
                if child.dep_ == "dobj" and child.ent_type_ == "ORG":
                    return _phrase(child)
    return None


def _according_to(sent: SpacySpan) -> Token | None:
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.nbor().lower_ == "to":
            for child in tok.nbor().children:
                if child.dep_ == "pobj":
                    return child
            for child in tok.children:
                for g in child.children:
                    if g.dep_ == "pobj":
                        return g
    return None


def _phrase(token: Token) -> str:
    words = [t for t in token.subtree if t.i <= token.i or t.dep_ in ("compound",)]
    text = token.doc[words[0].i : token.i + 1].text if words else token.text
    for prefix in ("the ", "The ", "a ", "A "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text
