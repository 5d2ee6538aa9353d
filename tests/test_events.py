"""Event assembly on sentences written for these tests: CAMEO's coding of announced and refused
acts, the main event first, attacks coded by their means, weapons seized, protests coded by
what happened at them, and nouns inside container phrases."""

from __future__ import annotations

from typing import Any

import pytest

from eventwatch.model import Article, Event
from eventwatch.resources.ontology import default_ontology


def _events(extractor: Any, text: str) -> list[Event]:
    article = Article(article_id="t", text=text, published="2021-03-04")
    return list(extractor.extract_one(article).events)


def _types(events: list[Event]) -> list[str]:
    return [e.plover_type for e in events]


# --------------------------------------------------------------------------------------------
# the ontology's recoding table (no parse needed)


@pytest.mark.parametrize(
    ("plover", "code", "modality", "expected"),
    [
        ("RETREAT", "0841", "intended", ("AGREE", "0353")),  # "will free the prisoners"
        ("AID", "073", "planned", ("AGREE", "0333")),
        ("CONSULT", "040", "intended", ("AGREE", "036")),
        ("COERCE", "1723", "intended", ("THREATEN", "1323")),  # "will impose a curfew"
        ("SANCTION", "163", "threatened", ("THREATEN", "1312")),
        ("PROTEST", "143", "intended", ("THREATEN", "133")),  # "will boycott the vote"
        ("CONCEDE", "085", "denied", ("REJECT", "1244")),  # "will not lift the embargo"
        ("AID", "075", "denied", ("REJECT", "122")),
        ("RETREAT", "0841", "occurred", None),
        ("REQUEST", "020", "intended", None),  # verbal acts keep their type
        ("MOBILIZE", "154", "intended", None),
        ("CONSULT", "040", "ongoing", None),
    ],
)
def test_announced_and_refused_acts_are_coded_as_cameo_codes_them(
    plover: str, code: str, modality: str, expected: tuple[str, str] | None
) -> None:
    onto = default_ontology()
    assert onto.recode_for_modality(plover, code, modality) == expected
    if expected is not None:
        entry = onto.cameo(expected[1])
        assert entry is not None and entry.plover_type == expected[0]


def test_seized_weapons_are_disrupted_weapons_use_in_acled() -> None:
    onto = default_ontology()
    found = onto.acled(
        plover_type="COERCE",
        plover_mode="weapons",
        cameo_code="1711",
        source_types=["police"],
        target_types=[],
    )
    assert found == ("Strategic developments", "Disrupted weapons use")


# --------------------------------------------------------------------------------------------
# the pipeline on written sentences


@pytest.mark.slow
def test_intent_to_cooperate_and_threat_replace_the_announced_act(extractor: Any) -> None:
    events = _events(extractor, "The Ruritanian government said it will release forty prisoners next week.")
    assert _types(events)[:1] == ["AGREE"]
    assert events[0].cameo_code == "0353"
    threat = _events(
        extractor, "The Ruritanian president announced that he will impose a curfew on the capital."
    )
    assert "THREATEN" in _types(threat)
    assert "COERCE" not in _types(threat)


@pytest.mark.slow
def test_refused_concession_is_a_rejection(extractor: Any) -> None:
    events = _events(extractor, "The French government will not lift the embargo on Ruritania.")
    assert "REJECT" in _types(events)
    assert "CONCEDE" not in _types(events)


@pytest.mark.slow
def test_main_clause_event_comes_first(extractor: Any) -> None:
    events = _events(
        extractor,
        "Greek officials condemned Turkey on Monday after clashes near the border killed two soldiers.",
    )
    assert events and events[0].plover_type == "ACCUSE"


@pytest.mark.slow
def test_attack_is_coded_by_its_means(extractor: Any) -> None:
    suicide = _events(extractor, "Two suicide bombers killed twelve people at a market in Kabul.")
    assert any(e.acled_sub_event_type == "Suicide bomb" for e in suicide)
    gas = _events(extractor, "Government troops attacked the town with poison gas on Tuesday.")
    assert any(e.acled_sub_event_type == "Chemical weapon" for e in gas)
    grenade = _events(extractor, "Gunmen attacked a police station with grenades in Srinagar.")
    assert any(e.acled_sub_event_type == "Grenade" for e in grenade)


