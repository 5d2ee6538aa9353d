"""Scorers for the event datasets: PLOVER GSR, ConfliBERT CAMEO, PETRARCH-2 GSR, CASE 2021,
MUC-4 (GRIT) and the ACLED sets. Definitions: each folder's README and ``score.py``'s docstring.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from eventwatch.evaluate.data import NO_PREDICTIONS, ArticlePredictions
from eventwatch.evaluate.matching import (
    JsonDict,
    Span,
    accuracy,
    as_number,
    class_f1,
    haversine_km,
    macro_f1,
    match_spans,
    norm_label,
    pick_event,
    plover_type,
    prf,
    share,
    span_of,
)
from eventwatch.evaluate.results import MetricTable

Predictions = Mapping[str, ArticlePredictions]
_TWO_DIGITS = re.compile(r"\d\d")


def _preds(predictions: Predictions, gold: JsonDict) -> ArticlePredictions:
    return predictions.get(gold["id"], NO_PREDICTIONS)


def _actors(event: JsonDict, role: str) -> list[JsonDict]:
    return [a for a in event.get(role) or [] if isinstance(a, dict)]


# --- PLOVER GSR ---------------------------------------------------------------------------------


def score_plover(gold: Sequence[JsonDict], predictions: Predictions, table: MetricTable) -> None:
    """Types per sentence (micro P/R/F1), the first event's type, the first event's source country."""
    total = [0, 0, 0]
    per_type: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    first_ok = 0
    country_n = country_ok = 0
    for g in gold:
        events = _preds(predictions, g).events
        gold_types = {e["plover_type"] for e in g["events"]}
        pred_types = {t for t in map(plover_type, events) if t}
        for t in gold_types | pred_types:
            counts = per_type[t]
            counts[0] += t in gold_types and t in pred_types
            counts[1] += t in pred_types and t not in gold_types
            counts[2] += t in gold_types and t not in pred_types
        total[0] += len(gold_types & pred_types)
        total[1] += len(pred_types - gold_types)
        total[2] += len(gold_types - pred_types)
        first = events[0] if events else None
        first_ok += first is not None and plover_type(first) in gold_types
        gold_countries = {a["country"] for e in g["events"] for a in e["source"] if a.get("country")}
        if gold_countries:
            country_n += 1
            if first is not None:
                predicted = {
                    str(a["country"]).strip().upper()
                    for a in _actors(first, "source_actors")
                    if a.get("country")
                }
                country_ok += bool(predicted & gold_countries)
    table.add_prf("type", *total, summary_pr=True)
    table.add("first_type_acc", share(first_ok, len(gold)), len(gold), summary=True)
    table.add("src_country_acc", share(country_ok, country_n), country_n, summary=True)
    for t in sorted(per_type):
        tp, fp, fn = per_type[t]
        table.add(f"f1[{t}]", prf(tp, fp, fn)[2], tp + fn)


# --- ConfliBERT CAMEO ---------------------------------------------------------------------------

PLOVER_TO_PENTA = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT"), 1),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT", "CONCEDE"), 2),
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "THREATEN", "SANCTION"), 3),
    **dict.fromkeys(("PROTEST", "MOBILIZE", "COERCE", "ASSAULT"), 4),
}
PENTA_CLASSES = frozenset("01234")


def penta_of_root(root: int) -> int | None:
    """Phoenix PentaClass of a CAMEO root (01-20)."""
    if 1 <= root <= 2:
        return 0
    if 3 <= root <= 5:
        return 1
    if 6 <= root <= 8:
        return 2
    if 9 <= root <= 13 or root == 16:
        return 3
    if 14 <= root <= 15 or 17 <= root <= 20:
        return 4
    return None


def penta_of_event(event: JsonDict | None) -> int | None:
    """From the CAMEO root when there is one, else from the PLOVER type; no event is class 0."""
    if event is None:
        return 0
    code = str(event.get("cameo_code") or "").strip()
    if _TWO_DIGITS.match(code):
        return penta_of_root(int(code[:2]))
    return PLOVER_TO_PENTA.get(str(event.get("plover_type") or "").upper())


def actor_mention_spans(events: Sequence[JsonDict], role: str) -> list[Span]:
    """Distinct mention spans of the ``role`` actors of all events, in output order."""
    spans: list[Span] = []
    for event in events:
        for actor in _actors(event, role):
            span = span_of(actor.get("mention"))
            if span is not None and span not in spans:
                spans.append(span)
    return spans


def score_conflibert(gold: Sequence[JsonDict], predictions: Predictions, table: MetricTable) -> None:
    """PentaClass of the first event; source/target actor spans (overlap, one-to-one)."""
    pairs: list[tuple[str, str]] = []
    counts = {"src": [0, 0, 0], "tgt": [0, 0, 0]}
    span_sentences = 0
    for g in gold:
        events = _preds(predictions, g).events
        if g["penta_class"] is not None:
            predicted = penta_of_event(events[0] if events else None)
            pairs.append((str(g["penta_class"]), "unknown" if predicted is None else str(predicted)))
        spans = g["spans"]
        if spans is None:
            continue
        span_sentences += 1
        for key, gold_group, role in (
            ("src", spans["source"] + spans["reciprocal"], "source_actors"),
            ("tgt", spans["target"] + spans["reciprocal"], "target_actors"),
        ):
            gold_spans = [(s["start"], s["end"]) for s in gold_group]
            pred_spans = actor_mention_spans(events, role)
            tp = len(match_spans(gold_spans, pred_spans))
            c = counts[key]
            c[0] += tp
            c[1] += len(pred_spans) - tp
            c[2] += len(gold_spans) - tp
    table.add("penta_acc", accuracy(pairs), len(pairs), summary=True)
    classes = {g for g, _ in pairs} | {p for _, p in pairs if p in PENTA_CLASSES}
    table.add("penta_macro_f1", macro_f1(pairs, classes), len(pairs), summary=True)
    for key in ("src", "tgt"):
        table.add_prf(f"{key}_span", *counts[key])
    table.add("n_span_sentences", span_sentences)


# --- PETRARCH-2 GSR -----------------------------------------------------------------------------


def norm_cameo(code: object) -> str:
    """A 3-digit code ending in 0 means its root: "190" compares as "19"."""
    text = str(code).strip()
    return text[:2] if len(text) == 3 and text.endswith("0") else text


def actor_codes(event: JsonDict, role: str) -> tuple[set[str], set[str]]:
    """Countries (``country``, else the first 3 letters of ``cameo_code``) and full actor codes."""
    countries: set[str] = set()
    codes: set[str] = set()
    for actor in _actors(event, role):
        code = str(actor.get("cameo_code") or "").strip().upper()
        if code:
            codes.add(code)
        country = str(actor.get("country") or "").strip().upper() or code[:3]
        if country:
            countries.add(country)
    return countries, codes


def _pair_petrarch(gold_events: Sequence[JsonDict], coded: Sequence[JsonDict]) -> list[tuple[int, int]]:
    """Gold/predicted event pairs of the same root, preferring same full code and agreeing actors."""
    ranked: list[tuple[int, int, int]] = []
    for gi, e in enumerate(gold_events):
        for pi, event in enumerate(coded):
            code = str(event["cameo_code"]).strip()
            if code[:2] != e["cameo_code"][:2]:
                continue
            src, _ = actor_codes(event, "source_actors")
            tgt, _ = actor_codes(event, "target_actors")
            points = 4 * (norm_cameo(code) == norm_cameo(e["cameo_code"]))
            points += (e["source_country"] in src) + (e["target_country"] in tgt)
            ranked.append((-points, gi, pi))
    ranked.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in ranked:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return pairs


def score_petrarch(gold: Sequence[JsonDict], predictions: Predictions, table: MetricTable) -> None:
    """(sentence, code) sets at root and full-code level; actor codes on matched events; abstention."""
    gold_roots: set[tuple[str, str]] = set()
    gold_codes: set[tuple[str, str]] = set()
    pred_roots: set[tuple[str, str]] = set()
    pred_codes: set[tuple[str, str]] = set()
    c: Counter[str] = Counter()
    for g in gold:
        gid = g["id"]
        events = _preds(predictions, g).events
        coded = [ev for ev in events if _TWO_DIGITS.match(str(ev.get("cameo_code") or "").strip())]
        for e in g["events"]:
            gold_roots.add((gid, e["cameo_code"][:2]))
            gold_codes.add((gid, norm_cameo(e["cameo_code"])))
        for ev in coded:
            code = str(ev["cameo_code"]).strip()
            pred_roots.add((gid, code[:2]))
            pred_codes.add((gid, norm_cameo(code)))
        if g["no_event"]:
            c["abstain_n"] += 1
            c["abstain_ok"] += not events
        pairs = _pair_petrarch(g["events"], coded)
        for gi, pi in pairs:
            e, ev = g["events"][gi], coded[pi]
            for key, role, side in (("src", "source_actors", "source"), ("tgt", "target_actors", "target")):
                countries, codes = actor_codes(ev, role)
                gold_country, gold_code = e[f"{side}_country"], e[f"{side}_code"]
                if gold_country:
                    c[f"{key}_country_n"] += 1
                    c[f"{key}_country_ok"] += gold_country in countries
                if gold_code and gold_code.strip("-"):
                    c[f"{key}_code_n"] += 1
                    c[f"{key}_code_ok"] += gold_code.upper() in codes
        c["matched"] += len(pairs)
        for e in g["events"]:
            c["src_country_all"] += bool(e["source_country"])
            c["tgt_country_all"] += bool(e["target_country"])
    for prefix, g_set, p_set in (("root", gold_roots, pred_roots), ("code", gold_codes, pred_codes)):
        table.add_prf(prefix, len(g_set & p_set), len(p_set - g_set), len(g_set - p_set))
    table.add("matched_events", c["matched"], sum(len(g["events"]) for g in gold))
    for key in ("src", "tgt"):
        ok, n, n_all = c[f"{key}_country_ok"], c[f"{key}_country_n"], c[f"{key}_country_all"]
        table.add(f"{key}_country_acc", share(ok, n), n, summary=True)
        table.add(f"{key}_code_acc", share(c[f"{key}_code_ok"], c[f"{key}_code_n"]), c[f"{key}_code_n"])
        table.add(f"{key}_country_acc_all", share(ok, n_all), n_all)
    table.add("abstain_acc", share(c["abstain_ok"], c["abstain_n"]), c["abstain_n"], summary=True)


# --- CASE 2021 task 2 ---------------------------------------------------------------------------

ACLED_SUB_EVENT_TYPES = frozenset(
    {
        # Battles
        "armed clash",
        "government regains territory",
        "non-state actor overtakes territory",
        # Explosions/Remote violence
        "chemical weapon",
        "air/drone strike",
        "suicide bomb",
        "shelling/artillery/missile attack",
        "remote explosive/landmine/ied",
        "grenade",
        # Violence against civilians
        "sexual violence",
        "attack",
        "abduction/forced disappearance",
        # Protests
        "peaceful protest",
        "protest with intervention",
        "excessive force against protesters",
        # Riots
        "violent demonstration",
        "mob violence",
        # Strategic developments
        "agreement",
        "arrests",
        "change to group/activity",
        "disrupted weapons use",
        "headquarters or base established",
        "looting/property destruction",
        "non-violent transfer of territory",
        "other",
    }
)
NONE = "none"


def has_acled_type(event: JsonDict) -> bool:
    return bool(event.get("acled_event_type"))


def case_pairs(gold: Sequence[JsonDict], predictions: Predictions) -> list[tuple[str, str]]:
    """(gold, predicted) sub-event labels of the chosen event of each snippet; "none" for none."""
    pairs = []
    for g in gold:
        chosen = pick_event(_preds(predictions, g).events, has_acled_type)
        predicted = norm_label(chosen.get("acled_sub_event_type")) if chosen else ""
        pairs.append((norm_label(g["acled_sub_event_type"]) or NONE, predicted or NONE))
    return pairs


def score_case(gold: Sequence[JsonDict], predictions: Predictions, table: MetricTable) -> None:
    """Sub-event type of the chosen event: accuracy, macro-F1, event type, weighted F1 (subtask 1)."""
    pairs = case_pairs(gold, predictions)
    type_pairs: list[tuple[str, str]] = []
    top_ok = 0
    for g, (gold_sub, _) in zip(gold, pairs, strict=True):
        events = _preds(predictions, g).events
        chosen = pick_event(events, has_acled_type)
        predicted_type = norm_label(chosen.get("acled_event_type")) if chosen else ""
        type_pairs.append((norm_label(g["acled_event_type"]) or NONE, predicted_type or NONE))
        top = pick_event(events, lambda _: True)
        top_ok += ((norm_label(top.get("acled_sub_event_type")) if top else "") or NONE) == gold_sub
    n = len(gold)
    table.add("acc", accuracy(pairs), n, summary=True)
    classes = ({g for g, _ in pairs} | {p for _, p in pairs}) & ACLED_SUB_EVENT_TYPES
    table.add("macro_f1", macro_f1(pairs, classes), n, summary=True)
    table.add("type_acc", accuracy(type_pairs), n, summary=True)
    acled_only = [(g, p) for g, p in pairs if g in ACLED_SUB_EVENT_TYPES]
    weighted: float | None = None
    if acled_only:
        weighted = 0.0
        for label in sorted({g for g, _ in acled_only}):
            f1, support = class_f1(acled_only, label)
            weighted += f1 * support / len(acled_only)
    table.add("weighted_f1_25", weighted, len(acled_only), summary=True)
    table.add("acc_top_any", share(top_ok, n), n)
    none_n = sum(1 for g, _ in pairs if g == NONE)
    none_ok = sum(1 for g, p in pairs if g == NONE and p == NONE)
    table.add("none_acc", share(none_ok, none_n), none_n)
    for label in sorted(classes):
        f1, support = class_f1(pairs, label)
        table.add(f"f1[{label}]", f1, support)


# --- MUC-4 (GRIT) -------------------------------------------------------------------------------

FUNCTION_WORDS = frozenset(
    {"a", "an", "the", "of", "and", "in", "on", "at", "by", "for", "to", "from", "with"}
)
INCIDENT_PLOVER = frozenset({"ASSAULT", "COERCE"})
INCIDENT_ACLED = frozenset({"battles", "explosions/remote violence", "violence against civilians", "riots"})
_WORD = re.compile(r"[a-z0-9]+")


def content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in FUNCTION_WORDS]


def head_word(text: str) -> str | None:
    """Last content word before the first " of ", ",", " who " or " which "."""
    padded = f" {text.lower()} "
    for cut in (" of ", ",", " who ", " which "):
        at = padded.find(cut)
        if at > 0:
            padded = padded[:at]
    words = content_words(padded)
    return words[-1] if words else None


def phrase_match(candidate: str, gold_mention: str) -> bool:
    """Same head, or at least half of the gold mention's content words in the candidate."""
    head = head_word(candidate)
    if head and head == head_word(gold_mention):
        return True
    wanted = set(content_words(gold_mention))
    return bool(wanted) and len(wanted & set(content_words(candidate))) / len(wanted) >= 0.5


