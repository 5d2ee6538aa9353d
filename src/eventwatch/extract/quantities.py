"""Counts in news sentences: casualties (killed, injured) and reported quantities over periods.

Three layers, each usable alone:

* ``parse_count`` reads one count phrase ("at least 5", "dozens", "between 5 and 7") into a
  ``Count``. Conventions follow ACLED/UCDP and DESIGN.md section 3: the stated floor is coded
  ("more than 20" -> low 20, best 20), a range keeps its lower end as the best estimate, and vague
  words get fixed floors (dozens 12, scores 20, hundreds 100, thousands 1000, several 3, a few 2).
* ``extract_casualties`` finds who was killed and injured in one parsed sentence.
* ``extract_quantities`` finds counts of a kind of event (drone attacks, rockets, displaced
  people, money) with the period each one covers, taken from the sentence's DATE entities.

Number words are read with a small table (no extra dependency): the grammar of English numbers
in news is narrow, and a table keeps the behaviour reviewable.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from eventwatch.model import Bound, Count, DateValue, Period, Quantity, stable_id
from eventwatch.model import Span as TextSpan
from eventwatch.nlp import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "CountSpan",
    "count_bound",
    "extract_casualties",
    "extract_quantities",
    "parse_count",
]

Normalizer = Callable[..., DateValue | None]
Kind = Literal["killed", "injured"]

# --------------------------------------------------------------------------- number words

_UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES: dict[str, int] = {
    "thousand": 1_000, "k": 1_000, "million": 1_000_000, "m": 1_000_000, "mn": 1_000_000,
    "mln": 1_000_000, "billion": 1_000_000_000, "bn": 1_000_000_000, "trillion": 1_000_000_000_000,
}  # fmt: skip
# Vague plurals: the field's floors (DESIGN.md section 3), coded as "at least".
_VAGUE: dict[str, int] = {
    "dozens": 12, "scores": 20, "tens": 10, "hundreds": 100, "thousands": 1_000,
    "millions": 1_000_000, "billions": 1_000_000_000, "several": 3, "a few": 2, "few": 2,
    "a handful": 3, "a couple": 2, "a couple of": 2, "a number of": 2, "numerous": 3,
}  # fmt: skip
_ZERO = re.compile(r"^(?:no(?:\s+one)?|none|nobody|no-one|zero|nil)\b")
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_DIGIT_SUFFIX = re.compile(r"^(\d+(?:\.\d+)?)(k|m|mn|bn)$")

# Modifiers before a number, longest first: (words, reading).
_Reading = Literal["at_least", "at_most", "about"]
_MODIFIERS: tuple[tuple[str, _Reading], ...] = (
    ("no fewer than", "at_least"), ("no less than", "at_least"), ("in excess of", "at_least"),
    ("no more than", "at_most"), ("as many as", "at_most"), ("as much as", "at_most"),
    ("an estimated", "about"), ("at least", "at_least"), ("more than", "at_least"),
    ("upwards of", "at_least"), ("over", "at_least"), ("above", "at_least"),
    ("up to", "at_most"), ("at most", "at_most"), ("fewer than", "at_most"),
    ("less than", "at_most"), ("under", "at_most"), ("nearly", "about"), ("almost", "about"),
    ("about", "about"), ("around", "about"), ("approximately", "about"), ("roughly", "about"),
    ("some", "about"), ("close to", "about"), ("estimated", "about"), ("approx.", "about"),
)  # fmt: skip
_MAX_MODIFIER_LEN = max(len(phrase.split()) for phrase, _ in _MODIFIERS)


def _number_value(text: str) -> float | None:
    """The value of a plain number: digits ("1,200", "3.5 million", "2bn") or words."""
    text = text.strip().lower().replace("\u2009", " ")
    if not text:
        return None
    words = [w for w in re.split(r"[\s\-]+", text) if w and w != "and"]
    if words and words[0] in ("a", "an", "one"):
        words = ["1", *words[1:]] if len(words) > 1 else ["1"]
    total = 0.0
    current: float | None = None
    for word in words:
        suffix = _DIGIT_SUFFIX.match(word)
        if suffix:
            current = (current or 0.0) + float(suffix.group(1)) * _SCALES[suffix.group(2)]
        elif _DIGITS.match(word):
            current = (current or 0.0) + float(word.replace(",", ""))
        elif word in _UNITS:
            current = (current or 0.0) + _UNITS[word]
        elif word == "hundred":
            current = (current if current is not None else 1.0) * 100
        elif word == "dozen":
            current = (current if current is not None else 1.0) * 12
        elif word in _SCALES:
            total += (current if current is not None else 1.0) * _SCALES[word]
            current = None
        else:
            return None
    if current is None and total == 0.0:
        return None
    return total + (current or 0.0)


def _vague_value(text: str) -> float | None:
    """Floors for vague counts: "dozens" 12, "several hundred" 300, "tens of thousands" 10000."""
    words = re.sub(r"\s+of$", "", text.strip().lower())
    if words in _VAGUE:
        return float(_VAGUE[words])
    head, _, rest = words.partition(" of ")
    if rest and head in _VAGUE and rest in _VAGUE:  # "tens of thousands", "hundreds of thousands"
        return float(_VAGUE[head] * _VAGUE[rest])
    for lead in ("several", "a few", "few", "many"):
        if words.startswith(lead + " "):
            tail = words[len(lead) + 1 :]
            tail = tail[:-1] if tail in ("dozens", "hundreds", "thousands", "millions") else tail
            multiplier = 1 if lead == "many" else _VAGUE[lead]
            scale = {"dozen": 12, "hundred": 100, **_SCALES}.get(tail)
            if scale:
                return float(multiplier * scale)
    return None


@dataclass(frozen=True, slots=True)
class _Amount:
    low: float | None
    best: float | None
    high: float | None


def _parse_amount(text: str) -> _Amount | None:
    """``parse_count`` without rounding, so money keeps its decimals."""
    raw = text.strip().lower().replace("\u2013", "-").replace("\u2014", "-")
    raw = re.sub(r"\s+", " ", raw)
    if not raw:
        return None
    reading: _Reading | None = None
    for phrase, kind in _MODIFIERS:
        if raw.startswith(phrase + " "):
            reading, raw = kind, raw[len(phrase) + 1 :]
            break
    if reading is None and _ZERO.match(raw):
        return _Amount(0, 0, 0)
    raw = raw.strip()
    if raw.endswith("+") or raw.endswith("-plus") or raw.endswith(" plus"):
        reading = "at_least"
        raw = re.sub(r"(?:\+|-plus| plus)$", "", raw).strip()
    rng = re.match(r"^(?:between |from )?(.+?)(?: ?- ?| to | and | or )(.+)$", raw)
    if rng and not raw.startswith("from "):
        low, high = _number_value(rng.group(1)), _number_value(rng.group(2))
        if low is not None and high is not None and low < high:
            return _Amount(low, low, high)
    vague = _vague_value(raw)
    if vague is not None:
        if reading == "about":
            return _Amount(None, vague, None)
        return _Amount(vague, vague, None)
    value = _number_value(raw)
    if value is None:
        return None
    if reading == "at_least":
        return _Amount(value, value, None)
    if reading == "at_most":
        return _Amount(None, value, value)
    if reading == "about":
        return _Amount(None, value, None)
    return _Amount(value, value, value)


def _as_int(value: float | None) -> int | None:
    return None if value is None else round(value)


def _integral(amount: _Amount) -> bool:
    return all(v is None or float(v).is_integer() for v in (amount.low, amount.best, amount.high))


def parse_count(text: str) -> Count | None:
    """Read a count phrase; None when it is not one. ``Count.text`` is ``text`` unchanged.

    "12" -> 12/12/12; "at least 5", "more than 20", "over 20" -> low=best=stated floor, high None;
    "up to 7", "as many as 7" -> best=high=7, low None; "about 30" -> best 30 only;
    "between 5 and 7", "5 to 7", "5-7" -> low 5, best 5 (conservative), high 7;
    vague words -> their floor as low and best ("dozens" 12); "no one", "none" -> 0/0/0.
    """
    amount = _parse_amount(text)
    if amount is None or not _integral(amount):  # "1.5" is no count of people; "1.5 million" is
        return None
    return Count(low=_as_int(amount.low), best=_as_int(amount.best), high=_as_int(amount.high), text=text)


def count_bound(count: Count) -> Bound:
    """How a count's figure is bounded: what a ``Quantity`` built from it records."""
    return _bound(count.low, count.best, count.high)


