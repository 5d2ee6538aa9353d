"""The ``eventwatch`` command line: each command parses, calls ``eventwatch.api``, renders.

Errors print as ``[E100] file, line 3: problem`` with a non-zero exit and no traceback
(``--debug`` shows it).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from eventwatch.config import Settings
from eventwatch.errors import EventwatchError

app = typer.Typer(
    name="eventwatch",
    help="Turn news about conflict and politics into a queryable event database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="DuckDB file. Default: $EVENTWATCH_DB, else ./eventwatch.duckdb."),
]
_state: dict[str, bool] = {"debug": False}


@app.callback()
def _main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False) -> None:
    _state["debug"] = debug


def _settings(db: Path | None = None) -> Settings:
    return Settings.from_env(db_path=db)


def _run(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except EventwatchError as exc:
        if _state["debug"]:
            raise
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=1) from None
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise typer.Exit(code=130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # a bug, not bad input: still no traceback unless asked for
        if _state["debug"]:
            raise
        typer.echo(
            f"[E000] internal error ({type(exc).__name__}: {exc}); rerun with --debug for the traceback",
            err=True,
        )
        raise typer.Exit(code=2) from None


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, globs or http(s) URLs.")],
    out: Annotated[str, typer.Option("--out", "-o", help="Output JSONL file, or - for stdout.")] = "-",
) -> None:
    """Extract coded records as JSONL, storing nothing.

    Example: eventwatch extract examples/ --out records.jsonl
    """
    from eventwatch import api

    settings = _settings()

    def action() -> int:
        extractions = api.extract(inputs, settings=settings)
        if out == "-":
            return api.write_jsonl(extractions, sys.stdout)
        with open(out, "w", encoding="utf-8") as handle:
            return api.write_jsonl(extractions, handle)

    n = _run(action)
    if out != "-":
        typer.echo(f"{n} articles -> {out}", err=True)


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, globs or http(s) URLs.")],
    db: DbOption = None,
    skip_bad: Annotated[
        bool,
        typer.Option(
            "--skip-bad", help="Store the good records; write the bad ones, with reasons, to --quarantine."
        ),
    ] = False,
    quarantine: Annotated[
        Path | None,
        typer.Option(
            help="JSONL of rejected records for --skip-bad. Default: quarantine.jsonl beside the DB."
        ),
    ] = None,
    fetch_timeout: Annotated[
        float | None, typer.Option("--fetch-timeout", help="Seconds to wait for a URL (default 20).")
    ] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", hidden=True, min=1)] = None,
) -> None:
    """Extract and store articles; re-ingesting an article changes nothing.

    A bad input or record stops the ingest with a message naming it, and nothing is stored;
    with --skip-bad the good records are stored and the bad ones quarantined.

    Example: eventwatch ingest examples/ news.jsonl https://example.org/feed.xml --db events.duckdb
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from eventwatch import api
    from eventwatch.errors import InputError

    settings = Settings.from_env(db_path=db, fetch_timeout_s=fetch_timeout, batch_size=batch_size)
    rejected: list[InputError] = []
    on_error = rejected.append if skip_bad else None
    quarantine_path = quarantine or Path(settings.db_path).resolve().parent / "quarantine.jsonl"
    console = Console(stderr=True)
    progress = Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )

    def start(total: int) -> Callable[[int], None]:
        task = progress.add_task("ingest", total=total)
        return lambda n: progress.advance(task, n)

    with progress:
        result = _run(lambda: api.ingest(inputs, settings=settings, progress=start, on_error=on_error))
    copies = f" ({result.duplicates} near-duplicate copies: linked, not coded)" if result.duplicates else ""
    typer.echo(
        f"{result.articles_read} articles read: {result.articles_added} added{copies}, "
        f"{result.articles_skipped} already stored; {result.events} events, {result.mentions} mentions, "
        f"{result.quantities} quantities, {result.relations} relations -> {settings.db_path}"
    )
    for article_id in result.failed:
        typer.echo(f"warning: extraction failed for {article_id} (stored with its error)", err=True)
    if skip_bad:
        _run(lambda: _write_quarantine(rejected, quarantine_path))
        where = f" -> {quarantine_path}" if rejected else ""
        typer.echo(f"{result.articles_read} good records, {len(rejected)} rejected{where}")
        for error in rejected[:5]:
            typer.echo(f"rejected: {error}", err=True)
        if len(rejected) > 5:
            typer.echo(f"... and {len(rejected) - 5} more in {quarantine_path}", err=True)


def _write_quarantine(rejected: list[Any], path: Path) -> None:
    """Append one JSON line per rejected input or record: where, which record, the problem."""
    from eventwatch.errors import StoreError

    if not rejected:
        return
    try:
        with path.open("a", encoding="utf-8") as handle:
            for error in rejected:
                entry = {
                    "where": error.where,
                    "record": error.record,
                    "code": error.code,
                    "problem": error.problem,
                    "raw": getattr(error, "raw", None),
                }
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise StoreError(f"cannot write the quarantine file {path}: {exc.strerror or exc}") from exc


