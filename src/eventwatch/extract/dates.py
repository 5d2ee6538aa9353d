"""Date expressions (spaCy DATE spans) to ``DateValue``s anchored at the article's publication date.

The input is an expression NER already found ("On Thursday", "earlier this month", "Nov. 3",
"between March and May"); this module never searches running text. Cheap rules of our own handle
the relative and calendar expressions news uses; dateparser is the fallback for explicit dates in
other shapes ("11/28/2024", "Tuesday, November 26").

Choices the rest of eventwatch relies on:

* Relative expressions look back: "Thursday" is the latest Thursday on or before publication,
  "August" the latest August on or before the publication month; "last Thursday" / "last August"
  are strictly before. "next ..." and "tomorrow" look forward.
* A relative period that contains the publication date ends on it: "this week", "this month",
  "November" (published 2024-11-28) end on 2024-11-28, since an article cannot report later
  events. Explicit periods ("November 2024", "2024") keep their calendar end: they may be plans.
* Weeks run Monday to Sunday; a week's ``value`` is its Monday (YYYY-MM-DD).
* "early/mid/late October" keep month precision with a third of the month as start..end;
  "mid-2023" keeps year precision with a third of the year.
* A decade ("the 1990s") is a year-precision range whose ``value`` is its first year.
* Ranges ("between March and May") take the start's value and precision, and span both ends.
* Without ``published``, relative expressions give None; absolute ones still resolve.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Callable
from typing import Any

from eventwatch.model import DateValue, Precision

__all__ = ["normalize_date"]

Date = datetime.date

MONTHS: dict[str, int] = {}
for _number, _name in enumerate(calendar.month_name[1:], start=1):
    MONTHS[_name.lower()] = _number
    MONTHS[_name[:3].lower()] = _number
MONTHS["sept"] = 9
WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.day_name)}
WEEKDAYS.update({name.lower(): i for i, name in enumerate(calendar.day_abbr)})
WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30,
}  # fmt: skip

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_NUMBER = r"(?P<n>\d{1,3}|" + "|".join(NUMBERS) + r")"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_PART = r"(?P<part>early|earlier|mid|middle|late|later|end|beginning|start)"
_PART_OF = rf"(?:{_PART}(?:\s*-\s*|\s+)(?:of\s+)?)?"
_LOOK = r"(?:(?P<look>this|last|past|previous|next|coming)\s+)?"
_PERIOD_WORDS = "|".join(("day", "week", "weekend", "month", "year", "fortnight"))

# Words around a date that do not change it.
_LEADING = re.compile(
    r"^(?:on|in|during|at|by|as of|over|throughout|within|around|about|for|of|the|until|till|"
    r"some time|sometime|sometime in|as early as|as late as)\s+"
)
_TRAILING = re.compile(r"(?:'s|’s|[\s,.;:!?)(\"'])+$")

_RANGE = re.compile(r"^(?:between|from)\s+(?P<a>.+?)\s+(?:and|to|until|till|through|thru)\s+(?P<b>.+)$")
_DASH_RANGE = re.compile(
    r"^(?P<a>[a-z0-9 .]+?)(?:\s*[-–—]\s*|\s+(?:to|until|till|through|thru)\s+)(?P<b>[a-z0-9 .]+)$"
)

Handler = Callable[[re.Match[str], datetime.date | None], DateValue | None]
_RULES: list[tuple[re.Pattern[str], Handler]] = []


def _rule(pattern: str) -> Callable[[Handler], Handler]:
    """Register a rule: a full-match pattern and its handler; the first matching rule decides."""

    def register(func: Handler) -> Handler:
        _RULES.append((re.compile(pattern), func))
        return func

    return register


# --- small calendar helpers -------------------------------------------------------------------
def _month_end(year: int, month: int) -> Date:
    return Date(year, month, calendar.monthrange(year, month)[1])


def _monday(day: Date) -> Date:
    return day - datetime.timedelta(days=day.weekday())


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _value(day: Date, precision: Precision) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _make(
    start: Date, end: Date, precision: Precision, *, clip: Date | None = None, value_day: Date | None = None
) -> DateValue | None:
    """A DateValue over start..end; ``clip`` (publication date) caps the end of a past period."""
    if clip is not None and start <= clip < end:
        end = clip
    if end < start:
        return None
    value = _value(value_day or start, precision)
    return DateValue(value=value, precision=precision, start=start.isoformat(), end=end.isoformat())


def _day(day: Date, clip: Date | None = None) -> DateValue | None:
    return _make(day, day, "day", clip=clip)


def _month(year: int, month: int, *, part: str | None = None, clip: Date | None = None) -> DateValue | None:
    start, end = Date(year, month, 1), _month_end(year, month)
    if part in ("early", "beginning", "start"):
        end = Date(year, month, 10)
    elif part in ("mid", "middle"):
        start, end = Date(year, month, 11), Date(year, month, 20)
    elif part in ("late", "end"):
        start = Date(year, month, 21)
    # "earlier"/"later" this month: the whole month, clipped.
    return _make(start, end, "month", clip=clip, value_day=Date(year, month, 1))


def _year(year: int, *, part: str | None = None, clip: Date | None = None) -> DateValue | None:
    start, end = Date(year, 1, 1), Date(year, 12, 31)
    if part in ("early", "beginning", "start"):
        end = Date(year, 4, 30)
    elif part in ("mid", "middle"):
        start, end = Date(year, 5, 1), Date(year, 8, 31)
    elif part in ("late", "end"):
        start = Date(year, 9, 1)
    return _make(start, end, "year", clip=clip, value_day=Date(year, 1, 1))


def _week(monday: Date, *, clip: Date | None = None, start: Date | None = None) -> DateValue | None:
    return _make(start or monday, monday + datetime.timedelta(days=6), "week", clip=clip, value_day=monday)


def _count(text: str) -> int:
    return int(text) if text.isdigit() else NUMBERS[text]


# --- rules: each returns a DateValue, or None when the expression cannot be anchored ------------
@_rule(r"(?:today|tonight|this (?:morning|afternoon|evening))")
def _today(m: re.Match[str], published: Date | None) -> DateValue | None:
    return _day(published) if published else None


@_rule(
    r"(?:yesterday|last night|(?P<before>(?:the )?day before yesterday))(?: (?:morning|afternoon|evening))?"
)
def _yesterday(m: re.Match[str], published: Date | None) -> DateValue | None:
    if published is None:
        return None
    return _day(published - datetime.timedelta(days=2 if m["before"] else 1))


@_rule(r"(?:tomorrow)(?: (?:morning|afternoon|evening|night))?")
def _tomorrow(m: re.Match[str], published: Date | None) -> DateValue | None:
    return _day(published + datetime.timedelta(days=1)) if published else None


@_rule(rf"{_NUMBER} (?P<unit>day|week|month|year)s? (?:ago|earlier|before)")
def _ago(m: re.Match[str], published: Date | None) -> DateValue | None:
    if published is None:
        return None
    n, unit = _count(m["n"]), m["unit"]
    if unit == "day":
        return _day(published - datetime.timedelta(days=n))
    if unit == "week":
        return _week(_monday(published - datetime.timedelta(weeks=n)), clip=published)
    if unit == "month":
        return _month(*_shift_months(published.year, published.month, -n), clip=published)
    return _year(published.year - n, clip=published)


@_rule(rf"{_LOOK}{_WEEKDAY}(?: (?:morning|afternoon|evening|night))?")
def _weekday(m: re.Match[str], published: Date | None) -> DateValue | None:
    if published is None:
        return None
    target, look = WEEKDAYS[m["weekday"]], m["look"]
    if look in ("next", "coming"):
        return _day(published + datetime.timedelta(days=(target - published.weekday() - 1) % 7 + 1))
    back = (published.weekday() - target) % 7
    if look in ("last", "past", "previous") and back == 0:
        back = 7
    return _day(published - datetime.timedelta(days=back))


_STEP = {"this": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}


@_rule(r"(?P<look>this|last|past|previous|next|coming) (?P<unit>day|week|fortnight|month|year)")
def _this_period(m: re.Match[str], published: Date | None) -> DateValue | None:
    if published is None:
        return None
    look, unit = m["look"], m["unit"]
    step = _STEP[look]
    if unit == "day":
        return _day(published + datetime.timedelta(days=step))
    if unit in ("week", "fortnight"):
        if look == "past" or unit == "fortnight":  # "the past week": the seven (fourteen) days to publication
            start = published - datetime.timedelta(days=13 if unit == "fortnight" else 6)
            return _make(start, published, "week", value_day=_monday(start))
        return _week(_monday(published) + datetime.timedelta(weeks=step), clip=published)
    if unit == "month":
        if look == "past":  # the thirty days to publication
            start = published - datetime.timedelta(days=29)
            return _make(start, published, "month", value_day=start.replace(day=1))
        return _month(*_shift_months(published.year, published.month, step), clip=published)
    if look == "past":  # the twelve months to publication
        start = published - datetime.timedelta(days=364)
        return _make(start, published, "year", value_day=Date(start.year, 1, 1))
    return _year(published.year + step, clip=published)


@_rule(r"(?:(?P<look>this|last|past|previous|next|coming) )?weekend")
def _weekend(m: re.Match[str], published: Date | None) -> DateValue | None:
    """The latest Saturday-Sunday on or before publication; "last weekend" on a weekend: the one before."""
    if published is None:
        return None
    saturday = published - datetime.timedelta(days=(published.weekday() - 5) % 7)
    look = m["look"]
    if look in ("last", "previous", "past") and published.weekday() >= 5:
        saturday -= datetime.timedelta(weeks=1)
    elif look in ("next", "coming"):
        saturday += datetime.timedelta(weeks=1)
    sunday = saturday + datetime.timedelta(days=1)
    return _make(saturday, sunday, "week", clip=published, value_day=_monday(saturday))


@_rule(rf"(?:past|last|previous) {_NUMBER} (?P<unit>day|week|month|year)s")
def _past_n(m: re.Match[str], published: Date | None) -> DateValue | None:
    """E.g. "the past three days": a rolling period ending at publication, at the unit's precision."""
    if published is None:
        return None
    n, unit = _count(m["n"]), m["unit"]
    if unit == "day":
        return _make(published - datetime.timedelta(days=n - 1), published, "day")
    if unit == "week":
        start = published - datetime.timedelta(weeks=n) + datetime.timedelta(days=1)
        return _make(start, published, "week", value_day=_monday(start))
    if unit == "month":
        year, month = _shift_months(published.year, published.month, -n)
        start = Date(year, month, min(published.day, calendar.monthrange(year, month)[1]))
        start += datetime.timedelta(days=1)
        return _make(start, published, "month", value_day=start.replace(day=1))
    try:
        start = published.replace(year=published.year - n) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        start = Date(published.year - n, 3, 1)
    return _make(start, published, "year", value_day=Date(start.year, 1, 1))