def _bound(low: float | None, best: float | None, high: float | None) -> Bound:
    if low is not None and low == best == high:
        return "exact"
    if low is not None:
        return "at_least"  # a floor, a vague floor or a range coded at its lower end
    if high is not None:
        return "at_most"
    return "about"


# --------------------------------------------------------------------------- number phrases in a sentence

_MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday",
})  # fmt: skip
_TIME_UNITS = frozenset({
    "second", "minute", "hour", "day", "night", "week", "weekend", "month", "year", "decade",
    "century", "yr", "hr", "km",
})  # fmt: skip
_HYPHENS = frozenset({"-", "\u2013"})
_TENS = frozenset({"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"})
_SCALE_WORDS_LONG = frozenset({"hundred", "thousand", "million", "billion", "trillion", "dozen"})
_VAGUE_HEADS = frozenset({"dozens", "scores", "hundreds", "thousands", "millions", "tens", "several"})
_ORDINALS = frozenset({
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "twentieth", "hundredth", "thousandth", "millionth",
})  # fmt: skip
_EXCLUDED_ENTS = frozenset(
    {"PERCENT", "TIME", "ORDINAL", "QUANTITY", "PERSON", "ORG", "GPE", "FAC", "LAW", "PRODUCT",
     "WORK_OF_ART", "EVENT", "LOC", "NORP", "LANGUAGE"}
)  # fmt: skip
_CURRENCIES: dict[str, str] = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "€": "EUR",
    "eur": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP", "pound": "GBP",
    "pounds": "GBP", "¥": "JPY", "yen": "JPY",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CountSpan:
    """A count and where its phrase sits: ``count.text == article_text[start:end]``."""

    count: Count
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Phrase:
    """One count phrase in a sentence: tokens [first, last] (doc indices), its number's anchor."""

    first: int
    last: int
    anchor: Token
    amount: _Amount
    unit: str | None
    start: int
    end: int
    text: str


def _is_number_word(tok: Token) -> bool:
    low = tok.lower_
    if low in _ORDINALS or re.match(r"^\d+(?:st|nd|rd|th)$", low):
        return False
    if low in _SCALE_WORDS_LONG or low in _VAGUE_HEADS:
        return True
    return bool(tok.like_num) and ":" not in low and "/" not in low


