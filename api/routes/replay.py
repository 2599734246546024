"""POST /v1/replay (a scenario over the casuïstiek, as a background job), its status and its report.

For beleidsmakers (and beheerders). The body holds a scenario in the contract's format and,
optionally, anonymised casussen; without casussen the project's casuïstiek (`casussen/`) is used.
Everything is validated before the job is accepted (422 naming each field: nothing is stored then);
the job runs in a separate process and is read back with GET /v1/replay/{job_id} and .../rapport.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool

from api import audit
from api.auth import Principal
from api.bibliotheek import bibliotheek
from api.deps import ApiFout, SessionDep, lees_body, rollen
from api.models import AuditRecord, ReplayJobRecord, nu, utc
from api.replay_jobs import ReplayUitvoerder, verlopen
from api.schemas import FoutAntwoord
from engine.casus import parse_casus
from engine.errors import CasusFout
from engine.scenario import Scenario, ScenarioFout, scenario_uit
from rules import standaard_engine

router = APIRouter(tags=["replay"])
MAX_CASUSSEN = 100_000
MAX_BODY = 128 * 1024 * 1024
MAX_OPEN_JOBS = 3  # per key: queued or running replays (more gets 429 with Retry-After)
_JOB_ID = re.compile(r"[0-9a-f]{32}")
Beleid = Annotated[Principal, Depends(rollen("beleidsmaker"))]


class ReplayVerzoek(BaseModel):
    scenario: dict[str, Any] = Field(description="Een scenario zoals in scenarios/: naam, beschrijving, "
                                     "parameters (pad -> waarde), regels_uit")
    casussen: list[dict[str, Any]] | None = Field(
        default=None, description="Geanonimiseerde casussen; zonder: de casuïstiek van het project")


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


def valideer(scenario_data: object,
             casussen: list[dict[str, Any]] | None = None) -> tuple[Scenario, list[dict[str, Any]]]:
    """The scenario and the casussen (without casussen: the project's casuïstiek), or ApiFout(422) with
    every problem (`scenario.<veld>` or `casussen[i].<veld>`, with the Dutch reason).

    POST /v1/replay and the web page "Scenario's" validate with this one function."""
    fouten: list[dict[str, str]] = []
    scenario = None
    try:
        scenario = scenario_uit(scenario_data, standaard_engine())
    except ScenarioFout as exc:
        fouten += [{"veld": _pad("scenario", f.veld), "melding": f.melding} for f in exc.fouten]
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


def start_replay(request: Request, wie: Principal, scenario_data: dict[str, Any], scenario: Scenario,
                 casussen: list[dict[str, Any]]) -> ReplayJobRecord:
    """Store a new job for a validated scenario (`valideer`) and hand it to this server process' replay
    process. Only the scenario's name is stored with the job; its report repeats the scenario."""
    job = ReplayJobRecord(key_id=wie.key_id, scenario=scenario.naam, status="wachtend", totaal=len(casussen))
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
    uitvoerder.start(job.id, scenario_data, casussen)
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
             response_model=ReplayJob,
             responses={401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}, 413: {"model": FoutAntwoord},
                        422: {"model": FoutAntwoord, "description": "Ongeldig scenario of ongeldige casus"}})
async def post_replay(request: Request, wie: Beleid) -> ReplayJob:
    """Valideer scenario en casussen, sla de taak op en start de berekening in een apart proces.

    Het antwoord (202) wijst naar de status en, zodra die `klaar` is, naar het rapport."""
    body = await lees_body(request, MAX_BODY, "(verzoek)", f"het verzoek is groter dan {MAX_BODY // 2**20} MB")
    try:
        # parsed in a thread: a 100,000-casus upload held the event loop (other requests waited 7-9 s)
        verzoek = await run_in_threadpool(ReplayVerzoek.model_validate_json, body)
    except ValueError as exc:
        raise ApiFout(422, "(verzoek)", "verwacht een JSON-object met 'scenario' en eventueel 'casussen'") from exc
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
            responses={200: {"description": "Het replay-rapport (contract: hg-advies replay --format json)"},
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
