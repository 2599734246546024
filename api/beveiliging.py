"""Security headers on every response (pure ASGI, so the hot path pays a few header tuples, no more).

- `Content-Security-Policy`: `default-src 'self'` and `frame-ancestors 'none'` (no inline script or style, no
  framing); a response that sets its own policy keeps it (the standalone replay report needs its inline style).
- `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`.
- `Cache-Control: no-store` on everything but the static files: pages and API answers carry case data, which
  must not stay in a browser's or proxy's cache.
- `Strict-Transport-Security` when the request came over https (behind a proxy: when uvicorn was started
  with `--proxy-headers` for a trusted proxy, which then sets the scheme).
The OpenAPI pages (`/docs`, `/redoc`) set their own policy, also without any external host (api/documentatie.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["CSP", "Beveiligingskoppen"]

CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
_ALTIJD = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Beveiligingskoppen:
    """ASGI middleware that adds the security headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        pad: str = scope.get("path", "")
        https = scope.get("scheme") == "https"

        async def met_koppen(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                namen = {naam.lower() for naam, _ in headers}
                headers.extend(kop for kop in _ALTIJD if kop[0] not in namen)
                if b"content-security-policy" not in namen:
                    headers.append((b"content-security-policy", CSP.encode()))
                if b"cache-control" not in namen and not pad.startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                if https:
                    headers.append(_HSTS)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, met_koppen)
