"""Who takes part: noun phrases of the dependency parse resolved to actors.

A nominal head is resolved, in order, as (1) the named entity it belongs to, through the actor
base (with a person's title giving country and role: "Israeli Minister Zeev Elkin" -> ISRGOV);
(2) a pronoun or definite description ("it", "the group"), through the mention coreference's link
where it made one, else the nearest compatible actor before it ("they" takes all the conjoined
parties of its antecedent, never a place or a lone person); (3) a role phrase ("the Iraqi armed
forces" -> IRQMIL); (4) a phrase whose actor sits in a possessive or a "from/in/of" modifier
("movements from Iraq and Yemen" -> IRQ, YEM), or a verb of membership ("rebels belonging to the
ELN"); a role that belongs to a place ("the mayor of Nablus", "Gaza police") is that place's
country in that role (PSEGOV, PSECOP). A phrase that resolves to nothing is not an actor.

A relative pronoun stands for the noun its clause follows ("the mayor, who was kidnapped"); a list
of names is read whole, however the parse nests it (conjuncts, appositions, "including"); people
whose identity is hidden ("unidentified individuals", "masked men") are an unidentified armed
group, not civilians; a two-word name that the tagger took for a place but no gazetteer knows
is kept as a named party.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from eventwatch.model import ActorRef, Place, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from eventwatch.resources.actors import ActorBase

PlaceLookup = Callable[[str, str], Place | None]  # (name, NER label) -> place
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
PRONOUNS = frozenset({"he", "she", "it", "they", "them", "him", "her", "its", "their", "his"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "case"})
SKIP_WORDS = frozenset({"the", "a", "an", "these", "those", "this", "that", "key", "so", "called", "-"})
GROUP_NOUNS = frozenset(
    {"group", "faction", "movement", "militia", "organization", "organisation", "party", "force", "coalition"}
)
PERSON_NOUNS = frozenset({"minister", "president", "leader", "spokesman", "spokeswoman", "official", "chief"})
ANCHOR_PREPS = ("from", "in", "of", "within", "throughout")
# a role of a place that belongs to it, not one that is only there: "the mayor of Nablus", "Gaza's
# police" are the place's authorities (its state's role), "soldiers in Nablus" may be anyone's
BELONGING_DEPS = frozenset({"poss", "compound", "of"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
# nouns that name a territory even where they can name its government: "Sennar state" is a place
TERRITORY_NOUNS = frozenset(
    {"state", "municipality", "province", "region", "district", "county", "governorate"}
)
STATE_ROLES = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "whose"})
# "unidentified individuals", "masked men": people whose identity is withheld or hidden are, as
# doers of violence, an unidentified armed group (ACLED's convention), not civilians
CONCEALED = frozenset({"unidentified", "unknown", "masked", "hooded", "armed", "uniformed", "presumed"})
# a list of names goes on past short descriptions ("X, 55, from Spain; Y, a driver; and Z")
LIST_DEPS = frozenset({"conj", "appos"})
MEMBERSHIP_VERBS = frozenset({"belong", "affiliate", "link", "tie", "attach", "loyal"})


class ParticipantResolver:
    """Resolves noun phrases of one parsed document to actors; remembers what it resolved so that
    pronouns and definite descriptions find their antecedents."""

    def __init__(
        self,
        doc: Doc,
        actors: ActorBase,
        *,
        places: PlaceLookup | None = None,
        home_country: str | None = None,
    ) -> None:
        self.doc = doc
        self.actors = actors
        self.places = places
        self.home_country = home_country
        self._ent_at: dict[int, SpacySpan] = {t.i: ent for ent in doc.ents for t in ent}
        self._cache: dict[int, ActorRef | None] = {}
        self._antecedents: list[tuple[int, ActorRef]] | None = None
        self._linked: dict[int, ActorRef] = {}  # pronoun token -> actor, from the mention coreference
        self._resolving: set[int] = set()  # heads being resolved now: a phrase may lead back to itself

    def link_pronouns(self, links: dict[int, ActorRef]) -> None:
        """Take the mention coreference's answers for pronouns (token index -> actor); a pronoun
        it did not link still goes to the nearest compatible actor."""
        self._linked = dict(links)

    # -- entities -------------------------------------------------------------------------
    def entity(self, token: Token) -> SpacySpan | None:
        return self._ent_at.get(token.i)

    def span_of(self, start_token: int, end_token: int) -> Span:
        span = self.doc[start_token:end_token]
        return Span(text=span.text, start=span.start_char, end=span.end_char)

    def entity_actor(self, ent: SpacySpan) -> ActorRef | None:
        """The actor an entity names, with its mention; None for entities that are not actors."""
        if ent.label_ not in ACTOR_LABELS:
            return None
        mention = Span(text=ent.text, start=ent.start_char, end=ent.end_char)
        entry = self.actors.get(ent.ent_id_) if ent.ent_id_ else None
        ref = self.actors.ref(entry) if entry is not None else self.actors.resolve(_clean(ent.text))
        people = ent.label_ == "NORP" and _people_noun(ent)
        if people and ref is not None and ref.country and ref.name != ent.text:
            # "a group of Turks", "Palestinians": people of the country, not its state
            return _people_of(ref.country, ent.text, mention)
        if ent.label_ == "PERSON" and (ref is None or ref.country is None):
            titled = self._title_of(ent)
            if titled is not None:
                return ActorRef(
                    name=ent.text if ref is None else ref.name,
                    actor_id=None if ref is None else ref.actor_id,
                    type="person",
                    country=titled.country,
                    cameo_code=titled.cameo_code,
                    mention=mention,
                )
            if ref is None:
                return ActorRef(name=ent.text, type="person", mention=mention)
        if ref is None:
            if ent.label_ == "ORG":
                return ActorRef(name=ent.text, type="organization", mention=mention)
            return self._place_actor(ent, mention)
        return _with_mention(ref, mention)

    def _place_actor(self, ent: SpacySpan, mention: Span) -> ActorRef | None:
        """A place named as a party ("strikes on Gaza"): those in that place, by its country."""
        place = (
            self.places(ent.text, ent.label_) if self.places and ent.label_ in ("GPE", "LOC", "FAC") else None
        )
        if place is None or place.country is None:
            return None
        return ActorRef(
            name=place.name, type="location", country=place.country, cameo_code=place.country, mention=mention
        )

    def _title_of(self, ent: SpacySpan) -> ActorRef | None:
        """A person's title from the words before the name: "Israeli Minister", "Iraq's defence
        minister" -> the role actor."""
        root = ent.root
        words = [t for t in root.subtree if t.i < ent.start and t.dep_ in MODIFIER_DEPS | {"det"}]
        words += [t for t in root.children if t.dep_ == "appos"]
        if not words:
            return None
        kept = [t for t in sorted(words, key=lambda t: t.i) if t.lower_ not in SKIP_WORDS]
        if not kept:
            return None
        ref = self.actors.resolve(_phrase(kept))
        if ref is None and len(kept) > 1:  # "Telecommunications Minister": the role noun alone
            ref = self.actors.resolve(kept[-1].text)
        return ref

    # -- nominal heads --------------------------------------------------------------------
    def resolve(self, token: Token) -> list[ActorRef]:
        """Actors for one nominal head (its conjuncts are the caller's business). A state role
        with no country ("the army", "police") is taken to be the article's main country's."""
        if token.i in self._resolving:
            return []  # a phrase that leads back to itself ("members of their group" -> "their" -> ...)
        self._resolving.add(token.i)
        try:
            return in_whole_phrase(self, token, [self._localised(ref) for ref in self._resolve(token)])
        finally:
            self._resolving.discard(token.i)

    def _localised(self, ref: ActorRef) -> ActorRef:
        if ref.country or not self.home_country or ref.cameo_code not in STATE_ROLES:
            return ref
        return ActorRef(
            name=ref.name,
            actor_id=f"{self.home_country}{ref.cameo_code}",
            type=ref.type,
            country=self.home_country,
            cameo_code=f"{self.home_country}{ref.cameo_code}",
            mention=ref.mention,
        )

    def _resolve(self, token: Token) -> list[ActorRef]:
        ent = self.entity(token)
        if ent is not None:
            ref = self.entity_actor(ent)
            if ref is None and ent.label_ in ("LOC", "FAC"):
                ref = self._place_actor(ent, Span(text=ent.text, start=ent.start_char, end=ent.end_char))
            if ref is None and _unplaced_name(ent):
                # a name of two or more words that no gazetteer knows, where a participant stands
                # ("killing Jacinta Pulido"): a named party the tagger took for a place
                ref = ActorRef(
                    name=ent.text, mention=Span(text=ent.text, start=ent.start_char, end=ent.end_char)
                )
            if ref is not None:
                return [ref]
        if token.lower_ in RELATIVE_PRONOUNS and token.pos_ in ("PRON", "DET"):
            # "the mayor, who was kidnapped", "X, whose murder ...": the noun the clause follows
            clause = next((a for a in list(token.ancestors)[:3] if a.dep_ in ("relcl", "acl")), None)
            if clause is not None and clause.head.pos_ in ("NOUN", "PROPN"):
                return self._resolve(_before_insertion(token, clause.head))
        if token.lower_ in PRONOUNS and token.pos_ == "PRON":
            mention = self.span_of(token.i, token.i + 1)
            return [_with_mention(ref, mention) for ref in self.antecedents_of(token)]
        ref = self._role_phrase(token)
        if ref is not None and (ref.actor_id or ref.country):
            return [ref]
        if ref is not None:  # a bare role: "fighters of the Sudan Shield Forces" names its group
            # a named group, known or not ("rebels belonging to the X Army"), not a place or a person
            anchored = [
                a for a in self._anchored(token) if a.actor_id or a.country or a.type == "organization"
            ]
            # the mention keeps the role's words: "guerrillas of the ELN", not "ELN" alone
            return [self._widened(a, ref.mention) for a in anchored] or [ref]
        if _is_definite_description(token):
            ante = self.antecedent(token)
            if ante is not None:
                return [_with_mention(ante, self.span_of(token.i, token.i + 1))]
        return self._anchored(token)

    def unnamed_party(self, token: Token) -> list[ActorRef]:
        """People the report does not name and the actor base does not know, where the doer of a
        violent act stands ("a group of unidentified persons", "two men on a motorcycle", "groups
        from this new movement"): kept in the report's words, so that the act keeps its doer."""
        if token.pos_ != "NOUN" or token.lemma_.lower() not in PEOPLE_HEADS or self.entity(token) is not None:
            return []
        start, end = _extent(token) or (token.idx, token.idx + len(token.text))
        text = self.doc.text[start:end]
        return [ActorRef(name=_clean(text), mention=Span(text=text, start=start, end=end))]

    def _widened(self, ref: ActorRef, role: Span | None) -> ActorRef:
        """``ref`` with its mention stretched back over the role phrase before it."""
        mention = ref.mention
        if role is None or mention is None or role.start >= mention.start or mention.start - role.end > 40:
            return ref
        text = self.doc.text[role.start : mention.end]
        return _with_mention(ref, Span(text=text, start=role.start, end=mention.end))

    def resolve_all(self, token: Token) -> list[ActorRef]:
        """Actors for a head and its coordinated siblings ("Iraq and Yemen"), and for the members
        of a list of names that the parse hangs as appositions ("X, 55, from Spain; Y, 52; and Z")
        or the names an apposition gives ("three peasants, X and Y")."""
        found: list[ActorRef] = []
        for tok in _listed(token):
            for ref in self.resolve(tok):
                if all(_key(ref) != _key(f) for f in found):
                    found.append(ref)
        return found

    def _role_phrase(self, token: Token) -> ActorRef | None:
        if token.pos_ not in ("NOUN", "PROPN"):
            return None
        mods = [t for t in token.subtree if t.i <= token.i and (t.dep_ in MODIFIER_DEPS or t == token)]
        mods = [t for t in mods if t.head == token or t == token or t.head.dep_ in MODIFIER_DEPS]
        words = [t for t in sorted(mods, key=lambda t: t.i) if t.lower_ not in SKIP_WORDS]
        if not words:
            return None
        phrase = _phrase(words)
        ref = self.actors.resolve(phrase)
        if ref is None and len(words) > 1:
            # "Jesuit priests", "urban guerrillas": an unknown modifier on a known role noun;
            # "death squad members", "militia members": the members of a known role
            heads = [token.text]
            if token.lemma_.lower() in MEMBER_HEADS:
                heads += [_phrase(words[:-1]), words[-2].text]
            for head in heads:
                role = self.actors.resolve(head)
                if role is not None and role.actor_id is None and role.country is None:
                    ref = ActorRef(name=phrase, type=role.type, cameo_code=role.cameo_code)
                    break
        if ref is None:
            return None
        first = min(words, key=lambda t: t.i)
        mention = self.span_of(first.i, token.i + 1)
        plural = token.tag_ in ("NNS", "NNPS") and len(words) == 1
        if ref.type == "state" and ref.country and plural and token.text.lower() != ref.name.lower():
            return _people_of(ref.country, token.text, mention)  # "Turks", "Iraqis"
        if ref.actor_id is None and ref.country is None:  # a bare role keeps its own words as name
            concealed = ref.type == "civilians" and any(t.lower_ in CONCEALED for t in words)
            ref = ActorRef(
                name=mention.text,
                type="armed_group" if concealed else ref.type,
                cameo_code="REB" if concealed else ref.cameo_code,
            )
        return _with_mention(ref, mention)

    def _anchored(self, token: Token) -> list[ActorRef]:
        """ "movements from Iraq and Yemen", "armed groups in Iraq", "Israel's escalation": the
        actors in the phrase's possessive or from/in/of modifier, typed by the head's role."""
        anchors: list[Token] = [c for c in token.children if c.dep_ == "poss"]
        belonging: set[int] = {c.i for c in anchors}
        anchors += [c for c in token.children if c.dep_ == "amod" and self._is_country_word(c)]
        # "Houthi targets", "Hamas positions": a named actor as a compound of the head
        named = ("ORG", "NORP", "GPE")
        compounds = [c for c in token.children if c.dep_ == "compound" and c.ent_type_ in named]
        anchors += compounds
        belonging.update(c.i for c in compounds)
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in ANCHOR_PREPS:
                objects = [p for p in prep.children if p.dep_ == "pobj"]
                anchors += objects
                if prep.lower_ in BELONGING_DEPS:
                    belonging.update(p.i for p in objects)
        for verb in token.children:  # "attacks originating from Iraq", "rebels belonging to X"
            if verb.dep_ == "acl":
                preps = (
                    ("from", "by", "to", "with")
                    if verb.lemma_.lower() in MEMBERSHIP_VERBS
                    else ("from", "by")
                )
                for prep in verb.children:
                    if prep.dep_ == "prep" and prep.lower_ in preps:
                        anchors += [p for p in prep.children if p.dep_ == "pobj"]
        role = self.actors.resolve(token.lemma_) if token.pos_ == "NOUN" else None
        found: list[ActorRef] = []
        for anchor in anchors:
            for ref in self.resolve_all(anchor):
                placed = (
                    ref.type == "location"
                    and anchor.i in belonging
                    and token.lemma_.lower() not in TERRITORY_NOUNS
                )
                if role is not None and ref.country and (ref.type == "state" or placed):
                    phrase = self.doc[min(token.left_edge.i, anchor.i) : max(token.i, anchor.i) + 1]
                    end = max(phrase.end_char, ref.mention.end if ref.mention else 0)
                    ref = ActorRef(
                        name=_clean(self.doc.text[phrase.start_char : end]),
                        type=role.type,
                        country=ref.country,
                        cameo_code=ref.country + (role.cameo_code or ""),
                        mention=ref.mention,
                    )
                found.append(ref)
        return found

    def _is_country_word(self, token: Token) -> bool:
        return token.ent_type_ in ("NORP", "GPE") and self.actors.country_of(token.text) is not None

    # -- coreference ----------------------------------------------------------------------
    def antecedents_of(self, token: Token) -> list[ActorRef]:
        """What a pronoun stands for: one actor, or for "they" all the conjoined parties of its
        antecedent ("Iran and Syria said they would ..." -> Iran, Syria)."""
        ref = self._linked.get(token.i) or self.antecedent(token)
        if ref is None:
            return []
        if token.lower_ not in PLURAL_PRONOUNS or ref.mention is None:
            return [ref]
        head = self._token_at(ref.mention.start)
        if head is None or not head.conjuncts:
            return [ref]
        found = [ref]
        for other in self.resolve_all(head):
            if _compatible(token, other) and all(_key(other) != _key(f) for f in found):
                found.append(other)
        return found

    def _token_at(self, char: int) -> Token | None:
        """The head of the entity (or the token) that starts at character ``char``."""
        for tok in self.doc:
            if tok.idx == char:
                ent = self.entity(tok)
                return ent.root if ent is not None else tok
            if tok.idx > char:
                break
        return None

    def antecedent(self, token: Token) -> ActorRef | None:
        """The actor a pronoun or definite description points back to: the subject of the clause
        that reports it ("X announced it would..."), else the nearest compatible actor before it."""
        governing = token.head
        if token.dep_ in ("nsubj", "nsubjpass") and governing.dep_ in ("ccomp", "xcomp", "advcl"):
            for subj in governing.head.children:
                if subj.dep_ in ("nsubj", "nsubjpass") and subj.i < token.i:
                    said = self.resolve(subj)
                    # "fighters in Deraa said they ...": the speaker, however it resolved
                    refs = [r for r in said if _compatible(token, r)] or [
                        r for r in said if token.lower_ in PLURAL_PRONOUNS and r.type == "location"
                    ]
                    if refs:
                        return refs[0]
        for position, ref in reversed(self.antecedents()):
            if position < token.i and _compatible(token, ref) and not self._one_person(token, position, ref):
                return ref
        return None

    def _one_person(self, token: Token, position: int, ref: ActorRef) -> bool:
        """A lone person is no antecedent of "they" ("Guterres welcomed it. ... They called ...");
        one of a pair is ("Obama and Putin ... they")."""
        return token.lower_ in PLURAL_PRONOUNS and ref.type == "person" and not self.doc[position].conjuncts

    def antecedents(self) -> list[tuple[int, ActorRef]]:
        if self._antecedents is None:
            found = []
            for ent in self.doc.ents:
                ref = self.entity_actor(ent)
                if ref is not None and ent.label_ != "NORP":
                    found.append((ent.start, ref))
            self._antecedents = found
        return self._antecedents