def is_incident(event: JsonDict) -> bool:
    if norm_label(event.get("modality")) in ("hypothetical", "denied"):
        return False
    return (
        plover_type(event) in INCIDENT_PLOVER or norm_label(event.get("acled_event_type")) in INCIDENT_ACLED
    )


def role_fillers(events: Sequence[JsonDict], role: str) -> list[str]:
    """Actor names and mention texts of ``role`` (those with a content word)."""
    out: list[str] = []
    for event in events:
        for actor in _actors(event, role):
            mention = actor.get("mention")
            for text in (actor.get("name"), mention.get("text") if isinstance(mention, dict) else None):
                if isinstance(text, str) and content_words(text):
                    out.append(text)
    return out


def _distinct(candidates: Sequence[str]) -> list[str]:
    """One string per normalised form (the last one seen stands for it), in first-seen order."""
    by_form: dict[str, str] = {}
    for text in candidates:
        by_form[" ".join(content_words(text))] = text
    return list(by_form.values())


def score_muc(gold: Sequence[JsonDict], predictions: Predictions, table: MetricTable) -> None:
    """Perpetrator/victim recall and precision from incident events; document-level detection."""
    c: Counter[str] = Counter()
    for g in gold:
        incidents = [ev for ev in _preds(predictions, g).events if is_incident(ev)]
        perps = role_fillers(incidents, "source_actors")
        victims = role_fillers(incidents, "target_actors")
        roles = g["roles"]
        for role, candidates, key in (
            ("perp_organization", perps, "perp_org"),
            ("perp_individual", perps, "perp_ind"),
            ("victim", victims, "victim"),
        ):
            for entity in roles[role]:
                c[f"{key}_n"] += 1
                c[f"{key}_ok"] += any(phrase_match(x, m) for x in candidates for m in entity)
        for key, candidates, entities in (
            ("perp", perps, roles["perp_organization"] + roles["perp_individual"]),
            ("victim", victims, roles["victim"]),
        ):
            distinct = _distinct(candidates)
            c[f"{key}_pred"] += len(distinct)
            c[f"{key}_pred_ok"] += sum(
                1 for x in distinct if any(phrase_match(x, m) for entity in entities for m in entity)
            )
        if g["no_event"]:
            c["noevent_n"] += 1
            c["noevent_ok"] += not incidents
        else:
            c["event_n"] += 1
            c["event_ok"] += bool(incidents)
    perp_n = c["perp_org_n"] + c["perp_ind_n"]
    table.add("perp_org_r", share(c["perp_org_ok"], c["perp_org_n"]), c["perp_org_n"], summary=True)
    table.add("perp_r", share(c["perp_org_ok"] + c["perp_ind_ok"], perp_n), perp_n, summary=True)
    table.add("victim_r", share(c["victim_ok"], c["victim_n"]), c["victim_n"], summary=True)
    table.add("perp_p", share(c["perp_pred_ok"], c["perp_pred"]), c["perp_pred"], summary=True)
    table.add("victim_p", share(c["victim_pred_ok"], c["victim_pred"]), c["victim_pred"], summary=True)
    table.add("noevent_acc", share(c["noevent_ok"], c["noevent_n"]), c["noevent_n"], summary=True)
    table.add("event_doc_r", share(c["event_ok"], c["event_n"]), c["event_n"], summary=True)


