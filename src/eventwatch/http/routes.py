"""The /api routes: parse the request, call ``Desk``, render. No logic of their own."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, Response
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from eventwatch.desk import MAX_LIMIT, Desk
from eventwatch.http.auth import require_writer
from eventwatch.http.models import (
    ArticleIn,
    ErrorBody,
    EventDetail,
    EventsPage,
    IngestOut,
    Items,
    ReviewIn,
    Series,
    Signals,
)
from eventwatch.store import EXPORT_FORMATS, EventFilter

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Invalid query"},
    422: {"model": ErrorBody, "description": "Invalid request"},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": ErrorBody, "description": "No bearer token"},
    403: {"model": ErrorBody, "description": "Wrong token, or the server is read-only"},
    413: {"model": ErrorBody, "description": "Body too large"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "Unknown id"}}
EXPORT_TYPES = {
    "acled-csv": ("text/csv; charset=utf-8", "csv"),
    "plover-json": ("application/json", "json"),
    "gdelt-tsv": ("text/tab-separated-values; charset=utf-8", "tsv"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
}
assert set(EXPORT_TYPES) == set(EXPORT_FORMATS)

router = APIRouter(prefix="/api")


def get_desk(request: Request) -> Desk:
    desk: Desk = request.app.state.desk_holder.get()
    return desk


def event_filter(
    plover_type: Annotated[str | None, Query(alias="type", description="PLOVER type, e.g. ASSAULT")] = None,
    actor: Annotated[str | None, Query(description="Actor name (part of it), id or CAMEO code")] = None,
    country: Annotated[str | None, Query(description="ISO 3166 alpha-3 of an actor or the place")] = None,
    since: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
    until: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
    modality: Annotated[str | None, Query(description="occurred, ongoing, threatened, ...")] = None,
    q: Annotated[
        str | None, Query(description="Text in the evidence or an actor's name", max_length=500)
    ] = None,
    include_rejected: Annotated[bool, Query(description="Also events reviewed as not an event")] = False,
    reports: Annotated[
        bool, Query(description="Every article's own report, not one row per fused event")
    ] = False,
) -> EventFilter:
    return EventFilter(
        plover_type=plover_type,
        actor=actor,
        country=country,
        since=since,
        until=until,
        modality=modality,
        text=q,
        include_rejected=include_rejected,
        reports=reports,
    )


DeskDep = Annotated[Desk, Depends(get_desk)]
FilterDep = Annotated[EventFilter, Depends(event_filter)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]


def _found(value: dict[str, Any] | None, what: str) -> dict[str, Any]:
    if value is None:
        raise HTTPException(404, f"no {what}")
    return value


@router.get("/events", summary="Events, filtered and paged", response_model=EventsPage, responses=ERRORS)
def list_events(
    desk: DeskDep,
    flt: FilterDep,
    limit: Limit = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str, Query(pattern="^-?date$", description="date (oldest first) or -date")] = "date",
) -> dict[str, Any]:
    flt = dataclasses.replace(flt, descending=sort == "-date")
    return desk.events(flt, limit=limit, cursor=cursor)


@router.get(
    "/events/{event_id}",
    summary="One event with its article and the spans to highlight",
    response_model=EventDetail,
    responses=NOT_FOUND,
)
def get_event(desk: DeskDep, event_id: str) -> dict[str, Any]:
    return _found(desk.event_detail(event_id), f"event {event_id!r}")


@router.get("/articles/{article_id}", summary="One article with its records", responses=NOT_FOUND)
def get_article(desk: DeskDep, article_id: str) -> dict[str, Any]:
    return _found(desk.article(article_id), f"article {article_id!r}")


@router.get("/actors", summary="Actors with event counts, aliases and memberships", response_model=Items)
def list_actors(
    desk: DeskDep, q: Annotated[str | None, Query(max_length=200)] = None, limit: Limit = 100
) -> dict[str, Any]:
    return desk.actors(q=q, limit=limit)


@router.get("/series", summary="Events per period and group", response_model=Series, responses=ERRORS)
def get_series(
    desk: DeskDep,
    flt: FilterDep,
    by: Annotated[str, Query(pattern="^(day|week|month)$")] = "day",
    group: Annotated[str, Query(pattern="^(plover_type|quad_class|country|dyad)$")] = "plover_type",
) -> dict[str, Any]:
    return desk.series(flt, by=by, group=group)


@router.get("/quantities", summary="Reported counts over periods", response_model=Items)
def list_quantities(
    desk: DeskDep,
    what: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[str | None, Query(description="YYYY-MM-DD: counts plotted on or after")] = None,
    until: Annotated[str | None, Query(description="YYYY-MM-DD: counts plotted on or before")] = None,
    limit: Annotated[int | None, Query(ge=1, le=100_000, description="Only the latest counts")] = None,
) -> dict[str, Any]:
    return desk.quantities(what=what, since=since, until=until, limit=limit)


@router.get(
    "/signals",
    summary="Conflict-cooperation index per dyad and surge alerts (robust z-score)",
    response_model=Signals,
    responses=ERRORS,
)
def get_signals(
    desk: DeskDep,
    flt: FilterDep,
    days: Annotated[int, Query(ge=1, le=3660)] = 30,
    top: Annotated[int | None, Query(ge=1, le=100_000, description="Only the N busiest dyads")] = None,
) -> dict[str, Any]:
    return desk.signals(flt, days=days, top=top)


@router.get(
    "/export",
    summary="The filtered events as a file",
    response_class=FileResponse,
    responses={**ERRORS, 200: {"content": {t: {} for t, _ in EXPORT_TYPES.values()}}},
)
def export_events(
    desk: DeskDep,
    flt: FilterDep,
    fmt: Annotated[str, Query(alias="format", pattern="^(acled-csv|plover-json|gdelt-tsv|parquet)$")],
) -> FileResponse:
    media_type, suffix = EXPORT_TYPES[fmt]
    handle, name = tempfile.mkstemp(prefix="eventwatch-export-", suffix=f".{suffix}")
    os.close(handle)
    try:
        desk.export(fmt, Path(name), flt=flt)
    except BaseException:
        os.unlink(name)
        raise
    return FileResponse(
        name,
        media_type=media_type,
        filename=f"eventwatch-events.{suffix}",
        background=BackgroundTask(os.unlink, name),
    )


@router.post(
    "/articles",
    summary="Ingest one article or a list (input contract); returns the new events",
    response_model=IngestOut,
    responses=WRITE_ERRORS,
    dependencies=[Depends(require_writer)],
)
def post_articles(
    desk: DeskDep,
    response: Response,
    payload: Annotated[ArticleIn | list[ArticleIn], Body()],
) -> dict[str, Any]:
    items = payload if isinstance(payload, list) else [payload]
    plain = [a.model_dump(exclude_none=True) for a in items]
    result = desk.ingest(plain if isinstance(payload, list) else plain[0])
    response.status_code = 201 if result["articles_added"] else 200
    return result


@router.patch(
    "/events/{event_id}",
    summary="Record a reviewer's correction; returns the corrected event",
    responses={**WRITE_ERRORS, **NOT_FOUND},
    dependencies=[Depends(require_writer)],
)
def review_event(desk: DeskDep, event_id: str, review: ReviewIn) -> dict[str, Any]:
    corrected = desk.review(
        event_id,
        reviewer=review.reviewer,
        changes=review.changes.model_dump(exclude_unset=True),
        not_an_event=review.not_an_event,
        note=review.note,
    )
    return _found(corrected, f"event {event_id!r}")