def _unplaced_name(ent: SpacySpan) -> bool:
    """A place-tagged entity that reads like a personal name: two or more capitalised proper nouns."""
    return (
        ent.label_ in ("GPE", "LOC")
        and len(ent) >= 2
        and all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.is_alpha for t in ent)
    )


def _listed(token: Token, *, limit: int = 30) -> list[Token]:
    """The head, its conjuncts, and nominal appositions with their own conjuncts and appositions:
    the members of a list of people or groups, however the parse nests it."""
    found: list[Token] = [token, *token.conjuncts, *_colon_list_of_object(token)]
    seen = {t.i for t in found}
    k = 0
    while k < len(found) and len(found) < limit:
        node = found[k]
        k += 1
        members = [c for c in node.children if c.dep_ in LIST_DEPS and not _colon_list_past_verb(c)]
        # "ten union members, including their leader X": the named members of a group
        members += [
            p for c in node.children if c.dep_ == "prep" and c.lower_ == "including" for p in c.children
        ]
        for child in members:
            if child.dep_ == "appos" and child.pos_ == "NOUN" and node.pos_ == "PROPN" and _describes(child):
                # "Okhmatdyt, the children's hospital": a description of the name, no new party; a
                # list goes on past it ("X, a photographer, Y, a driver, and Z")
                found.extend(t for t in _list_after_description(child) if t.i not in seen)
                seen.update(t.i for t in found)
                continue
            if child.i not in seen and child.pos_ in ("NOUN", "PROPN", "PRON"):
                seen.add(child.i)
                found.append(child)
    return found


