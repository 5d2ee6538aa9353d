"""The packaged actor base: the reviewed data is valid, and aliases, roles and memberships resolve."""

from __future__ import annotations

import re
from pathlib import Path

import pycountry
import pytest
import yaml

from eventwatch.errors import ResourceError
from eventwatch.model import ActorRef
from eventwatch.resources.actors import (
    ACTOR_TYPES,
    ACTORS_PATH,
    ROLES_PATH,
    ActorBase,
    ActorEntry,
    default_actor_base,
    fold,
)

CAMEO = re.compile(r"^[A-Z]{3}([A-Z]{3})*$")
IRI_FACTIONS = (
    "kataib-hezbollah",
    "harakat-al-nujaba",
    "kataib-sayyid-al-shuhada",
    "harakat-ansar-allah-al-awfiya",
)


@pytest.fixture(scope="module")
def base() -> ActorBase:
    return default_actor_base()


# -- the packaged data ----------------------------------------------------------------------------


def test_packaged_file_lists_enough_reviewed_actors() -> None:
    raw = yaml.safe_load(ACTORS_PATH.read_text(encoding="utf-8"))["actors"]
    assert len(raw) >= 230
    assert len({item["id"] for item in raw}) == len(raw)


def test_every_country_is_a_state_entry(base: ActorBase) -> None:
    states = {e.actor_id for e in base.entries if e.type == "state"}
    assert {c.alpha_3.lower() for c in pycountry.countries} <= states
    assert len(base.entries) >= 200


def test_entries_are_valid(base: ActorBase) -> None:
    ids = {e.actor_id for e in base.entries}
    alpha3 = {c.alpha_3 for c in pycountry.countries}
    for entry in base.entries:
        assert entry.type in ACTOR_TYPES, entry
        assert CAMEO.match(entry.cameo_code), entry
        assert entry.ner_label in {"ORG", "PERSON", "GPE", "NORP"}, entry
        if entry.country is None:
            assert entry.type not in {"state"}, entry
        else:
            assert entry.country in alpha3, entry
        for membership in entry.memberships:
            assert membership.group in ids, (entry.actor_id, membership)
        if entry.type == "state":
            assert entry.cameo_code == entry.country == entry.actor_id.upper()


def test_no_alias_is_shared_between_actors(base: ActorBase) -> None:
    owners: dict[str, str] = {}
    for entry in base.entries:
        for alias in {entry.name, *entry.aliases}:
            key = fold(alias)
            key = key if re.fullmatch(r"[A-Z]{1,3}", key) else key.lower()
            assert owners.setdefault(key, entry.actor_id) == entry.actor_id, (
                alias,
                owners[key],
                entry.actor_id,
            )


def test_country_codes_of_persons_and_media_match_their_cameo_code(base: ActorBase) -> None:
    for entry in base.entries:
        if entry.country is not None and not entry.cameo_code.startswith(("IGO", "NGO", "IMG")):
            assert entry.cameo_code.startswith(entry.country), entry


