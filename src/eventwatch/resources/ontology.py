"""The ontology tables (CAMEO codes, Goldstein scores, PLOVER types and modes, ACLED types) and
the event-trigger lexicon, read from reviewed YAML and validated once at load time.

Both files are data a person reviews (``cameo.yaml``, ``lexicon.yaml``); this module is the only
reader. A malformed entry raises :class:`~eventwatch.errors.ResourceError` naming the file and
the entry, so a bad edit fails at start-up, not halfway through a batch.

ACLED rules (:meth:`Ontology.acled`): ACLED codes political violence, demonstrations and a few
strategic developments; everything else is ``None``. The mode comes from ``plover_mode``, or
else from the CAMEO code's own mode (``"1952"`` gives ``drone``). Actor types are the actor
base's strings; ``state`` is armed on either side, ``government`` only as a source (a target
"government" is usually officials or buildings, not troops).

- ASSAULT, by mode: ``aerial``/``drone`` -> Explosions/Remote violence, Air/drone strike;
  ``heavy-weapons`` -> Shelling/artillery/missile attack; ``explosives`` -> Remote
  explosive/landmine/IED; ``suicide-attack`` -> Suicide bomb; ``grenade`` -> Grenade; ``cbrn``
  -> Chemical weapon; ``abduct`` -> Violence against civilians, Abduction/forced disappearance;
  ``sexual`` -> Violence against civilians, Sexual violence.
- ASSAULT otherwise (firearms, beat, torture, assassinate, unspecified): Battles, Armed clash
  when an armed target is attacked by any source but a crowd or a lone person (an
  "organization" that kills troops is an armed group), or by no named source ("20 militants
  were killed"), or two armed sources fight with no target named; a ``state`` target (a
  country) counts as armed only when a state attacks it; Riots, Mob violence when only
  civilians attack; else Violence against civilians, Attack (a civilian target, or no armed
  target). Mode ``cyber``-like actions have no ACLED type.
- COERCE ``occupy`` (seize a town, territory): Battles, Government regains territory by a state
  actor; Non-state actor overtakes territory by an armed non-state actor; ``arrest`` ->
  Strategic developments, Arrests (not a charge or an indictment: a court's step);
  ``confiscate``/``destroy``/``loot`` -> Strategic developments, Looting/property destruction,
  except destroying with people as the target ("set a man ablaze"): an attack, as ASSAULT.
- PROTEST: ``riot`` or ``violent=True`` -> Riots, Violent demonstration; ``intervention`` ->
  Protests, Protest with intervention; ``excessive-force`` -> Protests, Excessive force
  against protesters; ``boycott`` -> None (no gathering); anything else -> Protests, Peaceful
  protest. A state "protesting" is diplomacy (None); a state's people rallying is a protest.
- Agreement, as ACLED's codebook draws it (peace talks, ceasefires, evacuation deals, prisoner
  exchanges and releases, surrenders): AGREE ``ceasefire``/``peace``, RETREAT ``ceasefire`` (or
  CAMEO 0871) unless every known party is unarmed; CONSULT ``peace`` (peace talks) or
  negotiations with a non-state armed party; a signed deal (057) with a non-state armed or
  military party; RETREAT ``release`` as an exchange or with a non-state armed party; a
  surrender. RETREAT ``withdraw`` otherwise -> Strategic developments, Non-violent transfer of
  territory, unless the source is known and unarmed.
- MOBILIZE ``base`` -> Strategic developments, Headquarters or base established; ``troops`` or
  ``weapons`` -> Strategic developments, Change to group/activity (ACLED codes deployments,
  reinforcements and troop movements of armed groups there, not under Other).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from eventwatch.errors import ResourceError
from eventwatch.model import PLOVER_TYPES

__all__ = [
    "ACLED_TYPES",
    "ACTOR_TYPES",
    "CAMEO_PATH",
    "LEXICON_PATH",
    "PLOVER_MODES",
    "PLOVER_QUAD",
    "PLOVER_TYPES",
    "CameoCode",
    "Lexicon",
    "Ontology",
    "Trigger",
    "default_lexicon",
    "default_ontology",
    "load_lexicon",
]

CAMEO_PATH = Path(__file__).with_name("cameo.yaml")
LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")

PLOVER_QUAD: dict[str, int] = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), 1),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), 2),
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "THREATEN"), 3),
    **dict.fromkeys(("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"), 4),
}

# PLOVER 2021 modes, plus the few eventwatch adds where ACLED needs a distinction PLOVER leaves to
# context (ASSAULT aerial/drone/grenade/cbrn/cleansing, COERCE occupy/loot, AGREE ceasefire/peace,
# CONSULT peace (peace talks),
# MOBILIZE base, SANCTION embargo, THREATEN ultimatum, PROTEST intervention/excessive-force).
PLOVER_MODES: dict[str, tuple[str, ...]] = {
    "AGREE": ("ceasefire", "peace"),
    "CONSULT": ("phone", "visit", "host", "third-party", "multilateral", "mediate", "negotiate", "peace"),
    "SUPPORT": (),
    "CONCEDE": ("ease", "reform", "apology"),
    "COOPERATE": ("economic", "military", "legal", "intelligence"),
    "AID": ("economic", "military", "humanitarian", "peacekeeping", "asylum"),
    "RETREAT": ("withdraw", "release", "return", "disarm", "ceasefire", "access", "resign"),
    "REQUEST": ("assist", "change", "yield", "meet"),
    "ACCUSE": ("disapprove", "investigate"),
    "REJECT": ("assist", "change", "yield", "meet"),
    "THREATEN": ("restrict", "ban", "arrest", "relations", "expel", "territory", "violence", "ultimatum"),
    "PROTEST": (
        "demo", "riot", "strike-gen", "strike-lim", "strike-hun", "boycott", "obstruct",
        "intervention", "excessive-force",
    ),
    "SANCTION": ("convict", "cancel", "expel", "withdraw", "sever", "embargo"),
    "MOBILIZE": ("troops", "weapons", "police", "base"),
    "COERCE": (
        "confiscate", "destroy", "restrict", "ban", "censor", "curfew", "martial-law", "arrest",
        "deport", "withhold", "occupy", "loot", "weapons",
    ),
    "ASSAULT": (
        "abduct", "beat", "torture", "execute", "sexual", "assassinate", "primitive", "firearms",
        "explosives", "suicide-attack", "heavy-weapons", "aerial", "drone", "grenade", "cbrn",
        "cleansing",
    ),
}  # fmt: skip

ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    ),
}  # fmt: skip

ACTOR_TYPES: frozenset[str] = frozenset(
    {
        "state", "government", "military", "police", "intelligence", "armed_group", "rebel", "militia",
        "political_party", "igo", "ngo", "media", "civilians", "person", "judiciary", "legislature",
        "business", "religious",
    }
)  # fmt: skip

# Actors that can fight; ``government`` counts only as a source (see the module docstring).
_ARMED: frozenset[str] = frozenset(
    {"state", "military", "police", "intelligence", "armed_group", "rebel", "militia"}
)
_STATE_SIDE: frozenset[str] = frozenset({"state", "government", "military", "police", "intelligence"})
# Sources whose attack on an armed target is no battle (a crowd, a lone person).
_UNARMED_SOURCES: frozenset[str] = frozenset({"civilians", "person"})
_NON_STATE_ARMED: frozenset[str] = frozenset({"armed_group", "rebel", "militia"})
_PEOPLE: frozenset[str] = frozenset({"civilians", "person"})
# word beginnings (lemma or inflected form) that the ACLED rules read off the trigger
_JUDICIAL_STEMS: tuple[str, ...] = ("charg", "indict", "prosecut", "arraign")
_EXCHANGE_STEMS: tuple[str, ...] = ("exchang", "swap")

# The CAMEO code to report when only a PLOVER type (and mode) is known.
_TYPE_DEFAULT: dict[str, str] = {
    "AGREE": "030", "CONSULT": "040", "SUPPORT": "051", "CONCEDE": "080", "COOPERATE": "060",
    "AID": "070", "RETREAT": "087", "REQUEST": "020", "ACCUSE": "112", "REJECT": "120",
    "THREATEN": "130", "PROTEST": "140", "SANCTION": "160", "MOBILIZE": "150", "COERCE": "170",
    "ASSAULT": "190",
}  # fmt: skip
# Where a mode points at a more specific code. AGREE ceasefire/peace -> 057 (a signed agreement,
# as the worked example codes the Lebanon truce); ASSAULT drone -> 195, GDELT's aerial code, as
# the worked example codes drone attacks (1952 is the finer CAMEO 1.1b3 leaf).
_MODE_DEFAULT: dict[tuple[str, str], str] = {
    ("AGREE", "ceasefire"): "057", ("AGREE", "peace"): "057",
    ("CONSULT", "phone"): "041", ("CONSULT", "visit"): "042", ("CONSULT", "host"): "043",
    ("CONSULT", "third-party"): "044", ("CONSULT", "multilateral"): "040",
    ("CONSULT", "mediate"): "045", ("CONSULT", "negotiate"): "046", ("CONSULT", "peace"): "046",
    ("CONCEDE", "ease"): "081", ("CONCEDE", "reform"): "083", ("CONCEDE", "apology"): "055",
    ("COOPERATE", "economic"): "061", ("COOPERATE", "military"): "062",
    ("COOPERATE", "legal"): "063", ("COOPERATE", "intelligence"): "064",
    ("AID", "economic"): "071", ("AID", "military"): "072", ("AID", "humanitarian"): "073",
    ("AID", "peacekeeping"): "074", ("AID", "asylum"): "075",
    ("RETREAT", "withdraw"): "0874", ("RETREAT", "release"): "0841", ("RETREAT", "return"): "0842",
    ("RETREAT", "disarm"): "0873", ("RETREAT", "ceasefire"): "0871", ("RETREAT", "access"): "086",
    ("RETREAT", "resign"): "0831",
    ("REQUEST", "assist"): "021", ("REQUEST", "change"): "024", ("REQUEST", "yield"): "025",
    ("REQUEST", "meet"): "026",
    ("ACCUSE", "disapprove"): "111", ("ACCUSE", "investigate"): "090",
    ("REJECT", "assist"): "121", ("REJECT", "change"): "123", ("REJECT", "yield"): "124",
    ("REJECT", "meet"): "125",
    ("THREATEN", "restrict"): "132", ("THREATEN", "ban"): "1322", ("THREATEN", "arrest"): "137",
    ("THREATEN", "relations"): "131", ("THREATEN", "expel"): "136", ("THREATEN", "territory"): "1382",
    ("THREATEN", "violence"): "138", ("THREATEN", "ultimatum"): "139",
    ("PROTEST", "demo"): "141", ("PROTEST", "riot"): "145", ("PROTEST", "strike-gen"): "143",
    ("PROTEST", "strike-lim"): "143", ("PROTEST", "strike-hun"): "142", ("PROTEST", "boycott"): "143",
    ("PROTEST", "obstruct"): "144", ("PROTEST", "intervention"): "141",
    ("PROTEST", "excessive-force"): "141",
    ("SANCTION", "convict"): "116", ("SANCTION", "cancel"): "164", ("SANCTION", "expel"): "166",
    ("SANCTION", "withdraw"): "162", ("SANCTION", "sever"): "161", ("SANCTION", "embargo"): "163",
    ("MOBILIZE", "troops"): "154", ("MOBILIZE", "weapons"): "150", ("MOBILIZE", "police"): "153",
    ("MOBILIZE", "base"): "150",
    ("COERCE", "confiscate"): "1711", ("COERCE", "destroy"): "1712", ("COERCE", "restrict"): "172",
    ("COERCE", "ban"): "1722", ("COERCE", "censor"): "1721", ("COERCE", "curfew"): "1723",
    ("COERCE", "martial-law"): "1724", ("COERCE", "arrest"): "173", ("COERCE", "deport"): "174",
    ("COERCE", "withhold"): "172", ("COERCE", "occupy"): "192", ("COERCE", "loot"): "171",
    ("COERCE", "weapons"): "1711",
    ("ASSAULT", "abduct"): "181", ("ASSAULT", "beat"): "182", ("ASSAULT", "torture"): "1822",
    ("ASSAULT", "execute"): "1823", ("ASSAULT", "sexual"): "1821", ("ASSAULT", "assassinate"): "186",
    ("ASSAULT", "primitive"): "182", ("ASSAULT", "firearms"): "193", ("ASSAULT", "explosives"): "183",
    ("ASSAULT", "suicide-attack"): "1831", ("ASSAULT", "heavy-weapons"): "194",
    ("ASSAULT", "aerial"): "195", ("ASSAULT", "drone"): "195", ("ASSAULT", "grenade"): "190",
    ("ASSAULT", "cbrn"): "204", ("ASSAULT", "cleansing"): "202",
}  # fmt: skip

_CODE_RE = re.compile(r"^\d{2,4}$")
_CAMEO_KEYS = frozenset({"name", "goldstein", "plover", "mode"})


def _quad_of_root(root: int) -> int:
    """CAMEO's quad class from the 2-digit root: 01-05 verbal cooperation ... 14-20 material conflict."""
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13:
        return 3
    return 4


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    plover_type: str | None
    plover_mode: str | None
    quad_class: int

    @property
    def root(self) -> str:
        return self.code[:2]


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ResourceError(f"{path}: not valid YAML ({exc})") from exc


