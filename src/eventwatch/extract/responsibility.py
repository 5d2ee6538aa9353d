"""Who did it and to whom, when the report says so outside the act's own clause.

News names the perpetrator of an attack as often in a claim or an accusation as in the clause
that tells the attack: "The FMLN claimed responsibility for the bombing", "police blamed the
killing on drug traffickers", "two soldiers were charged with the murder", "the attack was
attributed to urban guerrillas", "X was behind the ambush". It names the victims as often in an
identification told after the act: "The victims were identified as X and Y", "among the dead was
X", "those kidnapped are X, Y and Z". It names the doers in an identification too: "the
suspects, who were identified as X and Y", "their names are X and Y"; and whoever holds or
releases hostages took them. Each such statement is a ``Claim``: the actors it names, the
role it gives them (source or target) and, where the statement names it, the act it is about.
``attach_claims`` makes the actors sources or targets of the incident the claim is about: the
event of the act it names, else the nearest incident told in the same or the preceding sentences
(a claim refers back to an attack already described), else in the next sentence.

A claim adds a participant; it never creates an incident, changes a type or removes an actor.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from eventwatch.extract.participants import RELATIVE_PRONOUNS
from eventwatch.extract.quantities import parse_count
from eventwatch.model import ActorRef, Event, Span

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from eventwatch.extract.participants import ParticipantResolver

Role = Literal["source", "target"]
INCIDENT_TYPES = frozenset({"ASSAULT", "COERCE"})
INCIDENT_ACLED = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"})
UNREAL = frozenset({"hypothetical", "denied"})
LOOK_BACK = 3  # sentences a claim may refer back over ("... The ELN claimed responsibility.")
LOOK_AHEAD = 1  # a claim told first ("X claimed the attack, which killed ...")

# words for violent acts: a claim or an accusation is about an incident only when it names one
# (or refers back to one with a general word or a pronoun: "the crime", "these actions", "it")
VIOLENT_ACTS = frozenset(
    {"attack", "kill", "killing", "murder", "assassinate", "assassination", "massacre", "bomb",
     "bombing", "explosion", "blast", "kidnap", "kidnapping", "abduct", "abduction", "death",
     "shoot", "shooting", "ambush", "raid", "execute", "execution", "slay", "slaying", "wound",
     "injure", "burn", "arson", "sabotage", "dynamite", "machinegun", "machine-gun", "torture",
     "disappearance", "homicide", "crime", "incident", "action", "act", "operation", "atrocity",
     "outrage", "offensive", "assault", "strike", "firing", "fire", "destruction", "hijack",
     "hijacking", "seizure", "taking", "hostage"}
)  # fmt: skip
BACK_REFERENCES = frozenset({"it", "this", "that", "these", "those", "them"})
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
CLAIM_NOUNS = frozenset({"responsibility", "credit", "authorship"})
CLAIM_VERBS = frozenset({"claim", "assume", "accept", "take", "acknowledge", "admit", "bear"})
# verbs whose object (or passive subject) is accused of an act named in of/with/in/for
ACCUSE_VERBS = frozenset(
    {"accuse", "charge", "suspect", "implicate", "link", "tie", "connect", "convict", "indict",
     "arrest", "detain", "blame", "hold", "identify", "sentence", "prosecute", "try", "involve"}
)  # fmt: skip
ACT_PREPS = frozenset({"of", "with", "in", "for"})
ATTRIBUTE_VERBS = frozenset({"attribute", "ascribe", "impute"})
# verbs of doing an act, whose subject (or passive agent) is its author
AUTHOR_VERBS = frozenset(
    {"perpetrate", "commit", "mastermind", "order", "plan", "organize", "organise", "carry",
     "execute", "stage", "conduct", "direct", "instigate", "orchestrate", "engineer"}
)  # fmt: skip
AUTHOR_NOUNS = frozenset(
    {"perpetrator", "author", "mastermind", "culprit", "killer", "murderer", "assassin", "organizer",
     "organiser", "instigator", "intellectual", "material"}
)  # fmt: skip
# words that describe the victims of an act, in "the victims were X", "among the dead was X"
VICTIM_NOUNS = frozenset(
    {"victim", "dead", "casualty", "fatality", "hostage", "body", "corpse", "injured", "wounded",
     "deceased", "kidnapped", "abducted", "missing", "remains"}
)  # fmt: skip
HARM_VERBS = frozenset(
    {"kill", "murder", "kidnap", "abduct", "wound", "injure", "assassinate", "massacre", "shoot",
     "execute", "hurt", "slay", "hold", "take", "seize", "torture", "die", "disappear", "find"}
)  # fmt: skip
IDENTIFY_VERBS = frozenset({"identify", "name", "list", "describe"})
# acts done to someone, whose past participle after a noun names the one they were done to
# ("the mayor, kidnapped last week", "the peasants killed in the raid")
DONE_TO_VERBS = frozenset(
    {"kill", "murder", "kidnap", "abduct", "wound", "injure", "assassinate", "massacre", "shoot",
     "execute", "hurt", "slay", "torture", "behead", "stab", "lynch", "rape"}
)  # fmt: skip
# verbs of taking part in an act: their subject is among its authors ("X participated in the crime")
INVOLVEMENT_NOUNS = frozenset({"participation", "involvement", "complicity", "role", "hand"})
PARTICIPATE_VERBS = frozenset({"participate", "engage", "collaborate", "take"})
NAME_LABELS = frozenset({"PERSON", "ORG", "NORP"})
LIST_CUES = frozenset(
    {"victims are", "identified as", "among the victims", "they are", "inverted", "doers identified as",
     "names are"}
)  # fmt: skip
# verbs that tie someone to an act with "to" ("the far right is linked to the crime")
TO_VERBS = frozenset({"link", "tie", "connect"})
# words that describe the doers of an act, in "the attackers were X", "the arrested men were identified as X"
PERP_NOUNS = frozenset(
    {"attacker", "assailant", "perpetrator", "killer", "murderer", "assassin", "gunman", "kidnapper",
     "abductor", "captor", "culprit", "suspect", "detainee", "arrested", "bomber", "hitman", "hijacker",
     "terrorist"}
)  # fmt: skip
CAPTOR_VERBS = frozenset({"release", "hold"})
KIDNAP_VERBS = frozenset({"kidnap", "abduct", "seize", "take"})
OWNER_NUMBER = {"his": False, "her": False, "their": True}  # possessive pronoun -> plural antecedent
REFLEXIVES = frozenset({"himself", "herself", "themselves"})
NAME_NOUNS = frozenset({"name", "identity"})
# a noun that says whose deed an act was: "the attack was a maneuver by X", "the bombing was the work of X"
DEED_NOUNS = frozenset(
    {"work", "deed", "handiwork", "doing", "act", "action", "maneuver", "manoeuvre", "crime"}
)
# acts done to someone, told with the participle first and the people after "were": "injured were X and Y"
INVERTED_HARM = frozenset(
    {"kill", "murder", "kidnap", "abduct", "wound", "injure", "hurt", "slay", "execute"}
)
PERSONAL = frozenset({"they", "he", "she"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})


@dataclass(frozen=True, slots=True)
class Claim:
    """Actors that a statement names as the source or the target of an act."""

    sentence: int
    role: Role
    actors: tuple[ActorRef, ...]
    about: tuple[int, int] | None = None  # character span of the act the statement names
    cue: str = ""
    act_word: str | None = None  # the act's head word ("strike"), to pick it among several incidents
    back_reference: bool = True  # the act is told before ("the attack", "it") or not named at all


def is_incident(event: Event) -> bool:
    """An act of violence or coercion that is told as real (not denied or hypothetical)."""
    if event.modality in UNREAL:
        return False
    return event.plover_type in INCIDENT_TYPES or (event.acled_event_type or "") in INCIDENT_ACLED


def claims_in_sentence(sent: SpacySpan, *, index: int, resolver: ParticipantResolver) -> list[Claim]:
    """The perpetrator and victim statements of one parsed sentence."""
    found: list[Claim] = []
    for tok in sent:
        for role, people, act, cue in _statements(tok):
            if _negated(tok, people):
                continue  # "no group has claimed the attack"
            if cue in LIST_CUES and people:
                # "the victims were identified as X, 42; Y, 19; and Z": a list the parse breaks at
                # semicolons and ages; every personal name after the first one named is on it
                first = min(p.i for p in people)
                people = people + [
                    e.root
                    for e in sent.ents
                    if e.label_ == "PERSON" and e.start >= first and e.root not in people
                ]
            people = people + [name for person in people for name in _colon_names(person)]
            actors: list[ActorRef] = []
            for person in people:
                if person.lower_ in DEMONSTRATIVES:
                    continue  # "those responsible": no one named
                refs = resolver.resolve_all(person)
                if person.pos_ == "PRON" and person.lower_ in PERSONAL | {"them", "him", "her"}:
                    # "... who said they were responsible": the claim is carried to an act told
                    # elsewhere, where the pronoun means nothing; the words of what it stands for do
                    refs = resolver.antecedents_of(person) or refs
                if not refs and person.pos_ in ("PROPN", "NOUN"):
                    # "policeman Luis Castro Roman" with only part of the name tagged: the name inside
                    refs = [r for t in person.subtree if t.ent_iob_ == "B" for r in resolver.resolve(t)]
                if not refs and cue in ("by", "act of", "with") and person.ent_type_ not in NAME_LABELS:
                    continue  # "the attack by car bomb": a by-phrase names a doer only when it names someone
                if not refs and person.pos_ in ("PROPN", "NOUN"):
                    # the statement says this is who did it (or to whom): an actor the actor base
                    # does not know keeps its own words ("narcomilitary organizations")
                    refs = [_named_by_phrase(person)]
                # "a commando unit, the X Civic Force, claimed ...": the name the apposition gives
                refs += [
                    _named_by_phrase(appos)
                    for appos in person.children
                    if appos.dep_ == "appos"
                    and appos.pos_ in ("PROPN", "NOUN")
                    and not any(r.mention and r.mention.start <= appos.idx < r.mention.end for r in refs)
                    and any(t.pos_ == "PROPN" or t.ent_type_ in NAME_LABELS for t in appos.subtree)
                ]
                for ref in refs:
                    if all(_key(ref) != _key(have) for have in actors):
                        actors.append(ref)
            if not actors:
                continue
            about = None
            if act is not None:
                words = list(act.subtree)
                about = (words[0].idx, words[-1].idx + len(words[-1].text))
            found.append(
                Claim(
                    sentence=index,
                    role=role,
                    actors=tuple(actors),
                    about=about,
                    cue=cue,
                    act_word=act.lower_ if act is not None else None,
                    # a participle ("the peasants killed", "injured were X") tells again an act told
                    back_reference=act is None
                    or cue in ("participle", "inverted", "with", "died in", "hurt in")
                    or _refers_back(_violent_word(act)),
                )
            )
    return found


def _statements(tok: Token) -> list[tuple[Role, list[Token], Token | None, str]]:
    """(role, the people named, the act named or None, cue) for the statement ``tok`` heads."""
    lemma = tok.lemma_.lower()
    out: list[tuple[Role, list[Token], Token | None, str]] = []
    # "X claimed responsibility for the attack", "X took credit for it"
    if lemma in CLAIM_NOUNS and tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in CLAIM_VERBS:
        verb = tok.head
        act = _prep_object(tok, {"for"}) or _prep_object(verb, {"for"})
        people = _doers(verb)
        if _names_violence(act):
            out.append(("source", people, act, "claim"))
    # "X claimed the bombing", "the killing was claimed by X"
    elif (
        lemma == "claim"
        and tok.pos_ == "VERB"
        and not any(c.lemma_.lower() in CLAIM_NOUNS for c in tok.children)
    ):
        act = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if act is not None and _names_violence(act, strict=True):
            out.append(("source", _authors(tok), act, "claim"))
    # "X is responsible for the attack", "the army held X responsible for the bombing"
    elif lemma in ("responsible", "guilty") and tok.dep_ in ("acomp", "oprd", "amod", "ccomp", "xcomp"):
        act = _prep_object(tok, {"for"} if lemma == "responsible" else {"of"})
        if tok.dep_ == "oprd" or (tok.dep_ in ("ccomp", "xcomp") and tok.head.lemma_.lower() == "hold"):
            people = [c for c in tok.head.children if c.dep_ == "dobj"]
        elif tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN"):
            people = [tok.head]
            # "X are pointed out as the persons responsible": X, not the general word for them
            described = tok.head.head if tok.head.dep_ == "pobj" and tok.head.head.lower_ == "as" else None
            if described is not None and tok.head.lemma_.lower() in GENERIC_DOERS:
                verb = described.head
                people = [c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")] or people
        else:
            people = _doers(tok.head)
        if _names_violence(act):
            out.append(("source", people, act, "responsible"))
    # "police blamed the killing on X", "X was blamed for the attack", "X is to blame"
    elif lemma == "blame" and tok.pos_ == "VERB":
        objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        # "blamed the shooting on X": the parse may hang "on X" on the act's noun
        on = _prep_object(tok, {"on"}) or next((o for o in map(_on_object, objects) if o is not None), None)
        if on is not None:
            act = objects[0] if objects else None
            if _names_violence(act):
                out.append(("source", [on], act, "blame"))
        else:
            act = _prep_object(tok, {"for"})
            if _names_violence(act):
                out.append(("source", objects, act, "blame"))
            elif tok.dep_ == "xcomp" and tok.head.lemma_.lower() == "be":
                out.append(("source", _doers(tok.head), None, "blame"))
    # "the attack was attributed to urban guerrillas", "they attributed the bombing to X"
    elif lemma in ATTRIBUTE_VERBS:
        to = _prep_object(tok, {"to"})
        act = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if to is not None and _names_violence(act):
            out.append(("source", [to], act, "attribute"))
    # "two soldiers were charged with the murder", "police arrested X for the bombing",
    # "men suspected of killing the judge"
    elif lemma in ACCUSE_VERBS and tok.pos_ == "VERB":
        preps = ACT_PREPS | {"to"} if lemma in TO_VERBS else ACT_PREPS
        objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        act = _prep_object(tok, preps)
        if act is None or not _names_violence(act, strict=True):
            # "accused the army of murdering X": the parse often hangs the "of" on the accused
            act = next((a for a in (_prep_object(o, {"of"}) for o in objects) if a is not None), None)
        if act is not None and _names_violence(act, strict=True):
            people = list(objects)
            if not people and tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
                people = [tok.head]
            if not people and tok.dep_ == "advcl":  # "after being accused of ordering the murder"
                people = _doers(tok.head)
            if not people and tok.dep_ == "conj":  # "X were arrested and charged with the murder"
                people = [c for c in tok.head.children if c.dep_ in ("dobj", "nsubjpass")]
            out.append(("source", people, act, "accuse"))
    # "members of the army participated in the crime", "X took part in the massacre"
    elif lemma in PARTICIPATE_VERBS and tok.pos_ == "VERB":
        act = _prep_object(tok, {"in"})
        if lemma == "take" and not any(c.lower_ == "part" for c in tok.children):
            act = None
        if act is not None and _names_violence(act, strict=True):
            out.append(("source", _doers(tok), act, "participate"))
    # "drug traffickers are behind the attack"
    elif lemma == "behind" and tok.dep_ == "prep" and tok.head.lemma_.lower() == "be":
        act = _prep_object(tok.head, {"behind"})
        if _names_violence(act):
            out.append(("source", _doers(tok.head), act, "behind"))
    # "X planned the attack", "the murder was ordered by X", "the attack was carried out by X"
    elif lemma in AUTHOR_VERBS and tok.pos_ == "VERB":
        act = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if act is None and tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN"):
            act = tok.head  # "the attack, carried out by X", "the crime, which X ordered"
        if act is not None and _names_violence(act, strict=True):
            out.append(("source", _authors(tok), act, "author"))
    # "X was the perpetrator of the murder", "the mastermind of the attack, X"
    elif lemma in AUTHOR_NOUNS and tok.pos_ == "NOUN":
        act = _prep_object(tok, {"of", "behind"})
        if tok.dep_ == "attr" and act is None and lemma in ("perpetrator", "mastermind", "culprit"):
            out.append(("source", _doers(tok.head), None, "author"))  # "X was the mastermind"
        elif act is not None and _names_violence(act, strict=True):
            if tok.dep_ == "attr":
                out.append(("source", _doers(tok.head), act, "author"))
            else:
                out.append(("source", [c for c in tok.children if c.dep_ == "appos"], act, "author"))
    # "evidence of participation by X in the death", "the army's involvement in the massacre"
    elif lemma in INVOLVEMENT_NOUNS and tok.pos_ == "NOUN":
        act = _prep_object(tok, {"in"})
        people = [c for c in tok.children if c.dep_ == "poss"]
        people += [o for o in (_prep_object(tok, {"by"}), _prep_object(tok, {"of"})) if o is not None]
        if act is not None and _names_violence(act, strict=True):
            out.append(("source", people, act, "involvement"))
    out.extend(_deed_statements(tok))
    out.extend(_captor_statements(tok))
    out.extend(_victim_statements(tok))
    out.extend(_act_statements(tok))
    return out


def _deed_statements(tok: Token) -> list[tuple[Role, list[Token], Token | None, str]]:
    """Statements that name the doer of an act as what the act was or involved."""
    lemma = tok.lemma_.lower()
    out: list[tuple[Role, list[Token], Token | None, str]] = []
    subjects = [c for c in tok.children if c.dep_ == "nsubj"]
    # "this action involved leftist urban commandos"
    if lemma == "involve" and tok.pos_ == "VERB" and subjects and _names_violence(subjects[0], strict=True):
        people = [c for c in tok.children if c.dep_ == "dobj"]
        out.append(("source", people, subjects[0], "involved"))
    # "the attack was a crude maneuver by the army", "the bombing was the work of drug traffickers"
    elif lemma == "be" and subjects and _names_violence(subjects[0], strict=True):
        for attr in (c for c in tok.children if c.dep_ == "attr"):
            doer = _prep_object(attr, {"by"})
            if doer is None and attr.lemma_.lower() in DEED_NOUNS:
                doer = _prep_object(attr, {"of"})
            if doer is not None and attr.lemma_.lower() in DEED_NOUNS:
                out.append(("source", [doer], subjects[0], "deed"))
    # "the attackers were X", "the arrested men were identified as X"
    if lemma == "be" and subjects and _describes_doers(subjects[0]):
        out.append(("source", [c for c in tok.children if c.dep_ == "attr"], None, "doers are"))
    elif lemma in IDENTIFY_VERBS and tok.pos_ == "VERB":
        named = _prep_object(tok, {"as"})
        described = _identified(tok)
        if named is not None and any(_describes_doers(d) for d in described):
            out.append(("source", [named], None, "doers identified as"))
    out.extend(_name_statements(tok))
    # "the murder of the director by the FMLN's urban commandos" (the parse may hang "by" on the verb)
    if tok.dep_ == "prep" and tok.lower_ == "by":
        act: Token | None = tok.head
        if act is not None and act.pos_ in ("VERB", "AUX"):
            if any(c.dep_ in ("auxpass", "nsubjpass") for c in act.children):
                act = None  # a passive verb's "by" phrase is its own agent, read by the clause
            else:
                act = next((c for c in act.children if c.dep_ == "dobj"), None)
        if act is not None and act.pos_ == "NOUN" and _names_violence(act, strict=True):
            doers = [c for c in tok.children if c.dep_ == "pobj"]
            out.append(("source", doers, act, "by"))
    return out


def _colon_names(group: Token) -> list[Token]:
    """The names a colon gives at the end of the sentence for a counted group: "arrested two men
    suspected of the murder of X: Y and Z" names the two men, however the parse hangs the list
    (it often makes the names an apposition of X). Only a list as long as the count is read so."""
    count = next((c for c in group.children if c.dep_ == "nummod"), None)
    parsed = parse_count(count.text) if count is not None else None
    if parsed is None or parsed.best is None or parsed.best < 2:
        return []
    sent = group.sent
    colon = next((t for t in group.doc[group.i + 1 : sent.end] if t.text == ":"), None)
    if colon is None:
        return []
    names = [e for e in sent.ents if e.start > colon.i]
    if len(names) != parsed.best or any(e.label_ != "PERSON" for e in names):
        return []
    return [e.root for e in names]


def _identified(verb: Token) -> list[Token]:
    """Who a verb of identifying identifies: its object or passive subject, read through a relative
    pronoun or a reflexive ("the suspects, who were identified as X", "the assassin, who identified
    himself as X")."""
    found: list[Token] = []
    for child in verb.children:
        if child.dep_ not in ("nsubjpass", "dobj"):
            continue
        if child.lower_ in REFLEXIVES:
            child = next((c for c in verb.children if c.dep_ == "nsubj"), child)
        if child.lower_ in RELATIVE_PRONOUNS:
            clause = next((a for a in list(child.ancestors)[:2] if a.dep_ in ("relcl", "acl")), None)
            if clause is not None and clause.head.pos_ in ("NOUN", "PROPN"):
                child = clause.head
        found.append(child)
    return found


def _name_statements(tok: Token) -> list[tuple[Role, list[Token], Token | None, str]]:
    """ "Their names are X and Y", "his name is X", "the names of the suspects are X": the names of
    the doers, where the nearest noun the pronoun can stand for (in the sentence, else in the one
    before it) describes them; names given for victims are read by ``_victim_statements``."""
    if tok.lemma_.lower() != "be":
        return []
    subject = next((c for c in tok.children if c.dep_ == "nsubj" and c.lemma_.lower() in NAME_NOUNS), None)
    names = [c for c in tok.children if c.dep_ == "attr" and any(t.pos_ == "PROPN" for t in c.subtree)]
    if subject is None or not names:
        return []
    whose = _prep_object(subject, {"of"})
    if whose is not None:
        return [("source", names, None, "names are")] if _describes_doers(whose) else []
    owner = next((c for c in subject.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
    if owner is None or owner.lower_ not in OWNER_NUMBER:
        return []
    # the pronoun's antecedent: the nearest noun of its number ("his" -> "one of the terrorists")
    plural = OWNER_NUMBER[owner.lower_]
    previous = _previous_sentence(tok)
    start = previous.start if previous is not None else tok.sent.start
    for word in reversed(tok.doc[start : subject.i]):
        noun = word.pos_ in ("NOUN", "PROPN") and (word.tag_ in ("NNS", "NNPS")) == plural
        if noun or (word.lower_ == "one" and not plural):
            return [("source", names, None, "names are")] if _describes_doers(word) else []
    return []


def _captor_statements(tok: Token) -> list[tuple[Role, list[Token], Token | None, str]]:
    """ "The guerrillas released three engineers who were kidnapped a month ago", "the group is
    holding X, who was kidnapped on 12 February": whoever holds or releases hostages whose
    kidnapping the report tells without its doer is taken to be the kidnapper. ("Freed" and
    "rescued" are left alone: the army frees hostages too.)"""
    if tok.lemma_.lower() not in CAPTOR_VERBS or tok.pos_ != "VERB":
        return []
    out: list[tuple[Role, list[Token], Token | None, str]] = []
    for held in (c for c in tok.children if c.dep_ == "dobj"):
        for person in (held, *held.conjuncts, *(c for c in held.children if c.dep_ == "appos")):
            for clause in person.children:
                kidnapped = clause.dep_ in ("relcl", "acl") and clause.lemma_.lower() in KIDNAP_VERBS
                if kidnapped and not _authors(clause) and not _prep_object(clause, {"by"}):
                    out.append(("source", _doers(tok), clause, "captor"))
    return out


def _describes_doers(tok: Token) -> bool:
    """A phrase that stands for the doers of an act: "the attackers", "the arrested men", "the
    suspects", "men suspected of killing the judge", "one of the terrorists"."""
    if tok.lemma_.lower() in PERP_NOUNS or tok.lower_ in PERP_NOUNS:
        return True
    for child in tok.children:
        if child.dep_ == "amod" and child.lower_ in PERP_NOUNS:
            return True
        accused = child.dep_ == "acl" and child.tag_ == "VBN" and child.lemma_.lower() in ACCUSE_VERBS
        if accused and _names_violence(_prep_object(child, ACT_PREPS), strict=True):
            return True
    inner = _prep_object(tok, {"of"})
    return inner is not None and tok.lemma_.lower() in GENERIC_COUNTS and _describes_doers(inner)


def _victim_statements(tok: Token) -> list[tuple[Role, list[Token], Token | None, str]]:
    lemma = tok.lemma_.lower()
    out: list[tuple[Role, list[Token], Token | None, str]] = []
    # "the victims are X and Y", "those kidnapped were X", "the dead include X"
    if lemma in ("be", "include"):
        subjects = [c for c in tok.children if c.dep_ in SUBJECTS]
        complements = [c for c in tok.children if c.dep_ in ("attr", "dobj")]
        if any(_describes_victims(s) for s in subjects):
            out.append(("target", complements, None, "victims are"))
        elif any(_describes_victims(c) for c in complements) and lemma == "be":
            out.append(("target", subjects, None, "are the victims"))  # "X and Y were the victims"
        among = _prep_object(tok, {"among"})
        if among is not None and _describes_victims(among):
            # "X was among the dead", "among the dead was X" (the parse makes X the attribute)
            out.append(("target", subjects or complements, None, "among the victims"))
    # "they are X and Y" after a sentence about the victims ("the names of those killed ...")
    if lemma == "be" and not out:
        subjects = [c for c in tok.children if c.dep_ == "nsubj" and c.lower_ in PERSONAL]
        complements = [
            c for c in tok.children if c.dep_ == "attr" and any(t.pos_ == "PROPN" for t in c.subtree)
        ]
        previous = _previous_sentence(tok)
        if subjects and complements and previous is not None and any(map(_describes_victims, previous)):
            out.append(("target", complements, None, "they are"))
    # "injured by the blast were: a taxi driver; X, a beggar; and Y", "also killed were X and Y"
    if (
        lemma in INVERTED_HARM
        and tok.tag_ == "VBN"
        and not any(c.dep_ in SUBJECTS and c.i < tok.i for c in tok.children)
    ):
        be = next((c for c in tok.children if c.dep_ in ("auxpass", "aux") and c.i > tok.i), None)
        if be is not None:
            people = [
                c
                for head in (tok, be)
                for c in head.children
                if c.i > be.i
                and c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "appos", "conj")
                and c.pos_ in ("NOUN", "PROPN")
            ]
            out.append(("target", people, tok, "inverted"))
    # "the mayor, kidnapped last week, ...", "the peasants killed in the raid"
    if (
        lemma in DONE_TO_VERBS
        and tok.dep_ == "acl"
        and tok.tag_ == "VBN"
        and tok.head.pos_ in ("NOUN", "PROPN")
        and tok.head.dep_ != "ROOT"  # a noun as the root: the parse missed the main verb
        and not any(c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ == "at") for c in tok.children)
    ):
        out.append(("target", [tok.head], tok, "participle"))
    # "the victims were identified as X", "police identified the dead man as X"
    elif lemma in IDENTIFY_VERBS and tok.pos_ == "VERB":
        named = _prep_object(tok, {"as"})
        described = _identified(tok)
        if named is not None and any(_describes_victims(d) for d in described):
            out.append(("target", [named], None, "identified as"))
    return out


def _negated(verb: Token, people: list[Token]) -> bool:
    """ "No group has claimed ...", "X did not claim ...", "nobody was blamed"."""
    if any(c.dep_ == "neg" for c in verb.children) or any(c.dep_ == "neg" for c in verb.head.children):
        return True
    return any(
        p.lower_ in ("nobody", "none", "noone")
        or any(c.lower_ == "no" and c.dep_ == "det" for c in p.children)
        for p in people
    )


def _refers_back(act: Token) -> bool:
    """True for an act told before: a pronoun, or a noun with a definite or demonstrative article
    ("the attack", "that strike", "these crimes"); an indefinite one is a new act ("a car bomb")."""
    if act.pos_ == "PRON" or act.lower_ in RELATIVE_PRONOUNS:
        return True
    dets = {c.lower_ for c in act.children if c.dep_ in ("det", "poss")}
    return bool(dets & {"the", "this", "that", "these", "those", "its", "their", "his", "her"})


def _named_by_phrase(head: Token) -> ActorRef:
    """An actor named only by a noun phrase: the head with the words before it."""
    words = [t for t in head.subtree if t.i <= head.i and (t.i == head.i or t.dep_ != "det")]
    first = words[0] if words else head
    start, end = first.idx, head.idx + len(head.text)
    text = head.doc.text[start:end]
    kind = "person" if head.ent_type_ == "PERSON" else None
    return ActorRef(name=text, type=kind, mention=Span(text=text, start=start, end=end))


def _previous_sentence(tok: Token) -> SpacySpan | None:
    sent = tok.sent
    return tok.doc[sent.start - 1].sent if sent.start > 0 else None


def _describes_victims(tok: Token) -> bool:
    """A phrase that stands for the victims of an act: "the victims", "the dead", "those who were
    kidnapped", "the people killed", "one of the injured", "the names of the dead"."""
    lemma = tok.lemma_.lower()
    if lemma in VICTIM_NOUNS or tok.lower_ in VICTIM_NOUNS:
        return True
    for child in tok.children:
        if child.dep_ in ("relcl", "acl", "amod") and child.lemma_.lower() in HARM_VERBS:
            return child.dep_ != "amod" or child.tag_ == "VBN"
        if child.dep_ == "amod" and child.lower_ in VICTIM_NOUNS:  # "the injured persons"
            return True
    inner = _prep_object(tok, {"of"})
    return (
        inner is not None
        and lemma in ("one", "some", "name", "identity", "most", "all", "two", "three")
        and (_describes_victims(inner))
    )


def _names_violence(act: Token | None, *, strict: bool = False) -> bool:
    """True when the phrase names a violent act or (unless ``strict``) refers back to one."""
    if act is None:
        return not strict
    if act.lower_ in RELATIVE_PRONOUNS:  # "the massacre, for which they hold the army responsible"
        clause = next((a for a in act.ancestors if a.dep_ in ("relcl", "acl")), None)
        if clause is None or clause.head.pos_ not in ("NOUN", "PROPN"):
            return not strict
        act = clause.head
    if act.lower_ in BACK_REFERENCES:
        return not strict
    words = [t for t in act.subtree][:12]
    return any(t.lemma_.lower() in VIOLENT_ACTS or t.lower_ in VIOLENT_ACTS for t in words)


def _on_object(noun: Token) -> Token | None:
    return _prep_object(noun, {"on"})


def _prep_object(tok: Token, preps: set[str] | frozenset[str]) -> Token | None:
    for prep in tok.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in preps:
            for obj in prep.children:
                if obj.dep_ in ("pobj", "pcomp"):
                    return obj
    return None


def _doers(verb: Token) -> list[Token]:
    """The subject of a verb, of the verb it is conjoined to, or the noun a relative clause
    modifies ("the group, which claimed responsibility")."""
    node = verb
    for _ in range(3):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "csubj")]
        if subjects:
            return subjects
        if node.dep_ in ("relcl", "acl") and node.head.pos_ in ("NOUN", "PROPN"):
            return [node.head]
        if node.dep_ in ("conj", "xcomp", "advcl") and node.head.i != node.i:
            node = node.head
            continue
        break
    return []


