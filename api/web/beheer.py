"""Pages of the beheerder: the audit log (who read or changed which advies, sign-ins, replays, deletions) and
deleting an advies from its page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api import audit
from api.bewaren import verwijder
from api.deps import ApiFout
from api.models import AuditRecord
from api.routes.beheer import _moment, filters, zoek_audit
from api.web import pagina as p

__all__ = ["router", "BEHEERDER"]

router = APIRouter(include_in_schema=False)
BEHEERDER = frozenset({"beheerder"})
PER_PAGINA = 100
_VELDEN = ("advies_id", "key_id", "actie", "van", "tot")


@router.get("/audit")
async def audit_pagina(request: Request) -> Response:
    wie = await p.toegang(request, BEHEERDER)
    if isinstance(wie, Response):
        return wie
    gekozen = {v: request.query_params.get(v, "").strip()[:64] for v in _VELDEN}
    voor_tekst = request.query_params.get("voor", "")
    voor_id = int(voor_tekst) if voor_tekst.isdigit() and 0 < int(voor_tekst) < 2**62 else None
    fout = None
    try:
        filters(gekozen["advies_id"] or None, gekozen["key_id"] or None, gekozen["actie"] or None)
        van, tot = _moment(gekozen["van"], "van", False), _moment(gekozen["tot"], "tot", True)
    except ApiFout as exc:
        fout = p.zin(exc.fouten[0]["melding"])
        regels: list[AuditRecord] = []
        meer = False
    else:
        regels, meer = await run_in_threadpool(
            lambda: zoek_audit(request.app.state.db, advies_id=gekozen["advies_id"] or None,
                               key_id=gekozen["key_id"] or None, actie=gekozen["actie"] or None, van=van, tot=tot,
                               voor_id=voor_id, aantal=PER_PAGINA))
        await audit.leg_vast(request, "audit_gelezen", wie, advies_id=gekozen["advies_id"] or None, status=200)
    if fout is not None:
        for veld, waarde in list(gekozen.items()):  # a refused value is never shown back
            if veld in ("advies_id", "key_id", "actie", "van", "tot") and waarde and not _geldig(veld, waarde):
                gekozen[veld] = ""
    vervolg = "&".join(f"{k}={v}" for k, v in gekozen.items() if v)
    return p.pagina(request, "audit.html", 422 if fout else 200, wie=wie, regels=regels, meer=meer, fout=fout,
                    gekozen=gekozen, acties=audit.ACTIES, vervolg=vervolg)


def _geldig(veld: str, waarde: str) -> bool:
    try:
        if veld in ("van", "tot"):
            _moment(waarde, veld, False)
        else:
            filters(**{k: (waarde if k == veld else None) for k in ("advies_id", "key_id", "actie")})
    except ApiFout:
        return False
    return True


@router.post("/advies/{advies_id}/verwijderen")
async def advies_verwijderen(request: Request, advies_id: str) -> Response:
    velden = await p.formulier(request)
    wie = await p.toegang(request, BEHEERDER, velden)
    if isinstance(wie, Response):
        return wie
    regel = audit.regel("advies_verwijderd", wie, request, advies_id=advies_id, status=204)
    if len(advies_id) != 32 or not await run_in_threadpool(verwijder, request.app.state.db, advies_id, regel):
        return p.fout(request, 404, "Niet gevonden", "Dit advies bestaat niet (meer).", wie)
    return RedirectResponse("/adviezen?verwijderd=1", status_code=303)
