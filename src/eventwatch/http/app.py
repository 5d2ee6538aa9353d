"""The FastAPI app: ``create_app(settings=..., token=..., read_only=...)``.

One ``Store`` (one DuckDB connection, shared by the worker threads under its lock) is opened on
the first request and closed when the app shuts down; the spaCy pipeline loads on the first
ingest. No CORS middleware is installed: browsers keep other origins out.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from eventwatch import __version__
from eventwatch.config import Settings
from eventwatch.desk import Desk
from eventwatch.errors import ConfigError
from eventwatch.http.auth import WritePolicy
from eventwatch.http.errors import BodyLimit, install_error_handlers
from eventwatch.http.routes import router

if TYPE_CHECKING:
    from eventwatch.pipeline import Extractor

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
MAX_BODY_BYTES = 5_000_000
PLACEHOLDER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>eventwatch</title></head>
<body><h1>eventwatch</h1><p>The dashboard is not installed. The API is at <a href="/docs">/docs</a>
(<a href="/openapi.json">/openapi.json</a>).</p></body></html>
"""


class DeskHolder:
    """Opens the store on first use, so creating the app touches no file."""

    def __init__(
        self, settings: Settings, *, read_only: bool, extractor: Callable[[], Extractor] | None = None
    ) -> None:
        self.settings = settings
        self.read_only = read_only
        self.extractor = extractor
        self._desk: Desk | None = None
        self._lock = threading.Lock()

    def get(self) -> Desk:
        with self._lock:
            if self._desk is None:
                from eventwatch.store import Store

                store = Store(self.settings.db_path, read_only=self.read_only)
                self._desk = Desk(store, settings=self.settings, extractor=self.extractor)
            return self._desk

    def close(self) -> None:
        with self._lock:
            if self._desk is not None:
                self._desk.store.close()
                self._desk = None


def create_app(
    *,
    settings: Settings,
    token: str | None,
    read_only: bool,
    max_body_bytes: int = MAX_BODY_BYTES,
    extractor: Callable[[], Extractor] | None = None,
) -> FastAPI:
    """The API and the dashboard over ``settings.db_path``. A writable app needs a token.
    ``extractor`` makes the pipeline for ingests (default: ``Extractor(settings=settings)``, on
    the first ingest)."""
    if not read_only and not token:
        raise ConfigError("a writable server needs a token (EVENTWATCH_TOKEN); or serve --read-only")
    holder = DeskHolder(settings, read_only=read_only, extractor=extractor)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        holder.close()

    app = FastAPI(
        title="eventwatch",
        version=__version__,
        summary="Coded conflict and political events with their evidence, and the review loop.",
        lifespan=lifespan,
    )
    app.state.desk_holder = holder
    app.state.write_policy = WritePolicy(token=token, read_only=read_only)
    install_error_handlers(app)
    app.include_router(router)

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        page = WEB_DIR / "index.html"
        if page.is_file():
            return FileResponse(page, media_type="text/html")
        return HTMLResponse(PLACEHOLDER)

    app.mount("/static", StaticFiles(directory=WEB_DIR / "static", check_dir=False), name="static")
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    return app
