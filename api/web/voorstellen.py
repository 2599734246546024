"""The page "Voorstellen": the deviations of the stored besluiten propose the next scenario (beleidsmaker).

`/voorstellen[?van=&tot=]` shows GET /v1/scenarios/voorstellen (`api.routes.voorstellen.bereken_voorstellen`,
computed in a worker thread) in words: per proposal what changes, how many more and fewer besluiten would match,
the hours and the cost, its warnings, and a link "Dit voorstel afspelen" that opens the proposal in the scenario
editor (`/scenarios/nieuw?voorstel=<code>`, `voorstel_code` / `lees_voorstel`: the scenario as base64url JSON;
the editor validates it like any typed scenario before it replays).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api import audit
from api.deps import ApiFout
from api.routes.voorstellen import bereken_voorstellen, lees_periode
from api.schemas import VoorstellenAntwoord, VoorstelScenario
from api.web import pagina as p

__all__ = ["router", "lees_voorstel", "voorstel_code"]

router = APIRouter(include_in_schema=False)
BELEID = frozenset({"beleidsmaker"})  # as GET /v1/scenarios/voorstellen (and the beheerder)
MAX_CODE = 4096  # characters of a proposal in the editor's address
_SLEUTELS = {"naam", "beschrijving", "bron", "parameters"}


def voorstel_code(scenario: VoorstelScenario) -> str:
    """A proposal's scenario as text for an address (base64url of its JSON, without padding)."""
    return base64.urlsafe_b64encode(orjson.dumps(scenario.model_dump())).decode("ascii").rstrip("=")


def lees_voorstel(code: str) -> dict[str, Any] | None:
    """The scenario data of `voorstel_code`, or None for text that is not one (the editor then starts empty)."""
    if not code or len(code) > MAX_CODE:
        return None
    try:
        data = orjson.loads(base64.urlsafe_b64decode(code + "=" * (-len(code) % 4)))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(data, dict) or not set(data) <= _SLEUTELS or not isinstance(data.get("parameters"), dict):
        return None
    if not all(isinstance(data.get(k, ""), str) for k in ("naam", "beschrijving", "bron")):
        return None
    return data


@router.get("/voorstellen")
async def voorstellen(request: Request, van: str = "", tot: str = "") -> Response:
    wie = await p.toegang(request, BELEID)
    if isinstance(wie, Response):
        return wie
    try:
        periode = lees_periode(van or None, tot or None)
    except ApiFout as exc:
        fout = exc.fouten[0]
        return p.pagina(request, "voorstellen.html", 422, wie=wie, v=None, van=van, tot=tot,
                        fout=(fout["veld"], p.zin(fout["melding"])))

    def bereken() -> VoorstellenAntwoord:
        with Session(request.app.state.db) as session:
            return bereken_voorstellen(session, request.app.state.minimum_aantal, *periode)

    await audit.leg_vast(request, "voorstellen_gelezen", wie, status=200)
    v = await run_in_threadpool(bereken)
    codes = [voorstel_code(x.scenario) for x in v.voorstellen]
    return p.pagina(request, "voorstellen.html", wie=wie, v=v, codes=codes, van=van, tot=tot, fout=None)
