"""Pages of the saved scenarios (beleidsmaker): open a version in the editor, save it again, download it as YAML.

- `/scenarios/opgeslagen/{naam}` (`?versie=n`): the editor filled with the newest version (or version n), with
  every version of the name to open or download; submitting replays it or saves it as the next version
  (`api.web.scenarios`, the same form as every scenario);
- `/scenarios/opgeslagen/{naam}/v{n}.yaml`: version n as a file (`<naam>-v<n>.yaml`) that
  `hg-advies replay --scenario` reads back.

Reads are audited as the API's GET /v1/scenarios/{naam} (`scenario_gelezen`); saving is the API's own function
(`api.routes.scenarios.bewaar`, audited there).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api import audit
from api.auth import Principal
from api.deps import ApiFout
from api.models import ScenarioRecord, utc
from api.routes.scenarios import als_yaml, gevraagd, lees_versie, object_id
from api.web import pagina as p
from api.web.scenarios import BELEID, Formulier, _formulierpagina, _verstuur

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _versies(record: ScenarioRecord, alle: list[ScenarioRecord]) -> dict[str, Any]:
    """The editor's extra context: the version shown and every version of its name, newest first."""
    return {"opgeslagen_scenario": {
        "naam": record.naam, "versie": record.versie, "aantal": len(alle),
        "versies": [{"versie": v.versie, "rol": v.rol, "key_id": v.key_id, "aangemaakt": utc(v.aangemaakt)}
                    for v in alle]}}


async def _zoek(request: Request, wie: Principal, naam: str, versie: int | None, lezen: bool = True,
                ) -> tuple[ScenarioRecord, list[ScenarioRecord]] | Response:
    """The version asked for, or the Dutch 404 page; a read (`lezen`) is audited."""
    try:
        record, alle = await run_in_threadpool(lees_versie, request.app.state.db, naam, versie)
    except ApiFout as exc:
        if lezen:
            await audit.leg_vast(request, "scenario_gelezen", wie, object_id=gevraagd(naam), status=404)
        return p.fout(request, 404, "Niet gevonden", p.zin(exc.fouten[0]["melding"]), wie)
    if lezen:
        await audit.leg_vast(request, "scenario_gelezen", wie, object_id=object_id(record.naam, record.versie),
                             status=200)
    return record, alle


def _actie(record: ScenarioRecord) -> str:
    return f"/scenarios/opgeslagen/{record.naam}?versie={record.versie}"


def _versie(tekst: str) -> int | None:
    return int(tekst) if tekst.isdigit() and int(tekst) >= 1 else None


@router.get("/scenarios/opgeslagen/{naam}")
async def opgeslagen_scenario(request: Request, naam: str, versie: str = "", opgeslagen: str = "") -> Response:
    wie = await p.toegang(request, BELEID)
    if isinstance(wie, Response):
        return wie
    gevonden = await _zoek(request, wie, naam, _versie(versie))
    if isinstance(gevonden, Response):
        return gevonden
    record, alle = gevonden
    form = Formulier.uit_scenario(record.scenario)
    return _formulierpagina(request, wie, form, _actie(record),
                            f"Scenario {record.naam}, versie {record.versie}", net_opgeslagen=opgeslagen == "1",
                            **_versies(record, alle))


@router.post("/scenarios/opgeslagen/{naam}")
async def opgeslagen_scenario_versturen(request: Request, naam: str, versie: str = "") -> Response:
    wie = await p.toegang(request, BELEID)
    if isinstance(wie, Response):
        return wie
    gevonden = await _zoek(request, wie, naam, _versie(versie), lezen=False)  # the form it was read with
    if isinstance(gevonden, Response):
        return gevonden
    record, alle = gevonden
    return await _verstuur(request, _actie(record),
                           f"Scenario {record.naam}, versie {record.versie}", **_versies(record, alle))


@router.get("/scenarios/opgeslagen/{naam}/v{versie:int}.yaml")
async def opgeslagen_scenario_yaml(request: Request, naam: str, versie: int) -> Response:
    wie = await p.toegang(request, BELEID)
    if isinstance(wie, Response):
        return wie
    gevonden = await _zoek(request, wie, naam, versie)
    if isinstance(gevonden, Response):
        return gevonden
    record, _ = gevonden
    return Response(als_yaml(record.scenario), media_type="application/yaml; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{record.naam}-v{record.versie}.yaml"'})