_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3}


@_rule(rf"(?P<nth>first|1st|second|2nd|third|3rd|fourth|4th|last) week of {_MONTH}(?:,? {_YEAR})?")
def _week_of_month(m: re.Match[str], published: Date | None) -> DateValue | None:
    """E.g. "the first week of November": days 1-7 (8-14, ...; "last": the final seven days)."""
    month, nth = MONTHS[m["month"]], m["nth"]
    if m["year"]:
        return _nth_week(nth, int(m["year"]), month)
    year = _month_year(month, None, published)
    if year is None or published is None:
        return None
    value = _nth_week(nth, year, month, clip=published)
    if value is not None and value.start is not None and Date.fromisoformat(value.start) > published:
        value = _nth_week(nth, year - 1, month)
    return value


def _nth_week(nth: str, year: int, month: int, *, clip: Date | None = None) -> DateValue | None:
    if nth == "last":
        start = _month_end(year, month) - datetime.timedelta(days=6)
    else:
        start = Date(year, month, 1) + datetime.timedelta(weeks=_ORDINALS[nth])
    return _make(start, start + datetime.timedelta(days=6), "week", clip=clip, value_day=_monday(start))


@_rule(rf"{_PART_OF}{_LOOK}{_MONTH}(?:,? (?:of )?{_YEAR})?")
def _month_name(m: re.Match[str], published: Date | None) -> DateValue | None:
    month, look, part = MONTHS[m["month"]], m["look"], m["part"]
    if m["year"]:
        return _month(int(m["year"]), month, part=part)
    year = _month_year(month, look, published)
    if year is None or published is None:
        return None
    if look in ("next", "coming"):
        return _month(year, month, part=part)
    value = _month(year, month, part=part, clip=published)
    # "late November" on 5 November is last year's: the part has not begun yet.
    if value is not None and value.start is not None and Date.fromisoformat(value.start) > published:
        value = _month(year - 1, month, part=part)
    return value