def _is_date_number(tok: Token) -> bool:
    """Numbers that are part of a date, an age or a duration, never counts."""
    doc = tok.doc
    low = tok.lower_
    if re.match(r"^(?:1[89]|2[01])\d\d$", low):  # a year unless it plainly counts a noun
        return tok.ent_type_ == "DATE" or tok.dep_ != "nummod"
    if re.match(r"^'?\d+0s$", low):
        return True
    if re.match(r"^\d{1,2}$", low):
        for j in (tok.i - 1, tok.i + 1):
            if 0 <= j < len(doc) and doc[j].lower_.rstrip(".") in _MONTHS:
                return True
    nxt = tok.i + 1
    while nxt < len(doc) and doc[nxt].lower_ in _HYPHENS | _SCALE_WORDS_LONG:
        nxt += 1
    if nxt < len(doc) and doc[nxt].lemma_.lower() in _TIME_UNITS:
        return True
    prev = doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.lower_ in ("aged", "age", "ages", "no.", "number", "#"):
        return True
    if prev is not None and prev.lower_ in ("at", "by", "until") and re.match(r"^[012]\d[0-5]\d$", low):
        return True  # military time: "at 2335"
    # "Ahmed Ali (30)": a person's age in brackets.
    return (
        prev is not None
        and prev.text == "("
        and tok.i + 1 < len(doc)
        and doc[tok.i + 1].text == ")"
        and tok.i >= 2
        and doc[tok.i - 2].ent_type_ in ("PERSON", "NORP")
    )


def _is_excluded(tok: Token) -> bool:
    """Numbers that are percentages, times, ordinals, names or dates."""
    if tok.ent_type_ in _EXCLUDED_ENTS:
        return True
    doc = tok.doc
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
    if nxt in ("%", "percent", "pc", "per", "am", "pm", "a.m.", "p.m.", "gmt", "o'clock"):
        return True
    return _is_date_number(tok)


def _runs(sent: Span) -> list[tuple[int, int]]:
    """Maximal runs of number tokens: "3.5 million", "twenty - one", "one hundred and five",
    "a dozen", "tens of thousands", "a few"."""
    doc = sent.doc
    runs: list[tuple[int, int]] = []
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        if tok.lower_ in ("a", "an") and i + 1 < sent.end:
            nxt = doc[i + 1].lower_
            if nxt in ("few", "handful", "couple", "dozen", "hundred", "thousand", "million"):
                end = i + 1
                end = _extend_run(sent, end)
                runs.append((i, end))
                i = end + 1
                continue
        if not _is_number_word(tok) or _is_excluded(tok) or (tok.lower_ == "one" and _follows_no(tok)):
            i += 1
            continue
        end = _extend_run(sent, i)
        if any(_is_excluded(doc[j]) for j in range(i, end + 1) if _is_number_word(doc[j])):
            i = end + 1
            continue
        runs.append((i, end))
        i = end + 1
    return runs


def _follows_no(tok: Token) -> bool:
    return tok.i > 0 and tok.doc[tok.i - 1].lower_ == "no"  # "no one" is a zero, read elsewhere


def _extend_run(sent: Span, i: int) -> int:
    doc = sent.doc
    end = i
    while end + 1 < sent.end:
        nxt = doc[end + 1]
        cur = doc[end]
        if _joins(cur, nxt):
            end += 1
        elif (
            nxt.text in _HYPHENS
            and end + 2 < sent.end
            and cur.lower_ in _TENS
            and 0 < _UNITS.get(doc[end + 2].lower_, 0) < 10
        ):
            end += 2  # "twenty-one"
        elif (
            nxt.lower_ == "and"
            and cur.lower_ in ("hundred", "thousand")
            and end + 2 < sent.end
            and doc[end + 2].lower_ in _UNITS
        ):
            end += 2  # "one hundred and five"
        elif (
            nxt.lower_ == "of"
            and cur.lower_ in _VAGUE_HEADS
            and end + 2 < sent.end
            and doc[end + 2].lower_ in ("hundreds", "thousands", "millions")
        ):
            end += 2  # "tens of thousands"
        else:
            break
    return end


def _joins(cur: Token, nxt: Token) -> bool:
    """Do two adjacent tokens make one number ("3.5 million", "twenty one", "two thousand five")?"""
    low, nlow = cur.lower_, nxt.lower_
    if low in ("several", "few") and nlow in ("dozens", "hundreds", "thousands"):
        return True  # "several dozens"
    if nlow in _SCALES and nlow not in _SCALE_WORDS_LONG:
        return not cur.whitespace_ and _is_digits(cur)  # "2bn", "1.2m" split by the tokenizer
    if nlow in _SCALE_WORDS_LONG:
        return _is_digits(cur) or low in _UNITS or low in _SCALE_WORDS_LONG or low in ("several", "few")
    if low in _TENS and 0 < _UNITS.get(nlow, 0) < 10:
        return True
    return low in _SCALE_WORDS_LONG and (nlow in _UNITS or _is_digits(nxt))


def _is_digits(tok: Token) -> bool:
    return bool(_DIGITS.match(tok.text))


def _phrases(sent: Span) -> list[_Phrase]:
    """Every count phrase in the sentence, with its modifiers and range partner."""
    doc = sent.doc
    runs = _runs(sent)
    phrases: list[_Phrase] = []
    k = 0
    while k < len(runs):
        first, last = runs[k]
        # Ranges: "between 5 and 7", "5 to 7", "5-7", "five or six" (not "from 5 to 12": a change).
        if k + 1 < len(runs):
            nfirst, nlast = runs[k + 1]
            joiner = doc[last + 1 : nfirst].text.strip().lower() if nfirst > last + 1 else ""
            before = doc[first - 1].lower_ if first > sent.start else ""
            if nfirst == last + 2 and (
                joiner in ("-", "\u2013", "or")
                or (joiner == "to" and before != "from")
                or (joiner == "and" and before == "between")
            ):
                last = nlast
                k += 1
        first = _take_modifiers(sent, first)
        if first > sent.start and doc[first - 1].lower_ == "between":
            first -= 1
        unit, first, last = _take_currency(sent, first, last)
        k += 1
        start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
        text = doc_text(doc)[start:end]
        body = text if unit is None else _strip_currency(text)
        amount = _parse_amount(body)
        if amount is None:
            continue
        anchor = _anchor(doc, first, last)
        phrases.append(_Phrase(first, last, anchor, amount, unit, start, end, text))
    return phrases


