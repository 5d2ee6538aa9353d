"""Rendering scores: a rich table per dataset, score.py-style summary lines, and JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from eventwatch.evaluate.results import DatasetScore, format_value


def header(result: DatasetScore) -> str:
    c = result.counts
    text = (
        f"{result.dataset} ({result.part}): {result.n} gold articles; predictions for "
        f"{c.get('articles_with_predictions', 0)}; "
        f"ignored records for unknown ids {c.get('ignored_ids', 0)}; "
        f"realigned texts {c.get('realigned_articles', 0)}"
    )
    if result.articles_run is not None:
        text += f"; {result.articles_run} articles run in {result.seconds} s"
    return text


def metrics_table(result: DatasetScore) -> Table:
    table = Table()
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("n", justify="right")
    for name, value, n in result.table.rows:
        table.add_row(name, format_value(value), "" if n is None else str(n))
    return table


def thresholds_table(result: DatasetScore) -> Table | None:
    if not result.thresholds:
        return None
    cuts = list(result.thresholds)
    names = list(next(iter(result.thresholds.values())))
    table = Table(title=f"{result.dataset}: events with confidence >= threshold", title_justify="left")
    table.add_column("metric")
    for cut in cuts:
        table.add_column(f">= {cut}", justify="right")
    for name in names:
        table.add_row(name, *(format_value(result.thresholds[cut].get(name)) for cut in cuts))
    return table


def print_report(results: Sequence[DatasetScore], console: Console) -> None:
    """Tables first, then every summary line together (the last lines, as score.py ends)."""
    for result in results:
        console.print(header(result), markup=False, highlight=False)
        console.print(metrics_table(result))
        extra = thresholds_table(result)
        if extra is not None:
            console.print(extra)
        console.print()
    for result in results:
        console.print(result.summary_line(), markup=False, highlight=False, soft_wrap=True)


def report_json(results: Sequence[DatasetScore], **meta: Any) -> dict[str, Any]:
    return {**meta, "datasets": [r.to_json() for r in results]}


def dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)