def _month_year(month: int, look: str | None, published: Date | None) -> int | None:
    """The year of a month named without one: the latest on or before publication ("last": before)."""
    if published is None:
        return None
    year = published.year
    if look in ("next", "coming"):
        return year + (1 if month <= published.month else 0)
    if month > published.month or (look in ("last", "past", "previous") and month == published.month):
        year -= 1
    return year


@_rule(rf"(?:{_WEEKDAY},? )?{_MONTH} {_DAY}(?:,? {_YEAR})?")
def _month_day(m: re.Match[str], published: Date | None) -> DateValue | None:
    return _calendar_day(m, published)


@_rule(rf"(?:{_WEEKDAY},? )?{_DAY} (?:of )?{_MONTH}(?:,? {_YEAR})?")
def _day_month(m: re.Match[str], published: Date | None) -> DateValue | None:
    return _calendar_day(m, published)


def _calendar_day(m: re.Match[str], published: Date | None) -> DateValue | None:
    month, day = MONTHS[m["month"]], int(m["day"])
    if m["year"]:
        year = int(m["year"])
    elif published is None:
        return None
    else:
        year = published.year
        if (month, day) > (published.month, published.day):
            year -= 1
    try:
        return _day(Date(year, month, day))
    except ValueError:
        return None  # "February 30"


