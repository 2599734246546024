"""POST /v1/replay (a scenario over the casuïstiek, as a background job), its status and its report.

For beleidsmakers (and beheerders). The body holds a scenario in the contract's format and,
optionally, anonymised casussen; without casussen the project's casuïstiek (`casussen/`) is used.
Everything is validated before the job is accepted (422 naming each field: nothing is stored then);
the job runs in a separate process and is read back with GET /v1/replay/{job_id} and .../rapport.

With `"bron": "opgeslagen"` (and optionally `"periode": {"van": date, "tot": date}`) the casussen are those of
the stored adviezen (api/opgeslagen.py: the newest advies per casus in the period); that report compares the
recorded besluiten (`besluiten`), lists no casus and hides small counts (api/replay_onderdrukking.py).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool

from api import audit
from api.auth import Principal
from api.bibliotheek import bibliotheek
from api.deps import ApiFout, SessionDep, lees_body, rollen
from api.models import AuditRecord, ReplayJobRecord, nu, utc
from api.opgeslagen import Periode, tel
from api.replay_jobs import ReplayUitvoerder, verlopen
from api.schemas import FoutAntwoord, replay_body
from engine.casus import parse_casus
from engine.errors import CasusFout, translate_validation_error
from engine.scenario import Scenario, ScenarioFout, scenario_uit
from rules import standaard_engine

router = APIRouter(tags=["replay"])
MAX_CASUSSEN = 100_000
MAX_BODY = 128 * 1024 * 1024
MAX_OPEN_JOBS = 3  # per key: queued or running replays (more gets 429 with Retry-After)
_JOB_ID = re.compile(r"[0-9a-f]{32}")
Beleid = Annotated[Principal, Depends(rollen("beleidsmaker"))]


class ReplayVerzoek(BaseModel):
    # A misspelt field ("casusen") would otherwise silently replay the project's library instead of the upload.
    model_config = ConfigDict(extra="forbid")

    scenario: dict[str, Any] = Field(description="Een scenario zoals in scenarios/: naam, beschrijving, "
                                     "parameters (pad -> waarde), regels_uit")
    casussen: list[dict[str, Any]] | None = Field(
        default=None, description="Geanonimiseerde casussen; zonder: de casuïstiek van het project")
    bron: str | None = Field(default=None, description="'opgeslagen': de casussen van de opgeslagen adviezen "
                             "(het nieuwste advies per casus in de periode), vergeleken met de besluiten")
    periode: Any = Field(  # read by lees_periode, which names each wrong part (periode.van)
        default=None, description="Alleen bij bron 'opgeslagen': {\"van\": \"JJJJ-MM-DD\", \"tot\": \"JJJJ-MM-DD\"}, "
        "hele dagen (Europe/Amsterdam) waarop het advies is gegeven, beide inbegrepen; elk deel mag ontbreken",
        json_schema_extra={"type": "object", "properties": {"van": {"type": "string", "format": "date"},
                                                            "tot": {"type": "string", "format": "date"}},
                           "additionalProperties": False, "example": {"van": "2026-01-01", "tot": "2026-06-30"}})


class ReplayJob(BaseModel):
    job_id: str
    scenario: str
    status: str = Field(description="wachtend | bezig | klaar | mislukt")
    totaal: int
    gedaan: int
    aangemaakt: dt.datetime
    bijgewerkt: dt.datetime
    fout: str | None = None
    status_url: str
    rapport_url: str


def _scenario(scenario_data: object) -> tuple[Scenario | None, list[dict[str, str]]]:
    """The validated scenario, or None with its problems named under `scenario.`."""
    try:
        return scenario_uit(scenario_data, standaard_engine()), []
    except ScenarioFout as exc:
        return None, [{"veld": _pad("scenario", f.veld), "melding": f.melding} for f in exc.fouten]


def valideer(scenario_data: object,
             casussen: list[dict[str, Any]] | None = None) -> tuple[Scenario, list[dict[str, Any]]]:
    """The scenario and the casussen (without casussen: the project's casuïstiek), or ApiFout(422) with
    every problem (`scenario.<veld>` or `casussen[i].<veld>`, with the Dutch reason).

    POST /v1/replay and the web page "Scenario's" validate with this one function."""
    scenario, fouten = _scenario(scenario_data)
    if casussen is None:
        casussen = [casus for _, _, casus in bibliotheek()]
    if not casussen:
        fouten.append({"veld": "casussen", "melding": "geen casussen om opnieuw te beoordelen"})
    if len(casussen) > MAX_CASUSSEN:
        fouten.append({"veld": "casussen", "melding": f"te veel casussen (hoogstens {MAX_CASUSSEN})"})
        casussen = []
    for i, data in enumerate(casussen):
        try:
            parse_casus(data)
        except CasusFout as exc:
            fouten += [{"veld": _pad(f"casussen[{i}]", f.veld), "melding": f.melding} for f in exc.fouten]
        if len(fouten) >= 100:
            fouten.append({"veld": "casussen", "melding": "meer fouten weggelaten"})
            break
    if fouten:
        raise ApiFout.lijst(422, fouten)
    assert scenario is not None  # a refused scenario adds a Fout
    return scenario, casussen


BRONNEN = ("opgeslagen",)


def lees_periode(data: object) -> tuple[Periode, list[dict[str, str]]]:
    """The period of a stored replay, or the problems (`periode.van`, `periode.tot`) in Dutch."""
    if data is None:
        return Periode(), []
    if not isinstance(data, dict):
        return Periode(), [{"veld": "periode", "melding": "verwacht een object met 'van' en/of 'tot'"}]
    fouten = [{"veld": f"periode.{k}", "melding": "onbekend veld: de periode heeft alleen 'van' en 'tot'"}
              for k in data if k not in ("van", "tot")]
    datums: dict[str, dt.date | None] = {}
    for k in ("van", "tot"):
        waarde = data.get(k)
        datums[k] = None
        if waarde in (None, ""):
            continue
        try:
            if not isinstance(waarde, str) or len(waarde) != 10:
                raise ValueError
            datums[k] = dt.date.fromisoformat(waarde)
        except ValueError:
            fouten.append({"veld": f"periode.{k}", "melding": "geef een datum als JJJJ-MM-DD, bijvoorbeeld 2026-03-31"})
    van, tot = datums["van"], datums["tot"]
    if van is not None and tot is not None and tot < van:
        fouten.append({"veld": "periode.tot", "melding": "de einddatum ligt vóór de begindatum"})
    return Periode(van, tot), fouten


def valideer_opgeslagen(db: Any, scenario_data: object, periode_data: object,
                        minimum: int) -> tuple[Scenario, Periode, int]:
    """The scenario, the period and how many casussen it holds for a replay over the stored adviezen, or
    ApiFout(422) naming each problem. Fewer casussen than HG_MINIMUM_AANTAL are refused: their report would
    hide every count (and the job's progress would show the number)."""
    scenario, fouten = _scenario(scenario_data)
    periode, periode_fouten = lees_periode(periode_data)
    fouten += periode_fouten
    if fouten:
        raise ApiFout.lijst(422, fouten)
    assert scenario is not None
    aantal = tel(db, periode)
    if aantal == 0:
        raise ApiFout(422, "periode", "in deze periode zijn geen adviezen opgeslagen" if periode_data else
                      "er zijn geen adviezen opgeslagen")
    if aantal < minimum:
        raise ApiFout(422, "periode", f"in deze periode zijn minder dan {minimum} casussen met een advies; kies een "
                      "langere periode (een kleiner aantal zou over één huishouden gaan)")
    return scenario, periode, aantal


def start_replay(request: Request, wie: Principal, scenario_data: dict[str, Any], scenario: Scenario,
                 casussen: list[dict[str, Any]], opgeslagen: tuple[Periode, int] | None = None) -> ReplayJobRecord:
    """Store a new job for a validated scenario (`valideer`) and hand it to this server process' replay
    process. Only the scenario's name is stored with the job; its report repeats the scenario.
    `opgeslagen`: (period, number of casussen) of a replay over the stored adviezen (`valideer_opgeslagen`)."""
    totaal = len(casussen) if opgeslagen is None else opgeslagen[1]
    job = ReplayJobRecord(key_id=wie.key_id, scenario=scenario.naam, status="wachtend", totaal=totaal)
    with Session(request.app.state.db, expire_on_commit=False) as session:
        open_ = session.exec(select(ReplayJobRecord).where(
            ReplayJobRecord.key_id == wie.key_id,
            ReplayJobRecord.status.in_(("wachtend", "bezig")))).all()  # type: ignore[attr-defined]
        tijd = nu()
        if sum(1 for j in open_ if not verlopen(j, tijd)) >= MAX_OPEN_JOBS:
            raise ApiFout(429, "(verzoek)", f"u heeft al {MAX_OPEN_JOBS} afspeeltaken die wachten of lopen; start een "
                          "nieuwe als er een klaar is", {"Retry-After": "30"})
        session.add(job)
        session.add(AuditRecord(**audit.regel("replay_gestart", wie, request, object_id=job.id, status=202)))
        session.commit()
    uitvoerder: ReplayUitvoerder = request.app.state.replay
    if opgeslagen is None:
        uitvoerder.start(job.id, scenario_data, casussen)
    else:
        uitvoerder.start_opgeslagen(job.id, scenario_data, opgeslagen[0].as_dict(), request.app.state.minimum_aantal)
    return job


def _pad(voor: str, veld: str) -> str:
    if veld.startswith("("):
        return voor
    return f"{voor}{veld}" if veld.startswith("[") else f"{voor}.{veld}"


def _job(job: ReplayJobRecord) -> ReplayJob:
    return ReplayJob(job_id=job.id, scenario=job.scenario, status=job.status, totaal=job.totaal, gedaan=job.gedaan,
                     aangemaakt=utc(job.aangemaakt), bijgewerkt=utc(job.bijgewerkt), fout=job.fout,
                     status_url=f"/v1/replay/{job.id}", rapport_url=f"/v1/replay/{job.id}/rapport")


@router.post("/v1/replay", summary="Speel een scenario af over de casuïstiek (achtergrondtaak)", status_code=202,
             response_model=ReplayJob, openapi_extra=replay_body(MAX_CASUSSEN, bibliotheek("vj-2020-1")[0][2]),
             responses={401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}, 413: {"model": FoutAntwoord},
                        422: {"model": FoutAntwoord, "description": "Ongeldig scenario of ongeldige casus"}})
async def post_replay(request: Request, wie: Beleid) -> ReplayJob:
    """Valideer scenario en casussen, sla de taak op en start de berekening in een apart proces.

    Het antwoord (202) wijst naar de status en, zodra die `klaar` is, naar het rapport."""
    body = await lees_body(request, MAX_BODY, "(verzoek)", f"het verzoek is groter dan {MAX_BODY // 2**20} MB")
    try:
        # parsed in a thread: a 100,000-casus upload held the event loop (other requests waited 7-9 s)
        verzoek = await run_in_threadpool(ReplayVerzoek.model_validate_json, body)
    except ValidationError as exc:
        if any(e["type"] == "extra_forbidden" for e in exc.errors()):  # named, with a spelling hint
            fouten = translate_validation_error(exc, ReplayVerzoek)
            raise ApiFout.lijst(422, [f.as_dict() for f in fouten if f.melding.startswith("onbekend veld")]) from exc
        raise ApiFout(422, "(verzoek)", "verwacht een JSON-object met 'scenario' en eventueel 'casussen'") from exc
    except ValueError as exc:
        raise ApiFout(422, "(verzoek)", "verwacht een JSON-object met 'scenario' en eventueel 'casussen'") from exc
    if verzoek.bron is not None or verzoek.periode is not None:
        if verzoek.bron is None:
            raise ApiFout(422, "periode", "een periode hoort bij bron 'opgeslagen'; geef die bron of laat de "
                          "periode weg")
        if verzoek.bron not in BRONNEN:
            raise ApiFout(422, "bron", "kies 'opgeslagen' (de opgeslagen adviezen) of laat de bron weg (de "
                          "casuïstiek of de meegestuurde casussen)")
        if verzoek.casussen is not None:
            raise ApiFout(422, "casussen", "laat de casussen weg: bij bron 'opgeslagen' zijn het de opgeslagen "
                          "adviezen")
        scenario, periode, aantal = await run_in_threadpool(
            valideer_opgeslagen, request.app.state.db, verzoek.scenario, verzoek.periode,
            request.app.state.minimum_aantal)
        job = await run_in_threadpool(start_replay, request, wie, verzoek.scenario, scenario, [], (periode, aantal))
        return _job(job)
    scenario, casussen = await run_in_threadpool(valideer, verzoek.scenario, verzoek.casussen)
    job = start_replay(request, wie, verzoek.scenario, scenario, casussen)
    return _job(job)


def vind_job(session: Session, job_id: str, wie: Principal) -> ReplayJobRecord:
    """The job if `wie` may see it (its owner, or a beheerder), else ApiFout(404); a job whose runner is
    gone is marked failed here."""
    job = session.get(ReplayJobRecord, job_id) if _JOB_ID.fullmatch(job_id) else None
    if job is None or (wie.rol != "beheerder" and job.key_id != wie.key_id):
        raise ApiFout(404, "job_id", f"geen replay met id '{job_id[:40]}'")
    if verlopen(job, nu()):
        job.status, job.fout = "mislukt", "de berekening is afgebroken (de dienst is herstart); start de replay opnieuw"
        session.add(job)
        session.commit()
        session.refresh(job)
    return job


@router.get("/v1/replay/{job_id}", summary="Status van een replay", response_model=ReplayJob,
            responses={401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}, 404: {"model": FoutAntwoord}})
