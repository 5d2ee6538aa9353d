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
from eventwatch.extract.triggers import CONTAINER_NOUNS, TriggerMatch, find_triggers
from eventwatch.model import ActorRef, Count, DateValue, Event, Modality, Place, Span, stable_id
from eventwatch.nlp import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from eventwatch.extract.attribution import AttributionFinder
    from eventwatch.extract.participants import ParticipantResolver
    from eventwatch.extract.resources import Resources

TARGET_PREPS = frozenset({"on", "against", "with", "at", "toward", "towards", "upon", "over", "into", "to"})
VERB_TARGET_PREPS = frozenset({"on", "against", "with", "at", "toward", "towards", "upon", "into", "to"})
VIOLENT_TYPES = frozenset({"ASSAULT", "COERCE"})  # acts whose unnamed doers are kept in the report's words
CO_PARTY_TYPES = frozenset({"AGREE", "CONSULT", "COOPERATE"})  # "agreed with X": X is a party
RELATIVE_PRONOUNS = frozenset({"which", "who", "that", "whom"})
LOCATIVE_PREPS = frozenset(
    {"in", "at", "near", "across", "inside", "outside", "throughout", "around", "from"}
)
WEAK_TRIGGER = 0.6
STRONG_TRIGGER = 0.7
# material events that are news without a named participant ("a car bomb exploded", "hundreds
# marched", "a weapons cache was found"); every other event needs a source or a target
SELF_EVIDENT_TYPES = frozenset({"ASSAULT", "PROTEST", "COERCE"})
LATER_SENTENCE = 0.95  # an event after the lead ranks a little below the lead's own
# acts that take two sides by their name: "a truce held", "a prisoner swap took place"
TWO_PARTY_NOUNS = frozenset({"ceasefire", "truce", "armistice", "exchange", "swap"})
GENERIC_ASSAULT_MODES = frozenset({None, "firearms", "primitive"})
DELIVERY_MODES = frozenset({"aerial", "drone", "heavy-weapons", "explosives"})  # a chemical payload wins
BACKGROUND_MARKS = frozenset({"after", "before", "since", "once", "because", "although", "though"})
# prepositions whose gerund shares the clause's subject ("after seizing", "by shelling"); not "for"
GERUND_PREPS = frozenset(
    {"after", "before", "by", "upon", "on", "while", "since", "without", "through", "despite"}
)
MEANS_PREPS = frozenset({"in", "by", "with", "during", "through", "using"})
AIR_STRIKE_WORDS = frozenset({"strike", "raid", "attack", "bombardment", "assault", "bombing", "campaign"})
# Words that name the means of an attack, most telling first: the attack is coded by its means
# (ACLED's Explosions/Remote violence sub-types), from the words around its trigger, else from
# anywhere in the sentence ("two suicide bombers killed ten", "attacked with poison gas").
WEAPON_CUES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("suicide-attack", "1831", frozenset({"suicide", "self-immolation", "kamikaze"})),
    (
        "cbrn",
        "2041",
        frozenset({"chemical", "chlorine", "sarin", "mustard", "toxic", "poison", "poisonous", "nerve"}),
    ),
    ("sexual", "1821", frozenset({"sexually", "sexual", "rape", "raped", "gang-rape"})),
    ("grenade", "190", frozenset({"grenade", "grenades"})),
    ("drone", "195", frozenset({"drone", "drones", "uav", "uavs"})),
    (
        "aerial",
        "195",
        frozenset(
            {"airstrike", "airstrikes", "air", "aerial", "warplane", "warplanes", "jet", "jets",
             "helicopter", "helicopters", "aircraft", "sortie", "sorties"}
        ),
    ),
    (
        "explosives",
        "183",
        frozenset(
            {"ied", "ieds", "improvised", "roadside", "landmine", "landmines", "mine", "mines",
             "explosive", "explosives", "bomb", "bombs", "blast", "explosion", "detonate", "vbied"}
        ),
    ),
    (
        "heavy-weapons",
        "194",
        frozenset(
            {"missile", "missiles", "rocket", "rockets", "mortar", "mortars", "shell", "shells",
             "shelling", "artillery", "howitzer", "katyusha", "projectile", "projectiles"}
        ),
    ),
)  # fmt: skip
MIN_CONFIDENCE = 0.3
ARMED_TYPES = frozenset({"armed_group", "rebel", "militia", "military"})
ARMED_ROLES = ("MIL", "REB", "IMG")
MEDIATE_VERBS = frozenset({"broker", "mediate", "facilitate", "sponsor", "negotiate"})
CLIMB_DEPS = frozenset({"xcomp", "ccomp", "conj", "advcl", "pcomp", "acomp"})


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
    depth: dict[str, int] = {}
    light_anchors: dict[int, int] = {}  # light verb -> its noun trigger ("carried out attacks")
    for match in find_triggers(ctx.sent, resources.lexicon):
        event = _build(match, ctx, resources=resources, resolver=resolver, attributions=attributions)
        if event is not None and match.rule.confidence >= MIN_CONFIDENCE:
            built.append((match.token, event))
            depth[event.event_id] = _prominence(match)
            if match.anchor.i != match.token.i:
                light_anchors.setdefault(match.anchor.i, match.token.i)
    if any(e.plover_type == "SANCTION" for _, e in built):
        # "unveiled sanctions ..., targeting ten officials": the measure's aim, not an attack
        built = [
            (t, e) for t, e in built if not (e.plover_type == "ASSAULT" and t.lemma_.lower() == "target")
        ]
    events: list[Event] = []
    for event in _merge_same_happening(built, resources=resources, light_anchors=light_anchors):
        if not any(_same(event, other) for other in events):
            events.append(event)
    # the sentence's main event first: the one whose clause is highest in the parse; ties in text order
    events.sort(key=lambda e: (depth.get(e.event_id, 99), e.trigger.start))
    _attach_casualties(events, ctx)
    tokens = {e.event_id: t for t, e in built}
    events = _reported_attacks(events, tokens, ctx, resources=resources, resolver=resolver)
    return _protest_context(events, ctx.sent)


# CAMEO's roots of force (assault, fight, mass violence): what a reported "attack" is
VIOLENT_ROOTS = frozenset({"18", "19", "20"})
# verbs that report what another did: "X said Y shelled the town" is X accusing Y (CAMEO 112)
ALLEGING_VERBS = frozenset({"say", "claim", "allege", "report", "state", "insist", "charge", "assert"})
# who is cited for a fact rather than making a charge: "sources", "witnesses", "residents" said
CITED_SOURCES = frozenset(
    {"source", "witness", "resident", "report", "reporter", "correspondent", "medic", "doctor", "hospital"}
)


def _reported_attacks(
    events: list[Event],
    tokens: dict[str, Token],
    ctx: SentenceContext,
    *,
    resources: Resources,
    resolver: ParticipantResolver,
) -> list[Event]:
    """CAMEO codes an attack told in a named party's words by what the party does in telling it
    (the PETRARCH-2 transformations of a reported attack): a party that is not the attacker
    accuses it ("Israel said mortars were fired at it from Gaza" -> Israel 112 Gaza); a party
    telling its own attack claims it ("the army said it shelled the camp" -> 015). The attack
    stays the sentence's first event with its PLOVER and ACLED types, since PLOVER and ACLED code
    what was done; only its CAMEO code gives way: 015 on the claimed attack, none on the alleged
    one, whose CAMEO reading is the accusation added after it. A news outlet reporting, or a
    source cited for a fact, changes nothing."""
    accusations = _reported_accusations(events, tokens, ctx, resources=resources, resolver=resolver)
    alleged = {e.event_id for e, _ in accusations}
    claimed = set(_claimed_attacks(events, tokens, resolver=resolver)) - alleged
    recoded: list[Event] = []
    for event in events:
        if event.event_id in alleged:
            event = replace(event, cameo_code=None, goldstein=None)
        elif event.event_id in claimed:
            event = replace(event, cameo_code="015", goldstein=resources.ontology.goldstein("015"))
        recoded.append(event)
    merged: dict[str, Event] = {}  # "X said Y attacked Z and took W": one accusation of Y
    for _, accusation in accusations:
        have = merged.get(accusation.event_id)
        if have is not None:
            targets = list(have.target_actors)
            _extend(targets, list(accusation.target_actors))
            accusation = replace(have, target_actors=tuple(targets))
        merged[accusation.event_id] = accusation
    return recoded + list(merged.values())


