"""Writes need ``Authorization: Bearer <token>``; reads are open.

The token is compared in constant time and never written into a response or a log line.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import HTTPException, Request


@dataclass(frozen=True, slots=True)
class WritePolicy:
    token: str | None
    read_only: bool

    def __repr__(self) -> str:  # never show the token
        return f"WritePolicy(token={'set' if self.token else 'unset'}, read_only={self.read_only})"


def check_write(policy: WritePolicy, authorization: str | None) -> tuple[int, str] | None:
    """None when the write may go on, else (status, message): read-only 403, no token 401, wrong 403."""
    if policy.read_only:
        return 403, "this server is read-only (started with --read-only): writes are refused"
    if not authorization:
        return 401, "writes need an 'Authorization: Bearer <token>' header (the server's EVENTWATCH_TOKEN)"
    scheme, _, given = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return 401, "the Authorization header must be 'Bearer <token>'"
    if policy.token is None or not hmac.compare_digest(given.strip().encode(), policy.token.encode()):
        return 403, "the bearer token is not this server's token"
    return None


def require_writer(request: Request) -> None:
    """FastAPI dependency for the write routes."""
    refused = check_write(request.app.state.write_policy, request.headers.get("authorization"))
    if refused is not None:
        status, message = refused
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        raise HTTPException(status, message, headers=headers)
