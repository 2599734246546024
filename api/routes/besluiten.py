"""The professional's decision (besluit) on an advies, and HG-deskundige reviews of its rationale."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import exc as sa_exc
from sqlmodel import Session
from starlette.requests import HTTPConnection

from api import audit, idempotentie
from api.auth import Principal
from api.deps import ApiFout, SessionDep, rollen
from api.models import AdviesRecord, AuditRecord, BesluitRecord, IdempotentieRecord, ReviewRecord
from api.routes.advies import vind_advies
from api.schemas import BesluitAntwoord, BesluitIn, FoutAntwoord, ReviewAntwoord, ReviewIn, ReviewStap

router = APIRouter(tags=["besluit en review"])
FOUTEN: dict[int | str, dict[str, Any]] = {status: {"model": FoutAntwoord} for status in (401, 403, 404, 422)}


def afwijkingen(advies: dict[str, object], besluit: BesluitIn) -> list[str]:
    """The contract fields in which the decision differs from the advies."""
    verschil = []
    if besluit.route != advies["route"]:
        verschil.append("route")
    if besluit.perceel != advies["perceel"]:
        verschil.append("perceel")
    if besluit.pakket != advies["pakket"]:
        verschil.append("pakket")
    geadviseerd = {m["resultaatgebied"] for m in advies["maatwerk"]}  # type: ignore[attr-defined]
    if set(besluit.maatwerk) != geadviseerd:
        verschil.append("maatwerk")
    return verschil


async def _body(request: Request) -> bytes:
    """The raw body (for the idempotency key's hash): FastAPI read it already for the besluit, and keeps it."""
    return await request.body()


@router.post("/v1/advies/{advies_id}/besluit", summary="Leg het besluit van de indicatiesteller vast",
             response_model=BesluitAntwoord, status_code=201, responses=FOUTEN,
             openapi_extra={"parameters": [idempotentie.OPENAPI_PARAMETER]})
def post_besluit(
    advies_id: str, besluit: BesluitIn, session: SessionDep, request: Request,
    wie: Annotated[Principal, Depends(rollen("indicatiesteller"))], body: Annotated[bytes, Depends(_body)],
) -> BesluitAntwoord | Response:
    """Wat de indicatiesteller werkelijk indiceert. Wijkt dat af van het advies (route, perceel, pakket of
    maatwerk), dan is een reden verplicht: zo leert het beleid van de professionele eigenzinnigheid.

    Met een `Idempotency-Key` is een herhaling veilig: dezelfde sleutel met hetzelfde besluit geeft het eerste
    antwoord terug (`Idempotent-Replayed: true`) en legt geen tweede besluit vast."""
    record = vind_advies(session, advies_id, wie, request, "besluit_vastgelegd")
    sleutel = idempotentie.verzoek(request.headers, wie, f"POST /v1/advies/{record.id}/besluit", body)
    if sleutel is None:
        opgeslagen = leg_besluit_vast(session, record, besluit, wie, request)
        return BesluitAntwoord(besluit_id=opgeslagen.id, advies_id=record.id, afwijkingen=opgeslagen.afwijkingen,
                               aangemaakt=opgeslagen.aangemaakt)
    if (eerder := idempotentie.zoek_in(session, sleutel)) is not None:
        return idempotentie.herhaal(eerder)
    try:
        leg_besluit_vast(session, record, besluit, wie, request, sleutel)
    except sa_exc.IntegrityError as exc:  # rolled back whole: a concurrent request with this key came first
        session.rollback()
        if not idempotentie.is_botsing(exc):
            raise
        if (eerder := idempotentie.zoek_in(session, sleutel)) is not None:
            return idempotentie.herhaal(eerder)
        raise ApiFout(409, idempotentie.HEADER, "er loopt al een verzoek met deze Idempotency-Key; probeer het "
                                                 "opnieuw") from None
    return Response(sleutel.antwoord, status_code=201, media_type="application/json")


def leg_besluit_vast(session: Session, record: AdviesRecord, besluit: BesluitIn, wie: Principal,
                     verbinding: HTTPConnection, sleutel: idempotentie.Verzoek | None = None) -> BesluitRecord:
    """Store a besluit on this advies with its audit line (ApiFout 422 on `reden` when it deviates without one),
    and with an idempotency key its row holding the answer (also set on `sleutel.antwoord`), all in one
    transaction."""
    verschil = afwijkingen(record.advies, besluit)
    reden = (besluit.reden or "").strip() or None
    if verschil and not reden:
        raise ApiFout(422, "reden", f"verplicht: het besluit wijkt af van het advies ({', '.join(verschil)})")
    opgeslagen = BesluitRecord(
        advies_id=record.id, key_id=wie.key_id, rol=wie.rol, route=besluit.route, perceel=besluit.perceel,
        pakket=besluit.pakket, maatwerk=sorted(set(besluit.maatwerk)), afwijkingen=verschil,
        regels=sorted({u["regel"] for u in record.advies["uitleg"]}), reden=reden,
    )
    session.add(opgeslagen)
    session.add(AuditRecord(**audit.regel("besluit_vastgelegd", wie, verbinding, advies_id=record.id,
                                          object_id=opgeslagen.id, status=201)))
    if sleutel is not None:
        antwoord = BesluitAntwoord(besluit_id=opgeslagen.id, advies_id=record.id, afwijkingen=verschil,
                                   aangemaakt=opgeslagen.aangemaakt)
        sleutel.antwoord = antwoord.model_dump_json().encode()
        session.add(IdempotentieRecord(**sleutel.rij(201, sleutel.antwoord, record.id)))
    session.commit()
    session.refresh(opgeslagen)
    return opgeslagen


@router.post("/v1/advies/{advies_id}/review", summary="Review van de onderbouwing door een HG-deskundige",
             response_model=ReviewAntwoord, status_code=201, responses=FOUTEN)
def post_review(
    advies_id: str, review: ReviewIn, session: SessionDep, request: Request,
    wie: Annotated[Principal, Depends(rollen("hg_deskundige"))],
) -> ReviewAntwoord:
    """Eens of oneens met de onderbouwing, desgewenst per uitlegstap (regel)."""
    record = vind_advies(session, advies_id, wie, request, "review_vastgelegd")
    opgeslagen = leg_review_vast(session, record, review, wie, request)
    return ReviewAntwoord(review_id=opgeslagen.id, advies_id=record.id, aangemaakt=opgeslagen.aangemaakt)


def leg_review_vast(session: Session, record: AdviesRecord, review: ReviewIn, wie: Principal,
                    verbinding: HTTPConnection) -> ReviewRecord:
    """Store a review of this advies' rationale (ApiFout 422 on a step whose rule is not in its uitleg)."""
    uitleg = record.advies["uitleg"]
    regels = {u["regel"] for u in uitleg}
    for i, stap in enumerate(review.stappen):
        if stap.regel not in regels:
            melding = f"regel '{stap.regel}' komt niet voor in de uitleg van dit advies"
            raise ApiFout(422, f"stappen[{i}].regel", melding)
        if stap.stap is not None and (stap.stap >= len(uitleg) or uitleg[stap.stap]["regel"] != stap.regel):
            melding = f"stap {stap.stap} van de uitleg is niet van regel '{stap.regel}'"
            raise ApiFout(422, f"stappen[{i}].stap", melding)
    opgeslagen = ReviewRecord(advies_id=record.id, key_id=wie.key_id, oordeel=review.oordeel,
                              toelichting=review.toelichting, stappen=[_stap(s) for s in review.stappen])
    session.add(opgeslagen)
    session.add(AuditRecord(**audit.regel("review_vastgelegd", wie, verbinding, advies_id=record.id,
                                          object_id=opgeslagen.id, status=201)))
    session.commit()
    session.refresh(opgeslagen)
    return opgeslagen


def _stap(stap: ReviewStap) -> dict[str, Any]:
    """A step judgement as stored: `stap` (the place in the uitleg) only when it was given."""
    opgeslagen = stap.model_dump()
    if opgeslagen["stap"] is None:
        del opgeslagen["stap"]
    return opgeslagen
