"""Pages of the beleidsmaker: scenarios, a replay over the casuïstiek, its impact report, deviation statistics.

- `/scenarios`: the scenarios of `scenarios/` and the user's recent replays;
- `/scenarios/{naam}`, `/scenarios/nieuw`: every parameter of the ruleset with its value, source and date,
  the rules that can be switched off; submitting validates the scenario and starts a replay job over the
  project's casuïstiek, exactly as POST /v1/replay without casussen (`api.routes.replay`);
- `/replay/{job_id}`: progress, then the report inside the site's layout (the parts of the standalone
  report, `rapport.html.rapport_delen`), with `rapport.html` and `rapport.json` for the session;
- `/afwijkingen`: the aggregates of GET /v1/statistiek/afwijkingen (`bereken_afwijkingen`).

The editor also saves a scenario as a new version of its name (`Scenario opslaan`, as POST /v1/scenarios) and
writes the rules a scenario adds (`api.web.regelinvoer`); the saved versions are opened and downloaded on the
pages of `api.web.opgeslagen`. The files of `scenarios/` stay the project's examples: nothing is written to disk.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from api import audit
from api.auth import Principal
from api.deps import ApiFout
from api.models import ReplayJobRecord, nu, utc
from api.replay_jobs import verlopen
from api.routes.replay import rapport_antwoord, start_replay, valideer, vind_job
from api.routes.scenarios import bewaar, opgeslagen, valideer_scenario
from api.routes.statistiek import bereken_afwijkingen
from api.web import pagina as p
from api.web import regelinvoer
from api.web.parameterinvoer import (
    MAX_WAARDE,
    Soort,
    WaardeFout,
    lees_waarde,
    parameter_melding,
    soort_van,
    tekst,
    voorbeeld_van,
)
from api.web.replay_opgeslagen import over_opgeslagen, start_opgeslagen
from api.web.voorstellen import lees_voorstel
from engine.taal import label
from rapport.html import rapport_delen
from rules import standaard_engine

__all__ = ["router", "BELEID", "SCENARIOS", "regelset"]

router = APIRouter(include_in_schema=False)
BELEID = frozenset({"beleidsmaker"})  # as POST /v1/replay and GET /v1/statistiek/afwijkingen (and the beheerder)
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
MAX_CASUSSEN_OP_PAGINA = 1000  # changed casussen listed on the report page; rapport.json lists all
RECENT = 20  # replays listed on /scenarios
VERVERS = 2  # seconds between refreshes of a running job's page
STATUS = {"wachtend": "wacht op de start", "bezig": "bezig", "klaar": "klaar", "mislukt": "mislukt"}
_STAM = re.compile(r"[A-Za-z0-9._-]{1,64}")
_TEKSTVELDEN = (("naam", "Naam"), ("beschrijving", "Beschrijving"), ("vraag", "Vraag"), ("bron", "Bron"))


# --- the ruleset's parameters and rules ----------------------------------------------------------------


@dataclass(frozen=True)
class ParameterRij:
    """One parameter value the form can change: a leaf of the parameter tree (a number, or a list per pakket)."""

    pad: str
    id: str  # the form field's id
    node: str  # the parameter (file entry) it belongs to; a table parameter has one row per cell
    rest: str  # the cell of a table parameter ("" for a plain parameter)
    eerste: bool  # the first row of its parameter (shows the description)
    beschrijving: str
    toelichting: str
    eenheid: str
    bron: str
    beleidskeuze: bool
    sinds: dt.date
    huidig: str  # the value in force, as one types it (`tekst`)
    soort: Soort = "waarde"

    @property
    def naam(self) -> str:
        """The parameter in words for an error summary, with its path: "Pakketzwaarte ..., laag / voldoende
        (pakket_matrix.laag.voldoende)"."""
        cel = f", {' / '.join(label(k) for k in self.rest.split('.'))}" if self.rest else ""
        return f"{self.beschrijving}{cel} ({self.pad})"  # every parameter has a beschrijving (its loader)

    @property
    def voorbeeld(self) -> str:
        """A value of this parameter's kind for its error messages (the value in force where it shows one)."""
        return voorbeeld_van(self.soort, self.huidig)


@dataclass(frozen=True)
class ParameterGroep:
    naam: str  # the parameter file (first path segment)
    beschrijving: str
    rijen: tuple[ParameterRij, ...]


