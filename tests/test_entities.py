"""Entity repair on hand-built documents: the rules, not the statistical model, are under test, so
each document carries the (mis)labels the small model is known to give."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span

from eventwatch.extract.entities import embedded_places, repair_entities
from eventwatch.model import GeoPrecision, Place
from eventwatch.resources.actors import ActorBase, default_actor_base
from eventwatch.resources.gazetteer import name_key

PLACES: dict[str, tuple[str, GeoPrecision]] = {
    "egypt": ("EGY", "country"),
    "texas": ("USA", "admin1"),
    "ohio": ("USA", "admin1"),
    "michigan": ("USA", "admin1"),
    "michigan center": ("USA", "city"),
    "baker": ("USA", "city"),
    "central": ("USA", "city"),
    "palmyra": ("SYR", "city"),
    "springfield": ("USA", "city"),
    "alexandria": ("USA", "city"),
}


def place_of(name: str) -> Place | None:
    found = PLACES.get(name_key(name))
    if found is None:
        return None
    country, precision = found
    return Place(name=name.removeprefix("the ").title(), country=country, precision=precision)


@pytest.fixture(scope="module")
def nlp() -> Language:
    import spacy

    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    return blank


@pytest.fixture(scope="module")
def actors() -> ActorBase:
    return default_actor_base()


def make_doc(nlp: Language, text: str, ents: Sequence[tuple[str, str] | tuple[str, str, str]]) -> Doc:
    """``text`` with entities (surface, label[, actor id]), each at the next occurrence of its surface."""
    doc = nlp(text)
    spans: list[Span] = []
    cursor = 0
    for surface, label, *actor in ents:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        span = doc.char_span(start, cursor, label=label)
        assert span is not None, surface
        if actor:
            span = Span(doc, span.start, span.end, label=label, span_id=actor[0])
        spans.append(span)
    doc.ents = spans
    return doc


def repaired(doc: Doc, actors: ActorBase, countries: Sequence[str] = ("USA",)) -> list[tuple[str, str]]:
    repair_entities(doc, actors=actors, place_of=place_of, countries=countries)
    return [(e.text, e.label_) for e in doc.ents]


def test_surname_of_a_named_person_is_a_person(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(
        nlp,
        "General Abdel Karim Mahjoub spoke on Monday. Later Mahjoub left.",
        [("Abdel Karim Mahjoub", "PERSON"), ("Mahjoub", "GPE")],
    )
    assert repaired(doc, actors)[1] == ("Mahjoub", "PERSON")


def test_a_country_in_a_mistaken_person_span_stays_a_country(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(
        nlp,
        "Rethinking Egypt after the vote. Voters in Egypt waited.",
        [("Rethinking Egypt", "PERSON"), ("Egypt", "GPE")],
    )
    assert repaired(doc, actors)[1] == ("Egypt", "GPE")


def test_a_state_tagged_org_becomes_a_place(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(nlp, "Floods hit Texas on Sunday.", [("Texas", "ORG")])
    assert repaired(doc, actors) == [("Texas", "GPE")]


def test_a_city_word_inside_a_longer_name_is_left_alone(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(nlp, "A spokesman for U.S. Central Command said so.", [("Central", "ORG")])
    assert repaired(doc, actors) == [("Central", "ORG")]


def test_a_city_that_is_the_surname_of_a_named_person_stays_a_person(
    nlp: Language, actors: ActorBase
) -> None:
    doc = make_doc(
        nlp,
        "Secretary James Baker flew home. Baker said talks would go on.",
        [("James Baker", "PERSON"), ("Baker", "PERSON")],
    )
    assert repaired(doc, actors)[1] == ("Baker", "PERSON")


def test_a_person_tagged_city_in_the_article_country_is_a_place(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(nlp, "The meeting in Alexandria drew a crowd.", [("Alexandria", "PERSON")])
    assert repaired(doc, actors) == [("Alexandria", "GPE")]


@pytest.mark.parametrize(
    ("text", "surface", "label", "expected"),
    [
        ("The Interior Ministry denied it.", "Interior Ministry", "GPE", "ORG"),
        ("Boats sank in the Euphrates River last week.", "Euphrates River", "ORG", "LOC"),
        ("Roads in Laurel County were shut.", "Laurel County", "ORG", "GPE"),
        ("Fighting spread to Mount Sinjar today.", "Mount Sinjar", "PERSON", "LOC"),
        ("Traffic on Harbor Street stopped.", "Harbor Street", "PERSON", "FAC"),
        ("Troops entered Tall Hamis province overnight.", "Tall Hamis", "PERSON", "GPE"),
        ("They reached the village of Umm Qasr at dawn.", "Umm Qasr", "ORG", "GPE"),
    ],
)
def test_head_words_and_place_nouns_decide_the_label(
    nlp: Language, actors: ActorBase, text: str, surface: str, label: str, expected: str
) -> None:
    doc = make_doc(nlp, text, [(surface, label)])
    assert repaired(doc, actors) == [(surface, expected)]


def test_a_place_named_by_context_once_is_a_place_throughout(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(
        nlp,
        "Rebels took the town of Kafr Nubl. Shelling of Kafr Nubl resumed.",
        [("Kafr Nubl", "ORG"), ("Kafr Nubl", "PERSON")],
    )
    assert repaired(doc, actors) == [("Kafr Nubl", "GPE"), ("Kafr Nubl", "GPE")]


def test_ships_are_products_not_people(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(
        nlp,
        "The destroyer USS Mahan sailed on. Mahan later docked.",
        [("USS Mahan", "PERSON"), ("Mahan", "PERSON")],
    )
    assert repaired(doc, actors) == [("USS Mahan", "PRODUCT"), ("Mahan", "PRODUCT")]


def test_a_sentence_initial_preposition_is_trimmed_from_a_name(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(nlp, "Near Palmyra, one strike hit a depot.", [("Near Palmyra", "PERSON")])
    assert repaired(doc, actors, countries=("SYR",)) == [("Palmyra", "GPE")]


def test_a_demonym_tagged_person_is_norp(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(nlp, "Syrian officials met on Monday.", [("Syrian", "PERSON")])
    assert repaired(doc, actors) == [("Syrian", "NORP")]


def test_acronyms_are_not_read_as_towns(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(nlp, "Ministers of the EU met.", [("EU", "ORG")])
    assert repaired(doc, actors) == [("EU", "ORG")]


def test_actor_ruler_entities_are_never_relabelled(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(nlp, "Officials in Texas Brigade spoke.", [("Texas Brigade", "GPE", "some-actor")])
    assert repaired(doc, actors) == [("Texas Brigade", "GPE")]
    assert doc.ents[0].ent_id_ == "some-actor"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Storm shuts schools. SPRINGFIELD, Ill. (AP) — Officials said.",
            [("SPRINGFIELD", "GPE"), ("Ill.", "GPE")],
        ),
        ("By Jo Smith. EAST HAMPTON — Police said a car crashed.", [("EAST HAMPTON", "GPE")]),
        ("Sam Lee, Associated Press ALEPPO (AP) — Shelling went on.", [("ALEPPO", "GPE")]),
        ("UPDATE — Police said a car crashed.", []),
    ],
)
def test_all_capital_datelines_are_places(
    nlp: Language, actors: ActorBase, text: str, expected: list[tuple[str, str]]
) -> None:
    doc = make_doc(nlp, text, [])
    assert [e for e in repaired(doc, actors) if e[1] == "GPE"] == expected


def test_embedded_places_inside_organisation_names(nlp: Language) -> None:
    doc = make_doc(
        nlp,
        "The Ohio Department of Development and the Laurel County Fiscal Court agreed.",
        [("The Ohio Department of Development", "ORG"), ("the Laurel County Fiscal Court", "ORG")],
    )
    found = embedded_places(doc, place_of=place_of, countries=("USA",))
    assert [(s.text, s.label_) for s in found] == [("Ohio", "GPE"), ("Laurel County", "GPE")]


def test_an_institution_named_after_a_state_embeds_the_state(nlp: Language) -> None:
    doc = make_doc(
        nlp,
        "Researchers at the University of Michigan Center for Political Studies said so.",
        [("the University of Michigan Center for Political Studies", "ORG")],
    )
    found = embedded_places(doc, place_of=place_of, countries=("USA",))
    assert [(s.text, s.label_) for s in found] == [("Michigan", "GPE")]


def test_an_organisation_without_a_place_has_no_embedded_place(nlp: Language) -> None:
    doc = make_doc(nlp, "The Central Bank raised rates.", [("The Central Bank", "ORG")])
    assert embedded_places(doc, place_of=place_of, countries=("USA",)) == []


def test_a_suffix_does_not_hide_the_surname(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(
        nlp,
        "Senator Robert Baker Jr. arrived. Baker spoke first.",
        [("Robert Baker Jr.", "PERSON"), ("Baker", "GPE")],
    )
    assert repaired(doc, actors)[1] == ("Baker", "PERSON")


def test_wars_and_conferences_are_events_not_places(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(nlp, "Veterans of the Gulf War met.", [("Gulf War", "LOC")])
    assert repaired(doc, actors) == [("Gulf War", "EVENT")]


def test_a_town_named_by_its_police_is_a_place(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(nlp, "Overnight Glenfield police made two arrests.", [("Glenfield", "ORG")])
    assert repaired(doc, actors, countries=()) == [("Glenfield", "GPE")]


def test_a_named_state_puts_its_country_in_context(nlp: Language, actors: ActorBase) -> None:
    doc = make_doc(
        nlp,
        "The fair in Ohio opened. Crowds came to Springfield on Sunday.",
        [("Ohio", "GPE"), ("Springfield", "ORG")],
    )
    assert repaired(doc, actors, countries=()) == [("Ohio", "GPE"), ("Springfield", "GPE")]