def _take_modifiers(sent: Span, first: int) -> int:
    doc = sent.doc
    for size in range(_MAX_MODIFIER_LEN, 0, -1):
        lo = first - size
        if lo < sent.start:
            continue
        words = " ".join(t.lower_ for t in doc[lo:first])
        if any(words == phrase for phrase, _ in _MODIFIERS):
            return lo
    return first


def _take_currency(sent: Span, first: int, last: int) -> tuple[str | None, int, int]:
    doc = sent.doc
    if first > sent.start and doc[first - 1].lower_ in _CURRENCIES:
        return _CURRENCIES[doc[first - 1].lower_], first - 1, last
    if first - 1 > sent.start and doc[first - 1].lower_ in _CURRENCIES and doc[first - 2].lower_ == "us":
        return "USD", first - 2, last
    if last + 1 < sent.end and doc[last + 1].lower_ in _CURRENCIES and doc[last + 1].ent_type_ == "MONEY":
        return _CURRENCIES[doc[last + 1].lower_], first, last + 1
    return None, first, last


def _strip_currency(text: str) -> str:
    words = [w for w in re.split(r"(\s+|(?<=[$€£¥]))", text) if w.strip()]
    return " ".join(w for w in words if w.lower() not in _CURRENCIES and w.lower() != "us")


def _anchor(doc: Doc, first: int, last: int) -> Token:
    """The phrase's number token whose head lies outside the phrase (its syntactic head)."""
    toks: list[Token] = [doc[i] for i in range(first, last + 1)]
    numeric = [t for t in toks if _is_number_word(t)] or toks
    for tok in reversed(numeric):
        if not first <= tok.head.i <= last or tok.head.i == tok.i:
            return tok
    return numeric[-1]


# --------------------------------------------------------------------------- casualties

_KILL_VERBS = frozenset(
    {"kill", "slay", "murder", "massacre", "execute", "behead", "assassinate", "slaughter"}
)
_DIE_VERBS = frozenset({"die", "perish"})
_INJURE_VERBS = frozenset({"injure", "wound", "hurt", "maim"})
_DEATH_NOUNS = frozenset({"death", "fatality", "dead", "body", "corpse", "killed"})
_INJURY_NOUNS = frozenset({"injury", "wounded", "injured"})
_PERSON_HEADS = frozenset({"people", "person", "civilian", "family", "resident", "individual", "inhabitant"})
_VICTIMS = frozenset(
    {"man", "woman", "child", "civilian", "soldier", "fighter", "militant", "policeman", "officer",
     "protester", "worker", "villager", "student", "passenger", "other", "more", "member"}
)  # fmt: skip
_TOLL_VERBS = frozenset({"rise", "climb", "reach", "jump", "increase", "stand", "hit", "grow", "bring", "be"})


def _verb_kind(tok: Token) -> Kind | None:
    lemma = tok.lemma_.lower()
    if lemma in _KILL_VERBS or lemma in _DIE_VERBS:
        return "killed"
    if lemma in _INJURE_VERBS:
        return "injured"
    if tok.lower_ in ("dead", "killed"):
        return "killed"
    if tok.lower_ in ("injured", "wounded", "hurt"):
        return "injured"
    return None


def _partitive(anchor: Token) -> bool:
    """ "two of which", "three of the rockets": a part of a count made elsewhere."""
    for child in anchor.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in (c for c in child.children if c.dep_ == "pobj"):
                if obj.pos_ == "PRON" or any(c.dep_ in ("det", "poss") for c in obj.children):
                    return True
    return False


def _noun_of(anchor: Token) -> Token:
    """The noun a number counts ("5 people" -> people; "dozens of rockets" -> rockets)."""
    if anchor.dep_ in ("nummod", "quantmod", "compound", "amod", "det") and anchor.head.i != anchor.i:
        head = anchor.head
        while head.dep_ in ("nummod", "quantmod", "compound") and _is_number_word(head):
            head = head.head
        if head.pos_ in ("NOUN", "PROPN", "ADJ", "PRON") or head.lower_ in ("dead", "injured", "wounded"):
            return head
    for child in anchor.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs and not _partitive(anchor):  # "dozens of rockets" counts rockets
                return objs[0]
    return anchor


def _is_toll(tok: Token) -> bool:
    return tok.lemma_.lower() == "toll"