@pytest.mark.slow
def test_found_weapons_need_no_named_actor(extractor: Any) -> None:
    events = _events(extractor, "Two explosive devices were found near the airport on Sunday.")
    assert [e.acled_sub_event_type for e in events] == ["Disrupted weapons use"]


@pytest.mark.slow
def test_police_firing_on_protesters_is_excessive_force(extractor: Any) -> None:
    events = _events(extractor, "Police opened fire on protesters in the capital, killing three of them.")
    assert events
    assert all(
        e.acled_sub_event_type == "Excessive force against protesters" for e in events if e.acled_event_type
    )
    dispersed = _events(
        extractor, "Police fired tear gas to disperse a rally by opposition supporters in Lagos."
    )
    chosen = max((e for e in dispersed if e.acled_event_type), key=lambda e: e.confidence)
    assert chosen.acled_sub_event_type == "Protest with intervention"


@pytest.mark.slow
def test_noun_in_a_container_phrase_takes_the_clause_subject(extractor: Any) -> None:
    events = _events(extractor, "Norway launched a mediation effort between the two parties.")
    consult = [e for e in events if e.plover_type == "CONSULT"]
    assert consult and consult[0].source_actors and consult[0].source_actors[0].country == "NOR"


@pytest.mark.slow
def test_giving_money_is_aid(extractor: Any) -> None:
    events = _events(extractor, "Japan gave 20 million dollars to Ruritania for reconstruction.")
    assert "AID" in _types(events)


# --------------------------------------------------------------------------------------------
# round 2: harm without an attacker, two-sided fighting, options weighed


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "A strong earthquake killed at least 40 people in the mountain villages on Monday.",
        "Nine passengers were killed when their bus crashed into a river in the accident.",
        "A fire destroyed twenty homes in the old quarter overnight.",
    ],
)
def test_harm_from_hazards_and_accidents_is_no_political_violence(extractor: Any, text: str) -> None:
    assert [e for e in _events(extractor, text) if e.acled_event_type] == []


@pytest.mark.slow
def test_an_attack_beside_a_hazard_word_is_still_an_attack(extractor: Any) -> None:
    events = _events(extractor, "A bomb exploded in the market and a fire broke out, killing twelve people.")
    assert any(e.acled_event_type == "Explosions/Remote violence" for e in events)


@pytest.mark.slow
def test_clashes_are_battles_whoever_is_named(extractor: Any) -> None:
    events = _events(extractor, "Heavy clashes were reported on the outskirts of the town on Sunday.")
    assert [e.acled_sub_event_type for e in events if e.plover_type == "ASSAULT"] == ["Armed clash"]


@pytest.mark.slow
def test_killing_soldiers_after_a_light_verb_attack_is_one_clash(extractor: Any) -> None:
    events = _events(
        extractor,
        "Militants carried out attacks against the army in the town, killing at least nine soldiers.",
    )
    assault = [e for e in events if e.plover_type == "ASSAULT"]
    assert len(assault) == 1 and assault[0].acled_sub_event_type == "Armed clash"


@pytest.mark.slow
def test_an_option_being_weighed_is_no_event(extractor: Any) -> None:
    assert "AID" not in _types(_events(extractor, "Japan is considering sending aid to the flood victims."))


@pytest.mark.slow
def test_sexual_violence_from_the_verb_and_its_adverb(extractor: Any) -> None:
    for text in ("Soldiers raped women in the village.", "Guards sexually assaulted two detainees."):
        events = _events(extractor, text)
        assert [e.acled_sub_event_type for e in events] == ["Sexual violence"], text


@pytest.mark.slow
def test_a_crowd_that_fights_back_makes_a_violent_demonstration(extractor: Any) -> None:
    events = _events(
        extractor, "Police fired tear gas at protesters who hurled stones and clashed with officers."
    )
    labels = {e.acled_sub_event_type for e in events if e.acled_event_type}
    assert labels == {"Violent demonstration"}


@pytest.mark.slow
def test_a_claim_of_responsibility_is_no_new_attack(extractor: Any) -> None:
    events = _events(extractor, "The group claimed responsibility for the attack on the newspaper.")
    assert [e for e in events if e.acled_event_type] == []