def _people_of(country: str, name: str, mention: Span) -> ActorRef:
    return ActorRef(name=name, type="civilians", country=country, cameo_code=f"{country}CVL", mention=mention)


def _people_noun(ent: SpacySpan) -> bool:
    """A nationality used as a plural noun ("Iraqis", "the Turks"), not as an adjective."""
    root = ent.root
    plural = root.tag_ in ("NNPS", "NNS") or (root.tag_ == "NNP" and ent.text.endswith("s"))
    return plural and root.dep_ not in ("amod", "compound")


def _is_definite_description(token: Token) -> bool:
    dets = {c.lower_ for c in token.children if c.dep_ == "det"}
    return (
        bool(dets & {"the", "these", "those", "this"}) and token.lemma_.lower() in GROUP_NOUNS | PERSON_NOUNS
    )


def _compatible(token: Token, ref: ActorRef) -> bool:
    word = token.lower_
    lemma = token.lemma_.lower()
    if word in PERSON_PRONOUNS or lemma in PERSON_NOUNS:
        return ref.type == "person"
    if lemma in GROUP_NOUNS:  # "the group" is an organisation, not a country or a place
        return ref.type not in ("person", None, "state", "location")
    if word in ("it", "its"):
        return ref.type not in ("person", None)
    if word in PLURAL_PRONOUNS:  # people or parties, never one place ("... in Damascus. They ...")
        return ref.type != "location"
    return ref.type != "person"