def _casualty_kind(phrase: _Phrase) -> tuple[Kind | Literal["both"], bool] | None:
    """Whether a phrase counts the killed or the injured, and whether it is a (new) toll figure."""
    anchor = phrase.anchor
    noun = _noun_of(anchor)
    nlemma = noun.lemma_.lower()
    if noun is not anchor:
        if nlemma in _DEATH_NOUNS or noun.lower_ == "dead":
            return "killed", False
        if nlemma in _INJURY_NOUNS:
            return "injured", False
        if nlemma == "casualty" and phrase.amount.best == 0:
            return "both", False
        for child in noun.children:  # "5 people dead", "4 killed"
            if child.dep_ in ("amod", "acl") and child.i > noun.i and _verb_kind(child):
                return _verb_kind(child), False  # type: ignore[return-value]
    head, dep = noun.head, noun.dep_
    if dep == "conj":  # "killed 3 fighters and 2 civilians"
        root = noun
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        head, dep = root.head, root.dep_
    kind = _verb_kind(head)
    if kind is None and any(c.lower_ == "dead" for c in head.children if c.dep_ != "nsubj"):
        kind = "killed"  # "shot dead two men", "gunned down and left dead"
    if kind and dep in ("dobj", "obj", "nsubjpass", "attr"):
        return kind, False
    passive_like = head.lemma_.lower() in _DIE_VERBS or head.tag_ == "VBN" or head.pos_ == "ADJ"
    if kind and dep == "nsubj" and passive_like and not any(c.dep_ in ("dobj", "obj") for c in head.children):
        return kind, False  # "dozens injured", "5 civilians died"; not "gunmen killed 3"
    if dep == "dobj" and head.lemma_.lower() == "leave":  # "left 4 people dead and dozens injured"
        for child in head.children:
            if child.dep_ in ("oprd", "xcomp", "acomp") and child.i > noun.i:
                return _verb_kind(child) or "killed", False
    if dep == "pobj":
        prep = head
        governor = prep.head
        if prep.lower_ == "of" and governor.lemma_.lower() in (
            {"body", "corpse", "death", "life"} | _INJURY_NOUNS
        ):
            return ("injured" if governor.lemma_.lower() in _INJURY_NOUNS else "killed"), False
        if prep.lower_ == "of" and _is_toll(governor):
            return "killed", True
        if prep.lower_ in ("to", "at", "from") and _toll_clause(governor):
            return "killed", True
    if dep == "attr" and _toll_clause(head):
        return "killed", True
    return _surface_kind(phrase)


def _surface_kind(phrase: _Phrase) -> tuple[Kind, bool] | None:
    """Word-order fallback for parses that miss the link: "six dead", "3 people killed",
    "injured scores of", "killing at least 4"."""
    doc = phrase.anchor.doc
    i = phrase.last + 1
    while i < len(doc) and i <= phrase.last + 2 and doc[i].lemma_.lower() in _PERSON_HEADS | _VICTIMS:
        i += 1
    if i < len(doc) and doc[i].lower_ in ("dead", "killed", "injured", "wounded", "hurt"):
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        active = nxt is not None and (nxt.like_num or nxt.pos_ in ("DET", "PROPN", "NOUN"))
        word_kind = _verb_kind(doc[i])
        if word_kind and not active:
            return word_kind, False
    if phrase.first > 0:
        prev = doc[phrase.first - 1]
        kind = _verb_kind(prev) if prev.tag_ in ("VBD", "VBG", "JJ") else None
        if kind and not any(c.dep_ in ("nsubjpass", "auxpass") for c in prev.children):
            return kind, False
    return None


def _toll_clause(verb: Token) -> bool:
    """Is ``verb`` a toll verb whose subject (or object, "bringing the toll to 40") is a toll?"""
    if verb.lemma_.lower() not in _TOLL_VERBS:
        return False
    return any(_is_toll(c) for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj"))


_ZERO_NOUNS: dict[str, Kind | Literal["both"]] = {
    "casualty": "both", "death": "killed", "fatality": "killed", "injury": "injured",
}  # fmt: skip


def _stated_casualties(sent: Span) -> list[tuple[Kind | Literal["both"], Count, int, int]]:
    """Counts said without a number: zeros ("no one was killed", "no casualties", "nobody was
    hurt") and single victims ("a policeman was killed" -> 1)."""
    out: list[tuple[Kind | Literal["both"], Count, int, int]] = []
    doc = sent.doc
    for tok in sent:
        if tok.lower_ == "no" and tok.dep_ == "det" and tok.head.lemma_.lower() in _ZERO_NOUNS:
            noun = tok.head
            if any(c.lower_ in ("other", "further", "additional", "more", "new") for c in noun.children):
                continue  # "no other injuries" says nothing about how many there were
            end = noun.idx + len(noun.text)
            out.append(
                (_ZERO_NOUNS[noun.lemma_.lower()], Count(0, 0, 0, doc_text(doc)[tok.idx : end]), tok.idx, end)
            )
            continue
        subject: Token | None = None
        value = 0
        start = tok.idx
        if tok.lower_ in ("nobody", "none", "no-one"):
            subject = tok
        elif tok.lower_ == "one" and tok.i > sent.start and doc[tok.i - 1].lower_ == "no":
            subject, start = tok, doc[tok.i - 1].idx
        elif (
            tok.lower_ in ("a", "an")
            and tok.dep_ == "det"
            and tok.head.lemma_.lower() in _PERSON_HEADS | _VICTIMS
        ):
            subject, value = tok.head, 1
        if subject is None or subject.dep_ not in ("nsubjpass", "nsubj", "dobj"):
            continue
        kind = _verb_kind(subject.head)
        if kind is None or (
            subject.dep_ == "nsubj" and subject.head.lemma_.lower() in _KILL_VERBS | _INJURE_VERBS
        ):
            continue  # "a gunman killed ...": the subject is the killer
        end = subject.idx + len(subject.text)
        out.append((kind, Count(value, value, value, doc_text(doc)[start:end]), start, end))
    return out


@dataclass(frozen=True, slots=True)
class _Casualty:
    kind: Kind | Literal["both"]
    span: CountSpan
    toll: bool
    phrase: _Phrase | None


def _casualties(sent: Span, phrases: Iterable[_Phrase]) -> list[_Casualty]:
    out: list[_Casualty] = []
    for phrase in phrases:
        if phrase.unit is not None or not _integral(phrase.amount):
            continue
        found = _casualty_kind(phrase)
        if found is None:
            continue
        kind, toll = found
        count = Count(
            low=_as_int(phrase.amount.low),
            best=_as_int(phrase.amount.best),
            high=_as_int(phrase.amount.high),
            text=phrase.text,
        )
        out.append(_Casualty(kind, CountSpan(count, phrase.start, phrase.end), toll, phrase))
    for kind, count, start, end in _stated_casualties(sent):
        out.append(_Casualty(kind, CountSpan(count, start, end), False, None))
    return out


def _pick(found: list[_Casualty], kind: Kind) -> CountSpan | None:
    """One figure per kind: a toll update wins (the last one stated); otherwise the largest best
    estimate, so "5 killed, including 3 children" codes 5; explicit zeros only when alone."""
    mine = [c for c in found if c.kind in (kind, "both")]
    if not mine:
        return None
    tolls = [c for c in mine if c.toll]
    if tolls:
        return tolls[-1].span
    nonzero = [c for c in mine if (c.span.count.best or 0) > 0]
    if not nonzero:
        return mine[0].span
    summed = _sum_conjoined(nonzero)
    return max(summed, key=lambda s: (s.count.best or 0, -s.start))


def _sum_conjoined(found: list[_Casualty]) -> list[CountSpan]:
    """Add up coordinated objects of one verb: "killed 3 fighters and 2 civilians" -> 5."""
    spans = [c.span for c in found]
    groups: dict[int, list[_Casualty]] = {}
    for c in found:
        if c.phrase is None:
            continue
        noun = _noun_of(c.phrase.anchor)
        root = noun
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        if root is not noun or any(ch.dep_ == "conj" for ch in noun.children):
            groups.setdefault(root.i, []).append(c)
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda c: c.span.start)
        first = members[0].span
        last_phrase = members[-1].phrase
        assert last_phrase is not None  # grouped members all come from phrases
        noun = _noun_of(last_phrase.anchor)
        end = max(last_phrase.end, noun.idx + len(noun.text))  # "3 fighters and 2 civilians"
        text = doc_text(last_phrase.anchor.doc)[first.start : end]

        def total(values: list[int | None]) -> int | None:
            return None if any(v is None for v in values) else sum(v for v in values if v is not None)

        count = Count(
            low=total([m.span.count.low for m in members]),
            best=total([m.span.count.best for m in members]),
            high=total([m.span.count.high for m in members]),
            text=text,
        )
        spans.append(CountSpan(count, first.start, end))
    return spans


