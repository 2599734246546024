"""Herindicatie on the pages: "Advies aanvragen" filled with an earlier advies' casus, and the history of a
casus (its earlier and later adviezen, their direction and besluiten) on the advies page.

The link itself is made by POST /v1/advies (api/herindicatie.py): a new advies of the same casus is linked to
the newest earlier one the indicatiesteller may read. The form carries the advies it started from
(`vorig_advies_id`, hidden) so that a changed casusnummer is refused instead of silently starting a new casus.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api import audit, herindicatie
from api.auth import Principal
from api.deps import ApiFout
from api.models import AdviesRecord
from api.routes.advies import vind_advies
from api.web import formulier as f
from api.web import pagina as p
from engine.errors import Fout
from engine.taal import veldnaam, waarde_in_woorden

__all__ = ["router", "velden_van", "geschiedenis", "controleer_vorig", "RICHTING_WOORDEN"]

router = APIRouter(include_in_schema=False)
AANVRAGERS = frozenset({"indicatiesteller"})  # as POST /v1/advies (and the beheerder)

RICHTING_WOORDEN = {"opschalen": "opgeschaald", "afschalen": "afgeschaald", "gelijk": "gelijk gebleven",
                    "anders": "anders (niet zwaarder of lichter te noemen)"}
# The changes named one by one, in this order; the others are counted ("en 3 andere onderdelen van het advies").
_GENOEMD = ("route", "perceel", "pakket", "vrije_trede", "budget.totaal_uur_per_week", "onderdelen", "maatwerk",
            "duur_maanden", "fase")


def velden_van(casus: dict[str, Any]) -> dict[str, list[str]]:
    """A stored casus as the form's fields (as the browser would post them), so `f.lees_formulier` fills the
    form exactly as for an entered one. The peildatum is left empty: a herindicatie is judged today."""
    velden: dict[str, list[str]] = {}

    def zet(naam: str, waarde: Any) -> None:
        if isinstance(waarde, bool):
            if waarde:
                velden[naam] = ["ja"]
        elif isinstance(waarde, list):
            velden[naam] = [str(w) for w in waarde]
        elif waarde is not None:
            velden[naam] = [str(waarde)]

    for naam in ("casus_id", "woonplaats", "vaardigheden", "bestaande_wmo_zorg", "signalen"):
        zet(naam, casus.get(naam))
    for i, lid in enumerate(casus.get("leden") or []):
        for naam, waarde in lid.items():
            if naam == "verblijft_mee":
                velden[f"leden-{i}-verblijft_mee"] = ["ja" if waarde else "nee"]
            else:
                zet(f"leden-{i}-{naam}", waarde)
    geweld = casus.get("geweld") or {}
    for naam, waarde in geweld.items():
        if naam in f.GEWELD_JA_NEE:
            velden[f"geweld-{naam}"] = ["ja" if waarde else "nee"]
        else:
            zet(f"geweld-{naam}", waarde)
    for groep in ("veiligheid", "woonsituatie", "inzet"):
        for naam, waarde in (casus.get(groep) or {}).items():
            zet(f"{groep}-{naam}", waarde)
    return velden


def wijzigingen_in_woorden(wijzigingen: dict[str, list[Any]]) -> list[str]:
    """The main changed fields in words ('pakket: 2 → 3'), then how many other fields changed."""
    zinnen = [f"{veldnaam(veld)}: {waarde_in_woorden(wijzigingen[veld][0])} → "
              f"{waarde_in_woorden(wijzigingen[veld][1])}" for veld in _GENOEMD if veld in wijzigingen]
    overig = len([v for v in wijzigingen if v not in _GENOEMD])
    if overig:
        zinnen.append(f"en {overig} {'ander onderdeel' if overig == 1 else 'andere onderdelen'} van het advies")
    return zinnen


def _geschiedenis(request: Request, wie: Principal, record: AdviesRecord) -> list[dict[str, Any]]:
    adviezen = herindicatie.van_casus(request.app.state.db, record.casus_id, wie)
    anderen = [a for a in adviezen if a["advies_id"] != record.id]
    if anderen:  # reading other adviezen of the casus is a read of each of them
        audit.schrijf(request.app.state.db, *(audit.regel("casus_gelezen", wie, request, advies_id=a["advies_id"],
                                                          object_id=record.casus_id, status=200) for a in anderen))
    for a in adviezen:
        verschil = a["ten_opzichte_van_vorige"]
        a["dit"] = a["advies_id"] == record.id
        a["richting_woorden"] = RICHTING_WOORDEN.get(verschil["richting"], "") if verschil else ""
        a["wijzigingen_woorden"] = wijzigingen_in_woorden(verschil["wijzigingen"]) if verschil else []
    return adviezen


async def geschiedenis(request: Request, wie: Principal, record: AdviesRecord) -> dict[str, Any]:
    """The context of `_geschiedenis.html`: the adviezen of this casus that `wie` may read, oldest first, and
    whether `wie` may start a herindicatie."""
    adviezen = await run_in_threadpool(_geschiedenis, request, wie, record)
    return {"adviezen": adviezen, "mag_herindiceren": wie.rol in AANVRAGERS or wie.rol == "beheerder",
            "advies_id": record.id}


def controleer_vorig(request: Request, wie: Principal, vorig_advies_id: str, casus_id: object) -> Fout | None:
    """For a form started as a herindicatie: an error on the casusnummer when the advies it started from is not
    readable or belongs to another casus (a new advies would then not be linked to it); else None."""
    with Session(request.app.state.db) as session:
        try:
            vorig = vind_advies(session, vorig_advies_id, wie)
        except ApiFout:
            return Fout("casus_id", "het advies waarvan deze herindicatie uitgaat, bestaat niet meer of is niet van "
                        "u; vraag een nieuw advies aan")
    if vorig.casus_id != casus_id:
        return Fout("casus_id", f"een herindicatie houdt het casusnummer van het vorige advies ({vorig.casus_id}); "
                    "zet het casusnummer terug, of vraag een nieuw advies aan voor een andere casus")
    return None


@router.get("/advies/{advies_id}/herindicatie")
async def herindicatie_formulier(request: Request, advies_id: str) -> Response:
    """'Advies aanvragen' filled with this advies' casus, for a herindicatie."""
    gevonden = await p.vind_voor(request, AANVRAGERS, vind_advies, advies_id, actie="advies_gelezen")
    if isinstance(gevonden, Response):
        return gevonden
    wie, record = gevonden
    _, form, _ = f.lees_formulier(velden_van(record.casus))
    return p.pagina(request, "advies_formulier.html", wie=wie, form=form, k=f, vorig=record)


@router.get("/advies/{advies_id}/besluit")
async def besluit_heropend(advies_id: str) -> Response:
    """The besluit form's address opened again (reload, bookmark, back after a 422): to the advies' besluit
    section instead of 405; the advies page checks who may see it."""
    return RedirectResponse(f"/advies/{advies_id}#besluit" if _is_id(advies_id) else "/adviezen", status_code=303)


def _is_id(advies_id: str) -> bool:
    return len(advies_id) == 32 and all(c in "0123456789abcdef" for c in advies_id)