def _claimed_attacks(
    events: list[Event], tokens: dict[str, Token], *, resolver: ParticipantResolver
) -> list[str]:
    """Ids of the attacks that their own attacker tells ("the US claimed it had struck Iraq")."""
    found: list[str] = []
    for event in events:
        token = tokens.get(event.event_id)
        speakers = _reporting_parties(event, token, resolver=resolver)
        attackers = [a for a in event.source_actors if a.cameo_code or a.country]
        if speakers and attackers and all(any(_same_party(s, a) for s in speakers) for a in attackers):
            found.append(event.event_id)
    return found


def _reporting_parties(event: Event, token: Token | None, *, resolver: ParticipantResolver) -> list[ActorRef]:
    """The named parties (not news outlets, not cited witnesses) in whose words an attack that
    happened is told ahead of it: "X said [that] Y shelled Z"; a trailing "..., X said" only cites
    its source."""
    violent = event.plover_type == "ASSAULT" or (event.cameo_code or "")[:2] in VIOLENT_ROOTS
    if token is None or not violent or event.modality != "occurred":
        return []
    speech = _alleging_verb(token)
    if speech is None or speech.i > token.i:
        return []
    subject = next((c for c in speech.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lemma_.lower() in CITED_SOURCES:
        return []
    return [r for r in resolver.resolve_all(subject) if (r.country or r.actor_id) and r.type != "media"]


def _reported_accusations(
    events: list[Event],
    tokens: dict[str, Token],
    ctx: SentenceContext,
    *,
    resources: Resources,
    resolver: ParticipantResolver,
) -> list[tuple[Event, Event]]:
    """(attack, accusation) for each attack told in the words of a named party that is not the
    attacker: that party accusing the attacker (CAMEO 112)."""
    found: list[tuple[Event, Event]] = []
    for event in events:
        token = tokens.get(event.event_id)
        attackers = [a for a in event.source_actors if a.cameo_code or a.country]
        speakers = _reporting_parties(event, token, resolver=resolver)
        if token is None or not speakers or not attackers:
            continue
        if any(_same_party(s, a) for s in speakers for a in attackers):
            continue
        speech = _alleging_verb(token)
        assert speech is not None  # found by _reporting_parties
        trigger = Span(text=speech.text, start=speech.idx, end=speech.idx + len(speech.text))
        found.append(
            (
                event,
                replace(
                    event,
                    event_id=stable_id(ctx.article_id, ctx.index, trigger.start, "ACCUSE"),
                    evidence=_evidence(ctx.sent, trigger, [*speakers, *attackers]),
                    trigger=trigger,
                    plover_type="ACCUSE",
                    plover_mode="disapprove",
                    cameo_code="112",
                    goldstein=resources.ontology.goldstein("112"),
                    quad_class=resources.ontology.quad_class("ACCUSE"),
                    acled_event_type=None,
                    acled_sub_event_type=None,
                    source_actors=tuple(speakers),
                    target_actors=tuple(attackers),
                    fatalities=None,
                    injured=None,
                    confidence=round(event.confidence * 0.8, 3),
                ),
            )
        )
    return found


def _alleging_verb(token: Token) -> Token | None:
    """The reporting verb whose complement clause tells the event ("said [that] eight were killed
    in a strike by ..."), climbing from a noun to its clause and across conjoined clauses."""
    node = token
    preps = 0
    for _ in range(4):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            break
        if node.dep_ == "prep":
            preps += 1
            if node.lower_ in BACKGROUND_MARKS or preps > 1:
                # "said security must improve after the bombing", "said they surrendered in the
                # face of an onslaught": the setting of what is told, not what is told
                return None
        node = node.head
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    if node.dep_ != "ccomp" or node.head.lemma_.lower() not in ALLEGING_VERBS:
        return None
    before = node.doc[node.left_edge.i - 1] if node.left_edge.i > 0 else None
    if any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in node.children) or (
        before is not None and before.lower_ in BACKGROUND_MARKS
    ):
        return None  # "said it retook the city, a year after the RSF seized it": the back story
    return node.head


def _same_party(a: ActorRef, b: ActorRef) -> bool:
    """The same actor, or the same country's state speaking of its own forces ("Afghan officials
    said the army ..."); a rebel group of that country is another party ("Afghan officials said
    the Taliban ...")."""
    if _same_actor(a, b):
        return True
    return bool(a.country and a.country == b.country and _of_the_state(a) and _of_the_state(b))


# "officials in South Sudan" resolve to the place: its authorities speak for the state
STATE_SIDE_TYPES = frozenset(
    {"state", "government", "military", "police", "intelligence", "judiciary", "legislature", "location"}
)
STATE_SIDE_ROLES = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "ELI"})


def _of_the_state(actor: ActorRef) -> bool:
    """The state or one of its organs or office-holders ("Israel", "IRQMIL", a president)."""
    role = (actor.cameo_code or "")[3:6]
    return actor.type in STATE_SIDE_TYPES or role in STATE_SIDE_ROLES


PROTEST_WORDS = frozenset(
    {"protest", "protester", "protestor", "demonstration", "demonstrator", "rally", "march", "marcher",
     "crowd", "sit", "picket", "rioter"}
)  # fmt: skip
LETHAL_WORDS = frozenset(
    {
        "live",
        "kill",
        "dead",
        "death",
        "lethal",
        "fatal",
        "fatally",
        "massacre",
        "excessive",
        "violently",
        "brutally",
    }
)
CONTROL_WORDS = frozenset(
    {"gas", "teargas", "cannon", "rubber", "baton", "pepper", "disperse", "dispel", "break", "arrest",
     "detain", "truncheon", "stun", "grenade", "clear", "charge"}
)  # fmt: skip
RIOT_WORDS = frozenset(
    {"clash", "stone", "rock", "molotov", "firebomb", "torch", "burn", "vandalize", "vandalise", "loot",
     "smash", "riot", "violent", "ransack", "storm", "hurl", "throw", "petrol", "set", "attack",
     "barricade", "aggressive"}
)  # fmt: skip
# ACLED counts road-blocking by protesters as a violent demonstration
BLOCK_WORDS = frozenset({"block", "blockade", "barricade", "shut"})
ROAD_WORDS = frozenset(
    {"road", "highway", "street", "thoroughfare", "motorway", "bridge", "junction", "intersection",
     "railway", "traffic", "route", "roadway", "freeway", "expressway"}
)  # fmt: skip
# violence that only a crowd commits at a protest (not "attack" or "fire", which police do too)
CROWD_RIOT_WORDS = frozenset(
    {"clash", "clashing", "violence", "violent", "stone", "rock", "molotov", "firebomb", "loot", "riot",
     "rioter", "vandalize", "vandalise", "smash", "ransack", "hurl", "petrol", "confrontation", "unrest"}
)  # fmt: skip
INTERVENTION = ("Protests", "Protest with intervention")
FORESTALL_WORDS = frozenset({"anticipation", "ahead", "before", "prevent", "avert", "forestall", "pre-empt"})
STATE_TYPES = frozenset({"police", "military", "state", "government", "intelligence"})


