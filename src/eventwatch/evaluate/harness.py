"""Score predictions against an evaluation folder, and run the real pipeline over folders.

``score`` is our implementation of ``../shared/tools/score.py`` (same metrics, same rules: full
gold as denominator, ignored ids, offset realignment); ``run`` extracts with ``Extractor`` and
scores what it produced.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from eventwatch.errors import InputError
from eventwatch.evaluate import events, spans
from eventwatch.evaluate.data import ArticlePredictions, Dataset, group_predictions, load_dataset, realign
from eventwatch.evaluate.matching import JsonDict
from eventwatch.evaluate.results import DatasetScore, MetricTable
from eventwatch.evaluate.thresholds import threshold_metrics

if TYPE_CHECKING:
    from eventwatch.pipeline import Extractor

log = logging.getLogger(__name__)

Scorer = Callable[[Sequence[JsonDict], Mapping[str, ArticlePredictions], MetricTable], None]

SCORERS: dict[str, Scorer] = {
    "plover_gsr": events.score_plover,
    "conflibert_cameo": events.score_conflibert,
    "petrarch2_gsr": events.score_petrarch,
    "case2021_task2": events.score_case,
    "re3d": spans.score_re3d,
    "geoparsing_news": spans.score_geo,
    "tempeval3_tbaq": spans.score_tempeval,
    "muc4_grit": events.score_muc,
    "acled_gaza_2023_2025": events.score_acled,
    "acled_middle_east_2018": events.score_acled,
}
COUNT_KEYS = ("articles_with_predictions", "ignored_ids", "records_without_article_id", "realigned_articles")


def open_dataset(path: Path, *, sample: bool = False) -> Dataset:
    return load_dataset(path, sample=sample, known=SCORERS)


def score_dataset(
    dataset: Dataset, predictions: Iterable[JsonDict], *, ids: Collection[str] | None = None
) -> DatasetScore:
    """Score records against a loaded dataset (restricted to ``ids`` when given)."""
    if ids is not None:
        dataset = dataset.restricted(ids)
    counts: Counter[str] = Counter(dict.fromkeys(COUNT_KEYS, 0))
    grouped = group_predictions(predictions, dataset.ids, counts)
    for aid, preds in grouped.items():
        counts["realigned_articles"] += realign(preds, dataset.texts[aid])
    scorer = SCORERS[dataset.name]
    table = MetricTable()
    scorer(dataset.gold, grouped, table)
    return DatasetScore(
        dataset=dataset.name,
        part=dataset.part,
        n=len(dataset.gold),
        table=table,
        counts=dict(counts),
        thresholds=threshold_metrics(dataset.name, scorer, dataset.gold, grouped),
        path=str(dataset.path),
    )


def score(
    dataset_dir: Path,
    predictions: Iterable[JsonDict],
    *,
    sample: bool = False,
    ids: Collection[str] | None = None,
) -> DatasetScore:
    """Score prediction records (the contract's JSONL objects) against one evaluation folder.

    Without ``ids`` the whole gold file is the denominator, as in ``score.py``: a gold article
    without predictions is a miss everywhere.
    """
    return score_dataset(open_dataset(dataset_dir, sample=sample), predictions, ids=ids)


def read_predictions(path: Path) -> Iterator[JsonDict]:
    """Prediction records from a JSONL file (errors name the file and line)."""
    from eventwatch.evaluate.data import iter_jsonl

    for _, record in iter_jsonl(path):
        yield record


def dataset_folders(paths: Iterable[Path]) -> list[Path]:
    """Evaluation folders: each path itself, or its sub-folders holding a gold.jsonl (sorted)."""
    out: list[Path] = []
    for path in paths:
        if (path / "gold.jsonl").is_file() or (path / "gold.sample.jsonl").is_file():
            out.append(path)
            continue
        children = sorted(p for p in path.iterdir() if (p / "gold.jsonl").is_file()) if path.is_dir() else []
        if not children:
            raise InputError(
                str(path), "not an evaluation folder (no gold.jsonl in it or in its sub-folders)"
            )
        out.extend(children)
    return out


def run(
    dataset_dirs: Iterable[Path],
    *,
    extractor: Extractor,
    limit: int | None = None,
    out_dir: Path | None = None,
    on_dataset: Callable[[DatasetScore], None] | None = None,
) -> list[DatasetScore]:
    """Extract every folder's ``articles.jsonl`` with the real pipeline and score the records.

    ``limit`` takes the first N articles and scores against their gold only (a quick look; the
    full run scores against the whole gold file). ``out_dir`` keeps ``<dataset>.jsonl`` predictions.
    """
    from eventwatch.io.readers import read_path

    results: list[DatasetScore] = []
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    for folder in dataset_folders(dataset_dirs):
        dataset = open_dataset(folder)
        started = time.perf_counter()
        articles = read_path(folder / "articles.jsonl")
        if limit is not None:
            articles = itertools.islice(articles, limit)
        records: list[JsonDict] = []
        seen: list[str] = []
        for extraction in extractor.extract(articles):
            seen.append(extraction.article.article_id)
            records.extend(extraction.records())
        predictions_file: Path | None = None
        if out_dir is not None:
            predictions_file = out_dir / f"{dataset.name}.jsonl"
            with predictions_file.open("w", encoding="utf-8") as handle:
                for record in records:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        result = score_dataset(dataset, records, ids=seen if limit is not None else None)
        result.articles_run = len(seen)
        result.seconds = round(time.perf_counter() - started, 1)
        result.predictions_file = None if predictions_file is None else str(predictions_file)
        log.info("%s: %d articles in %.1f s", dataset.name, len(seen), result.seconds)
        if on_dataset is not None:
            on_dataset(result)
        results.append(result)
    return results
