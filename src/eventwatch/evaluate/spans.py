"""Scorers for the span datasets: re3d entities, news geoparsing, TempEval-3 timexes."""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from eventwatch.evaluate.data import NO_PREDICTIONS, ArticlePredictions
from eventwatch.evaluate.matching import (
    HALF_CIRCUMFERENCE_KM,
    JsonDict,
    Span,
    as_number,
    haversine_km,
    match_spans,
    overlaps_any,
    prf,
    share,
    span_of,
)
from eventwatch.evaluate.results import MetricTable

Predictions = Mapping[str, ArticlePredictions]


def _mentions(predictions: Predictions, gold: JsonDict) -> list[JsonDict]:
    return predictions.get(gold["id"], NO_PREDICTIONS).mentions


def _kind(mention: JsonDict) -> str:
    return str(mention.get("kind") or "").upper()


# --- re3d ---------------------------------------------------------------------------------------

RE3D_TYPE_OF_KIND = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "NORP": "Organisation",
    "GPE": "Location",
    "LOC": "Location",
    "FAC": "Location",
}
RE3D_TYPES = ("Person", "Organisation", "Location")
RE3D_MIN_CONFIDENCE = 0.5


def score_re3d(gold: Sequence[JsonDict], predictions: Predictions, table: MetricTable) -> None:
    """Person/Organisation/Location mentions, exact and overlapping, with don't-care predictions."""
    totals = {variant: {t: [0, 0, 0] for t in RE3D_TYPES} for variant in ("exact", "overlap")}
    for g in gold:
        scored: dict[str, list[Span]] = {t: [] for t in RE3D_TYPES}
        dont_care: list[Span] = []
        for entity in g["entities"]:
            span = (entity["start"], entity["end"])
            kind = entity["type"]
            if kind in RE3D_TYPES and (entity["confidence"] or 0) >= RE3D_MIN_CONFIDENCE:
                if span not in scored[kind]:
                    scored[kind].append(span)
            elif kind == "Nationality" or kind in RE3D_TYPES:
                dont_care.append(span)
        predicted: dict[str, list[Span]] = {t: [] for t in RE3D_TYPES}
        for mention in _mentions(predictions, g):
            kind = RE3D_TYPE_OF_KIND.get(_kind(mention))
            found = span_of(mention)
            if kind is not None and found is not None and found not in predicted[kind]:
                predicted[kind].append(found)
        for variant, counts in totals.items():
            for kind in RE3D_TYPES:
                gold_spans, pred_spans = scored[kind], predicted[kind]
                pairs = match_spans(gold_spans, pred_spans, exact=variant == "exact")
                matched = {pi for _, pi in pairs}
                false_pos = sum(
                    1
                    for pi, span in enumerate(pred_spans)
                    if pi not in matched and not overlaps_any(span, dont_care)
                )
                c = counts[kind]
                c[0] += len(pairs)
                c[1] += false_pos
                c[2] += len(gold_spans) - len(pairs)
    for variant, counts in totals.items():
        tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
        table.add_prf(variant, tp, fp, fn)
    for variant, counts in totals.items():
        for kind in RE3D_TYPES:
            tp, fp, fn = counts[kind]
            table.add(f"{variant}_f1[{kind}]", prf(tp, fp, fn)[2], tp + fn)


# --- geoparsing ---------------------------------------------------------------------------------

GEO_CORPORA = ("GWN", "LGL", "TR-News")
TOPONYM_KINDS = frozenset({"GPE", "LOC", "FAC"})
ACC_KM = 161


@dataclass(slots=True)
class _GeoCounts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    with_coords: int = 0
    errors_km: list[float] = field(default_factory=list)

    def acc161(self, total: int) -> float | None:
        return share(sum(e <= ACC_KM for e in self.errors_km), total)


def _is_toponym(mention: JsonDict) -> bool:
    return isinstance(mention.get("place"), dict) or _kind(mention) in TOPONYM_KINDS


def _error_km(toponym: JsonDict, mention: JsonDict) -> float:
    place = mention.get("place")
    lat = as_number(place.get("lat")) if isinstance(place, dict) else None
    lon = as_number(place.get("lon")) if isinstance(place, dict) else None
    if lat is None or lon is None:
        return HALF_CIRCUMFERENCE_KM
    return haversine_km(toponym["lat"], toponym["lon"], lat, lon)