def _protest_context(events: list[Event], sent: SpacySpan) -> list[Event]:
    """ACLED codes a protest by what happened at it, and violence at a protest as part of it:
    protesters who clash, burn or throw stones make a violent demonstration; police who disperse
    or arrest them a protest with intervention; police who fire live rounds or kill, excessive
    force against protesters. The label goes on the protest and on the state's action at it."""
    # "riot police", "riot gear": the unit's name says nothing about what the crowd did; "on 1
    # March" names a month, not a march
    words = [
        t
        for t in sent
        if not (t.lower_ == "riot" and t.dep_ in ("compound", "amod") and t.head.pos_ == "NOUN")
        and t.ent_type_ not in ("DATE", "TIME")
    ]
    lemmas = {t.lemma_.lower() for t in words} | {t.lower_ for t in words}
    # "arrested activists ahead of planned protests": a protest still to come sets no scene
    if not any(
        t.lemma_.lower() in PROTEST_WORDS
        and not any(a.lemma_.lower() in FORESTALL_WORDS for a in t.ancestors)
        for t in words
    ):
        lemmas -= PROTEST_WORDS
    if not (lemmas & PROTEST_WORDS or any(e.plover_type == "PROTEST" for e in events)):
        return events
    state_acts = [e for e in events if _state_action_at_protest(e)]
    # a crowd that attacks a rally is a mob set on the demonstrators, not the demonstration; so is
    # a crowd's violence with no demonstration in view ("a mob lynched a man")
    mob_attacks = [e for e in events if _crowd_violence(e) and _aimed_at_protest(e, sent)]
    if not lemmas & DEMONSTRATION_WORDS:
        mob_attacks += [e for e in events if _crowd_violence(e) and e.acled_event_type is not None]
    crowd_violence = [e for e in events if _crowd_violence(e) and e not in mob_attacks]
    label: tuple[str, str] | None = None
    if state_acts and lemmas & LETHAL_WORDS:
        label = ("Protests", "Excessive force against protesters")
    elif state_acts or (lemmas & CONTROL_WORDS and lemmas & {"police", "security", "force", "riot"}):
        label = ("Protests", "Protest with intervention")
    blocked_roads = bool(lemmas & BLOCK_WORDS and lemmas & ROAD_WORDS)
    # the words of a mob's attack on a rally say nothing of what the demonstrators did
    riot_words = (bool(lemmas & RIOT_WORDS) or blocked_roads) and not mob_attacks
    if crowd_violence or (riot_words and any(e.plover_type == "PROTEST" for e in events)):
        label = ("Riots", "Violent demonstration") if label is None or not state_acts else label
    if label == INTERVENTION and (crowd_violence or lemmas & CROWD_RIOT_WORDS):
        # a crowd that fights back is a violent demonstration, police intervention or not
        label = ("Riots", "Violent demonstration")
    if label is None and not mob_attacks:
        return events
    out: list[Event] = []
    for event in events:
        if event in mob_attacks:
            event = replace(event, acled_event_type="Riots", acled_sub_event_type="Mob violence")
        elif label is not None and (
            event.plover_type == "PROTEST" or event in state_acts or event in crowd_violence
        ):
            event = replace(event, acled_event_type=label[0], acled_sub_event_type=label[1])
        out.append(event)
    return out


# words that put a demonstration in view (a crowd alone, or a mob, is not one)
DEMONSTRATION_WORDS = (PROTEST_WORDS - {"crowd"}) | {"demonstrate", "riot", "rioting", "unrest", "uprising"}
PROTEST_TARGETS = frozenset(
    {"protest", "protester", "protestor", "demonstration", "demonstrator", "rally", "march", "marcher",
     "sit", "vigil", "picket", "gathering"}
)  # fmt: skip


def _aimed_at_protest(event: Event, sent: SpacySpan) -> bool:
    """True when the attack's object is the protest or its people ("a group attacked a rally")."""
    trigger = next((t for t in sent if t.idx == event.trigger.start), None)
    if trigger is None:
        return False
    objects = [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]
    objects += [
        g for c in trigger.children if c.dep_ == "prep" and c.lower_ in ("on", "against") for g in c.children
    ]
    return any(o.lemma_.lower() in PROTEST_TARGETS for o in objects)


def _state_action_at_protest(event: Event) -> bool:
    """Police or troops acting on a crowd: an attack or arrest with a state source (or none) and
    a civilian target (or none)."""
    if event.plover_type not in ("ASSAULT", "COERCE") or event.plover_mode in ("sexual", "abduct"):
        return False  # rape or abduction keeps its own type wherever it happens
    if event.plover_type == "COERCE" and event.plover_mode not in ("arrest", None):
        return False
    if event.cameo_code == "175":
        return True  # violent repression: tear gas, water cannon, batons on a crowd
    # a place is no actor: "detained in St Petersburg", "killed in Khartoum"
    sources = {a.type for a in event.source_actors if a.type != "location"}
    targets = {a.type for a in event.target_actors if a.type != "location"}
    state_source = bool(sources & STATE_TYPES) or not sources
    return state_source and (not targets or "civilians" in targets) and bool(sources | targets)


def _crowd_violence(event: Event) -> bool:
    """Protesters attacking, clashing or destroying: civilians as the source of violence, or no
    named source fighting the police ("others clashed with police")."""
    sources = {a.type for a in event.source_actors}
    targets = {a.type for a in event.target_actors}
    violent = event.plover_type == "ASSAULT" or event.plover_mode in ("destroy", "loot", "riot")
    if violent and not sources and targets and targets <= {"police"}:
        return True
    return violent and bool(sources) and sources <= {"civilians", "person"}


def _prominence(match: TriggerMatch) -> int:
    """How deep the event's clause sits in the parse: 0 for the sentence's main verb, more for
    subordinate clauses and for nouns inside phrases ("after violent protests")."""
    node = match.anchor
    steps = 0
    while node.head.i != node.i and steps < 50:
        node = node.head
        steps += 1
    return steps


def _merge_same_happening(
    built: list[tuple[Token, Event]], *, resources: Resources, light_anchors: dict[int, int] | None = None
) -> list[Event]:
    """One happening, one event: "a roadside bomb killed five" (the bomb is the subject of the
    killing), "threatened to strike the port" (the strike is what is threatened) and "carried
    out attacks on the army, killing nine" (the killing hangs on the attacks' light verb) are each
    one event; the merged event keeps the more specific mode and code, and every participant."""
    light_anchors = light_anchors or {}
    by_token = {token.i: (token, event) for token, event in built}
    dropped: set[int] = set()
    merged: dict[int, Event] = {token.i: event for token, event in built}
    for token, event in built:
        head = token.head
        dep = token.dep_
        if dep == "pobj" and head.lower_ in MEANS_PREPS and head.head.i in by_token:
            head, dep = head.head, "means"  # "killed in a bombing", "struck with grenades"
        if head.i not in by_token and head.i in light_anchors and light_anchors[head.i] != token.i:
            head = token.doc[light_anchors[head.i]]  # "carried out attacks ..., killing nine"
        elif light_anchors.get(head.i) == token.i and head.dep_ == "xcomp" and head.head.i in by_token:
            head, dep = head.head, "xcomp"  # "refused to attend the talks": the talks' light verb's clause
        if head.i == token.i or head.i not in by_token or token.i in dropped:
            continue
        outer = merged[head.i]
        participle = dep == "advcl" and token.tag_ == "VBG"  # "attacked the village, killing nine"
        # "18 were killed when bombers attacked a wedding": the clause says how the killing happened
        at_once = dep == "advcl" and any(c.dep_ == "advmod" and c.lower_ == "when" for c in token.children)
        same_kind = event.plover_type == outer.plover_type and (
            dep in ("nsubj", "nsubjpass", "dobj", "means") or participle or at_once
        )
        threat = outer.plover_type == "THREATEN" and event.plover_type == "THREATEN" and token.dep_ == "xcomp"
        # "met the minister to discuss the crisis": the talks are what the meeting was for
        purpose = (
            event.plover_type == outer.plover_type
            and dep in ("advcl", "xcomp")
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
        )
        if same_kind or threat or purpose:
            clash = ARMED_CLASH in ((outer.acled_event_type, outer.acled_sub_event_type),
                                    (event.acled_event_type, event.acled_sub_event_type))  # fmt: skip
            absorbed = _absorb(outer, event, text=doc_text(token.doc))
            merged[head.i] = _recode_acled(absorbed, resources, clash=clash)
            dropped.add(token.i)
        elif outer.plover_type == "REJECT" and dep == "xcomp" and event.cameo_code:
            # "refused to send tanks to Kyiv": one refusal of what is named (CAMEO 12x), not a delivery
            recoded = resources.ontology.recode_for_modality(event.plover_type, event.cameo_code, "denied")
            if recoded is not None and not (outer.cameo_code or "").startswith(recoded[1][:3]):
                entry = resources.ontology.cameo(recoded[1])
                refusal = _absorb(outer, replace(event, source_actors=()), text=doc_text(token.doc))
                merged[head.i] = replace(
                    refusal,
                    plover_type=recoded[0],
                    plover_mode=entry.plover_mode if entry else None,
                    cameo_code=recoded[1],
                    goldstein=resources.ontology.goldstein(recoded[1]),
                    acled_event_type=None,
                    acled_sub_event_type=None,
                )
                dropped.add(token.i)
    # an event reached through a light verb's clause belongs to its noun ("began a strike to demand")
    live = {i: e for i, e in merged.items() if i not in dropped}
    reach = {**live, **{a: live[t] for a, t in light_anchors.items() if t in live and a not in live}}
    for token, event in built:
        if token.i in dropped:
            continue
        if _purpose_of_another(token, event, reach) or _grievance_of_protest(token, event, reach):
            dropped.add(token.i)
    return [merged[token.i] for token, _ in built if token.i not in dropped]