@_rule(rf"{_PART_OF}{_YEAR}")
def _year_rule(m: re.Match[str], published: Date | None) -> DateValue | None:
    return _year(int(m["year"]), part=m["part"])


@_rule(r"(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)(?:-(?P<day>[0-3]\d))?")
def _iso(m: re.Match[str], published: Date | None) -> DateValue | None:
    try:
        if m["day"]:
            return _day(Date(int(m["year"]), int(m["month"]), int(m["day"])))
        return _month(int(m["year"]), int(m["month"]))
    except ValueError:
        return None


@_rule(rf"{_PART_OF}{_LOOK}year (?:of )?{_YEAR}")
def _the_year(m: re.Match[str], published: Date | None) -> DateValue | None:
    return _year(int(m["year"]), part=m["part"])


@_rule(rf"{_PART_OF}(?P<century>19|20)?(?P<decade>\d)0(?:'?s|’s)")
def _decade(m: re.Match[str], published: Date | None) -> DateValue | None:
    if m["century"]:
        first = int(m["century"] + m["decade"] + "0")
    elif published is None:
        return None
    else:  # "the 90s": the latest such decade before publication
        first = (published.year // 100) * 100 + int(m["decade"]) * 10
        if first > published.year:
            first -= 100
    start, end = Date(first, 1, 1), Date(first + 9, 12, 31)
    return _make(start, end, "year", clip=published if not m["century"] else None)


@_rule(rf"{_PART_OF}(?P<look>this|last|past|previous|next) year")
def _part_of_year(m: re.Match[str], published: Date | None) -> DateValue | None:
    if published is None:
        return None
    step = _STEP[m["look"]]
    return _year(published.year + step, part=m["part"], clip=published if step <= 0 else None)


@_rule(rf"{_PART_OF}(?P<look>this|last|past|previous|next) month")
def _part_of_month(m: re.Match[str], published: Date | None) -> DateValue | None:
    if published is None:
        return None
    step = _STEP[m["look"]]
    year, month = _shift_months(published.year, published.month, step)
    return _month(year, month, part=m["part"], clip=published if step <= 0 else None)


@_rule(r"(?:earlier|later|early|late) (?P<look>this|last|past|previous|next) week")
def _part_of_week(m: re.Match[str], published: Date | None) -> DateValue | None:
    if published is None:
        return None
    step = _STEP[m["look"]]
    return _week(_monday(published) + datetime.timedelta(weeks=step), clip=published)


def _apply_rules(text: str, published: Date | None) -> tuple[bool, DateValue | None]:
    """(matched, value): ``matched`` is True when a rule recognised the shape, even if it gave None."""
    for pattern, handler in _RULES:
        m = pattern.fullmatch(text)
        if m is not None:
            return True, handler(m, published)
    return False, None


# --- the public function ----------------------------------------------------------------------
def normalize_date(text: str, *, published: Date | None) -> DateValue | None:
    """The date ``text`` (a DATE entity) means in an article published on ``published``; None if
    it is not a date or cannot be anchored (a relative expression without ``published``)."""
    if isinstance(published, datetime.datetime):
        published = published.date()
    result = _normalize(text, published)
    if result is None:
        return None
    return DateValue(result.value, result.precision, result.start, result.end, text=text)


@functools.lru_cache(maxsize=8192)
def _normalize(text: str, published: Date | None) -> DateValue | None:
    clean = _clean(text)
    if not clean:
        return None
    since = clean.startswith(("since ", "ever since "))
    if since:
        clean = _clean(clean.partition("since ")[2])
    result = _range(clean, published) or _single(clean, published)
    if result is not None and since and published is not None and result.end is not None:
        # "since August": from then until publication.
        end = max(published, Date.fromisoformat(result.end))
        result = DateValue(result.value, result.precision, result.start, end.isoformat())
    return result


def _clean(text: str) -> str:
    text = " ".join(text.replace("’", "'").lower().split())
    text = _TRAILING.sub("", text)
    while True:
        stripped = _LEADING.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def _single(text: str, published: Date | None) -> DateValue | None:
    matched, value = _apply_rules(text, published)
    if matched:
        return value
    return _dateparser(text, published)


def _range(text: str, published: Date | None) -> DateValue | None:
    """'between March and May', 'from August to October', 'March-May 2024', '2019-2021'."""
    m = _RANGE.fullmatch(text) or _DASH_RANGE.fullmatch(text)
    if m is None:
        return None
    a, b = _clean(m["a"]), _clean(m["b"])
    if not a or not b or (a.isdigit() and b.isdigit() and not (len(a) == 4 and len(b) == 4)):
        return None  # "90-100" is a count, not a range of dates
    end = _single(b, published)
    if end is None or end.end is None:
        return None
    # A start without a year is read back from the end: "from August to October 2023" is from
    # August 2023, "between October and January" (published 2024-11) from October 2023.
    anchor = published if re.search(r"\d{4}", a) else Date.fromisoformat(end.end)
    start = _single(a, anchor)
    if start is None or start.start is None or start.start > end.end:
        return None
    return DateValue(start.value, start.precision, start.start, end.end)


_DATEPARSER_GUARD = re.compile(
    r"\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}|\b" + _MONTH.replace("(?P<month>", "(?:") + r"\b"
)


def _dateparser(text: str, published: Date | None) -> DateValue | None:
    """Explicit dates in shapes the rules do not know; guarded so counts ("90") never become years."""
    if not _DATEPARSER_GUARD.search(text):
        return None
    parser = _date_data_parser(published)
    data = parser.get_date_data(text)
    if data.date_obj is None:
        return None
    parts = tuple(getattr(data, "parts", None) or ())
    if published is None and "year" not in parts:
        return None  # dateparser filled in the current year: a relative reading without an anchor
    day = data.date_obj.date()
    period = data.period
    if period == "month":
        return _month(day.year, day.month)
    if period == "year":
        return _year(day.year)
    if period == "week":
        return _week(_monday(day))
    if period in ("day", "time"):
        return _day(day)
    return None


@functools.lru_cache(maxsize=64)
def _date_data_parser(published: Date | None) -> Any:
    import dateparser

    base = datetime.datetime.combine(published or Date(2000, 1, 1), datetime.time())
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,
        "PREFER_DAY_OF_MONTH": "first",
    }
    return dateparser.date.DateDataParser(languages=["en"], settings=settings)