# --- ACLED (held-out only) ----------------------------------------------------------------------

# Demonyms and abbreviations mapped to the country name ACLED writes ("" drops the token).
DEMONYMS = {
    **dict.fromkeys(("israeli", "israelis"), "israel"),
    **dict.fromkeys(("palestinian", "palestinians"), "palestine"),
    **dict.fromkeys(("syrian", "syrians"), "syria"),
    **dict.fromkeys(("iraqi", "iraqis"), "iraq"),
    **dict.fromkeys(("yemeni", "yemenis"), "yemen"),
    **dict.fromkeys(("iranian", "iranians"), "iran"),
    **dict.fromkeys(("turkish", "turkiye"), "turkey"),
    **dict.fromkeys(("russian", "russians"), "russia"),
    **dict.fromkeys(("american", "americans", "us", "usa"), "united states"),
    **dict.fromkeys(("kurdish", "kurds"), "kurdistan"),
    **dict.fromkeys(("emirati", "uae"), "united arab emirates"),
    **dict.fromkeys(("saudi", "saudis"), "saudi"),
    "lebanese": "lebanon",
    "jordanian": "jordan",
    "bahraini": "bahrain",
    "omani": "oman",
    "egyptian": "egypt",
    "qatari": "qatar",
    "u": "",
    "s": "",
}
MILITARY_WORDS = frozenset(
    {"army", "armed", "troops", "soldiers", "soldier", "forces", "force", "military", "idf", "militaries"}
)
ACTOR_STOP_WORDS = frozenset({"of", "the", "and", "for", "in", "al", "a", "an"})


