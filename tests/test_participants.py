"""Who did it and to whom: perpetrators and victims of violent events, from sentences written for
these tests (mixed case and all-capital wire style). The source of an incident comes from agent
phrases, claims and accusations; its target from passive subjects, relative clauses, lists of
names and identifications told after the act."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from eventwatch.extract.responsibility import Claim, attach_claims, is_incident
from eventwatch.model import ActorRef, Article, Attribution, Event, Span


def _incidents(extractor: Any, text: str) -> list[Event]:
    article = Article(article_id="p", text=text, published="2022-05-06")
    return [e for e in extractor.extract_one(article).events if is_incident(e)]


def _names(events: list[Event], side: str) -> set[str]:
    """Lower-cased actor names and mention texts of one side of the events."""
    out: set[str] = set()
    for event in events:
        for actor in getattr(event, side):
            out.add(" ".join(actor.name.lower().split()))
            if actor.mention is not None:
                out.add(" ".join(actor.mention.text.lower().split()))
    return out


def _has(names: set[str], word: str) -> bool:
    return any(word in name for name in names)


def _missing(names: set[str], words: Iterable[str]) -> list[str]:
    """The words no name contains."""
    return [word for word in words if not _has(names, word)]


# --------------------------------------------------------------------------------------------
# victims


@pytest.mark.parametrize(
    ("text", "victims"),
    [
        # a relative clause: the relative pronoun stands for the noun before it
        ("Police found the body of Tomas Riquelme, who was abducted on Monday.", ["riquelme"]),
        # a passive subject and an agent phrase
        ("Former mayor Ramon Ezquerra was shot dead by unidentified men in Tarija.", ["ezquerra"]),
        # a list of names hung as appositions, with ages between them
        (
            "The blast killed Lidia Montalvo, 31; Hernan Quiroga, 27; and Benito Salas.",
            ["montalvo", "quiroga", "salas"],
        ),
        # an identification told after the act
        (
            "Three farmers were killed in an ambush near Tarija on Sunday. The victims were "
            "identified as Anselmo Vidaurre and Rufino Cardozo.",
            ["vidaurre", "cardozo"],
        ),
        # "among the dead was X"
        (
            "A car bomb exploded outside the courthouse in Sucre. Among the dead was judge Elvira Maldonado.",
            ["maldonado"],
        ),
    ],
)
def test_victims(extractor: Any, text: str, victims: list[str]) -> None:
    targets = _names(_incidents(extractor, text), "target_actors")
    assert not _missing(targets, victims), targets


def test_victims_in_all_capital_wire_text(extractor: Any) -> None:
    text = (
        "HEAVILY ARMED MEN KIDNAPPED TWO ENGINEERS IN POTOSI LAST NIGHT.  THOSE WHO WERE KIDNAPPED "
        "ARE OSVALDO TERCEROS, 44, FROM CHILE; AND GUSTAVO ARAMAYO, 39, FROM PERU."
    )
    events = _incidents(extractor, text)
    targets = _names(events, "target_actors")
    assert _has(targets, "terceros") and _has(targets, "aramayo"), targets
    assert _has(_names(events, "source_actors"), "armed men")


# --------------------------------------------------------------------------------------------
# perpetrators


@pytest.mark.parametrize(
    ("text", "perpetrator"),
    [
        # a responsibility claim names the perpetrator of the attack told before it
        (
            "A bomb exploded at the electricity company's offices in Cochabamba on Friday. The "
            "Tupac Katari Guerrilla Army claimed responsibility for the attack.",
            "tupac katari",
        ),
        # blamed on
        ("Police blamed the shooting of two guards on drug traffickers.", "drug traffickers"),
        # attributed to
        (
            "Two policemen were killed in the capital. The attack was attributed to urban guerrillas.",
            "urban guerrillas",
        ),
        # charged with
        (
            "Gunmen murdered the union leader in Oruro last year. Two soldiers were later charged "
            "with the murder.",
            "soldiers",
        ),
        # a role anchored by membership
        (
            "A column of rebels belonging to the Tupac Katari Guerrilla Army ambushed a police patrol.",
            "tupac katari",
        ),
        # involvement in the act
        (
            "Three guards were shot dead at the mine in Potosi. Prosecutors found evidence of the "
            "involvement of the Red Brigade in the killings.",
            "red brigade",
        ),
        # an accused actor the actor base does not know keeps its own words
        (
            "The car bomb killed a judge in Sucre. The minister blamed smuggling syndicates for the attack.",
            "smuggling syndicates",
        ),
        # coordinated passives share their agent
        (
            "The two organizers were abducted and killed last week by hooded men in Cobija.",
            "hooded men",
        ),
        # unidentified people as doers of violence are kept as an armed actor
        ("Unidentified individuals machine-gunned the senator's car in La Paz.", "unidentified individuals"),
    ],
)
def test_perpetrators(extractor: Any, text: str, perpetrator: str) -> None:
    sources = _names(_incidents(extractor, text), "source_actors")
    assert _has(sources, perpetrator), sources


def test_concealed_doers_are_armed_not_civilians(extractor: Any) -> None:
    events = _incidents(extractor, "Masked men shot three shopkeepers in Santa Cruz on Tuesday.")
    doers = [a for e in events for a in e.source_actors]
    assert doers and all(a.type == "armed_group" for a in doers), doers


def test_a_denied_claim_names_no_perpetrator(extractor: Any) -> None:
    text = "A bomb destroyed a bridge near Villazon on Friday. No group has claimed the attack."
    assert not _has(_names(_incidents(extractor, text), "source_actors"), "group")


def test_a_new_act_in_an_accusation_is_not_an_earlier_one(extractor: Any) -> None:
    """ "blamed X for a car bomb in 1985" is about another act than the shooting told before."""
    text = (
        "Gunmen shot a councilman in Tupiza on Monday. The mayor blamed smugglers for a separate "
        "ambush years ago."
    )
    shooting = [e for e in _incidents(extractor, text) if e.trigger.text == "shot"]
    assert shooting and not _has(_names(shooting, "source_actors"), "smugglers")


def test_claim_of_something_else_names_no_perpetrator(extractor: Any) -> None:
    """A claim about a non-violent act, or an accusation of corruption, is no perpetrator."""
    text = (
        "Soldiers killed four rebels in a clash near Yacuiba. The opposition party claimed credit "
        "for the new law, and the governor was charged with corruption."
    )
    sources = _names(_incidents(extractor, text), "source_actors")
    assert not _has(sources, "opposition") and not _has(sources, "governor"), sources


# --------------------------------------------------------------------------------------------
# linking a claim to its incident (no parse)


def _event(n: int, sentence: int, *, plover: str = "ASSAULT", modality: str = "occurred") -> Event:
    return Event(
        event_id=f"e{n}",
        article_id="a",
        sentence=sentence,
        evidence=Span(text="x", start=n * 10, end=n * 10 + 1),
        trigger=Span(text="x", start=n * 10, end=n * 10 + 1),
        plover_type=plover,
        plover_mode=None,
        cameo_code=None,
        goldstein=None,
        quad_class=4,
        acled_event_type=None,
        acled_sub_event_type=None,
        modality=modality,  # type: ignore[arg-type]
        source_actors=(),
        target_actors=(),
        date=None,
        location=None,
        attribution=Attribution(kind="author"),
        confidence=0.8,
    )


def test_claim_goes_to_the_nearest_incident_before_it() -> None:
    group = ActorRef(name="Red Brigade", type="armed_group")
    events = [_event(1, 0), _event(2, 2), _event(3, 3, plover="CONSULT"), _event(4, 9)]
    out = attach_claims(events, [Claim(sentence=4, role="source", actors=(group,))])
    assert [e.source_actors for e in out] == [(), (group,), (), ()]


def test_claim_skips_denied_incidents_and_falls_back_to_a_far_one() -> None:
    """A denied act is never the claim's; with no incident near, the nearest one before it is."""
    group = ActorRef(name="Red Brigade", type="armed_group")
    events = [_event(1, 0), _event(2, 5, modality="denied")]
    out = attach_claims(events, [Claim(sentence=6, role="source", actors=(group,))])
    assert [e.source_actors for e in out] == [(group,), ()]


