"""Pages of the indicatiesteller: "Advies aanvragen", an advies with "besluit vastleggen", the adviezen list."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import Engine, func
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool

from api import audit
from api.auth import Principal
from api.deps import ApiFout
from api.models import AdviesRecord, BesluitRecord, ReviewRecord
from api.routes.advies import alternatieven_van, geef_advies, vind_advies
from api.routes.besluiten import leg_besluit_vast
from api.web import casus_tekst  # noqa: F401  (registers the filters of the casus as entered)
from api.web import formulier as f
from api.web import herindicatie as h
from api.web import pagina as p
from api.web.besluit import BesluitFormulier
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
    fouten = f.vormfouten(velden)
    vorig_id = p.eerste(velden, "vorig_advies_id").strip()[:32]  # a herindicatie (api/web/herindicatie.py)
    if vorig_id and (fout := await run_in_threadpool(h.controleer_vorig, request, wie, vorig_id,
                                                     data.get("casus_id"))) is not None:
        fouten.append(fout)
    try:
        casus = parse_casus(data)
        if fouten:
            raise CasusFout([])
        rij, _ = await geef_advies(request.app.state.opslag, casus, wie, request)
    except CasusFout as exc:
        f.koppel_fouten(form, [*fouten, *exc.fouten], rijen)
    except ApiFout as exc:  # e.g. no ruleset for the peildatum
        f.koppel_fouten(form, [Fout(x["veld"], x["melding"]) for x in exc.fouten], rijen)
    else:
        return RedirectResponse(f"/advies/{rij['id']}", status_code=303)
    vorig = {"id": vorig_id} if vorig_id else None
    return p.pagina(request, "advies_formulier.html", 422, wie=wie, form=form, k=f, vorig=vorig)


def _besluiten(db: Engine, advies_id: str) -> list[BesluitRecord]:
    with Session(db) as session:
        query = select(BesluitRecord).where(BesluitRecord.advies_id == advies_id)
        return list(session.exec(query.order_by(BesluitRecord.aangemaakt)))  # type: ignore[arg-type]


async def _advies_pagina(request: Request, wie: Principal, record: AdviesRecord, status: int = 200,
                         besluit: BesluitFormulier | None = None, melding: str | None = None) -> Response:
    besluiten = await run_in_threadpool(_besluiten, request.app.state.db, record.id)
    wat_als = await run_in_threadpool(alternatieven_van, record)
    geschiedenis = await h.geschiedenis(request, wie, record)  # _geschiedenis.html (api/web/herindicatie.py)
    return p.pagina(request, "advies.html", status, wie=wie, record=record, a=record.advies, casus=record.casus,
                    besluiten=besluiten, geschiedenis=geschiedenis,
                    wat_als=wat_als, besluit=besluit or BesluitFormulier.van_advies(record.advies),
                    mag_besluiten=wie.rol in AANVRAGERS or wie.rol == "beheerder", melding=melding,
                    K=BesluitFormulier)


@router.post("/advies/valideer")
async def advies_valideren(request: Request) -> Response:
    """Validation as you type: the form checked by the same model and messages as POST /v1/advies, answered
    as JSON `{"fouten": {html id: [melding, ...]}}`; nothing is evaluated or stored."""
    velden = await p.formulier(request)
    wie = await p.toegang(request, AANVRAGERS, velden)
    if isinstance(wie, Response):
        return JSONResponse({"fouten": {}}, status_code=wie.status_code)
    data, form, rijen = f.lees_formulier(velden)
    fouten = f.vormfouten(velden)
    try:
        parse_casus(data)
    except CasusFout as exc:
        fouten += exc.fouten
    f.koppel_fouten(form, fouten, rijen)
    return JSONResponse({"fouten": form.fouten})


@router.get("/advies/{advies_id}")
async def advies_pagina(request: Request, advies_id: str) -> Response:
    gevonden = await p.vind_voor(request, LEZERS, vind_advies, advies_id, actie="advies_gelezen")
    if isinstance(gevonden, Response):
        return gevonden
    wie, record = gevonden
    melding = "Het besluit is vastgelegd." if request.query_params.get("besluit") == "vastgelegd" else None
    return await _advies_pagina(request, wie, record, melding=melding)


@router.post("/advies/{advies_id}/besluit")
async def besluit_vastleggen(request: Request, advies_id: str) -> Response:
    velden = await p.formulier(request)
    gevonden = await p.vind_voor(request, AANVRAGERS, vind_advies, advies_id, velden, "besluit_vastgelegd")
    if isinstance(gevonden, Response):
        return gevonden
    wie, record = gevonden
    form = BesluitFormulier.lees(velden, record.advies)
    if form.besluit is not None:
        try:
            await p.in_sessie(request, leg_besluit_vast, record, form.besluit, wie, request)
        except ApiFout as exc:
            for fout in exc.fouten:
                form.fout(fout["veld"], fout["melding"])
        else:
            return RedirectResponse(f"/advies/{record.id}?besluit=vastgelegd#besluit", status_code=303)
    return await _advies_pagina(request, wie, record, 422, besluit=form)


PER_PAGINA = 50


FILTERS = {"zonder_besluit": "Zonder besluit", "niet_beoordeeld": "Nog niet beoordeeld"}


def _zoekterm(tekst: str) -> str:
    """A LIKE pattern for 'contains', case-insensitive: `%`, `_` and the escape character itself are literal."""
    return "%" + tekst.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _adviezen(db: Engine, wie: Principal, casus_id: str, pagina: int,
              filters: frozenset[str] = frozenset()) -> tuple[list[Any], bool]:
    """One page of adviezen, newest first, with their latest besluit's deviations and their review count;
    an indicatiesteller sees only their own (as GET /v1/advies/{id}). `casus_id` matches any part of the
    casusnummer, whatever its case; `filters` (FILTERS) keep only those without a besluit or a review."""
    kolommen = (AdviesRecord.id, AdviesRecord.casus_id, AdviesRecord.aangemaakt, AdviesRecord.route,
                AdviesRecord.perceel, AdviesRecord.pakket)
    query = select(*kolommen).order_by(  # type: ignore[call-overload]
        AdviesRecord.aangemaakt.desc())  # type: ignore[attr-defined]
    if wie.rol == "indicatiesteller":
        query = query.where(AdviesRecord.key_id == wie.key_id)
    if casus_id:
        query = query.where(func.lower(AdviesRecord.casus_id).like(_zoekterm(casus_id.lower()), escape="\\"))
    if "zonder_besluit" in filters:
        query = query.where(AdviesRecord.id.not_in(select(BesluitRecord.advies_id)))  # type: ignore[attr-defined]
    if "niet_beoordeeld" in filters:
        query = query.where(AdviesRecord.id.not_in(select(ReviewRecord.advies_id)))  # type: ignore[attr-defined]
    with Session(db) as session:
        rijen = list(session.exec(query.offset(pagina * PER_PAGINA).limit(PER_PAGINA + 1)))
        ids = [r.id for r in rijen[:PER_PAGINA]]
        besluiten: dict[str, BesluitRecord] = {}
        reviews: dict[str, int] = {}
        if ids:
            for b in session.exec(select(BesluitRecord).where(BesluitRecord.advies_id.in_(ids))  # type: ignore[attr-defined]
                                  .order_by(BesluitRecord.aangemaakt)):  # type: ignore[arg-type]
                besluiten[b.advies_id] = b
            for advies_id, aantal in session.exec(
                    select(ReviewRecord.advies_id, func.count()).where(ReviewRecord.advies_id.in_(ids))  # type: ignore[attr-defined]
                    .group_by(ReviewRecord.advies_id)):
                reviews[advies_id] = aantal
    lijst = [{"id": r.id, "casus_id": r.casus_id, "aangemaakt": r.aangemaakt, "route": r.route, "perceel": r.perceel,
              "pakket": r.pakket, "besluit": besluiten.get(r.id), "reviews": reviews.get(r.id, 0)}
             for r in rijen[:PER_PAGINA]]
    return lijst, len(rijen) > PER_PAGINA


@router.get("/adviezen")
async def adviezen(request: Request) -> Response:
    wie = await p.toegang(request, LEZERS)
    if isinstance(wie, Response):
        return wie
    casus_id = request.query_params.get("casus", "").strip()[:64]
    filters = frozenset(n for n in FILTERS if request.query_params.get(n) == "ja")
    pagina_tekst = request.query_params.get("pagina", "1")
    pagina = int(pagina_tekst) - 1 if pagina_tekst.isdigit() and 0 < int(pagina_tekst) <= 10_000 else 0
    lijst, meer = await run_in_threadpool(_adviezen, request.app.state.db, wie, casus_id, pagina, filters)
    await audit.leg_vast(request, "adviezen_gelezen", wie, status=200)
    zoek = urlencode([("casus", casus_id)] * bool(casus_id) + [(n, "ja") for n in FILTERS if n in filters])
    return p.pagina(request, "adviezen.html", wie=wie, adviezen=lijst, casus=casus_id, pagina=pagina + 1, meer=meer,
                    filters=filters, FILTERS=FILTERS, zoek=zoek)