def _with_mention(ref: ActorRef, mention: Span) -> ActorRef:
    return ActorRef(
        name=ref.name,
        actor_id=ref.actor_id,
        type=ref.type,
        country=ref.country,
        cameo_code=ref.cameo_code,
        mention=mention,
    )


def _key(ref: ActorRef) -> tuple[str | None, str]:
    return (ref.actor_id or ref.cameo_code, ref.name.lower())


def _clean(text: str) -> str:
    for prefix in ("the ", "The "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text.strip(" ,.;:'\"“”’")


def _phrase(words: Sequence[Token]) -> str:
    """The words as written ("Kyiv's mayor", not "Kyiv 's mayor"), one space where words were
    skipped between them."""
    parts: list[str] = []
    for word, following in zip(words, [*words[1:], None], strict=True):
        parts.append(word.text)
        if following is not None:
            parts.append(word.whitespace_ if following.i == word.i + 1 else " ")
    return "".join(parts)


# -- the whole noun phrase as the mention ------------------------------------------------------
# A participant's mention is the whole phrase the report uses for it ("presumed members of the X
# group", "two men riding a motorcycle"), while its name stays the canonical actor: an analyst
# reads who was meant, and a phrase about the members of a group is not the group itself.
PHRASE_LIMIT = 12  # tokens: a longer extent has swallowed more than one noun phrase
# post-modifiers that belong to the phrase: "of X" (membership, belonging), "on a motorcycle",
# "with rifles"; a participle ("men wearing uniforms") is read from the dependency tree
TAIL_PREPS = frozenset({"of", "on", "with"})
EDGE_SKIP = frozenset({"the", "a", "an", "this", "that", "these", "those"})
NOT_NAMES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})