PURPOSE_DEPS = frozenset({"advcl", "xcomp", "relcl", "acl"})
GRIEVANCE_PREPS = frozenset({"against", "over", "of", "at"})
UNREALISED = frozenset({"intended", "hypothetical", "planned"})


def _purpose_of_another(token: Token, event: Event, events: dict[int, Event]) -> bool:
    """An unrealised event in the purpose or the content of another event's clause is part of
    that event, not one of its own: "telephoned his counterpart to discuss ...", "backed a
    resolution that aims to impose a blockade"."""
    demand = event.plover_type == "REQUEST"  # "staged a march to demand reforms": what the march asks
    if event.modality not in UNREALISED and not demand:
        return False
    node, crossed, content = token, False, False
    for _ in range(4):
        if node.head.i == node.i:
            return False
        crossed = crossed or node.dep_ in PURPOSE_DEPS
        content = content or node.dep_ == "ccomp"
        node = node.head
        outer = events.get(node.i)
        if outer is not None:
            if demand and event.modality not in UNREALISED:
                return crossed and outer.plover_type == "PROTEST"
            # "demanded that the partners refuse ...": the content of a demand is what it asks for
            crossed = crossed or (content and outer.plover_type == "REQUEST")
            return crossed and outer.modality not in ("denied",) and outer.plover_type != event.plover_type
    return False


def _grievance_of_protest(token: Token, event: Event, events: dict[int, Event]) -> bool:
    """What a protest is against is its cause, told as background: "marched against the
    execution", "a strike in protest of the arrests" code the protest, not a second event."""
    if token.pos_ not in ("NOUN", "PROPN") or token.dep_ != "pobj" or event.plover_type == "PROTEST":
        return False
    prep = token.head
    if prep.lower_ not in GRIEVANCE_PREPS:
        return False
    outer = events.get(prep.head.i)
    if outer is not None and outer.plover_type == "PROTEST":
        return True
    # "in protest of the arrest": the noun "protest" names the protest's cause
    above = prep.head
    return (
        above.lemma_.lower() == "protest"
        and above.head.lower_ == "in"
        and prep.lower_ in ("of", "at", "over", "against")
    )


ARMED_NOUNS = frozenset(
    {"militant", "rebel", "insurgent", "fighter", "jihadist", "terrorist", "gunman", "extremist",
     "guerrilla", "separatist", "militiaman", "soldier", "troop", "policeman", "officer", "jihadi"}
)  # fmt: skip
MILITARY_SITES = frozenset(
    {"checkpoint", "base", "position", "post", "outpost", "convoy", "barracks", "garrison", "patrol",
     "airbase", "camp", "stronghold", "trench", "bunker"}
)  # fmt: skip


def _unresolved_target_types(trigger: Token, anchor: Token) -> list[str]:
    """Actor types for what an attack hits when the actor base names no actor: armed people
    ("killed 20 militants") and military sites ("attacked a checkpoint") make it a clash."""
    types: list[str] = []
    for node in {trigger, anchor}:
        for child in [*node.children, *_shared_objects(node)]:
            objs = [child] if child.dep_ in ("dobj", "nsubjpass") else []
            if child.dep_ == "prep" and child.lower_ in ("on", "against", "at"):
                objs = [g for g in child.children if g.dep_ == "pobj"]
            for obj in objs:
                lemma = obj.lemma_.lower()
                if lemma in ARMED_NOUNS:
                    types.append("armed_group")
                elif lemma in MILITARY_SITES:
                    types.append("military")
    return types


def _recode_acled(event: Event, resources: Resources, *, clash: bool = False) -> Event:
    """ACLED type of a merged event, from its merged participants, mode and code. A part that
    was already an armed clash (its armed target known only from a noun, "attacked a checkpoint,
    killing 12 soldiers") keeps the whole a clash rather than an attack on civilians."""
    found = resources.ontology.acled(
        plover_type=event.plover_type,
        plover_mode=event.plover_mode,
        cameo_code=event.cameo_code,
        source_types=[a.type or "" for a in event.source_actors],
        target_types=[a.type or "" for a in event.target_actors],
        trigger=event.trigger.text,
    )
    if clash and found == ATTACK:
        found = ARMED_CLASH
    if found is None and event.acled_event_type is not None:
        return event
    return replace(
        event,
        acled_event_type=found[0] if found else None,
        acled_sub_event_type=found[1] if found else None,
    )


