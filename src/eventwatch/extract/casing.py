"""All-capital text (teletype wires, old agency feeds, shouted headlines) defeats a statistical
tagger trained on mixed case: every word looks like a proper noun. Such text is parsed in a
restored case instead: lower case, with capitals back at sentence starts, on the words the actor
base and the gazetteer know as names, and on acronyms the actor base knows. The restored text
has the same length as the original, character for character, so every offset still points at
the original; ``restore_spans`` puts the original characters back into the records.
"""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from eventwatch.model import Extraction, Mention, Span

if TYPE_CHECKING:
    from spacy.language import Language

UPPER_SHARE = 0.8  # share of cased letters that are capitals, above which a text is "all caps"
MIN_LETTERS = 40
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
SENTENCE_START = re.compile(r"(^|[.!?]\s+|\n\s*\n\s*|[\"“(]\s*)([A-Za-z])")

MONTHS = (
    "january",
    "february",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CALENDAR = frozenset(MONTHS + DAYS)  # not "may" and "march": mostly verbs
T = TypeVar("T")
NameCheck = Callable[[str], bool]


def is_all_caps(text: str) -> bool:
    """Whether at least ``UPPER_SHARE`` of the cased letters are capitals. ASCII letters are
    counted with ``str.count`` and only the other characters one by one: it runs on every article."""
    upper = sum(map(text.count, string.ascii_uppercase))
    letters = upper + sum(map(text.count, string.ascii_lowercase))
    for c in _NON_ASCII.findall(text):
        if c.isalpha() and c.lower() != c.upper():
            letters += 1
            upper += c.isupper()
    if letters < MIN_LETTERS:
        return False
    return upper / letters >= UPPER_SHARE


# Titles before a personal name: the word after one, when a name follows it, is a given name even
# if the dictionary knows it as a word ("PRESIDENT RICARDO ALVARENGA", not "president ricardo").
TITLES = frozenset(
    {"president", "senator", "mayor", "colonel", "col", "general", "gen", "major", "maj", "captain",
     "capt", "lieutenant", "lt", "sergeant", "sgt", "corporal", "father", "sister", "brother",
     "monsignor", "msgr", "bishop", "archbishop", "judge", "minister", "dr", "mr", "mrs", "ms",
     "professor", "deputy", "governor", "commander", "citizen", "journalist", "priest", "student",
     "director", "secretary", "ambassador", "congressman", "councilman", "doctor", "lawyer", "candidate"}
)  # fmt: skip


def restore_case(
    text: str, *, is_name: NameCheck, is_acronym: NameCheck, is_given_name: NameCheck = lambda word: False
) -> str:
    """A mixed-case rendering of all-caps ``text`` with exactly the same length. A word the
    dictionary knows ("MARIA", "CASTRO") is a name too inside a run of names: between two names,
    or between a title and a name ("JOSE MARIA MARTINEZ", "COLONEL CARLOS REYES"), and a given
    name right before a name ("HECTOR OQUELI")."""
    chars = [c.lower() if len(c.lower()) == 1 else c for c in text]
    words = list(WORD.finditer(text))
    kinds: list[str] = []  # "acronym", "name" or "" per word
    for match in words:
        word = match.group(0)
        start, end = match.span()
        bracketed = text[start - 1 : start] == "(" and text[end : end + 1] == ")"
        if is_acronym(word) or (bracketed and len(word) <= 6):
            kinds.append("acronym")
        elif word.lower() in CALENDAR or is_name(word.lower()):
            kinds.append("name")
        else:
            kinds.append("")
    for k, match in enumerate(words):
        if kinds[k] or k + 1 >= len(words) or kinds[k + 1] != "name":
            continue
        after = words[k + 1]
        if not _adjacent(text, match, after):
            continue
        if is_given_name(match.group(0).lower()):
            kinds[k] = "name"  # "hector Oqueli" -> "Hector Oqueli"
            continue
        before = words[k - 1] if k else None
        if before is None or not _adjacent(text, before, match):
            continue
        if kinds[k - 1] == "name" or before.group(0).lower() in TITLES:
            kinds[k] = "name"  # "Jose maria Martinez" -> "Jose Maria Martinez"
    for kind, match in zip(kinds, words, strict=True):
        word = match.group(0)
        if kind == "acronym":
            chars[match.start() : match.end()] = list(word)  # "FMLN", "UN" stay in capitals
        elif kind == "name":
            chars[match.start()] = word[0]  # each word of "SAN MIGUEL" -> "San Miguel"
    restored = SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), "".join(chars))
    return restored if len(restored) == len(text) else text


def _adjacent(text: str, first: re.Match[str], second: re.Match[str]) -> bool:
    """Two words with only spaces between them (no comma, no line break)."""
    return text[first.end() : second.start()] in (" ", "  ")


INFLECTIONS = (
    ("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ly", ""),
)  # fmt: skip


def is_english_word(word: str, nlp: Language) -> bool:
    """True when the English pipeline's lemmatizer tables know the word or its stem."""
    words = _dictionary(nlp)
    word = word.lower()
    if word in words:
        return True
    if any(word.endswith(suffix) and word[: -len(suffix)] + stem in words for suffix, stem in INFLECTIONS):
        return True
    return _inflected_compound(word, words)


def _inflected_compound(word: str, words: frozenset[str]) -> bool:
    """An inflected verb made of two English words ("machinegunned", "firebombing"): wire copy writes
    such verbs as one word the dictionary lacks. Only inflected forms count, so that a name made of
    two words ("Sandoval") stays a name."""
    for suffix in ("ed", "ing"):
        if not word.endswith(suffix):
            continue
        stem = word[: -len(suffix)]
        stems = [stem, stem + "e"]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            stems.append(stem[:-1])  # "machinegunn-ed" -> "machinegun"
        for base in stems:
            if len(base) < 6:
                continue
            if any(base[:k] in words and base[k:] in words for k in range(3, len(base) - 2)):
                return True
    return False


_DICTIONARIES: dict[int, frozenset[str]] = {}


def _dictionary(nlp: Language) -> frozenset[str]:
    key = id(nlp)
    if key not in _DICTIONARIES:
        words: set[str] = set()
        if "lemmatizer" in nlp.pipe_names:
            lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
            for table_name in ("lemma_index", "lemma_exc"):
                if lookups.has_table(table_name):
                    for entries in lookups.get_table(table_name).values():
                        words.update(str(w).lower() for w in entries)
        _DICTIONARIES[key] = frozenset(words)
    return _DICTIONARIES[key]


def restore_spans(extraction: Extraction, original: str) -> Extraction:
    """Every span and mention of ``extraction`` with its text taken from ``original``."""
    return _walk(extraction, original)


def _walk(value: T, original: str) -> T:
    if isinstance(value, Span):
        return Span(text=original[value.start : value.end], start=value.start, end=value.end)  # type: ignore[return-value]
    if isinstance(value, Mention):
        value = dataclasses.replace(value, text=original[value.start : value.end])
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            new = _walk(item, original)
            if new is not item:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, tuple):
        items = tuple(_walk(v, original) for v in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value  # type: ignore[return-value]
    return value
