"""Saved scenarios: POST /v1/scenarios (a new version of a name), GET /v1/scenarios, GET /v1/scenarios/{naam}.

For beleidsmakers (and beheerders). A scenario is validated exactly as a replay's (`engine.scenario.scenario_uit`,
every problem named by its place, 422) and stored as a new version of its name: the first save of a name is
version 1, every later save the next number. Versions are never changed or deleted. Saved scenarios are shared by
everyone with the role (a scenario holds no personal data: its texts are screened), and each version names who
saved it (key id and role) and when. The files in `scenarios/` stay the project's shipped examples: the list
shows them apart (`voorbeelden`), read-only. Every save and every read is written to the audit log.

Concurrency: the version number is computed inside the INSERT itself (`max(versie) + 1` of that name), under the
unique constraint on (naam, versie). SQLite runs the statement under its write lock. On PostgreSQL a transaction
lock on the name (`pg_advisory_xact_lock`) makes saves of one name wait for each other, so each statement sees the
version before it. Should two saves still compute the same number, the second hits the constraint: its transaction
is rolled back whole (with its audit line) and the save is tried again with the next number.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import orjson
import yaml
from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import ColumnElement, Connection, Engine, func, insert, select, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import defer
from sqlmodel import Session, col
from starlette.concurrency import run_in_threadpool

from api import audit
from api.auth import Principal
from api.deps import ApiFout, alleen_parameters, lees_body, rollen
from api.models import ScenarioRecord, nu, utc
from api.schemas import (
    FoutAntwoord,
    OpgeslagenScenario,
    ScenarioIn,
    ScenarioLijst,
    ScenarioMaker,
    ScenarioSamenvatting,
    ScenarioVersie,
    Voorbeeldscenario,
)
from engine.scenario import Scenario, ScenarioFout, scenario_uit
from rules import standaard_engine

__all__ = ["router", "VOORBEELDEN", "valideer_scenario", "opslagvorm", "bewaar", "vind_scenario", "versies",
           "lees_versie", "opgeslagen", "voorbeelden", "als_yaml", "object_id", "gevraagd", "antwoord",
           "NietOpgeslagen"]

router = APIRouter(tags=["scenario"])
Beleid = Annotated[Principal, Depends(rollen("beleidsmaker"))]
TABEL = ScenarioRecord.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models
CONSTRAINT = "scenario_naam_versie_key"  # migration 0011
POGINGEN = 5  # saves of one name that collide on PostgreSQL are tried again up to this often
MAX_BODY = 256 * 1024  # as api/poort.py's default limit
VOORBEELDEN = Path(__file__).resolve().parents[2] / "scenarios"
_NAAM = re.compile(r"[A-Za-z0-9._-]{1,64}")
MAX_VERSIE = 2**31 - 1  # the column is an INTEGER: a higher number is no version (and PostgreSQL would refuse it)
_TEKSTEN = ("beschrijving", "vraag", "bron")


class NietOpgeslagen(Exception):
    """Every attempt to save collided with a concurrent save of the same name (never seen with 5 attempts)."""


# --- validation and the stored form --------------------------------------------------------------------------


GERESERVEERD = frozenset({"voorstellen"})
"""Names a saved scenario cannot have: other operations answer at /v1/scenarios/<name> (api/routes/voorstellen.py)."""


def valideer_scenario(data: object, voor: str = "") -> tuple[Scenario, dict[str, Any]]:
    """The validated scenario and the form it is stored in; ApiFout(422) naming every problem (`naam`,
    `parameters.<pad>`, `regels_bij[0].wanneer.signalen`; with `voor` as prefix, e.g. `scenario.naam`)."""
    try:
        scenario = scenario_uit(data, standaard_engine())
    except ScenarioFout as exc:
        raise ApiFout.lijst(422, [{"veld": _pad(voor, f.veld), "melding": f.melding} for f in exc.fouten]) from None
    assert isinstance(data, Mapping)  # scenario_uit refuses anything else
    if scenario.naam in GERESERVEERD:
        raise ApiFout(422, _pad(voor, "naam"), f"de naam '{scenario.naam}' is gereserveerd (het adres "
                      f"/v1/scenarios/{scenario.naam} bestaat al); kies een andere naam")
    return scenario, opslagvorm(scenario, data)


def _pad(voor: str, veld: str) -> str:
    if not voor:
        return veld
    if veld.startswith("("):
        return voor
    return f"{voor}{veld}" if veld.startswith("[") else f"{voor}.{veld}"


def opslagvorm(scenario: Scenario, data: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario as stored and answered: the contract's format, in a fixed order, with texts trimmed, the
    switched-off rules once each, and the added rules as validated (`RegelBij.as_dict`, which validates to
    itself)."""
    inhoud: dict[str, Any] = {"naam": scenario.naam}
    for sleutel in _TEKSTEN:
        if getattr(scenario, sleutel):
            inhoud[sleutel] = getattr(scenario, sleutel)
    if scenario.peildatum is not None:
        inhoud["peildatum"] = scenario.peildatum.isoformat()
    inhoud["parameters"] = orjson.loads(orjson.dumps(scenario.parameters))
    inhoud["regels_uit"] = list(scenario.regels_uit)
    if scenario.regels_bij:
        inhoud["regels_bij"] = orjson.loads(orjson.dumps([regel.as_dict() for regel in scenario.regels_bij]))
    return inhoud