def _authors(verb: Token) -> list[Token]:
    """The author of an act: the passive agent ("ordered by X"), else the active subject."""
    agents = [
        obj for prep in verb.children if prep.dep_ == "agent" for obj in prep.children if obj.dep_ == "pobj"
    ]
    if agents:
        return agents
    if any(c.dep_ == "auxpass" for c in verb.children) or (verb.dep_ in ("acl",) and verb.tag_ == "VBN"):
        return []
    return _doers(verb)


def attach_claims(events: list[Event], claims: list[Claim], *, named: Iterable[ActorRef] = ()) -> list[Event]:
    """Events with each claim's actors added to the incident the claim is about, and the bare
    rebels of an article that names one rebel group only taken as that group's. ``named`` are the
    actors the article's names resolved to, whether or not they take part in an event."""
    return name_bare_rebels(_attach_claims(events, claims), named=named)


def name_bare_rebels(events: list[Event], *, named: Iterable[ActorRef] = ()) -> list[Event]:
    """ "The guerrillas", "the rebels" in a report that names one rebel group and no other are that
    group's fighters (as ACLED codes them); the mention keeps the report's words. The group may be
    named anywhere in the report ("Radio Venceremos, the FMLN's station, said the rebels ..."). With
    two groups named, or none, a bare role stays what it is. (Cartels were tried too: "terrorists"
    in a report naming a cartel are as often someone else's.)"""
    actors = [a for e in events for a in (*e.source_actors, *e.target_actors)]
    groups = {a.actor_id: a for a in (*actors, *named) if a.actor_id and a.type == "rebel"}
    if len(groups) != 1:
        return events
    (group,) = groups.values()

    def as_group(actor: ActorRef) -> ActorRef:
        if actor.actor_id or actor.country or actor.cameo_code != "REB" or actor.type != "armed_group":
            return actor
        return replace(group, mention=actor.mention)

    out = []
    for event in events:
        sources = tuple(as_group(a) for a in event.source_actors)
        targets = tuple(as_group(a) for a in event.target_actors)
        if sources != event.source_actors or targets != event.target_actors:
            event = replace(event, source_actors=sources, target_actors=targets)
        out.append(event)
    return out


