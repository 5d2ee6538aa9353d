"""The actor base: reviewed actors, role nouns and demonyms, resolved to ``ActorRef``.

Two packaged files feed it: ``actors.yaml`` (named actors with aliases, CAMEO codes and dated
memberships) and ``roles.yaml`` (role nouns such as "minister" or "troops", modifiers such as
"defence", and a demonym per country). Every country of ISO 3166 comes from pycountry at load
time, so the YAML lists a state only where it needs extra aliases or memberships.

Lookups are dictionary look-ups on a normalised key (case folded except short all-caps acronyms,
"the " and possessive "'s" stripped, apostrophes, hyphens and diacritics unified), because the
actor stage calls them once per noun phrase.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from eventwatch.errors import ResourceError
from eventwatch.model import ActorRef

ACTOR_TYPES: frozenset[str] = frozenset(
    {
        "state", "government", "military", "police", "intelligence", "armed_group", "rebel",
        "militia", "political_party", "igo", "ngo", "media", "civilians", "person", "judiciary",
        "legislature", "business", "religious",
    }
)  # fmt: skip
NER_LABELS: frozenset[str] = frozenset({"ORG", "PERSON", "GPE", "NORP"})
CAMEO_CODE = re.compile(r"^[A-Z]{3}([A-Z]{3})*$")
ROLE_CODE = re.compile(r"^[A-Z]{3}$")
ACTOR_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

_HERE = Path(__file__).resolve().parent
ACTORS_PATH = _HERE / "actors.yaml"
ROLES_PATH = _HERE / "roles.yaml"

_APOSTROPHES = str.maketrans({c: "'" for c in "’‘ʼʻ`´′"})
_DASHES = re.compile(r"[\-\u2010-\u2015\u2212_/]+")
_EDGE_PUNCT = ' \t\n"“”«»,;:()[]{}!?'
_ACRONYM = re.compile(r"^[A-Z]{1,3}$")
_DETERMINERS = ("the ", "a ", "an ")
_COMPOUND_MODIFIER = re.compile(r"^(pro|anti)-|-(backed|aligned|allied|linked|affiliated|supported|led|run)$")


@dataclass(frozen=True, slots=True)
class Membership:
    """``group`` is an actor id; ``since``/``until`` are YYYY, YYYY-MM or YYYY-MM-DD (or open)."""

    group: str
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True, slots=True)
class ActorEntry:
    actor_id: str
    name: str
    type: str
    country: str | None
    cameo_code: str
    aliases: tuple[str, ...]
    ner_label: str
    memberships: tuple[Membership, ...] = ()


@dataclass(frozen=True, slots=True)
class Role:
    """What a role noun ("minister", "troops") says about an actor: CAMEO role code and type."""

    code: str
    type: str


# -- normalisation -------------------------------------------------------------------------------

_MEMO_SIZE = 1 << 16
_T = TypeVar("_T")


def _remember(memo: dict[str, _T], key: str, value: _T) -> _T:
    """Keep ``value`` for ``key``; a full memo starts over, so a long run's memory stays bounded."""
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The case-preserving lookup form: apostrophes, hyphens, dots, diacritics and spaces unified;
    a leading "the " and a trailing possessive dropped."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _DASHES.sub(" ", text).replace(".", "")
    text = " ".join(text.split()).strip(_EDGE_PUNCT)
    lowered = text.lower()
    for det in _DETERMINERS[:1]:
        if lowered.startswith(det):
            text = text[len(det) :]
    if text.endswith(("'s", "'S")):
        text = text[:-2]
    elif text.endswith("s'"):
        text = text[:-1]
    return text.replace("'", "").strip()


def _is_acronym(folded: str) -> bool:
    return bool(_ACRONYM.match(folded))


def _plural(noun: str) -> str:
    """A regular English plural of the last word; irregular ones are listed in the data."""
    head, _, last = noun.rpartition(" ")
    if last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "sh", "ch", "x", "z")):
        last = last + "es" if not last.endswith("ese") else last
    else:
        last += "s"
    return f"{head} {last}" if head else last


