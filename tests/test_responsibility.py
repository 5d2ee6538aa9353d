"""Perpetrators and victims named outside the act's own clause (eventwatch.extract.responsibility),
the weapon verbs of wire copy, and the casing of all-capital text that they depend on.
Sentences are written for these tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from eventwatch.extract.responsibility import Claim, attach_claims
from eventwatch.model import ActorRef, Span
from test_participants import _event, _has, _incidents, _missing, _names


@pytest.mark.parametrize(
    ("text", "perpetrator"),
    [
        # the act as what the doer did: "the attack was a maneuver by X"
        (
            "A grenade wrecked the offices of the farmers' union in Tarija on Monday. The union said the "
            "attack was a cowardly maneuver by the Black Hand Brigade.",
            "black hand brigade",
        ),
        # the act involved someone
        (
            "Gunmen shot dead a customs officer in Oruro on Sunday. Investigators said this action "
            "involved urban commandos of the Red Dawn Front.",
            "red dawn front",
        ),
        # tied to the act with "to"
        (
            "A car bomb killed two guards outside a bank in Sucre on Friday. Police sources said the "
            "Condor Legion is linked to this crime.",
            "condor legion",
        ),
        # the act named with its author in a by-phrase the parse hangs on the verb
        (
            "The radio station has reported the murder of the harbour master, a retired captain, by "
            "the Red Dawn Front's urban commandos.",
            "red dawn front",
        ),
        # the doers identified by what was done to them
        (
            "A bomb exploded under a power pylon near Potosi on Tuesday. The arrested men were identified as "
            "Rodrigo Quispe Mamani and Hernan Vaca Soliz.",
            "quispe",
        ),
        # the doers identified in a relative clause on the word for them
        (
            "A bomb exploded at the Potosi power station on Tuesday. Police arrested four men the same "
            "night; the suspects, who were identified as Rodrigo Quispe Mamani and Hernan Vaca Soliz, "
            "are held in La Paz.",
            "vaca soliz",
        ),
        # the doer who gave his own name
        (
            "A gunman shot dead the judge in Sucre on Monday. The gunman, who identified himself as "
            "Ramiro Choque Flores, was caught by bystanders.",
            "choque flores",
        ),
        # names given in the next sentence for the men suspected of the act
        (
            "A television channel showed pictures of three men suspected of killing the mayor of Oruro. "
            "Their names are Rodrigo Quispe Mamani, Hernan Vaca Soliz and Mario Tola Cruz.",
            "tola cruz",
        ),
        # a colon list as long as the group it names, which the parse hangs on the victim
        (
            "PERUVIAN AUTHORITIES HAVE ARRESTED TWO MEN SUSPECTED OF BEING INVOLVED IN THE MURDER OF "
            "PERUVIAN LIBERAL PARTY CANDIDATE JUAN CARLOS ARCE: MARIO DELGADO AND JOSE ANTONIO VILLA.",
            "mario delgado",
        ),
        # the name of one of them, after a semicolon
        (
            "A car bomb exploded outside the Oruro police station on Sunday. Officials captured one of the "
            "bombers; his name is Ramiro Choque Flores, aged 31.",
            "choque flores",
        ),
        # an accusation whose "of" the parse hangs on the accused
        (
            "A statement issued by the union accuses the death squads of perpetrating the bomb attack that "
            "killed four workers in Sucre on Friday.",
            "death squads",
        ),
        # whoever releases hostages whose kidnapping has no named doer took them
        (
            "Rebels of the Red Dawn Front released three engineers who were kidnapped in Oruro last month.",
            "red dawn front",
        ),
        # the members of a known role
        (
            "Suspected death squad members staged a bomb attack on the home of a union leader in Sucre.",
            "death squad members",
        ),
        # the name an apposition gives to the group that claims the act
        (
            "A small commando unit, the Liberty Vanguard, claimed responsibility for the bombing that "
            "killed a judge in Cochabamba on Monday.",
            "liberty vanguard",
        ),
    ],
)
def test_perpetrators_named_outside_the_clause(extractor: Any, text: str, perpetrator: str) -> None:
    assert _has(_names(_incidents(extractor, text), "source_actors"), perpetrator)


def test_the_institution_a_claim_names_is_kept_beside_the_soldiers(extractor: Any) -> None:
    """ "Soldiers" and "the army" are one actor, but the claim's words say who is held to account."""
    text = (
        "The Bolivian army accepted responsibility on Monday for the death of two students who were "
        "shot by soldiers in Sucre."
    )
    names = _names(_incidents(extractor, text), "source_actors")
    assert _has(names, "army") and _has(names, "soldiers")