def _attach_claims(events: list[Event], claims: list[Claim]) -> list[Event]:
    if not claims:
        return events
    out = list(events)
    incidents = [k for k, e in enumerate(out) if is_incident(e)]
    if not incidents:
        return out
    # an arrest is what was done to the accused, never the act a claim holds them to account for
    acts = [k for k in incidents if out[k].plover_mode != "arrest"] or incidents
    for claim in claims:
        k = _incident_for(claim, out, acts if claim.role == "source" else incidents)
        if k is None:
            continue
        event = out[k]
        if claim.role == "source":
            sources = _merged(event.source_actors, claim.actors, avoid=())
            # the one a claim names as the doer is not also the one the act was done to
            targets = tuple(t for t in event.target_actors if not any(_same(t, a) for a in claim.actors))
            out[k] = replace(event, source_actors=sources, target_actors=targets)
        else:
            targets = _merged(event.target_actors, claim.actors, avoid=event.source_actors)
            out[k] = replace(event, target_actors=targets)
    return out


def _incident_for(claim: Claim, events: list[Event], incidents: list[int]) -> int | None:
    """The incident a claim is about: the event of the act it names, else the nearest incident
    before it (same sentence first, then up to ``LOOK_BACK`` sentences back), else just after."""
    if claim.about is not None:
        start, end = claim.about
        for k in incidents:
            trig = events[k].trigger
            if events[k].sentence == claim.sentence and start <= trig.start and trig.end <= end:
                return k
    before = [k for k in incidents if claim.sentence - LOOK_BACK <= events[k].sentence <= claim.sentence]
    if not claim.back_reference:
        # "blamed X for a car bomb attack" names an act of its own: only an act told before with the
        # same word can be it ("a bombing ... claimed responsibility for a bombing")
        before = [k for k in before if _same_word(events[k].trigger.text, claim.act_word)]
        return before[-1] if before else None
    if before:
        latest = max(events[k].sentence for k in before)
        same = [k for k in before if events[k].sentence == latest]
        # "... a strike on the consulate. Iran blamed Israel for that strike.": the act named again
        named = [k for k in same if _same_word(events[k].trigger.text, claim.act_word)]
        return (named or same)[0]
    after = [k for k in incidents if claim.sentence < events[k].sentence <= claim.sentence + LOOK_AHEAD]
    if after:
        return after[0]
    # a report told at length names the doers or the victims of its incident far from where it tells
    # it ("... the victims were identified as X": twenty sentences after the attack): the nearest one
    earlier = [k for k in incidents if events[k].sentence < claim.sentence]
    if earlier:
        latest = max(events[k].sentence for k in earlier)
        return next(k for k in earlier if events[k].sentence == latest)
    return min(incidents, key=lambda k: events[k].sentence)