def als_yaml(inhoud: Mapping[str, Any]) -> str:
    """A stored scenario as a YAML file that `hg-advies replay --scenario` reads back."""
    return yaml.safe_dump(dict(inhoud), allow_unicode=True, sort_keys=False, width=100)


def object_id(naam: str, versie: int) -> str:
    """The audit line's record: `naam/v2` (the column holds 64 characters; a name that long gives its version
    after the first 56)."""
    return f"{naam[:64 - len(f'/v{versie}')]}/v{versie}"


def gevraagd(naam: str) -> str | None:
    """The audit line's record for a name that was asked for but not found: the name when it is one (a path may
    hold any character, and PostgreSQL cannot store a NUL in text), else nothing."""
    return naam if _NAAM.fullmatch(naam) else None


# --- storing -------------------------------------------------------------------------------------------------


def _volgende_versie(naam: str) -> ColumnElement[int]:
    """The next version of `naam`, computed by the database inside the INSERT."""
    return select(func.coalesce(func.max(TABEL.c.versie), 0) + 1).where(TABEL.c.naam == naam).scalar_subquery()


def _wacht_op_naam(conn: Connection, naam: str) -> None:
    """On PostgreSQL: wait until no other transaction is saving this name (released at commit or rollback)."""
    if conn.dialect.name == "postgresql":
        sleutel = int.from_bytes(hashlib.sha256(f"scenario:{naam}".encode()).digest()[:8], "big", signed=True)
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": sleutel})


def _botsing(fout: sa_exc.IntegrityError) -> bool:
    """Whether the error is the unique (naam, versie): a concurrent save of the same name took the number."""
    diag = getattr(fout.orig, "diag", None)  # psycopg names the constraint
    if diag is not None:
        return getattr(diag, "constraint_name", None) == CONSTRAINT
    return "UNIQUE constraint failed: scenario.naam, scenario.versie" in str(fout.orig)


def bewaar(db: Engine, wie: Principal, inhoud: Mapping[str, Any], verbinding: Any = None) -> ScenarioRecord:
    """Store `inhoud` (validated, `valideer_scenario`) as the next version of its name, with its audit line in
    the same transaction; a collision with a concurrent save of the same name is tried again."""
    naam = str(inhoud["naam"])
    for _ in range(POGINGEN):
        moment = nu()
        try:
            with db.begin() as conn:
                _wacht_op_naam(conn, naam)
                rij = conn.execute(insert(TABEL).values(
                    naam=naam, versie=_volgende_versie(naam), scenario=dict(inhoud), key_id=wie.key_id, rol=wie.rol,
                    aangemaakt=moment).returning(TABEL.c.id, TABEL.c.versie)).one()
                audit.schrijf_in(conn, audit.regel("scenario_opgeslagen", wie, verbinding,
                                                   object_id=object_id(naam, rij.versie), status=201))
        except sa_exc.IntegrityError as exc:
            if _botsing(exc):
                continue
            raise
        return ScenarioRecord(id=rij.id, naam=naam, versie=rij.versie, scenario=dict(inhoud), key_id=wie.key_id,
                              rol=wie.rol, aangemaakt=moment)
    raise NietOpgeslagen(naam)


# --- reading -------------------------------------------------------------------------------------------------


def versies(session: Session, naam: str) -> list[ScenarioRecord]:
    """Every version of `naam`, newest first, without their content."""
    if not _NAAM.fullmatch(naam):
        return []
    query = (select(ScenarioRecord).options(defer(ScenarioRecord.scenario))  # type: ignore[arg-type]
             .where(col(ScenarioRecord.naam) == naam).order_by(col(ScenarioRecord.versie).desc()))
    return list(session.scalars(query))