def _parent(code: str) -> str | None:
    """The code one level up: "0871" -> "087", "087" -> "08", "08" -> None."""
    if len(code) == 4:
        return code[:3]
    if len(code) == 3:
        return code[:2]
    return None


def _check_plover(where: str, plover: Any, mode: Any) -> tuple[str | None, str | None]:
    if plover is not None and plover not in PLOVER_TYPES:
        raise ResourceError(f"{where}: unknown PLOVER type {plover!r} (one of {', '.join(PLOVER_TYPES)})")
    if mode is not None:
        if plover is None:
            raise ResourceError(f"{where}: mode {mode!r} given without a PLOVER type")
        if mode not in PLOVER_MODES[plover]:
            allowed = ", ".join(PLOVER_MODES[plover]) or "none"
            raise ResourceError(f"{where}: mode {mode!r} is not a {plover} mode (allowed: {allowed})")
    return plover, mode


def _parse_cameo(path: Path, data: Any) -> dict[str, CameoCode]:
    if not isinstance(data, dict) or not isinstance(data.get("codes"), dict):
        raise ResourceError(f"{path}: expected a mapping with a 'codes' mapping at the top")
    codes: dict[str, CameoCode] = {}
    for raw_code, entry in data["codes"].items():
        code = str(raw_code)
        where = f"{path}: entry {code!r}"
        if not isinstance(raw_code, str) or not _CODE_RE.match(code):
            raise ResourceError(f"{where}: a code is a quoted string of 2 to 4 digits")
        root = int(code[:2])
        if not 1 <= root <= 20:
            raise ResourceError(f"{where}: root {code[:2]} is outside 01-20")
        if not isinstance(entry, dict):
            raise ResourceError(f"{where}: expected a mapping with {', '.join(sorted(_CAMEO_KEYS))}")
        unknown = set(entry) - _CAMEO_KEYS
        missing = _CAMEO_KEYS - set(entry)
        if unknown or missing:
            raise ResourceError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
        name, goldstein = entry["name"], entry["goldstein"]
        if not isinstance(name, str) or not name.strip():
            raise ResourceError(f"{where}: name must be a non-empty string")
        if isinstance(goldstein, bool) or not isinstance(goldstein, (int, float)):
            raise ResourceError(f"{where}: goldstein must be a number, got {goldstein!r}")
        if not -10.0 <= float(goldstein) <= 10.0:
            raise ResourceError(f"{where}: goldstein {goldstein} is outside [-10, 10]")
        plover, mode = _check_plover(where, entry["plover"], entry["mode"])
        codes[code] = CameoCode(code, name.strip(), float(goldstein), plover, mode, _quad_of_root(root))
    for code in codes:
        parent = _parent(code)
        if parent is not None and parent not in codes:
            raise ResourceError(f"{path}: entry {code!r}: parent code {parent!r} is missing")
    return codes