def _absorb(outer: Event, inner: Event, *, text: str) -> Event:
    generic = (outer.cameo_code or "").endswith("0") or (
        outer.plover_mode in GENERIC_ASSAULT_MODES and inner.plover_mode not in GENERIC_ASSAULT_MODES
    )
    specific = inner if generic and inner.cameo_code else outer
    sources = list(outer.source_actors)
    _extend(sources, list(inner.source_actors))
    targets = list(outer.target_actors)
    _extend(targets, [t for t in inner.target_actors if not any(_same_actor(t, s) for s in sources)])
    acled = (
        inner if (specific is inner and inner.acled_sub_event_type) or not outer.acled_event_type else outer
    )
    start = min(outer.evidence.start, inner.evidence.start)
    end = max(outer.evidence.end, inner.evidence.end)
    return replace(
        outer,
        plover_mode=specific.plover_mode or outer.plover_mode or inner.plover_mode,
        cameo_code=specific.cameo_code,
        goldstein=specific.goldstein,
        acled_event_type=acled.acled_event_type,
        acled_sub_event_type=acled.acled_sub_event_type,
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
    if plover_mode == "destroy" and anchor.pos_ == "VERB" and _destroyed_by_weapon(anchor):
        plover_type, plover_mode, cameo_code = "ASSAULT", None, "190"  # the weapon's means decide below
    sources, targets = participants(match, resolver, plover_type=plover_type)
    actorless = not sources and not targets
    # "after a shop was looted": a clause told as background still says the looting happened
    told = _main_clause(anchor) or _background_clause(anchor)
    self_evident = plover_type in SELF_EVIDENT_TYPES or (
        trigger.pos_ == "NOUN" and trigger.lemma_.lower() in TWO_PARTY_NOUNS
    )
    if actorless and not (self_evident and rule.confidence >= STRONG_TRIGGER and told):
        return None  # "a deal", "talks": who with whom is the event; a bombing or a march is news alone
    if plover_type == "ASSAULT" and plover_mode in GENERIC_ASSAULT_MODES:
        cued = weapon_mode(trigger, anchor)
        if cued is not None:
            plover_mode, cameo_code = cued
    elif plover_type == "ASSAULT" and plover_mode in DELIVERY_MODES:
        cued = weapon_mode(trigger, anchor)
        if cued is not None and cued[0] == "cbrn":
            plover_mode, cameo_code = cued  # "dropped chlorine bombs": what is delivered, not how
    if _weighed(anchor):
        return None  # "is considering sending aid": weighing an option (CAMEO 014), no act yet
    if rule.lemma == "help" and not _helped_someone(anchor, targets):
        return None  # "to help with the crisis", "will help Turkey to keep": no aid reported as given
    if (
        anchor.dep_ == "pcomp"
        and anchor.head.lower_ in ("of", "for")
        and (anchor.head.head.lemma_.lower() in ALLEGATION_VERBS)
    ):
        # "accused India of violating the truce": the accused is the doer, not the accuser
        accused = [c for c in anchor.head.head.children if c.dep_ in ("dobj", "nsubjpass")]
        doers = [r for c in accused for r in resolver.resolve_all(c)]
        if doers:
            sources = doers
            targets = [t for t in targets if not any(_same_actor(t, d) for d in doers)]
    if plover_type == "ACCUSE" and not targets:
        targets = _culprits(anchor, resolver)  # "condemned the attack by Hamas": Hamas is blamed
    if _reduced_relative(anchor):
        return None  # "the men detained last week were freed": the participle only describes them
    if trigger.pos_ == "NOUN" and trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in STATIVE_HOLDERS:
        return None  # "the plan enjoys support from": a state of affairs, not an act
    if (
        (plover_type == "ASSAULT" or plover_mode == "destroy")
        and not any(a.type not in (None, "location", "state") for a in sources)
        and any(_hazard_named(sent) for sent in _neighbourhood(ctx.sent))
    ):
        return None  # "the earthquake killed 30", "a fire destroyed homes": harm with no one doing it
    if (
        plover_type == "ASSAULT"
        and plover_mode in ("heavy-weapons", "explosives")
        and _fired_from_the_air(anchor)
    ):
        plover_mode, cameo_code = "aerial", "195"  # "jets fired missiles": an air strike, whatever it fires
    if plover_type == "ASSAULT" and rule.confidence < WEAK_TRIGGER and not any(map(_armed, sources)):
        return None  # "operations", "violence": an attack only when an armed actor carries it out
    if (
        (plover_type == "ASSAULT" or (plover_type == "COERCE" and plover_mode in ("destroy", "loot", None)))
        and sources
        and all(_crowd(a) for a in sources)
    ):
        plover_type, plover_mode, cameo_code = "PROTEST", "riot", "145"  # "rioters torched a bank"
    if plover_mode == "arrest" and targets and all(t.type == "location" for t in targets):
        plover_mode, cameo_code = "occupy", "192"  # "captured Wad Madani": territory, not people
    if plover_type == "MOBILIZE":
        # "deployed troops to Lithuania": the troops are the means, where they go is the target
        destinations = _prep_objects(anchor, {"to", "into", "toward", "towards"})
        heading = [r for obj in destinations for r in resolver.resolve_all(obj)]
        if heading:
            targets = heading
    sources = _ethnic_residents(match, sources, ctx, resolver)
    if not targets and (plover_type in ("PROTEST", "MOBILIZE") or plover_mode == "visit"):
        targets = _host_country(trigger, anchor, ctx, sources, resources=resources, resolver=resolver)
    modality, _cues = modality_of(trigger, anchor)
    if plover_type == "ASSAULT" and modality == "intended" and _attempt_made(trigger, _cues):
        modality = "occurred"  # "tried to kidnap", "an attempt to kill": an attempt made is the act (ACLED)
    if plover_type == "ASSAULT" and modality in ("intended", "threatened"):
        # a declared intention to attack is a threat of violence (PLOVER THREATEN, CAMEO 138)
        plover_type, plover_mode, cameo_code = "THREATEN", "violence", "138"
    # a refused act is a rejection ("will not lift the embargo"); a denied state of affairs ("there
    # is no ceasefire") stays what it is, marked denied
    refused = modality != "denied" or trigger.pos_ == "VERB"
    recoded = resources.ontology.recode_for_modality(plover_type, cameo_code, modality) if refused else None
    if recoded is not None:
        plover_type, cameo_code = recoded
        entry = resources.ontology.cameo(cameo_code)
        plover_mode = entry.plover_mode if entry else None
    attribution = attributions.for_event(trigger, anchor)
    trigger_span = Span(text=trigger.text, start=trigger.idx, end=trigger.idx + len(trigger.text))
    goldstein = resources.ontology.goldstein(cameo_code)
    acled = resources.ontology.acled(
        plover_type=plover_type,
        plover_mode=plover_mode,
        cameo_code=cameo_code,
        source_types=[a.type or "" for a in sources],
        target_types=[a.type or "" for a in targets] + _unresolved_target_types(trigger, anchor),
        trigger=trigger.lemma_,
    )
    ended = _ended(trigger)
    if modality in ("hypothetical", "denied"):
        acled = None  # ACLED codes what happened: "any attack", "no clashes", "urged to withdraw"
    elif acled is not None and _responsibility_for(trigger):
        acled = None  # "claimed responsibility for the attack": a claim about an attack told before
    elif acled is not None and ended:
        acled = None  # "after the collapse of peace talks": what ended is no event of the day
    if acled == ATTACK and _two_sided(trigger) and not any(a.type == "civilians" for a in sources + targets):
        acled = ARMED_CLASH  # "clashes erupted", "heavy fighting": both sides armed by the word itself
    # a doer the report leaves unnamed ("groups", "two men") makes the act no surer
    named = [a for a in sources if a.actor_id or a.country or a.type or a.cameo_code]
    confidence = rule.confidence * (0.9 if named and targets else 0.5 if actorless else 0.7)
    if modality != "occurred":
        confidence *= 0.9
    if _background_clause(anchor) or ended:
        confidence *= 0.8  # "since the army withdrew in 2012", "after the collapse of talks": setting
    if ctx.index > 0:
        confidence *= LATER_SENTENCE  # news puts what happened first; later sentences add detail
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


# Natural hazards and accidents: deaths and damage they cause are no political violence.
HAZARD_WORDS = frozenset(
    {"earthquake", "quake", "tremor", "aftershock", "tsunami", "flood", "flooding", "floodwater",
     "landslide", "mudslide", "avalanche", "volcano", "eruption", "cyclone", "hurricane",
     "typhoon", "tornado", "storm", "blizzard", "lightning", "drought", "heatwave", "wildfire",
     "bushfire", "blaze", "inferno", "accident", "crash", "collision", "derail", "derailment",
     "capsize", "stampede", "leak", "cylinder", "boiler", "propane"}
)  # fmt: skip
# words that say someone attacked, whatever else happened
VIOLENCE_EVIDENCE = frozenset(
    {"bomb", "bomber", "ied", "grenade", "missile", "rocket", "mortar", "shelling", "airstrike", "drone",
     "gunman", "militant", "attacker", "attack", "terrorist", "insurgent", "rebel", "suicide", "shoot",
     "gunfire", "arson", "arsonist", "sabotage"}
)  # fmt: skip
HAZARD_VERBS = frozenset({"derail", "capsize", "crash", "collide", "flood"})


def _neighbourhood(sent: SpacySpan) -> list[SpacySpan]:
    """The sentence and the ones just before and after it ("19 were killed when their bus left
    the road. The accident ...")."""
    doc = sent.doc
    found = [sent]
    if sent.start > 0:
        found.append(doc[sent.start - 1].sent)
    if sent.end < len(doc):
        found.append(doc[sent.end].sent)
    return found


def _hazard_named(sent: SpacySpan) -> bool:
    """True when the sentence names a natural hazard or an accident ("an earthquake hit", "a bus
    crash", "a fire in a garage": "fire" as a noun with an article, not "opened fire")."""
    if any(tok.lemma_.lower() in VIOLENCE_EVIDENCE for tok in sent):
        return False  # "a bomb exploded and a fire broke out": the hazard follows an attack
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.dep_ == "compound" or (tok.pos_ == "VERB" and lemma not in HAZARD_VERBS):
            continue  # "flood-control dam", "stormed the base"
        if lemma in HAZARD_WORDS or tok.lower_ in HAZARD_WORDS:
            return True
        if lemma == "fire" and tok.pos_ == "NOUN" and any(c.dep_ == "det" for c in tok.children):
            return True
    return False


# verbs of weighing an option: what they govern is not done, and CAMEO codes the weighing (014)
DELIBERATION_VERBS = frozenset({"consider", "contemplate", "mull", "weigh", "ponder", "debate", "discuss"})


ENDING_NOUNS = frozenset({"collapse", "breakdown", "failure", "end", "suspension", "demise", "expiry"})


def _ended(trigger: Token) -> bool:
    """True for an event noun whose ending is told ("the collapse of the talks", "the end of the
    truce"): ACLED codes the ending's consequences, not the talks or the truce. ("The truce
    collapsed" stays an Agreement: ACLED-trained coders of CASE 2021 code a ceasefire's collapse so.)"""
    return (
        trigger.pos_ == "NOUN"
        and trigger.dep_ == "pobj"
        and trigger.head.lower_ == "of"
        and trigger.head.head.lemma_.lower() in ENDING_NOUNS
    )


RESPONSIBILITY_WORDS = frozenset({"responsibility", "responsible", "blame", "credit"})


def _responsibility_for(trigger: Token) -> bool:
    """True for an event noun that a claim or an attribution of responsibility is about ("claimed
    responsibility for the attack", "held them responsible for the bombing")."""
    if trigger.pos_ != "NOUN" or trigger.dep_ != "pobj" or trigger.head.lower_ != "for":
        return False
    return trigger.head.head.lemma_.lower() in RESPONSIBILITY_WORDS or trigger.head.head.lower_ in (
        RESPONSIBILITY_WORDS
    )


AIRCRAFT_WORDS = frozenset(
    {"jet", "warplane", "aircraft", "helicopter", "gunship", "plane", "bomber", "airforce", "drone"}
)


GROUND_DETONATION = frozenset({"detonate", "explode", "blow"})


def _fired_from_the_air(anchor: Token) -> bool:
    """True when the attack's subject (or agent) is an aircraft: "Israeli jets fired missiles". One
    detonates a bomb on the ground, and a suicide bomber is a person, not a plane."""
    if anchor.lemma_.lower() in GROUND_DETONATION:
        return False
    for child in anchor.children:
        heads = [child] if child.dep_ in ("nsubj",) else []
        if child.dep_ == "agent":
            heads = [g for g in child.children if g.dep_ == "pobj"]
        for head in heads:
            words = list(head.subtree)
            if any(w.lower_ == "suicide" for w in words):
                continue
            if any(t.lemma_.lower() in AIRCRAFT_WORDS or t.lower_ in AIRCRAFT_WORDS for t in words):
                return True
    return False


def _ethnic_residents(
    match: TriggerMatch, sources: list[ActorRef], ctx: SentenceContext, resolver: ParticipantResolver
) -> list[ActorRef]:
    """CAMEO codes an ethnic group by the country it lives in: "ethnic Albanians demonstrated in
    Serbia" are people of Serbia, "ethnic Uzbek fighters operating in Tajikistan" Tajikistan's. The
    place is the group's own ("in", "operating in") or else the event's."""
    subject, _ = _subject_of(match.anchor) if match.anchor.pos_ in ("VERB", "AUX") else (None, None)
    if subject is None or not any(
        t.lower_ == "ethnic"
        and (
            resolver.actors.country_of(t.head.text) is not None
            or any(c.ent_type_ == "NORP" for c in t.head.children)
        )
        for t in subject.subtree
    ):
        return sources  # "ethnic Serbs", "ethnic Albanian rebels", "hundreds of ethnic Turks"
    holders = [subject, *[c for c in subject.children if c.dep_ in ("acl", "relcl")]]
    places = [resolver.resolve(obj) for node in holders for obj in _prep_objects(node, {"in"})]
    country = next((r.country for refs in places for r in refs if r.country), None)
    if country is None:
        place = _place_for(match.token, match.anchor, ctx, sources)
        country = place.country if place is not None else None
    if country is None:
        return sources
    start, end = subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge.text)
    out: list[ActorRef] = []
    for ref in sources:
        mention = ref.mention
        if mention is not None and start <= mention.start and mention.end <= end:
            role = (ref.cameo_code or "")[3:] if ref.country else (ref.cameo_code or "")
            ref = replace(ref, actor_id=None, country=country, cameo_code=f"{country}{role}")
        out.append(ref)
    return out


