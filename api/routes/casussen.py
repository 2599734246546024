"""GET /v1/casussen/{casus_id}/adviezen: the casus over time (herindicatie), oldest advies first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from api import audit, herindicatie
from api.auth import Principal
from api.deps import ApiFout, alleen_parameters, rollen
from api.schemas import CasusAdviezen, FoutAntwoord
from engine.casus import Pseudonym
from engine.identifiers import PSEUDONYM_PATTERN

router = APIRouter(tags=["advies"])
_CASUS_ID: TypeAdapter[str] = TypeAdapter(Pseudonym)


def geldig_casus_id(casus_id: str) -> bool:
    """A casus id as the casus model accepts it (a pseudonym that holds no personal data)."""
    try:
        _CASUS_ID.validate_python(casus_id)
    except ValidationError:
        return False
    return True


@router.get(
    "/v1/casussen/{casus_id}/adviezen",
    summary="De adviezen van een casus door de tijd (herindicatie), het oudste eerst",
    response_model=CasusAdviezen,
    responses={401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}, 404: {"model": FoutAntwoord},
               422: {"model": FoutAntwoord, "description": "Geen geldig casusnummer, of een onbekende parameter"}},
)
async def get_casus_adviezen(
    request: Request,
    casus_id: Annotated[str, Path(pattern=PSEUDONYM_PATTERN, description="Het casusnummer (pseudoniem)")],
    wie: Annotated[Principal, Depends(rollen("indicatiesteller", "hg_deskundige"))],
) -> CasusAdviezen:
    """De adviezen van de casus die u mag lezen (een indicatiesteller de eigen adviezen, HG-deskundigen en
    beheerders alle), het oudste eerst, elk met de richting ten opzichte van het vorige en het laatste besluit.
    Een casus zonder adviezen die u mag lezen geeft 404. Elke inzage komt in het auditlog: een regel per
    getoond advies."""
    alleen_parameters(request)  # this operation takes no query parameters
    if not geldig_casus_id(casus_id):
        raise ApiFout(422, "casus_id", "een casusnummer is een pseudoniem van 1 tot 64 tekens (A-Z, a-z, 0-9, "
                                       "'.', '_', '-') zonder persoonsgegevens")
    db = request.app.state.db
    adviezen = await run_in_threadpool(herindicatie.van_casus, db, casus_id, wie)
    status = 200 if adviezen else 404
    regels = [audit.regel("casus_gelezen", wie, request, advies_id=a["advies_id"], object_id=casus_id, status=status)
              for a in adviezen] or [audit.regel("casus_gelezen", wie, request, object_id=casus_id, status=404)]
    await run_in_threadpool(audit.schrijf, db, *regels)
    if not adviezen:
        raise ApiFout(404, "casus_id", "geen adviezen van deze casus die u mag inzien")
    return CasusAdviezen.model_validate({"casus_id": casus_id, "adviezen": adviezen})
