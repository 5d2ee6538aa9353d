"""Nominal and pronominal mentions, name extents and the mention ``form``/``refers_to`` fields, on
sentences written for these tests and run through the real pipeline."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from eventwatch.errors import ResourceError
from eventwatch.extract import article as article_module
from eventwatch.extract.coref import default_nominals, parse_nominals
from eventwatch.model import Article, Extraction, Mention, from_record, to_record
from eventwatch.pipeline import Extractor


def extract(extractor: Extractor, text: str) -> Extraction:
    return extractor.extract_one(Article(article_id="t", text=text, published="2024-05-02"))


def find(extraction: Extraction, text: str) -> Mention:
    found = [m for m in extraction.mentions if m.text == text]
    assert found, (text, [(m.text, m.kind, m.form) for m in extraction.mentions])
    return found[0]


def texts(extraction: Extraction) -> set[str]:
    return {m.text for m in extraction.mentions}


def test_he_refers_to_the_named_person(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(extractor, "Mohammed Shia al-Sudani arrived in Madrid on Monday. He met the Spanish king.")
    he = find(ex, "He")
    person = find(ex, "Mohammed Shia al-Sudani")
    assert (he.kind, he.form, person.form) == ("PERSON", "pronoun", "name")
    assert he.refers_to == person.mention_id
    assert he.actor is not None and person.actor is not None and he.actor.name == person.actor.name
    assert he.place is None


def test_we_is_the_speaking_body_and_i_a_person(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(extractor, '"We will not accept this," the ministry said. "I was there," a witness said.')
    we, i = find(ex, "We"), find(ex, "I")
    assert (we.kind, we.form, we.refers_to) == ("ORG", "pronoun", None)
    assert (i.kind, i.form) == ("PERSON", "pronoun")


def test_the_group_refers_to_the_named_armed_group(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(
        extractor,
        "Kataib Hezbollah fired drones at a base on Sunday. The group said the attack was a warning.",
    )
    group = find(ex, "The group")
    named = find(ex, "Kataib Hezbollah")
    assert (group.kind, group.form) == ("ORG", "nominal")
    assert group.refers_to == named.mention_id
    assert group.actor is not None and group.actor.actor_id == named.actor.actor_id  # type: ignore[union-attr]


def test_the_group_prefers_the_subject_of_the_nearest_sentence(extractor: Extractor) -> None:
    ex = extract(
        extractor,
        "Hamas is a member of the Axis of Resistance, officials said. "
        "The group said on Tuesday that talks had failed.",
    )
    hamas = find(ex, "Hamas")
    group = find(ex, "The group")
    assert group.refers_to == hamas.mention_id


def test_they_refers_to_a_collective_and_no_group_is_nobody(extractor: Extractor) -> None:
    ex = extract(
        extractor,
        "Local officials met the elders on Monday. They said the road would reopen. "
        "No group claimed the attack.",
    )
    officials = find(ex, "Local officials")
    they = find(ex, "They")
    assert (they.kind, they.form, they.refers_to) == ("ORG", "pronoun", officials.mention_id)
    assert not texts(ex) & {"No group", "group"}


def test_it_in_a_reported_clause_is_the_speaker(extractor: Extractor) -> None:
    ex = extract(
        extractor,
        "The Red Cross counted 40 wounded. The army said it had arrested 70 people on Friday.",
    )
    army = find(ex, "The army")
    it = find(ex, "it")
    assert (army.form, it.form, it.refers_to) == ("nominal", "pronoun", army.mention_id)


def test_demonym_and_role_noun_are_one_mention(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(extractor, "Iraqi forces shelled the village at dawn, officials said.")
    forces = find(ex, "Iraqi forces")
    assert (forces.kind, forces.form) == ("ORG", "nominal")
    assert forces.place is not None and forces.place.country == "IRQ"  # the demonym's country
    assert forces.actor is not None and forces.actor.country == "IRQ"
    assert "Iraqi" not in texts(ex)  # the demonym is part of the phrase, not a mention of its own
    officials = find(ex, "officials")
    assert (officials.kind, officials.form) == ("ORG", "nominal")  # several people: a collective


def test_one_person_by_role_is_a_person(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(extractor, "A soldier was wounded when a spokesman for the army read the statement.")
    assert (find(ex, "A soldier").kind, find(ex, "A soldier").form) == ("PERSON", "nominal")
    assert find(ex, "a spokesman").kind == "PERSON"


def test_title_belongs_to_the_persons_mention(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(extractor, "Prime Minister Keir Starmer spoke to Col. Ahmed Hassan on Tuesday.")
    starmer = find(ex, "Prime Minister Keir Starmer")
    assert (starmer.kind, starmer.form) == ("PERSON", "name")
    assert starmer.actor is not None and starmer.actor.mention is not None
    assert starmer.actor.mention.text == "Keir Starmer"  # the actor's own span is still the name
    assert find(ex, "Col. Ahmed Hassan").kind == "PERSON"


def test_organisation_names_take_their_article(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(extractor, "Aid reached Gaza through the United Nations on Friday.")
    assert find(ex, "the United Nations").kind == "ORG"


def test_place_extent_and_a_group_acting_as_modifier(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(extractor, "Coalition air strikes hit targets in northern Syria on Friday.")
    syria = find(ex, "northern Syria")
    assert syria.kind == "GPE" and syria.place is not None and syria.place.country == "SYR"
    coalition = find(ex, "Coalition")
    assert (coalition.kind, coalition.form) == ("ORG", "nominal")


def test_the_minister_refers_to_the_titled_person(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(
        extractor,
        "Defence Minister Yoav Gallant visited the border on Monday. The minister said the army was ready.",
    )
    minister = find(ex, "The minister")
    named = find(ex, "Defence Minister Yoav Gallant")
    assert (minister.kind, minister.form, minister.refers_to) == ("PERSON", "nominal", named.mention_id)
    assert "the army" in texts(ex) and find(ex, "the army").refers_to is None  # a role, no reference


def test_a_country_acting_is_an_organisation_with_its_place(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(extractor, "Turkey condemned the bombing in Syria on Monday.")
    turkey, syria = find(ex, "Turkey"), find(ex, "Syria")
    assert turkey.kind == "ORG" and turkey.place is not None and turkey.place.country == "TUR"
    assert syria.kind == "GPE"


def test_no_mention_without_a_referent(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(
        extractor,
        "It is important that talks go on. The police took control by force. "
        "A group of buildings burned. The dam was built in 1956. It also serves to produce power.",
    )
    found = texts(ex)
    assert "It" not in found  # an expletive, and an "it" that points at the dam
    assert not found & {"force", "A group", "A group of buildings"}
    assert "The police" in found


def test_possessives_and_places_are_left_to_their_phrase(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(extractor, "Ali Musa lost his home when the town was shelled.")
    assert "his" not in texts(ex)
    assert "the town" not in texts(ex)  # a place named by a common noun is no toponym


def test_references_never_change_events(extractor, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Kataib Hezbollah fired drones at a base in Erbil on Sunday, killing two soldiers. "
        "The group said it would continue. Iraqi forces arrested three men, police said. "
        "Prime Minister Mohammed Shia al-Sudani condemned the attack and he called for calm."
    )
    with_refs = extract(extractor, text)
    monkeypatch.setattr(article_module, "coreference_mentions", lambda doc, mentions, **_: list(mentions))
    without = extract(extractor, text)
    assert with_refs.events and with_refs.events == without.events
    assert (with_refs.quantities, with_refs.relations) == (without.quantities, without.relations)
    assert len(with_refs.mentions) > len(without.mentions)
    assert {m.form for m in without.mentions} == {"name"}


def test_refers_to_points_at_a_record_of_the_article(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(
        extractor,
        "Prime Minister Keir Starmer visited Kyiv. He said the minister would return. "
        "Hamas released a statement. The movement said they had accepted the terms.",
    )
    ids = {m.mention_id for m in ex.mentions}
    refs = [m for m in ex.mentions if m.refers_to]
    assert refs and all(m.refers_to in ids for m in refs)
    assert len(ids) == len(ex.mentions)
    for m in ex.mentions:
        assert ex.article.text[m.start : m.end] == m.text


def test_mention_record_round_trips_with_its_form() -> None:
    mention = Mention("a", "m2", "PERSON", "he", 10, 12, 1, form="pronoun", refers_to="m1")
    record = to_record(mention)
    assert record["form"] == "pronoun" and record["refers_to"] == "m1"
    assert from_record(record) == mention
    old = {k: v for k, v in record.items() if k not in ("form", "refers_to")}  # written before
    assert from_record(old) == replace(mention, form="name", refers_to=None)


def test_store_keeps_form_and_refers_to(tmp_path: Path) -> None:
    from eventwatch.store.duckdb_store import Store

    article = Article(article_id="a1", text="Hamas said it agreed. The group ...", published="2024-01-01")
    named = Mention("a1", "m1", "ORG", "Hamas", 0, 5, 0)
    pronoun = Mention("a1", "m2", "ORG", "it", 11, 13, 0, form="pronoun", refers_to="m1")
    with Store(tmp_path / "e.duckdb") as store:
        store.write([Extraction(article=article, mentions=(named, pronoun))])
    with Store(tmp_path / "e.duckdb") as store:
        assert store.mentions("a1") == [named, pronoun]


def test_nominals_file_is_valid() -> None:
    table = default_nominals()
    assert table.kind_of("minister", plural=False) == "PERSON"
    assert table.kind_of("minister", plural=True) == "ORG"
    assert table.kind_of("coalition", plural=False) == "ORG"
    assert table.kind_of("attack", plural=False) is None
    assert table.is_title("Col.") and table.is_title("Secretary") and not table.is_title("Monday")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected a mapping"),
        ({"person": ["minister"], "group": ["army"], "title_abbreviations": ["col"]}, "'of_heads'"),
        (
            {
                "person": ["prime minister"],
                "group": ["army"],
                "title_abbreviations": ["col"],
                "of_heads": ["x"],
            },
            "not one lower-case word",
        ),
        (
            {"person": ["army"], "group": ["army"], "title_abbreviations": ["col"], "of_heads": ["x"]},
            "both as person and as group",
        ),
    ],
)
def test_bad_nominals_file_is_named(data: object, message: str) -> None:
    with pytest.raises(ResourceError, match=message) as info:
        parse_nominals(data, source="nominals.yaml")
    assert "nominals.yaml" in str(info.value)


def test_mentions_stored_before_version_6_read_as_names(tmp_path: Path) -> None:
    from eventwatch.store.duckdb_store import Store

    path = tmp_path / "old.duckdb"
    article = Article(article_id="a1", text="Hamas said it agreed.", published="2024-01-01")
    named = Mention("a1", "m1", "ORG", "Hamas", 0, 5, 0)
    with Store(path) as store:
        store.write([Extraction(article=article, mentions=(named,))])
        store.con.execute("ALTER TABLE mentions DROP COLUMN refers_to")
        store.con.execute("ALTER TABLE mentions DROP COLUMN form")
        store.con.execute("DELETE FROM schema_version WHERE version >= 6")  # a version-5 database
    with Store(path) as store:
        assert store.schema_version() >= 6
        assert store.mentions("a1") == [named]  # form "name", refers_to None


# -- events take the coreference's antecedent for "they" and "it" ------------------------------------


def test_an_events_they_is_the_collective_the_coreference_found(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(
        extractor,
        "In Basra, hundreds of angry residents gathered outside the governor's office on Monday. "
        "They set fire to two police cars.",
    )
    arson = [e for e in ex.events if e.trigger.text == "set"]
    assert arson, [(e.trigger.text, e.plover_type) for e in ex.events]
    assert {a.type for a in arson[0].source_actors} == {"civilians"}  # not the city named first


def test_an_events_it_is_the_denier_not_the_accuser(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(
        extractor,
        "Kenya on Monday dismissed claims by Human Rights Watch that it had detained Somali refugees.",
    )
    detentions = [e for e in ex.events if e.trigger.text == "detained"]
    assert detentions
    assert {a.country for a in detentions[0].source_actors} == {"KEN"}  # not the rights group


def test_a_defaced_website_is_property_destroyed(extractor) -> None:  # type: ignore[no-untyped-def]
    ex = extract(extractor, "Pro-government hackers defaced dozens of opposition websites on Sunday.")
    assert [e.cameo_code for e in ex.events] == ["1712"]