def _helped_someone(verb: Token, targets: list[ActorRef]) -> bool:
    """ "The USA helped the dissidents" reports aid; "help" in an infinitive, with a modal or with
    a clause of what is helped along ("helped them reach a deal") is a manner of speaking."""
    if not targets or verb.tag_ not in ("VBD", "VBN", "VBZ", "VBP"):
        return False
    return not any(c.dep_ in ("aux", "xcomp", "ccomp") for c in verb.children)


STATIVE_HOLDERS = frozenset({"enjoy", "lack"})
# verbs whose "of"/"for" clause is the content of a charge or a judgement
ALLEGATION_VERBS = frozenset(
    {"accuse", "charge", "suspect", "blame", "indict", "convict", "condemn", "criticize", "criticise",
     "denounce", "fault", "censure", "rebuke", "acquit"}
)  # fmt: skip


def _culprits(anchor: Token, resolver: ParticipantResolver) -> list[ActorRef]:
    """Who a condemnation blames when its object is a deed: the deed's doer ("condemned the attack
    by Hamas", "criticised Israel's strikes")."""
    found: list[ActorRef] = []
    for obj in anchor.children:
        if obj.dep_ == "dobj" and obj.pos_ == "NOUN":
            doers: list[ActorRef] = []
            _noun_participants(obj, resolver, doers, [], violent=True)
            found.extend(d for d in doers if d.country or d.actor_id)
    return found


CROWD_WORDS = ("protest", "demonstrator", "rioter", "marcher")  # a mob is no protest (ACLED: mob violence)


def _crowd(actor: ActorRef) -> bool:
    """Protesters, demonstrators, rioters: violence they commit is a violent protest (CAMEO 145)."""
    return actor.type not in ARMED_TYPES and any(w in actor.name.lower() for w in CROWD_WORDS)


def _host_country(
    trigger: Token,
    anchor: Token,
    ctx: SentenceContext,
    sources: list[ActorRef],
    *,
    resources: Resources,
    resolver: ParticipantResolver,
) -> list[ActorRef]:
    """A protest, a show of force or a visit in another country is aimed at that country ("foreign
    activists protested in Beijing", "held naval drills off Alaska", "attended the Beijing
    Olympics"): its state is the target. At home the place says nothing about whom it is aimed at."""
    place = _place_for(trigger, anchor, ctx, sources)
    if place is None and resolver.places is not None:
        hosts = [
            c
            for obj in anchor.children
            if obj.dep_ == "dobj"
            for c in obj.children
            if c.dep_ == "compound" and c.pos_ == "PROPN"
        ]
        found = [resolver.places(c.text, "GPE") for c in hosts]
        place = next((p for p in found if p is not None), None)
    own = {a.country for a in sources}
    if place is None or place.country is None or not own or None in own or place.country in own:
        return []
    entry = resources.actors.get(place.country.lower())
    if entry is not None:
        return [resources.actors.ref(entry)]
    return [ActorRef(name=place.country, type="state", country=place.country, cameo_code=place.country)]


def _reduced_relative(anchor: Token) -> bool:
    """A past participle after its noun that the parse took for the main verb: "the civilians
    imprisoned for X were released" (no auxiliary, and the real verb hangs on it as a passive
    conjunct with no "and" between them). The participle describes the noun; the sentence's
    event is the other verb."""
    if anchor.tag_ not in ("VBN", "VBD") or any(c.dep_ in ("aux", "auxpass", "cc") for c in anchor.children):
        return False
    if not any(c.dep_ == "nsubj" and c.i < anchor.i for c in anchor.children):
        return False
    return any(
        c.dep_ == "conj"
        and any(g.dep_ == "auxpass" for g in c.children)
        and not any(g.dep_ in ("cc", "nsubj", "nsubjpass") for g in c.children)
        for c in anchor.children
    )