# -- lookup ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "actor_id"),
    [
        ("Kataib Hezbollah", "kataib-hezbollah"),
        ("Kata'ib Hizballah", "kataib-hezbollah"),
        ("Kata’ib Hizballah", "kataib-hezbollah"),
        ("Kataib Hizbollah", "kataib-hezbollah"),
        ("KH", "kataib-hezbollah"),
        ("Kataib Hezbollah's", "kataib-hezbollah"),
        ("Ansarallah", "houthis"),
        ("Ansar Allah", "houthis"),
        ("the Houthis", "houthis"),
        ("The Houthi movement", "houthis"),
        ("IRI", "islamic-resistance-in-iraq"),
        ("Islamic Resistance in Iraq", "islamic-resistance-in-iraq"),
        ("Harakat al-Nujaba", "harakat-al-nujaba"),
        ("Harakat al Nujaba", "harakat-al-nujaba"),
        ("Nujaba", "harakat-al-nujaba"),
        ("Kataib Sayyid al-Shuhada", "kataib-sayyid-al-shuhada"),
        ("Harakat Ansar Allah al-Awfiya", "harakat-ansar-allah-al-awfiya"),
        ("Hashd al-Shaabi", "pmf"),
        ("PMF", "pmf"),
        ("Hezbollah", "hezbollah"),
        ("Hizballah", "hezbollah"),
        ("HAMAS", "hamas"),
        ("PIJ", "pij"),
        ("IRGC", "irgc"),
        ("Quds Force", "quds-force"),
        ("IDF", "idf"),
        ("SDF", "sdf"),
        ("HTS", "hts"),
        ("ISIS", "isis"),
        ("ISIL", "isis"),
        ("Daesh", "isis"),
        ("PKK", "pkk"),
        ("YPG", "ypg"),
        ("Peshmerga", "peshmerga"),
        ("KDP", "kdp"),
        ("PUK", "puk"),
        ("Fatah", "fatah"),
        ("PA", "palestinian-authority"),
        ("PLO", "plo"),
        ("Amal", "amal"),
        ("LAF", "laf"),
        ("Saudi-led coalition", "saudi-led-coalition"),
        ("STC", "stc"),
        ("Army Radio", "army-radio"),
        ("Galei Tzahal", "army-radio"),
        ("Maariv", "maariv"),
        ("Shafaq News", "shafaq-news"),
        ("Zeev Elkin", "zeev-elkin"),
        ("Ze’ev Elkin", "zeev-elkin"),
        ("Mohammed Shia al-Sudani", "mohammed-shia-al-sudani"),
        ("Erdogan", "recep-tayyip-erdogan"),
        ("Erdoğan", "recep-tayyip-erdogan"),
        ("European Union", "eu"),
        ("the UN", "un"),
        ("U.N.", "un"),
        ("Israel's", "isr"),
        ("U.S.", "usa"),
        ("the United States", "usa"),
        ("America", "usa"),
        ("Britain", "gbr"),
        ("Iran", "irn"),
        ("Palestine", "pse"),
    ],
)
def test_lookup_resolves_aliases(base: ActorBase, text: str, actor_id: str) -> None:
    entry = base.lookup(text)
    assert entry is not None, text
    assert entry.actor_id == actor_id


@pytest.mark.parametrize("text", ["kh", "us", "Us", "pa", "who", "Gaza", "the", "", "Kataib"])
def test_lookup_keeps_short_acronyms_case_sensitive_and_misses_unknowns(base: ActorBase, text: str) -> None:
    assert base.lookup(text) is None


def test_get_and_ref(base: ActorBase) -> None:
    entry = base.get("kataib-hezbollah")
    assert entry is not None
    assert (entry.country, entry.cameo_code, entry.ner_label) == ("IRQ", "IRQREB", "ORG")
    assert base.ref(entry) == ActorRef(
        name="Kataib Hezbollah",
        actor_id="kataib-hezbollah",
        type="militia",
        country="IRQ",
        cameo_code="IRQREB",
    )
    assert base.get("nobody") is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Iraq", "IRQ"),
        ("Iraqi", "IRQ"),
        ("Iraqis", "IRQ"),
        ("Iraq's", "IRQ"),
        ("the United States", "USA"),
        ("U.S.", "USA"),
        ("Yemeni", "YEM"),
        ("Lebanese", "LBN"),
        ("Palestinians", "PSE"),
        ("Emirati", "ARE"),
        ("Saudi", "SAU"),
        ("British", "GBR"),
        ("South Korean", "KOR"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
    ],
)
def test_country_of(base: ActorBase, text: str, iso: str) -> None:
    assert base.country_of(text) == iso


@pytest.mark.parametrize("text", ["polish", "Hezbollah", "Gaza", "minister"])
def test_country_of_is_none_for_non_countries(base: ActorBase, text: str) -> None:
    assert base.country_of(text) is None


# -- resolve --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "type_", "country"),
    [
        ("Israeli Minister", "ISRGOV", "government", "ISR"),
        ("Iraqi Prime Minister", "IRQGOV", "government", "IRQ"),
        ("the Iraqi government", "IRQGOV", "government", "IRQ"),
        ("Iraqi armed forces", "IRQMIL", "military", "IRQ"),
        ("Israel's defence minister", "ISRGOV", "government", "ISR"),
        ("US troops", "USAMIL", "military", "USA"),
        ("U.S. troops", "USAMIL", "military", "USA"),
        ("Iraqi security forces", "IRQCOP", "police", "IRQ"),
        ("Palestinian protesters", "PSECVL", "civilians", "PSE"),
        ("Yemeni resistance movements", "YEMREB", "armed_group", "YEM"),
        ("senior Iranian officials", "IRNGOV", "government", "IRN"),
        ("Prime Minister of Iraq", "IRQGOV", "government", "IRQ"),
        ("armed groups in Iraq", "IRQREB", "armed_group", "IRQ"),
        ("Syrian opposition", "SYROPP", "political_party", "SYR"),
        ("Lebanese lawmakers", "LBNLEG", "legislature", "LBN"),
    ],
)
def test_resolve_country_and_role(base: ActorBase, text: str, code: str, type_: str, country: str) -> None:
    ref = base.resolve(text)
    assert ref is not None, text
    assert (ref.actor_id, ref.cameo_code, ref.type, ref.country) == (code, code, type_, country)


