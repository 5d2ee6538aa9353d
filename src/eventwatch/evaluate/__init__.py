"""Evaluation harness: our scorer for the shared evaluation folders (agrees with score.py).

``score(folder, records)`` scores prediction records; ``run(folders, extractor=...)`` extracts and
scores. The CLI command lives in ``eventwatch.evaluate.command``.
"""

from __future__ import annotations

from eventwatch.evaluate.harness import SCORERS, dataset_folders, read_predictions, run, score, score_dataset
from eventwatch.evaluate.results import DatasetScore, MetricTable

__all__ = [
    "SCORERS",
    "DatasetScore",
    "MetricTable",
    "dataset_folders",
    "read_predictions",
    "run",
    "score",
    "score_dataset",
]