@pytest.mark.slow
def test_a_hazard_in_the_next_sentence_explains_the_deaths(extractor: Any) -> None:
    text = "Nineteen people were killed when their bus left the road. The accident happened on Friday."
    assert [e for e in _events(extractor, text) if e.acled_event_type] == []


@pytest.mark.slow
def test_missiles_fired_by_aircraft_are_an_air_strike(extractor: Any) -> None:
    jets = _events(extractor, "Ruritanian jets fired two missiles at a car near the border.")
    assert [e.acled_sub_event_type for e in jets] == ["Air/drone strike"]
    ground = _events(extractor, "Rebels fired mortars at the army base.")
    assert [e.acled_sub_event_type for e in ground] == ["Shelling/artillery/missile attack"]


# --------------------------------------------------------------------------------------------
# what a request asks for, what a protest is against, and road blocks at protests


def test_the_content_of_a_demand_is_part_of_the_demand(extractor: Any) -> None:
    events = _events(extractor, "Norway demanded that its allies expel the ambassador of Peru.")
    assert _types(events) == ["REQUEST"]


def test_an_urged_withdrawal_is_no_withdrawal(extractor: Any) -> None:
    events = _events(extractor, "Chile urged Bolivia to withdraw its troops from the border on Monday.")
    assert _types(events) == ["REQUEST"]
    assert all(e.acled_event_type is None for e in events)


def test_a_march_to_demand_reforms_is_one_protest(extractor: Any) -> None:
    events = _events(
        extractor, "Thousands of farmers staged a march in Lima on Sunday to demand lower fuel prices."
    )
    assert _types(events) == ["PROTEST"]


def test_what_a_protest_is_against_is_background(extractor: Any) -> None:
    events = _events(
        extractor, "Hundreds of nurses rallied in Oslo on Friday against the arrest of their union leader."
    )
    assert _types(events) == ["PROTEST"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Angry farmers blocked the main highway into Lyon on Tuesday during a protest over fuel taxes.",
         ("Riots", "Violent demonstration")),
        ("Some protesters marched peacefully in Lyon on Tuesday, while others clashed with police.",
         ("Riots", "Violent demonstration")),
        ("Riot police suppressed a peaceful demonstration by students in Lyon on Tuesday.",
         ("Protests", "Protest with intervention")),
    ],
)  # fmt: skip
def test_road_blocks_clashes_and_suppression_at_protests(extractor: Any, text: str, expected: Any) -> None:
    events = _events(extractor, text)
    labelled = [(e.acled_event_type, e.acled_sub_event_type) for e in events if e.acled_event_type]
    assert labelled and labelled[0] == expected


@pytest.mark.parametrize(
    ("text", "plover", "code"),
    [
        ("Red Cross teams evacuated the wounded from the village of Arlon on Sunday.", "AID", "073"),
        ("The rebels dismissed an appeal from the bishop to lay down their weapons.", "REJECT", "120"),
        ("The Kenyan government denied permission for a new mosque in Mombasa.", "REJECT", "120"),
        ("Norway suspended part of its economic aid program for Chad on Monday.", "SANCTION", "162"),
        ("Danish doctors handed over 500 kg of medicine to the clinic in Arlon.", "AID", "073"),
        ("A prosecutor in Lima opened an investigation into three police officers.", "ACCUSE", "090"),
        ("The Kenyan president received a mission of observers from the African Union.", "RETREAT", "0862"),
    ],
)
def test_trigger_senses_fixed_by_their_objects(extractor: Any, text: str, plover: str, code: str) -> None:
    events = _events(extractor, text)
    assert events, text
    assert (events[0].plover_type, events[0].cameo_code) == (plover, code)


def test_continuing_an_act_is_ongoing_not_announced(extractor: Any) -> None:
    events = _events(extractor, "Police in Quito continued to arrest student activists on Monday.")
    assert [(e.plover_type, e.modality) for e in events] == [("COERCE", "ongoing")]