@pytest.mark.parametrize(
    ("text", "code", "type_"),
    [
        ("protesters", "CVL", "civilians"),
        ("gunmen", "REB", "armed_group"),
        ("Iran-backed militias", "REB", "armed_group"),
    ],
)
def test_resolve_bare_role(base: ActorBase, text: str, code: str, type_: str) -> None:
    ref = base.resolve(text)
    assert ref == ActorRef(name=text, type=type_, cameo_code=code)


@pytest.mark.parametrize(
    ("text", "actor_id"),
    [
        ("Israel", "isr"),
        ("Iraqi", "irq"),
        ("Kata'ib Hizballah", "kataib-hezbollah"),
        ("Hezbollah fighters", "hezbollah"),
        ("senior Hamas official", "hamas"),
        ("Houthi rebels", "houthis"),
        ("Lebanese Hezbollah", "hezbollah"),
        ("the so-called Islamic Resistance in Iraq", "islamic-resistance-in-iraq"),
        ("Iraq’s Kataib Hezbollah", "kataib-hezbollah"),
        ("the Lebanese armed group Hezbollah", "hezbollah"),
        ("Israeli Minister Zeev Elkin", "zeev-elkin"),
        ("Iraqi Prime Minister Mohammed Shia al-Sudani", "mohammed-shia-al-sudani"),
    ],
)
def test_resolve_named_actors(base: ActorBase, text: str, actor_id: str) -> None:
    ref = base.resolve(text)
    assert ref is not None, text
    assert ref.actor_id == actor_id


@pytest.mark.parametrize("text", ["the wife of the minister", "a government source", "Gaza", "", "the"])
def test_resolve_unknown_is_none(base: ActorBase, text: str) -> None:
    assert base.resolve(text) is None


# -- memberships ----------------------------------------------------------------------------------


@pytest.mark.parametrize("faction", IRI_FACTIONS)
def test_iri_factions_are_members_on_the_sample_date(base: ActorBase, faction: str) -> None:
    groups = {g.actor_id for g in base.groups_of(faction, on="2024-11-28")}
    assert {"islamic-resistance-in-iraq", "pmf"} <= groups
    assert "islamic-resistance-in-iraq" not in {g.actor_id for g in base.groups_of(faction, on="2023-01-15")}
    assert "axis-of-resistance" in {
        g.actor_id for g in base.groups_of(faction, on="2024-11", transitive=True)
    }


def test_memberships_end(base: ActorBase) -> None:
    assert [g.actor_id for g in base.groups_of("yahya-sinwar", on="2024-10-01")] == ["hamas"]
    assert base.groups_of("yahya-sinwar", on="2024-10-17") == ()
    assert "axis-of-resistance" in {g.actor_id for g in base.groups_of("syr", on="2024")}
    assert "axis-of-resistance" not in {g.actor_id for g in base.groups_of("syr", on="2025-01")}
    assert "arab-league" not in {g.actor_id for g in base.groups_of("syr", on="2015-06-01")}
    assert "arab-league" in {g.actor_id for g in base.groups_of("syr", on="2024-06-01")}
    assert {e.actor_id for e in base.members_of("islamic-resistance-in-iraq", on="2024-11-28")} == set(
        IRI_FACTIONS
    )