def vind_scenario(session: Session, naam: str, versie: int | None = None) -> ScenarioRecord:
    """The newest version of `naam`, or version `versie`; ApiFout(404) in Dutch when there is none."""
    query = select(ScenarioRecord).where(col(ScenarioRecord.naam) == naam)
    if versie is not None:
        query = query.where(col(ScenarioRecord.versie) == versie)
    bestaanbaar = _NAAM.fullmatch(naam) and (versie is None or versie <= MAX_VERSIE)
    gevonden = (session.scalars(query.order_by(col(ScenarioRecord.versie).desc()).limit(1)).first()
                if bestaanbaar else None)
    if gevonden is not None:
        return gevonden
    naam_ = naam[:64]
    if not _NAAM.fullmatch(naam):  # not a name a scenario can have: not echoed
        raise ApiFout(404, "naam", "er is geen opgeslagen scenario met deze naam")
    if versie is None or not versies(session, naam):
        raise ApiFout(404, "naam", f"er is geen opgeslagen scenario met de naam '{naam_}'")
    nieuwste = versies(session, naam)[0].versie
    raise ApiFout(404, "versie", f"het scenario '{naam_}' heeft geen versie {versie}; de versies zijn 1 tot en met "
                                 f"{nieuwste}" if nieuwste > 1 else f"het scenario '{naam_}' heeft alleen versie 1")


def opgeslagen(session: Session) -> list[tuple[ScenarioRecord, int]]:
    """Every saved name: its newest version (with content) and its number of versions, most recently saved
    first."""
    per_naam = (select(TABEL.c.naam, func.max(TABEL.c.versie).label("versie"), func.count().label("aantal"))
                .group_by(TABEL.c.naam).subquery())
    query = (select(ScenarioRecord, per_naam.c.aantal)
             .join(per_naam, (ScenarioRecord.naam == per_naam.c.naam)  # type: ignore[arg-type]
                   & (ScenarioRecord.versie == per_naam.c.versie))
             .order_by(col(ScenarioRecord.aangemaakt).desc(), col(ScenarioRecord.naam)))
    return [(record, int(aantal)) for record, aantal in session.execute(query)]


def voorbeelden() -> list[tuple[str, Path, dict[str, Any]]]:
    """The shipped example scenarios of `scenarios/`: (file stem, path, data)."""
    gevonden = []
    for pad in sorted(VOORBEELDEN.glob("*.yaml")) if VOORBEELDEN.is_dir() else []:
        try:
            data = yaml.safe_load(pad.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, Mapping) and _NAAM.fullmatch(pad.stem):
            gevonden.append((pad.stem, pad, orjson.loads(orjson.dumps(dict(data), default=str))))
    return gevonden


# --- answers -------------------------------------------------------------------------------------------------


def _maker(record: ScenarioRecord) -> ScenarioMaker:
    return ScenarioMaker(key_id=record.key_id, rol=record.rol)


def antwoord(record: ScenarioRecord, alle: list[ScenarioRecord]) -> OpgeslagenScenario:
    return OpgeslagenScenario(
        naam=record.naam, versie=record.versie, wie=_maker(record), wanneer=utc(record.aangemaakt),
        scenario=ScenarioIn.model_validate(record.scenario),
        versies=[ScenarioVersie(versie=v.versie, wie=_maker(v), wanneer=utc(v.aangemaakt)) for v in alle])


def _lees_opgeslagen(db: Engine, naam: str, versie: int | None) -> OpgeslagenScenario:
    with Session(db) as session:
        record = vind_scenario(session, naam, versie)
        return antwoord(record, versies(session, naam))


_FOUTEN: dict[int | str, dict[str, Any]] = {401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}}
_BODY = {"requestBody": {"required": True, "description": "Het scenario (zoals in scenarios/); ook "
                         "{\"scenario\": {...}} zoals bij POST /v1/replay", "content": {"application/json": {
                             "schema": {"$ref": "#/components/schemas/ScenarioIn"}}}}}


@router.post("/v1/scenarios", summary="Sla een scenario op (een nieuwe versie van zijn naam)", status_code=201,
             response_model=OpgeslagenScenario, response_model_exclude_unset=True, openapi_extra=_BODY,
             responses={**_FOUTEN, 413: {"model": FoutAntwoord},
                        422: {"model": FoutAntwoord, "description": "Ongeldig scenario: elke fout met haar plaats"},
                        503: {"model": FoutAntwoord}})
