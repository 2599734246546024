"""Pages of the indicatiesteller: "Advies aanvragen", an advies with "besluit vastleggen", the adviezen list."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.deps import ApiFout
from api.routes.advies import geef_advies
from api.web import formulier as f
from api.web import pagina as p
from engine.casus import parse_casus
from engine.errors import CasusFout, Fout

__all__ = ["router", "AANVRAGERS", "LEZERS"]

router = APIRouter(include_in_schema=False)
AANVRAGERS = frozenset({"indicatiesteller"})  # as POST /v1/advies (and the beheerder)
LEZERS = frozenset({"indicatiesteller", "hg_deskundige"})  # as GET /v1/advies/{id} (and the beheerder)


@router.get("/advies/nieuw")
async def advies_formulier(request: Request) -> Response:
    wie = await p.toegang(request, AANVRAGERS)
    if isinstance(wie, Response):
        return wie
    return p.pagina(request, "advies_formulier.html", wie=wie, form=f.standaard(), k=f)


@router.post("/advies/nieuw")
async def advies_aanvragen(request: Request) -> Response:
    velden = await p.formulier(request)
    wie = await p.toegang(request, AANVRAGERS, velden)
    if isinstance(wie, Response):
        return wie
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
    return p.pagina(request, "advies_formulier.html", 422, wie=wie, form=form, k=f)


async def lees_advies(request: Request, advies_id: str, wie: Any) -> Any:
    """The stored advies record (as GET /v1/advies/{id} reads it), or the error page to show instead."""
    from api.routes.advies import vind_advies

    def lees() -> Any:
        with Session(request.app.state.db) as session:
            return vind_advies(session, advies_id, wie)

    try:
        return await run_in_threadpool(lees)
    except ApiFout as exc:
        titel = "Niet gevonden" if exc.status == 404 else "Geen toegang"
        return p.fout(request, exc.status, titel, exc.fouten[0]["melding"].capitalize(), wie)


@router.get("/advies/{advies_id}")
async def advies_pagina(request: Request, advies_id: str) -> Response:
    wie = await p.toegang(request, LEZERS)
    if isinstance(wie, Response):
        return wie
    record = await lees_advies(request, advies_id, wie)
    if isinstance(record, Response):
        return record
    return p.pagina(request, "advies.html", wie=wie, record=record, a=record.advies)
