"""``eventwatch eval``: run the pipeline over evaluation folders and print the scores.

Registered by the CLI with ``app.command("eval")(eval_command)``; imports stay light (spaCy
loads only when the command runs).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from eventwatch.errors import EventwatchError


def eval_command(
    dataset_dirs: Annotated[
        list[Path],
        typer.Argument(help="Evaluation folders (articles.jsonl + gold.jsonl), or a folder of them."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON report instead of tables.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the JSON report to this file.")
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="First N articles per dataset, scored against their gold only."),
    ] = None,
    predictions_dir: Annotated[
        Path | None,
        typer.Option("--predictions-dir", help="Keep each dataset's predictions as DIR/<dataset>.jsonl."),
    ] = None,
) -> None:
    """Extract each evaluation folder's articles and score them as ../shared/tools/score.py does.

    Example: eventwatch eval ../shared/eval --limit 50 --out report.json
    """
    from rich.console import Console

    from eventwatch.config import Settings
    from eventwatch.evaluate.harness import run
    from eventwatch.evaluate.report import dumps, print_report, report_json
    from eventwatch.evaluate.results import DatasetScore
    from eventwatch.pipeline import Extractor

    err = Console(stderr=True)
    try:
        extractor = Extractor(settings=Settings.from_env())

        def progress(result: DatasetScore) -> None:
            line = f"{result.summary_line()}  ({result.articles_run} articles, {result.seconds} s)"
            err.print(line, style="dim", markup=False, highlight=False, soft_wrap=True)

        results = run(
            dataset_dirs, extractor=extractor, limit=limit, out_dir=predictions_dir, on_dataset=progress
        )
    except EventwatchError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=1) from None
    report = report_json(
        results,
        date=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        limit=limit,
        command=" ".join(
            ["eventwatch", "eval", *map(str, dataset_dirs), *(["--limit", str(limit)] if limit else [])]
        ),
    )
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(dumps(report) + "\n", encoding="utf-8")
    if as_json:
        typer.echo(dumps(report))
    else:
        print_report(results, Console())
