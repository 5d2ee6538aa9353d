"""CAMEO coding conventions on sentences written for these tests: reported attacks as accusations,
the host country as target of a protest, a show of force or a visit, violence by a crowd as a
violent protest, givers and receivers, passive conjuncts, reduced relatives, states of affairs
and parse repairs around dates and datives."""

from __future__ import annotations

from typing import Any

from eventwatch.model import Article, Event


def _events(extractor: Any, text: str, published: str = "2012-05-06") -> list[Event]:
    article = Article(article_id="t", text=text, published=published)
    return list(extractor.extract_one(article).events)


def _codes(events: list[Event]) -> list[str | None]:
    return [e.cameo_code for e in events]


def _countries(actors: tuple[Any, ...]) -> set[str | None]:
    return {a.country for a in actors}


# -- reported violence -------------------------------------------------------------------------------


def test_an_attack_reported_by_its_victim_is_also_an_accusation(extractor: Any) -> None:
    events = _events(extractor, "Jordan said two shells were fired from Syria at its territory overnight.")
    assert events[0].plover_type == "ASSAULT"  # the attack stays the main event
    assert _countries(events[0].source_actors) == {"SYR"}  # fired from Syria
    accusations = [e for e in events if e.cameo_code == "112"]
    assert len(accusations) == 1
    assert _countries(accusations[0].source_actors) == {"JOR"}
    assert _countries(accusations[0].target_actors) == {"SYR"}
    assert accusations[0].trigger.text == "said"


def test_a_party_telling_of_its_own_attack_accuses_no_one(extractor: Any) -> None:
    events = _events(extractor, "Iran said its forces struck militant bases in Iraq.")
    assert "112" not in _codes(events)


def test_an_attack_without_a_reporter_is_no_accusation(extractor: Any) -> None:
    events = _events(extractor, "Ethiopian troops attacked Eritrean positions on Friday.")
    assert "112" not in _codes(events)
    assert [e.plover_type for e in events] == ["ASSAULT"]


def test_a_news_agency_reporting_accuses_no_one(extractor: Any) -> None:
    events = _events(extractor, "Reuters said Russian jets bombed a market in Idlib.")
    assert "112" not in _codes(events)


# -- host countries as targets ----------------------------------------------------------------------


def test_foreign_activists_protesting_abroad_target_the_host_country(extractor: Any) -> None:
    events = _events(extractor, "French activists staged a noisy protest in Tehran on Sunday.")
    protest = next(e for e in events if e.plover_type == "PROTEST")
    assert _countries(protest.source_actors) == {"FRA"}
    assert _countries(protest.target_actors) == {"IRN"}
    assert all(t.mention is None for t in protest.target_actors)  # inferred, named nowhere


def test_a_protest_at_home_gets_no_inferred_target(extractor: Any) -> None:
    events = _events(extractor, "Kenyan teachers staged a protest in Nairobi on Monday.")
    protest = next(e for e in events if e.plover_type == "PROTEST")
    assert protest.target_actors == ()


def test_military_drills_in_another_country_target_it(extractor: Any) -> None:
    events = _events(extractor, "China is holding naval exercises in Vietnam this week.")
    drill = next(e for e in events if e.plover_type == "MOBILIZE")
    assert _countries(drill.target_actors) == {"VNM"}


# -- crowds, givers and receivers ---------------------------------------------------------------


def test_destruction_by_protesters_is_a_violent_protest(extractor: Any) -> None:
    events = _events(extractor, "The police station was torched by angry protesters.")
    assert events[0].cameo_code == "145"
    assert events[0].plover_type == "PROTEST"


def test_destruction_by_soldiers_stays_coercion(extractor: Any) -> None:
    events = _events(extractor, "The houses were demolished by Israeli soldiers.")
    assert events[0].plover_type == "COERCE"


def test_the_giver_of_what_was_received_is_the_source(extractor: Any) -> None:
    events = _events(extractor, "Striking miners received assurances from the Chilean government.")
    event = next(e for e in events if e.cameo_code == "030")
    assert [a.cameo_code for a in event.source_actors] == ["CHLGOV"]
    assert event.target_actors and "miners" in event.target_actors[0].name


def test_helping_a_group_is_aid(extractor: Any) -> None:
    events = _events(extractor, "Norway helped the refugees from Sudan.")
    assert events[0].cameo_code == "070"
    assert _countries(events[0].source_actors) == {"NOR"}