def test_claim_about_a_named_act_goes_to_that_act() -> None:
    victim = ActorRef(name="Ana Rojas", type="person")
    events = [_event(1, 1), _event(2, 1)]
    out = attach_claims(events, [Claim(sentence=1, role="target", actors=(victim,), about=(15, 30))])
    assert out[0].target_actors == () and out[1].target_actors == (victim,)


# --------------------------------------------------------------------------------------------
# all-capital text: names the dictionary also knows as words


def _restore(text: str) -> str:
    from eventwatch.extract.casing import restore_case

    names = {"jose", "martinez", "alvarenga", "potosi"}  # what the actor base / gazetteer would say
    return restore_case(text, is_name=names.__contains__, is_acronym=lambda w: w == "FMLN")


def test_restored_case_keeps_given_names_inside_a_run_of_names() -> None:
    text = "THE FMLN KIDNAPPED JOSE MARIA MARTINEZ AND COLONEL RICARDO ALVARENGA IN POTOSI."
    restored = _restore(text)
    assert len(restored) == len(text)
    assert "Jose Maria Martinez" in restored and "colonel Ricardo Alvarenga" in restored
    assert restored.startswith("The FMLN kidnapped")


def test_restored_case_reads_a_given_name_before_a_name(extractor: Any) -> None:
    """ "HECTOR" is a verb to the dictionary and "GILDA" a form of "gild", but before a name they
    are given names; a given name that is also a common word stays a word."""
    text = "THE JUDGE CONDEMNED THE MURDER OF LEADERS HECTOR OQUELI AND GILDA FLORES BY YOUNG SANDINISTS."
    restored = extractor._parseable(text)
    assert "Hector Oqueli" in restored and "Gilda Flores" in restored
    assert "young" in restored


