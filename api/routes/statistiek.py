"""GET /v1/statistiek/afwijkingen: aggregates of professionals' deviations, never individual advies.

`bereken_afwijkingen` is the computation; the API route and the web page "Afwijkingen" both call it."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Depends
from sqlmodel import Session, select

from api.auth import Principal
from api.deps import SessionDep, rollen
from api.models import BesluitRecord, ReviewRecord
from api.schemas import Afwijkingen, FoutAntwoord, RegelAfwijking

__all__ = ["router", "bereken_afwijkingen"]

router = APIRouter(tags=["statistiek"])


@router.get("/v1/statistiek/afwijkingen", summary="Hoe vaak wijken besluiten af van het advies, en na welke regels",
            response_model=Afwijkingen, responses={401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}})
def afwijkingen(session: SessionDep, wie: Annotated[Principal, Depends(rollen("beleidsmaker"))]) -> Afwijkingen:
    """Per advies telt het laatste besluit. Alleen aantallen: geen advies, casus of besluit afzonderlijk."""
    return bereken_afwijkingen(session)


def bereken_afwijkingen(session: Session) -> Afwijkingen:
    """The deviation aggregates: the latest besluit per advies, per field and per rule that shaped the advies,
    with the HG-deskundigen's disagreements per rule."""
    laatste: dict[str, BesluitRecord] = {}
    for besluit in session.exec(select(BesluitRecord).order_by(BesluitRecord.aangemaakt)):  # type: ignore[arg-type]
        laatste[besluit.advies_id] = besluit
    per_veld: Counter[str] = Counter()
    per_regel: Counter[str] = Counter()
    afwijkend_regel: Counter[str] = Counter()
    for besluit in laatste.values():
        per_veld.update(besluit.afwijkingen)
        per_regel.update(besluit.regels)
        if besluit.afwijkingen:
            afwijkend_regel.update(besluit.regels)
    oneens: Counter[str] = Counter()
    for review in session.exec(select(ReviewRecord)):
        oneens.update(s["regel"] for s in review.stappen if s["oordeel"] == "oneens")
    afwijkend = sum(1 for b in laatste.values() if b.afwijkingen)
    # A rule the HG-deskundigen disagree with is a signal even while no besluit on its advies exists yet.
    regels = [
        RegelAfwijking(regel=r, besluiten=per_regel[r], afwijkend=afwijkend_regel[r],
                       aandeel=round(afwijkend_regel[r] / per_regel[r], 4) if per_regel[r] else 0.0,
                       reviews_oneens=oneens[r])
        for r in per_regel.keys() | oneens.keys()
    ]
    regels.sort(key=lambda r: (-r.aandeel, -r.afwijkend, r.regel))
    return Afwijkingen(besluiten=len(laatste), afwijkend=afwijkend,
                       aandeel_afwijkend=round(afwijkend / len(laatste), 4) if laatste else 0.0,
                       per_veld={v: per_veld[v] for v in ("route", "perceel", "pakket", "maatwerk")}, per_regel=regels)
