"""``eventwatch serve``: the API and the dashboard under uvicorn. Light to import: FastAPI and
uvicorn load inside the command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

TOKEN_ENV = "EVENTWATCH_TOKEN"


def serve_command(
    db: Annotated[
        Path | None,
        typer.Option("--db", help="DuckDB file. Default: $EVENTWATCH_DB, else ./eventwatch.duckdb."),
    ] = None,
    host: Annotated[
        str, typer.Option(help="Interface to listen on; 127.0.0.1 keeps it local.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Refuse every write; no token needed.")
    ] = False,
) -> None:
    """Serve the dashboard and the HTTP API on the database.

    Writes (POST /api/articles, PATCH /api/events/ID) need 'Authorization: Bearer $EVENTWATCH_TOKEN';
    without EVENTWATCH_TOKEN the server only starts with --read-only.

    Example: EVENTWATCH_TOKEN=secret eventwatch serve --db events.duckdb --port 8000
    """
    from eventwatch.config import Settings
    from eventwatch.errors import ConfigError, EventwatchError

    settings = Settings.from_env(db_path=db)
    token = os.environ.get(TOKEN_ENV) or None
    try:
        if not read_only and token is None:
            raise ConfigError(
                f"{TOKEN_ENV} is not set: a writable server needs a token for its writes; "
                "set it, or start with --read-only"
            )
        from eventwatch.store import Store

        # Open once before listening: a missing, foreign or old database fails here, plainly
        # (and a writable open applies pending migrations).
        Store(settings.db_path, read_only=read_only).close()
        import uvicorn

        from eventwatch.http.app import create_app

        app = create_app(settings=settings, token=token, read_only=read_only)
    except EventwatchError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=1) from None
    mode = "read-only" if read_only else "writes need the bearer token"
    typer.echo(f"eventwatch on http://{host}:{port}/ over {settings.db_path} ({mode})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")