def _demonym_plural(demonym: str) -> str:
    if demonym.endswith(("ese", "ish", "ch", "s", "sh", "x", "z")):
        return demonym
    return demonym + "s"


# -- dates ---------------------------------------------------------------------------------------


def _date_text(value: object) -> str | None:
    """YAML gives dates as str, int (a year) or datetime.date; all become YYYY[-MM[-DD]]."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int):
        text = f"{value:04d}"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ValueError(f"not a date: {value!r}")
    match = DATE.match(text)
    if not match:
        raise ValueError(f"not a YYYY, YYYY-MM or YYYY-MM-DD date: {value!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError as exc:
        raise ValueError(f"not a calendar date: {value!r} ({exc})") from None
    return text


def _first_day(date: str) -> str:
    return (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10]


def _last_day(date: str) -> str:
    if len(date) == 4:
        return f"{date}-12-31"
    if len(date) == 7:
        year, month = int(date[:4]), int(date[5:7])
        return f"{date}-{calendar.monthrange(year, month)[1]:02d}"
    return date


def _valid_on(membership: Membership, start: str, end: str) -> bool:
    """True when the membership overlaps the day range ``start``..``end`` (both inclusive)."""
    if membership.since is not None and _first_day(membership.since) > end:
        return False
    return not (membership.until is not None and _last_day(membership.until) < start)


# -- reading the files ---------------------------------------------------------------------------


@functools.cache
def _yaml_loader() -> Any:
    """The safe (C where available) loader, minus timestamps: dates stay text so a bad one is
    reported by our validation with its actor, not by YAML as a bare ValueError."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers = {
        first: [(tag, rx) for tag, rx in pairs if tag != "tag:yaml.org,2002:timestamp"]
        for first, pairs in base.yaml_implicit_resolvers.items()
    }
    return type("DatelessSafeLoader", (base,), {"yaml_implicit_resolvers": resolvers})


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceError(f"{path}: cannot be read: {exc}") from exc
    try:
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        raise ResourceError(f"{path}: invalid YAML: {exc}") from exc