def extract_casualties(sent: Span) -> tuple[CountSpan | None, CountSpan | None]:
    """(killed, injured) reported in one sentence, each with its character offsets.

    A toll update ("the death toll rose to 12") wins over earlier figures; coordinated objects of
    one verb are added up; a zero is returned only when stated ("no one was killed",
    "no casualties were reported" -> 0 killed and 0 injured).
    """
    found = _casualties(sent, _phrases(sent))
    return _pick(found, "killed"), _pick(found, "injured")


# --------------------------------------------------------------------------- quantities over periods

_WEAPONS: dict[str, str] = {
    "drone": "drone", "uav": "drone", "uavs": "drone", "rocket": "rocket", "missile": "missile",
    "mortar": "mortar", "artillery": "artillery", "air": "air", "aerial": "air",
    "ballistic": "missile", "cruise": "missile", "grenade": "grenade", "bomb": "bomb",
    "suicide": "suicide", "ied": "ied", "shelling": "artillery", "knife": "knife", "arson": "arson",
}  # fmt: skip
_ATTACK_HEADS = frozenset({"attack", "assault", "strike", "raid", "launch", "barrage", "fire", "bombardment"})
# Nouns whose counts make a series, with their normalised name.
_LEXICON: dict[str, str] = {
    "attack": "attack", "assault": "attack", "strike": "attack", "raid": "attack",
    "launch": "launch", "airstrike": "airstrike", "air-strike": "airstrike", "drone": "drone",
    "uav": "drone", "rocket": "rocket", "missile": "missile", "mortar": "mortar", "shell": "shell",
    "projectile": "projectile", "bomb": "bomb", "ied": "ied", "explosion": "explosion",
    "blast": "explosion", "shelling": "shelling", "sortie": "sortie", "interception": "interception",
    "protest": "protest", "demonstration": "protest", "rally": "protest", "protester": "protester",
    "demonstrator": "protester", "arrest": "arrest", "detainee": "detainee", "prisoner": "prisoner",
    "hostage": "hostage", "refugee": "refugee", "idp": "displaced person", "clash": "clash",
    "ambush": "ambush", "kidnapping": "abduction", "abduction": "abduction", "shooting": "shooting",
    "violation": "violation", "troop": "troop",
    "troops": "troop", "barrage": "barrage",
}  # fmt: skip
_GENERIC = frozenset({"attack", "launch", "barrage"})
_TALLY_NOUNS = frozenset({"number", "total", "tally", "count", "figure"})
_MONEY_PURPOSES = frozenset(
    {"aid", "assistance", "funding", "fund", "loan", "grant", "relief", "reconstruction", "ransom",
     "weapon", "arm", "ammunition", "military", "defense", "defence", "sanction", "tariff",
     "compensation", "reparation", "donation", "pledge", "budget", "package", "support", "bailout",
     "debt", "investment", "subsidy"}
)  # fmt: skip
_DATE_JOINERS = frozenset(
    {"to", "from", "and", "-", "\u2013", "between", "through", "until", "till", "or", ","}
)


