"""The HTTP API and the dashboard's server: ``eventwatch serve``.

Importing this package is cheap: FastAPI and uvicorn are imported by ``create_app`` and
``serve_command`` only. Routes parse, call ``eventwatch.desk.Desk`` and render; nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventwatch.http.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from eventwatch.http.app import create_app

        return create_app
    raise AttributeError(name)
