"""ACLED event and sub-event typing, on sentences written for these tests: the ontology's rules
over PLOVER type, mode and actor types (no parse), then whole sentences through the real
pipeline. The rules follow ACLED's codebook: agreements cover peace talks, prisoner exchanges,
hostage releases and surrenders; a mob's violence is no demonstration; armed victims make a
battle; a charge is no arrest."""

from __future__ import annotations

from typing import Any

import pytest

from eventwatch.model import Article, Event
from eventwatch.resources.ontology import Ontology, default_ontology

STRATEGIC = "Strategic developments"
AGREEMENT = (STRATEGIC, "Agreement")


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return default_ontology()


def _acled(
    onto: Ontology, plover: str, mode: str | None, code: str, src: list[str], tgt: list[str], **kw: Any
) -> Any:
    return onto.acled(
        plover_type=plover, plover_mode=mode, cameo_code=code, source_types=src, target_types=tgt, **kw
    )


# --------------------------------------------------------------------------------------------
# the rules, on types alone


def test_agreements_cover_talks_exchanges_releases_and_surrenders(onto: Ontology) -> None:
    assert _acled(onto, "CONSULT", "peace", "046", ["government"], ["rebel"]) == AGREEMENT
    assert _acled(onto, "CONSULT", None, "046", ["government"], ["armed_group"]) == AGREEMENT
    # trade negotiations between governments are no ACLED event
    assert _acled(onto, "CONSULT", None, "046", ["state"], ["state"]) is None
    assert _acled(onto, "RETREAT", None, "0841", ["military"], [], trigger="exchanged") == AGREEMENT
    assert _acled(onto, "RETREAT", None, "0841", ["rebel"], ["civilians"], trigger="freed") == AGREEMENT
    assert _acled(onto, "RETREAT", None, "0841", ["police"], ["person"], trigger="released") is None
    assert (
        _acled(onto, "RETREAT", None, "0874", ["armed_group"], ["military"], trigger="surrender") == AGREEMENT
    )
    assert _acled(onto, "RETREAT", None, "0874", ["military"], [], trigger="withdrew") == (
        STRATEGIC,
        "Non-violent transfer of territory",
    )
    # a signed deal with fighters is an agreement; one between two ministries is not
    assert _acled(onto, "AGREE", None, "057", ["government"], ["militia"]) == AGREEMENT
    assert _acled(onto, "AGREE", None, "057", ["government"], ["state"]) is None


def test_a_charge_is_no_arrest_and_burning_a_person_is_an_attack(onto: Ontology) -> None:
    assert _acled(onto, "COERCE", None, "173", ["police"], ["person"], trigger="detained") == (
        STRATEGIC,
        "Arrests",
    )
    assert _acled(onto, "COERCE", None, "173", [], ["person"], trigger="charged") is None
    assert _acled(onto, "COERCE", None, "173", [], ["person"], trigger="indictment") is None
    assert _acled(onto, "COERCE", None, "1712", ["civilians"], ["person"]) == ("Riots", "Mob violence")
    assert _acled(onto, "COERCE", None, "1712", ["militia"], ["civilians"]) == (
        "Violence against civilians",
        "Attack",
    )
    assert _acled(onto, "COERCE", None, "1712", ["militia"], ["state"]) == (
        STRATEGIC,
        "Looting/property destruction",
    )


def test_armed_victims_make_a_battle_and_a_country_is_no_army(onto: Ontology) -> None:
    assert _acled(onto, "ASSAULT", None, "190", [], ["armed_group"]) == ("Battles", "Armed clash")
    assert _acled(onto, "ASSAULT", "cleansing", "202", [], ["military"]) != ("Battles", "Armed clash")
    # gunmen attacking something of a country's are no battle with its forces; states fighting are
    assert _acled(onto, "ASSAULT", None, "190", ["armed_group"], ["state"]) == (
        "Violence against civilians",
        "Attack",
    )
    assert _acled(onto, "ASSAULT", None, "190", ["state"], ["state"]) == ("Battles", "Armed clash")