class Ontology:
    """CAMEO codes with Goldstein scores and PLOVER mappings; PLOVER and ACLED rules over them."""

    def __init__(self, codes: Mapping[str, CameoCode], *, source: str = "<memory>") -> None:
        self._codes = dict(codes)
        self.source = source

    @classmethod
    def load(cls, path: Path | None = None) -> Ontology:
        """Read and validate ``cameo.yaml`` (or ``path``); raises ResourceError on a bad entry."""
        path = path or CAMEO_PATH
        return cls(_parse_cameo(path, _read_yaml(path)), source=str(path))

    @property
    def codes(self) -> Mapping[str, CameoCode]:
        return self._codes

    def cameo(self, code: str) -> CameoCode | None:
        """The entry for ``code``: "19", "190" (the root's unspecified leaf), "195", "0871".

        A 3-digit code ending in 0 is its root where the table lacks it; unknown codes give None.
        """
        key = str(code).strip()
        found = self._codes.get(key)
        if found is None and len(key) == 3 and key.endswith("0"):
            found = self._codes.get(key[:2])
        return found

    def goldstein(self, code: str) -> float | None:
        entry = self.cameo(code)
        return None if entry is None else entry.goldstein

    def parent(self, code: str) -> CameoCode | None:
        parent = _parent(str(code).strip())
        return None if parent is None else self.cameo(parent)

    def quad_class(self, plover_type: str) -> int:
        """PLOVER quad: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material."""
        try:
            return PLOVER_QUAD[plover_type]
        except KeyError:
            raise ValueError(f"unknown PLOVER type {plover_type!r}") from None

    def default_cameo(self, plover_type: str, plover_mode: str | None = None) -> str:
        """The CAMEO code to report when only the PLOVER type (and mode) is known.

        The type's generic code ("190" for ASSAULT, "120" for REJECT, "030" for AGREE: an intent
        to cooperate, as PLOVER defines AGREE), or the mode's more specific one ("195" for drone,
        "0871" for RETREAT ceasefire, "057" for AGREE ceasefire). An unknown mode falls back to
        the type's code.
        """
        if plover_type not in _TYPE_DEFAULT:
            raise ValueError(f"unknown PLOVER type {plover_type!r}")
        if plover_mode is not None and (plover_type, plover_mode) in _MODE_DEFAULT:
            return _MODE_DEFAULT[(plover_type, plover_mode)]
        return _TYPE_DEFAULT[plover_type]

    def mode_of(self, plover_mode: str | None, cameo_code: str | None) -> str | None:
        """The given mode, or else the CAMEO code's own mode."""
        if plover_mode is not None or cameo_code is None:
            return plover_mode
        entry = self.cameo(cameo_code)
        return None if entry is None else entry.plover_mode

    def recode_for_modality(self, plover_type: str, cameo_code: str, modality: str) -> tuple[str, str] | None:
        """(PLOVER type, CAMEO code) that CAMEO gives an action that is only announced or refused,
        or None where the event keeps its own.

        CAMEO codes the statement, not the act: a cooperative act that is promised or planned is
        an expression of intent to cooperate (03x, PLOVER AGREE: "will release the hostages"
        0353); a conflictual act that is announced, planned or threatened is a threat (13x,
        THREATEN: "will impose a curfew" 1323); a cooperative act that is refused or negated is a
        rejection (12x, REJECT: "will not lift the embargo" 1244). Verbal acts (REQUEST, ACCUSE,
        REJECT, THREATEN, AGREE), mobilisation and attacks (recoded by the event builder) keep
        their type.
        """
        code = cameo_code.strip()
        if modality in ("intended", "planned"):
            found = _longest(_INTENT_CODES, code)
            if found is not None:
                return ("AGREE", found)
        if modality in ("intended", "planned", "threatened"):
            found = _longest(_THREAT_CODES, code)
            if found is not None:
                return ("THREATEN", found)
        if modality == "denied" and plover_type not in ("AGREE",):
            found = _longest(_REFUSAL_CODES, code)
            if found is not None:
                return ("REJECT", found)
        return None

    def acled(
        self,
        *,
        plover_type: str,
        plover_mode: str | None,
        cameo_code: str | None,
        source_types: Sequence[str],
        target_types: Sequence[str],
        violent: bool = False,
        trigger: str | None = None,
    ) -> tuple[str, str] | None:
        """ACLED (event_type, sub_event_type) where ACLED would code the event, else None.

        ``trigger`` is the word that names the event (lemma or inflected form), for the few rules
        the code alone cannot decide ("surrendered" is an agreement, "charged" no arrest). The
        rules are listed in the module docstring.
        """
        mode = self.mode_of(plover_mode, cameo_code)
        sources = [t for t in source_types if t]
        targets = [t for t in target_types if t]
        word = (trigger or "").strip().lower()
        code = (cameo_code or "").strip()
        if plover_type == "ASSAULT":
            return _acled_assault(mode, sources, targets)
        if plover_type == "COERCE":
            if mode == "arrest" and word.startswith(_JUDICIAL_STEMS):
                return None  # a charge or an indictment is a court's step, not a detention
            if mode == "destroy" and any(t in _PEOPLE for t in targets):
                return _acled_assault(None, sources, targets)  # "set a man ablaze": an attack
            return _acled_coerce(mode, sources)
        if plover_type == "PROTEST":
            diplomatic = not word or word.startswith(("protest", "condemn"))
            if diplomatic and sources and all(t in ("state", "government", "igo") for t in sources):
                return None  # a government's diplomatic protest is no demonstration
            return _acled_protest(mode, violent=violent)
        if plover_type == "CONSULT":
            parties = sources + targets
            if mode == "peace" or (mode == "negotiate" and any(t in _NON_STATE_ARMED for t in parties)):
                return ("Strategic developments", "Agreement")  # peace talks, as ACLED codes them
            return None
        if plover_type in ("AGREE", "RETREAT"):
            return _acled_agreement(plover_type, mode, code, sources, targets, word)
        if plover_type == "MOBILIZE":
            if mode == "base":
                return ("Strategic developments", "Headquarters or base established")
            if mode in ("troops", "weapons"):
                return ("Strategic developments", "Change to group/activity")
        return None