@pytest.mark.parametrize(
    ("text", "victims"),
    [
        # participle first, the people after "were", a list broken by semicolons
        (
            "A bomb exploded outside a bank in Tarija on Monday. Injured by the blast were a taxi "
            "driver, Maria Gomez; and a nurse, Jorge Ramirez.",
            ["gomez", "ramirez", "taxi driver"],
        ),
        (
            "A bomb exploded outside a bank in Tarija on Monday. Also injured were Maria Gomez and "
            "Jorge Ramirez.",
            ["gomez", "ramirez"],
        ),
        # injured with no cause named, in a report of an attack
        (
            "Gunmen fired on the car of the mayor of Sucre on Monday. Senator Ernesto Pisano was "
            "seriously injured at the same time.",
            ["pisano"],
        ),
        # injured in the act
        (
            "Councilman Benito Ocampo was seriously injured in the bomb attack on the town hall of Oruro.",
            ["ocampo"],
        ),
        # a broadcast transcript whose turn label the parse would take for a subject
        (
            "A BOMB EXPLODED AT THE MARKET OF TARIJA TODAY.  (QUIROGA) AMONG THE INJURED HERE ARE "
            "MARIA GOMEZ, 53; JORGE RAMIREZ, 24; AND HILDA FLORES, 23.",
            ["gomez", "ramirez", "hilda flores"],
        ),
    ],
)
def test_victims_told_after_the_act(extractor: Any, text: str, victims: list[str]) -> None:
    names = _names(_incidents(extractor, text), "target_actors")
    assert not _missing(names, victims), names


def test_victim_list_in_all_capital_wire_text(extractor: Any) -> None:
    text = (
        "A CAR BOMB EXPLODED YESTERDAY NEAR THE CENTRAL MARKET OF THE CAPITAL, THE POLICE REPORTED "
        "TODAY.  THE INJURED WERE IDENTIFIED AS ROSENDO HUARACHI, 42; MARTA QUENTA VILLCA, 19; AND "
        "TEODORO APAZA MAMANI."
    )
    names = _names(_incidents(extractor, text), "target_actors")
    assert not _missing(names, ("huarachi", "quenta", "apaza")), names


@pytest.mark.parametrize(
    "text",
    [
        "UNIDENTIFIED MEN MACHINEGUNNED A BUS CARRYING PEASANTS NEAR THE TOWN OF SAN RAFAEL YESTERDAY.",
        "THE HIGH-VOLTAGE PYLON WAS DYNAMITED BY URBAN COMMANDOS EARLY THIS MORNING IN THE NORTH.",
        "URBAN COMMANDOS SET OFF A BOMB IN THE BASEMENT OF THE TRADE MINISTRY LATE LAST NIGHT.",
        "THE JUDGE WAS RIDDLED WITH BULLETS BY TWO YOUNG MEN AS HE LEFT THE COURTHOUSE YESTERDAY.",
    ],
)
def test_weapon_verbs_are_attacks(extractor: Any, text: str) -> None:
    events = _incidents(extractor, text)
    assert events and _names(events, "source_actors")


