"""Mentions beyond names: the nominal and pronominal references to persons and organisations
(ACE-style entity mentions), and the extents and kinds of the name mentions.

Analysts count who acts; an article names an actor once and then says "the group", "the
minister", "he", "we", "civilians". These rules add a mention record for each such reference,
with its ``form`` and, where it points back to a named mention, ``refers_to`` and that mention's
actor. They never touch ``doc.ents``. They are made before the events, and an event whose
participant is "it" or "they" takes the actor the pronoun's mention was linked to
(``ParticipantResolver.link_pronouns``); other participants are resolved as before.

- A common noun phrase is a mention only when its head noun is listed in ``nominals.yaml``
  ("the minister" PERSON, "the coalition" ORG). One person is a PERSON; several people ("Iraqi
  officials", "civilians") are a collective actor, ORG. A bare singular with no determiner or
  modifier is no reference ("by force", "in office"), nor is a predicate ("X was a commander")
  or a group of things ("a group of buildings"). A group noun before a noun for what it does is
  the group acting ("coalition air strikes").
- Places named by a common noun ("the city", "the hospital") get no mention: a GPE, LOC or FAC
  mention is a toponym to the geocoder and to every reader of ``place``.
- A demonym or an organisation's name before the head belongs to the phrase ("Iraqi forces",
  "ISIL fighters"): the phrase is the mention and carries the name's actor and place.
- Pronouns: "I", "me", "he", "him", "she", "her" are a PERSON; "we" is the speaking body, an
  ORG; "it", "they", "them" are a mention only with a named organisation as antecedent
  (participants' antecedent rules), never an expletive "it" nor one whose nearest subject is a
  thing ("The dam ... It also serves ..."). A possessive ("his", "its") belongs to the phrase it
  determines ("his government").
- A definite description with no name of its own refers to the nearest named mention before it,
  within a few sentences, whose title holds its head ("the minister" -> "Minister X") or whose
  name ends in it ("the command" -> "Central Command"); "the group" and "the president" also
  take the participants' antecedent rules. "The army" is a role, not a reference.
- Name extents: an organisation's or a place's "the" ("the United Nations"), a compass word
  before a place ("eastern Aleppo"), a person's title before the name ("Prime Minister X", "Col.
  X"); a name without a place inside a title (the "State" of "Secretary of State") is part of
  that mention, not one of its own.
- A country that is the subject of an active verb is the state acting ("The United States
  condemns ..."): an ORG mention, its place kept.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwatch.errors import ResourceError
from eventwatch.extract.entities import mention_of
from eventwatch.extract.participants import GROUP_NOUNS, PERSON_NOUNS
from eventwatch.model import Mention, MentionForm, stable_id

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from eventwatch.extract.participants import ParticipantResolver

NOMINALS_PATH = Path(__file__).resolve().parent.parent / "resources" / "nominals.yaml"
NAME_KINDS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
HEAD_POS = frozenset({"NOUN", "PROPN"})
# dependents before a head that belong to its noun phrase
LEFT_DEPS = frozenset(
    {"det", "amod", "compound", "nummod", "poss", "quantmod", "nmod", "npadvmod", "predet", "advmod"}
)
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})  # a noun here modifies another: no mention
TITLE_DEPS = frozenset({"compound", "amod", "nmod", "det", "punct", "poss", "case", "prep", "pobj", "appos"})
TITLE_GLUE = frozenset({"of", "for", "the", "'s", "’s", "-", "–", "."})
COMPASS = frozenset(
    {
        "northern", "southern", "eastern", "western", "central", "northeastern", "northwestern",
        "southeastern", "southwestern", "north", "south", "east", "west", "northeast", "northwest",
        "southeast", "southwest",
    }
)  # fmt: skip
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
PERSON_PRONOUNS = frozenset(
    {"i", "me", "my", "myself", "he", "him", "his", "himself", "she", "her", "hers", "herself"}
)
THIRD_PERSON = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
GROUP_PRONOUNS = frozenset({"we"})
RESOLVED_PRONOUNS = frozenset({"it", "its", "they", "them", "their"})
EXPLETIVE_HEADS = frozenset({"be", "seem", "appear", "take", "make", "remain", "mean"})
NEEDS_OF = frozenset({"head"})  # "the head of ...", never "shot in the head"
MAX_OF_TOKENS = 8
ANTECEDENT_SENTENCES = 4


@dataclass(frozen=True, slots=True)
class Nominals:
    """The reviewed head nouns of ``nominals.yaml`` (see its header), lower-case lemmas."""

    person: frozenset[str]
    group: frozenset[str]
    title_abbreviations: frozenset[str]
    of_heads: frozenset[str]

    def kind_of(self, word: str, *, plural: bool) -> str | None:
        """The mention kind a head noun gives its phrase, or None for a noun that is no mention."""
        if word in self.person:
            return "ORG" if plural or word == "people" or word == "troops" else "PERSON"
        if word in self.group:
            return "ORG"
        return None

    def is_title(self, word: str) -> bool:
        """A word of a person's title: "minister", "Col.", "Gen", "Secretary"."""
        key = word.lower().rstrip(".")
        return key in self.person or key in self.title_abbreviations


