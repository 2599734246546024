"""Sign-in with an API key (a database session in an HttpOnly, SameSite=strict cookie), sign-out, start page.

Failed sign-ins are limited per client address: after `MAX_POGINGEN` failures within `VENSTER`, the
address is refused (429) until the window has passed. The count lives in each server process, so with
N workers an address gets at most N × MAX_POGINGEN tries per window: still far too few to guess a key of
at least 16 characters.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.web import pagina as p
from api.web.sessies import COOKIE, GELDIG, beeindig_sessie, csrf_klopt, csrf_token, nieuwe_sessie

__all__ = ["router", "STARTPAGINA", "Pogingen"]

router = APIRouter(include_in_schema=False)
AANMELD_COOKIE = "hg_aanmelden"  # pre-session secret for the sign-in form's CSRF token
STARTPAGINA = {"indicatiesteller": "/advies/nieuw", "hg_deskundige": "/adviezen",
               "beleidsmaker": "/scenarios", "beheerder": "/adviezen"}
MAX_POGINGEN = 10
VENSTER = 15 * 60.0


class Pogingen:
    """Failed sign-ins per client address in a sliding window (thread-safe, bounded memory)."""

    def __init__(self, maximum: int = MAX_POGINGEN, venster: float = VENSTER, adressen: int = 10_000) -> None:
        self.maximum, self.venster, self.adressen = maximum, venster, adressen
        self._mislukt: dict[str, deque[float]] = {}
        self._slot = threading.Lock()

    def _actueel(self, adres: str, nu: float) -> deque[float]:
        tijden = self._mislukt.get(adres, deque())
        while tijden and tijden[0] <= nu - self.venster:
            tijden.popleft()
        return tijden

    def geblokkeerd(self, adres: str) -> float:
        """Seconds until this address may try again (0: it may now)."""
        nu = time.monotonic()
        with self._slot:
            tijden = self._actueel(adres, nu)
            return max(0.0, tijden[0] + self.venster - nu) if len(tijden) >= self.maximum else 0.0

    def mislukt(self, adres: str) -> None:
        nu = time.monotonic()
        with self._slot:
            if adres not in self._mislukt and len(self._mislukt) >= self.adressen:
                self._mislukt.pop(next(iter(self._mislukt)))  # forget the oldest address
            tijden = self._actueel(adres, nu)
            tijden.append(nu)
            self._mislukt[adres] = tijden

    def gelukt(self, adres: str) -> None:
        with self._slot:
            self._mislukt.pop(adres, None)


def _pogingen(request: Request) -> Pogingen:
    if not hasattr(request.app.state, "aanmeldpogingen"):
        request.app.state.aanmeldpogingen = Pogingen()
    pogingen: Pogingen = request.app.state.aanmeldpogingen
    return pogingen


def _adres(request: Request) -> str:
    return request.client.host if request.client else "?"


def _aanmeldpagina(request: Request, status: int = 200, fout: str | None = None) -> Response:
    geheim = request.cookies.get(AANMELD_COOKIE) or secrets.token_urlsafe(32)
    response = p.pagina(request, "aanmelden.html", status, csrf=csrf_token(geheim), fout=fout)
    p.cookie(response, request, AANMELD_COOKIE, geheim, 3600)
    return response


@router.get("/")
async def start(request: Request) -> Response:
    wie = await p.wie_is(request)
    return RedirectResponse(STARTPAGINA.get(wie.rol, "/aanmelden") if wie else "/aanmelden", status_code=303)


@router.get("/aanmelden")
async def aanmelden_pagina(request: Request) -> Response:
    return _aanmeldpagina(request)


@router.post("/aanmelden")
async def aanmelden(request: Request) -> Response:
    velden = await p.formulier(request)
    if not csrf_klopt(request.cookies.get(AANMELD_COOKIE), p.eerste(velden, "csrf")):
        return p.csrf_fout(request)
    pogingen, adres = _pogingen(request), _adres(request)
    wacht = pogingen.geblokkeerd(adres)
    if wacht:
        minuten = int(wacht // 60) + 1
        response = _aanmeldpagina(request, 429, f"Te veel mislukte pogingen. Probeer het over {minuten} "
                                  f"{'minuut' if minuten == 1 else 'minuten'} opnieuw.")
        response.headers["Retry-After"] = str(int(wacht) + 1)
        return response
    wie = request.app.state.sleutels.lookup(p.eerste(velden, "sleutel").strip())
    if wie is None:
        pogingen.mislukt(adres)
        return _aanmeldpagina(request, 401, "Onbekende of ongeldige sleutel.")
    pogingen.gelukt(adres)
    sessie_id = await run_in_threadpool(nieuwe_sessie, request.app.state.db, wie)
    response = RedirectResponse(STARTPAGINA[wie.rol], status_code=303)
    p.cookie(response, request, COOKIE, sessie_id, int(GELDIG.total_seconds()))
    response.delete_cookie(AANMELD_COOKIE, path="/", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return response


@router.post("/afmelden")
async def afmelden(request: Request) -> Response:
    velden = await p.formulier(request)
    sessie_id = request.cookies.get(COOKIE)
    if not csrf_klopt(sessie_id, p.eerste(velden, "csrf")):
        return p.csrf_fout(request)
    await run_in_threadpool(beeindig_sessie, request.app.state.db, sessie_id)
    response = RedirectResponse("/aanmelden", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response