def test_restored_case_reads_inflected_compounds_as_words(extractor: Any) -> None:
    from eventwatch.extract.casing import is_english_word

    assert is_english_word("machinegunned", extractor.nlp)
    assert is_english_word("firebombing", extractor.nlp)
    assert not is_english_word("sandoval", extractor.nlp)  # a name made of two words is no verb


def test_country_names_in_capitals_are_not_acronyms(extractor: Any) -> None:
    assert not extractor._is_acronym("SPAIN")
    assert extractor._is_acronym("FMLN")


# linking a claim to its incident (no parse)


def test_a_claim_far_from_any_incident_goes_to_the_nearest_before_it() -> None:
    victim = ActorRef(name="Ana Rojas", type="person")
    events = [_event(1, 0), _event(2, 2), _event(3, 9, modality="denied")]
    out = attach_claims(events, [Claim(sentence=12, role="target", actors=(victim,))])
    assert [e.target_actors for e in out] == [(), (victim,), ()]


def test_a_claim_before_every_incident_goes_to_the_first() -> None:
    group = ActorRef(name="Red Brigade", type="armed_group")
    events = [_event(1, 8), _event(2, 11)]
    out = attach_claims(events, [Claim(sentence=0, role="source", actors=(group,))])
    assert [e.source_actors for e in out] == [(group,), ()]


def test_a_claim_with_no_incident_changes_nothing() -> None:
    group = ActorRef(name="Red Brigade", type="armed_group")
    events = [_event(1, 0, modality="denied")]
    assert attach_claims(events, [Claim(sentence=6, role="source", actors=(group,))]) == events


def test_same_actor_in_other_words_is_kept() -> None:
    soldiers = ActorRef(name="soldiers", actor_id="BOLMIL", mention=Span(text="soldiers", start=5, end=13))
    army = ActorRef(
        name="Bolivian army", actor_id="BOLMIL", mention=Span(text="Bolivian army", start=40, end=53)
    )
    event = replace(_event(1, 0), source_actors=(soldiers,))
    out = attach_claims([event], [Claim(sentence=0, role="source", actors=(army,))])
    assert army in out[0].source_actors


# --------------------------------------------------------------------------------------------
# victims told with the act noun, attempts, accusations tied to an arrest


@pytest.mark.parametrize(
    ("text", "victims"),
    [
        # "the murder of X and Y" with a place between the act and its victims
        (
            "Gunmen opened fire on a car in Tegucigalpa on Sunday. The union condemned the murder in "
            "Honduras of labor leaders Efrain Solis and Carmen Duarte.",
            ["solis"],
        ),
        # "committed ... against X"
        (
            "A bomb exploded at the station on Tuesday. The bishop condemned the attack committed by "
            "urban commandos against Doctor Ramiro Quesada, the station director.",
            ["quesada"],
        ),
        # prenominal participle
        (
            "Rebels burned two houses near Jalapa. Workers at the depot were followers of recently "
            "kidnapped mayor Oscar Villeda.",
            ["villeda"],
        ),
        # "became a victim of", "was the victim of"
        (
            "Guerrillas ambushed a convoy near Usulutan. Reporter Luisa Marroquin became a victim "
            "of the crossfire.",
            ["marroquin"],
        ),
        # "the assassins of X", "the body of X"
        (
            "A grenade was hurled at the mayor's office in Jinotega. Police are hunting the assassins "
            "of councilman Benito Ocampo.",
            ["ocampo"],
        ),
        # "X, who was kidnapped on Monday"
        (
            "Guerrillas attacked a police post in Chiquimula. The attack came days after the release "
            "of engineer Mateo Arriaza, who was kidnapped in March.",
            ["arriaza"],
        ),
        # "killed along with"
        (
            "Gunmen killed the judge along with his secretary, Irma Salcedo, in Pereira on Friday.",
            ["salcedo"],
        ),
    ],
)
def test_victims_named_with_the_act(extractor: Any, text: str, victims: list[str]) -> None:
    names = _names(_incidents(extractor, text), "target_actors")
    assert not _missing(names, victims), names