FIELDS = ("person", "group", "title_abbreviations", "of_heads")


def parse_nominals(data: object, *, source: str) -> Nominals:
    """Validate the YAML mapping of ``nominals.yaml``: every list present, single lower-case words,
    no word in two kinds."""
    if not isinstance(data, dict):
        raise ResourceError(f"{source}: expected a mapping with the lists {', '.join(FIELDS)}")
    lists: dict[str, frozenset[str]] = {}
    for name in FIELDS:
        words = data.get(name)
        if not isinstance(words, list) or not words:
            raise ResourceError(f"{source}: {name!r} must be a non-empty list of words")
        for word in words:
            if not isinstance(word, str) or word != word.strip().lower() or " " in word or not word:
                raise ResourceError(f"{source}: {name}: {word!r} is not one lower-case word")
        lists[name] = frozenset(words)
    both = lists["person"] & lists["group"]
    if both:
        raise ResourceError(f"{source}: {sorted(both)} listed both as person and as group")
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ResourceError(f"{source}: unknown keys {sorted(unknown)}")
    return Nominals(**lists)


@functools.cache
def default_nominals() -> Nominals:
    """The packaged ``nominals.yaml``, read once per process."""
    import yaml

    try:
        data: Any = yaml.safe_load(NOMINALS_PATH.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ResourceError(f"{NOMINALS_PATH}: cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ResourceError(f"{NOMINALS_PATH}: invalid YAML: {exc}") from exc
    return parse_nominals(data, source=str(NOMINALS_PATH))


@dataclass(slots=True)
class _Name:
    """A name mention while its extent and kind are worked out, with its tokens."""

    mention: Mention
    start: int  # token span of the name as the NER found it
    end: int
    ext_start: int  # token span of the mention's extent
    ext_end: int
    kind: str
    dropped: bool = False


@dataclass(frozen=True, slots=True)
class _Link:
    """What a reference points back to: the mention's id, its kind and its actor."""

    mention_id: str
    kind: str
    actor: Any


def coreference_mentions(
    doc: Doc,
    mentions: Sequence[Mention],
    *,
    article_id: str,
    resolver: ParticipantResolver,
    sentence_of: Mapping[int, int],
    nominals: Nominals | None = None,
) -> list[Mention]:
    """``mentions`` with the extents and kinds of the name mentions mended, and the nominal and
    pronominal mentions added (see the module docstring). Other mentions pass unchanged."""
    table = nominals or default_nominals()
    names: list[_Name] = []
    others: list[Mention] = []
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end) if mention.kind in NAME_KINDS else None
        if span is None or not len(span):
            others.append(mention)
            continue
        names.append(_Name(mention, span.start, span.end, span.start, span.end, mention.kind))
    for name in names:
        _extend(doc, name, table)
        if name.kind == "GPE" and _state_acting(doc, name):
            name.kind = "ORG"
    _absorb_in_titles(names)
    built = _Builder(doc, article_id, sentence_of, names, resolver, table)
    references = built.nominals() + built.pronouns()
    renamed = [_renamed(n, doc, article_id) for n in names if not n.dropped]
    return [*renamed, *references, *others]


def _extend(doc: Doc, name: _Name, table: Nominals) -> None:
    """The extent of a name: a person's title before it, an organisation's or place's "the"."""
    root = doc[name.start : name.end].root
    if name.kind == "PERSON":
        i = name.start - 1
        while i >= 0 and _in_title(doc[i], root, table):
            i -= 1
        first = i + 1
        while first < name.start and (doc[first].is_punct or doc[first].lower_ in ("of", "for", "-")):
            first += 1
        if first < name.start and any(table.is_title(t.text) for t in doc[first : name.start]):
            name.ext_start = first
        # "Lt. Gen. X": abbreviated titles, however the parser split their full stops
        i = name.ext_start
        while True:
            j = i - 1 if i >= 1 and doc[i - 1].text == "." else i
            if j >= 1 and doc[j - 1].is_title and doc[j - 1].lower_.rstrip(".") in table.title_abbreviations:
                i = j - 1
            else:
                break
        name.ext_start = i
    elif name.kind in ("ORG", "GPE", "LOC", "FAC") and name.start > 0:
        before = doc[name.start - 1]
        inside = name.start <= before.head.i < name.end
        if before.lower_ == "the" and before.dep_ == "det" and inside:
            name.ext_start = name.start - 1
        elif name.kind in ("GPE", "LOC") and before.lower_ in COMPASS and before.dep_ in ("amod", "compound"):
            name.ext_start = name.start - 1  # "eastern Aleppo" is a part of the city, named so


def _in_title(token: Token, root: Token, table: Nominals) -> bool:
    if token.sent.start > token.i or not root.is_ancestor(token) or token.dep_ not in TITLE_DEPS:
        return False
    if "\n" in token.text_with_ws or (token.ent_type_ in ("GPE", "LOC") and _after_preposition(token)):
        return False  # "In Turkey Minister X": the place is where, not part of the title
    return (
        token.is_title
        or token.is_upper
        or token.lower_ in TITLE_GLUE
        or (token.is_lower and table.is_title(token.text) and token.dep_ == "compound")
    )


def _plural_name(span: SpacySpan) -> bool:
    """ "the Houthis", "Syrian Democratic Forces": a name that takes "they"."""
    return span.root.tag_ in ("NNS", "NNPS") or (span.root.text.endswith("s") and span.root.is_title)


def _after_preposition(token: Token) -> bool:
    i = token.i
    while i > 0 and token.doc[i - 1].ent_iob_ == "I" and i > token.sent.start:
        i -= 1
    return i > 0 and token.doc[i - 1].pos_ == "ADP"


def _state_acting(doc: Doc, name: _Name) -> bool:
    """A country as the subject of an active verb, or a conjunct of one: the state acting."""
    place = name.mention.place
    if place is None or place.precision != "country":
        return False
    root = doc[name.start : name.end].root
    while root.dep_ == "conj" and root.head.i < root.i:
        root = root.head
    return root.dep_ == "nsubj" and root.head.pos_ in ("VERB", "AUX")


def _absorb_in_titles(names: list[_Name]) -> None:
    """A name without a place inside a person's title ("FCO" of "FCO Minister X", "State" of
    "Secretary of State X") is part of the person's mention."""
    people = [n for n in names if n.kind == "PERSON" and n.ext_start < n.start]
    for name in names:
        if name.kind in ("ORG", "NORP") and name.mention.place is None:
            for person in people:
                if person.ext_start <= name.start and name.end <= person.start:
                    name.dropped = True


def _name_id(name: _Name, doc: Doc, article_id: str) -> str:
    """The id of a name's mention record (as ``article.mention_of`` makes it, on the extent)."""
    if (name.ext_start, name.ext_end, name.kind) == (name.start, name.end, name.mention.kind):
        return name.mention.mention_id
    span = doc[name.ext_start : name.ext_end]
    return stable_id(article_id, span.start_char, span.end_char, name.kind)


def _renamed(name: _Name, doc: Doc, article_id: str) -> Mention:
    m = name.mention
    if (name.ext_start, name.ext_end, name.kind) == (name.start, name.end, m.kind):
        return m
    span = doc[name.ext_start : name.ext_end]
    return replace(
        m,
        mention_id=_name_id(name, doc, article_id),
        kind=name.kind,
        text=span.text,
        start=span.start_char,
        end=span.end_char,
    )


class _Builder:
    """Builds the nominal and pronominal mentions of one document."""

    def __init__(
        self,
        doc: Doc,
        article_id: str,
        sentence_of: Mapping[int, int],
        names: list[_Name],
        resolver: ParticipantResolver,
        table: Nominals,
    ) -> None:
        self.doc = doc
        self.article_id = article_id
        self.sentence_of = sentence_of
        self.names = names
        self.resolver = resolver
        self.table = table
        self.in_name: set[int] = {
            i for n in names for i in range(min(n.start, n.ext_start), max(n.end, n.ext_end))
        }
        self.in_name |= {t.i for ent in doc.ents for t in ent}
        self.nominal_heads: set[int] = set()
        self.collectives: list[tuple[Token, Mention]] = []  # plural ORG nominals, for "they"
        self.nominal_at: dict[int, Mention] = {}  # head token -> nominal mention

    # -- nominals -------------------------------------------------------------------------
    def nominals(self) -> list[Mention]:
        found: list[tuple[Token, str, int, int, Any, Any]] = []
        taken: set[int] = set()
        self.nominal_heads = {
            t.i for t in self.doc if t.i not in self.in_name and t.pos_ in HEAD_POS and self._nominal_kind(t)
        }
        for token in self.doc:
            if token.i in self.in_name or token.i in taken or token.pos_ not in HEAD_POS:
                continue
            kind = self._nominal_kind(token)
            if kind is None:
                continue
            start, end = self._extent(token)
            if any(i in taken for i in range(start, end)):
                continue
            taken.update(range(start, end))
            actor, place = self._absorb(token, kind, start, end)
            found.append((token, kind, start, end, actor, place))
        # antecedents only once every absorbed name is known: a dropped name is no antecedent
        out = [self._nominal(*item) for item in found]
        self.nominal_at = {item[0].i: m for item, m in zip(found, out, strict=True)}
        self.collectives = [
            (item[0], m)
            for item, m in zip(found, out, strict=True)
            if m.kind == "ORG" and item[0].tag_ in ("NNS", "NNPS")
        ]
        return out

    def _nominal_kind(self, token: Token) -> str | None:
        word = token.lemma_.lower()
        if token.dep_ == "compound" and self._group_modifier(token):
            return "ORG"  # "coalition air strikes": the group that acts
        if token.dep_ in MODIFIER_DEPS or token.dep_ == "attr":
            return None  # "Iraqi army officers" is one phrase; "X is a commander" describes X
        plural = token.tag_ in ("NNS", "NNPS")
        kind = self.table.kind_of(word, plural=plural) or self.table.kind_of(token.lower_, plural=plural)
        if kind is None:
            return None
        if token.is_upper and len(token) > 1:
            return None  # an acronym the NER missed is no common noun
        if word in NEEDS_OF and not self._of_phrase(token):
            return None
        of = self._of_phrase(token)
        if word in self.table.group and of is not None and not self._of_people(of):
            return None  # "a group of buildings" counts things
        left = [c for c in token.lefts if c.dep_ in LEFT_DEPS]
        if any(c.dep_ == "det" and c.lower_ in ("no", "any", "neither") for c in left):
            return None  # "no group claimed it": nobody in particular
        if not plural and not left and not self._of_phrase(token) and token.lower_ != "people":
            return None  # "by force", "in office": no reference to one thing
        return kind

    def _group_modifier(self, token: Token) -> bool:
        """A group noun before a noun for what it does ("coalition strikes", "government
        operations"), not before another actor noun ("army officers", "coalition forces")."""
        if token.lemma_.lower() not in self.table.group or token.is_upper:
            return False
        head = token.head
        while head.dep_ == "compound" and head.head.i > head.i:
            head = head.head
        if head.pos_ != "NOUN":
            return False
        return all(self.table.kind_of(w, plural=True) is None for w in (head.lemma_.lower(), head.lower_))

    def _of_people(self, of: Token) -> bool:
        objects = [c for c in of.children if c.dep_ == "pobj"]
        return any(
            o.i in self.in_name
            or self.table.kind_of(o.lemma_.lower(), plural=True) is not None
            or self.table.kind_of(o.lower_, plural=True) is not None
            for o in objects
        )

    def _of_phrase(self, token: Token) -> Token | None:
        """The "of" right after the head ("the families of the victims"), or the "for" of a title
        ("Minister for the Middle East", "High Commissioner for Refugees")."""
        title = token.is_title and token.lemma_.lower() in self.table.person
        for child in token.rights:
            if (
                child.dep_ == "prep"
                and child.i == token.i + 1
                and (child.lower_ == "of" or (title and child.lower_ == "for"))
            ):
                return child
        return None

    def _extent(self, token: Token) -> tuple[int, int]:
        lefts = [c.left_edge.i for c in token.lefts if c.dep_ in LEFT_DEPS]
        start = min([token.i, *lefts])
        for i in range(start, token.i):  # "Coalition or partner forces": the phrase after the "or"
            t = self.doc[i]
            if t.dep_ == "cc" or t.text == "," or t.pos_ in ("VERB", "AUX") or "\n" in t.text_with_ws:
                start = i + 1  # nor across a verb or a line break the parser read through
        while start < token.i and (self.doc[start].is_punct or self.doc[start].is_space):
            start += 1
        end = token.i + 1
        of = self._of_phrase(token)
        word = token.lemma_.lower()
        if of is not None and (
            word in self.table.of_heads or token.lower_ in self.table.of_heads or token.is_title
        ):
            right = next((t.i for t in of.subtree if t.dep_ == "cc" or t.is_punct), of.right_edge.i + 1)
            if right - of.i <= MAX_OF_TOKENS and right > of.i + 1:
                end = right
        return start, end

    def _absorb(self, token: Token, kind: str, start: int, end: int) -> tuple[Any, Any]:
        """Drop the demonyms and organisation names that modify the head ("Iraqi forces", "ISIL
        fighters") or sit in a person's title ("the Secretary of State"); their actor and place
        go to the phrase."""
        actor = None
        place = None
        for name in self.names:
            if name.dropped or not (start <= name.start and name.end <= end):
                continue
            absorbed = name.kind == "NORP" or (name.kind == "ORG" and name.mention.place is None)
            premodifier = name.end <= token.i and self.doc[name.start : name.end].root.dep_ in MODIFIER_DEPS
            single = name.end - name.start == 1 and kind == "PERSON"
            if absorbed and (premodifier or single):
                name.dropped = True
                actor = actor or name.mention.actor
                place = place or name.mention.place
        return actor, place

    def _nominal(self, token: Token, kind: str, start: int, end: int, actor: Any, place: Any) -> Mention:
        span = self.doc[start:end]
        target = self._nominal_antecedent(token, kind, start) if self._definite(token) else None
        # the antecedent's actor; else the phrase's own role ("the Iraqi government" -> IRQGOV);
        # else the actor of the name it took in
        own = target.actor if target is not None else self._own_actor(token, start, end)
        actor = own or actor
        return self._mention(span, kind, "nominal", target, actor=actor, place=place)

    def _definite(self, token: Token) -> bool:
        return any(c.dep_ == "det" and c.lower_ in DEFINITE for c in token.lefts)

    def _own_actor(self, token: Token, start: int, end: int) -> Any:
        """The actor the phrase itself names ("Iraqi forces" -> IRQMIL), never one from elsewhere."""
        span = self.doc[start:end]
        for ref in self.resolver.resolve(token):
            if ref.mention is not None and span.start_char <= ref.mention.start < span.end_char:
                return ref
        return None

    def _nominal_antecedent(self, token: Token, kind: str, start: int) -> _Link | None:
        """The named mention a definite description points back to. Only a bare description refers
        back ("the group", "the minister"); one with a name or a possessive of its own ("the
        Lebanese armed group", "Israel's army") is specific, and "the army" is a role, resolved
        by the participants' rules to the article's country, not to the last group named."""
        if token.tag_ in ("NNS", "NNPS"):
            return None
        if any(t.i in self.in_name or t.dep_ == "poss" for t in self.doc[start : token.i]):
            return None
        word = token.lemma_.lower()
        sentence = self.sentence_of.get(token.i, 0)
        for n in reversed(self.names):
            if n.dropped or n.ext_end > token.i or n.kind != kind:
                continue
            if sentence - self.sentence_of.get(n.start, 0) > ANTECEDENT_SENTENCES:
                break
            words = self.doc[n.ext_start : n.ext_end]
            titled = kind == "PERSON" and any(t.lemma_.lower() == word for t in words)
            if titled or (kind == "ORG" and words[-1].lemma_.lower() == word):
                return self._link(n)  # "the minister" -> "Minister X"; "the command" -> "Central Command"
        if word in GROUP_NOUNS:
            return self._salient(token, kind, states=False)
        if kind == "PERSON" and word in PERSON_NOUNS:
            person = self._resolved(token, kind)
            return None if person is None else self._link(person)
        return None

    # -- pronouns -------------------------------------------------------------------------
    def pronouns(self) -> list[Mention]:
        out: list[Mention] = []
        for token in self.doc:
            word = token.lower_
            if token.i in self.in_name or token.tag_ != "PRP":
                continue  # a possessive ("his", "its") belongs to the phrase it determines
            if word in PERSON_PRONOUNS:
                person = self._resolved(token, "PERSON") if word in THIRD_PERSON else None
                out.append(self._pronoun(token, "PERSON", None if person is None else self._link(person)))
            elif word in GROUP_PRONOUNS:
                out.append(self._pronoun(token, "ORG", None))
            elif word in RESOLVED_PRONOUNS and not self._expletive(token):
                target = self._salient(token, "ORG", states=True)
                if target is not None:
                    out.append(self._pronoun(token, "ORG", target))
        return out

    def _expletive(self, token: Token) -> bool:
        """An "it" or "they" that points at no actor: an expletive ("it is important that"), or one
        whose nearest subject before it is a thing ("The dam ... It also serves ...")."""
        if token.dep_ == "expl":
            return True
        if token.lower_ == "it" and (
            token.head.lemma_ in EXPLETIVE_HEADS
            or token.head.pos_ == "ADJ"
            or any(c.dep_ in ("acomp", "ccomp", "xcomp", "oprd") for c in token.head.children)
        ):
            return True  # "it is important that", "made it clear", "it's worthwhile"
        start = token.sent.start
        sentence = self.sentence_of.get(token.i, 0)
        if sentence > 0:
            start = next(
                (t.i for t in self.doc[: token.sent.start] if self.sentence_of.get(t.i) == sentence - 1),
                start,
            )
        for prev in reversed(self.doc[start : token.i]):
            if prev.dep_ in ("nsubj", "nsubjpass") and prev.pos_ in ("NOUN", "PROPN"):
                return prev.i not in self.in_name and prev.i not in self.nominal_heads
        return False

    def _salient(self, token: Token, kind: str, *, states: bool) -> _Link | None:
        """The antecedent of "the group", "it", "they": the participants' reporting-clause rule
        ("X said it would ..."), else the most salient actor before it: the nearest sentence
        that names one, its subject first ("Ansar Allah ... is a member of the Axis of
        Resistance. The group says ..." -> Ansar Allah). A place or a state in between blocks an
        organisation further back; "the group" never points at a state; "they" points at a
        plural name ("the Houthis") or a collective ("Iraqi officials ... They ...")."""
        if token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ in ("ccomp", "xcomp", "advcl"):
            speaker = next(
                (
                    c
                    for c in token.head.head.children
                    if c.dep_ in ("nsubj", "nsubjpass") and c.i < token.i and c.pos_ != "PRON"
                ),
                None,
            )
            if speaker is not None:  # "The army said it had ...": the speaker or nobody
                return self._link_of(speaker, kind)
        plural = token.lower_ in ("they", "them", "their")
        sentence = self.sentence_of.get(token.i, 0)
        candidates: list[tuple[tuple[int, bool, int], _Link]] = []
        for name in self.names:
            if name.dropped or name.ext_end > token.i or name.kind in ("PERSON", "NORP"):
                continue
            actor = name.mention.actor
            if actor is None or actor.type in (None, "person") or (actor.type == "state" and not states):
                continue
            if plural and not _plural_name(self.doc[name.start : name.end]):
                continue
            root = self.doc[name.start : name.end].root
            candidates.append((self._salience(root, sentence), self._link(name)))
        if plural:
            for head, mention in self.collectives:
                if mention.end <= token.idx:
                    link = _Link(mention.refers_to or mention.mention_id, mention.kind, mention.actor)
                    candidates.append((self._salience(head, sentence), link))
        candidates = [c for c in candidates if c[0][0] <= ANTECEDENT_SENTENCES]
        if not candidates:
            return None
        best = min(candidates, key=lambda c: c[0])[1]
        return best if best.kind == kind else None

    def _link_of(self, token: Token, kind: str) -> _Link | None:
        """The mention whose head is ``token`` (a name or a nominal), if it is of ``kind``."""
        nominal = self.nominal_at.get(token.i)
        if nominal is not None:
            link = _Link(nominal.refers_to or nominal.mention_id, nominal.kind, nominal.actor)
            return link if link.kind == kind else None
        for name in self.names:
            if not name.dropped and name.ext_start <= token.i < name.ext_end:
                return self._link(name) if name.kind == kind else None
        return None

    def _salience(self, root: Token, sentence: int) -> tuple[int, bool, int]:
        """Sort key of an antecedent: sentences back, not a subject, the later the better."""
        back = sentence - self.sentence_of.get(root.i, 0)
        return (back, root.dep_ not in ("nsubj", "nsubjpass"), -root.i)

    def _link(self, name: _Name) -> _Link:
        return _Link(_name_id(name, self.doc, self.article_id), name.kind, name.mention.actor)

    def _resolved(self, token: Token, kind: str) -> _Name | None:
        """The named mention of ``kind`` the participants' rules take as the antecedent."""
        ref = self.resolver.antecedent(token)
        if ref is None or ref.mention is None:
            return None
        for name in self.names:
            span = self.doc[name.ext_start : name.ext_end]
            if not name.dropped and span.start_char <= ref.mention.start < span.end_char:
                return name if name.kind == kind else None
        return None

    def _pronoun(self, token: Token, kind: str, target: _Link | None) -> Mention:
        span = self.doc[token.i : token.i + 1]
        actor = target.actor if target is not None else None
        return self._mention(span, kind, "pronoun", target, actor=actor, place=None)

    def _mention(
        self, span: SpacySpan, kind: str, form: MentionForm, target: _Link | None, *, actor: Any, place: Any
    ) -> Mention:
        refers_to = None if target is None else target.mention_id
        return mention_of(
            self.article_id,
            span,
            kind,
            self.sentence_of,
            actor=actor,
            place=place,
            form=form,
            refers_to=refers_to,
        )