@dataclass(frozen=True)
class Regelset:
    """The ruleset version a scenario is validated against (the newest), its parameters and switchable rules."""

    versie: dt.date
    groepen: tuple[ParameterGroep, ...]
    rijen: dict[str, ParameterRij]
    regels: tuple[tuple[str, str, str, bool], ...]  # switchable rules: (id, bron, text, beleidskeuze)
    uitleg: dict[str, tuple[str, bool, str]]  # every rule id -> (bron, beleidskeuze, text)


def veld_id(soort: str, pad: str) -> str:
    """An HTML id for a parameter path or rule id (dots become dashes; paths have none)."""
    return f"{soort}-{pad.replace('.', '-')}"


def _regeltekst(doc: str) -> str:
    return " ".join(doc.split())


@functools.cache
def regelset() -> Regelset:
    """The form's parameters and rules, read once per process (the ruleset is part of the release)."""
    import rules

    engine = standaard_engine()
    versie = engine.tree.versions[-1]  # scenario_uit validates against the newest version without a peildatum
    basis = engine.tree.resolve(versie)
    groepen: dict[str, list[ParameterRij]] = {}
    gezien: set[str] = set()
    for pad, waarde in basis.leaves():
        node, rest = basis.node_for(pad)
        in_force = node.in_force(versie)
        assert in_force is not None  # resolve() found a value for every node
        groepen.setdefault(pad.split(".")[0], []).append(ParameterRij(
            pad=pad, id=veld_id("par", pad), node=node.pad, rest=rest, eerste=node.pad not in gezien,
            beschrijving=node.beschrijving, toelichting=" ".join(node.toelichting.split()), eenheid=node.eenheid,
            bron=node.bron, beleidskeuze=node.beleidskeuze, sinds=in_force[0], huidig=tekst(waarde),
            soort=soort_van(node.type, waarde)))
        gezien.add(node.pad)
    beschrijvingen = _groepbeschrijvingen(Path(rules.PARAMETER_DIR))
    lijst = tuple(ParameterGroep(naam, beschrijvingen.get(naam, ""), tuple(rijen)) for naam, rijen in groepen.items())
    alle = engine.source.rules
    return Regelset(
        versie=versie, groepen=lijst, rijen={r.pad: r for g in lijst for r in g.rijen},
        regels=tuple((r.id, r.bron, _regeltekst(r.doc), r.beleidskeuze) for r in alle if r.uitschakelbaar),
        uitleg={r.id: (r.bron, r.beleidskeuze, _regeltekst(r.doc)) for r in alle},
    )


def _groepbeschrijvingen(map_: Path) -> dict[str, str]:
    """The `beschrijving` at the top of each parameter file (the tree keeps only the parameters')."""
    found = {}
    for pad in sorted(map_.glob("*.yaml")):
        data = yaml.safe_load(pad.read_text(encoding="utf-8"))
        if isinstance(data, Mapping) and isinstance(data.get("beschrijving"), str):
            found[pad.stem] = data["beschrijving"]
    return found


# --- the scenarios of scenarios/ -----------------------------------------------------------------------


def scenario_bestanden() -> dict[str, Path]:
    """File stem -> path of every scenario file (a missing folder: none)."""
    if not SCENARIOS.is_dir():
        return {}
    return {pad.stem: pad for pad in sorted(SCENARIOS.glob("*.yaml")) if _STAM.fullmatch(pad.stem)}


