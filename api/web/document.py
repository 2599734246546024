"""The page route of the advies as a PDF (`/advies/{advies_id}/pdf`, the link "Download als pdf" on the advies
page): the same document as GET /v1/advies/{advies_id}/pdf, for the signed-in session."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.routes.document import advies_met_besluiten, pdf_antwoord
from api.web import pagina as p
from api.web.advies import LEZERS

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/advies/{advies_id}/pdf")
async def advies_pdf(request: Request, advies_id: str) -> Response:
    gevonden = await p.vind_voor(request, LEZERS, advies_met_besluiten, advies_id, actie="pdf_gelezen")
    if isinstance(gevonden, Response):
        return gevonden
    _, (record, besluiten) = gevonden
    return await pdf_antwoord(record, besluiten)