# CAMEO recodes an announced, planned or refused act by the statement it makes (see
# Ontology.recode_for_modality); keys are code prefixes, the longest matching prefix wins.
_INTENT_CODES: dict[str, str] = {
    "04": "036", "045": "039", "05": "032", "06": "031", "061": "0311", "062": "0312", "063": "0313",
    "064": "0314", "07": "033", "071": "0331", "072": "0332", "073": "0333", "074": "0334",
    "08": "035", "081": "0351", "082": "0352", "083": "034", "0831": "0341", "084": "0353",
    "085": "0354", "086": "0355", "087": "0356",
}  # fmt: skip
_THREAT_CODES: dict[str, str] = {
    "14": "133", "16": "131", "161": "1313", "162": "1311", "163": "1312", "164": "134", "165": "135",
    "166": "136", "17": "137", "172": "132", "1721": "1321", "1722": "1322", "1723": "1323",
    "1724": "1324", "191": "1381", "192": "1382",
}  # fmt: skip
_REFUSAL_CODES: dict[str, str] = {
    "03": "120", "04": "125", "045": "126", "05": "120", "06": "121", "061": "1211", "062": "1212",
    "063": "1213", "064": "1214", "07": "122", "071": "1221", "072": "1222", "073": "1223",
    "074": "1224", "08": "124", "081": "1241", "082": "1242", "083": "123", "084": "1243",
    "085": "1244", "086": "1245", "087": "1246",
}  # fmt: skip