def _weighed(anchor: Token) -> bool:
    """True for an act that is only an option being weighed: the gerund or clause a deliberation
    verb governs ("considering sending troops", "weighs imposing sanctions")."""
    return (
        anchor.pos_ in ("VERB", "AUX")
        and anchor.dep_ in ("xcomp", "ccomp", "pcomp")
        and anchor.head.lemma_.lower() in DELIBERATION_VERBS
    )


ATTACK = ("Violence against civilians", "Attack")
ARMED_CLASH = ("Battles", "Armed clash")
# words that name fighting between two armed sides, whoever is named
CLASH_WORDS = frozenset(
    {
        "clash",
        "fighting",
        "fight",
        "firefight",
        "gunfight",
        "gunbattle",
        "skirmish",
        "battle",
        "shootout",
        "exchange",
    }
)


def _two_sided(trigger: Token) -> bool:
    """True for a trigger that names an exchange of fire ("clashes", "a gunbattle", "fought")."""
    return trigger.lemma_.lower() in CLASH_WORDS or trigger.lower_ in CLASH_WORDS


def _background_clause(anchor: Token) -> bool:
    """A verb in a clause told as background ("after the army withdrew", "since they clashed",
    "after killing scores")."""
    if anchor.pos_ in ("VERB", "AUX") and anchor.dep_ == "pcomp" and anchor.head.lower_ in BACKGROUND_MARKS:
        return True
    return (
        anchor.pos_ in ("VERB", "AUX")
        and anchor.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in anchor.children)
    )


def _main_clause(anchor: Token) -> bool:
    """True when the event is what its clause asserts: a verb that is not a modifier ("the
    besieged town", "property seized by"), or a noun that is a verb's subject or object, not one
    in the background of a phrase ("after violent protests", "the return of property")."""
    clause = anchor if anchor.pos_ in ("VERB", "AUX") else anchor.head
    if clause.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in clause.children
    ):
        return False  # "after the skirmish went wrong": told as the background of another event
    if anchor.pos_ in ("VERB", "AUX"):
        return anchor.dep_ not in ("amod", "acl", "relcl", "compound")
    if anchor.dep_ == "pobj":
        prep, holder = anchor.head, anchor.head.head
        if prep.lower_ == "of" and holder.pos_ == "NOUN" and holder.lemma_.lower() in CONTAINER_NOUNS:
            return _main_clause(holder)  # "incidents of sexual assault": the phrase takes its place
        if prep.lower_ in ("in", "by") and holder.lemma_.lower() in HARM_VERBS:
            return True  # "were injured in grenade attacks": the harm asserts its cause
    return anchor.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "ROOT", "appos", "conj")


HARM_VERBS = frozenset({"kill", "injure", "wound", "die", "hurt", "maim"})
# what destroys, when it is a weapon, makes the destruction an attack ("a missile destroyed the ship")
WEAPON_SUBJECTS = frozenset(
    {"missile", "rocket", "shell", "mortar", "bomb", "explosion", "blast", "ied", "device", "grenade",
     "airstrike", "strike", "raid", "shelling", "bombardment", "drone", "explosive", "mine", "landmine",
     "artillery", "projectile"}
)  # fmt: skip


