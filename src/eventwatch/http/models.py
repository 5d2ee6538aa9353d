"""Request and response models: they document the API in /openapi.json and check request bodies."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class EventsPage(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None
    total: int


class EventDetail(BaseModel):
    event: dict[str, Any]
    article: dict[str, Any]
    highlights: list[dict[str, Any]]


class Items(BaseModel):
    items: list[dict[str, Any]]


class Series(BaseModel):
    by: str
    group: str
    items: list[dict[str, Any]]


class Signals(BaseModel):
    dyads: list[dict[str, Any]]
    alerts: list[dict[str, Any]]
    method: str


class ArticleIn(BaseModel):
    """One article in the input contract (DESIGN.md section 2); other fields are ignored."""

    model_config = ConfigDict(extra="ignore")

    id: str | int
    text: str
    published: str | None = None
    source: str | None = None
    title: str | None = None
    url: str | None = None
    language: str | None = None


class IngestOut(BaseModel):
    articles_added: int
    articles_skipped: int
    events: list[dict[str, Any]]


class ReviewChanges(BaseModel):
    """The corrected fields; leave out what stays as the machine coded it (null clears a
    location, date or fatalities)."""

    model_config = ConfigDict(extra="forbid")

    plover_type: str | None = None
    source_actors: list[str | dict[str, Any]] | None = None
    target_actors: list[str | dict[str, Any]] | None = None
    modality: str | None = None
    location: str | dict[str, Any] | None = None
    date: str | None = None
    fatalities: int | dict[str, Any] | None = None


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reviewer: str = Field(min_length=1, max_length=200)
    changes: ReviewChanges = Field(default_factory=ReviewChanges)
    not_an_event: bool = False
    note: str | None = Field(default=None, max_length=5000)