def in_whole_phrase(resolver: ParticipantResolver, token: Token, refs: list[ActorRef]) -> list[ActorRef]:
    """``refs`` (what ``token`` resolved to) with mentions stretched over the whole noun phrase that
    ``token`` heads; where nothing resolved, a named group inside the phrase ("FARC 12th front
    members") or a personal name the tagger left untagged ("Marta Luz Lopez") is the party."""
    if token.pos_ not in ("NOUN", "PROPN") or resolver.entity(token) is not None:
        return refs
    if not refs:
        refs = _inner_named(resolver, token) or _untagged_name(token)
    if not refs or token.pos_ != "NOUN" or not _names_people(resolver, token):
        return refs
    extent = _extent(token)
    if extent is None:
        return refs
    start, end = extent
    out: list[ActorRef] = []
    for ref in refs:
        mention = ref.mention
        if mention is not None and start <= mention.start and mention.end <= end and len(refs) == 1:
            text = token.doc.text[start:end]
            ref = _with_mention(ref, Span(text=text, start=start, end=end))
        out.append(ref)
    return out


def _extent(token: Token) -> tuple[int, int] | None:
    """Character span of the noun phrase ``token`` heads: its modifiers before it, and after it an
    of/on/with phrase or a participle ("men wearing uniforms"); never across a comma, a
    parenthesis or a relative clause."""
    words = [t for t in token.subtree if t.i <= token.i]
    for child in token.rights:
        tail = (child.dep_ == "prep" and child.lower_ in TAIL_PREPS) or (
            child.dep_ == "acl" and child.tag_ == "VBG"
        )
        inner = list(child.subtree)
        if not tail or any(t.dep_ == "pcomp" for t in inner):
            break  # "the airline of flying weapons": an act, no part of the name
        if child.dep_ == "acl" and any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in inner):
            break  # "militias operating in Iraq": where they are, which the event's place needs
        words += inner
    words.sort(key=lambda t: t.i)
    first = 0
    while first < len(words) and (words[first].lower_ in EDGE_SKIP or words[first].is_punct):
        first += 1
    words = words[first:]
    while words and words[-1].is_punct:
        words.pop()
    if not words or len(words) > PHRASE_LIMIT or words[-1].i - words[0].i + 1 != len(words):
        return None  # a gap: the parse hung something from elsewhere in the phrase
    if any(t.is_punct and t.text in ',;()[]"' for t in words):
        return None
    return words[0].idx, words[-1].idx + len(words[-1].text)