def _destroyed_by_weapon(anchor: Token) -> bool:
    """True when the subject (or the passive's agent) of a destroying verb is a weapon."""
    heads = [c for c in anchor.children if c.dep_ == "nsubj"]
    heads += [g for c in anchor.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return any(h.lemma_.lower() in WEAPON_SUBJECTS or h.lower_ in WEAPON_SUBJECTS for h in heads)


def weapon_mode(trigger: Token, anchor: Token) -> tuple[str, str] | None:
    """(mode, CAMEO code) from the words that name an attack's means: first those of the
    trigger's own phrase and its clause's subject and instruments, then the whole sentence.
    "air" counts only beside a strike word ("air raid", not "air force")."""
    sent = trigger.sent
    local: list[Token] = []
    for node in {trigger, anchor}:
        for child in node.children:
            if child.dep_ in ("nsubj", "nsubjpass", "compound", "amod", "prep", "agent", "dobj"):
                local.extend(child.subtree)
        local.append(node)
    for words in (local, list(sent)):
        found = _cue(words)
        if found is not None:
            return found
    return None


def _cue(words: list[Token]) -> tuple[str, str] | None:
    lowers = {w.lower_ for w in words} | {w.lemma_.lower() for w in words}
    if "anti" in lowers:
        lowers.discard("aircraft")  # "anti-aircraft batteries" fire at aircraft, not from them
    if not any(w.lower_ == "air" and w.head.lemma_.lower() in AIR_STRIKE_WORDS for w in words):
        lowers.discard("air")  # "air force", "air defence" name no air strike
    if "mine" in lowers and not any(w.lower_ in ("mine", "mines") and w.pos_ == "NOUN" for w in words):
        lowers.discard("mine")
    for mode, code, cues in WEAPON_CUES:
        if cues & lowers:
            return mode, code
    return None


def participants(
    match: TriggerMatch, resolver: ParticipantResolver, *, plover_type: str
) -> tuple[list[ActorRef], list[ActorRef]]:
    """(sources, targets) of a trigger, from the parse."""
    trigger, anchor = match.token, match.anchor
    sources: list[ActorRef] = []
    targets: list[ActorRef] = []
    consumed = set(match.consumed)

    if trigger.pos_ == "NOUN":
        _noun_participants(trigger, resolver, sources, targets, violent=plover_type in ("ASSAULT", "COERCE"))
        if trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in RECEIVING_VERBS:
            # "demonstrators received assurances from the government": the giver acts on the receiver
            _extend(
                sources,
                [r for obj in _prep_objects(trigger.head, {"from"}) for r in resolver.resolve_all(obj)],
            )
            receiver, _ = _subject_of(trigger.head)
            if sources and receiver is not None:
                _extend(targets, resolver.resolve_all(receiver))
    if anchor.pos_ in ("VERB", "AUX"):
        subject, passive_target = _subject_of(anchor)
        if subject is not None:
            _extend(sources, _doers(subject, resolver, plover_type=plover_type))
            _extend(sources, _coordinated_parties(subject, resolver))
        if passive_target is not None and passive_target.i != trigger.i:
            _extend(targets, resolver.resolve_all(passive_target))
        for child in [c for verb in _sharing_agent(anchor) for c in verb.children]:
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        _extend(sources, _doers(pobj, resolver, plover_type=plover_type))
        if (
            plover_type == "ASSAULT"
            and subject is None
            and not sources
            and anchor.lemma_.lower() in LAUNCH_VERBS
        ):
            for origin in _prep_objects(anchor, {"from"}):  # "rockets were fired from Gaza"
                _extend(sources, resolver.resolve_all(origin))
        if anchor.i == trigger.i:
            _verb_targets(anchor, consumed, resolver, targets)
        co_parties = _prep_objects(anchor, {"with"})
        if plover_type in CO_PARTY_TYPES and co_parties and not sources:
            for tok in co_parties:
                _extend(sources, resolver.resolve_all(tok))
    targets = [t for t in targets if all(_same_actor(t, s) is False for s in sources)]
    return sources, targets


def _doers(token: Token, resolver: ParticipantResolver, *, plover_type: str) -> list[ActorRef]:
    """The actors a subject or agent names; for a violent act, people no one has named are kept in
    the report's words ("a group of unidentified persons")."""
    doers = resolver.resolve_all(token)
    if not doers and plover_type in VIOLENT_TYPES:
        doers = resolver.unnamed_party(token)
    return doers


def _sharing_agent(verb: Token) -> list[Token]:
    """The verb, and when it has no agent of its own the passive verbs coordinated with it that
    share its subject: "were abducted and killed by gunmen" (both acts are the gunmen's)."""
    if any(c.dep_ == "agent" for c in verb.children) or verb.tag_ != "VBN":
        return [verb]
    own_subject = ("nsubj", "nsubjpass")
    linked = [
        c for c in verb.children if c.dep_ == "conj" and not any(g.dep_ in own_subject for g in c.children)
    ]
    if verb.dep_ == "conj" and not any(g.dep_ in own_subject for g in verb.children):
        linked.append(verb.head)
    return [verb, *[v for v in linked if v.tag_ == "VBN"]]


def _coordinated_parties(subject: Token, resolver: ParticipantResolver) -> list[ActorRef]:
    """Parties a subject names beyond its head: "US and British activists" are British activists
    too, and "they" after "Obama and Putin said" is both of them."""
    found: list[ActorRef] = []
    if subject.lower_ in ("he", "she") and subject.dep_ == "nsubj" and not resolver.resolve(subject):
        # "the Kenyan president said he would meet ...": the speaker, a role the pronoun did not find
        clause = subject.head
        if clause.dep_ == "ccomp" and clause.head.lemma_.lower() in ALLEGING_VERBS | {"announce", "add"}:
            speaker = next((c for c in clause.head.children if c.dep_ == "nsubj" and c.i < subject.i), None)
            if speaker is not None:
                found.extend(r for r in resolver.resolve(speaker) if r.cameo_code or r.country)
    if subject.lower_ in ("they", "we") and subject.dep_ == "nsubj":
        clause = subject.head
        while clause.dep_ in CLIMB_DEPS and clause.head.i != clause.i:
            clause = clause.head
            speaker = next((c for c in clause.children if c.dep_ == "nsubj"), None)
            if speaker is not None and speaker.conjuncts:
                found.extend(resolver.resolve_all(speaker))
                break
    for mod in subject.children:
        if mod.dep_ not in ("nmod", "amod", "compound") or mod.ent_type_ not in ("GPE", "NORP"):
            continue
        for conj in mod.conjuncts:
            ref = resolver.actors.resolve(f"{conj.text} {subject.text}")
            if ref is not None and ref.country:
                mention = resolver.span_of(conj.i, conj.i + 1)
                found.append(replace(ref, mention=mention))
    return found


LAUNCH_VERBS = frozenset({"fire", "launch", "lob", "shoot"})
RECEIVING_VERBS = frozenset({"receive", "get", "obtain", "win", "secure", "gain"})


def _noun_participants(
    noun: Token,
    resolver: ParticipantResolver,
    sources: list[ActorRef],
    targets: list[ActorRef],
    *,
    violent: bool = False,
) -> None:
    """Participants named around an event noun. For violence "of" names the victim ("the killing
    of three farmers", "the abduction of a priest"); elsewhere it is left alone ("a visit of")."""
    target_preps = TARGET_PREPS | {"of"} if violent else TARGET_PREPS
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
        elif prep.lower_ in target_preps:
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
        if child.dep_ == "dative" and child.pos_ == "ADP":  # "provide support to Israel"
            for obj in _prep_objects(verb, {child.lower_}):
                _extend(targets, resolver.resolve_all(obj))
        elif child.dep_ in ("dobj", "dative", "obj"):
            if child.i in consumed:  # "denied any truce with Iraq", "regained control of X"
                for obj in _prep_objects(child, TARGET_PREPS | {"of"}):
                    _extend(targets, resolver.resolve_all(obj))
            else:
                _extend(targets, resolver.resolve_all(child))
    if not targets:
        for obj in _prep_objects(verb, VERB_TARGET_PREPS):
            _extend(targets, resolver.resolve_all(obj))
    if not targets:  # "expelled two British diplomats", "rejected the American proposal"
        for child in verb.children:
            if child.dep_ in ("dobj", "obj") and child.i in consumed:
                found = resolver.resolve_all(child)
                _extend(targets, [r for r in found if (r.country or r.actor_id) and r.type != "location"])
    if not targets:
        for child in _shared_objects(verb):
            _extend(targets, resolver.resolve_all(child))


def _shared_objects(verb: Token) -> list[Token]:
    """The object that a verb shares with the verb conjoined after it ("killed and wounded scores
    of fighters"): the parse hangs it on the second verb only."""
    if any(c.dep_ in ("dobj", "dative", "obj", "prep") for c in verb.children):
        return []
    return [
        obj
        for conj in verb.children
        if conj.dep_ == "conj" and conj.pos_ == "VERB"
        for obj in conj.children
        if obj.dep_ == "dobj"
    ]


def _subject_of(verb: Token) -> tuple[Token | None, Token | None]:
    """(subject, passive subject) of a verb, borrowing the governing verb's subject when the
    verb has none ("Elkin stated denied", "decided to strike")."""
    node = verb
    # "were released by Putin" with no subject of its own: what it borrows is its patient
    passive_verb = any(c.dep_ == "auxpass" for c in verb.children)
    for _ in range(4):
        subj = next((c for c in node.children if c.dep_ in ("nsubj", "csubj")), None)
        passive = next((c for c in node.children if c.dep_ == "nsubjpass"), None)
        if subj is not None and subj.lower_ in RELATIVE_PRONOUNS and node.dep_ == "relcl":
            return node.head, passive
        if node is not verb and passive_verb and (subj is not None or passive is not None):
            return None, subj if subj is not None else passive
        if subj is not None or passive is not None:
            return subj, passive
        # "advanced after seizing the town": a gerund after a preposition takes the clause's subject
        gerund_prep = (
            node.pos_ == "ADP"
            and node.dep_ == "prep"
            and node.lower_ in GERUND_PREPS
            and node.head.pos_ in ("VERB", "AUX")
        )
        if (node.dep_ in CLIMB_DEPS or gerund_prep) and node.head.i != node.i:
            node = node.head
            continue
        break
    return None, None


def _prep_objects(token: Token, preps: frozenset[str] | set[str]) -> list[Token]:
    return [
        _named_head(pobj)
        for prep in token.children
        if prep.dep_ in ("prep", "dative") and prep.lower_ in preps
        for pobj in prep.children
        if pobj.dep_ == "pobj"
    ]


def _named_head(pobj: Token) -> Token:
    """The name a date swallowed in the parse: "met with President Assad Tuesday" hangs the name
    on "Tuesday" as a compound; the party is the name, the day only says when."""
    if pobj.ent_type_ not in ("DATE", "TIME"):
        return pobj
    names = [
        c for c in pobj.children if c.dep_ == "compound" and c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
    ]
    return names[-1] if names else pobj


def _extend(into: list[ActorRef], refs: list[ActorRef]) -> None:
    for ref in refs:
        if not any(_same_actor(ref, have) for have in into):
            into.append(ref)


def _same_actor(a: ActorRef, b: ActorRef) -> bool:
    if a.mention is not None and b.mention is not None and a.mention == b.mention:
        # one word for two named parties is "they" standing for "Iran and Syria"
        return not (a.actor_id and b.actor_id and a.actor_id != b.actor_id)
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
    text = doc_text(sent.doc)[start:end]
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


ATTEMPT_WORDS = frozenset({"tried", "attempted", "attempt", "attempts"})


def _attempt_made(trigger: Token, cues: tuple[str, ...]) -> bool:
    """True where the only sign of intent is an attempt that was made ("tried to attack", "foiled an
    attempt to kidnap"), not one planned ("will try to", "plans an attempt")."""
    if not cues or any(c.lower() not in ATTEMPT_WORDS for c in cues):
        return False
    for node in [trigger, *list(trigger.ancestors)[:4]]:
        if any(c.dep_ == "aux" and c.tag_ == "MD" for c in node.children):
            return False
        if node.lower_ in ("attempt", "attempts") and node.head.lower_ == "in":
            return False  # "used tear gas in an attempt to disperse them": a purpose, not an act
        if node.lemma_.lower() in ("plan", "intend", "prepare", "want", "threaten", "plot"):
            return False
    return True