def score_geo(gold: Sequence[JsonDict], predictions: Predictions, table: MetricTable) -> None:
    """Toponym recognition (overlap) and resolution (km error), overall and per corpus."""
    per: dict[str, _GeoCounts] = {"all": _GeoCounts()}
    for g in gold:
        scored = [t for t in g["toponyms"] if t["scored"]]
        unscored = [(t["start"], t["end"]) for t in g["toponyms"] if not t["scored"]]
        gold_spans = [(t["start"], t["end"]) for t in scored]
        candidates = [(span_of(m), m) for m in _mentions(predictions, g) if _is_toponym(m)]
        found = [(span, m) for span, m in candidates if span is not None]
        pairs = match_spans(gold_spans, [span for span, _ in found])
        matched = {pi for _, pi in pairs}
        false_pos = sum(
            1
            for pi, (span, _) in enumerate(found)
            if pi not in matched and (overlaps_any(span, gold_spans) or not overlaps_any(span, unscored))
        )
        errors = [
            _error_km(scored[gi], found[pi][1])
            for gi, pi in pairs
            if scored[gi]["lat"] is not None and scored[gi]["lon"] is not None
        ]
        with_coords = sum(t["lat"] is not None and t["lon"] is not None for t in scored)
        for key in ("all", g["corpus"]):
            c = per.setdefault(key, _GeoCounts())
            c.tp += len(pairs)
            c.fp += false_pos
            c.fn += len(gold_spans) - len(pairs)
            c.with_coords += with_coords
            c.errors_km.extend(errors)
    total = per["all"]
    n_err = len(total.errors_km)
    table.add_prf("topo", total.tp, total.fp, total.fn)
    table.add("acc161", total.acc161(n_err), n_err, summary=True)
    table.add("median_km", statistics.median(total.errors_km) if n_err else None, n_err, summary=True)
    table.add("acc161_all", total.acc161(total.with_coords), total.with_coords)
    for corpus in GEO_CORPORA:
        if corpus not in per:
            continue
        c = per[corpus]
        table.add(f"topo_f1[{corpus}]", prf(c.tp, c.fp, c.fn)[2], c.tp + c.fn)
        table.add(f"acc161[{corpus}]", c.acc161(len(c.errors_km)), len(c.errors_km))


# --- TempEval-3 ---------------------------------------------------------------------------------

TIMEX_KINDS = frozenset({"DATE", "TIME"})
PRECISION_CUT = {"DAY": 10, "MONTH": 7, "YEAR": 4}
_ISO_DATE = re.compile(r"\d{4}(-\d\d){0,2}")


def date_value_at_precision(value: object, precision: object) -> str:
    """Upper-cased value, cut to the stated day/month/year precision when it is a longer ISO date."""
    text = str(value or "").strip().upper()
    cut = PRECISION_CUT.get(str(precision or "").strip().upper())
    if cut and _ISO_DATE.match(text) and len(text) > cut:
        text = text[:cut]
    return text


def score_tempeval(gold: Sequence[JsonDict], predictions: Predictions, table: MetricTable) -> None:
    """Timex spans (all types; DATE+TIME with don't-cares) and normalised DATE values."""
    all_counts = [0, 0, 0]
    date_counts = [0, 0, 0]
    value_ok = value_n = value_all = 0
    for g in gold:
        found = [(span_of(m), m) for m in _mentions(predictions, g) if _kind(m) in TIMEX_KINDS]
        timexes = [(span, m) for span, m in found if span is not None]
        pred_spans = [span for span, _ in timexes]
        every = [(t["start"], t["end"]) for t in g["timexes"]]
        tp = len(match_spans(every, pred_spans))
        all_counts[0] += tp
        all_counts[1] += len(pred_spans) - tp
        all_counts[2] += len(every) - tp
        dated = [t for t in g["timexes"] if t["type"] in TIMEX_KINDS]
        dated_spans = [(t["start"], t["end"]) for t in dated]
        other_spans = [(t["start"], t["end"]) for t in g["timexes"] if t["type"] not in TIMEX_KINDS]
        pairs = match_spans(dated_spans, pred_spans)
        matched = {pi for _, pi in pairs}
        false_pos = sum(
            1
            for pi, span in enumerate(pred_spans)
            if pi not in matched and (overlaps_any(span, dated_spans) or not overlaps_any(span, other_spans))
        )
        date_counts[0] += len(pairs)
        date_counts[1] += false_pos
        date_counts[2] += len(dated_spans) - len(pairs)
        value_all += sum(t["type"] == "DATE" for t in dated)
        for gi, pi in pairs:
            timex = dated[gi]
            if timex["type"] != "DATE":
                continue
            value_n += 1
            date = timexes[pi][1].get("date")
            if isinstance(date, dict) and date.get("value") is not None:
                predicted = date_value_at_precision(date.get("value"), date.get("precision"))
                value_ok += predicted == str(timex["value"]).strip().upper()
    table.add_prf("timex", *all_counts)
    table.add_prf("date", *date_counts)
    table.add("value_acc", share(value_ok, value_n), value_n, summary=True)
    table.add("value_acc_all", share(value_ok, value_all), value_all, summary=True)
