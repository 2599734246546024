"""Sign-in with an API key (a database session in an HttpOnly, SameSite=strict cookie), sign-out (also at the
identity provider for a session signed in there, `api/web/oidc.py`), start page.

Failed sign-ins are limited per client address by the same limiter as wrong keys on the API (`api.pogingen`:
after `MAX_POGINGEN` failures within `VENSTER`, shared between the worker processes through the database), so
the address is refused (429) until the window has passed, on the page and on the API alike.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api import audit
from api.audit import regel
from api.oidc import Onbereikbaar
from api.pogingen import Pogingen, van
from api.web import pagina as p
from api.web.sessies import COOKIE, GELDIG, Beeindigd, beeindig_sessie, csrf_klopt, csrf_token, nieuwe_sessie

__all__ = ["router", "STARTPAGINA", "Pogingen"]

router = APIRouter(include_in_schema=False)
AANMELD_COOKIE = "hg_aanmelden"  # pre-session secret for the sign-in form's CSRF token
STARTPAGINA = {"indicatiesteller": "/advies/nieuw", "hg_deskundige": "/adviezen",
               "beleidsmaker": "/scenarios", "beheerder": "/adviezen"}


def _pogingen(request: Request) -> Pogingen:
    return van(request.app)  # the limiter the API's gate uses too (api/poort.py)


async def _afmelden_bij_gemeente(request: Request, beeindigd: Beeindigd) -> str | None:
    """For a session of the identity provider: its end_session_endpoint (id_token_hint, and back to the
    sign-in page), so the sign-out ends the session at the municipality too; None for a key session, or when
    the provider advertises none or cannot be reached (the local session has ended all the same)."""
    idp = p.aanbieder(request)
    if idp is None or beeindigd.wie.subject is None:
        return None
    try:
        configuratie = idp.bekende_configuratie() or await idp.configuratie()
    except Onbereikbaar:
        return None
    return idp.afmeld_url(configuratie, beeindigd.id_token, str(request.url_for("aanmelden_pagina")))


def _adres(request: Request) -> str:
    return request.client.host if request.client else "?"


def _aanmeldpagina(request: Request, status: int = 200, fout: str | None = None,
                   volgende: str | None = None) -> Response:
    geheim = request.cookies.get(AANMELD_COOKIE) or secrets.token_urlsafe(32)
    # With the identity provider configured, staff sign in there; the key form stays only for a beheerder's
    # key (sign-in while the provider is down), and only when HG_API_KEYS has keys.
    if volgende is None:
        volgende = p.volgende_pagina(request.query_params.get("volgende"))
    response = p.pagina(request, "aanmelden.html", status, csrf=csrf_token(geheim), fout=fout,
                        oidc=p.aanbieder(request) is not None, met_sleutel=bool(request.app.state.sleutels),
                        volgende=volgende)
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
    volgende = p.volgende_pagina(p.eerste(velden, "volgende"))  # back to the page asked for (this site only)
    wacht = pogingen.geblokkeerd(adres)
    if wacht:
        minuten = int(wacht // 60) + 1
        response = _aanmeldpagina(request, 429, f"Te veel mislukte pogingen. Probeer het over {minuten} "
                                  f"{'minuut' if minuten == 1 else 'minuten'} opnieuw.", volgende)
        response.headers["Retry-After"] = str(int(wacht) + 1)
        return response
    wie = request.app.state.sleutels.lookup(p.eerste(velden, "sleutel").strip())
    if wie is None:
        await pogingen.registreer(adres, regel("aanmelden_mislukt", None, request, status=401))
        return _aanmeldpagina(request, 401, "Onbekende of ongeldige sleutel. Controleer de sleutel en probeer het "
                              "opnieuw.", volgende)
    if p.aanbieder(request) is not None and wie.rol != "beheerder":
        await audit.leg_vast(request, "aanmelden_mislukt", wie, status=403)
        return _aanmeldpagina(request, 403, "Met een API-sleutel kan hier alleen een beheerder zich aanmelden; "
                              "meld u aan via de gemeente. De sleutel blijft werken voor de API.", volgende)
    pogingen.gelukt(adres)
    # A sign-in in a browser that has a session already ends that session: one browser, one valid session id
    # (attacks-2026-12.log, session: the first id stayed valid after a second sign-in).
    await run_in_threadpool(beeindig_sessie, request.app.state.db, request.cookies.get(COOKIE))
    sessie_id = await run_in_threadpool(nieuwe_sessie, request.app.state.db, wie)
    await audit.leg_vast(request, "aangemeld", wie)
    response = RedirectResponse(volgende or STARTPAGINA[wie.rol], status_code=303)
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
    beeindigd = await run_in_threadpool(beeindig_sessie, request.app.state.db, sessie_id)
    response: Response = RedirectResponse("/aanmelden", status_code=303)
    if beeindigd is not None:
        await audit.leg_vast(request, "afgemeld", beeindigd.wie)
        verder = await _afmelden_bij_gemeente(request, beeindigd)
        if verder:  # a page that continues there: a redirect would break the form's CSP (form-action 'self')
            response = p.pagina(request, "afgemeld.html", verder=verder)
            response.headers["Refresh"] = f"0; url={verder}"
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response