# -- conflicts beyond the Middle East -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "actor_id"),
    [
        ("RSF", "rapid-support-forces"),
        ("the Rapid Support Forces", "rapid-support-forces"),
        ("Hemedti", "mohamed-hamdan-dagalo"),
        ("SAF", "sudanese-armed-forces"),
        ("Sudan Shield Forces", "sudan-shield-forces"),
        ("Reporters Without Borders", "reporters-without-borders"),
        ("Reporters sans frontières", "reporters-without-borders"),
        ("al-Shabab", "al-shabaab"),
        ("JNIM", "jnim"),
        ("ISGS", "islamic-state-sahel"),
        ("Boko Haram", "boko-haram"),
        ("ISWAP", "iswap"),
        ("M23", "m23"),
        ("FARDC", "fardc"),
        ("Zelenskyy", "volodymyr-zelensky"),
        ("Armed Forces of Ukraine", "armed-forces-of-ukraine"),
        ("Russia's defence ministry", "russian-defence-ministry"),
        ("Wagner", "wagner-group"),
        ("MNDAA", "mndaa"),
        ("Ta’ang National Liberation Army", "tnla"),
        ("AA", "arakan-army"),
        ("KIA", "kia"),
        ("PDF", "pdf"),
        ("Tatmadaw", "tatmadaw"),
        ("Pakistani Taliban", "ttp"),
        ("ELN", "eln"),
        ("Central General Staff", "emc"),
        ("Gulf Clan", "clan-del-golfo"),
        ("CJNG", "cjng"),
        ("G9", "g9"),
        ("Khalifa Hifter", "khalifa-haftar"),
        ("Abu Mohammed al-Jolani", "ahmed-al-sharaa"),
        ("Group of Seven", "g7"),
    ],
)
def test_lookup_resolves_conflict_actors_worldwide(base: ActorBase, text: str, actor_id: str) -> None:
    entry = base.lookup(text)
    assert entry is not None, text
    assert entry.actor_id == actor_id


@pytest.mark.parametrize("text", ["rsf", "aa", "Kia", "APC", "let", "jem", "dawn", "barbecue", "Traore"])
def test_ambiguous_short_forms_and_common_words_are_not_aliases(base: ActorBase, text: str) -> None:
    assert base.lookup(text) is None


@pytest.mark.parametrize(
    ("text", "actor_id", "code"),
    [
        ("RSF fighters", "rapid-support-forces", "SDNREB"),
        ("military spokesman Nabil Abdallah", "nabil-abdallah", "SDNMIL"),
        ("President Bola Tinubu", "bola-tinubu", "NGAGOV"),
        ("the Nigerian army", "nigerian-army", "NGAMIL"),
        ("Mayor Vitali Klitschko", "vitali-klitschko", "UKRGOV"),
        ("ELN gunmen", "eln", "COLREB"),
        ("Boko Haram fighters", "boko-haram", "NGAREB"),
        ("Malian junta", "MLIGOV", "MLIGOV"),
        ("Sudanese troops", "SDNMIL", "SDNMIL"),
    ],
)
def test_resolve_conflict_phrases(base: ActorBase, text: str, actor_id: str, code: str) -> None:
    ref = base.resolve(text)
    assert ref is not None, text
    assert (ref.actor_id, ref.cameo_code) == (actor_id, code)


@pytest.mark.parametrize(
    ("text", "code", "type_"),
    [
        ("bandits", "CRM", "armed_group"),
        ("armed gangs", "CRM", "armed_group"),
        ("local vigilantes", "UAF", "militia"),
        ("a local self-defence militia", "UAF", "militia"),
        ("jihadists", "REB", "armed_group"),
        ("Female suicide bombers", "REB", "armed_group"),
        ("the dissident fighters", "REB", "armed_group"),
        ("paramilitaries", "REB", "armed_group"),
        ("militiamen", "REB", "armed_group"),
        ("insurgents", "REB", "armed_group"),
        ("junta troops", "MIL", "military"),
        ("the junta", "GOV", "government"),
        ("lawmakers", "LEG", "legislature"),
        ("worshippers", "CVL", "civilians"),
        ("Fulani herders", "CVL", "civilians"),
        ("miners", "CVL", "civilians"),
        ("villagers", "CVL", "civilians"),
        ("students", "CVL", "civilians"),
        ("farmers", "CVL", "civilians"),
        ("demonstrators", "CVL", "civilians"),
        ("displaced people", "REF", "civilians"),
        ("refugees", "REF", "civilians"),
        ("a local monitor", "NGO", "ngo"),
    ],
)
def test_resolve_conflict_role_nouns(base: ActorBase, text: str, code: str, type_: str) -> None:
    ref = base.resolve(text)
    assert ref is not None, text
    assert (ref.actor_id, ref.cameo_code, ref.type) == (None, code, type_)


@pytest.mark.parametrize("member", ["mndaa", "tnla", "arakan-army"])
def test_three_brotherhood_alliance(base: ActorBase, member: str) -> None:
    assert "three-brotherhood-alliance" in {g.actor_id for g in base.groups_of(member, on="2024-08-05")}
    assert base.groups_of(member, on="2018-06") == ()


