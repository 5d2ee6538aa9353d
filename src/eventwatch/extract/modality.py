"""Modality: did it happen, is it happening, or was it only threatened, intended, planned,
hypothesised or denied?

Read from the trigger's own modifiers ("no ceasefire", "potential action", "any attack") and from
the clauses above it: negation, modal verbs, future and intent verbs ("announced it would"),
threat verbs ("warned it would strike"), conditionals ("until", "if") and verbs of prevention
("to counter ... action"). The strongest cue wins: denied > hypothetical > threatened > planned >
intended > ongoing > occurred.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventwatch.model import Modality

if TYPE_CHECKING:
    from spacy.tokens import Token

HYPOTHETICAL_MODIFIERS = frozenset(
    {"potential", "possible", "hypothetical", "future", "eventual", "prospective"}
)
HYPOTHETICAL_MODALS = frozenset({"would", "could", "might", "may", "should"})
FUTURE_MODALS = frozenset({"will", "'ll", "shall"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "until", "lest", "whether"})
PREVENTION_VERBS = frozenset({"prevent", "counter", "avert", "deter", "avoid", "forestall", "thwart", "fear"})
DENIAL_VERBS = frozenset({"deny", "refute", "dismiss", "disprove", "fail"})  # "failed to reach a deal"
THREAT_VERBS = frozenset({"threaten", "warn"})
PLAN_VERBS = frozenset({"plan", "schedule", "expect", "due", "set", "slate"})
INTENT_VERBS = frozenset(
    {
        "intend", "decide", "aim", "vow", "pledge", "promise", "seek", "want", "resolve", "determine",
        "prepare", "agree", "announce", "say", "declare", "state", "insist", "emphasize", "stress",
        "consensus", "agreement", "decision", "try", "attempt", "hope", "plot", "offer",
    }
)  # fmt: skip
INTENT_ADJECTIVES = frozenset(
    {"willing", "ready", "committed", "prepared", "determined", "eager", "keen", "poised"}
)
AGREEMENT_NOUNS = frozenset(
    {"agreement", "deal", "phase", "plan", "term", "accord", "arrangement", "ceasefire", "truce", "treaty"}
)
INTENT_NOUNS = frozenset(
    {"consensus", "agreement", "decision", "plan", "intention", "bid", "attempt", "threat"}
)
# verbs and nouns of asking: what they ask for ("demanded that the army withdraw", "urged them to
# talk", "a call for the troops to leave") is requested, not done
REQUEST_WORDS = frozenset(
    {"demand", "urge", "ask", "request", "call", "appeal", "press", "plea", "petition", "implore", "beg"}
)
REQUESTED_DEPS = frozenset({"ccomp", "xcomp", "acl", "advcl"})
# "a force tasked with fighting the rebels": a remit, not an act
ROLE_VERBS = frozenset({"task", "mandate", "entrust", "assign", "empower"})
# "continued to arrest activists": the act goes on, it is not announced
ONGOING_VERBS = frozenset({"continue", "keep"})
BACKGROUND_PREPS = frozenset(
    {"despite", "amid", "after", "following", "since", "during", "before", "notwithstanding"}
)
PRECEDENCE: tuple[Modality, ...] = (
    "denied", "hypothetical", "threatened", "planned", "intended", "ongoing", "occurred",
)  # fmt: skip


def modality_of(trigger: Token, anchor: Token) -> tuple[Modality, tuple[str, ...]]:
    """The event's modality and the words that decided it."""
    cues: dict[Modality, list[str]] = {}

    def add(kind: Modality, token: Token) -> None:
        cues.setdefault(kind, []).append(token.text)

    for child in trigger.children:
        if child.dep_ == "det" and child.lower_ in ("no", "any"):
            add("denied" if child.lower_ == "no" else "hypothetical", child)
        if child.dep_ in ("amod", "advmod") and child.lower_ in HYPOTHETICAL_MODIFIERS:
            add("hypothetical", child)
        if child.dep_ == "neg":
            add("denied", child)
    if trigger.pos_ == "NOUN" and trigger.head.lemma_ == "be" and trigger.dep_ == "attr":
        # "There is no ceasefire": the noun's existence is what the clause asserts or denies
        for child in trigger.head.children:
            if child.dep_ == "neg":
                add("denied", child)

    chain = _clause_chain(trigger, anchor)
    for depth, verb in enumerate(chain):
        own_clause = depth == 0 or verb == anchor
        children = list(verb.children)
        modal = next((c for c in children if c.dep_ == "aux" and c.tag_ == "MD"), None)
        if own_clause:
            if any(c.dep_ == "neg" for c in children):
                add("denied", next(c for c in children if c.dep_ == "neg"))
            if modal is not None and modal.lower_ in ("would", "will") and _under_terms(verb):
                add("planned", modal)  # "under the deal, Hamas would release ...": what it provides
            elif modal is not None and modal.lower_ in HYPOTHETICAL_MODALS:
                reported = any(v.lemma_ in INTENT_VERBS | THREAT_VERBS for v in chain[depth + 1 :])
                add("intended" if reported and modal.lower_ == "would" else "hypothetical", modal)
            elif modal is not None and modal.lower_ in FUTURE_MODALS:
                add("intended", modal)
            if _progressive(verb):
                add("ongoing", verb)
        mark = next((c for c in children if c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS), None)
        if mark is not None and verb.dep_ == "advcl":
            add("hypothetical", mark)
        if depth == 0:
            continue
        lemma = verb.lemma_.lower()
        if lemma in DENIAL_VERBS and verb != trigger:
            add("denied", verb)
        elif lemma in THREAT_VERBS:
            add("threatened", verb)
        elif lemma in PREVENTION_VERBS:
            add("hypothetical", verb)
        elif lemma in PLAN_VERBS and not _takes_effect(chain[depth - 1], verb):
            add("planned", verb)
        elif (lemma in REQUEST_WORDS and chain[depth - 1].dep_ in REQUESTED_DEPS) or (
            lemma in ROLE_VERBS and verb.dep_ == "acl"
        ):
            add("hypothetical", verb)
        elif lemma in ONGOING_VERBS and depth == 1 and chain[0].dep_ == "xcomp":
            add("ongoing", verb)
        elif lemma in INTENT_VERBS | INTENT_NOUNS | INTENT_ADJECTIVES and _infinitive_below(chain, depth):
            add("intended", verb)
    for kind in PRECEDENCE:
        if kind in cues:
            return kind, tuple(cues[kind])
    return "occurred", ()