def _inner_named(resolver: ParticipantResolver, token: Token) -> list[ActorRef]:
    """A named group among the modifiers before a common noun, however deep the parse nests it:
    "FARC 12th front members" are the FARC's."""
    if token.pos_ != "NOUN" or not _names_people(resolver, token):
        return []  # "the Radman district": a place named after something, no group's members
    for tok in token.subtree:
        if tok.i >= token.i:
            break
        ent = resolver.entity(tok)
        if ent is not None and ent.label_ in ("ORG", "NORP") and ent.end <= token.i:
            ref = resolver.entity_actor(ent)
            if ref is not None and ref.type not in ("location", "person", "civilians"):
                return [ref]
    return []


def _untagged_name(token: Token) -> list[ActorRef]:
    """Two or more proper nouns that no entity covers whole, where a participant stands: a
    personal name the tagger missed or split ("Marta Luz Lopez" with only "Marta" tagged, "Jose
    Manuel jimenez rivera" with the surnames read as common nouns)."""
    inside = {t.i for t in token.subtree}
    words = [token]
    k = token.i - 1
    while k >= 0 and k in inside and token.doc[k].dep_ == "compound" and token.doc[k].is_alpha:
        words.insert(0, token.doc[k])
        k -= 1
    if token.lemma_.lower() in PLACE_HEADS:
        return []  # "Radman district": a place named after someone or something
    named = [t for t in words if t.pos_ == "PROPN" or t.ent_type_ == "PERSON"]
    if token.pos_ == "NOUN" and (words[0].ent_type_ != "PERSON" or len(named) < 2):
        return []  # a common noun heads it: a name only where a tagged personal name begins it
    if len(words) < 2 or not all(t.is_alpha and t.ent_type_ not in NOT_NAMES for t in words):
        return []
    start, end = words[0].idx, token.idx + len(token.text)
    text = token.doc.text[start:end]
    return [ActorRef(name=text, type="person", mention=Span(text=text, start=start, end=end))]