def test_dated_memberships_beyond_the_middle_east(base: ActorBase) -> None:
    def groups(actor_id: str, on: str) -> set[str]:
        return {g.actor_id for g in base.groups_of(actor_id, on=on)}

    # ISWAP split from Boko Haram in 2016 and is no member of it; Boko Haram left IS then.
    assert "boko-haram" not in groups("iswap", "2024-07-01")
    assert "isis" in groups("iswap", "2024-07-01")
    assert "isis" in groups("boko-haram", "2016-01")
    assert "isis" not in groups("boko-haram", "2024-07-01")
    # The 33rd Front went with the EMBF when the Central General Staff split in 2024.
    assert groups("frente-33", "2023-06") == {"emc"}
    assert groups("frente-33", "2025-01-20") == {"embf"}
    ancestors = base.groups_of("frente-33", on="2025-01", transitive=True)
    assert "farc-dissidents" in {g.actor_id for g in ancestors}
    # The Sahel juntas left ECOWAS for their own alliance.
    assert groups("mli", "2022-01") == {"ecowas"}
    assert groups("ner", "2025-03") == {"alliance-of-sahel-states"}
    members = base.members_of("alliance-of-sahel-states", on="2024")
    assert {e.actor_id for e in members} == {"mli", "bfa", "ner"}
    assert "wagner-group" not in groups("yevgeny-prigozhin", "2023-09")
    assert groups("andrei-belousov", "2024-06") == {"russian-defence-ministry"}
    assert groups("sergei-shoigu", "2024-06") == set()


def test_groups_of_rejects_a_bad_date(base: ActorBase) -> None:
    with pytest.raises(ValueError, match="2024-13"):
        base.groups_of("hamas", on="2024-13")


# -- spaCy patterns -------------------------------------------------------------------------------


def test_entity_patterns_feed_a_real_entity_ruler(base: ActorBase) -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(base.entity_patterns())
    doc = nlp(
        "A source said Kataib Hezbollah and Harakat al-Nujaba would go on, while KH and the "
        "Kata’ib Hizballah statement were read on Army Radio, and the kh label and US troops differ."
    )
    found = {(ent.text, ent.label_, ent.ent_id_) for ent in doc.ents}
    assert ("Kataib Hezbollah", "ORG", "kataib-hezbollah") in found
    assert ("Harakat al-Nujaba", "ORG", "harakat-al-nujaba") in found
    assert ("KH", "ORG", "kataib-hezbollah") in found
    assert ("Kata’ib Hizballah", "ORG", "kataib-hezbollah") in found
    assert ("Army Radio", "ORG", "army-radio") in found
    assert ("US", "GPE", "usa") in found
    assert not any(ent.text == "kh" for ent in doc.ents)


def test_entity_patterns_shape(base: ActorBase) -> None:
    patterns = base.entity_patterns(tokenize=str.split)
    by_id: dict[str, list[object]] = {}
    for pattern in patterns:
        assert set(pattern) == {"label", "pattern", "id"}
        by_id.setdefault(str(pattern["id"]), []).append(pattern["pattern"])
    assert [{"ORTH": "KH"}] in by_id["kataib-hezbollah"]
    assert [{"LOWER": "kataib"}, {"LOWER": "hezbollah"}] in by_id["kataib-hezbollah"]
    assert "irq" not in by_id  # a state with no extra alias: the NER model already knows "Iraq"


# -- invalid files --------------------------------------------------------------------------------


def _write(tmp_path: Path, actors: str) -> Path:
    path = tmp_path / "actors.yaml"
    path.write_text(actors, encoding="utf-8")
    return path


