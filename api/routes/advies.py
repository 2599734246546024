"""POST /v1/advies (evaluate, store, answer) and GET /v1/advies/{advies_id}."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from api import audit, herindicatie, idempotentie
from api.auth import Principal
from api.bibliotheek import bibliotheek
from api.deps import ApiFout, SessionDep, lees_body, rollen
from api.models import AdviesRecord, nieuw_id, nu, utc
from api.opslag import AdviesOpslag
from api.schemas import AdviesAntwoord, AlternatievenAntwoord, FoutAntwoord
from engine.alternatieven import alternatieven
from engine.casus import Casus, parse_casus, parse_casus_json
from engine.errors import CasusFout
from engine.parameters import GeenRegelsetFout
from rules import standaard_engine

router = APIRouter(tags=["advies"])
MAX_BODY = 256 * 1024
ENDPOINT = "POST /v1/advies"  # the scope of its idempotency keys
_ADVIES_ID = re.compile(r"[0-9a-f]{32}")
_INDICATIESTELLER = rollen("indicatiesteller")


def _voorbeelden() -> dict[str, Any]:
    return {stem: {"summary": titel, "value": casus} for stem, titel, casus in bibliotheek("vj-2020-")}


def _casus_body() -> dict[str, Any]:
    schema = Casus.model_json_schema(ref_template="#/components/schemas/{model}")
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Casus"}, "examples": _voorbeelden()}}},
        "x-casus-schema": schema}


def _antwoord(advies_json: bytes, advies_id: str, aangemaakt: dt.datetime, rol: str) -> bytes:
    """The answer: the advies (already JSON, as stored) with its id, when it was given and to which role.

    The advies is encoded once, for the row and for the answer: the three service fields are put in front
    of its members (JSON objects are unordered)."""
    kop = orjson.dumps({"advies_id": advies_id, "aangemaakt": _tijd(aangemaakt), "gevraagd_door": rol})
    return kop[:-1] + b"," + advies_json[1:]


def _tijd(moment: dt.datetime) -> str:
    """UTC as ISO 8601 with `Z`."""
    return utc(moment).replace(tzinfo=None).isoformat() + "Z"


async def _advies(casus: Casus) -> dict[str, Any]:
    """The advies, evaluated on the event loop when the casus' ruleset is compiled (~0.3 ms, no thread
    hand-off); a ruleset still to compile is compiled in a worker thread so the loop never waits for it."""
    engine = standaard_engine()
    try:
        ruleset = engine.compiled(casus.peildatum)
        if ruleset is not None:
            return engine.advies(casus, ruleset)
        return await run_in_threadpool(engine.advies, casus)
    except GeenRegelsetFout as exc:
        raise ApiFout(422, "peildatum", str(exc)) from exc


@router.post(
    "/v1/advies",
    summary="Advies voor een geanonimiseerde casus",
    response_class=Response,
    responses={200: {"model": AdviesAntwoord, "description": "Het advies, opgeslagen onder advies_id"},
               401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}, 413: {"model": FoutAntwoord},
               422: {"model": FoutAntwoord, "description": "Ongeldige casus: elk veld met de reden"}},
    openapi_extra={**_casus_body(), "security": [{"HTTPBearer": []}],
                   "parameters": [idempotentie.OPENAPI_PARAMETER]},
)
async def post_advies(request: Request) -> Response:
    """Evalueer de casus met de regels die op de peildatum gelden, sla het advies op en geef het terug.

    Alleen voor indicatiestellers (en beheerders). De casus bevat nooit namen, BSN, adressen of
    geboortedata: zulke velden worden geweigerd.

    Met een `Idempotency-Key` is een herhaling veilig: dezelfde sleutel met dezelfde casus geeft het eerste
    antwoord terug (`Idempotent-Replayed: true`) en slaat geen tweede advies op."""
    wie = _INDICATIESTELLER.toets(request)  # the role check of rollen("indicatiesteller"), without Depends
    soort = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if soort != "application/json" and not soort.endswith("+json"):
        raise ApiFout(422, "Content-Type", "de casus moet JSON zijn (Content-Type: application/json)")
    body = await lees_body(request, MAX_BODY, "(casus)", f"de casus is groter dan {MAX_BODY // 1024} kB")
    sleutel = idempotentie.verzoek(request.headers, wie, ENDPOINT, body)  # None without the header
    if sleutel is not None and (eerder := await _eerder(request, wie, sleutel)) is not None:
        return eerder
    try:
        casus = parse_casus_json(body)
    except CasusFout as exc:
        raise ApiFout.lijst(422, [f.as_dict() for f in exc.fouten]) from exc
    if sleutel is None:
        rij, advies_json = await geef_advies(request.app.state.opslag, casus, wie, request)
        return Response(_antwoord(advies_json, rij["id"], rij["aangemaakt"], wie.rol), media_type="application/json")
    try:
        rij, advies_json = await geef_advies(request.app.state.opslag, casus, wie, request, sleutel)
    except idempotentie.IdempotentieBezet:  # a concurrent request with this key stored its advies first
        if (eerder := await _eerder(request, wie, sleutel)) is not None:
            return eerder
        raise ApiFout(409, idempotentie.HEADER, "er loopt al een verzoek met deze Idempotency-Key; probeer het "
                                                 "opnieuw") from None
    return Response(sleutel.antwoord, media_type="application/json")


async def _eerder(request: Request, wie: Principal, sleutel: idempotentie.Verzoek) -> Response | None:
    """The stored answer under this key again (in the audit log as a reading: it shows the advies), or None."""
    eerder = await run_in_threadpool(idempotentie.zoek, request.app.state.db, sleutel)
    if eerder is None:
        return None
    await audit.leg_vast(request, "advies_gelezen", wie, advies_id=eerder.advies_id, status=eerder.status)
    return idempotentie.herhaal(eerder)


async def geef_advies(opslag: AdviesOpslag, casus: Casus, wie: Principal, verbinding: HTTPConnection,
                      sleutel: idempotentie.Verzoek | None = None) -> tuple[dict[str, Any], bytes]:
    """Evaluate a validated casus, store the advies with its audit line (one transaction) and return its row
    and the advies as JSON. With an idempotency key, its row (holding the whole answer, also set on
    `sleutel.antwoord`) goes into the same transaction; `IdempotentieBezet` when another request's is there.

    Shared by POST /v1/advies and the web page "Advies aanvragen"; returns only after the commit.

    Herindicatie: the newest stored advies of the same casus that `wie` may read is looked up (one indexed
    query, answered by the opslag while the engine evaluates) and linked (`vorig_advies_id`,
    `ten_opzichte_van_vorige`, stored in the advies so GET returns them; api/herindicatie.py)."""
    eerder = asyncio.ensure_future(herindicatie.vorige(opslag, casus.casus_id, wie))
    try:
        advies = await _advies(casus)
    finally:
        vorig = await eerder
    kern = orjson.dumps(advies)  # the advies itself; the two herindicatie fields follow it (encoded once)
    vorig_id = vorig[0] if vorig else None
    verschil = herindicatie.ten_opzichte_van_tekst(vorig[1], advies, kern) if vorig else None
    advies["vorig_advies_id"], advies["ten_opzichte_van_vorige"] = vorig_id, verschil
    advies_json = b"".join((kern[:-1], b',"vorig_advies_id":', orjson.dumps(vorig_id), b',"ten_opzichte_van_vorige":',
                            orjson.dumps(verschil), b"}"))  # = orjson.dumps(advies), tests/api/test_herindicatie.py
    ruleset = advies["ruleset"]
    rij = {  # the columns of AdviesRecord; validated already (the casus by its model, the advies by the engine)
        "id": nieuw_id(), "casus_id": casus.casus_id, "aangemaakt": nu(), "key_id": wie.key_id, "rol": wie.rol,
        "ruleset_naam": ruleset["naam"], "ruleset_versie": ruleset["versie"], "ruleset_hash": ruleset["hash"],
        "route": advies["route"], "perceel": advies["perceel"], "pakket": advies["pakket"],
        "casus": orjson.Fragment(orjson.dumps(casus.model_dump(mode="json"))),
        "advies": orjson.Fragment(advies_json),
    }
    regel = audit.regel("advies_gemaakt", wie, verbinding, advies_id=rij["id"], status=200)
    rijen = {"advies": rij, "audit": regel}
    if sleutel is not None:  # the exact answer, stored with the advies: a retry gets these bytes
        sleutel.antwoord = _antwoord(advies_json, rij["id"], rij["aangemaakt"], wie.rol)
        rijen["idempotentie"] = sleutel.rij(200, sleutel.antwoord, rij["id"])
    await opslag.bewaar(rijen)  # the answer is sent only after the commit: every 200 is durable
    return rij, advies_json


@router.get(
    "/v1/advies/{advies_id}",
    summary="Een opgeslagen advies met zijn uitleg",
    response_model=AdviesAntwoord,
    responses={401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}, 404: {"model": FoutAntwoord}},
)
def get_advies(
    advies_id: str, session: SessionDep, request: Request,
    wie: Annotated[Principal, Depends(rollen("indicatiesteller", "hg_deskundige"))],
) -> Response:
    """HG-deskundigen en beheerders lezen elk advies; een indicatiesteller alleen de eigen adviezen.
    Elke inzage komt in het auditlog."""
    record = vind_advies(session, advies_id, wie, request, "advies_gelezen")
    answer = _antwoord(orjson.dumps(record.advies), record.id, record.aangemaakt, record.rol)
    return Response(answer, media_type="application/json")


@router.get(
    "/v1/advies/{advies_id}/alternatieven",
    summary="Wat als: de kleinste enkele wijzigingen van de casus die route, perceel of pakket veranderen",
    responses={200: {"model": AlternatievenAntwoord,
                     "description": "advies_id, alternatieven (veld, waarde, gevolg, tekst) en de gebruikte regels"},
               401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}, 404: {"model": FoutAntwoord}},
)
def get_alternatieven(
    advies_id: str, session: SessionDep, request: Request,
    wie: Annotated[Principal, Depends(rollen("indicatiesteller", "hg_deskundige"))],
) -> Response:
    """Voor een opgeslagen advies: elke kleinste enkele wijziging van de invoer die de route, het perceel,
    het pakket of de vrije trede zou veranderen, in gewone taal, berekend door opnieuw te beoordelen met
    de regels die nu op de peildatum gelden (`zelfde_regels` zegt of dat de regels van het advies zijn).
    Op verzoek en niet bij elk advies: het kost een beoordeling per kandidaat-wijziging."""
    record = vind_advies(session, advies_id, wie, request, "alternatieven_gelezen")
    return Response(orjson.dumps(alternatieven_van(record)), media_type="application/json")


def alternatieven_van(record: AdviesRecord) -> dict[str, Any]:
    """The what-if of a stored advies under the rules now in force on its peildatum (shared with the pages)."""
    casus = parse_casus(record.casus)
    engine = standaard_engine()
    ruleset = engine.ruleset(casus.peildatum)
    gevonden = alternatieven(casus, ruleset, record.advies if ruleset.hash == record.ruleset_hash else None)
    return {"advies_id": record.id, "alternatieven": gevonden, "ruleset": ruleset.identity(),
            "zelfde_regels": ruleset.hash == record.ruleset_hash}


def vind_advies(session: Session, advies_id: str, wie: Principal, verbinding: HTTPConnection | None = None,
                actie: str | None = None) -> AdviesRecord:
    """The advies if `wie` may see it, else ApiFout 404. With an `actie` the attempt is written to the
    audit log: a read (`*_gelezen`) always, a change only when it is refused here (the change's own line is
    written with the change, in its transaction)."""
    # Only what can be an advies id (32 hex digits) reaches the database: no query for other text, and
    # none with a character the database cannot hold (PostgreSQL refuses NUL: that would be a 500).
    geldig = _ADVIES_ID.fullmatch(advies_id) is not None
    record = session.get(AdviesRecord, advies_id) if geldig else None
    # Another indicatiesteller's advies is answered exactly as one that does not exist (404, same message): a
    # 403 would tell that the id exists. The audit line records what it was (403: refused).
    fout: ApiFout | None = None
    status = 200
    if record is None or (wie.rol == "indicatiesteller" and record.key_id != wie.key_id):
        fout = ApiFout(404, "advies_id", f"geen advies met id '{advies_id[:40]}'")
        status = 404 if record is None else 403
    if actie is not None and (fout is not None or actie.endswith("_gelezen")):
        audit.schrijf(session.get_bind(), audit.regel(  # type: ignore[arg-type]  # the bind is an Engine
            actie, wie, verbinding, advies_id=advies_id if geldig else None, status=status))
    if fout is not None:
        raise fout
    assert record is not None
    return record
