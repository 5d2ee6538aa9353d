"""Date expressions anchored at publication: a table of the rules, and properties over many dates."""

from __future__ import annotations

import calendar
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwatch.extract.dates import normalize_date

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
    ("this week", "2024-11-25", "week", "2024-11-25", "2024-11-28"),
    ("last week", "2024-11-18", "week", "2024-11-18", "2024-11-24"),
    ("earlier this week", "2024-11-25", "week", "2024-11-25", "2024-11-28"),
    ("over the weekend", "2024-11-18", "week", "2024-11-23", "2024-11-24"),
    ("the first week of November", "2024-10-28", "week", "2024-11-01", "2024-11-07"),
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
    ("the 1990s", "1990", "year", "1990-01-01", "1999-12-31"),
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


@pytest.mark.parametrize("text", ["90", "six", "decades", "recent years", "", "   ", "the week", "Hezbollah"])
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
        ("the 1990s", "1990"),
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
        monday = datetime.date.fromisoformat(got_value)
        assert monday.weekday() == 0
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
