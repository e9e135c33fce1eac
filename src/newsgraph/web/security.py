"""Response headers that keep untrusted article text inert, and bearer-token checks."""

from __future__ import annotations

import ipaddress

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsgraph.store.web import check_token

# No inline script or style anywhere: templates load /static files only.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware): adds HEADERS to responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def require_token(request: Request) -> int:
    """Dependency: the id of a valid, unrevoked token, else 401."""
    token = bearer(request)
    if token is None:
        raise HTTPException(
            401,
            "this endpoint needs an API token: Authorization: Bearer <token> "
            "(create one with `newsgraph token create`)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    token_id = check_token(request.app.state.store, token)
    if token_id is None:
        raise HTTPException(
            401,
            "invalid or revoked API token",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return token_id


async def read_access(request: Request) -> None:
    """Dependency of read endpoints: open unless the app was told reads need a token.

    async, so open reads skip a hop through the thread pool; the token check (a database
    read) runs in the pool."""
    if request.app.state.settings.reads_need_token:
        await run_in_threadpool(require_token, request)
