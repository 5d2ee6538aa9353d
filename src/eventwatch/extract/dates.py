"""Date expressions (spaCy DATE/TIME spans) to ``DateValue``s anchored at the article's publication date.

The input is an expression NER already found ("On Thursday", "earlier this month", "Nov. 3",
"the third quarter"); this module never searches running text for dates. Cheap rules of our own
handle the relative and calendar expressions news uses; dateparser is the fallback for explicit
dates in other shapes ("11/28/2024", "Tuesday, November 26"). ``normalize_entity`` reads a spaCy
span in its sentence: the tense of its clause and the date it refers back to.

Values follow TimeML (TIMEX3 ``value``), so they compare with annotated corpora:

* day ``2024-11-28`` (precision day); month ``2024-11`` (month); year ``2024`` (year).
* week ``2024-W48`` (ISO week, precision week); weekend ``2024-W47-WE`` (week).
* quarter ``2024-Q3``, half ``2024-H1``, season ``2024-SU`` / ``-SP`` / ``-FA`` / ``-WI`` (precision
  month: the period is known to whole months; ``start``/``end`` bound it). Seasons are the northern
  meteorological ones (summer = June-August; winter YYYY = December YYYY to February YYYY+1).
* decade ``199`` ("the 1990s"), century ``19`` ("the 20th century") (precision year).
* ``PRESENT_REF`` ("now", "currently"), ``PAST_REF`` ("recently", "in recent years"),
  ``FUTURE_REF`` ("soon", "the future"): precision unknown; ``start``/``end`` give the side of the
  publication date they lie on (PRESENT_REF: the day itself), the open side is None.

``start``/``end`` are always ISO days (inclusive) where the period is known. Consumers that want a
calendar date should read ``start``/``end``, not ``value``.

Choices the rest of eventwatch relies on:

* Relative expressions look back: "Thursday" is the latest Thursday on or before publication,
  "August" the latest August on or before the publication month; "last Thursday" / "last August"
  are strictly before. "next ...", "this September" and "tomorrow" look forward. With the clause's
  tense known (``tense``), a future clause looks forward ("will meet Dec. 15") and a present one
  takes the nearest ("the dividend is payable Dec. 15").
* A relative period that contains the publication date ends on it: "this week", "this month",
  "November" (published 2024-11-28) end on 2024-11-28, since an article cannot report later
  events. Explicit periods ("November 2024", "2024") keep their calendar end: they may be plans.
* Weeks run Monday to Sunday (ISO).
* "early/mid/late October" keep month precision with a third of the month as start..end;
  "mid-2023" keeps year precision with a third of the year.
* A quarter without a year is the latest that has begun ("the third quarter" in November: this
  year's); "the quarter", "the latest quarter" and "last quarter" are the last complete one.
* "a year earlier", "the year-ago quarter": a year before the date the sentence refers to (given
  as ``reference``), at its precision; without one, the year before publication.
* Ranges ("between March and May") take the start's value and precision, and span both ends.
* Without ``published``, relative expressions give None; absolute ones still resolve.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from eventwatch.model import DateValue, Precision

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["Tense", "clause_tense", "normalize_date", "normalize_entity", "reference_spans"]

Date = datetime.date
Tense = Literal["past", "present", "future"]

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
# Spelled-out numbers inside years ("nineteen ninety-six") and days ("March eighth").
_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}  # fmt: skip
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                  "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
                  "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
                  "nineteenth": 19, "twentieth": 20, "thirtieth": 30}  # fmt: skip

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_NUMBER = r"(?P<n>\d{1,3}|" + "|".join(NUMBERS) + r")"
_YEAR = r"(?P<year>(?:1[5-9]|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_PART = r"(?P<part>early|earlier|mid|middle|late|later|end|beginning|start)"
_PART_OF = rf"(?:{_PART}(?:\s*-\s*|\s+)(?:of\s+)?(?:the\s+)?)?"
_LOOK = r"(?:(?P<look>this|last|past|previous|next|coming|this past|this coming)\s+)?"
_APPROX = r"(?:(?:nearly|almost|about|around|some|roughly|just|more than|less than|over|only) )?"
_ORDINAL = r"(?P<nth>first|second|third|fourth|1st|2nd|3rd|4th|last)"

# Words around a date that do not change it.
_LEADING = re.compile(
    r"^(?:on|in|during|at|by|as of|over|throughout|within|around|about|for|of|the|until|till|"
    r"some time|sometime|sometime in|as early as|as late as|its|an|both|just|only|"
    r"approximately|roughly)\s+"
)
_TRAILING = re.compile(r"(?:'s|’s|[\s,.;:!?)(\"'])+$")

_RANGE = re.compile(r"^(?:between|from)\s+(?P<a>.+?)\s+(?:and|to|until|till|through|thru)\s+(?P<b>.+)$")
_DASH_RANGE = re.compile(
    r"^(?P<a>[a-z0-9 .]+?)(?:\s*[-–—]\s*|\s+(?:to|until|till|through|thru)\s+)(?P<b>[a-z0-9 .]+)$"
)

Handler = Callable[[re.Match[str], datetime.date | None, "_Ctx"], DateValue | None]
_RULES: list[tuple[re.Pattern[str], Handler]] = []


class _Ctx:
    """What a rule may know beyond the text: the clause's tense and a reference date."""

    __slots__ = ("reference", "tense")

    def __init__(self, tense: Tense | None = None, reference: DateValue | None = None) -> None:
        self.tense = tense
        self.reference = reference