def test_a_death_of_no_one_named_adds_no_victim(extractor: Any) -> None:
    text = "Rebels shelled a garrison in Kidal. The minister spoke of the death of the peace process."
    names = _names(_incidents(extractor, text), "target_actors")
    assert not _has(names, "peace process")


def test_an_attempt_made_is_an_attack_and_a_plan_is_not(extractor: Any) -> None:
    made = _incidents(extractor, "Two gunmen tried to kidnap the mayor of Quibdo on Tuesday.")
    assert made and _has(_names(made, "source_actors"), "gunmen")
    assert not _incidents(extractor, "The rebels will try to kidnap the mayor of Quibdo.")


def test_guilty_of_names_the_doers(extractor: Any) -> None:
    text = (
        "A bomb destroyed a bridge near Ocotal. The bishop said the death squads were guilty of the bombing."
    )
    assert _has(_names(_incidents(extractor, text), "source_actors"), "death squads")


def test_those_arrested_and_charged_are_doers_of_the_crime_not_of_the_arrest(extractor: Any) -> None:
    text = (
        "A car bomb exploded outside the courthouse in Neiva. Ramon Ospina and Julio Tafur were "
        "arrested on Monday and charged with taking part in the bombing."
    )
    events = _incidents(extractor, text)
    bombing = [e for e in events if e.plover_mode != "arrest"]
    arrest = [e for e in events if e.plover_mode == "arrest"]
    assert _has(_names(bombing, "source_actors"), "ospina")
    assert not _has(_names(arrest, "source_actors"), "ospina")


@pytest.mark.parametrize(
    ("text", "group"),
    [
        # the one rebel group the report names, though only as the owner of a radio station
        (
            "Radio Patria, the ELN's radio station, said the guerrillas ambushed an army patrol near "
            "Arauca on Monday.",
            "National Liberation Army (Colombia)",
        ),
        # two groups named: the guerrillas could be either
        (
            "Leaders of the FARC and the ELN met in Havana on Sunday. On Monday the guerrillas ambushed "
            "an army patrol near Arauca.",
            "guerrillas",
        ),
    ],
)
def test_bare_rebels_are_the_one_rebel_group_named(extractor: Any, text: str, group: str) -> None:
    ambush = [e for e in _incidents(extractor, text) if e.trigger.text == "ambushed"]
    assert [a.name for e in ambush for a in e.source_actors] == [group]


@pytest.mark.parametrize(
    ("text", "side", "word"),
    [
        # a by-phrase of a means names no doer
        (
            "The mayor condemned the attack by car bomb on the market of Tarija on Monday.",
            "source_actors",
            "bomb",
        ),
        # names given after the victims are theirs
        (
            "Gunmen killed two teachers in Oruro on Monday. Their names are Rosa Quispe Mamani and Elena "
            "Vaca Soliz.",
            "source_actors",
            "quispe",
        ),
        # a colon list that is not as long as the counted group does not name it
        (
            "PERUVIAN AUTHORITIES HAVE ARRESTED THREE MEN SUSPECTED OF BEING INVOLVED IN THE MURDER OF "
            "PERUVIAN LIBERAL PARTY CANDIDATE JUAN CARLOS ARCE: MARIO DELGADO AND JOSE ANTONIO VILLA.",
            "source_actors",
            "mario delgado",
        ),
        # an army that frees hostages did not take them
        ("The army freed three engineers who were kidnapped in Oruro last month.", "source_actors", "army"),
        # an injury from something other than harm is no victim of the attack told before
        (
            "A bomb exploded at the market in Sucre on Monday. Two days later, a farmer was injured in a "
            "car crash near Oruro.",
            "target_actors",
            "farmer",
        ),
    ],
)
def test_no_party_is_read_into_an_act_it_has_no_part_in(
    extractor: Any, text: str, side: str, word: str
) -> None:
    assert not _has(_names(_incidents(extractor, text), side), word)