@app.command()
def batch(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders or globs: JSONL (also .gz), CSV, ...")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder (new, empty, or this batch's own).")
    ],
    engine: Annotated[str, typer.Option(help="local (this process) or dask.")] = "local",
    workers: Annotated[
        int | None, typer.Option(help="Dask worker processes for a local cluster (default: CPU count).")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786.")
    ] = None,
    partition_size: Annotated[
        int | None, typer.Option("--partition-size", help="Articles per partition (default 256).", min=1)
    ] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", hidden=True, min=1)] = None,
) -> None:
    """Extract large inputs in partitions into partitioned Parquet (DIR/events/, DIR/articles/, ...).

    Same input, same output, whatever the engine and number of workers. Run the same command again
    after a crash or Ctrl-C: it resumes where it stopped. `eventwatch ingest DIR` loads the result.

    Example: eventwatch batch news.jsonl.gz --out news-batch --engine dask --workers 4
    """
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from eventwatch import api

    settings = Settings.from_env(batch_size=batch_size)
    console = Console(stderr=True)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("batch: {task.completed:.0f} articles extracted"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    task = progress.add_task("batch", total=None)
    with progress:
        result = _run(
            lambda: api.batch(
                inputs,
                out=out,
                settings=settings,
                engine=engine,
                workers=workers,
                scheduler=scheduler,
                partition_size=partition_size,
                progress=lambda n: progress.advance(task, n),
            )
        )
    resumed = f" ({result.partitions_resumed} done by an earlier run)" if result.partitions_resumed else ""
    typer.echo(
        f"{result.articles_read} articles read, {result.duplicates} duplicates dropped: {result.articles} "
        f"articles in {result.partitions} partitions{resumed}; {result.events} events, {result.mentions} "
        f"mentions, {result.quantities} quantities, {result.relations} relations -> {out} "
        f"(engine {result.engine}, {result.workers} worker{'s' if result.workers != 1 else ''})"
    )
    for article_id in result.failed:
        typer.echo(f"warning: extraction failed for {article_id} (written with its error)", err=True)


@app.command()
def watch(
    feeds: Annotated[
        list[str], typer.Argument(metavar="FEED_OR_URL", help="RSS/Atom feed URLs (or feed files).")
    ],
    db: DbOption = None,
    interval: Annotated[
        float, typer.Option("--interval", min=1, help="Seconds between polls of a feed.")
    ] = 300.0,
    max_polls: Annotated[
        int | None,
        typer.Option("--max-polls", min=1, help="Stop after N polling rounds (for cron, tests)."),
    ] = None,
    fetch_timeout: Annotated[
        float | None, typer.Option("--fetch-timeout", help="Seconds to wait for a URL (default 20).")
    ] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", hidden=True, min=1)] = None,
) -> None:
    """Poll feeds and store their new items as they appear, until stopped.

    Each poll is a conditional GET (ETag, Last-Modified); each new item's linked page is read,
    extracted and stored once. A bad item is retried on later polls, a failing feed after a growing
    pause (up to an hour); both are logged and counted. Ctrl-C or SIGTERM stops after the current
    batch and prints a summary; a second one stops at once. Stopped or killed, the same command
    again stores what is missing and nothing twice.

    Example: eventwatch watch https://example.org/feed.xml --interval 300 --db events.duckdb
    """
    import logging

    from eventwatch import api

    settings = Settings.from_env(db_path=db, fetch_timeout_s=fetch_timeout, batch_size=batch_size)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    logger = logging.getLogger("eventwatch.watch")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        stats = _run(
            lambda: api.watch(
                feeds, settings=settings, interval_s=interval, max_polls=max_polls, stop_on_signals=True
            )
        )
    finally:
        logger.removeHandler(handler)
    typer.echo(f"{stats.summary()} -> {settings.db_path}")


@app.command()
def events(
    db: DbOption = None,
    plover_type: Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT.")] = None,
    actor: Annotated[str | None, typer.Option(help="Actor name (substring) or id.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3 of an actor or the place.")] = None,
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    modality: Annotated[str | None, typer.Option(help="occurred, ongoing, threatened, ...")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or jsonl.")] = "table",
    reports: Annotated[
        bool, typer.Option("--reports", help="Every article's own report, not one row per fused event.")
    ] = False,
) -> None:
    """List stored events, filtered.

    Example: eventwatch events --type ASSAULT --country ISR --since 2024-11-01 --format jsonl
    """
    from eventwatch import api
    from eventwatch.errors import QueryError
    from eventwatch.store import EventFilter

    if fmt not in ("table", "csv", "json", "jsonl"):
        _run(
            lambda: (_ for _ in ()).throw(
                QueryError(f"unknown format {fmt!r}: use table, csv, json or jsonl")
            )
        )
    flt = EventFilter(
        plover_type=plover_type.upper() if plover_type else None,
        actor=actor,
        country=country.upper() if country else None,
        since=since,
        until=until,
        modality=modality,
        limit=limit,
        reports=reports,
    )
    rows: list[dict[str, Any]] = _run(lambda: api.event_rows(settings=_settings(db), flt=flt))
    if fmt == "jsonl":
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False, default=str))
    elif fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    else:
        flat = [_flat_row(r) for r in rows]
        if fmt == "csv":
            writer = csv.DictWriter(sys.stdout, fieldnames=list(FLAT_COLUMNS))
            writer.writeheader()
            writer.writerows(flat)
        else:
            _print_table(flat, title=f"{len(flat)} events")