def _canonical(noun: Token) -> str | None:
    """The normalised name of what a noun counts, or None when it is not in the lexicon."""
    head = noun.lemma_.lower()
    if noun.lower_ in ("idps", "uavs"):
        head = noun.lower_[:-1]
    mods = [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod") and c.i < noun.i]
    mod_lemmas = [m.lemma_.lower() for m in mods] + [m.lower_ for m in mods]
    if head in _TALLY_NOUNS:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return _canonical(objs[0])
        return None
    if head in ("displaced", "displace") or (
        head in _PERSON_HEADS and any(m in ("displaced", "displace") for m in mod_lemmas)
    ):
        return "displaced person"
    if head in _ATTACK_HEADS or head == "airstrike":
        weapons = [_WEAPONS[m] for m in mod_lemmas if m in _WEAPONS]
        if head == "airstrike" or (weapons and weapons[0] == "air"):
            return "airstrike"
        if weapons:
            return weapons[0] if head == "fire" else f"{weapons[0]} attack"
        if head == "fire":
            return None
    name = _LEXICON.get(head)
    if head == "assault" and "sexual" in mod_lemmas:
        return "sexual assault"
    if name == "violation" and "ceasefire" in mod_lemmas:
        return "ceasefire violation"
    if name in ("attack",) and any(m in ("general", "hunger", "labour", "labor") for m in mod_lemmas):
        return None
    return name


def _topic(tok: Token, *, skip: Token) -> str | None:
    """What an elliptical or generic count refers to: the subject of the nearest governing clause
    that names a kind of event ("Drone assaults have surged from six ... to 90")."""
    seen = 0
    node = tok
    while seen < 12:
        for child in node.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.i != skip.i and not _is_number_word(child):
                name = _canonical(child)
                if name is not None:
                    return name
        if node.head.i == node.i:
            return None
        node = node.head
        seen += 1
    return None


def _what(phrase: _Phrase) -> str | None:
    anchor = phrase.anchor
    noun = _noun_of(anchor)
    if noun is anchor:
        return _topic(anchor, skip=anchor)
    name = _canonical(noun)
    lemma = noun.lemma_.lower()
    if name is None and lemma in _PERSON_HEADS and noun.head.lemma_.lower() in ("displace", "flee", "uproot"):
        return "displaced family" if lemma == "family" else "displaced person"  # "3,000 people fled"
    if name is None:
        return None
    if name in _GENERIC:
        topic = _topic(noun, skip=noun)
        if (
            topic is not None
            and topic != name
            and topic.endswith(("attack", "airstrike", "rocket", "missile"))
        ):
            return topic
    return name


def _money_what(phrase: _Phrase) -> str | None:
    """What money is for: "$2 billion in aid", "$5 million of weapons", "a $2 billion aid package".
    Only the purposes that matter to conflict and politics (aid, arms, loans, sanctions...): prices,
    bail and prize money are not series anyone asked for."""
    anchor = phrase.anchor
    nouns: list[Token] = []
    for child in anchor.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "of", "for"):
            nouns.extend(c for c in child.children if c.dep_ == "pobj")
    head = anchor.head
    if (
        anchor.dep_ in ("nummod", "compound", "amod", "quantmod")
        and head.pos_ == "NOUN"
        and head.i > anchor.i
    ):
        nouns.append(head)
    for noun in nouns:
        words = [c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod") and c.i < noun.i]
        words.append(noun.lemma_.lower())
        if any(w in _MONEY_PURPOSES for w in words):
            return _noun_phrase(noun)
    return None


def _noun_phrase(noun: Token) -> str:
    mods = [c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod") and c.i < noun.i]
    return " ".join([*mods, noun.lemma_.lower()])


@dataclass(frozen=True, slots=True)
class _DatePiece:
    first: int
    last: int
    value: DateValue


def _date_pieces(
    sent: Span,
    counts: set[int],
    normalize: Normalizer,
    published: datetime.date | None,
    ents: Sequence[Span],
) -> list[_DatePiece]:
    """The sentence's DATE entities, split where the model swallowed a count ("June to 75")."""
    pieces: list[_DatePiece] = []
    for ent in ents:
        if ent.label_ != "DATE":
            continue
        run: list[int] = []
        for i in [*range(ent.start, ent.end), -1]:
            if i >= 0 and i not in counts:
                run.append(i)
                continue
            while run and sent.doc[run[0]].lower_ in _DATE_JOINERS:
                run.pop(0)
            while run and sent.doc[run[-1]].lower_ in _DATE_JOINERS:
                run.pop()
            if run and not _modifies_noun(sent, run):
                doc = sent.doc
                text = doc_text(doc)[doc[run[0]].idx : doc[run[-1]].idx + len(doc[run[-1]].text)]
                value = normalize(text, published=published)
                if value is not None and value.start is not None:
                    pieces.append(_DatePiece(run[0], run[-1], value))
            run = []
    return pieces


def _modifies_noun(sent: Span, run: list[int]) -> bool:
    """A date that only qualifies a noun ("the 2020 agreement", "Sunday's strike") dates no count."""
    doc = sent.doc
    inside = set(run)
    for i in run:
        tok = doc[i]
        if tok.head.i not in inside or tok.head.i == tok.i:
            return tok.dep_ in ("compound", "nmod", "amod", "nummod", "poss") and tok.head.pos_ in (
                "NOUN",
                "PROPN",
            )
    return False


def _assign_periods(
    phrases: list[_Phrase], pieces: list[_DatePiece], *, window: int = 8
) -> dict[int, _DatePiece]:
    """Each count's period: the nearest date after it before the next count ("six in August"),
    else an unclaimed date before it ("In 2023, 40 attacks")."""
    ordered = sorted(phrases, key=lambda p: p.first)
    out: dict[int, _DatePiece] = {}
    claimed: set[int] = set()
    for k, phrase in enumerate(ordered):
        limit = ordered[k + 1].first if k + 1 < len(ordered) else 1 << 30
        after = [d for d in pieces if phrase.last < d.first < limit and d.first - phrase.last <= window]
        if after:
            out[phrase.first] = after[0]
            claimed.add(after[0].first)
    for k, phrase in enumerate(ordered):
        if phrase.first in out:
            continue
        floor = ordered[k - 1].last if k > 0 else -1
        before = [
            d
            for d in pieces
            if floor < d.last < phrase.first and phrase.first - d.last <= window and d.first not in claimed
        ]
        if before:
            out[phrase.first] = before[-1]
            claimed.add(before[-1].first)
    return out


def _period(value: DateValue, published: datetime.date | None) -> Period:
    """The period a date covers, clipped to the publication date ("in November alone", written on
    28 November, covers 1-28 November)."""
    end = value.end
    if published is not None and value.start is not None and end is not None:
        pub = published.isoformat()
        if value.start <= pub < end:
            end = pub
    return Period(start=value.start, end=end, precision=value.precision)


def _elliptical_skip(phrase: _Phrase) -> bool:
    """Bare numbers that are rarely counts: "one" ("two bombs went off, one near the palace") and
    clock times ("the blasts happened at about 8")."""
    if _noun_of(phrase.anchor) is not phrase.anchor:
        return False
    doc = phrase.anchor.doc
    before = doc[phrase.first - 1].lower_ if phrase.first > 0 else ""
    return phrase.text.lower() == "one" or before in ("at", "by", "until", "till")


def _default_normalize(text: str, *, published: datetime.date | None) -> DateValue | None:
    from eventwatch.extract.dates import normalize_date

    return normalize_date(text, published=published)


def _number(value: float | None) -> float | int:
    if value is None:
        raise ValueError("a quantity needs a figure")
    return int(value) if float(value).is_integer() else value


def extract_quantities(
    sent: Span,
    *,
    article_id: str,
    sentence_index: int,
    published: datetime.date | None,
    normalize: Normalizer | None = None,
) -> list[Quantity]:
    """Reported counts of a kind of event, each with the period it covers.

    Casualty figures, dates, ages, times, ordinals and percentages are not quantities; neither is
    a number whose noun is not a kind of event, munition or group the lexicon knows (precision
    first). ``normalize`` reads a DATE entity (default: ``eventwatch.extract.dates.normalize_date``).
    """
    phrases = _phrases(sent)
    return _quantities(
        sent,
        phrases,
        _casualties(sent, phrases),
        article_id=article_id,
        sentence_index=sentence_index,
        published=published,
        normalize=normalize,
        ents=sent.ents,
    )


def sentence_counts(
    sent: Span,
    *,
    article_id: str,
    sentence_index: int,
    published: datetime.date | None,
    ents: Sequence[Span],
    normalize: Normalizer | None = None,
) -> tuple[CountSpan | None, CountSpan | None, list[Quantity]]:
    """``extract_casualties`` and ``extract_quantities`` of one sentence at once, reading its count
    phrases once; ``ents`` are the sentence's entities (``sent.ents`` rebuilds every entity of
    the document at each call)."""
    phrases = _phrases(sent)
    found = _casualties(sent, phrases)
    quantities = _quantities(
        sent,
        phrases,
        found,
        article_id=article_id,
        sentence_index=sentence_index,
        published=published,
        normalize=normalize,
        ents=ents,
    )
    return _pick(found, "killed"), _pick(found, "injured"), quantities


def _quantities(
    sent: Span,
    phrases: list[_Phrase],
    casualties: list[_Casualty],
    *,
    article_id: str,
    sentence_index: int,
    published: datetime.date | None,
    normalize: Normalizer | None,
    ents: Sequence[Span],
) -> list[Quantity]:
    norm: Normalizer = normalize or _default_normalize
    casualty_anchors = {c.phrase.first for c in casualties if c.phrase is not None}
    count_tokens = {i for p in phrases for i in range(p.first, p.last + 1)}
    pieces = _date_pieces(sent, count_tokens, norm, published, ents)
    periods = _assign_periods(phrases, pieces)
    doc = sent.doc
    out: list[Quantity] = []
    for phrase in phrases:
        if phrase.first in casualty_anchors or phrase.amount.best is None:
            continue
        if _partitive(phrase.anchor) or _elliptical_skip(phrase):
            continue
        what = _money_what(phrase) if phrase.unit else _what(phrase)
        if what is None:
            continue
        piece = periods.get(phrase.first)
        start, end = phrase.start, phrase.end
        period = None
        if piece is not None:
            period = _period(piece.value, published)
            start = min(start, doc[piece.first].idx)
            end = max(end, doc[piece.last].idx + len(doc[piece.last].text))
        amount = phrase.amount
        bound = _bound(amount.low, amount.best, amount.high)
        value = _number(amount.best)  # best is never None: checked above
        out.append(
            Quantity(
                article_id=article_id,
                quantity_id=stable_id(article_id, sentence_index, start, end, value),
                what=what,
                value=value,
                bound=bound,
                unit=phrase.unit,
                period=period,
                evidence=TextSpan(text=doc_text(doc)[start:end], start=start, end=end),
                sentence=sentence_index,
            )
        )
    return out