def test_restored_case_leaves_words_outside_names_alone() -> None:
    # "maria" after a comma, "normal" before a plain word: no run of names, no capital
    restored = _restore("THE MARIA, MARTINEZ SAID. A NORMAL DAY IN POTOSI.")
    assert "maria," in restored and "normal day" in restored


# --------------------------------------------------------------------------------------------
# the whole noun phrase as the mention; names the tagger split; lists past descriptions


def _mentions(events: list[Event], side: str) -> set[str]:
    return {
        " ".join(a.mention.text.lower().split())
        for e in events
        for a in getattr(e, side)
        if a.mention is not None
    }


@pytest.mark.parametrize(
    ("text", "mention", "name"),
    [
        # the members of a named group: the mention is the whole phrase, the name stays the group's
        (
            "Five farmers were shot dead near Tumaco on Sunday by presumed members of the ELN.",
            "presumed members of the eln",
            "national liberation army",
        ),
        # a named group nested deep among the modifiers of a common noun
        (
            "Two teachers were murdered on Friday by FARC 9th front members in Caqueta.",
            "farc 9th front members",
            "revolutionary armed forces",
        ),
        # a participle that tells who they were
        (
            "Four men wearing police uniforms kidnapped a rancher near Cucuta yesterday.",
            "four men wearing police uniforms",
            "men",
        ),
    ],
)
def test_mention_covers_the_whole_noun_phrase(extractor: Any, text: str, mention: str, name: str) -> None:
    events = _incidents(extractor, text)
    assert mention in _mentions(events, "source_actors"), _mentions(events, "source_actors")
    assert _has(_names(events, "source_actors"), name)


def test_mention_stops_at_a_comma_and_a_relative_clause(extractor: Any) -> None:
    events = _incidents(extractor, "Soldiers of the 4th brigade, who were on patrol, shot a farmer in Anori.")
    assert all("," not in m and "who" not in m for m in _mentions(events, "source_actors"))


def test_split_personal_name_in_capitals_is_a_victim(extractor: Any) -> None:
    text = "ROSAURA PINZON VELEZ, A SCHOOL TEACHER, WAS KILLED BY GUNMEN IN CALI ON MONDAY."
    assert _has(_names(_incidents(extractor, text), "target_actors"), "pinzon velez")


def test_list_goes_on_past_a_description_after_a_colon(extractor: Any) -> None:
    # the parse hangs the list on the subject; it lists the ones killed, not the killers
    text = (
        "Troops killed three reporters: Tomas Oyarzun, a radio host, Ines Cabral, a camera "
        "operator, and Raul Benitez, a driver."
    )
    events = _incidents(extractor, text)
    names = _names(events, "target_actors")
    assert not _missing(names, ("oyarzun", "cabral", "benitez")), names
    assert _names(events, "source_actors") == {"troops"}


def test_patrols_of_the_army_are_doers(extractor: Any) -> None:
    text = "Army patrols shot two herders near Ocotepeque on Sunday."
    assert _has(_names(_incidents(extractor, text), "source_actors"), "army patrols")


def test_unnamed_doers_of_violence_keep_the_reports_words(extractor: Any) -> None:
    """Issue 3: unknown armed groups are kept as mentions, not dropped."""
    text = "Police said that groups from a new movement attacked the town hall in Arlon."
    events = _incidents(extractor, text)
    assert _names(events, "source_actors") == {"groups"}
