"""Metric building blocks shared by every scorer: spans, one-to-one matching, P/R/F1, distances.

These follow the definitions in ``../shared/tools/score.py`` (the reference scorer) so that our
figures and its figures agree to the last digit; see ``tests/test_evaluate.py``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

JsonDict = dict[str, Any]
Span = tuple[int, int]

EARTH_RADIUS_KM = 6371.0088
HALF_CIRCUMFERENCE_KM = 20038.0  # the error charged for a toponym predicted without coordinates


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1; each is 0.0 when its denominator is 0."""
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f1


def share(hits: float, total: float) -> float | None:
    """``hits / total``, or None (printed ``n/a``) when nothing was counted."""
    return hits / total if total else None


def span_of(obj: object) -> Span | None:
    """The ``(start, end)`` of a record with integer offsets and a non-empty range.

    JSON booleans are Python ints; the reference scorer accepts them as offsets too, and so do we.
    """
    if not isinstance(obj, dict):
        return None
    start, end = obj.get("start"), obj.get("end")
    if isinstance(start, int) and isinstance(end, int) and end > start:
        return int(start), int(end)
    return None


def overlap(a: Span, b: Span) -> int:
    """Number of characters two half-open ranges share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def overlaps_any(span: Span, others: Iterable[Span]) -> bool:
    return any(overlap(span, other) > 0 for other in others)


def match_spans(
    gold: Sequence[Span],
    predicted: Sequence[Span],
    *,
    exact: bool = False,
    allowed: Callable[[int, int], bool] | None = None,
) -> list[tuple[int, int]]:
    """One-to-one greedy matching: (gold index, predicted index) pairs.

    Candidates overlap (or are identical when ``exact``); they are taken by decreasing overlap,
    then by smaller start distance, then by gold index and predicted index.
    """
    candidates: list[tuple[int, int, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if exact and g != p:
                continue
            shared = overlap(g, p)
            if shared > 0 and (allowed is None or allowed(gi, pi)):
                candidates.append((-shared, abs(g[0] - p[0]), gi, pi))
    candidates.sort()
    taken_gold: set[int] = set()
    taken_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, gi, pi in candidates:
        if gi in taken_gold or pi in taken_pred:
            continue
        taken_gold.add(gi)
        taken_pred.add(pi)
        pairs.append((gi, pi))
    return pairs


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def as_number(value: object) -> float | None:
    """A finite JSON number (or a numeric string) as float; booleans and junk are None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def confidence(event: JsonDict) -> float:
    """An event's confidence; a missing or unreadable one counts as 0."""
    value = as_number(event.get("confidence"))
    return 0.0 if value is None else value


def pick_event(events: Iterable[JsonDict], eligible: Callable[[JsonDict], bool]) -> JsonDict | None:
    """The eligible event with the highest confidence; ties go to the earlier one."""
    best: JsonDict | None = None
    best_conf = 0.0
    for event in events:
        if not eligible(event):
            continue
        c = confidence(event)
        if best is None or c > best_conf:
            best, best_conf = event, c
    return best


def norm_label(value: object) -> str:
    """Lower-cased label with whitespace collapsed; None is the empty string."""
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip().lower()


def plover_type(event: JsonDict) -> str | None:
    value = event.get("plover_type")
    return str(value).strip().upper() if value else None


def class_f1(pairs: Sequence[tuple[str, str]], label: str) -> tuple[float, int]:
    """F1 of one class over (gold, predicted) label pairs, and its gold support."""
    tp = sum(1 for g, p in pairs if g == label and p == label)
    fp = sum(1 for g, p in pairs if g != label and p == label)
    fn = sum(1 for g, p in pairs if g == label and p != label)
    return prf(tp, fp, fn)[2], tp + fn


def macro_f1(pairs: Sequence[tuple[str, str]], classes: Iterable[str]) -> float | None:
    """Mean per-class F1 over ``classes``; None when there is no class."""
    scores = [class_f1(pairs, label)[0] for label in sorted(set(classes))]
    return sum(scores) / len(scores) if scores else None


def accuracy(pairs: Sequence[tuple[str, str]]) -> float | None:
    return share(sum(1 for g, p in pairs if g == p), len(pairs))