def _same_word(trigger: str, word: str | None) -> bool:
    if word is None:
        return False
    a, b = trigger.lower().rstrip("s"), word.lower().rstrip("s")
    return a == b


def _merged(
    have: tuple[ActorRef, ...], new: tuple[ActorRef, ...], *, avoid: tuple[ActorRef, ...]
) -> tuple[ActorRef, ...]:
    out = list(have)
    for ref in new:
        if any(_same(ref, other) for other in (*out, *avoid)):
            continue
        out.append(ref)
    return tuple(out)


def _same(a: ActorRef, b: ActorRef) -> bool:
    """The same words for the same actor. One actor named twice in different words ("soldiers",
    "the Salvadoran army") stays twice: the claim's words say who the report holds to account."""
    if a.mention is not None and b.mention is not None and a.mention == b.mention:
        return True
    return a.name.lower() == b.name.lower()


def _key(ref: ActorRef) -> tuple[str | None, str, int | None]:
    return (ref.actor_id or ref.cameo_code, ref.name.lower(), ref.mention.start if ref.mention else None)


# acts whose "of" phrase names the one they were done to ("the murder of X", "the kidnapping of Y")
HARM_NOUNS = frozenset(
    {"murder", "assassination", "killing", "kidnapping", "abduction", "massacre", "slaying",
     "execution", "disappearance", "torture", "wounding", "kidnap"}
)  # fmt: skip
# "resulted in the death of X": a death an act caused
CAUSE_VERBS = frozenset({"result", "cause", "lead", "bring"})
# words after an act noun that the parse may take as the head of its "of" phrase: a place or a time
# between the act and its victim ("the murder in Guatemala of X", "the assassination in February of Y")
BETWEEN_PREPS = frozenset({"in", "on", "at", "during"})
COMPANY = frozenset({"along", "together"})


