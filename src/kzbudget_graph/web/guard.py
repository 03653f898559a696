"""What the server refuses before any route runs.

DNS rebinding: a page on an attacker's host name that resolves to 127.0.0.1
reaches this server with that host name in ``Host``; only the names the
server was started for are answered. Writes (``POST /update``) exist only
with ``--writable``, and then only when ``Origin`` (or ``Referer``) is this
server itself: a cross-site form POST sends no preflight, so the check is ours.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["HostGuard", "allowed_hosts", "same_origin"]


def allowed_hosts(host: str, port: int) -> set[str]:
    """``Host`` values this server answers: its own address, with the port."""
    names = {host, "localhost", "127.0.0.1"} if host in ("127.0.0.1", "localhost") else {host}
    return {f"{name}:{port}" for name in names} | (names if port == 80 else set())


def same_origin(headers, expected: set[str]) -> bool:
    """Whether a request comes from a page of this server (``Origin``, else ``Referer``)."""
    origin = headers.get("origin") or headers.get("referer")
    if not origin:
        return False
    parts = urlsplit(origin)
    return parts.scheme == "http" and parts.netloc in expected


class HostGuard:
    """ASGI middleware: 421 for an unexpected ``Host`` header."""

    def __init__(self, app: ASGIApp, hosts: set[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            if host not in self.hosts:
                response = PlainTextResponse("unexpected Host header\n", status_code=421)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
