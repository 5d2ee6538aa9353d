"""Event triggers: the reviewed lexicon (``resources/lexicon.yaml``) matched on lemmas and the
dependency parse.

A verb entry matches a VERB token by lemma, with optional conditions on its particle or
preposition ("call for"), its objects ("deny a truce" is a rejection, "deny a report" is not) and
objects it must not have. A noun entry matches a NOUN token by lemma, with optional modifiers
("drone strike"). Light verbs ("launched attacks", "reached an agreement", "voiced concern")
carry no event of their own: the event is their object noun.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from eventwatch.errors import ResourceError

if TYPE_CHECKING:
    from spacy.tokens import Token

LEXICON_PATH = Path(__file__).resolve().parent.parent / "resources" / "lexicon.yaml"

OBJECT_DEPS = frozenset({"dobj", "obj", "attr", "oprd", "dative"})
# "set the house ablaze": the parser hangs the particle word on the verb as a predicate or clause
PARTICLE_DEPS = frozenset({"prt", "prep", "agent", "dobj", "acomp", "advmod", "xcomp", "oprd", "advcl"})


@dataclass(frozen=True, slots=True)
class TriggerRule:
    lemma: str
    pos: str  # "verb" or "noun"
    cameo: str
    plover: str | None = None
    mode: str | None = None
    particles: tuple[str, ...] = ()  # further words of a phrasal entry ("call for" -> ("for",))
    objects: frozenset[str] = frozenset()
    not_objects: frozenset[str] = frozenset()
    prep: str | None = None
    modifiers: frozenset[str] = frozenset()
    confidence: float = 1.0
    subjects: frozenset[str] = frozenset()  # the verb's subject must name one of these

    @property
    def consumes_object(self) -> bool:
        """True when the object noun is part of the pattern ("deny a truce"): no event of its own."""
        return bool(self.objects)


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    rule: TriggerRule
    token: Token
    anchor: Token  # the verb whose clause carries the event: the trigger itself, or its light verb
    consumed: tuple[int, ...] = ()  # token indices whose own triggers this match absorbs


class Lexicon:
    def __init__(self, *, light_verbs: Iterable[str], rules: Iterable[TriggerRule]) -> None:
        self.light_verbs = frozenset(light_verbs)
        self.verbs: dict[str, list[TriggerRule]] = {}
        self.nouns: dict[str, list[TriggerRule]] = {}
        for rule in rules:
            table = self.verbs if rule.pos == "verb" else self.nouns
            table.setdefault(rule.lemma, []).append(rule)

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> Lexicon:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ResourceError(f"{path}: cannot read the trigger lexicon: {exc}") from exc
        if not isinstance(data, dict):
            raise ResourceError(f"{path}: expected a mapping with light_verbs, verbs and nouns")
        rules: list[TriggerRule] = []
        for pos in ("verbs", "nouns"):
            for n, entry in enumerate(data.get(pos) or []):
                rules.append(_rule(entry, pos=pos[:-1], where=f"{path}: {pos}[{n}]"))
        return cls(light_verbs=data.get("light_verbs") or [], rules=rules)

    def match_verb(self, token: Token) -> TriggerRule | None:
        for lemma in verb_lemmas(token):
            for rule in self.verbs.get(lemma, ()):
                if _verb_conditions_hold(rule, token):
                    return rule
        return None

    def match_noun(self, token: Token) -> TriggerRule | None:
        lemma = token.lemma_.lower()
        candidates = self.nouns.get(lemma, ())
        if not candidates and token.text.lower() != lemma:
            candidates = self.nouns.get(token.text.lower(), ())
        mods = _modifier_lemmas(token)
        for rule in candidates:
            if rule.modifiers and not (rule.modifiers & mods):
                continue
            return rule
        return None

    def is_light(self, token: Token) -> bool:
        return any(lemma in self.light_verbs for lemma in verb_lemmas(token))


# irregular past forms the lemmatizer leaves alone once a prefix hides them ("retook", "overran")
IRREGULAR_PAST: dict[str, str] = {
    "took": "take", "taken": "take", "ran": "run", "fought": "fight", "drew": "draw", "drawn": "draw",
    "threw": "throw", "thrown": "throw", "held": "hold", "shot": "shoot", "struck": "strike",
    "blew": "blow", "blown": "blow", "broke": "break", "broken": "break", "sent": "send", "built": "build",
}  # fmt: skip
VERB_PREFIXES = ("re", "over", "under", "with", "out", "up", "counter")


def _unprefixed_past(text: str) -> str | None:
    """ "retook" -> "retake", "overran" -> "overrun": a known prefix on an irregular past form."""
    for form, base in IRREGULAR_PAST.items():
        if text.endswith(form) and text[: -len(form)] in VERB_PREFIXES:
            return text[: -len(form)] + base
    return None


def verb_lemmas(token: Token) -> tuple[str, ...]:
    """The token's lemma, then the lemma with the silent "e" the lemmatizer sometimes strips from
    a verb it does not know ("raped" -> "rap", "staged" -> "stag"): "rape", "stage"; a prefixed
    irregular past the lemmatizer left as it was ("retook") gives its base form ("retake")."""
    lemma, text = token.lemma_.lower(), token.text.lower()
    if lemma == text:
        base = _unprefixed_past(text)
        if base is not None:
            return (base,)
    if lemma.endswith("e") or not lemma:
        if text.endswith("ed") and lemma == text[:-1] and len(text) > 5 and text[-3] == text[-4]:
            return (lemma, text[:-3])  # an unknown verb with a doubled consonant: "machinegunned"
        return (lemma,)
    if (text.endswith("ed") and text[:-2] == lemma) or (text.endswith("ing") and text[:-3] == lemma):
        return (lemma, lemma + "e")
    return (lemma,)


def _rule(entry: Any, *, pos: str, where: str) -> TriggerRule:
    if not isinstance(entry, dict) or not entry.get("lemma") or not entry.get("cameo"):
        raise ResourceError(f"{where}: an entry needs a lemma and a cameo code, got {entry!r}")
    words = str(entry["lemma"]).lower().split()
    modifiers = {str(m).lower() for m in entry.get("modifiers") or ()}
    if pos == "verb":
        lemma, particles = words[0], tuple(words[1:])
    else:  # "car bomb": head noun "bomb" with the modifier "car"
        lemma, particles = words[-1], ()
        modifiers |= set(words[:-1])
    return TriggerRule(
        lemma=lemma,
        pos=pos,
        cameo=str(entry["cameo"]),
        plover=entry.get("plover"),
        mode=entry.get("mode"),
        particles=particles,
        objects=frozenset(str(o).lower() for o in entry.get("objects") or ()),
        not_objects=frozenset(str(o).lower() for o in entry.get("not_objects") or ()),
        prep=(str(entry["prep"]).lower() if entry.get("prep") else None),
        modifiers=frozenset(modifiers),
        confidence=float(entry.get("confidence", 1.0)),
        subjects=frozenset(str(o).lower() for o in entry.get("subjects") or ()),
    )


# nouns that count or group what follows "of": "a number of barracks", "a team of doctors"
QUANTITY_HEADS = frozenset(
    {"number", "series", "batch", "group", "team", "couple", "dozen", "dozens", "hundreds", "thousands",
     "lot", "pair", "handful", "set", "quantity", "amount", "load", "convoy", "unit", "contingent",
     "part", "portion", "share", "kg", "kilogram", "ton", "tonne", "shipment", "consignment", "crate",
     "swathe", "swath", "stretch", "tract"}
)  # fmt: skip


def objects_of(token: Token) -> list[Token]:
    """Direct objects of a verb, their conjuncts, and objects of its prepositions and xcomp; an
    object that only counts or groups ("a number of barracks") brings what it counts."""
    found: list[Token] = []
    for child in token.children:
        if child.dep_ in OBJECT_DEPS or child.dep_ == "nsubjpass":
            found.extend([child, *child.conjuncts])
        elif child.dep_ in ("prep", "agent"):
            found.extend(g for g in child.children if g.dep_ in ("pobj", "pcomp"))
        elif child.dep_ == "xcomp":
            found.extend(g for g in child.children if g.dep_ in OBJECT_DEPS)
    counted = [
        pobj
        for obj in found
        if obj.lemma_.lower() in QUANTITY_HEADS
        for prep in obj.children
        if prep.dep_ == "prep" and prep.lower_ == "of"
        for pobj in prep.children
        if pobj.dep_ == "pobj"
    ]
    return found + [c for pobj in counted for c in (pobj, *pobj.conjuncts)]


def _verb_conditions_hold(rule: TriggerRule, token: Token) -> bool:
    children = list(token.children)
    for word in rule.particles:
        if not any(c.lemma_.lower() == word and c.dep_ in PARTICLE_DEPS for c in children):
            return False
    if rule.prep and not any(c.dep_ in ("prep", "agent") and c.lemma_.lower() == rule.prep for c in children):
        return False
    if rule.subjects and not (rule.subjects & _subject_lemmas(token)):
        return False
    if rule.objects or rule.not_objects:
        lemmas = {lemma for o in objects_of(token) for lemma in _object_lemmas(o)}
        if rule.objects and not (rule.objects & lemmas):
            return False
        if rule.not_objects & lemmas:
            return False
    return True


def _subject_lemmas(verb: Token) -> set[str]:
    """The lemmas of a verb's subject (a conjoined verb's, "gathered and marched", is its head's),
    with what a counting subject counts: "thousands of students" names thousands and students."""
    node = verb
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) and verb.dep_ == "conj":
        node = verb.head
    found: set[str] = set()
    for child in node.children:
        if child.dep_ not in ("nsubj", "nsubjpass"):
            continue
        for subj in (child, *child.conjuncts):
            found |= _object_lemmas(subj)
            counted = [subj]
            for _ in range(2):  # "tens of thousands of opponents"
                counted = [
                    g
                    for node in counted
                    for prep in node.children
                    if prep.dep_ == "prep" and prep.lower_ == "of"
                    for g in prep.children
                    if g.dep_ == "pobj"
                ]
                found |= {w for g in counted for w in _object_lemmas(g)}
    return found


def _object_lemmas(obj: Token) -> set[str]:
    """An object's lemma and its compound modifiers' ("aid deliveries" is about aid, "mediation
    efforts" about mediation)."""
    words = {obj.lemma_.lower(), obj.lower_}
    if obj.lower_.endswith("s") and obj.tag_ in ("NNS", "NNPS"):  # "Land Forces were formed"
        words.add(obj.lower_[:-1])  # the lemmatizer's slips on plurals: "bases" -> "basis"
    return words | {c.lemma_.lower() for c in obj.children if c.dep_ == "compound"}


def _consumed_by(rule: TriggerRule, verb: Token) -> tuple[int, ...]:
    """Token indices of the objects (and their compounds) that a verb pattern names."""
    found: list[int] = []
    for obj in objects_of(verb):
        if rule.objects & _object_lemmas(obj):
            found.append(obj.i)
        for child in obj.children:
            if child.dep_ == "compound" and child.lemma_.lower() in rule.objects:
                found.extend((obj.i, child.i))
    return tuple(dict.fromkeys(found))


def _modifier_lemmas(token: Token) -> set[str]:
    mods = {c.lemma_.lower() for c in token.children if c.dep_ in ("compound", "amod", "nmod", "nummod")}
    mods |= {c.text.lower() for c in token.children if c.dep_ in ("compound", "amod")}
    # a hyphenated modifier the tokenizer split: "cease-fire agreement" is a ceasefire agreement
    mods |= {
        "".join(t.lower_ for t in c.subtree if t.text != "-")
        for c in token.children
        if c.dep_ == "compound" and any(t.text == "-" for t in c.subtree)
    }
    if token.i > 0:
        prev = token.doc[token.i - 1]
        mods.add(prev.lemma_.lower())
        mods.add(prev.text.lower())
    # "an exchange of prisoners" is a prisoner exchange
    mods |= {
        g.lemma_.lower()
        for c in token.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for g in c.children
        if g.dep_ == "pobj"
    }
    return mods


@functools.cache
def default_lexicon() -> Lexicon:
    return Lexicon.load()


def find_triggers(sentence: Iterable[Token], lexicon: Lexicon) -> list[TriggerMatch]:
    """Every event trigger in a sentence, after light verbs hand over to their object nouns and
    verbs whose pattern names an object absorb that object's own trigger."""
    tokens = list(sentence)
    verb_hits: dict[int, TriggerRule] = {}
    noun_hits: dict[int, TriggerRule] = {}
    for tok in tokens:
        if tok.pos_ == "VERB":
            rule = lexicon.match_verb(tok)
            if rule is not None:
                verb_hits[tok.i] = rule
        elif tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in ("PERSON", "GPE", "ORG", "NORP"):
            rule = lexicon.match_noun(tok)
            if rule is not None:
                noun_hits[tok.i] = rule

    matches: list[TriggerMatch] = []
    absorbed: set[int] = set()
    by_index = {t.i: t for t in tokens}
    for i, rule in verb_hits.items():
        tok = by_index[i]
        consumed: tuple[int, ...] = ()
        if rule.consumes_object:
            consumed = _consumed_by(rule, tok)
            absorbed.update(consumed)
        light = lexicon.is_light(tok) and not rule.particles  # "step down" is an event of its own
        if light and any(o.i in noun_hits for o in objects_of(tok)) and not consumed:
            continue  # "launched attacks": the noun carries the event
        matches.append(TriggerMatch(rule=rule, token=tok, anchor=tok, consumed=consumed))
    for i, rule in noun_hits.items():
        tok = by_index[i]
        if i in absorbed or (tok.dep_ == "compound" and tok.head.i in noun_hits):
            continue  # "a ceasefire agreement": one event, named by the head noun
        matches.append(TriggerMatch(rule=rule, token=tok, anchor=clause_verb(tok, lexicon)))
    matches.sort(key=lambda m: m.token.i)
    return matches


CONTAINER_NOUNS = frozenset(
    {
        "round", "series", "wave", "spate", "string", "campaign", "effort", "mission", "process",
        "initiative", "programme", "program", "bid", "resumption", "start", "part", "number", "day",
        "night", "week", "month", "year", "hour", "kind", "form", "act", "case", "incident", "plan",
    }
)  # fmt: skip
# verbs of taking part or coming together: "participated in a march", "gathered in a protest"
JOIN_VERBS = frozenset(
    {"participate", "join", "take", "engage", "involve", "partake", "gather", "assemble", "converge"}
)


def clause_verb(noun: Token, lexicon: Lexicon) -> Token:
    """The verb whose clause a noun trigger belongs to: its light verb ("launched attacks"), else
    the noun itself (its own modifiers say who did what). A noun inside a container phrase ("a
    mediation effort", "a new round of exercises") or a verb of taking part ("participated in a
    march") belongs to the clause of that phrase."""
    container = None
    if noun.dep_ == "compound" and noun.head.pos_ == "NOUN" and noun.head.lemma_.lower() in CONTAINER_NOUNS:
        container = noun.head
    elif noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN":
        container = noun.head.head if noun.head.head.lemma_.lower() in CONTAINER_NOUNS else None
    if container is not None:
        verb = clause_verb(container, lexicon)
        return verb if verb.pos_ in ("VERB", "AUX") else noun
    if noun.dep_ == "pobj" and noun.head.lower_ in ("in", "into"):
        verb = noun.head.head
        if verb.pos_ == "VERB" and verb.lemma_.lower() in JOIN_VERBS:
            return verb
    head = noun.head
    light = lexicon.is_light(head) or head.lemma_ in ("be", "have")
    if noun.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and head.pos_ in ("VERB", "AUX") and light:
        return head
    if noun.dep_ == "conj":
        return clause_verb(noun.head, lexicon) if noun.head.pos_ in ("NOUN", "PROPN") else noun
    return noun
