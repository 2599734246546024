"""For the beheerder: the audit log (GET /v1/audit) and deleting an advies (DELETE /v1/advies/{advies_id})."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import Engine, select

from api import audit
from api.auth import Principal
from api.bewaren import verwijder
from api.deps import ApiFout, alleen_parameters, rollen
from api.models import AuditRecord
from api.schemas import AuditAntwoord, AuditRegel, FoutAntwoord

__all__ = ["router", "zoek_audit", "MAX_PER_BLADZIJDE"]

router = APIRouter(tags=["beheer"])
BEHEERDER = rollen()  # only the beheerder
MAX_PER_BLADZIJDE = 1000
_ID = re.compile(r"[0-9a-f]{32}")
_KEY_ID = re.compile(r"[0-9a-z]{1,16}")
_PARAMETERS = ("advies_id", "key_id", "actie", "van", "tot", "aantal", "voor_id")
_FOUTEN: dict[int | str, dict[str, Any]] = {s: {"model": FoutAntwoord} for s in (401, 403, 422)}


def _moment(waarde: str | None, veld: str, einde: bool) -> dt.datetime | None:
    """A date (the start of that day, or for `tot` the end, in UTC) or an ISO time; ApiFout 422 otherwise."""
    if not waarde:
        return None
    try:
        if len(waarde) == 10:
            dag = dt.date.fromisoformat(waarde)
            moment = dt.datetime.combine(dag + dt.timedelta(days=1 if einde else 0), dt.time(), dt.UTC)
        else:
            moment = dt.datetime.fromisoformat(waarde.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
    except ValueError as exc:
        raise ApiFout(422, veld, "ongeldige datum of tijd; gebruik JJJJ-MM-DD of JJJJ-MM-DDTUU:MM:SSZ") from exc
    return moment


def zoek_audit(db: Engine, *, advies_id: str | None = None, key_id: str | None = None, actie: str | None = None,
               van: dt.datetime | None = None, tot: dt.datetime | None = None, voor_id: int | None = None,
               aantal: int = 100) -> tuple[list[AuditRecord], bool]:
    """Lines matching the filters, newest first (`voor_id`: older than that line); whether there are more."""
    t = audit.TABEL.c
    voorwaarden: list[Any] = []
    if advies_id:
        voorwaarden.append(t.advies_id == advies_id)
    if key_id:
        voorwaarden.append(t.key_id == key_id)
    if actie:
        voorwaarden.append(t.actie == actie)
    if van:
        voorwaarden.append(t.tijd >= van)
    if tot:
        voorwaarden.append(t.tijd < tot)
    if voor_id is not None:
        voorwaarden.append(t.id < voor_id)
    with db.connect() as conn:
        rijen = conn.execute(select(audit.TABEL).where(*voorwaarden).order_by(t.id.desc()).limit(aantal + 1)).all()
    gevonden = [AuditRecord.model_validate(dict(r._mapping)) for r in rijen]
    return gevonden[:aantal], len(gevonden) > aantal


def filters(advies_id: str | None, key_id: str | None, actie: str | None) -> None:
    """Refuse a filter value that cannot match (422, naming the field)."""
    if advies_id and not _ID.fullmatch(advies_id):
        raise ApiFout(422, "advies_id", "een advies-id bestaat uit 32 tekens 0-9 en a-f")
    if key_id and not _KEY_ID.fullmatch(key_id):
        raise ApiFout(422, "key_id", "een key_id bestaat uit ten hoogste 16 kleine letters en cijfers")
    if actie and actie not in audit.ACTIES:
        raise ApiFout(422, "actie", f"onbekende actie (toegestaan: {', '.join(audit.ACTIES)})")


@router.get("/v1/audit", summary="Het auditlog: wie las of wijzigde welk advies, aanmeldingen, replays",
            response_model=AuditAntwoord, responses=_FOUTEN)
def get_audit(
    request: Request, wie: Annotated[Principal, Depends(BEHEERDER)],
    advies_id: str | None = None, key_id: str | None = None, actie: str | None = None,
    van: Annotated[str | None, Query(description="Vanaf (JJJJ-MM-DD of een ISO-tijd)")] = None,
    tot: Annotated[str | None, Query(description="Tot en met die dag, of tot die tijd")] = None,
    aantal: Annotated[int, Query(ge=1, le=MAX_PER_BLADZIJDE)] = 100,
    voor_id: Annotated[int | None, Query(ge=1, description="Alleen regels ouder dan deze (bladeren)")] = None,
) -> AuditAntwoord:
    """Alleen voor beheerders. De nieuwste regels eerst; `volgende` wijst naar de oudere. Het lezen van het
    auditlog komt zelf ook in het auditlog."""
    alleen_parameters(request, *_PARAMETERS)
    filters(advies_id, key_id, actie)
    regels, meer = zoek_audit(request.app.state.db, advies_id=advies_id, key_id=key_id, actie=actie,
                              van=_moment(van, "van", False), tot=_moment(tot, "tot", True), voor_id=voor_id,
                              aantal=aantal)
    audit.schrijf(request.app.state.db, audit.regel("audit_gelezen", wie, request, advies_id=advies_id, status=200))
    volgende = None
    if meer and regels:
        query = {k: v for k, v in {"advies_id": advies_id, "key_id": key_id, "actie": actie, "van": van, "tot": tot,
                                   "aantal": aantal}.items() if v}
        volgende = f"/v1/audit?{urlencode({**query, 'voor_id': regels[-1].id})}"
    return AuditAntwoord(regels=[AuditRegel.model_validate(r, from_attributes=True) for r in regels],
                         volgende=volgende)


@router.delete("/v1/advies/{advies_id}", summary="Verwijder een advies met zijn besluiten en reviews",
               status_code=204, response_class=Response,
               responses={401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}, 404: {"model": FoutAntwoord}})
def delete_advies(advies_id: str, request: Request, wie: Annotated[Principal, Depends(BEHEERDER)]) -> Response:
    """Alleen voor beheerders (bijvoorbeeld op verzoek van de betrokkene, of na een fout). Het advies, zijn
    besluiten en reviews verdwijnen; de regels in het auditlog blijven staan, met de verwijdering erbij."""
    if not _ID.fullmatch(advies_id):
        raise ApiFout(404, "advies_id", f"geen advies met id '{advies_id[:40]}'")
    regel = audit.regel("advies_verwijderd", wie, request, advies_id=advies_id, status=204)
    if not verwijder(request.app.state.db, advies_id, regel):
        raise ApiFout(404, "advies_id", f"geen advies met id '{advies_id}'")
    return Response(status_code=204)