def get_replay(job_id: str, session: SessionDep, wie: Beleid) -> ReplayJob:
    """Een beleidsmaker ziet de eigen replays, een beheerder alle."""
    return _job(vind_job(session, job_id, wie))


@router.get("/v1/replay/{job_id}/rapport", summary="Het rapport van een afgeronde replay",
            responses={200: {"description": "Het replay-rapport (contract: hg-advies replay --format json)",
                             "content": {"application/json": {"schema": {"type": "object",
                                                                         "additionalProperties": True}},
                                         "text/html": {"schema": {"type": "string"}}}},
                       401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}, 404: {"model": FoutAntwoord},
                       409: {"model": FoutAntwoord, "description": "De replay is nog niet klaar of mislukt"}})
def get_rapport(request: Request, job_id: str, session: SessionDep, wie: Beleid,
                format: Literal["json", "html"] = "json") -> Response:
    """`format=html`: the same standalone HTML report as `hg-advies replay --format html`."""
    job = vind_job(session, job_id, wie)
    audit.schrijf(request.app.state.db, audit.regel("replay_gelezen", wie, request, object_id=job.id, status=200))
    return rapport_antwoord(job, format)


def rapport_antwoord(job: ReplayJobRecord, format: Literal["json", "html"] = "json") -> Response:
    """A finished job's report as JSON or as the standalone HTML page; ApiFout(409) while it is not done."""
    if job.status != "klaar" or job.rapport is None:
        melding = job.fout if job.status == "mislukt" else f"de replay is nog niet klaar (status: {job.status})"
        raise ApiFout(409, "job_id", melding or "geen rapport")
    if format == "html":
        from rapport.html import html  # the report renderer shared with the CLI

        # a standalone page with its own inline style and nothing else (api/beveiliging.py keeps this policy)
        return Response(html(job.rapport), media_type="text/html; charset=utf-8", headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"})
    return Response(orjson.dumps(job.rapport), media_type="application/json")