def _act_statements(tok: Token) -> list[tuple[Role, list[Token], Token | None, str]]:
    """Victims named with the act itself, where the clause reading misses them."""
    lemma = tok.lemma_.lower()
    out: list[tuple[Role, list[Token], Token | None, str]] = []
    # "the murder of X and Y", "the murder in Guatemala of X", "the assassinations of X and of Y",
    # "it resulted in the death of X"
    # a death told of a named person ("the death of X", "X's death"), in a report of an incident
    death = lemma == "death" and tok.pos_ == "NOUN"
    if tok.pos_ == "NOUN" and (lemma in HARM_NOUNS or death):
        people = _of_objects(tok)
        if death:
            people = [p for p in people + _possessors(tok) if _named_person(p)]
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in BETWEEN_PREPS and not people:
                people = [o for obj in prep.children if obj.dep_ == "pobj" for o in _of_objects(obj)]
        if people:
            out.append(("target", people, tok, "act of"))
    # "the murder committed by X against Y"
    if tok.pos_ == "NOUN" and lemma in VIOLENT_ACTS:
        against = [
            obj
            for verb in tok.children
            if verb.dep_ == "acl" and verb.lemma_.lower() in AUTHOR_VERBS
            for obj in [_prep_object(verb, {"against"})]
            if obj is not None
        ]
        if against:
            out.append(("target", against, tok, "act of"))
    # "the assassins of X", "the kidnappers of Y", "the body of Z": the one the act was done to
    if tok.pos_ == "NOUN" and (lemma in AUTHOR_NOUNS | PERP_NOUNS or lemma in REMAINS_NOUNS):
        people = [p for p in _of_objects(tok) if _named_person(p)]
        if people:
            out.append(("target", people, None, "act of"))
    # "X became a victim of", "X fell victim to", "a new victim of the violence is X"
    if lemma in ("become", "fall") and tok.pos_ in ("VERB", "AUX"):
        named = [
            c
            for c in tok.children
            if c.dep_ in ("attr", "oprd", "dobj", "acomp") and c.lemma_.lower() == "victim"
        ]
        if named:
            out.append(("target", _doers(tok), None, "are the victims"))
    if lemma == "be" and tok.pos_ == "AUX":
        subjects = [c for c in tok.children if c.dep_ == "nsubj" and c.lemma_.lower() == "victim"]
        if subjects and _prep_object(subjects[0], {"of"}) is not None:
            out.append(("target", [c for c in tok.children if c.dep_ == "attr"], None, "victims are"))
    # "X, who was assassinated on 22 March": the one the clause says it was done to
    if (
        lemma in DONE_TO_VERBS
        and tok.dep_ == "relcl"
        and tok.head.pos_ in ("NOUN", "PROPN")
        and any(c.dep_ == "nsubjpass" and c.lower_ in ("who", "whom", "that") for c in tok.children)
    ):
        out.append(("target", [tok.head], tok, "participle"))
    # "X died in the explosion", "Y died of gunshot wounds", "Z escaped unhurt from the attack": the
    # one the act was done to, whatever it did to them
    spared = lemma in UNHARMED or any(
        c.lemma_.lower() in UNHARMED for c in tok.children if c.dep_ in ("acomp", "oprd", "advmod")
    )
    # "X was seriously injured in the blast", "Y was also hurt": the one the act was done to (an
    # injury is no act of its own to the lexicon: accidents injure too, so a named cause must be harm)
    if lemma in HURT_VERBS and tok.tag_ == "VBN":
        people = [c for c in tok.children if c.dep_ == "nsubjpass"]
        causes = [
            o
            for prep in tok.children
            if prep.dep_ == "prep" and prep.lower_ in DEATH_PREPS
            for o in prep.children
            if o.dep_ == "pobj"
        ]
        cause = next((c for c in causes if _names_harm(c)), None)
        if cause is None and not causes:
            # no cause told: a named person only ("dozens of people were injured" is a count,
            # which the casualty figures already carry, and may span the whole day's unrest)
            people = [p for p in people if _named_person(p)]
            if people:
                out.append(("target", people, None, "hurt in"))
        elif cause is not None and people:
            out.append(("target", people, cause, "hurt in"))
    if (lemma == "die" or spared) and tok.pos_ in ("VERB", "AUX", "ADJ"):
        verb = tok.head if lemma in UNHARMED else tok
        for prep in [*verb.children, *tok.children]:
            if prep.dep_ == "prep" and prep.lower_ in DEATH_PREPS:
                cause = next((o for o in prep.children if o.dep_ == "pobj"), None)
                if cause is not None and _names_harm(cause):
                    out.append(("target", _doers(verb), cause, "died in"))
                    break
    # "killed 10, including leader X", "three were injured, including X": the named among the harmed
    if lemma in DONE_TO_VERBS and tok.pos_ == "VERB":
        harmed = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        included = [
            o
            for node in [tok, *harmed]
            for prep in node.children
            if prep.dep_ == "prep" and prep.lower_ == "including"
            for o in prep.children
            if o.dep_ == "pobj" and _named_person(o)
        ]
        if included:
            out.append(("target", included, tok, "with"))
    # "an attack against the home of X", "they bombed X's house": the one whose home it is
    if lemma in VIOLENT_ACTS and tok.pos_ in ("NOUN", "VERB"):
        places = [c for c in tok.children if c.dep_ == "dobj"]
        places += [
            o
            for prep in tok.children
            if prep.dep_ == "prep" and prep.lower_ in ("against", "on")
            for o in prep.children
            if o.dep_ == "pobj"
        ]
        owners = [
            o
            for place in places
            if place.lemma_.lower() in HOME_NOUNS
            for o in [*_of_objects(place), *_possessors(place)]
            if _named_person(o)
        ]
        if owners:
            out.append(("target", owners, tok, "with"))
    # "the arrest of 45 soldiers for the killing": the ones held for an act are accused of it
    if lemma in ACCUSE_NOUNS and tok.pos_ == "NOUN":
        act = _prep_object(tok, {"for"})
        if act is not None and _names_violence(act, strict=True):
            out.append(("source", _of_objects(tok), act, "accuse"))
    # "the recently assassinated candidate X", "the kidnapped mayor": the one it was done to
    if (
        lemma in DONE_TO_VERBS
        and tok.tag_ == "VBN"
        and tok.dep_ == "amod"
        and tok.head.pos_ in ("NOUN", "PROPN")
    ):
        head = tok.head
        while head.dep_ == "compound" and head.head.pos_ in ("NOUN", "PROPN") and head.head.i > head.i:
            head = head.head
        out.append(("target", [head], tok, "participle"))
    # "X were killed together with Y", "they kidnapped the mayor along with his son"
    if lemma in DONE_TO_VERBS and tok.pos_ == "VERB":
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in COMPANY:
                out.append(
                    (
                        "target",
                        [
                            o
                            for w in prep.children
                            if w.lower_ == "with"
                            for o in w.children
                            if o.dep_ == "pobj"
                        ],
                        tok,
                        "with",
                    )
                )
            elif (
                prep.dep_ == "prep"
                and prep.lower_ == "with"
                and any(c.lower_ in COMPANY and c.dep_ == "advmod" for c in tok.children)
            ):
                out.append(("target", [o for o in prep.children if o.dep_ == "pobj"], tok, "with"))
    return out