async def post_scenario(request: Request, wie: Beleid) -> OpgeslagenScenario:
    """Valideer het scenario zoals een replay dat doet en sla het op: de eerste keer als versie 1, daarna elke
    keer als de volgende versie van dezelfde naam. Eerdere versies blijven ongewijzigd."""
    body = await lees_body(request, MAX_BODY, "(verzoek)", f"het scenario is groter dan {MAX_BODY // 1024} kB")
    try:
        data: object = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ApiFout(422, "(verzoek)", "geen geldige JSON: verwacht een scenario (een JSON-object)") from None
    voor = ""
    if isinstance(data, Mapping) and set(data) == {"scenario"}:  # {"scenario": {...}} as POST /v1/replay takes it
        data, voor = data["scenario"], "scenario"
    _, inhoud = await run_in_threadpool(valideer_scenario, data, voor)
    try:
        record = await run_in_threadpool(bewaar, request.app.state.db, wie, inhoud, request)
    except NietOpgeslagen:
        raise ApiFout(503, "naam", "het scenario kon nu niet worden opgeslagen omdat tegelijk dezelfde naam werd "
                                   "opgeslagen; probeer het opnieuw", {"Retry-After": "1"}) from None
    _, alle = await run_in_threadpool(lees_versie, request.app.state.db, record.naam, record.versie)
    return antwoord(record, alle)


@router.get("/v1/scenarios", summary="De opgeslagen scenario's en de voorbeeldscenario's",
            response_model=ScenarioLijst, responses={**_FOUTEN, 422: {"model": FoutAntwoord}})
async def get_scenarios(request: Request, wie: Beleid) -> ScenarioLijst:
    """Elk opgeslagen scenario met zijn nieuwste versie en het aantal versies (laatst opgeslagen eerst), en apart
    de voorbeeldscenario's van het project (`scenarios/`, niet te wijzigen: sla een aangepaste kopie op)."""
    alleen_parameters(request)

    def lees() -> ScenarioLijst:
        with Session(request.app.state.db) as session:
            lijst = [ScenarioSamenvatting(
                naam=r.naam, versie=r.versie, aantal_versies=aantal, wie=_maker(r), wanneer=utc(r.aangemaakt),
                **{k: str(r.scenario.get(k) or "") for k in _TEKSTEN}) for r, aantal in opgeslagen(session)]
        return ScenarioLijst(scenarios=lijst, voorbeelden=[
            Voorbeeldscenario(naam=stam, bestand=f"scenarios/{pad.name}", scenario=data)
            for stam, pad, data in voorbeelden()])

    gevonden = await run_in_threadpool(lees)
    await audit.leg_vast(request, "scenarios_gelezen", wie, status=200)
    return gevonden


@router.get("/v1/scenarios/{naam}", summary="Een opgeslagen scenario: de nieuwste versie, of ?versie=n",
            response_model=OpgeslagenScenario, response_model_exclude_unset=True,
            responses={**_FOUTEN, 404: {"model": FoutAntwoord}, 422: {"model": FoutAntwoord}})
async def get_scenario(request: Request, naam: str, wie: Beleid,
                       versie: Annotated[int | None, Query(description="Standaard: de nieuwste")] = None,
                       ) -> OpgeslagenScenario:
    """Het scenario met wie het wanneer opsloeg, en alle versies van zijn naam (nieuwste eerst)."""
    alleen_parameters(request, "versie")
    if versie is not None and versie < 1:
        raise ApiFout(422, "versie", "een versie is een geheel getal vanaf 1")
    try:
        gevonden = await run_in_threadpool(_lees_opgeslagen, request.app.state.db, naam, versie)
    except ApiFout:
        await audit.leg_vast(request, "scenario_gelezen", wie, object_id=gevraagd(naam), status=404)
        raise
    await audit.leg_vast(request, "scenario_gelezen", wie, object_id=object_id(gevonden.naam, gevonden.versie),
                         status=200)
    return gevonden


def lees_versie(db: Engine, naam: str, versie: int | None) -> tuple[ScenarioRecord, list[ScenarioRecord]]:
    """A stored version and every version of its name (for the pages); ApiFout(404) as the API."""
    with Session(db, expire_on_commit=False) as session:
        record = vind_scenario(session, naam, versie)
        alle = versies(session, naam)
        session.expunge_all()
        return record, alle