# -- the parse: passives, reduced relatives, datives, dates ----------------------------------------


def test_a_passive_conjunct_borrows_its_patient_not_its_agent(extractor: Any) -> None:
    text = "The fishermen detained for entering Indian waters were released today by India"
    events = _events(extractor, text)
    assert _codes(events) == ["0841"]  # the participle only describes the fishermen
    assert [a.name for a in events[0].target_actors] == ["fishermen"]
    assert _countries(events[0].source_actors) == {"IND"}


def test_a_dative_names_the_target(extractor: Any) -> None:
    events = _events(extractor, "Japan said it would not provide loans to Myanmar.")
    assert events[0].plover_type == "REJECT"
    assert _countries(events[0].target_actors) == {"MMR"}


def test_a_name_swallowed_by_a_date_is_still_the_target(extractor: Any) -> None:
    events = _events(
        extractor, "Germany's foreign minister met with Egyptian President Hosni Mubarak Tuesday."
    )
    meeting = events[0]
    assert meeting.cameo_code == "040"
    assert _countries(meeting.target_actors) == {"EGY"}
    assert len([e for e in events if e.plover_type == "CONSULT"]) == 1


def test_a_meeting_and_the_talks_it_was_for_are_one_event(extractor: Any) -> None:
    events = _events(
        extractor, "The Kenyan president met his Ugandan counterpart to discuss the border dispute."
    )
    assert len([e for e in events if e.plover_type == "CONSULT"]) == 1


def test_support_a_plan_enjoys_is_no_event(extractor: Any) -> None:
    assert (
        _events(extractor, "Officials said the proposal enjoyed broad support from Brazil and Chile.") == []
    )


def test_former_leaders_are_coded_by_country(extractor: Any) -> None:
    events = _events(extractor, "Obama met Hu Jintao in Beijing.", published="2009-11-17")
    assert events[0].cameo_code == "040"
    assert _countries(events[0].source_actors) == {"USA"}
    assert _countries(events[0].target_actors) == {"CHN"}


def test_a_monitors_home_base_is_not_the_story_country(extractor: Any) -> None:
    text = "The London-based monitor said six people were killed by government forces in Homs."
    events = _events(extractor, text)
    attack = next(e for e in events if e.plover_type == "ASSAULT")
    assert all(a.country != "GBR" for a in attack.source_actors)


def test_coordinated_nationalities_are_each_a_party(extractor: Any) -> None:
    events = _events(extractor, "French and German diplomats met Iranian officials in Vienna.")
    assert events[0].cameo_code == "040"
    assert _countries(events[0].source_actors) == {"FRA", "DEU"}
    assert _countries(events[0].target_actors) == {"IRN"}


def test_they_after_two_speakers_is_both(extractor: Any) -> None:
    events = _events(
        extractor, "Sarkozy and Merkel said they would impose sanctions on Iran.", published="2010-03-01"
    )
    assert {"FRA", "DEU"} <= _countries(events[0].source_actors)


def test_the_accused_is_the_doer_of_what_the_charge_alleges(extractor: Any) -> None:
    events = _events(extractor, "Armenia accused Azerbaijan of shelling border villages.")
    assert events[0].cameo_code == "112"
    assert _countries(events[0].target_actors) == {"AZE"}
    alleged = [e for e in events if e.plover_type == "ASSAULT"]
    assert alleged and all(_countries(e.source_actors) == {"AZE"} for e in alleged)


def test_a_condemned_deed_blames_its_doer(extractor: Any) -> None:
    events = _events(extractor, "Jordan condemned the raid by Israeli troops on the mosque.")
    condemnation = next(e for e in events if e.plover_type == "ACCUSE")
    assert [a.cameo_code for a in condemnation.target_actors] == ["ISRMIL"]


def test_the_owner_of_a_rejected_proposal_is_the_target(extractor: Any) -> None:
    events = _events(extractor, "Venezuela rejected the Colombian proposal.")
    assert events[0].plover_type == "REJECT"
    assert _countries(events[0].target_actors) == {"COL"}