def _describes(appos: Token) -> bool:
    """An apposition that describes the name before it ("the children's hospital", "a photographer"),
    not a further name the tagger took for a common noun (a name written in one case: "X Montes")."""
    if any(c.dep_ in ("det", "poss") for c in appos.children):
        return True
    return not any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in appos.children)


def _list_after_description(appos: Token) -> list[Token]:
    """The names a list goes on with that the parse hung on a member's description."""
    return [c for c in appos.children if c.dep_ == "conj" and c.pos_ == "PROPN"]


def _colon_list_past_verb(child: Token) -> bool:
    """An apposition of a subject that the parse hung past the verb after a colon: "soldiers killed
    three farmers: X, Y and Z" lists the farmers, not the soldiers."""
    head = child.head
    if child.dep_ != "appos" or head.dep_ not in ("nsubj", "nsubjpass") or child.i < head.head.i:
        return False
    before = [t for t in child.doc[head.head.i : child.left_edge.i] if not t.is_space]
    return bool(before) and before[-1].text == ":"


def _colon_list_of_object(token: Token) -> list[Token]:
    """The list after a colon that follows an object ("killed three farmers: X, Y and Z"), where the
    parse hung it on the subject."""
    if token.dep_ not in ("dobj", "nsubjpass", "pobj") or token.head.pos_ not in ("VERB", "AUX", "ADP"):
        return []
    verb = token.head if token.head.pos_ != "ADP" else token.head.head
    return [
        c
        for subject in verb.children
        if subject.dep_ in ("nsubj", "nsubjpass") and subject.i < token.i
        for c in subject.children
        if c.i > token.i and _colon_list_past_verb(c)
    ]