def _longest(table: Mapping[str, str], code: str) -> str | None:
    """The value of the longest key of ``table`` that ``code`` starts with."""
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


_ASSAULT_BY_MODE: dict[str, tuple[str, str]] = {
    "aerial": ("Explosions/Remote violence", "Air/drone strike"),
    "drone": ("Explosions/Remote violence", "Air/drone strike"),
    "heavy-weapons": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "explosives": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "suicide-attack": ("Explosions/Remote violence", "Suicide bomb"),
    "grenade": ("Explosions/Remote violence", "Grenade"),
    "cbrn": ("Explosions/Remote violence", "Chemical weapon"),
    "abduct": ("Violence against civilians", "Abduction/forced disappearance"),
    "sexual": ("Violence against civilians", "Sexual violence"),
}


def _acled_assault(mode: str | None, sources: list[str], targets: list[str]) -> tuple[str, str]:
    if mode is not None and mode in _ASSAULT_BY_MODE:
        return _ASSAULT_BY_MODE[mode]
    armed_sources = [t for t in sources if t in _ARMED or t == "government"]
    # a country as the target is its forces only when a state attacks it ("an Israeli vehicle" is
    # no army); armed victims make a battle unless a crowd or a lone person is the attacker, and
    # so do armed victims of an attacker left untold ("20 militants were killed")
    interstate = any(t in _STATE_SIDE for t in sources)
    armed_targets = [t for t in targets if t in _ARMED and (t != "state" or interstate)]
    untold = not sources and mode in (None, "firearms")  # not a massacre, torture or cleansing
    if armed_targets and (armed_sources or untold or not all(t in _UNARMED_SOURCES for t in sources)):
        return ("Battles", "Armed clash")
    if len(armed_sources) >= 2 and not targets:
        return ("Battles", "Armed clash")
    if sources and all(t == "civilians" for t in sources):
        return ("Riots", "Mob violence")
    return ("Violence against civilians", "Attack")