def test_a_refused_act_is_one_refusal_of_it(extractor: Any) -> None:
    events = _events(extractor, "Poland refused to send fighter jets to Ukraine.")
    assert [e.plover_type for e in events] == ["REJECT"]
    assert events[0].cameo_code is not None and events[0].cameo_code.startswith("12")
    assert _countries(events[0].target_actors) == {"UKR"}


def test_help_only_as_aid_given(extractor: Any) -> None:
    assert _events(extractor, "Canada will help Peru to modernise its ports.") == []
    assert all(
        e.plover_type != "AID" for e in _events(extractor, "Donors met to help the victims of the floods.")
    )


def test_he_after_a_titled_speaker_is_the_speaker(extractor: Any) -> None:
    events = _events(extractor, "The Ghanaian president said he would visit Togo.")
    assert [a.cameo_code for a in events[0].source_actors] == ["GHAGOV"]


def test_troops_sent_somewhere_target_the_destination(extractor: Any) -> None:
    events = _events(extractor, "Turkey deployed troops to Qatar.")
    assert events[0].plover_type == "MOBILIZE"
    assert _countries(events[0].target_actors) == {"QAT"}


def test_an_ethnic_group_is_coded_by_the_country_it_lives_in(extractor: Any) -> None:
    events = _events(extractor, "Ethnic Uzbek fighters operating in Tajikistan attacked a police post.")
    assert [a.country for a in events[0].source_actors] == ["TJK"]
    plain = _events(extractor, "Uzbek troops attacked a police post in Tajikistan.")
    assert _countries(plain[0].source_actors) == {"UZB"}  # a state's troops stay the state's


# -- reported attacks: CAMEO codes what the teller does (claim 015, accusation 112) -----------------


def test_a_party_telling_of_its_own_attack_claims_it(extractor: Any) -> None:
    events = _events(extractor, "Turkey said its jets bombed Kurdish militant camps in northern Iraq.")
    attacks = [e for e in events if e.plover_type == "ASSAULT"]
    assert len(attacks) == 1
    assert attacks[0].cameo_code == "015"  # admit or claim responsibility
    assert attacks[0].acled_sub_event_type == "Air/drone strike"  # ACLED still codes the strike
    assert "112" not in _codes(events)


def test_an_alleged_attack_is_coded_by_the_accusation_alone(extractor: Any) -> None:
    events = _events(extractor, "Armenia said Azerbaijani troops shelled a border village overnight.")
    assert events[0].plover_type == "ASSAULT"  # PLOVER and ACLED keep the attack first
    assert events[0].cameo_code is None  # CAMEO reads the sentence as Armenia's accusation
    assert events[0].acled_event_type is not None
    (accusation,) = [e for e in events if e.cameo_code == "112"]
    assert _countries(accusation.source_actors) == {"ARM"}
    assert _countries(accusation.target_actors) == {"AZE"}


def test_an_attack_told_as_the_setting_of_a_report_is_no_accusation(extractor: Any) -> None:
    events = _events(
        extractor, "Kenya said security must be tightened after the bombing by Somali militants."
    )
    assert "112" not in _codes(events)
    bombings = [e for e in events if e.trigger.text == "bombing"]
    assert bombings and bombings[0].cameo_code is not None


def test_a_government_telling_of_a_rebel_attack_accuses_the_rebels(extractor: Any) -> None:
    events = _events(
        extractor, "Colombian officials said FARC guerrillas attacked a police station in Cauca."
    )
    (accusation,) = [e for e in events if e.cameo_code == "112"]
    assert _countries(accusation.source_actors) == {"COL"}
    assert "015" not in _codes(events)  # the rebels are not the state that speaks


# -- participants: roles of places, plural pronouns ---------------------------------------------------


def test_the_office_of_a_city_is_its_countrys_government(extractor: Any) -> None:
    events = _events(extractor, "Israeli troops arrested the mayor of Hebron on Tuesday.")
    (arrest,) = [e for e in events if e.plover_type == "COERCE"]
    assert {a.cameo_code for a in arrest.target_actors} == {"PSEGOV"}


def test_they_stands_for_all_the_conjoined_parties(extractor: Any) -> None:
    text = "Iran and Syria held talks in Damascus on Monday. They later attacked rebel positions near Aleppo."
    attacks = [e for e in _events(extractor, text) if e.plover_type == "ASSAULT"]
    assert attacks
    assert _countries(attacks[0].source_actors) == {"IRN", "SYR"}  # not the city where they met
