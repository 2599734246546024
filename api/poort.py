"""The gate in front of the API: a write without a valid key is refused before its body is read, and every
body is limited before it is parsed (pure ASGI).

FastAPI parses a JSON body before it solves the dependencies that check the key, so a 44 MB review body
without a key was parsed whole (server memory 118 -> 444 MB, `/health` 2 s). Here the key is looked up from
the header first (the same lookup and Dutch messages as `api.deps`), and a body above its endpoint's limit is
refused with 413: at once when `Content-Length` says so, else while it streams in. The role check stays with
each route.

Every `/v1/` request that carries an `Authorization` header (reads too) passes the limiter of failed key
attempts (`api.pogingen`): an address with too many wrong keys gets 429 with `Retry-After` before its key is
looked up, whatever key it carries; a wrong key is counted, stored and audited (`sleutel_geweigerd`). The
principal found is kept in `scope[PRINCIPAL]`, which `api.deps` reuses.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import orjson
from starlette.requests import HTTPConnection

from api import pogingen
from api.audit import regel
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
    """ASGI middleware under `/v1/`: the limit of failed key attempts for every request with a key, and for
    writes the key before the body and a body limit per endpoint."""

    def __init__(self, app: ASGIApp, sleutels: Any, pogingen: Any = None) -> None:
        self.app = app
        self.sleutels = sleutels  # a callable giving the app's current Sleutels (tests replace them)
        self.pogingen = pogingen  # a callable giving the app's Pogingen (default: api.pogingen.van(scope app))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        pad: str = scope.get("path", "")
        if scope["type"] != "http" or not pad.startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        schrijven = scope.get("method") in _SCHRIJVEN
        koppen: MutableMapping[bytes, bytes] = dict(scope.get("headers", []))
        kop = koppen.get(b"authorization")
        if kop is None and not schrijven:  # a read without a key: the route answers 401 (nothing to count)
            await self.app(scope, receive, send)
            return
        scheme, _, sleutel = (kop or b"").decode("latin-1").partition(" ")
        if kop is not None:
            limiter: pogingen.Pogingen = self.pogingen() if self.pogingen else pogingen.van(scope["app"])
            client = scope.get("client")
            adres = str(client[0]) if client else "?"
            wacht = limiter.geblokkeerd(adres)
            if wacht:  # before the key is looked up: a valid key from this address waits too
                await _antwoord(send, ApiFout(429, "Authorization", pogingen.melding(wacht),
                                              {"Retry-After": str(int(wacht) + 1)}))
                return
        try:
            scope[PRINCIPAL] = sleutelhouder(self.sleutels(), scheme, sleutel)  # the route reuses it
        except ApiFout as fout:
            if kop is not None and scheme.lower() == "bearer" and sleutel:  # looked up, not found: a wrong key
                await limiter.registreer(adres, regel("sleutel_geweigerd", None, HTTPConnection(scope), status=401))
            await _antwoord(send, fout)
            return
        if not schrijven:
            await self.app(scope, receive, send)
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