_NO_CONTEXT = _Ctx()


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


def _iso_week(day: Date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _value(day: Date, precision: Precision) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if precision == "week":
        return _iso_week(day)
    return day.isoformat()


def _make(
    start: Date,
    end: Date,
    precision: Precision,
    *,
    clip: Date | None = None,
    value_day: Date | None = None,
    value: str | None = None,
) -> DateValue | None:
    """A DateValue over start..end; ``clip`` (publication date) caps the end of a past period."""
    if clip is not None and start <= clip < end:
        end = clip
    if end < start:
        return None
    text = value if value is not None else _value(value_day or start, precision)
    return DateValue(value=text, precision=precision, start=start.isoformat(), end=end.isoformat())


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


def _quarter(year: int, quarter: int) -> DateValue | None:
    first = 3 * (quarter - 1) + 1
    start, end = Date(year, first, 1), _month_end(year, first + 2)
    return _make(start, end, "month", value=f"{year:04d}-Q{quarter}")


def _half(year: int, half: int) -> DateValue | None:
    start, end = Date(year, 6 * half - 5, 1), _month_end(year, 6 * half)
    return _make(start, end, "month", value=f"{year:04d}-H{half}")


def _ref(kind: str, published: Date | None) -> DateValue:
    """PRESENT_REF / PAST_REF / FUTURE_REF, bounded on the side of publication that is known."""
    day = published.isoformat() if published else None
    start = day if kind in ("PRESENT_REF", "FUTURE_REF") else None
    end = day if kind in ("PRESENT_REF", "PAST_REF") else None
    return DateValue(value=kind, precision="unknown", start=start, end=end)


def _count(text: str) -> int:
    return int(text) if text.isdigit() else NUMBERS[text]


def _quarter_of(day: Date) -> int:
    return (day.month - 1) // 3 + 1


def _last_complete_quarter(published: Date) -> tuple[int, int]:
    quarter = _quarter_of(published) - 1
    return (published.year, quarter) if quarter else (published.year - 1, 4)


def _pick(candidates: list[Date], published: Date, look: str | None, tense: Tense | None) -> Date:
    """Which of a name's occurrences (sorted) is meant: the latest on or before publication by
    default; the first after for "next", on or after for a future clause; the nearest for a
    present one."""
    if look in ("next", "coming", "this coming"):
        return next((c for c in candidates if c > published), candidates[-1])
    if look is None and tense == "future":
        return next((c for c in candidates if c >= published), candidates[-1])
    if look is None and tense == "present":
        return min(candidates, key=lambda c: (abs((c - published).days), c > published))
    strict = look in ("last", "previous")
    past = [c for c in candidates if c < published or (c == published and not strict)]
    return past[-1] if past else candidates[0]


# --- rules: each returns a DateValue, or None when the expression cannot be anchored ------------
_REFS = {
    # Forms after ``_clean`` dropped "the", "in", "at": "the near future" -> "near future".
    "PRESENT_REF": r"now|right now|just now|currently|current|presently|present|these days|nowadays|"
    r"moment|this moment|present time|this point|this point in time",
    "PAST_REF": r"recently|more recently|most recently|recent|lately|previously|formerly|earlier|once|"
    r"past|years past|(?:recent|past|last) (?:few |several |many )?(?:days|weeks|months|years|decades|"
    r"quarters)(?: and (?:days|weeks|months|years))?|(?:several|a few|many|some|(?:a )?couple of|few|"
    r"a number of) (?:days|weeks|months|years|decades) (?:ago|earlier|before)|years ago|long ago|"
    r"some time ago|a while ago|old days",
    "FUTURE_REF": r"soon|future|near future|distant future|foreseeable future|(?:near|short|long|medium|"
    r"longer|shorter)[- ]term|(?:coming|next few|upcoming|future) (?:days|weeks|months|years|decades|"
    r"quarters)|(?:a )?later date|someday|as soon as possible|days ahead|years ahead|months ahead",
}
for _kind, _pattern in _REFS.items():

    def _make_ref(kind: str) -> Handler:
        def handler(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
            return _ref(kind, published)

        return handler

    _rule(rf"(?:{_pattern})")(_make_ref(_kind))


@_rule(
    r"(?:(?:early|earlier|late|later) )?(?:today|tonight|this (?:morning|afternoon|evening)|the same day|"
    r"(?:earlier|later) (?:in )?(?:the )?day|(?:earlier|later) today)"
)
def _today(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    return _day(published) if published else None


@_rule(
    r"(?:(?:early|earlier|late|later) )?(?:yesterday|last night|(?P<before>(?:the )?day before yesterday))"
    r"(?: (?:morning|afternoon|evening|night))?"
)
def _yesterday(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    if published is None:
        return None
    return _day(published - datetime.timedelta(days=2 if m["before"] else 1))


@_rule(r"(?:(?:early|late) )?(?:tomorrow)(?: (?:morning|afternoon|evening|night))?")
def _tomorrow(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    return _day(published + datetime.timedelta(days=1)) if published else None


@_rule(
    rf"{_APPROX}{_NUMBER} (?:or so )?(?P<unit>day|week|month|quarter|year)s?(?: or so)? "
    r"(?P<dir>ago|earlier|before|later|after|from now|hence)"
)
def _ago(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    if published is None:
        return None
    n, unit = _count(m["n"]), m["unit"]
    sign = 1 if m["dir"] in ("later", "after", "from now", "hence") else -1
    reference = ctx.reference
    if sign < 0 and unit == "year" and n == 1 and reference is not None:
        shifted = _shift_value(reference, years=-1)
        if shifted is not None:
            return shifted
    if unit == "day":
        return _day(published + sign * datetime.timedelta(days=n))
    if unit == "week":
        return _week(_monday(published + sign * datetime.timedelta(weeks=n)), clip=published)
    if unit == "month":
        return _month(*_shift_months(published.year, published.month, sign * n), clip=published)
    if unit == "quarter":
        year, month = _shift_months(published.year, published.month, sign * 3 * n)
        return _quarter(year, (month - 1) // 3 + 1)
    return _year(published.year + sign * n, clip=published)


def _shift_value(reference: DateValue, *, years: int) -> DateValue | None:
    """``reference`` moved by whole years at its own precision ("a year earlier" than a quarter)."""
    value = reference.value or ""
    quarter = re.fullmatch(r"(\d{4})-([QH])(\d)", value)
    if quarter:
        year = int(quarter[1]) + years
        return _quarter(year, int(quarter[3])) if quarter[2] == "Q" else _half(year, int(quarter[3]))
    if reference.start is None or not value[:1].isdigit():
        return None
    start = Date.fromisoformat(reference.start)
    try:
        if reference.precision == "day":
            return _day(start.replace(year=start.year + years))
        if reference.precision == "month" and re.fullmatch(r"\d{4}-\d\d", value):
            return _month(start.year + years, start.month)
    except ValueError:  # 29 February
        return None
    return None


@_rule(
    r"(?:the )?(?:year[- ](?:ago|earlier)|previous[- ]year|prior[- ]year|corresponding|comparable|same)"
    r"(?: (?:year[- ](?:ago|earlier)))?(?: (?P<nth>first|second|third|fourth))?[- ]?(?P<unit>quarter|period)?"
    r"(?: (?:a year (?:ago|earlier)|last year|of (?:last|the previous|the prior) year|in \d{4}))?"
)
def _year_ago_period(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    """ "the year-ago quarter", "year-earlier", "the same period last year": the sentence's
    period a year back; without one, the last complete quarter a year back (or last year)."""
    if published is None:
        return None
    text = m.group(0)
    if "year" not in text and m["unit"] is None:
        return None  # "the same": nothing to shift
    if m["nth"]:
        year = (
            published.year - 1
            if Date(published.year, 3 * _ORDINALS[m["nth"]] + 1, 1) <= published
            else (published.year - 2)
        )
        return _quarter(year, _ORDINALS[m["nth"]] + 1)
    if ctx.reference is not None:
        shifted = _shift_value(ctx.reference, years=-1)
        if shifted is not None and (m["unit"] is None or shifted.precision != "day"):
            return shifted
    if m["unit"] is not None:
        year, quarter = _last_complete_quarter(published)
        return _quarter(year - 1, quarter)
    return _year(published.year - 1)


@_rule(
    rf"{_LOOK}(?:(?P<part>early|earlier|late|later) )?{_WEEKDAY},?"
    r"(?: (?:morning|afternoon|evening|night))?"
)
def _weekday(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    if published is None:
        return None
    target, look = WEEKDAYS[m["weekday"]], m["look"]
    if look in ("next", "coming", "this coming") or (look is None and ctx.tense == "future"):
        ahead = (target - published.weekday()) % 7
        if look is not None and ahead == 0:
            ahead = 7
        return _day(published + datetime.timedelta(days=ahead))
    back = (published.weekday() - target) % 7
    if look in ("last", "past", "previous", "this past") and back == 0:
        back = 7
    return _day(published - datetime.timedelta(days=back))


_STEP = {"this": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}


@_rule(r"(?P<look>this|last|past|previous|next|coming) (?P<unit>day|week|fortnight|month|year)")
def _this_period(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
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
def _weekend(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    """The latest Saturday-Sunday on or before publication; "last weekend" on a weekend: the one before."""
    if published is None:
        return None
    saturday = published - datetime.timedelta(days=(published.weekday() - 5) % 7)
    look = m["look"]
    if look in ("last", "previous", "past") and published.weekday() >= 5:
        saturday -= datetime.timedelta(weeks=1)
    elif look in ("next", "coming") or (look is None and ctx.tense == "future"):
        saturday += datetime.timedelta(weeks=1)
    sunday = saturday + datetime.timedelta(days=1)
    return _make(saturday, sunday, "week", clip=published, value=_iso_week(saturday) + "-WE")


@_rule(rf"(?:past|last|previous) {_NUMBER} (?P<unit>day|week|month|year)s")
def _past_n(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
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


@_rule(rf"{_ORDINAL} week of {_MONTH}(?:,? {_YEAR})?")
def _week_of_month(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
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


# Quarters and halves: "the third quarter", "third-quarter", "the fiscal first quarter", "the 1988
# second quarter", "this year's third quarter", "the fourth quarter of 1990", "first half".
_OF_YEAR = (
    rf"(?:,? (?:of |in )?(?:{_YEAR.replace('year>', 'year2>')}|(?P<look2>this|last|next) year|"
    rf"fiscal (?P<year3>\d{{4}})))?"
)
_QUARTER_HEAD = (
    r"(?:(?P<lead>this|last|next|current|latest|most recent|previous|prior|past|same|that|a) )?"
    rf"(?:(?:{_YEAR}|(?P<look>this|last|next) year)(?:'s)? )?"
    r"(?:(?:fiscal|calendar|flat|strong|weak|disappointing|sluggish)[- ])*"
)


@_rule(
    _QUARTER_HEAD + r"(?:(?P<nth>first|second|third|fourth|final|last|1st|2nd|3rd|4th)[- ])?(?P<unit>quarter|"
    r"half|period)" + _OF_YEAR
)
def _quarter_rule(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    unit, nth, lead = m["unit"], m["nth"], m["lead"]
    year_text = m["year"] or m["year2"] or m["year3"]
    look = m["look"] or m["look2"]
    implied = year_text or lead in ("latest", "most recent") or _is_quarter(ctx.reference)
    if unit == "period" and (nth or not implied):
        return None  # "the latest period", "the 1988 period": a reporting quarter only where one is implied
    if nth is None and unit == "half" and lead in ("last", "past"):
        nth = "last"
    if nth in ("final", "last"):
        nth = "fourth" if unit == "quarter" else "second"
    if unit == "half":
        if nth not in ("first", "second", "1st", "2nd"):
            return None
        half = 1 if nth in ("first", "1st") else 2
        if year_text:
            return _half(int(year_text), half)
        if published is None:
            return None
        year = published.year + (_STEP[look] if look else 0)
        if look is None and Date(year, 6 * half - 5, 1) > published and ctx.tense != "future":
            year -= 1
        return _half(year, half)
    if published is None and not (year_text and nth):
        return None
    if nth is None:
        # "the quarter", "the latest quarter", "last quarter", "the 1988 quarter", "this quarter".
        if published is None:
            return None
        if _is_quarter(ctx.reference) and lead in (None, "that", "same"):
            assert ctx.reference is not None and ctx.reference.value is not None
            year, quarter = int(ctx.reference.value[:4]), int(ctx.reference.value[-1])
        elif lead in ("this", "current"):
            year, quarter = published.year, _quarter_of(published)
        elif lead == "next":
            year, month = _shift_months(published.year, published.month, 3)
            quarter = _quarter_of(Date(year, month, 1))
        else:
            year, quarter = _last_complete_quarter(published)
        if year_text:
            year = int(year_text)
        elif look:
            year = published.year + _STEP[look]
        return _quarter(year, quarter)
    quarter = _ORDINALS[nth] + 1
    if year_text:
        return _quarter(int(year_text), quarter)
    assert published is not None
    if look:
        return _quarter(published.year + _STEP[look], quarter)
    # The latest that has begun, whatever the tense: "third-quarter earnings will be low".
    starts = [Date(published.year + k, 3 * quarter - 2, 1) for k in (-1, 0)]
    return _quarter([s for s in starts if s <= published][-1].year, quarter)


def _is_quarter(value: DateValue | None) -> bool:
    return value is not None and re.fullmatch(r"\d{4}-Q\d", value.value or "") is not None


_SEASONS = {
    "spring": ("SP", 3),
    "summer": ("SU", 6),
    "fall": ("FA", 9),
    "autumn": ("FA", 9),
    "winter": ("WI", 12),
}


@_rule(
    rf"{_LOOK}(?:(?P<part>early|late|mid|middle of the|end of the|beginning of the)[- ])?"
    rf"(?P<season>spring|summer|fall|autumn|winter)(?:,? (?:of )?{_YEAR})?"
)
def _season(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    code, first = _SEASONS[m["season"]]
    look = m["look"]
    if m["year"]:
        year = int(m["year"])
    elif published is None:
        return None
    elif look in ("this", "this coming", "next", "coming"):
        year = published.year + (1 if look == "next" else 0)
        if code == "WI" and published.month <= 2 and look == "this":
            year -= 1  # "this winter" in January: the one that began in December
    else:
        candidates = [Date(published.year + k, first, 1) for k in (-2, -1, 0, 1)]
        if look in ("last", "past", "previous", "this past"):  # the latest that has ended
            ended = [c for c in candidates if _season_end(c) < published]
            year = ended[-1].year
        else:
            year = _pick(candidates, published, None, ctx.tense).year
    start = Date(year, first, 1)
    return _make(start, _season_end(start), "month", value=f"{year:04d}-{code}")


def _season_end(start: Date) -> Date:
    year, month = _shift_months(start.year, start.month, 2)
    return _month_end(year, month)


@_rule(rf"{_PART_OF}{_LOOK}{_MONTH}(?:,? (?:of )?(?:{_YEAR}|(?P<look2>this|last|next) year))?")
def _month_name(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    month, look, part = MONTHS[m["month"]], m["look"], m["part"]
    if m["year"]:
        return _month(int(m["year"]), month, part=part)
    if published is None:
        return None
    if m["look2"]:
        return _month(published.year + _STEP[m["look2"]], month, part=part)
    if look in ("this", "this coming"):  # "this September": the publication year's
        return _month(published.year, month, part=part, clip=published)
    candidates = [Date(published.year + k, month, 1) for k in (-1, 0, 1)]
    pub_month = published.replace(day=1)
    if look in ("last", "past", "previous", "this past"):
        year = [c for c in candidates if c < pub_month][-1].year
    else:
        year = _pick(candidates, pub_month, look, ctx.tense).year
    if year > published.year or (year == published.year and month > published.month):
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


@_rule(rf"{_LOOK}(?:{_WEEKDAY},? )?{_MONTH} {_DAY}(?:,? {_YEAR})?")
def _month_day(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    return _calendar_day(m, published, ctx)


@_rule(rf"{_LOOK}(?:{_WEEKDAY},? )?{_DAY} (?:of )?{_MONTH}(?:,? {_YEAR})?")
def _day_month(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    return _calendar_day(m, published, ctx)


def _calendar_day(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    """A day of a month; without a year, a named weekday picks the year ("Saturday, April 25"),
    else the tense and ``_pick``."""
    month, day = MONTHS[m["month"]], int(m["day"])
    if m["year"]:
        try:
            return _day(Date(int(m["year"]), month, day))
        except ValueError:
            return None  # "February 30"
    if published is None:
        return None
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(Date(year, month, day))
        except ValueError:
            continue  # 29 February
    if not candidates:
        return None
    look = m["look"]
    if m["weekday"]:
        target = WEEKDAYS[m["weekday"]]
        matching = [c for c in candidates if c.weekday() == target]
        if matching:
            return _day(min(matching, key=lambda c: abs((c - published).days)))
    look = "next" if look in ("this coming", "coming", "next") else None
    return _day(_pick(candidates, published, look, ctx.tense))


@_rule(
    rf"{_PART_OF}(?:fiscal |calendar |the year |the fiscal year |"
    rf"(?:first|last|past) (?:\w+ )?(?:months|weeks|quarters) of )?{_YEAR}"
)
def _year_rule(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    return _year(int(m["year"]), part=m["part"])


@_rule(r"(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)(?:-(?P<day>[0-3]\d))?")
def _iso(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    try:
        if m["day"]:
            return _day(Date(int(m["year"]), int(m["month"]), int(m["day"])))
        return _month(int(m["year"]), int(m["month"]))
    except ValueError:
        return None


@_rule(rf"{_PART_OF}{_LOOK}(?:fiscal |calendar )?year (?:of )?{_YEAR}")
def _the_year(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    return _year(int(m["year"]), part=m["part"])


@_rule(
    r"(?:(?P<part>early|mid|late|middle of the|end of the|beginning of the|first half of the|"
    r"last half of the|second half of the)[- ]?)?'?(?P<century>1\d|20)?(?P<decade>\d)0(?:'?s|’s)"
)
def _decade(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    """ "the 1990s" -> 199 (TimeML's decade); parts of a decade keep the decade's value."""
    if m["century"]:
        first = int(m["century"] + m["decade"] + "0")
    elif published is None:
        return None
    else:  # "the 90s": the latest such decade before publication
        first = (published.year // 100) * 100 + int(m["decade"]) * 10
        if first > published.year:
            first -= 100
    start, end = Date(first, 1, 1), Date(first + 9, 12, 31)
    return _make(start, end, "year", clip=published if not m["century"] else None, value=f"{first // 10:03d}")


@_rule(r"(?P<look>this|last|past|previous|next) decade")
def _this_decade(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    if published is None:
        return None
    first = (published.year // 10 + _STEP[m["look"]]) * 10
    return _make(
        Date(first, 1, 1), Date(first + 9, 12, 31), "year", clip=published, value=f"{first // 10:03d}"
    )


@_rule(r"(?:(?P<part>early|mid|late)[- ])?(?P<nth>\d{1,2})(?:st|nd|rd|th) century")
def _century(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    """ "the 20th century" -> 19 (TimeML's century: the first two digits of its years)."""
    first = (int(m["nth"]) - 1) * 100
    if not 0 < first < 2200:
        return None
    return _make(Date(first, 1, 1), Date(first + 99, 12, 31), "year", value=f"{first // 100:02d}")


@_rule(
    rf"{_PART_OF}(?P<look>this|last|past|previous|next|current|latest|following|prior|coming|same|that) "
    r"(?:fiscal |calendar )?year(?: or so)?"
)
def _part_of_year(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    if published is None:
        return None
    look = m["look"]
    step = {"current": 0, "latest": -1, "following": 1, "prior": -1}.get(look, _STEP.get(look, 0))
    if (
        look in ("following", "same", "that")
        and ctx.reference is not None
        and ctx.reference.start is not None
    ):
        year = Date.fromisoformat(ctx.reference.start).year + step
        return _year(year, part=m["part"])
    return _year(published.year + step, part=m["part"], clip=published if step <= 0 else None)


@_rule(
    rf"(?:{_PART}(?:\s*-\s*|\s+)(?:(?:of|in)\s+)?(?:the\s+)?)?(?:(?:fiscal|calendar|full|whole|entire) )?year"
    r"(?:[- ]end|'s end)?|year[- ](?:end|to[- ]date)|(?:the )?first (?:\w+ )?months of the year"
)
def _the_year_itself(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    """ "the year", "the full year", "year-end", "the end of the year": the publication year."""
    if published is None:
        return None
    part = m["part"] or ("end" if "end" in m.group(0) else None)
    return _year(published.year, part=part, clip=published)


@_rule(rf"{_PART_OF}(?P<look>this|last|past|previous|next) month")
def _part_of_month(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    if published is None:
        return None
    step = _STEP[m["look"]]
    year, month = _shift_months(published.year, published.month, step)
    return _month(year, month, part=m["part"], clip=published if step <= 0 else None)


@_rule(rf"(?:{_PART}(?:\s*-\s*|\s+)(?:(?:of|in)\s+)?(?:the\s+)?)month")
def _part_of_the_month(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    """ "the end of the month", "earlier in the month": the publication month."""
    if published is None:
        return None
    return _month(published.year, published.month, part=m["part"])


@_rule(r"(?:the )?(?P<which>following|previous|next|prior) (?P<unit>day|week|month)")
def _following(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    """ "the following month" after the sentence's date (publication if none)."""
    if published is None:
        return None
    step = 1 if m["which"] in ("following", "next") else -1
    base = published
    if ctx.reference is not None and ctx.reference.start is not None and ctx.reference.value != "PRESENT_REF":
        base = Date.fromisoformat(ctx.reference.start)
    if m["unit"] == "day":
        return _day(base + datetime.timedelta(days=step))
    if m["unit"] == "week":
        return _week(_monday(base) + datetime.timedelta(weeks=step))
    return _month(*_shift_months(base.year, base.month, step))


@_rule(
    r"(?:(?:earlier|later|early|late) (?P<look>this|last|past|previous|next) week|"
    r"(?:the )?(?:end|beginning|start|middle) of (?P<look2>this|last|next) week)"
)
def _part_of_week(m: re.Match[str], published: Date | None, ctx: _Ctx) -> DateValue | None:
    if published is None:
        return None
    step = _STEP[m["look"] or m["look2"]]
    return _week(_monday(published) + datetime.timedelta(weeks=step), clip=published)


def _apply_rules(text: str, published: Date | None, ctx: _Ctx) -> tuple[bool, DateValue | None]:
    """(matched, value): ``matched`` is True when a rule recognised the shape, even if it gave None."""
    for pattern, handler in _RULES:
        m = pattern.fullmatch(text)
        if m is not None:
            return True, handler(m, published, ctx)
    return False, None


# --- the public functions ---------------------------------------------------------------------
def normalize_date(
    text: str, *, published: Date | None, tense: Tense | None = None, reference: DateValue | None = None
) -> DateValue | None:
    """The date ``text`` (a DATE entity) means in an article published on ``published``; None if
    it is not a date or cannot be anchored (a relative expression without ``published``).

    ``tense`` (of the clause the expression modifies) decides which way a bare name looks:
    None or "past" back, "future" forward, "present" the nearest. ``reference`` is the date the
    sentence is about, for expressions that count from it ("a year earlier", "the following month").
    """
    if isinstance(published, datetime.datetime):
        published = published.date()
    result = _normalize(text, published, tense, reference)
    if result is None:
        return None
    return DateValue(result.value, result.precision, result.start, result.end, text=text)


@functools.lru_cache(maxsize=8192)
def _normalize(
    text: str, published: Date | None, tense: Tense | None, reference: DateValue | None
) -> DateValue | None:
    ctx = _Ctx(tense, reference)
    clean = _clean(text)
    if not clean:
        return None
    since = clean.startswith(("since ", "ever since "))
    if since:
        clean = _clean(clean.partition("since ")[2])
    matched, result = _apply_rules(clean, published, ctx)
    if not matched:
        result = _range(clean, published, ctx) or _single(clean, published, ctx, lenient=True)
    if result is not None and since and published is not None and result.end is not None:
        # "since August": from then until publication.
        end = max(published, Date.fromisoformat(result.end))
        result = DateValue(result.value, result.precision, result.start, end.isoformat())
    return result


def _spelled_number(words: str) -> int | None:
    """0-99 written out: "ninety-six", "seven", "twenty one"."""
    parts = words.replace("-", " ").split()
    if len(parts) == 1:
        if parts[0] in _UNITS:
            return _UNITS.index(parts[0])
        return _TENS.get(parts[0])
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS[1:10]:
        return _TENS[parts[0]] + _UNITS.index(parts[1])
    return None


_TENS_WORD = "|".join(_TENS)
_UNIT_WORD = "|".join(sorted(_UNITS, key=len, reverse=True))
_SPELLED_YEAR = re.compile(
    rf"\b(?P<century>nineteen|eighteen|twenty) (?P<rest>(?:{_TENS_WORD})(?:[- ](?:{_UNIT_WORD}))?|"
    rf"(?:{_UNIT_WORD})|hundred)\b|\btwo thousand(?: and)?"
    rf"(?: (?P<small>(?:{_TENS_WORD})(?:[- ](?:{_UNIT_WORD}))?|{_UNIT_WORD}))?\b"
)
_SPELLED_DECADE = re.compile(rf"\b(?:the )?(?P<tens>{'|'.join(w[:-1] + 'ies' for w in _TENS)})\b")
_SPELLED_ORDINAL = re.compile(
    r"\b(?P<tens>twenty|thirty)?[- ]?(?P<unit>"
    + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
    + r")\b"
)


def _digits(text: str) -> str:
    """Spelled-out years, decades and days as digits: "nineteen ninety-six" -> 1996, "the
    nineties" -> the 90s, "March eighth" -> March 8."""

    def year(m: re.Match[str]) -> str:
        if m["century"]:
            rest = 0 if m["rest"] == "hundred" else _spelled_number(m["rest"])
            if rest is None or (m["rest"] in _UNITS and m["rest"] != "hundred" and rest >= 10):
                return m.group(0)
            return str({"eighteen": 1800, "nineteen": 1900, "twenty": 2000}[m["century"]] + rest)
        small = _spelled_number(m["small"]) if m["small"] else 0
        return m.group(0) if small is None else str(2000 + small)

    text = _SPELLED_YEAR.sub(year, text)
    text = _SPELLED_DECADE.sub(lambda m: f"the {_TENS[m['tens'][:-3] + 'y']}s", text)
    if _MONTH_WORD.search(text):

        def ordinal(m: re.Match[str]) -> str:
            if m["unit"] in ("first", "second", "third", "fourth", "last") and not m["tens"]:
                # "the first quarter" / "the second half": keep the word unless it follows a month
                return m.group(0)
            return str((_TENS[m["tens"]] if m["tens"] else 0) + _ORDINAL_WORDS[m["unit"]])

        text = re.sub(
            rf"({_MONTH_WORD.pattern}) ({_SPELLED_ORDINAL.pattern})", lambda m: f"{m[1]} {ordinal(m)}", text
        )
    return text


_MONTH_WORD = re.compile(r"\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?")


def _clean(text: str) -> str:
    text = " ".join(text.replace("’", "'").lower().split())
    text = _TRAILING.sub("", text)
    text = _digits(text)
    while True:
        stripped = _LEADING.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


_ENDED = re.compile(r"^(?P<period>.+?),? (?:ended|ending|that ended|which ended|to end|through) (?P<day>.+)$")


def _single(text: str, published: Date | None, ctx: _Ctx, *, lenient: bool = False) -> DateValue | None:
    """One expression: the rules, "<period> ended <day>", dateparser; ``lenient`` also drops up to
    three words the NER swept in before the date ("seven a year ago")."""
    matched, value = _apply_rules(text, published, ctx)
    if matched:
        return value
    ended = _ENDED.fullmatch(text)
    if ended:
        # "the third quarter ended Sept. 30": the quarter; "the six months ended Aug. 12": the day.
        day = _single(_clean(ended["day"]), published, ctx)
        period_matched, period = _apply_rules(_clean(ended["period"]), published, ctx)
        if period_matched and period is not None and period.precision != "year":
            return period
        return day
    parsed = _dateparser(text, published)
    if parsed is not None:
        return parsed
    if not lenient:
        return None
    words = text.split()
    for cut in range(1, min(3, len(words) - 1) + 1):
        if words[cut - 1] in _POSSESSIVES:
            return None  # "his 70s" is an age
        matched, value = _apply_rules(" ".join(words[cut:]), published, ctx)
        if matched and value is not None:
            return value
    return None


_POSSESSIVES = frozenset({"his", "her", "their", "my", "our", "your"})


def _range(text: str, published: Date | None, ctx: _Ctx) -> DateValue | None:
    """'between March and May', 'from August to October', 'March-May 2024', '2019-2021'."""
    m = _RANGE.fullmatch(text) or _DASH_RANGE.fullmatch(text)
    if m is None:
        return None
    a, b = _clean(m["a"]), _clean(m["b"])
    if not a or not b or (a.isdigit() and b.isdigit() and not (len(a) == 4 and len(b) == 4)):
        return None  # "90-100" is a count, not a range of dates
    end = _single(b, published, _NO_CONTEXT)
    if end is None or end.end is None or end.start is None:
        return None
    # A start without a year is read back from the end: "from August to October 2023" is from
    # August 2023, "between October and January" (published 2024-11) from October 2023.
    anchor = published if re.search(r"\d{4}", a) else Date.fromisoformat(end.end)
    start = _single(a, anchor, _NO_CONTEXT)
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


# --- spaCy spans in context ---------------------------------------------------------------------
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "ll"})
_PAST_TAGS = frozenset({"VBD"})
_PRESENT_TAGS = frozenset({"VBZ", "VBP"})
# Words that put the date they govern ahead of the report: "payable Dec. 15", "effective Feb. 1",
# "scheduled for Monday".
_SCHEDULE_WORDS = frozenset(
    {"payable", "due", "effective", "scheduled", "slated", "expire", "expires", "expiring", "resume"}
)
# Prepositions that bound a period which often runs past the report: "until mid-November",
# "extended to Nov. 16", "through January": the nearest reading.
_UNTIL_PREPS = frozenset({"until", "till", "through", "to", "by"})


def clause_tense(span: Span) -> Tense | None:
    """The tense of the clause a date expression modifies, read from the governing verb and its
    auxiliaries: "will"/"shall" or a scheduling word ("payable Dec. 15") future; a past form (or a
    perfect: "has said Tuesday") past; a present form, an infinitive, another modal or a bounding
    preposition ("until mid-November") present; None where no verb governs it."""
    token: Token = span.root
    if token.head.i != token.i and token.head.lower_ in _UNTIL_PREPS and token.dep_ == "pobj":
        return "present"
    for _ in range(6):
        if token.lower_ in _SCHEDULE_WORDS or token.lemma_ in _SCHEDULE_WORDS:
            return "future"
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("amod", "compound"):
            break
        if token.head.i == token.i:
            return None
        token = token.head
    else:
        return None
    if token.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [child for child in token.children if child.dep_ in ("aux", "auxpass")]
    words = {aux.lower_ for aux in auxes}
    if words & _FUTURE_AUX or "going" in words:
        return "future"
    if words & {"have", "has", "had", "'ve", "'d"}:
        return "past"
    tags = {token.tag_} | {aux.tag_ for aux in auxes}
    if tags & _PAST_TAGS:
        return "past"
    if tags & _PRESENT_TAGS or "MD" in tags or "to" in words:
        return "present"
    return None


_COUNTS_BACK = re.compile(
    r"\b(?:year[- ](?:ago|earlier)|a year (?:ago|earlier|before)|(?:the )?(?:following|previous|prior) "
    r"(?:day|week|month|year)|(?:the )?same (?:year|period)|that year|"
    r"(?:the|that|this) (?:quarter|period)|\d{4} (?:quarter|period)|"
    r"(?:last|previous|prior) year's (?:quarter|period))\b",
    re.IGNORECASE,
)
_SENTENCES_BACK = 4  # how far back a reporting quarter stays the topic


def normalize_entity(span: Span, *, published: Date | None) -> DateValue | None:
    """``normalize_date`` for a DATE/TIME entity in its sentence: with the tense of its clause, and
    for expressions that count from the sentence's date ("a year earlier", "the year-ago
    quarter"), the nearest earlier date entity of its sentence, else the latest quarter named in
    the few sentences before (earnings reports compare with the year-ago quarter)."""
    while len(span) > 1 and span[0].pos_ in ("VERB", "AUX"):
        span = span[1:]  # "(would) last 42 days": the NER swept in the verb; the rest is a duration
    text = span.text
    reference = _reference(span, published) if _COUNTS_BACK.search(text) else None
    return normalize_date(text, published=published, tense=clause_tense(span), reference=reference)


def _reference(span: Span, published: Date | None) -> DateValue | None:
    """The date an anaphoric expression counts from (see ``normalize_entity``)."""
    doc = span.doc
    sentence_start = span.sent.start
    window_start = sentence_start
    for _ in range(_SENTENCES_BACK):
        if window_start == 0:
            break
        window_start = doc[window_start - 1].sent.start
    candidates = [
        ent
        for ent in doc.ents
        if ent.label_ in ("DATE", "TIME") and window_start <= ent.start and ent.end <= span.start
    ]
    for ent in reversed(candidates):
        if _COUNTS_BACK.search(ent.text):
            continue
        value = normalize_date(ent.text, published=published, tense=clause_tense(ent))
        if value is None or not (value.value or "")[:1].isdigit():
            continue
        if ent.start >= sentence_start or _is_quarter(value):
            return value
    return None


# Adverbs and phrases TimeML annotates as PRESENT_REF / PAST_REF / FUTURE_REF that the NER does
# not tag; those that are mostly temporal in news.
_REF_WORDS = frozenset({"now", "currently", "recently", "nowadays", "presently"})


def reference_spans(doc: Any) -> list[Span]:
    """Spans of ``doc`` for "now", "currently", "recently" and "the (near) future", outside any
    entity: temporal references the NER leaves out, as DATE mentions (see ``normalize_date``)."""
    taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    spans: list[Span] = []
    for token in doc:
        if token.i in taken:
            continue
        if token.lower_ in _REF_WORDS and token.pos_ in ("ADV", "ADJ") and token.dep_ != "compound":
            start = (
                token.i - 1
                if token.i > 0 and doc[token.i - 1].lower_ in ("right", "just", "more")
                else token.i
            )
            spans.append(doc[start : token.i + 1])
        elif token.lower_ == "future" and token.pos_ == "NOUN" and token.i > 0:
            first = token.i - 1
            if doc[first].lower_ in ("near", "distant", "foreseeable") and first > 0:
                first -= 1
            follows_of = token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "of"  # "the future of X"
            if doc[first].lower_ == "the" and not follows_of and not taken & set(range(first, token.i)):
                spans.append(doc[first : token.i + 1])
    return spans
