"""The "Onderbouwing" page (HG-deskundige): the advies' reasoning as a readable chain, reviewed per step.

Each step shows its sentence, the facts it rested on (`omdat`, in words), the policy parameters it used
with their values, its source with the passage from the seed document (engine.bronnen), and whether it
is a policy default (beleidskeuze) rather than a fact stated in the sources. Below the chain: what would
change the advies (the what-if), the earlier reviews, and the review form: agree or disagree with the
whole and, optionally, per step (stored as POST /v1/advies/{id}/review stores it, with the step's place).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool

from api.auth import Principal
from api.deps import ApiFout
from api.models import AdviesRecord, ReviewRecord
from api.routes.advies import alternatieven_van, vind_advies
from api.routes.besluiten import leg_review_vast
from api.schemas import ReviewIn
from api.web import pagina as p
from api.web.advies import LEZERS
from api.web.pagina import WAARDEN, melding, woord
from rules.bronnen import passages

__all__ = ["router", "REVIEWERS", "feit"]

router = APIRouter(include_in_schema=False)
REVIEWERS = frozenset({"hg_deskundige"})  # as POST /v1/advies/{id}/review (and the beheerder)
_LID_FEIT = re.compile(r"leden\[([^\]]+)\]\.(\w+) = (.*)")
_PAD_FEIT = re.compile(r"([a-z_]+(?:\.[a-z_0-9]+)*) = (.*)")


def feit(tekst: str) -> str:
    """A fact from `omdat` in words: `leden[moeder].in_beeld = true` -> `moeder: in beeld = ja`."""
    lid = _LID_FEIT.fullmatch(tekst)
    if lid:
        return f"{lid.group(1)}: {woord(lid.group(2))} = {WAARDEN.get(lid.group(3), woord(lid.group(3)))}"
    pad = _PAD_FEIT.fullmatch(tekst)
    if pad:
        return f"{pad.group(1).replace('.', ' ').replace('_', ' ')} = {WAARDEN.get(pad.group(2), woord(pad.group(2)))}"
    return tekst


p.templates.env.filters["feit"] = feit


@dataclass
class ReviewFormulier:
    """The review form: `oordeel`, `toelichting`, and per step `stap-<i>-oordeel` / `stap-<i>-toelichting`."""

    oordeel: str = ""
    toelichting: str = ""
    stappen: dict[int, tuple[str, str]] = field(default_factory=dict)  # step index -> (oordeel, toelichting)
    fouten: dict[str, list[str]] = field(default_factory=dict)
    review: ReviewIn | None = None

    @classmethod
    def lees(cls, velden: dict[str, list[str]], uitleg: list[dict[str, Any]]) -> ReviewFormulier:
        def een(naam: str) -> str:
            return p.eerste(velden, naam).strip()

        form = cls(oordeel=een("oordeel"), toelichting=een("toelichting"))
        stappen: list[dict[str, Any]] = []
        plaatsen: list[int] = []
        for i, stap in enumerate(uitleg):
            oordeel, toelichting = een(f"stap-{i}-oordeel"), een(f"stap-{i}-toelichting")
            form.stappen[i] = (oordeel, toelichting)
            if oordeel in ("eens", "oneens"):
                stappen.append({"regel": stap["regel"], "stap": i, "oordeel": oordeel,
                                "toelichting": toelichting or None})
                plaatsen.append(i)
            elif oordeel:
                form.fout(f"stap-{i}-oordeel", "kies eens, oneens of geen oordeel")
            elif toelichting:
                form.fout(f"stap-{i}-oordeel", "kies eens of oneens bij uw toelichting")
        if not form.oordeel:
            form.fout("oordeel", "kies of u het eens of oneens bent met de onderbouwing als geheel")
        if form.fouten:
            return form
        try:
            form.review = ReviewIn.model_validate({"oordeel": form.oordeel, "toelichting": form.toelichting or None,
                                                   "stappen": stappen})
        except ValidationError as exc:
            for fout in exc.errors():
                form.fout(_veld(fout["loc"], plaatsen), melding(fout, "kies eens of oneens"))
        return form

    def fout(self, veld: str, melding: str) -> None:
        self.fouten.setdefault(veld, []).append(melding)

    def samenvatting(self) -> list[tuple[str, str, str]]:
        def naam(veld: str) -> str:
            if veld.startswith("stap-"):
                return f"Stap {int(veld.split('-')[1]) + 1}"
            return "Oordeel" if veld == "oordeel" else "Toelichting"

        return [(f"review-{v}", naam(v), m) for v, ms in self.fouten.items() for m in ms]


def _veld(loc: tuple[Any, ...], plaatsen: list[int]) -> str:
    if loc and loc[0] == "stappen" and len(loc) >= 3 and isinstance(loc[1], int):
        return f"stap-{plaatsen[loc[1]]}-{'toelichting' if loc[2] == 'toelichting' else 'oordeel'}"
    return str(loc[0]) if loc and loc[0] in ("oordeel", "toelichting") else "oordeel"


def _reviews(db: Engine, advies_id: str) -> list[ReviewRecord]:
    with Session(db) as session:
        query = select(ReviewRecord).where(ReviewRecord.advies_id == advies_id)
        return list(session.exec(query.order_by(ReviewRecord.aangemaakt)))  # type: ignore[arg-type]


def _keten(advies: dict[str, Any]) -> list[dict[str, Any]]:
    """The uitleg steps with their seed passages."""
    return [{**stap, "passages": passages(stap["bron"])} for stap in advies["uitleg"]]


async def _pagina(request: Request, wie: Principal, record: AdviesRecord, status: int = 200,
                  form: ReviewFormulier | None = None, melding: str | None = None) -> Response:
    reviews = await run_in_threadpool(_reviews, request.app.state.db, record.id)
    wat_als = await run_in_threadpool(alternatieven_van, record)
    return p.pagina(request, "onderbouwing.html", status, wie=wie, record=record, a=record.advies,
                    casus=record.casus, keten=_keten(record.advies), wat_als=wat_als, reviews=reviews,
                    form=form or ReviewFormulier(), mag_reviewen=wie.rol in REVIEWERS or wie.rol == "beheerder",
                    melding=melding)


@router.get("/advies/{advies_id}/onderbouwing")
async def onderbouwing(request: Request, advies_id: str) -> Response:
    gevonden = await p.vind_voor(request, LEZERS, vind_advies, advies_id, actie="onderbouwing_gelezen")
    if isinstance(gevonden, Response):
        return gevonden
    wie, record = gevonden
    melding = "Uw review is vastgelegd." if request.query_params.get("review") == "vastgelegd" else None
    return await _pagina(request, wie, record, melding=melding)


@router.post("/advies/{advies_id}/onderbouwing")
async def review_vastleggen(request: Request, advies_id: str) -> Response:
    velden = await p.formulier(request, 256 * 1024)
    gevonden = await p.vind_voor(request, REVIEWERS, vind_advies, advies_id, velden, "review_vastgelegd")
    if isinstance(gevonden, Response):
        return gevonden
    wie, record = gevonden
    form = ReviewFormulier.lees(velden, record.advies["uitleg"])
    if form.review is not None:
        try:
            await p.in_sessie(request, leg_review_vast, record, form.review, wie, request)
        except ApiFout as exc:
            for fout in exc.fouten:
                form.fout("oordeel", fout["melding"])
        else:
            return RedirectResponse(f"/advies/{record.id}/onderbouwing?review=vastgelegd#reviews", status_code=303)
    return await _pagina(request, wie, record, 422, form=form)
