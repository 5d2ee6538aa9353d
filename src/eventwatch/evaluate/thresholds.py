"""Precision/recall of the event datasets when only events above a confidence threshold count.

An extra section beside the main metrics (which always use every event): it shows what a
confidence cut-off would buy, dataset by dataset.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from eventwatch.evaluate.data import ArticlePredictions
from eventwatch.evaluate.events import NONE, case_pairs
from eventwatch.evaluate.matching import JsonDict, confidence, prf
from eventwatch.evaluate.results import MetricTable, Value

THRESHOLDS = (0.3, 0.5, 0.7)
Scorer = Callable[[Sequence[JsonDict], Mapping[str, ArticlePredictions], MetricTable], None]

# The main-table metrics repeated per threshold (P/R where the dataset has them).
THRESHOLD_METRICS: dict[str, tuple[str, ...]] = {
    "plover_gsr": ("type_p", "type_r", "type_f1", "first_type_acc"),
    "conflibert_cameo": ("penta_acc", "src_span_p", "src_span_r", "tgt_span_p", "tgt_span_r"),
    "petrarch2_gsr": ("root_p", "root_r", "code_p", "code_r", "abstain_acc"),
    "case2021_task2": ("acc", "macro_f1"),
    "muc4_grit": ("perp_p", "perp_r", "victim_p", "victim_r", "event_doc_r", "noevent_acc"),
    "acled_gaza_2023_2025": ("type_acc", "sub_acc"),
    "acled_middle_east_2018": ("type_acc", "sub_acc"),
}


def above(predictions: Mapping[str, ArticlePredictions], threshold: float) -> dict[str, ArticlePredictions]:
    """The same predictions keeping only events with ``confidence >= threshold``."""
    return {
        aid: ArticlePredictions(
            article=p.article,
            mentions=p.mentions,
            events=[ev for ev in p.events if confidence(ev) >= threshold],
        )
        for aid, p in predictions.items()
    }


def _case_precision_recall(
    gold: Sequence[JsonDict], preds: Mapping[str, ArticlePredictions]
) -> dict[str, Value]:
    """Sub-event P/R: correct among snippets given an ACLED label / among snippets with an ACLED gold."""
    pairs = case_pairs(gold, preds)
    tp = sum(1 for g, p in pairs if g == p and g != NONE)
    predicted = sum(1 for _, p in pairs if p != NONE)
    gold_n = sum(1 for g, _ in pairs if g != NONE)
    p, r, f = prf(tp, predicted - tp, gold_n - tp)
    return {"sub_p": p, "sub_r": r, "sub_f1": f}


def threshold_metrics(
    name: str,
    scorer: Scorer,
    gold: Sequence[JsonDict],
    predictions: Mapping[str, ArticlePredictions],
    *,
    thresholds: Sequence[float] = THRESHOLDS,
) -> dict[str, dict[str, Value]]:
    """``{"0.5": {metric: value, ..., "events": kept}}`` for an event dataset; {} for the others."""
    wanted = THRESHOLD_METRICS.get(name)
    if wanted is None:
        return {}
    out: dict[str, dict[str, Value]] = {}
    for threshold in thresholds:
        kept = above(predictions, threshold)
        table = MetricTable()
        scorer(gold, kept, table)
        row: dict[str, Value] = {key: table.metrics.get(key) for key in wanted}
        if name == "case2021_task2":
            row.update(_case_precision_recall(gold, kept))
        row["events"] = sum(len(p.events) for p in kept.values())
        out[f"{threshold:g}"] = row
    return out