def test_a_crowd_of_citizens_demonstrates_where_a_government_only_protests(onto: Ontology) -> None:
    assert _acled(onto, "PROTEST", None, "141", ["state"], [], trigger="protested") is None
    assert _acled(onto, "PROTEST", None, "141", ["state"], [], trigger="rallied") == (
        "Protests",
        "Peaceful protest",
    )


# --------------------------------------------------------------------------------------------
# whole sentences


def _events(extractor: Any, text: str) -> list[Event]:
    article = Article(article_id="t", text=text, published="2021-03-04")
    return list(extractor.extract_one(article).events)


def _chosen(extractor: Any, text: str) -> str | None:
    """The ACLED sub-event type of the article's most confident ACLED-coded event."""
    coded = [e for e in _events(extractor, text) if e.acled_event_type is not None]
    if not coded:
        return None
    return max(coded, key=lambda e: e.confidence).acled_sub_event_type


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Agreement
        ("Rebel commanders and army officers opened peace talks in the capital on Tuesday.", "Agreement"),
        ("Dozens of insurgents surrendered to the army in the north.", "Agreement"),
        ("The militia and the army exchanged prisoners near the front line.", "Agreement"),
        ("The rebels freed four hostages on Sunday.", "Agreement"),
        # Riots: a mob is no demonstration, and a mob attacking a rally is not the rally's violence
        ("A mob beat a suspected thief to death in the village market.", "Mob violence"),
        ("A crowd of local men attacked a peaceful rally outside the town hall.", "Mob violence"),
        ("An angry crowd set a suspected thief ablaze in the market.", "Mob violence"),
        (
            "Protesters pulled down the statue of the former ruler during a demonstration.",
            "Violent demonstration",
        ),
        # Protests
        (
            "Thousands of people gathered in the main square to demand the president's resignation.",
            "Peaceful protest",
        ),
        ("Thousands of Kenyans rallied in Nairobi against the new tax.", "Peaceful protest"),
        (
            "Police used tear gas and water cannon against protesters in the capital.",
            "Protest with intervention",
        ),
        # Battles and remote violence
        ("At least 12 militants were killed in the northern province on Sunday.", "Armed clash"),
        ("Rebels retook the town from government forces on Friday.", "Non-state actor overtakes territory"),
        ("A missile destroyed a navy patrol boat off the coast.", "Shelling/artillery/missile attack"),
        ("Warships launched cruise missiles at an air base.", "Shelling/artillery/missile attack"),
        ("Unknown attackers hurled a grenade at a police post.", "Grenade"),
        ("Nine people were injured in two grenade attacks in the city.", "Grenade"),
        # "on 4 March" names a month, not a march
        (
            "Two soldiers were killed when a roadside bomb exploded on 4 March.",
            "Remote explosive/landmine/IED",
        ),
        # violence against civilians keeps its kind at a protest
        ("Soldiers raped women as they dispersed protesters near the square.", "Sexual violence"),
        (
            "The report documents several incidents of sexual assault on detainees by guards.",
            "Sexual violence",
        ),
        # a gerund after "after" shares the clause's subject; a background clause still happened
        (
            "Rebels advanced on the capital after seizing the airport from government troops.",
            "Non-state actor overtakes territory",
        ),
        (
            "Residents complained to the mayor after a shop was looted in the area.",
            "Looting/property destruction",
        ),
        ("The truce collapsed on Sunday.", "Agreement"),
        # the lead's event outranks a later sentence's
        (
            "Two suicide bombers blew themselves up outside a police station. Police later killed two other "
            "gunmen in the area.",
            "Suicide bomb",
        ),
        # strategic developments
        ("A new special forces unit was formed within the national army.", "Change to group/activity"),
        ("Police intercepted five suspected militants at a checkpoint.", "Arrests"),
    ],
)
def test_sentences_get_their_acled_sub_event_type(extractor: Any, text: str, expected: str) -> None:
    assert _chosen(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A local official was charged with fraud on Monday.",  # a court's step, not a detention
        "The army mobilized efforts to help flood victims.",  # no troops moved
        "Fighting resumed after the collapse of peace talks between the government and the rebels.",
    ],
)
def test_no_agreement_arrest_or_deployment_where_none_happened(extractor: Any, text: str) -> None:
    assert _chosen(extractor, text) not in ("Agreement", "Arrests", "Change to group/activity")