def _acled_agreement(
    plover_type: str, mode: str | None, code: str, sources: list[str], targets: list[str], word: str
) -> tuple[str, str] | None:
    """ACLED's Agreement covers ceasefires, peace deals and any deal an armed party makes
    (evacuation deals, prisoner exchanges and releases, surrenders); a withdrawal of an armed
    force is a non-violent transfer of territory."""
    agreement = ("Strategic developments", "Agreement")
    parties = sources + targets
    armed_party = any(t in _ARMED or t == "government" for t in parties)
    non_state_party = any(t in _NON_STATE_ARMED for t in parties)
    ceasefire = mode in ("ceasefire", "peace") or code == "0871"
    if ceasefire and (not parties or armed_party):
        return agreement
    if plover_type == "AGREE" and code == "057" and (non_state_party or "military" in parties):
        return agreement  # a signed deal with or between fighters
    if plover_type != "RETREAT":
        return None
    if mode == "release" and (word.startswith(_EXCHANGE_STEMS) or non_state_party):
        return agreement  # prisoners exchanged, hostages freed by or to an armed group
    if mode == "withdraw" and word.startswith("surrender"):
        return agreement if not sources or armed_party else None
    armed_source = not sources or any(t in _ARMED or t == "government" for t in sources)
    if mode == "withdraw" and armed_source:
        return ("Strategic developments", "Non-violent transfer of territory")
    return None