def test_a_remit_is_no_act_and_only_acts_get_acled_types(extractor: Any) -> None:
    text = "A Nordic force tasked with fighting the rebels withdrew from the Arlon base on Monday."
    fighting = [e for e in _events(extractor, text) if e.plover_type == "ASSAULT"]
    assert fighting and all(e.modality == "hypothetical" and e.acled_event_type is None for e in fighting)
    denied = _events(extractor, "The army denied that its soldiers had attacked civilians in Arlon.")
    assert denied and all(e.acled_event_type is None for e in denied if e.modality == "denied")


def test_fighters_leaving_their_stronghold_pull_out(extractor: Any) -> None:
    events = _events(extractor, "Rebel fighters began leaving their last stronghold in Arlon on Tuesday.")
    assert [(e.plover_type, e.acled_sub_event_type) for e in events] == [
        ("RETREAT", "Non-violent transfer of territory")
    ]


def test_two_verbs_share_their_object(extractor: Any) -> None:
    events = _events(extractor, "The Chadian army killed and wounded dozens of rebels near Abeche on Sunday.")
    assert events and events[0].acled_sub_event_type == "Armed clash"
    assert events[0].target_actors


def test_riot_police_and_protests_still_to_come_set_no_riot_scene(extractor: Any) -> None:
    arrests = _events(
        extractor, "Police arrested dozens of union activists on Monday in anticipation of mass protests."
    )
    assert [(e.plover_type, e.acled_sub_event_type) for e in arrests] == [("COERCE", "Arrests")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels used mustard gas against an army unit near Arlon on Sunday.", "Chemical weapon"),
        ("Chlorine bombs were dropped on a market in Arlon in June, inspectors said.", "Chemical weapon"),
        ("Government jets dropped bombs on a market in Arlon on Sunday.", "Air/drone strike"),
        (
            "Police violently dispersed a protest by nurses in Arlon on Sunday.",
            "Excessive force against protesters",
        ),
        ("Police broke up a sit-in by nurses in Arlon on Sunday.", "Protest with intervention"),
        (
            "The cease-fire agreement between Chad and the rebels is set to take effect at midnight.",
            "Agreement",
        ),
        (
            "A swathe of territory was handed over by Chadian forces to rebel control on Monday.",
            "Non-violent transfer of territory",
        ),
        (
            "Nordic troops handed control of the camp back to the Chadian army on Monday.",
            "Non-violent transfer of territory",
        ),
    ],
)
def test_means_payloads_dispersals_and_truces_taking_effect(extractor: Any, text: str, expected: str) -> None:
    events = [e for e in _events(extractor, text) if e.acled_sub_event_type]
    assert events and events[0].acled_sub_event_type == expected, [
        (e.trigger.text, e.acled_sub_event_type) for e in events
    ]


def test_police_using_tear_gas_is_no_chemical_attack(extractor: Any) -> None:
    events = _events(extractor, "Police used tear gas against nurses protesting in Arlon on Sunday.")
    assert all(e.acled_sub_event_type != "Chemical weapon" for e in events)


def test_an_exchange_of_fire_is_a_clash(extractor: Any) -> None:
    events = _events(extractor, "Chadian soldiers exchanged fire with rebels near Abeche on Monday.")
    assert [(e.plover_type, e.acled_sub_event_type) for e in events] == [("ASSAULT", "Armed clash")]


def test_an_event_told_as_background_ranks_below_the_news(extractor: Any) -> None:
    main = _events(extractor, "Gunmen killed nine villagers near Abeche on Monday.")
    later = _events(extractor, "Troops arrived in Abeche on Monday after gunmen killed nine villagers.")
    killed_main = next(e for e in main if e.trigger.text == "killed")
    killed_later = next(e for e in later if e.trigger.text == "killed")
    assert killed_later.confidence < killed_main.confidence


@pytest.mark.parametrize(
    "text",
    [
        # a relative clause keeps its own modality: the murder is told as a fact, not threatened
        "Villagers in Arlon are threatened by the militia, which murdered two teachers there in May.",
        # ... and not requested
        "The bishop asked the government to explain the deaths of three farmers who were murdered by "
        "soldiers in Arlon.",
    ],
)
def test_a_relative_clause_keeps_its_own_modality(extractor: Any, text: str) -> None:
    murders = [e for e in _events(extractor, text) if e.trigger.text == "murdered"]
    assert [(e.plover_type, e.modality) for e in murders] == [("ASSAULT", "occurred")]
