"""GET /v1/advies/{advies_id}/pdf: the advies as the professional's document (api/pdf.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from api.auth import Principal
from api.deps import ApiFout, rollen
from api.models import AdviesRecord, BesluitRecord
from api.pdf import GeenPdf, bestandsnaam, maak_pdf
from api.routes.advies import vind_advies
from api.schemas import FoutAntwoord

__all__ = ["router", "advies_met_besluiten", "pdf_antwoord"]

router = APIRouter(tags=["advies"])


def advies_met_besluiten(session: Session, advies_id: str, wie: Principal, verbinding: HTTPConnection | None = None,
                         actie: str | None = None) -> tuple[AdviesRecord, list[BesluitRecord]]:
    """The advies if `wie` may read it (as GET /v1/advies/{id}: 404 otherwise; with an `actie` the read is
    audited) with its besluiten, oldest first. Shared with the page /advies/{id}/pdf (`vind_voor`)."""
    record = vind_advies(session, advies_id, wie, verbinding, actie)
    query = select(BesluitRecord).where(BesluitRecord.advies_id == record.id)
    return record, list(session.exec(query.order_by(BesluitRecord.aangemaakt)))  # type: ignore[arg-type]


def _lees(db: Engine, advies_id: str, wie: Principal, verbinding: HTTPConnection) -> tuple[AdviesRecord,
                                                                                           list[BesluitRecord]]:
    with Session(db, expire_on_commit=False) as session:
        return advies_met_besluiten(session, advies_id, wie, verbinding, "pdf_gelezen")


async def pdf_antwoord(record: AdviesRecord, besluiten: list[BesluitRecord]) -> Response:
    """The PDF, typeset in a worker thread (CPU-heavy), shown in the browser with a file name."""
    try:
        pdf = await run_in_threadpool(maak_pdf, record, besluiten)
    except GeenPdf as exc:
        raise ApiFout(503, "(pdf)", "de pdf kan op deze server nu niet worden gemaakt; het advies zelf is wel "
                                    "te lezen", {"Retry-After": "3600"}) from exc
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{bestandsnaam(record)}"',
                             "Cache-Control": "no-store"})


@router.get(
    "/v1/advies/{advies_id}/pdf",
    summary="Een opgeslagen advies als pdf-document voor het dossier",
    response_class=Response,
    responses={200: {"description": "Het advies als pdf: de casus zoals ingevoerd, het advies, de samenvatting, "
                                    "de uitleg met bronnen en de besluiten met hun reden, tijden in Nederlandse tijd",
                     "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
               401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}, 404: {"model": FoutAntwoord}},
)
async def get_advies_pdf(
    advies_id: str, request: Request,
    wie: Annotated[Principal, Depends(rollen("indicatiesteller", "hg_deskundige"))],
) -> Response:
    """Het advies als pdf, met dezelfde rollen als `GET /v1/advies/{advies_id}`: HG-deskundigen en beheerders
    elk advies, een indicatiesteller alleen de eigen adviezen. Elke inzage komt in het auditlog."""
    record, besluiten = await run_in_threadpool(_lees, request.app.state.db, advies_id, wie, request)
    return await pdf_antwoord(record, besluiten)