def _acled_coerce(mode: str | None, sources: list[str]) -> tuple[str, str] | None:
    if mode == "occupy":
        if any(t in _STATE_SIDE for t in sources):
            return ("Battles", "Government regains territory")
        if any(t in _NON_STATE_ARMED for t in sources):
            return ("Battles", "Non-state actor overtakes territory")
        return None
    if mode == "arrest":
        return ("Strategic developments", "Arrests")
    if mode == "weapons":
        return ("Strategic developments", "Disrupted weapons use")
    if mode in ("confiscate", "destroy", "loot"):
        return ("Strategic developments", "Looting/property destruction")
    return None


def _acled_protest(mode: str | None, *, violent: bool) -> tuple[str, str] | None:
    if mode == "riot" or violent:
        return ("Riots", "Violent demonstration")
    if mode == "intervention":
        return ("Protests", "Protest with intervention")
    if mode == "excessive-force":
        return ("Protests", "Excessive force against protesters")
    if mode == "boycott":
        return None
    return ("Protests", "Peaceful protest")


@functools.cache
def default_ontology() -> Ontology:
    """The packaged ontology, read once per process."""
    return Ontology.load()


# --------------------------------------------------------------------------------------------
# The event-trigger lexicon


@dataclass(frozen=True, slots=True)
class Trigger:
    """One lexicon entry, resolved: the PLOVER type and mode are final (the entry's own, else
    the CAMEO code's). ``lemma`` is as written ("call for"); ``head`` is its first word and
    ``particles`` the rest, which the matcher finds among the head's children (particle,
    preposition or object: "call for", "pull out", "take part")."""

    pos: Literal["verb", "noun"]
    lemma: str
    head: str
    particles: tuple[str, ...]
    cameo: str
    plover_type: str
    plover_mode: str | None
    objects: frozenset[str] = frozenset()
    prep: str | None = None
    not_objects: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
    confidence: float = 1.0
    index: int = 0  # position in its section: the matcher takes the first entry that holds
    subjects: frozenset[str] = frozenset()  # a verb's subject must be one of these ("crowds gathered")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Light verbs, verb triggers and noun triggers, in file order (most specific first)."""

    light_verbs: frozenset[str]
    verbs: tuple[Trigger, ...]
    nouns: tuple[Trigger, ...]
    _by_head: dict[tuple[str, str], tuple[Trigger, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index: dict[tuple[str, str], list[Trigger]] = {}
        for entry in (*self.verbs, *self.nouns):
            index.setdefault((entry.pos, entry.head), []).append(entry)
        self._by_head.update({k: tuple(v) for k, v in index.items()})

    def verb_entries(self, head_lemma: str) -> tuple[Trigger, ...]:
        """The verb entries whose first word is ``head_lemma``, in file order."""
        return self._by_head.get(("verb", head_lemma.lower()), ())

    def noun_entries(self, lemma: str) -> tuple[Trigger, ...]:
        return self._by_head.get(("noun", lemma.lower()), ())


_VERB_KEYS = frozenset(
    {"lemma", "cameo", "plover", "mode", "objects", "prep", "not_objects", "confidence", "subjects"}
)
_NOUN_KEYS = frozenset({"lemma", "cameo", "plover", "mode", "modifiers", "confidence"})
_SECTIONS: tuple[tuple[str, Literal["verb", "noun"]], ...] = (("verbs", "verb"), ("nouns", "noun"))


def _words(where: str, key: str, value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ResourceError(f"{where}: {key} must be a list of words")
    return frozenset(v.strip().lower() for v in value)


def _parse_trigger(
    where: str, pos: Literal["verb", "noun"], entry: Any, index: int, ontology: Ontology
) -> Trigger:
    allowed = _VERB_KEYS if pos == "verb" else _NOUN_KEYS
    if not isinstance(entry, dict):
        raise ResourceError(f"{where}: expected a mapping")
    lemma = entry.get("lemma")
    if not isinstance(lemma, str) or not lemma.strip():
        raise ResourceError(f"{where}: lemma must be a non-empty string")
    where = f"{where} ({lemma!r})"
    unknown = set(entry) - allowed
    if unknown:
        allowed_keys = ", ".join(sorted(allowed))
        raise ResourceError(f"{where}: unknown keys {sorted(unknown)} (allowed: {allowed_keys})")
    code = entry.get("cameo")
    if not isinstance(code, str):
        raise ResourceError(f"{where}: cameo must be a quoted code string, got {code!r}")
    cameo = ontology.cameo(code)
    if cameo is None or cameo.code != code:
        raise ResourceError(f"{where}: cameo code {code!r} is not in {ontology.source}")
    if "plover" in entry and entry["plover"] is not None:
        plover = entry["plover"]
        inherited_mode = cameo.plover_mode if plover == cameo.plover_type else None
    else:
        plover, inherited_mode = cameo.plover_type, cameo.plover_mode
    if plover is None:
        raise ResourceError(f"{where}: cameo {code!r} maps to no PLOVER type; give 'plover'")
    mode = entry.get("mode", inherited_mode)
    plover, mode = _check_plover(where, plover, mode)
    assert plover is not None
    prep = entry.get("prep")
    if prep is not None and (not isinstance(prep, str) or not prep.strip()):
        raise ResourceError(f"{where}: prep must be a word or null")
    confidence = entry.get("confidence", 1.0)
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 < confidence <= 1:
        raise ResourceError(f"{where}: confidence must be a number in (0, 1], got {confidence!r}")
    words = lemma.strip().lower().split()
    return Trigger(
        pos=pos,
        lemma=" ".join(words),
        head=words[0],
        particles=tuple(words[1:]),
        cameo=code,
        plover_type=plover,
        plover_mode=mode,
        objects=_words(where, "objects", entry.get("objects")),
        prep=prep.strip().lower() if isinstance(prep, str) else None,
        not_objects=_words(where, "not_objects", entry.get("not_objects")),
        modifiers=_words(where, "modifiers", entry.get("modifiers")),
        confidence=float(confidence),
        index=index,
        subjects=_words(where, "subjects", entry.get("subjects")),
    )


def load_lexicon(path: Path | None = None, *, ontology: Ontology | None = None) -> Lexicon:
    """Read and validate ``lexicon.yaml`` against the ontology; raises ResourceError naming the
    file and entry on any problem."""
    path = path or LEXICON_PATH
    ontology = ontology or default_ontology()
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ResourceError(f"{path}: expected a mapping with light_verbs, verbs and nouns")
    unknown = set(data) - {"light_verbs", "verbs", "nouns"}
    if unknown:
        raise ResourceError(f"{path}: unknown top-level keys {sorted(unknown)}")
    light = _words(f"{path}: light_verbs", "light_verbs", data.get("light_verbs"))
    sections: dict[str, list[Trigger]] = {"verbs": [], "nouns": []}
    for section, pos in _SECTIONS:
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise ResourceError(f"{path}: {section} must be a list of entries")
        for i, entry in enumerate(entries):
            where = f"{path}: {section}[{i}]"
            sections[section].append(_parse_trigger(where, pos, entry, i, ontology))
    return Lexicon(light_verbs=light, verbs=tuple(sections["verbs"]), nouns=tuple(sections["nouns"]))


@functools.cache
def default_lexicon() -> Lexicon:
    """The packaged lexicon, read once per process."""
    return load_lexicon()
