"""The gate in front of the API: a write without a valid key is refused before its body is read, and every
body is limited before it is parsed (pure ASGI).

FastAPI parses a JSON body before it solves the dependencies that check the key, so a 44 MB review body
without a key was parsed whole (server memory 118 -> 444 MB, `/health` 2 s). Here the key is looked up from
the header first (the same lookup and Dutch messages as `api.deps`), and a body above its endpoint's limit is
refused with 413: at once when `Content-Length` says so, else while it streams in. The role check stays with
each route.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import orjson

from api.beveiliging import ASGIApp, Message, Receive, Scope, Send
from api.deps import PRINCIPAL, ApiFout, sleutelhouder

__all__ = ["Poort", "LIMIETEN", "STANDAARD_LIMIET"]

STANDAARD_LIMIET = 256 * 1024  # a casus, a besluit or a review is far smaller
LIMIETEN = {"/v1/replay": 128 * 1024 * 1024}  # an uploaded casus library (api/routes/replay.py reads it itself)
_SCHRIJVEN = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_EIGEN_LEZER = frozenset({"/v1/advies", "/v1/replay"})  # api.deps.lees_body, limited while streaming


async def _antwoord(send: Send, fout: ApiFout) -> None:
    body = orjson.dumps({"fouten": fout.fouten})
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in (fout.headers or {}).items()]
    await send({"type": "http.response.start", "status": fout.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Poort:
    """ASGI middleware: key before body, and a body limit per endpoint, for writes under `/v1/`."""

    def __init__(self, app: ASGIApp, sleutels: Any) -> None:
        self.app = app
        self.sleutels = sleutels  # a callable giving the app's current Sleutels (tests replace them)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        pad: str = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") not in _SCHRIJVEN or not pad.startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        koppen: MutableMapping[bytes, bytes] = dict(scope.get("headers", []))
        scheme, _, sleutel = koppen.get(b"authorization", b"").decode("latin-1").partition(" ")
        try:
            scope[PRINCIPAL] = sleutelhouder(self.sleutels(), scheme, sleutel)  # the route reuses it
        except ApiFout as fout:
            await _antwoord(send, fout)
            return
        limiet = LIMIETEN.get(pad, STANDAARD_LIMIET)
        te_groot = ApiFout(413, "(verzoek)", f"het verzoek is groter dan {limiet // 1024} kB")
        lengte = koppen.get(b"content-length", b"")
        if lengte.isdigit() and int(lengte) > limiet:
            await _antwoord(send, te_groot)
            return
        if pad in _EIGEN_LEZER:  # these read their body themselves, streaming, with the same limit
            await self.app(scope, receive, send)
            return
        # A body without Content-Length: read it here, up to the limit (FastAPI would read it whole).
        berichten: list[Message] = []
        gelezen = 0
        while True:
            bericht = await receive()
            berichten.append(bericht)
            if bericht["type"] != "http.request":
                break
            gelezen += len(bericht.get("body", b""))
            if gelezen > limiet:
                await _antwoord(send, te_groot)
                return
            if not bericht.get("more_body", False):
                break

        async def opnieuw() -> Message:
            return berichten.pop(0) if berichten else await receive()

        await self.app(scope, opnieuw, send)