@functools.cache
def _countries() -> dict[str, ActorEntry]:
    """One state entry per ISO 3166 country, keyed by its lower-case alpha-3 id."""
    import pycountry

    out: dict[str, ActorEntry] = {}
    for country in pycountry.countries:
        code = country.alpha_3
        names: list[str] = []
        for attr in ("common_name", "name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.extend(_name_variants(value))
        aliases = tuple(dict.fromkeys(names))
        out[code.lower()] = ActorEntry(
            actor_id=code.lower(),
            name=aliases[0],
            type="state",
            country=code,
            cameo_code=code,
            aliases=aliases,
            ner_label="GPE",
        )
    return out


def _name_variants(name: str) -> list[str]:
    """ "Korea, Republic of" -> also "Republic of Korea"; "Holy See (Vatican City State)" -> both."""
    out = [name]
    if "(" in name and name.endswith(")"):
        base, _, inner = name[:-1].partition("(")
        out += [base.strip(), inner.strip()]
    if ", " in name:
        before, _, after = name.partition(", ")
        out.append(f"{after} {before}")
    return out


def _problem(source: str, index: int, actor_id: object, problem: str) -> ResourceError:
    label = f"actor #{index}" + (f" ({actor_id})" if isinstance(actor_id, str) and actor_id else "")
    return ResourceError(f"{source}: {label}: {problem}")


def _str_list(value: object, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{what} must be a list of non-empty strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _parse_memberships(value: object) -> tuple[Membership, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError(f"memberships must be a list, got {value!r}")
    out = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("group"), str):
            raise ValueError(f"membership needs a 'group' id: {item!r}")
        unknown = set(item) - {"group", "since", "until"}
        if unknown:
            raise ValueError(f"membership has unknown keys {sorted(unknown)}")
        since, until = _date_text(item.get("since")), _date_text(item.get("until"))
        if since and until and _first_day(since) > _last_day(until):
            raise ValueError(f"membership of {item['group']!r} ends ({until}) before it starts ({since})")
        out.append(Membership(group=item["group"], since=since, until=until))
    return tuple(out)


_DEFAULT_LABELS = {"person": "PERSON", "state": "GPE", "civilians": "NORP"}
_FIELDS = frozenset({"id", "name", "aliases", "type", "country", "cameo_code", "ner_label", "memberships"})


def _parse_actor(raw: object, countries: Mapping[str, ActorEntry]) -> ActorEntry:
    """One YAML actor; a state listed by its ISO id takes its defaults from pycountry."""
    if not isinstance(raw, dict):
        raise ValueError(f"an actor must be a mapping, got {raw!r}")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    actor_id = raw.get("id")
    if not isinstance(actor_id, str) or not ACTOR_ID.match(actor_id):
        raise ValueError(f"id must be a lower-case slug, got {actor_id!r}")
    base = countries.get(actor_id)
    aliases = _str_list(raw.get("aliases"), "aliases")
    memberships = _parse_memberships(raw.get("memberships"))
    if base is not None:
        if raw.get("type", "state") != "state":
            raise ValueError(f"id {actor_id!r} is an ISO 3166 code, so the entry must be the state")
        name = raw.get("name", base.name)
        aliases = tuple(dict.fromkeys((*aliases, *base.aliases)))
        fields: dict[str, Any] = {
            "type": "state",
            "country": raw.get("country", base.country),
            "cameo_code": raw.get("cameo_code", base.cameo_code),
            "ner_label": raw.get("ner_label", base.ner_label),
        }
    else:
        missing = [k for k in ("name", "type", "country", "cameo_code") if k not in raw]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        name = raw["name"]
        fields = {k: raw[k] for k in ("type", "country", "cameo_code")}
        fields["ner_label"] = raw.get("ner_label", _DEFAULT_LABELS.get(str(raw["type"]), "ORG"))
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    if fields["type"] not in ACTOR_TYPES:
        raise ValueError(f"unknown type {fields['type']!r} (allowed: {', '.join(sorted(ACTOR_TYPES))})")
    country = fields["country"]
    if country is not None and (not isinstance(country, str) or country.lower() not in countries):
        raise ValueError(f"country {country!r} is not an ISO 3166 alpha-3 code (or null)")
    if country is not None and country != country.upper():
        raise ValueError(f"country {country!r} must be upper case")
    if not isinstance(fields["cameo_code"], str) or not CAMEO_CODE.match(fields["cameo_code"]):
        raise ValueError(f"cameo_code {fields['cameo_code']!r} is not 3, 6 or 9 upper-case letters")
    if fields["ner_label"] not in NER_LABELS:
        raise ValueError(f"ner_label {fields['ner_label']!r} is not one of {sorted(NER_LABELS)}")
    return ActorEntry(
        actor_id=actor_id,
        name=name.strip(),
        type=fields["type"],
        country=country,
        cameo_code=fields["cameo_code"],
        aliases=aliases,
        ner_label=fields["ner_label"],
        memberships=memberships,
    )


def parse_actors(data: object, *, source: str) -> list[ActorEntry]:
    """The named actors of an ``actors.yaml`` document, plus every ISO 3166 country."""
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise ResourceError(f"{source}: expected a mapping with an 'actors' list")
    countries = _countries()
    entries: dict[str, ActorEntry] = {}
    for index, raw in enumerate(data["actors"], start=1):
        actor_id = raw.get("id") if isinstance(raw, dict) else None
        try:
            entry = _parse_actor(raw, countries)
        except ValueError as exc:
            raise _problem(source, index, actor_id, str(exc)) from None
        if entry.actor_id in entries:
            raise _problem(source, index, actor_id, "duplicate id")
        entries[entry.actor_id] = entry
    for actor_id, country in countries.items():
        entries.setdefault(actor_id, country)
    return list(entries.values())


@dataclass(frozen=True, slots=True)
class RoleTables:
    """What ``roles.yaml`` holds, keyed by normalised lower-case text."""

    roles: Mapping[str, Role]
    modifiers: frozenset[str]
    demonyms: Mapping[str, str]


def parse_roles(data: object, *, source: str) -> RoleTables:
    if not isinstance(data, dict):
        raise ResourceError(f"{source}: expected a mapping with 'roles', 'modifiers' and 'demonyms'")
    raw_roles, raw_mods, raw_dems = data.get("roles"), data.get("modifiers"), data.get("demonyms")
    if not isinstance(raw_roles, list) or not isinstance(raw_dems, dict):
        raise ResourceError(f"{source}: 'roles' must be a list and 'demonyms' a mapping")
    explicit: dict[str, Role] = {}
    generated: dict[str, Role] = {}
    for index, item in enumerate(raw_roles, start=1):
        where = f"{source}: role #{index}"
        if not isinstance(item, dict):
            raise ResourceError(f"{where}: must be a mapping with code, type and nouns")
        code, type_ = item.get("code"), item.get("type")
        if not isinstance(code, str) or not ROLE_CODE.match(code):
            raise ResourceError(f"{where}: code {code!r} is not three upper-case letters")
        if type_ not in ACTOR_TYPES:
            raise ResourceError(f"{where} ({code}): unknown type {type_!r}")
        try:
            nouns = _str_list(item.get("nouns"), "nouns")
        except ValueError as exc:
            raise ResourceError(f"{where} ({code}): {exc}") from None
        role = Role(code=code, type=type_)
        for noun in nouns:
            key = fold(noun).lower()
            if key in explicit and explicit[key] != role:
                raise ResourceError(
                    f"{where} ({code}): noun {noun!r} is also listed for {explicit[key].code}"
                )
            explicit[key] = role
            generated.setdefault(_plural(key), role)
    roles = {**generated, **explicit}
    try:
        modifiers = frozenset(fold(m).lower() for m in _str_list(raw_mods, "modifiers"))
    except ValueError as exc:
        raise ResourceError(f"{source}: {exc}") from None
    countries = _countries()
    demonyms: dict[str, str] = {}
    plural_demonyms: dict[str, str] = {}
    for code, words in raw_dems.items():
        if not isinstance(code, str) or code.lower() not in countries or code != code.upper():
            raise ResourceError(f"{source}: demonyms: {code!r} is not an upper-case ISO 3166 alpha-3 code")
        try:
            forms = _str_list(words, f"demonyms of {code}")
        except ValueError as exc:
            raise ResourceError(f"{source}: {exc}") from None
        for form in forms:
            key = fold(form).lower()
            if key in demonyms and demonyms[key] != code:
                raise ResourceError(f"{source}: demonym {form!r} is listed for {demonyms[key]} and {code}")
            demonyms[key] = code
            plural_demonyms.setdefault(fold(_demonym_plural(form)).lower(), code)
    return RoleTables(roles=roles, modifiers=modifiers, demonyms={**plural_demonyms, **demonyms})


# -- the actor base ------------------------------------------------------------------------------


class ActorBase:
    """Named actors plus role and demonym tables; every query is a few dictionary look-ups."""

    entries: tuple[ActorEntry, ...]

    def __init__(
        self,
        entries: Iterable[ActorEntry],
        *,
        tables: RoleTables | None = None,
        source: str = "<actors>",
    ) -> None:
        self.entries = tuple(entries)
        self._tables = tables or RoleTables(roles={}, modifiers=frozenset(), demonyms={})
        self._by_id: dict[str, ActorEntry] = {}
        self._exact: dict[str, str] = {}  # short all-caps acronyms: case matters ("KH", "US")
        self._folded: dict[str, str] = {}  # everything else, lower-cased
        self._states: dict[str, ActorEntry] = {}
        # The base never changes once built: answers are kept per text (bounded: cleared when full).
        self._lookups: dict[str, ActorEntry | None] = {}
        self._countries_of: dict[str, str | None] = {}
        self._resolved: dict[str, ActorRef | None] = {}
        for entry in self.entries:
            if entry.actor_id in self._by_id:
                raise ResourceError(f"{source}: actor {entry.actor_id!r}: duplicate id")
            self._by_id[entry.actor_id] = entry
            if entry.type == "state" and entry.country:
                self._states.setdefault(entry.country, entry)
        for entry in self.entries:
            self._index(entry, source)
            for membership in entry.memberships:
                if membership.group not in self._by_id:
                    raise ResourceError(
                        f"{source}: actor {entry.actor_id!r}: membership of unknown id {membership.group!r}"
                    )
                if membership.group == entry.actor_id:
                    raise ResourceError(f"{source}: actor {entry.actor_id!r}: is a member of itself")

    def _index(self, entry: ActorEntry, source: str) -> None:
        for alias in (entry.name, *entry.aliases):
            key = fold(alias)
            if not key:
                raise ResourceError(f"{source}: actor {entry.actor_id!r}: alias {alias!r} is empty")
            table, key = (self._exact, key) if _is_acronym(key) else (self._folded, key.lower())
            owner = table.setdefault(key, entry.actor_id)
            if owner != entry.actor_id:
                raise ResourceError(
                    f"{source}: actor {entry.actor_id!r}: alias {alias!r} is already claimed by {owner!r}"
                )

    @classmethod
    def load(cls, actors_path: Path | None = None, roles_path: Path | None = None) -> ActorBase:
        """Read and validate the two files (the packaged ones by default)."""
        actors_path = actors_path or ACTORS_PATH
        roles_path = roles_path or ROLES_PATH
        entries = parse_actors(_read_yaml(actors_path), source=str(actors_path))
        tables = parse_roles(_read_yaml(roles_path), source=str(roles_path))
        return cls(entries, tables=tables, source=str(actors_path))

    # -- look-ups --------------------------------------------------------------------------------

    def get(self, actor_id: str) -> ActorEntry | None:
        return self._by_id.get(actor_id)

    def lookup(self, text: str) -> ActorEntry | None:
        """The actor one of whose aliases ``text`` is, after normalisation."""
        if text in self._lookups:
            return self._lookups[text]
        return _remember(self._lookups, text, self._lookup(text))

    def _lookup(self, text: str) -> ActorEntry | None:
        key = fold(text)
        if not key:
            return None
        actor_id = self._exact.get(key) if _is_acronym(key) else self._folded.get(key.lower())
        return self._by_id[actor_id] if actor_id else None

    def country_of(self, text: str) -> str | None:
        """ISO alpha-3 of a country name or a (capitalised) demonym: "Iraqis", "the U.S." ..."""
        if text in self._countries_of:
            return self._countries_of[text]
        return _remember(self._countries_of, text, self._country_of(text))

    def _country_of(self, text: str) -> str | None:
        entry = self.lookup(text)
        if entry is not None:
            return entry.country if entry.type == "state" else None
        key = fold(text)
        if key[:1].isupper():
            return self._tables.demonyms.get(key.lower())
        return None

    def role_of(self, text: str) -> Role | None:
        """The role a noun phrase names: "troops", "defence minister", "senior officials"."""
        return self._match_role(text.split())

    def ref(self, entry: ActorEntry) -> ActorRef:
        return ActorRef(
            name=entry.name,
            actor_id=entry.actor_id,
            type=entry.type,
            country=entry.country,
            cameo_code=entry.cameo_code,
        )

    def resolve(self, text: str) -> ActorRef | None:
        """An ``ActorRef`` for a noun phrase: a known actor, country + role, a bare role or a
        country; a title before a known name ("Israeli Minister Zeev Elkin") gives the name."""
        if text in self._resolved:
            return self._resolved[text]
        return _remember(self._resolved, text, self._resolve(text))

    def _resolve(self, text: str) -> ActorRef | None:
        phrase = " ".join(text.split()).strip(_EDGE_PUNCT)
        lowered = phrase.lower()
        for det in _DETERMINERS:
            if lowered.startswith(det):
                phrase = phrase[len(det) :]
                break
        if not phrase:
            return None
        entry = self.lookup(phrase)
        if entry is not None:
            return self.ref(entry)
        return self._resolve_words(phrase.split(), phrase, titled=True)

    def _resolve_words(self, words: list[str], phrase: str, *, titled: bool) -> ActorRef | None:
        # a named actor after modifiers: "the so-called Islamic Resistance in Iraq".
        start = 0
        while start < len(words) - 1 and self._is_modifier(words[start]):
            start += 1
            entry = self.lookup(" ".join(words[start:]))
            if entry is not None:
                return self.ref(entry)
        # country or named actor + role: "Iraqi armed forces", "Israel's defence minister",
        # "Hezbollah fighters"; the longest prefix wins.
        for lenient in (False, True):  # "Iraqi security forces" before "Iraqi security" + "forces"
            for cut in range(len(words) - 1, 0, -1):
                role = self._match_role(words[cut:])
                if role is None:
                    continue
                found = self._owner(words[:cut], role, phrase, lenient=lenient)
                if found is not None:
                    return found
        # role + "of"/"in"/"from" + country: "Prime Minister of Iraq", "armed groups in Iraq".
        for cut, word in enumerate(words):
            if word.lower() in ("of", "in", "from") and 0 < cut < len(words) - 1:
                role = self._match_role(words[:cut])
                if role is not None:
                    found = self._owner(words[cut + 1 :], role, phrase)
                    if found is not None:
                        return found
        # country + named actor: "Lebanese Hezbollah".
        for cut in range(min(4, len(words) - 1), 0, -1):
            iso = self.country_of(" ".join(words[:cut]))
            if iso is not None:
                entry = self.lookup(" ".join(words[cut:]))
                if entry is not None and entry.type != "state" and entry.country in (iso, None):
                    return self.ref(entry)
        role = self._match_role(words)
        if role is not None:
            return ActorRef(name=phrase, type=role.type, cameo_code=role.code)
        iso = self.country_of(phrase)
        if iso is not None and iso in self._states:
            return self.ref(self._states[iso])
        if titled:
            # a title before a known name: "Iraqi Prime Minister Mohammed Shia al-Sudani".
            for cut in range(1, len(words)):
                entry = self.lookup(" ".join(words[cut:]))
                if entry is not None and entry.type != "state":
                    title = words[:cut]
                    if self._resolve_words(title, " ".join(title), titled=False) is not None:
                        return self.ref(entry)
            return self._national_name(words, phrase)
        return None

    def _owner(
        self, words: Sequence[str], role: Role, phrase: str, *, lenient: bool = False
    ) -> ActorRef | None:
        """The country or named actor before (or after) a role noun, past leading modifiers; with
        ``lenient`` also a country word before adjectives the tables do not list."""
        start = 0
        starts = [0]  # the whole prefix first: "Islamic State" before "State" without "Islamic"
        while start < len(words) - 1 and self._is_modifier(words[start]):
            start += 1
            starts.append(start)
        for first in starts:
            prefix = " ".join(words[first:])
            entry = self.lookup(prefix)
            if entry is not None and entry.type != "state":
                return self.ref(entry)
            iso = self.country_of(prefix) or _CAPITALS.get(fold(prefix).lower())
            if iso is not None:
                return _role_ref(iso, role, phrase)
        if not lenient:
            return None
        # a country word, then adjectives the tables do not list: "Nigerian junior foreign minister"
        for cut in (2, 1):
            rest = words[cut:]
            if cut < len(words) and all(w[:1].islower() for w in rest):
                iso = self.country_of(" ".join(words[:cut]))
                if iso is not None:
                    return _role_ref(iso, role, phrase)
        return None

    def _national_name(self, words: Sequence[str], phrase: str) -> ActorRef | None:
        """An organisation the base does not list, named after its country: "Nigerian Union of
        Teachers", "Kenyan Human Rights Commission" (a proper name: every word capitalised but
        the connectives, three words at least, a demonym first)."""
        if len(words) < 3 or not words[0][:1].isupper():
            return None
        if not all(w[:1].isupper() or w.lower() in _CONNECTIVES for w in words[1:]):
            return None
        if self._tables.demonyms.get(fold(words[0]).lower()) is None:
            return None
        iso = self.country_of(words[0])
        if iso is None:
            return None
        return ActorRef(name=phrase, type="organization", country=iso, cameo_code=iso)

    def _match_role(self, words: Sequence[str]) -> Role | None:
        """A role noun, possibly after modifiers ("senior", "defence", "Iran-backed")."""
        roles = self._tables.roles
        for start, word in enumerate(words):
            role = roles.get(fold(" ".join(words[start:])).lower())
            if role is not None:
                return role
            if not self._is_modifier(word):
                return None
        return None

    def _is_modifier(self, word: str) -> bool:
        key = fold(word).lower()
        if key in self._tables.modifiers:
            return True
        return bool(_COMPOUND_MODIFIER.search(word.lower().translate(_APOSTROPHES)))

    # -- memberships -----------------------------------------------------------------------------

    def groups_of(
        self, actor_id: str, *, on: str | None = None, transitive: bool = False
    ) -> tuple[ActorEntry, ...]:
        """The groups ``actor_id`` belongs to (on a YYYY[-MM[-DD]] date if given); with
        ``transitive`` also the groups those belong to, nearest first."""
        if on is not None:
            try:
                day = _date_text(on)
            except ValueError as exc:
                raise ValueError(f"groups_of(on=...): {exc}") from None
            assert day is not None
            start, end = _first_day(day), _last_day(day)
        out: dict[str, ActorEntry] = {}
        frontier = [actor_id]
        while frontier:
            following: list[str] = []
            for current in frontier:
                entry = self._by_id.get(current)
                if entry is None:
                    continue
                for membership in entry.memberships:
                    if on is not None and not _valid_on(membership, start, end):
                        continue
                    if membership.group not in out and membership.group != actor_id:
                        out[membership.group] = self._by_id[membership.group]
                        following.append(membership.group)
            frontier = following if transitive else []
        return tuple(out.values())

    def members_of(self, group_id: str, *, on: str | None = None) -> tuple[ActorEntry, ...]:
        """The direct members of a group (on a date if given)."""
        return tuple(
            e for e in self.entries if group_id in {g.actor_id for g in self.groups_of(e.actor_id, on=on)}
        )

    # -- spaCy patterns --------------------------------------------------------------------------

    def entity_patterns(
        self, *, tokenize: Callable[[str], Sequence[str]] | None = None
    ) -> list[dict[str, object]]:
        """EntityRuler patterns for the aliases of every non-state actor and the extra aliases of
        states; ``tokenize`` defaults to spaCy's English tokenizer so the patterns line up."""
        tokenize = tokenize or _english_tokens
        countries = _countries()
        patterns: list[dict[str, object]] = []
        seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        for entry in self.entries:
            aliases: Iterable[str] = (entry.name, *entry.aliases)
            if entry.type == "state":
                generated = countries.get(entry.actor_id)
                known = set(generated.aliases) if generated else set()
                aliases = [a for a in aliases if a not in known]
            for alias in aliases:
                exact = _is_acronym(fold(alias))
                for variant in _surface_variants(alias):
                    tokens = [t for t in tokenize(variant) if t.strip()]
                    if not tokens:
                        continue
                    attr = "ORTH" if exact else "LOWER"
                    key = tuple((attr, t if exact else t.lower()) for t in tokens)
                    if (entry.actor_id, key) in seen:
                        continue
                    seen.add((entry.actor_id, key))
                    patterns.append(
                        {"label": entry.ner_label, "pattern": [{a: t} for a, t in key], "id": entry.actor_id}
                    )
        return patterns


def _role_ref(iso: str, role: Role, phrase: str) -> ActorRef:
    code = f"{iso}{role.code}"
    return ActorRef(name=phrase, actor_id=code, type=role.type, country=iso, cameo_code=code)


_CONNECTIVES = frozenset({"of", "for", "and", "the", "on", "in", "de", "&"})
# Capitals that stand for their governments in a role phrase ("the Khartoum government", "the
# Kabul regime", "the government in Ankara"): used only as the owner of a role noun, never as an
# alias of the state, so the place itself is still geocoded as the city.
_CAPITALS: dict[str, str] = {
    "washington": "USA", "moscow": "RUS", "beijing": "CHN", "london": "GBR", "paris": "FRA",
    "berlin": "DEU", "rome": "ITA", "madrid": "ESP", "tokyo": "JPN", "seoul": "KOR", "pyongyang": "PRK",
    "tehran": "IRN", "baghdad": "IRQ", "damascus": "SYR", "beirut": "LBN", "amman": "JOR", "cairo": "EGY",
    "riyadh": "SAU", "sanaa": "YEM", "doha": "QAT", "abu dhabi": "ARE", "ankara": "TUR", "kabul": "AFG",
    "islamabad": "PAK", "new delhi": "IND", "dhaka": "BGD", "kathmandu": "NPL", "colombo": "LKA",
    "naypyidaw": "MMR", "bangkok": "THA", "hanoi": "VNM", "jakarta": "IDN", "manila": "PHL",
    "khartoum": "SDN", "juba": "SSD", "tripoli": "LBY", "tunis": "TUN", "algiers": "DZA", "rabat": "MAR",
    "addis ababa": "ETH", "asmara": "ERI", "mogadishu": "SOM", "nairobi": "KEN", "kampala": "UGA",
    "kigali": "RWA", "kinshasa": "COD", "abuja": "NGA", "bamako": "MLI", "niamey": "NER",
    "ouagadougou": "BFA", "ndjamena": "TCD", "n'djamena": "TCD", "dakar": "SEN", "harare": "ZWE",
    "pretoria": "ZAF", "luanda": "AGO", "maputo": "MOZ", "kyiv": "UKR", "kiev": "UKR", "minsk": "BLR",
    "tbilisi": "GEO", "yerevan": "ARM", "baku": "AZE", "belgrade": "SRB",
    "tirana": "ALB", "skopje": "MKD", "sarajevo": "BIH", "athens": "GRC", "warsaw": "POL",
    "havana": "CUB", "caracas": "VEN", "bogota": "COL", "managua": "NIC", "mexico city": "MEX",
    "ottawa": "CAN", "canberra": "AUS", "brasilia": "BRA", "buenos aires": "ARG", "lima": "PER",
}  # fmt: skip


def _surface_variants(alias: str) -> Iterator[str]:
    """The spellings of one alias that text may use: curly apostrophes, spaces for hyphens, ASCII."""
    variants = [alias]
    if "'" in alias:
        variants.append(alias.replace("'", "’"))
    if "-" in alias:
        variants.append(alias.replace("-", " "))
    ascii_form = "".join(c for c in unicodedata.normalize("NFKD", alias) if not unicodedata.combining(c))
    if ascii_form != alias:
        variants.append(ascii_form)
    yield from dict.fromkeys(variants)


@functools.cache
def _english_tokenizer() -> Callable[[str], Any]:
    import spacy

    return spacy.blank("en").tokenizer


def _english_tokens(text: str) -> list[str]:
    return [token.text for token in _english_tokenizer()(text)]


@functools.cache
def default_actor_base() -> ActorBase:
    """The packaged actor base, loaded once per process."""
    return ActorBase.load()