def _clause_chain(trigger: Token, anchor: Token) -> list[Token]:
    """The trigger, then the verbs and event nouns above it up to the sentence root. The chain
    stops at a background preposition: "despite a ceasefire", "after the attack" presuppose that
    the event happened, whatever the clause above them says."""
    chain = [trigger]
    node = trigger
    seen = {trigger.i}
    while node.head.i != node.i and node.head.i not in seen:
        if node.dep_ == "prep" and node.lower_ in BACKGROUND_PREPS:
            break
        if node.dep_ == "relcl" and _finite(node):
            break  # "the men whom they had taken hostage": a relative clause keeps its own modality
        node = node.head
        seen.add(node.i)
        if (
            node.pos_ in ("VERB", "AUX")
            or node.lemma_ in INTENT_NOUNS | INTENT_ADJECTIVES | REQUEST_WORDS
            or node == anchor
        ):
            chain.append(node)
    return chain


def _takes_effect(below: Token, verb: Token) -> bool:
    """ "The truce is set to take effect at midnight": the agreement exists; only its start is
    still to come."""
    if below.dep_ not in ("nsubj", "nsubjpass"):
        return False
    for comp in verb.children:
        if comp.dep_ != "xcomp":
            continue
        words = {c.lemma_.lower() for c in comp.subtree}
        if comp.lemma_.lower() in ("take", "come", "go") and words & {"effect", "force"}:
            return True
    return False


def _infinitive_below(chain: list[Token], depth: int) -> bool:
    """True when the clause under ``chain[depth]`` is an infinitive, a future or a bare report
    ("decided to strike", "announced it will strike", "consensus to continue")."""
    below = chain[depth - 1]
    for node in chain[:depth]:
        if any(c.dep_ == "aux" and c.lower_ in ("to", "will", "would", "'ll") for c in node.children):
            return True
    return below.dep_ in ("xcomp", "acl", "relcl") and below.tag_ in ("VB", "VBG")


def _under_terms(verb: Token) -> bool:
    """The clause is set under the terms of an agreement ("under the first phase", "under the
    deal", "as part of the agreement")."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("under", "as"):
            for obj in child.subtree:
                if obj.lemma_.lower() in AGREEMENT_NOUNS:
                    return True
    return False


def _finite(verb: Token) -> bool:
    """A verb with its own tense: a finite form or a tensed auxiliary."""
    return verb.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in verb.children
    )


def _progressive(verb: Token) -> bool:
    return verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children)