def lees_bestand(pad: Path) -> dict[str, Any]:
    """A scenario file as data; a file that cannot be read gives only its name (the form shows the rest)."""
    try:
        data = yaml.safe_load(pad.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        data = None
    return dict(data) if isinstance(data, Mapping) else {"naam": pad.stem}


# --- the form ------------------------------------------------------------------------------------------


def _cellen(pad: str, waarde: Any) -> Iterator[tuple[str, Any]]:
    """A scenario's (path, value) as the form's rows: a table value set at once becomes one row per cell."""
    if isinstance(waarde, Mapping) and pad not in regelset().rijen:
        for sleutel, sub in waarde.items():
            yield from _cellen(f"{pad}.{sleutel}", sub)
    else:
        yield pad, waarde


@dataclass
class Formulier:
    """The scenario form: the texts as typed, the rules switched off, and the errors per field id."""

    waarden: dict[str, str] = field(default_factory=dict)  # field name (naam, ..., or a parameter path) -> text
    regels_uit: list[str] = field(default_factory=list)
    regels_bij: list[regelinvoer.RegelInvoer] = field(default_factory=list)  # the rules the scenario adds
    herkomst: list[int] = field(default_factory=list)  # regels_bij[k] of the data came from rule herkomst[k]
    fouten: dict[str, list[str]] = field(default_factory=dict)  # field id -> messages
    samenvatting: list[tuple[str, str, str]] = field(default_factory=list)  # (field id, label, message)

    @classmethod
    def uit_scenario(cls, data: Mapping[str, Any]) -> Formulier:
        form = cls()
        for naam, _ in _TEKSTVELDEN:
            waarde = data.get(naam)
            form.waarden[naam] = "" if waarde is None else str(waarde).strip()
        parameters = data.get("parameters")
        for pad, waarde in (parameters.items() if isinstance(parameters, Mapping) else ()):
            for cel, sub in _cellen(str(pad), waarde):
                form.waarden[cel] = tekst(sub)
        uit = data.get("regels_uit")
        form.regels_uit = [str(r) for r in uit] if isinstance(uit, list) else []
        form.regels_bij = regelinvoer.uit_data(data.get("regels_bij"))
        return form

    @classmethod
    def uit_velden(cls, velden: dict[str, list[str]]) -> tuple[Formulier, dict[str, Any]]:
        """The form as submitted, and the scenario data it describes (values that cannot be read left out,
        with an error on their field)."""
        form = cls()
        data: dict[str, Any] = {}
        for naam, _ in _TEKSTVELDEN:
            form.waarden[naam] = p.eerste(velden, naam).strip()
            if form.waarden[naam]:
                data[naam] = form.waarden[naam]
        parameters: dict[str, Any] = {}
        for pad, rij in regelset().rijen.items():
            invoer = p.eerste(velden, rij.id).strip()
            if not invoer:
                continue
            form.waarden[pad] = invoer
            try:
                parameters[pad] = lees_waarde(invoer, rij.soort, rij.voorbeeld)
            except WaardeFout as exc:
                form.fout(rij.id, rij.naam, str(exc))
        data["parameters"] = parameters
        form.regels_uit = [r for r in dict.fromkeys(velden.get("regels_uit", [])) if r]
        data["regels_uit"] = form.regels_uit
        form.regels_bij = regelinvoer.uit_velden(velden)
        regels_bij, form.herkomst = regelinvoer.naar_data(form.regels_bij, form.fout)
        if regels_bij:
            data["regels_bij"] = regels_bij
        return form, data

    @property
    def regelfout(self) -> bool:
        """Whether an error is about the rules switched off (their list is then shown open)."""
        return any(veld == "regels_uit" or veld.startswith("regel-") for veld in self.fouten)

    @property
    def regelbijfout(self) -> bool:
        """Whether an error is about the rules added (their part is then shown open)."""
        return any(veld == "regels_bij" or veld.startswith("rb") for veld in self.fouten)

    def fout(self, veld: str, label: str, melding: str) -> None:
        """An error at field `veld`, named `label` (in words) in the summary; the message as a sentence."""
        melding = p.zin(melding)
        self.fouten.setdefault(veld, []).append(melding)
        self.samenvatting.append((veld, label, melding))

    def op_volgorde(self) -> None:
        """The error summary in the order of the fields on the page."""
        volgorde = {veld: i for i, veld in enumerate(
            ["scenario", *dict(_TEKSTVELDEN), "parameters", *(r.id for r in regelset().rijen.values()),
             "regels_uit", *(veld_id("regel", r[0]) for r in regelset().regels)])}
        self.samenvatting.sort(key=lambda fout: volgorde.get(fout[0], len(volgorde)))

    def koppel(self, fouten: list[dict[str, str]]) -> None:
        """Tie the errors of `valideer` (`scenario.<veld>`) to the form's fields."""
        rijen = regelset().rijen
        schakelaars = {r[0] for r in regelset().regels}
        for f in fouten:
            veld, melding = f["veld"], f["melding"]
            pad = veld.removeprefix("scenario").lstrip(".")
            tekstveld = dict(_TEKSTVELDEN).get(pad)
            if tekstveld:
                self.fout(pad, tekstveld, melding)
            elif pad.startswith("parameters."):
                param = pad.removeprefix("parameters.")
                rij = rijen.get(param) or next(
                    (r for r in rijen.values() if r.pad.startswith(f"{param}.") or param.startswith(f"{r.pad}.")),
                    None)
                self.fout(rij.id if rij else "parameters", rij.naam if rij else f"Parameters ({param})",
                          parameter_melding(melding, rij.soort, rij.voorbeeld) if rij else parameter_melding(melding))
            elif pad.startswith("regels_bij"):
                regelinvoer.koppel(self.regels_bij, self.herkomst, pad, melding, self.fout)
            elif pad.startswith("regels_uit"):
                gevonden = re.fullmatch(r"regels_uit\[(\d+)\]", pad)
                i = int(gevonden.group(1)) if gevonden else -1
                regel = self.regels_uit[i] if 0 <= i < len(self.regels_uit) else None
                doel = veld_id("regel", regel) if regel in schakelaars else "regels_uit"
                self.fout(doel, f"Regels uitschakelen{f' ({regel})' if regel else ''}", melding)
            else:  # the scenario as a whole, or (never from this form) the casussen
                self.fout("scenario", "Scenario" if veld.startswith("scenario") else veld, melding)


_GEVOLGHINT = {
    "minimum_pakket": "Het pakket: 1, 2 of 3.",
    "onderdeel_uit": "Een onderdeel, bijvoorbeeld systeemgerichte hulp; de reden hiernaast.",
    "onderdeel_bij": "Een onderdeel, bijvoorbeeld specialistische individuele hulp.",
    "signalering": "Een code in kleine letters met liggende streepjes, bijvoorbeeld ggz_zwaar; de tekst hiernaast.",
    "vrije_trede": "Geen waarde nodig: de vrije trede wordt geadviseerd.",
    "maatwerk_bij": "Toeleiding naar schulddienstverlening, dagbesteding of nachtelijke ondersteuning.",
}


def _formulierpagina(request: Request, wie: Principal, form: Formulier, actie: str, titel: str,
                     status: int = 200, bestand: str | None = None, **extra: Any) -> Response:
    return p.pagina(request, "scenario.html", status, wie=wie, form=form, actie=actie, titel=titel,
                    rs=regelset(), bestand=bestand, max_waarde=MAX_WAARDE, casusvelden=regelinvoer.CASUSVELDEN,
                    toetsen=regelinvoer.TOETSEN, gevolgen=regelinvoer.GEVOLGEN, gevolghint=_GEVOLGHINT,
                    onderdelen=regelinvoer.ONDERDELEN, maatwerk=regelinvoer.MAATWERK, woord=regelinvoer.woorden,
                    **extra)


def _opslaan(request: Request, wie: Principal, form: Formulier, data: dict[str, Any]) -> Response | None:
    """Save the scenario as a new version (as POST /v1/scenarios): the saved version's page, or None with the
    errors on the form."""
    try:
        _, inhoud = valideer_scenario(data, "scenario")
    except ApiFout as exc:
        form.koppel(exc.fouten)
        return None
    if form.fouten:
        return None
    record = bewaar(request.app.state.db, wie, inhoud, request)
    return RedirectResponse(f"/scenarios/opgeslagen/{record.naam}?versie={record.versie}&opgeslagen=1",
                            status_code=303)


async def _verstuur(request: Request, actie: str, titel: str, bestand: str | None = None,
                    **extra: Any) -> Response:
    velden = await p.formulier(request)
    wie = await p.toegang(request, BELEID, velden)
    if isinstance(wie, Response):
        return wie
    form, data = Formulier.uit_velden(velden)
    knop = p.eerste(velden, "knop")
    if regelinvoer.pas_aan(form.regels_bij, knop):  # a row added or a rule removed: the form again, as typed
        return _formulierpagina(request, wie, Formulier(waarden=form.waarden, regels_uit=form.regels_uit,
                                                        regels_bij=form.regels_bij), actie, titel,
                                bestand=bestand, **extra)
    if knop == "opslaan":
        opgeslagen_ = await run_in_threadpool(_opslaan, request, wie, form, data)
        if opgeslagen_ is not None:
            return opgeslagen_
        form.op_volgorde()
        return _formulierpagina(request, wie, form, actie, titel, 422, bestand, **extra)
    if over_opgeslagen(velden, form):  # issue 13: over the stored adviezen of a period (api.routes.replay)
        job_opgeslagen = await run_in_threadpool(start_opgeslagen, request, wie, form, data)
        if job_opgeslagen is not None:
            return RedirectResponse(f"/replay/{job_opgeslagen.id}", status_code=303)
        form.op_volgorde()
        return _formulierpagina(request, wie, form, actie, titel, 422, bestand, **extra)
    try:
        scenario, casussen = await run_in_threadpool(valideer, data)
    except ApiFout as exc:
        form.koppel(exc.fouten)
    else:
        if not form.fouten:
            job = await run_in_threadpool(start_replay, request, wie, data, scenario, casussen)
            return RedirectResponse(f"/replay/{job.id}", status_code=303)
    form.op_volgorde()
    return _formulierpagina(request, wie, form, actie, titel, 422, bestand, **extra)


# --- pages: scenarios ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobRegel:
    id: str
    scenario: str
    status: str
    totaal: int
    gedaan: int
    aangemaakt: dt.datetime


def _recente_jobs(request: Request, wie: Principal) -> list[JobRegel]:
    """The user's latest replays (a beheerder: everybody's), without their reports."""
    query = (select(ReplayJobRecord).options(defer(ReplayJobRecord.rapport))  # type: ignore[arg-type]
             .order_by(col(ReplayJobRecord.aangemaakt).desc()).limit(RECENT))
    if wie.rol != "beheerder":
        query = query.where(ReplayJobRecord.key_id == wie.key_id)
    moment = nu()
    with Session(request.app.state.db) as session:
        return [JobRegel(job.id, job.scenario, "mislukt" if verlopen(job, moment) else job.status, job.totaal,
                         job.gedaan, utc(job.aangemaakt)) for job in session.exec(query)]


@router.get("/scenarios")
async def scenarios(request: Request) -> Response:
    wie = await p.toegang(request, BELEID)
    if isinstance(wie, Response):
        return wie
    lijst = []
    for stam, pad in scenario_bestanden().items():
        data = lees_bestand(pad)
        lijst.append({"stam": stam, **{k: str(data.get(k) or "") for k, _ in _TEKSTVELDEN}})
    jobs = await run_in_threadpool(_recente_jobs, request, wie)
    bewaard = await run_in_threadpool(_opgeslagen, request)
    await audit.leg_vast(request, "scenarios_gelezen", wie, status=200)
    return p.pagina(request, "scenarios.html", wie=wie, scenarios=lijst, jobs=jobs, STATUS=STATUS,
                    opgeslagen=bewaard)


def _opgeslagen(request: Request) -> list[dict[str, Any]]:
    """The saved scenarios for the list: newest version, number of versions, who and when."""
    with Session(request.app.state.db) as session:
        return [{"naam": r.naam, "versie": r.versie, "aantal": aantal, "rol": r.rol, "key_id": r.key_id,
                 "aangemaakt": utc(r.aangemaakt), "beschrijving": str(r.scenario.get("beschrijving") or "")}
                for r, aantal in opgeslagen(session)]


@router.get("/scenarios/nieuw")
async def nieuw_scenario(request: Request, replay: str = "", voorstel: str = "") -> Response:
    """A blank scenario; with `?replay=<job_id>`, the scenario of that (finished) replay, to change it; with
    `?voorstel=<code>`, a proposal of the page "Voorstellen" (`api.web.voorstellen.lees_voorstel`)."""
    if replay:
        gevonden = await p.vind_voor(request, BELEID, vind_job, replay)
        if isinstance(gevonden, Response):
            return gevonden
        wie, job = gevonden
    else:
        toegang = await p.toegang(request, BELEID)
        if isinstance(toegang, Response):
            return toegang
        wie, job = toegang, None
    form = Formulier.uit_scenario({})
    if job is not None and job.rapport:
        form = Formulier.uit_scenario({**job.rapport, "naam": job.rapport.get("scenario")})
    elif voorstel:
        form = Formulier.uit_scenario(lees_voorstel(voorstel) or {})
    return _formulierpagina(request, wie, form, "/scenarios/nieuw", "Nieuw scenario")


@router.post("/scenarios/nieuw")
async def nieuw_scenario_afspelen(request: Request) -> Response:
    return await _verstuur(request, "/scenarios/nieuw", "Nieuw scenario")


@router.get("/scenarios/{stam}")
async def scenario(request: Request, stam: str) -> Response:
    wie = await p.toegang(request, BELEID)
    if isinstance(wie, Response):
        return wie
    pad = scenario_bestanden().get(stam)
    if pad is None:
        return p.fout(request, 404, "Niet gevonden", f"Er is geen scenario '{stam[:64]}'.", wie)
    form = Formulier.uit_scenario(lees_bestand(pad))
    return _formulierpagina(request, wie, form, f"/scenarios/{stam}", f"Scenario {stam}", bestand=pad.name)


@router.post("/scenarios/{stam}")
async def scenario_afspelen(request: Request, stam: str) -> Response:
    pad = scenario_bestanden().get(stam)
    if pad is None:
        return await _verstuur(request, "/scenarios/nieuw", "Nieuw scenario")
    return await _verstuur(request, f"/scenarios/{stam}", f"Scenario {stam}", pad.name)


# --- pages: a replay and its report --------------------------------------------------------------------


def scenario_yaml(rapport: Mapping[str, Any]) -> str:
    """The replayed scenario as a file for scenarios/ (from its report)."""
    data: dict[str, Any] = {"naam": rapport.get("scenario")}
    for sleutel in ("beschrijving", "vraag", "bron", "peildatum"):
        if rapport.get(sleutel):
            data[sleutel] = rapport[sleutel]
    data["parameters"] = dict(rapport.get("parameters") or {})
    data["regels_uit"] = list(rapport.get("regels_uit") or [])
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


@router.get("/replay/{job_id}")
async def replay_pagina(request: Request, job_id: str) -> Response:
    gevonden = await p.vind_voor(request, BELEID, vind_job, job_id)
    if isinstance(gevonden, Response):
        return gevonden
    wie, job = gevonden
    context: dict[str, Any] = {"job": job, "STATUS": STATUS, "ververs": VERVERS,
                               "aangemaakt": utc(job.aangemaakt)}
    if job.status == "klaar" and job.rapport is not None:
        await audit.leg_vast(request, "replay_gelezen", wie, object_id=job.id, status=200)
        r = job.rapport
        # The scenario's values as the form shows them (3,5; [0,75; 1,5; 3]); the file below keeps YAML.
        getoond = {**r, "parameters": {pad: tekst(w) for pad, w in (r.get("parameters") or {}).items()}}
        context.update(r=r, delen=rapport_delen(getoond, MAX_CASUSSEN_OP_PAGINA, "#regel-"),
                       max_casussen=MAX_CASUSSEN_OP_PAGINA, uitleg=regelset().uitleg, yaml_tekst=scenario_yaml(r))
    # A running job's page asks for itself again (static/voortgang.js, its "Ververs" link without script): no
    # Refresh header or meta refresh, which would reload under a screen reader's or keyboard user's hands.
    return p.pagina(request, "replay.html", wie=wie, **context)


async def _rapport(request: Request, job_id: str, formaat: Literal["json", "html"]) -> Response:
    gevonden = await p.vind_voor(request, BELEID, vind_job, job_id)
    if isinstance(gevonden, Response):
        return gevonden
    wie, job = gevonden
    await audit.leg_vast(request, "replay_gelezen", wie, object_id=job.id, status=200)
    try:
        response = await run_in_threadpool(rapport_antwoord, job, formaat)
    except ApiFout as exc:
        return p.fout(request, exc.status, "Nog niet beschikbaar", p.zin(exc.fouten[0]["melding"]), wie)
    if formaat == "json":
        response.headers["Content-Disposition"] = f'inline; filename="replay-{job.scenario}.json"'
    return response


@router.get("/replay/{job_id}/rapport.html")
async def rapport_html(request: Request, job_id: str) -> Response:
    """The standalone report (as `hg-advies replay --format html`), for the signed-in session."""
    return await _rapport(request, job_id, "html")


@router.get("/replay/{job_id}/rapport.json")
async def rapport_json(request: Request, job_id: str) -> Response:
    """The report as JSON (the contract's replay report), for the signed-in session."""
    return await _rapport(request, job_id, "json")


# --- page: deviation statistics ------------------------------------------------------------------------


@router.get("/afwijkingen")
async def afwijkingen(request: Request) -> Response:
    wie = await p.toegang(request, BELEID)
    if isinstance(wie, Response):
        return wie

    def bereken() -> Any:
        with Session(request.app.state.db) as session:
            return bereken_afwijkingen(session, request.app.state.minimum_aantal)

    stat = await run_in_threadpool(bereken)
    return p.pagina(request, "afwijkingen.html", wie=wie, s=stat, uitleg=regelset().uitleg)
