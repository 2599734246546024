"""The web pages: sign-in and sign-out, "Advies aanvragen" (indicatiesteller) and an advies' page."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.auth import Principal, Sleutels
from api.deps import ApiFout, lees_body
from api.routes.advies import geef_advies, vind_advies
from api.web import formulier as f
from api.web.sessies import COOKIE, GELDIG, beeindig_sessie, csrf_klopt, csrf_token, nieuwe_sessie, vind_sessie
from engine.casus import parse_casus
from engine.errors import CasusFout, Fout

__all__ = ["router", "installeer"]

HIER = Path(__file__).parent
templates = Jinja2Templates(directory=HIER / "templates")
router = APIRouter(include_in_schema=False)
AANMELD_COOKIE = "hg_aanmelden"  # pre-session secret for the sign-in form's CSRF token
MAX_FORMULIER = 64 * 1024
AANVRAGERS = frozenset({"indicatiesteller", "beheerder"})  # as POST /v1/advies
LEZERS = frozenset({"indicatiesteller", "hg_deskundige", "beheerder"})  # as GET /v1/advies/{id}


def installeer(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=HIER / "static"), name="static")


def _pagina(request: Request, naam: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, naam, context, status_code=status)


def _fout(request: Request, status: int, titel: str, melding: str, wie: Principal | None = None) -> HTMLResponse:
    return _pagina(request, "fout.html", status, titel=titel, melding=melding, wie=wie,
                   csrf=_csrf_voor(request) if wie else "")


def _csrf_voor(request: Request) -> str:
    return csrf_token(request.cookies.get(COOKIE, ""))


def _cookie(response: Response, request: Request, naam: str, waarde: str, max_age: int) -> None:
    response.set_cookie(naam, waarde, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


async def _formulier(request: Request) -> dict[str, list[str]]:
    body = await lees_body(request, MAX_FORMULIER, "(formulier)", "het formulier is te groot")
    return parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True, max_num_fields=2000)


async def _wie(request: Request) -> Principal | None:
    return await run_in_threadpool(vind_sessie, request.app.state.db, request.cookies.get(COOKIE))


def _naar_aanmelden() -> RedirectResponse:
    return RedirectResponse("/aanmelden", status_code=303)


@router.get("/aanmelden")
async def aanmelden_pagina(request: Request) -> Response:
    geheim = secrets.token_urlsafe(32)
    response = _pagina(request, "aanmelden.html", csrf=csrf_token(geheim), fout=None)
    _cookie(response, request, AANMELD_COOKIE, geheim, 3600)
    return response


@router.post("/aanmelden")
async def aanmelden(request: Request) -> Response:
    velden = await _formulier(request)
    geheim = request.cookies.get(AANMELD_COOKIE)
    if not csrf_klopt(geheim, (velden.get("csrf") or [""])[0]):
        return _fout(request, 403, "Verzoek geweigerd", "Het formulier is verlopen of niet van deze site. "
                     "Laad de aanmeldpagina opnieuw.")
    sleutels: Sleutels = request.app.state.sleutels
    wie = sleutels.lookup((velden.get("sleutel") or [""])[0].strip())
    if wie is None:
        assert geheim is not None
        return _pagina(request, "aanmelden.html", 401, csrf=csrf_token(geheim),
                       fout="Onbekende of ongeldige sleutel.")
    sessie_id = await run_in_threadpool(nieuwe_sessie, request.app.state.db, wie)
    bestemming = "/advies/nieuw" if wie.rol in AANVRAGERS else "/aangemeld"
    response = RedirectResponse(bestemming, status_code=303)
    _cookie(response, request, COOKIE, sessie_id, int(GELDIG.total_seconds()))
    response.delete_cookie(AANMELD_COOKIE, path="/", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return response


@router.get("/aangemeld")
async def aangemeld(request: Request) -> Response:
    wie = await _wie(request)
    if wie is None:
        return _naar_aanmelden()
    return _pagina(request, "aangemeld.html", wie=wie, csrf=_csrf_voor(request))


@router.post("/afmelden")
async def afmelden(request: Request) -> Response:
    velden = await _formulier(request)
    sessie_id = request.cookies.get(COOKIE)
    if not csrf_klopt(sessie_id, (velden.get("csrf") or [""])[0]):
        return _fout(request, 403, "Verzoek geweigerd", "Het formulier is verlopen of niet van deze site.")
    await run_in_threadpool(beeindig_sessie, request.app.state.db, sessie_id)
    response = RedirectResponse("/aanmelden", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response


def _geen_toegang(request: Request, wie: Principal) -> HTMLResponse:
    return _fout(request, 403, "Geen toegang", f"Met de rol '{wie.rol}' mag u deze pagina niet gebruiken.", wie)


@router.get("/advies/nieuw")
async def advies_formulier(request: Request) -> Response:
    wie = await _wie(request)
    if wie is None:
        return _naar_aanmelden()
    if wie.rol not in AANVRAGERS:
        return _geen_toegang(request, wie)
    return _pagina(request, "advies_formulier.html", wie=wie, csrf=_csrf_voor(request), form=f.standaard(), k=f)


@router.post("/advies/nieuw")
async def advies_aanvragen(request: Request) -> Response:
    wie = await _wie(request)
    if wie is None:
        return _naar_aanmelden()
    velden = await _formulier(request)
    if not csrf_klopt(request.cookies.get(COOKIE), (velden.get("csrf") or [""])[0]):
        return _fout(request, 403, "Verzoek geweigerd", "Het formulier is verlopen of niet van deze site.", wie)
    if wie.rol not in AANVRAGERS:
        return _geen_toegang(request, wie)
    data, form, rijen = f.lees_formulier(velden)
    try:
        casus = parse_casus(data)
        rij, _ = await geef_advies(request.app.state.opslag, casus, wie)
    except CasusFout as exc:
        f.koppel_fouten(form, exc.fouten, rijen)
    except ApiFout as exc:  # e.g. no ruleset for the peildatum
        f.koppel_fouten(form, [Fout(x["veld"], x["melding"]) for x in exc.fouten], rijen)
    else:
        return RedirectResponse(f"/advies/{rij['id']}", status_code=303)
    return _pagina(request, "advies_formulier.html", 422, wie=wie, csrf=_csrf_voor(request), form=form, k=f)


@router.get("/advies/{advies_id}")
async def advies_pagina(request: Request, advies_id: str) -> Response:
    wie = await _wie(request)
    if wie is None:
        return _naar_aanmelden()
    if wie.rol not in LEZERS:
        return _geen_toegang(request, wie)

    def lees() -> Any:
        with Session(request.app.state.db) as session:
            return vind_advies(session, advies_id, wie)

    try:
        record = await run_in_threadpool(lees)
    except ApiFout as exc:
        titel = "Niet gevonden" if exc.status == 404 else "Geen toegang"
        return _fout(request, exc.status, titel, exc.fouten[0]["melding"], wie)
    return _pagina(request, "advies.html", wie=wie, csrf=_csrf_voor(request), record=record, a=record.advies)