GOOD = "  - {id: alpha, name: Alpha, type: militia, country: IRQ, cameo_code: IRQREB, aliases: [AG]}\n"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (GOOD + GOOD, "duplicate id"),
        (
            GOOD
            + "  - {id: beta, name: Beta, type: militia, country: IRQ, cameo_code: IRQREB, aliases: [AG]}\n",
            "'AG' is already claimed by 'alpha'",
        ),
        (
            "  - {id: beta, name: Beta, type: warlord, country: IRQ, cameo_code: IRQREB}\n",
            "unknown type 'warlord'",
        ),
        ("  - {id: beta, name: Beta, type: militia, country: XXX, cameo_code: IRQREB}\n", "country 'XXX'"),
        ("  - {id: beta, name: Beta, type: militia, country: IRQ, cameo_code: IRQ1}\n", "cameo_code 'IRQ1'"),
        (
            "  - {id: beta, name: Beta, type: militia, country: IRQ, cameo_code: IRQREB, "
            "memberships: [{group: nowhere}]}\n",
            "membership of unknown id 'nowhere'",
        ),
        (
            GOOD + "  - {id: beta, name: Beta, type: militia, country: IRQ, cameo_code: IRQREB, "
            "memberships: [{group: alpha, since: 2024-02-30}]}\n",
            "not a calendar date",
        ),
        (
            GOOD + "  - {id: beta, name: Beta, type: militia, country: IRQ, cameo_code: IRQREB, "
            "memberships: [{group: alpha, since: 2024, until: 2023}]}\n",
            "ends (2023) before it starts (2024)",
        ),
        (
            "  - {id: Beta Group, name: Beta, type: militia, country: IRQ, cameo_code: IRQREB}\n",
            "lower-case slug",
        ),
        ("  - {id: irq, type: militia}\n", "must be the state"),
        ("  - {id: beta, name: Beta, type: militia}\n", "missing country, cameo_code"),
    ],
)
def test_invalid_actor_file_raises_resource_error(tmp_path: Path, body: str, problem: str) -> None:
    path = _write(tmp_path, "actors:\n" + body)
    with pytest.raises(ResourceError) as caught:
        ActorBase.load(path, ROLES_PATH)
    message = str(caught.value)
    assert message.startswith("[E030]")
    assert str(path) in message
    assert problem in message


def test_unparsable_yaml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "actors: [ {id: beta\n")
    with pytest.raises(ResourceError, match="invalid YAML"):
        ActorBase.load(path, ROLES_PATH)


def test_invalid_roles_file(tmp_path: Path) -> None:
    roles = tmp_path / "roles.yaml"
    roles.write_text(
        "roles:\n  - {code: GOV, type: government, nouns: [minister]}\n"
        "  - {code: MIL, type: military, nouns: [minister]}\nmodifiers: []\ndemonyms: {}\n",
        encoding="utf-8",
    )
    with pytest.raises(ResourceError, match="'minister' is also listed for GOV"):
        ActorBase.load(ACTORS_PATH, roles)


def test_small_in_memory_base_needs_no_files() -> None:
    entry = ActorEntry(
        actor_id="alpha", name="Alpha Group", type="militia", country="IRQ", cameo_code="IRQREB",
        aliases=("AG",), ner_label="ORG",
    )  # fmt: skip
    base = ActorBase([entry])
    assert base.lookup("alpha group") == entry
    assert base.lookup("ag") is None
    assert base.resolve("AG") == base.ref(entry)
    assert base.resolve("Iraqi troops") is None  # no role tables given


# -- CAMEO actor conventions: capitals, untabled adjectives, national names, earlier leaders ---------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kabul government", "AFGGOV"),  # a capital stands for its government in a role phrase
        ("government of Ankara", "TURGOV"),
        ("Kenyan deputy foreign minister", "KENGOV"),  # "deputy" is a listed modifier
        ("Ghanaian assistant interior minister", "GHAGOV"),  # "assistant" is not: still Ghana's
        ("Iraqi security forces", "IRQCOP"),  # a longer listed role still wins over leniency
    ],
)
def test_role_owners_beyond_the_tables(base: ActorBase, text: str, code: str) -> None:
    ref = base.resolve(text)
    assert ref is not None and ref.cameo_code == code


def test_a_capital_is_no_alias_of_its_state(base: ActorBase) -> None:
    assert base.lookup("Kabul") is None  # the city is still geocoded as a city
    assert base.country_of("Ankara") is None


def test_unlisted_organisation_named_after_its_country(base: ActorBase) -> None:
    ref = base.resolve("Zambian Federation of Farm Workers")
    assert ref is not None and ref.country == "ZMB" and ref.type == "organization"
    described = base.resolve("Zambian farm workers union")  # lower-case words: a description, not a name
    assert described is None or described.type != "organization"
    assert base.resolve("Iraqi city") is None


@pytest.mark.parametrize(
    ("name", "country"),
    [("Obama", "USA"), ("Ahmadinejad", "IRN"), ("Merkel", "DEU"), ("Gaddafi", "LBY"), ("Ban Ki-moon", None)],
)
def test_leaders_of_earlier_years_keep_their_country(base: ActorBase, name: str, country: str | None) -> None:
    ref = base.resolve(name)
    assert ref is not None and ref.country == country and ref.type == "person"