FLAT_COLUMNS = (
    "event_id",
    "date",
    "type",
    "cameo",
    "modality",
    "source",
    "target",
    "place",
    "attribution",
    "evidence",
)


def _flat_row(row: dict[str, Any]) -> dict[str, Any]:
    def names(actors: list[dict[str, Any]]) -> str:
        return "; ".join(f"{a['name']} ({a.get('cameo_code') or a.get('country') or '?'})" for a in actors)

    attribution = row.get("attribution") or {}
    speaker = (attribution.get("speaker") or {}).get("name")
    return {
        "event_id": row["event_id"],
        "date": (row.get("date") or {}).get("value") or "",
        "type": row["plover_type"] + (f"/{row['plover_mode']}" if row.get("plover_mode") else ""),
        "cameo": row.get("cameo_code") or "",
        "modality": row["modality"],
        "source": names(row.get("source_actors") or []),
        "target": names(row.get("target_actors") or []),
        "place": (row.get("location") or {}).get("name") or "",
        "attribution": attribution.get("kind", "") + (f": {speaker}" if speaker else ""),
        "evidence": (row.get("evidence") or {}).get("text", ""),
    }


def _print_table(rows: list[dict[str, Any]], *, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    columns = list(rows[0]) if rows else list(FLAT_COLUMNS)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(str(row[c]) for c in columns))
    Console(width=200).print(table)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="acled-csv, plover-json, gdelt-tsv or parquet.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file.")],
    db: DbOption = None,
    reports: Annotated[
        bool, typer.Option("--reports", help="Every article's own report, not one row per fused event.")
    ] = False,
) -> None:
    """Export stored events in the formats the field uses (one row per fused event by default).

    Example: eventwatch export --format acled-csv --out events.csv
    """
    from eventwatch import api
    from eventwatch.store import EventFilter

    n = _run(lambda: api.export(fmt, out, settings=_settings(db), flt=EventFilter(reports=reports)))
    typer.echo(f"{n} rows -> {out}")


@app.command()
def summary(db: DbOption = None) -> None:
    """What the database holds: articles, events by type, top actors.

    Example: eventwatch summary --db eventwatch.duckdb
    """
    from rich.console import Console
    from rich.table import Table

    from eventwatch import api

    settings = _settings(db)
    data = _run(lambda: api.summary(settings=settings))
    console = Console(width=120)
    counts = data["counts"]
    console.print(f"[bold]{settings.db_path}[/bold]: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    console.print(
        f"{data['fused_events']} fused events (reports of one event across articles count once); "
        f"{data['duplicate_articles']} near-duplicate articles linked to their originals"
    )
    for key, title in (("events_by_type", "events by type"), ("events_by_modality", "events by modality"),
                       ("top_actors", "top actors")):  # fmt: skip
        table = Table(title=title)
        table.add_column(title.split()[-1])
        table.add_column("events", justify="right")
        for name, n in data[key]:
            table.add_row(str(name), str(n))
        console.print(table)


@app.command()
def info(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Versions, the spaCy model in use, the database path and its counts.

    Example: eventwatch info --json
    """
    from eventwatch import api

    details = _run(lambda: api.info(settings=_settings(db)))
    if as_json:
        typer.echo(json.dumps(details, indent=2))
        return
    for key, value in details.items():
        typer.echo(f"{key}: {value}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the records `extract` writes (DESIGN.md section 2).

    Example: eventwatch schema > eventwatch-record.schema.json
    """
    from eventwatch.schema import contract_schema

    typer.echo(json.dumps(contract_schema(), indent=2))


from eventwatch.evaluate.command import eval_command  # noqa: E402  (light: loads nothing heavy)
from eventwatch.http.command import serve_command  # noqa: E402  (light: loads nothing heavy)

app.command("eval")(eval_command)
app.command("serve")(serve_command)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