INSERTION_MARKS = {"--": "--", ")": "(", "-": "-"}


def _before_insertion(relative: Token, head: Token) -> Token:
    """The noun a relative clause is about when a description set off by dashes or brackets stands
    between them: "the X -- drug lords wanted by U.S. courts -- who said ..." is about X, not the
    courts. The parse hangs the clause on the nearest noun, inside the insertion."""
    doc = relative.doc
    k = relative.i - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    if k < 0 or doc[k].text not in INSERTION_MARKS or head.i > k:
        return head
    opener = INSERTION_MARKS[doc[k].text]
    j = k - 1
    while j >= 0 and doc[j].text != opener and doc[j].sent == relative.sent:
        j -= 1
    if j <= 0 or doc[j].text != opener or head.i < j:
        return head
    before = doc[j - 1]
    while before.i > 0 and before.is_space:
        before = doc[before.i - 1]
    return before if before.pos_ in ("NOUN", "PROPN") else head


# heads that name the members of what modifies them: "death squad members", "militia fighters"
MEMBER_HEADS = frozenset({"member", "fighter", "element", "operative", "cell", "unit"})

# heads whose phrase names people or a body of them: "members of X", "a unit of X", "men with rifles"
PEOPLE_HEADS = frozenset(
    {"member", "man", "woman", "people", "person", "individual", "group", "unit", "band", "gang",
     "cell", "column", "squad", "faction", "wing", "branch", "element", "detachment", "commando",
     "fighter", "follower", "supporter", "militant", "resident", "youth", "representative", "leader",
     "organization", "organisation", "movement", "party", "front", "command", "corps", "alliance",
     "union", "federation", "committee", "council", "association", "network", "cartel", "mafia",
     "army", "force", "brigade", "battalion", "platoon", "regiment", "company", "division", "crew",
     "ring", "clan", "family", "couple", "child", "son", "daughter", "wife", "husband", "brother",
     "sister", "mother", "father", "relative", "employee", "worker", "official", "officer", "student",
     "peasant", "farmer", "friend", "companion", "bodyguard", "driver", "guard", "assistant",
     "personnel", "sapper", "sector", "guerrilla", "rebel", "soldier", "troop"}
)  # fmt: skip


def _names_people(resolver: ParticipantResolver, token: Token) -> bool:
    """A head noun that names people or a group of them (a role the actor base knows, or a word for
    members and units), not a thing, a place or an act ("office", "outskirts", "attack")."""
    if token.lemma_.lower() in PEOPLE_HEADS:
        return True
    role = resolver.actors.resolve(token.text)
    return (
        role is not None
        and role.actor_id is None
        and role.country is None
        and role.type not in ("location", None)
    )


PLACE_HEADS = TERRITORY_NOUNS | {
    "city", "town", "village", "department", "area", "street", "avenue", "neighborhood", "road",
    "square", "market", "camp", "base", "border", "zone", "valley", "river", "island", "hill",
}  # fmt: skip