def _of_objects(tok: Token) -> list[Token]:
    """The objects of a noun's "of" phrases, a second "and of" one too."""
    found: list[Token] = []
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            found += [o for o in prep.children if o.dep_ == "pobj"]
            found += [o for c in prep.conjuncts if c.lower_ == "of" for o in c.children if o.dep_ == "pobj"]
    return found


REMAINS_NOUNS = frozenset({"body", "corpse", "remains"})
ACCUSE_NOUNS = frozenset(
    {"arrest", "detention", "capture", "conviction", "indictment", "trial", "prosecution"}
)


def _possessors(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ == "poss"]


def _named_person(tok: Token) -> bool:
    """A personal name (or a title with one): "X", "Senator X", "the mayor, X"."""
    if tok.ent_type_ == "PERSON":
        return True
    if tok.pos_ == "PROPN" and tok.ent_type_ not in ("GPE", "LOC", "FAC", "ORG", "NORP", "DATE"):
        return True
    return any(
        t.ent_type_ == "PERSON" for t in tok.subtree if t.head == tok and t.dep_ in ("compound", "appos")
    )


def _violent_word(act: Token) -> Token:
    """The word of the act that names the violence ("being accomplices to the crime" -> "crime"),
    else the act itself."""
    if act.lemma_.lower() in VIOLENT_ACTS or act.pos_ not in ("VERB", "AUX"):
        return act
    return next((t for t in act.subtree if t.lemma_.lower() in VIOLENT_ACTS and t.pos_ == "NOUN"), act)


HURT_VERBS = frozenset({"injure", "hurt"})
UNHARMED = frozenset({"unharmed", "unhurt", "unscathed", "uninjured"})
DEATH_PREPS = frozenset({"in", "from", "of", "during", "after", "following"})
HARM_WORDS = frozenset({"wound", "gunshot", "bullet", "explosion", "blast", "bomb", "injury", "shot"})


def _names_harm(cause: Token) -> bool:
    """A cause of death or harm that is violence: "the explosion", "gunshot wounds", "the attack"."""
    return any(
        t.lemma_.lower() in VIOLENT_ACTS | HARM_WORDS or t.lower_ in HARM_WORDS
        for t in list(cause.subtree)[:8]
    )


# general words for the doers that an "as" phrase says someone is ("pointed out as the persons responsible")
GENERIC_COUNTS = frozenset({"one", "some", "two", "three", "four", "five", "several", "most", "all"})
GENERIC_DOERS = frozenset({"person", "one", "people", "man", "individual", "party", "group", "those"})


# what belongs to a person so closely that an attack on it is an attack on them
HOME_NOUNS = frozenset({"home", "house", "residence", "car", "vehicle", "farm", "office", "apartment"})
