"""Security headers on every response, errors and static files included, and no bare 500s.

Cable text is hostile input. The pages escape it, and the Content-Security-Policy makes a slip
harmless: scripts and styles only from this server, no inline script or ``style`` attribute,
no plugins, no framing, no ``<base>``. This is plain ASGI middleware (not Starlette's
``BaseHTTPMiddleware``), so streamed exports pass through untouched, and it answers an
unhandled exception itself, so even a failure carries the headers.
"""

from __future__ import annotations

import json
import logging

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "SecurityHeaders"]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}

_STATIC_CACHE = "public, max-age=3600"
"""Static assets change only with a new cabledesk: an hour's caching spares every page load."""

log = logging.getLogger("cabledesk.web")


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response; answers an unhandled exception
    with a 500 that has them too (JSON under ``/api/``, plain text elsewhere)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if static and message.get("status") == 200:
                    headers["cache-control"] = _STATIC_CACHE
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error serving %s", scope.get("path"))
            if started:
                raise
            await _internal_error(scope, send_with_headers)


async def _internal_error(scope: Scope, send: Send) -> None:
    if str(scope.get("path", "")).startswith("/api/"):
        body = json.dumps({"detail": "internal error; see the server log"}).encode()
        kind = b"application/json"
    else:
        body = b"Internal error; see the server log.\n"
        kind = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
