"""Date expressions anchored at publication: a table of the rules, and properties over many dates."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwatch.extract.dates import Tense, clause_tense, normalize_date, normalize_entity, reference_spans

PUBLISHED = datetime.date(2024, 11, 28)  # a Thursday, the sample article's date

TABLE: list[tuple[str, str | None, str, str, str]] = [
    # text, value, precision, start, end
    ("Thursday", "2024-11-28", "day", "2024-11-28", "2024-11-28"),
    ("On Thursday", "2024-11-28", "day", "2024-11-28", "2024-11-28"),
    ("Thursday night", "2024-11-28", "day", "2024-11-28", "2024-11-28"),
    ("last Thursday", "2024-11-21", "day", "2024-11-21", "2024-11-21"),
    ("Monday", "2024-11-25", "day", "2024-11-25", "2024-11-25"),
    ("on Friday", "2024-11-22", "day", "2024-11-22", "2024-11-22"),
    ("yesterday", "2024-11-27", "day", "2024-11-27", "2024-11-27"),
    ("today", "2024-11-28", "day", "2024-11-28", "2024-11-28"),
    ("two days ago", "2024-11-26", "day", "2024-11-26", "2024-11-26"),
    ("3 days ago", "2024-11-25", "day", "2024-11-25", "2024-11-25"),
    ("the day before yesterday", "2024-11-26", "day", "2024-11-26", "2024-11-26"),
    # Weeks are ISO weeks (TimeML values), their days in start..end.
    ("this week", "2024-W48", "week", "2024-11-25", "2024-11-28"),
    ("last week", "2024-W47", "week", "2024-11-18", "2024-11-24"),
    ("earlier this week", "2024-W48", "week", "2024-11-25", "2024-11-28"),
    ("over the weekend", "2024-W47-WE", "week", "2024-11-23", "2024-11-24"),
    ("the first week of November", "2024-W44", "week", "2024-11-01", "2024-11-07"),
    ("earlier this month", "2024-11", "month", "2024-11-01", "2024-11-28"),
    ("this month", "2024-11", "month", "2024-11-01", "2024-11-28"),
    ("last month", "2024-10", "month", "2024-10-01", "2024-10-31"),
    ("August", "2024-08", "month", "2024-08-01", "2024-08-31"),
    ("in August", "2024-08", "month", "2024-08-01", "2024-08-31"),
    ("in October", "2024-10", "month", "2024-10-01", "2024-10-31"),
    ("November", "2024-11", "month", "2024-11-01", "2024-11-28"),  # the current month ends at publication
    ("December", "2023-12", "month", "2023-12-01", "2023-12-31"),  # no later than the published month
    ("last November", "2023-11", "month", "2023-11-01", "2023-11-30"),
    ("late October", "2024-10", "month", "2024-10-21", "2024-10-31"),
    ("mid-October", "2024-10", "month", "2024-10-11", "2024-10-20"),
    ("the end of October", "2024-10", "month", "2024-10-21", "2024-10-31"),
    ("March 2023", "2023-03", "month", "2023-03-01", "2023-03-31"),
    ("November 2024", "2024-11", "month", "2024-11-01", "2024-11-30"),  # explicit: not clipped
    ("Nov. 3", "2024-11-03", "day", "2024-11-03", "2024-11-03"),
    ("Dec 3", "2023-12-03", "day", "2023-12-03", "2023-12-03"),
    ("28 November 2024", "2024-11-28", "day", "2024-11-28", "2024-11-28"),
    ("November 28, 2024", "2024-11-28", "day", "2024-11-28", "2024-11-28"),
    ("the 3rd of November", "2024-11-03", "day", "2024-11-03", "2024-11-03"),
    ("2024-11-28", "2024-11-28", "day", "2024-11-28", "2024-11-28"),
    ("11/28/2024", "2024-11-28", "day", "2024-11-28", "2024-11-28"),  # dateparser
    ("Tuesday, November 26", "2024-11-26", "day", "2024-11-26", "2024-11-26"),
    ("2019", "2019", "year", "2019-01-01", "2019-12-31"),
    ("in 2019", "2019", "year", "2019-01-01", "2019-12-31"),
    ("this year", "2024", "year", "2024-01-01", "2024-11-28"),
    ("earlier this year", "2024", "year", "2024-01-01", "2024-11-28"),
    ("last year", "2023", "year", "2023-01-01", "2023-12-31"),
    ("late last year", "2023", "year", "2023-09-01", "2023-12-31"),
    ("mid-2023", "2023", "year", "2023-05-01", "2023-08-31"),
    ("early 2024", "2024", "year", "2024-01-01", "2024-04-30"),
    ("the 1990s", "199", "year", "1990-01-01", "1999-12-31"),  # TimeML's decade value
    ("between March and May", "2024-03", "month", "2024-03-01", "2024-05-31"),
    ("from August to October", "2024-08", "month", "2024-08-01", "2024-10-31"),
    ("between October and January", "2023-10", "month", "2023-10-01", "2024-01-31"),
    ("from August to October 2023", "2023-08", "month", "2023-08-01", "2023-10-31"),
    ("March-May 2024", "2024-03", "month", "2024-03-01", "2024-05-31"),
    ("from 2019 to 2021", "2019", "year", "2019-01-01", "2021-12-31"),
    ("since August", "2024-08", "month", "2024-08-01", "2024-11-28"),
    ("next August", "2025-08", "month", "2025-08-01", "2025-08-31"),
    ("next Monday", "2024-12-02", "day", "2024-12-02", "2024-12-02"),
    ("tomorrow", "2024-11-29", "day", "2024-11-29", "2024-11-29"),
    ("the past three days", "2024-11-26", "day", "2024-11-26", "2024-11-28"),
]


@pytest.mark.parametrize(("text", "value", "precision", "start", "end"), TABLE)
def test_table(text: str, value: str, precision: str, start: str, end: str) -> None:
    got = normalize_date(text, published=PUBLISHED)
    assert got is not None, text
    assert (got.value, got.precision, got.start, got.end) == (value, precision, start, end)
    assert got.text == text


@pytest.mark.parametrize(
    "text",
    ["90", "six", "decades", "", "   ", "the week", "Hezbollah", "three years", "in his 70s", "one day"],
)
def test_not_dates(text: str) -> None:
    assert normalize_date(text, published=PUBLISHED) is None


@pytest.mark.parametrize(
    "text", ["Thursday", "last week", "August", "Nov. 3", "yesterday", "between March and May", "this year"]
)
def test_relative_expressions_need_a_publication_date(text: str) -> None:
    assert normalize_date(text, published=None) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2019", "2019"),
        ("March 2023", "2023-03"),
        ("28 November 2024", "2024-11-28"),
        ("from August to October 2023", "2023-08"),
        ("11/28/2024", "2024-11-28"),
        ("the 1990s", "199"),
        ("the third quarter of 1990", "1990-Q3"),
        ("nineteen ninety-six", "1996"),
    ],
)
def test_absolute_expressions_without_a_publication_date(text: str, value: str) -> None:
    got = normalize_date(text, published=None)
    assert got is not None and got.value == value


def test_datetime_published_is_accepted() -> None:
    got = normalize_date("yesterday", published=datetime.datetime(2024, 11, 28, 23, 59))
    assert got is not None and got.value == "2024-11-27"


def test_last_weekday_on_that_weekday_is_a_week_back() -> None:
    monday = datetime.date(2024, 11, 25)
    assert normalize_date("Monday", published=monday).value == "2024-11-25"  # type: ignore[union-attr]
    assert normalize_date("last Monday", published=monday).value == "2024-11-18"  # type: ignore[union-attr]


# --- properties ------------------------------------------------------------------------------
MONTH_NAMES = [*calendar.month_name[1:], "Nov.", "Sept.", "Jan"]
WEEKDAY_NAMES = [*calendar.day_name, "Thu", "Tues"]
RELATIVE = [
    "this week", "last week", "the past week", "this month", "last month", "earlier this month",
    "this year", "last year", "earlier this year", "yesterday", "today", "two days ago",
    "three weeks ago", "a month ago", "the weekend", "the past three months", "the past two years",
]  # fmt: skip
published_dates = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2090, 12, 31))


def _expressions() -> st.SearchStrategy[str]:
    weekday = st.tuples(st.sampled_from(["", "on ", "last ", "On "]), st.sampled_from(WEEKDAY_NAMES))
    month = st.tuples(
        st.sampled_from(["", "in ", "last ", "early ", "mid-", "late ", "the end of ", "In "]),
        st.sampled_from(MONTH_NAMES),
    )
    day = st.tuples(st.sampled_from(MONTH_NAMES), st.integers(1, 28).map(lambda d: f" {d}"))
    pairs = st.one_of(weekday, month, day)
    return st.one_of(pairs.map("".join), st.sampled_from(RELATIVE))


def _check_shape(got_value: str, precision: str, start: datetime.date, end: datetime.date) -> None:
    assert start <= end
    if precision == "day":
        assert got_value == start.isoformat() == end.isoformat()
    elif precision == "week":
        year, week = got_value.removesuffix("-WE").split("-W")
        monday = datetime.date.fromisocalendar(int(year), int(week), 1)
        assert monday <= start <= monday + datetime.timedelta(days=6)
    elif precision == "month":
        assert len(got_value) == 7 and got_value == start.isoformat()[:7]
    else:
        assert precision == "year" and got_value == str(start.year)


@settings(max_examples=300, deadline=None)
@given(published=published_dates, text=_expressions())
def test_relative_expressions_never_pass_publication(published: datetime.date, text: str) -> None:
    got = normalize_date(text, published=published)
    assert got is not None, text
    assert got.value is not None and got.start is not None and got.end is not None
    start, end = datetime.date.fromisoformat(got.start), datetime.date.fromisoformat(got.end)
    _check_shape(got.value, got.precision, start, end)
    assert end <= published, (text, published, got)
    assert got.text == text


@settings(max_examples=200, deadline=None)
@given(published=published_dates, weekday=st.sampled_from(WEEKDAY_NAMES))
def test_weekday_is_the_latest_on_or_before_publication(published: datetime.date, weekday: str) -> None:
    plain = normalize_date(weekday, published=published)
    last = normalize_date(f"last {weekday}", published=published)
    assert plain is not None and last is not None and plain.value is not None and last.value is not None
    day = datetime.date.fromisoformat(plain.value)
    assert 0 <= (published - day).days <= 6
    assert calendar.day_name[day.weekday()].startswith(weekday[:3])
    assert (published - datetime.date.fromisoformat(last.value)).days in range(1, 8)


@settings(max_examples=200, deadline=None)
@given(published=published_dates, month=st.integers(1, 12))
def test_month_name_is_the_latest_on_or_before_publication(published: datetime.date, month: int) -> None:
    got = normalize_date(calendar.month_name[month], published=published)
    assert got is not None and got.start is not None
    start = datetime.date.fromisoformat(got.start)
    assert start.month == month
    assert start <= published < start.replace(year=start.year + 1)


@settings(max_examples=100, deadline=None)
@given(first=st.integers(1, 12), last=st.integers(1, 12), published=published_dates)
def test_month_ranges_span_both_ends(first: int, last: int, published: datetime.date) -> None:
    text = f"between {calendar.month_name[first]} and {calendar.month_name[last]}"
    got = normalize_date(text, published=published)
    assert got is not None and got.start is not None and got.end is not None
    start, end = datetime.date.fromisoformat(got.start), datetime.date.fromisoformat(got.end)
    assert (start.month, start.day) == (first, 1)
    assert end.month == last and start <= end <= published
    assert (end - start).days < 366


# --- TimeML values: quarters, halves, seasons, decades, references ------------------------------
AUTUMN = datetime.date(2023, 10, 26)  # a Thursday in the fourth quarter

TIMEML: list[tuple[str, str, str]] = [
    # text, value, precision (published 2023-10-26)
    ("the third quarter", "2023-Q3", "month"),
    ("third-quarter", "2023-Q3", "month"),
    ("the fourth quarter", "2023-Q4", "month"),  # the current quarter has begun
    ("the first quarter", "2023-Q1", "month"),
    ("the fiscal second quarter", "2023-Q2", "month"),
    ("the third quarter of 2021", "2021-Q3", "month"),
    ("the 2022 second quarter", "2022-Q2", "month"),
    ("next year's first quarter", "2024-Q1", "month"),
    ("this year's third quarter", "2023-Q3", "month"),
    ("the quarter", "2023-Q3", "month"),  # the last complete quarter
    ("the latest quarter", "2023-Q3", "month"),
    ("last quarter", "2023-Q3", "month"),
    ("the current quarter", "2023-Q4", "month"),
    ("the year-ago quarter", "2022-Q3", "month"),
    ("the year-earlier third quarter", "2022-Q3", "month"),
    ("the same period last year", "2022-Q3", "month"),
    ("the first half", "2023-H1", "month"),
    ("the second half of 2022", "2022-H2", "month"),
    ("this summer", "2023-SU", "month"),
    ("last winter", "2022-WI", "month"),
    ("the spring of 2020", "2020-SP", "month"),
    ("the winter of nineteen ninety-four", "1994-WI", "month"),
    ("the late 1970s", "197", "year"),
    ("the nineties", "199", "year"),
    ("the 20th century", "19", "year"),
    ("fiscal 2022", "2022", "year"),
    ("the current fiscal year", "2023", "year"),
    ("the year", "2023", "year"),
    ("next year", "2024", "year"),
    ("nearly four years ago", "2019", "year"),
    ("January this year", "2023-01", "month"),
    ("June last year", "2022-06", "month"),
    ("this September", "2023-09", "month"),
    ("the year two thousand", "2000", "year"),
    ("now", "PRESENT_REF", "unknown"),
    ("currently", "PRESENT_REF", "unknown"),
    ("recently", "PAST_REF", "unknown"),
    ("recent years", "PAST_REF", "unknown"),
    ("in the past", "PAST_REF", "unknown"),
    ("several years ago", "PAST_REF", "unknown"),
    ("the near future", "FUTURE_REF", "unknown"),
    ("coming months", "FUTURE_REF", "unknown"),
    ("soon", "FUTURE_REF", "unknown"),
    ("the weekend", "2023-W42-WE", "week"),
    ("six weeks ago", "2023-W37", "week"),
    ("late yesterday", "2023-10-25", "day"),
    ("earlier Sunday", "2023-10-22", "day"),
    ("later in the day", "2023-10-26", "day"),
    ("Saturday, October 28", "2023-10-28", "day"),  # the weekday picks the year: a future day
    ("this coming Sunday, October twenty-ninth", "2023-10-29", "day"),
    ("the quarter ended Sept. 30", "2023-Q3", "month"),
    ("the six months ended Aug. 12", "2023-08-12", "day"),
    ("the year ended June 30", "2023-06-30", "day"),
    ("seven a year ago", "2022", "year"),  # a word the NER swept in
]


@pytest.mark.parametrize(("text", "value", "precision"), TIMEML)
def test_timeml_values(text: str, value: str, precision: str) -> None:
    got = normalize_date(text, published=AUTUMN)
    assert got is not None, text
    assert (got.value, got.precision) == (value, precision)


def test_periods_keep_calendar_bounds() -> None:
    quarter = normalize_date("the third quarter", published=AUTUMN)
    assert quarter is not None and (quarter.start, quarter.end) == ("2023-07-01", "2023-09-30")
    winter = normalize_date("last winter", published=AUTUMN)
    assert winter is not None and (winter.start, winter.end) == ("2022-12-01", "2023-02-28")
    now = normalize_date("now", published=AUTUMN)
    assert now is not None and (now.start, now.end) == ("2023-10-26", "2023-10-26")
    past = normalize_date("recently", published=AUTUMN)
    assert past is not None and (past.start, past.end) == (None, "2023-10-26")
    future = normalize_date("soon", published=AUTUMN)
    assert future is not None and (future.start, future.end) == ("2023-10-26", None)


@pytest.mark.parametrize(
    ("text", "tense", "value"),
    [
        ("Dec. 15", None, "2022-12-15"),  # no context: look back, as before
        ("Dec. 15", "past", "2022-12-15"),
        ("Dec. 15", "future", "2023-12-15"),
        ("Dec. 15", "present", "2023-12-15"),  # the nearest
        ("May 3", "present", "2023-05-03"),
        ("March 3", "present", "2024-03-03"),
        ("February", "present", "2024-02"),
        ("April", "present", "2023-04"),
        ("Monday", "future", "2023-10-30"),
        ("Monday", "present", "2023-10-23"),
        ("Thursday", "future", "2023-10-26"),
        ("the third quarter", "future", "2023-Q3"),  # a reported quarter, whatever the tense
    ],
)
def test_tense_picks_the_direction(text: str, tense: Tense | None, value: str) -> None:
    got = normalize_date(text, published=AUTUMN, tense=tense)
    assert got is not None and got.value == value


def test_year_shifts_count_from_the_reference() -> None:
    quarter = normalize_date("the second quarter", published=AUTUMN)
    day = normalize_date("Oct. 3", published=AUTUMN)
    assert quarter is not None and day is not None
    for text in ("a year earlier", "a year ago", "year-earlier", "the year-ago period"):
        got = normalize_date(text, published=AUTUMN, reference=quarter)
        assert got is not None and got.value == "2022-Q2", text
    shifted_day = normalize_date("a year earlier", published=AUTUMN, reference=day)
    assert shifted_day is not None and shifted_day.value == "2022-10-03"
    plain = normalize_date("a year earlier", published=AUTUMN)
    assert plain is not None and plain.value == "2022"
    following = normalize_date("the following month", published=AUTUMN, reference=day)
    assert following is not None and following.value == "2023-11"


# --- spaCy spans in context --------------------------------------------------------------------
@pytest.fixture(scope="module")
def nlp(extractor: Any) -> Any:
    return extractor.nlp


def _entity(doc: Any, text: str) -> Any:
    start = doc.text.index(text)
    span = doc.char_span(start, start + len(text), label="DATE")
    assert span is not None, text
    return span


@pytest.mark.parametrize(
    ("sentence", "date", "tense"),
    [
        ("The council will vote on the plan on Monday.", "Monday", "future"),
        ("The militia attacked the convoy on Monday.", "Monday", "past"),
        ("The minister has said on Monday that talks failed.", "Monday", "past"),
        ("The dividend is payable Dec. 15 to holders.", "Dec. 15", "future"),
        ("The offer was extended until mid-November.", "mid-November", "present"),
        ("Officials say the talks resume Monday.", "Monday", "future"),
    ],
)
def test_clause_tense(nlp: Any, sentence: str, date: str, tense: str) -> None:
    assert clause_tense(_entity(nlp(sentence), date)) == tense


def test_entity_reads_tense_and_reference(nlp: Any) -> None:
    doc = nlp(
        "Acme said its profit rose in the third quarter. Sales grew 5% from a year earlier. "
        "The board will meet on Nov. 2 to discuss the results."
    )
    doc.ents = [_entity(doc, "the third quarter"), _entity(doc, "a year earlier"), _entity(doc, "Nov. 2")]
    values = [normalize_entity(ent, published=AUTUMN) for ent in doc.ents]
    assert [v.value if v else None for v in values] == ["2023-Q3", "2022-Q3", "2023-11-02"]


def test_reference_spans(nlp: Any) -> None:
    doc = nlp(
        "The group now controls the town. It recently said it would leave in the near future. "
        "Talks on the future of the force went on."
    )
    spans = reference_spans(doc)
    assert [span.text for span in spans] == ["now", "recently", "the near future"]
    assert [normalize_entity(span, published=AUTUMN).value for span in spans] == [  # type: ignore[union-attr]
        "PRESENT_REF",
        "PAST_REF",
        "FUTURE_REF",
    ]