def actor_tokens(name: str) -> set[str]:
    """Comparable tokens of an actor name (no parentheses, demonyms as countries, one military)."""
    text = re.sub(r"\([^)]*\)", " ", name.lower()).replace("u.s.", "us").replace("u.s", "us")
    tokens: set[str] = set()
    for word in _WORD.findall(text):
        if word in ACTOR_STOP_WORDS:
            continue
        word = DEMONYMS.get(word, word)
        tokens.update(("military",) if word in MILITARY_WORDS else word.split())
    return tokens


def actor_matches(gold_actor: str, names: Sequence[str]) -> bool:
    wanted = actor_tokens(gold_actor)
    if not wanted:
        return False
    for name in names:
        got = actor_tokens(name)
        if got and len(wanted & got) / max(len(wanted), len(got)) >= 0.5:
            return True
    return False


def _dict_field(obj: JsonDict, key: str) -> JsonDict:
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def score_acled(gold: Sequence[JsonDict], predictions: Predictions, table: MetricTable) -> None:
    """The chosen ACLED event per article against the ACLED row: type, fatalities, place, date, actor."""
    c: Counter[str] = Counter()
    sub_pairs: list[tuple[str, str]] = []
    for g in gold:
        picked = pick_event(_preds(predictions, g).events, has_acled_type)
        c["chosen"] += picked is not None
        chosen: JsonDict = picked or {}
        accepted = {norm_label(x) for x in g["event_type_accept"]}
        c["type_ok"] += norm_label(chosen.get("acled_event_type")) in accepted
        if g["sub_event_type"]:
            predicted_sub = norm_label(chosen.get("acled_sub_event_type")) or NONE
            sub_pairs.append((norm_label(g["sub_event_type"]), predicted_sub))
        fatalities = _dict_field(chosen, "fatalities")
        best = as_number(fatalities.get("best"))
        if best is None:
            best = as_number(fatalities.get("low"))
        killed = 0.0 if best is None else best
        if chosen:
            c["fat_exact"] += killed == g["fatalities"]
            c["fat_20"] += abs(killed - g["fatalities"]) <= 0.2 * g["fatalities"]
        location = _dict_field(chosen, "location")
        country = norm_label(location.get("country"))
        c["country_ok"] += bool(country) and country in (
            norm_label(g["country_iso3"]),
            norm_label(g["country"]),
        )
        lat, lon = as_number(location.get("lat")), as_number(location.get("lon"))
        if lat is not None and lon is not None:
            c["loc50"] += haversine_km(lat, lon, g["latitude"], g["longitude"]) <= 50
        date = _dict_field(chosen, "date")
        c["date_ok"] += str(date.get("value") or "").strip() == g["event_date"]
        names: list[str] = []
        for actor in _actors(chosen, "source_actors"):
            mention = actor.get("mention")
            name = actor.get("name") or (mention.get("text") if isinstance(mention, dict) else None)
            if isinstance(name, str):
                names.append(name)
        if g["actor1"]:
            c["actor_n"] += 1
            c["actor_ok"] += actor_matches(g["actor1"], names)
    n = len(gold)
    table.add("type_acc", share(c["type_ok"], n), n, summary=True)
    table.add("sub_acc", accuracy(sub_pairs), len(sub_pairs), summary=True)
    classes = ({g for g, _ in sub_pairs} | {p for _, p in sub_pairs}) & ACLED_SUB_EVENT_TYPES
    table.add("sub_macro_f1", macro_f1(sub_pairs, classes), len(sub_pairs), summary=True)
    for name, key in (
        ("fat_exact", "fat_exact"),
        ("fat_20pct", "fat_20"),
        ("country_acc", "country_ok"),
        ("loc50", "loc50"),
        ("date_exact", "date_ok"),
    ):
        table.add(name, share(c[key], n), n, summary=True)
    table.add("actor1_match", share(c["actor_ok"], c["actor_n"]), c["actor_n"], summary=True)
    table.add("with_acled_event", share(c["chosen"], n), n)
