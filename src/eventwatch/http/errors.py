"""One JSON body for every error: ``{"error": {"code", "message", "details"}}``.

Codes: an eventwatch error keeps its own (``E300`` a bad query, ``E102`` a bad article record,
``E200`` the database); an HTTP error is ``E`` + its status (``E401``, ``E404``, ``E405``,
``E413``); a request that fails validation is ``E422`` with the validator's list in ``details``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException

from eventwatch.errors import EventwatchError, InputError, QueryError

if TYPE_CHECKING:
    from fastapi import FastAPI, Request
    from starlette.responses import JSONResponse
    from starlette.types import ASGIApp, Message, Receive, Scope, Send


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def status_of(exc: EventwatchError) -> int:
    """The HTTP status for an eventwatch error: the caller's fault (400) or ours (500)."""
    return 400 if isinstance(exc, QueryError | InputError) else 500


def _safe_details(errors: Any) -> Any:
    """Validation errors as JSON (pydantic may put exceptions in ``ctx``)."""
    return json.loads(json.dumps(errors, default=str))


def install_error_handlers(app: FastAPI) -> None:
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException as StarletteHTTPException
    from starlette.responses import JSONResponse

    def reply(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
        return JSONResponse(body, status_code=status, headers=headers)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else "HTTP error"
        return reply(exc.status_code, error_body(f"E{exc.status_code}", message), dict(exc.headers or {}))

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [{k: v for k, v in e.items() if k != "url"} for e in exc.errors()]
        return reply(422, error_body("E422", "the request is not valid", _safe_details(errors)))

    async def on_eventwatch(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, EventwatchError)
        return reply(status_of(exc), error_body(exc.code, exc.message))

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        return reply(500, error_body("E500", "internal server error; see the server's log"))

    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(EventwatchError, on_eventwatch)
    app.add_exception_handler(Exception, on_unexpected)


class _TooLarge(HTTPException):
    """Raised while the body streams in; an HTTPException so FastAPI's body parsing lets it
    through to the error handler (as 413) when the response has not started."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"request body over {max_bytes} bytes")


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, by Content-Length when given and by
    counting the bytes as they arrive otherwise (chunked uploads)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Send) -> None:
        from starlette.responses import JSONResponse

        message = f"request body over {self.max_bytes} bytes"
        response = JSONResponse(error_body("E413", message, {"max_bytes": self.max_bytes}), status_code=413)
        await response({"type": "http"}, _no_receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._refuse(send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
