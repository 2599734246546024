"""A client generated from the OpenAPI document (openapi-python-client) works for every operation of the service.

The client is generated once per test session from `create_app(...).openapi()`, imported, and pointed at the app
(the generated `AuthenticatedClient` with the role's key, on the Starlette test client's transport, so the
generated code's own bearer authentication is what the app sees). Every operation of the document is called
through the generated functions with realistic bodies, under the role that uses it, and the parsed answer is
checked: of the documented class, equal to the JSON the service sent (nothing lost or misread), and with no field
the document does not describe. `raise_on_unexpected_status` makes any status the document does not list fail.

`test_every_operation_has_a_call` fails when an operation of the document has no test here, so a new endpoint
cannot be forgotten. Without openapi-python-client (a dev extra) the tests skip, unless
HG_TEST_OPENAPI_CLIENT=verplicht (set by .ci/run): then they fail.

Every operation runs on SQLite and, with HG_TEST_POSTGRES_URL, on PostgreSQL; none needs OpenID Connect (sign-in
through the identity provider belongs to the pages, which are outside the document).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import importlib.util
import io
import json
import os
import pkgutil
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import attrs
import httpx
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.api.conftest import new_app
from tests.api.helpers import CASUSSEN, KEYS, auth, load_casus

VERPLICHT = os.environ.get("HG_TEST_OPENAPI_CLIENT") == "verplicht"  # set by .ci/run: never skip there
PAKKET = "hg_advies_client"  # the generated package
CONFIG = """\
post_hooks: []  # no ruff run over the generated code
content_type_overrides:
  application/pdf: application/octet-stream  # the PDF of an advies as a File (the generator's binary type)
"""
CASUS = load_casus(next(p for p in CASUSSEN if p.stem == "vj-2020-4"))  # intieme terreur, pakket 2
SCENARIO = {"naam": "intieme-terreur-pakket-3", "beschrijving": "Bij intieme terreur minimaal pakket 3",
            "parameters": {"intieme_terreur.minimum_pakket": 3}}
ROEPT: dict[str, str] = {}  # "METHOD /path" -> the test here that calls it through the generated client


def roept(*operaties: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Mark a test as the one that calls these operations; the `dienst` fixture checks afterwards that each was
    answered with a success status."""

    def markeer(test: Callable[..., None]) -> Callable[..., None]:
        for operatie in operaties:
            assert operatie not in ROEPT, f"{operatie} is already called by {ROEPT[operatie]}"
            ROEPT[operatie] = test.__name__
        test.operaties = operaties  # type: ignore[attr-defined]
        return test

    return markeer


# --- the generated client ---------------------------------------------------------------------------------------


@functools.cache
def _document() -> str:
    return json.dumps(new_app("sqlite://").openapi())


def document() -> dict[str, Any]:
    """The app's OpenAPI document (made once; every call gets its own copy)."""
    schema: dict[str, Any] = json.loads(_document())
    return schema


def operaties(schema: dict[str, Any]) -> dict[str, str]:
    """"METHOD /path" -> operationId of every operation in the document."""
    return {f"{methode.upper()} {pad}": operatie["operationId"]
            for pad, methoden in schema["paths"].items() for methode, operatie in methoden.items()}


class Gegenereerd:
    """The imported client package, its operations by "METHOD /path", and what the generator said."""

    def __init__(self, pakket: ModuleType, functies: dict[str, ModuleType], uitvoer: str) -> None:
        self.pakket = pakket
        self.functies = functies
        self.uitvoer = uitvoer

    def model(self, naam: str) -> Any:
        return getattr(importlib.import_module(f"{PAKKET}.models"), naam)


@pytest.fixture(scope="session")
def gegenereerd(tmp_path_factory: pytest.TempPathFactory) -> Gegenereerd:
    if importlib.util.find_spec("openapi_python_client") is None:
        melding = "generated-client test: openapi-python-client is missing (pip install -e '.[dev]')"
        (pytest.fail if VERPLICHT else pytest.skip)(melding)
    map_ = tmp_path_factory.mktemp("openapi-client")
    schema = document()
    (map_ / "openapi.json").write_text(json.dumps(schema), encoding="utf-8")
    (map_ / "config.yaml").write_text(CONFIG, encoding="utf-8")
    proces = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(map_ / "openapi.json"),
         "--output-path", str(map_ / PAKKET), "--meta", "none", "--config", str(map_ / "config.yaml")],
        capture_output=True, text=True, timeout=300, check=False)
    uitvoer = proces.stdout + proces.stderr
    assert proces.returncode == 0, uitvoer
    sys.path.insert(0, str(map_))
    pakket = importlib.import_module(PAKKET)
    modules = {info.name.rsplit(".", 1)[-1]: importlib.import_module(info.name)
               for info in pkgutil.walk_packages(importlib.import_module(f"{PAKKET}.api").__path__, f"{PAKKET}.api.")
               if not info.ispkg}
    # the generator's module name for an operation: its operationId in snake case
    functies = {operatie: modules[naam] for operatie, operation_id in operaties(schema).items()
                if (naam := re.sub(r"_+", "_", operation_id.lower())) in modules}
    return Gegenereerd(pakket, functies, uitvoer)


def maak_client(pakket: ModuleType, rol: str | None, base_url: str, transport: httpx.BaseTransport) -> Any:
    """The generated AuthenticatedClient with the key of `rol` (None: its Client without a key), failing on any
    status the document does not list."""
    args = {"base_url": base_url, "raise_on_unexpected_status": True, "httpx_args": {"transport": transport}}
    return pakket.Client(**args) if rol is None else pakket.AuthenticatedClient(token=KEYS[rol], **args)


class Dienst:
    """The generated client pointed at the app, one client per role, with a record of what was answered."""

    def __init__(self, gegenereerd: Gegenereerd, client: TestClient) -> None:
        self.gegenereerd = gegenereerd
        self.client = client  # for the few requests the generated client cannot make
        self.transport = client._transport  # the test client's ASGI transport, within its running lifespan
        self.base_url = str(client.base_url)
        self.gelukt: set[str] = set()
        self._clients: dict[str, Any] = {}

    def als(self, rol: str | None) -> Any:
        """An AuthenticatedClient with the key of `rol` (None: a Client without a key)."""
        if rol not in self._clients:
            self._clients[rol] = maak_client(self.gegenereerd.pakket, rol, self.base_url, self.transport)
        return self._clients[rol]

    def roep(self, operatie: str, rol: str | None, **argumenten: Any) -> Any:
        """Call `operatie` ("METHOD /path") through its generated function; the detailed answer."""
        antwoord = self.gegenereerd.functies[operatie].sync_detailed(client=self.als(rol), **argumenten)
        if 200 <= antwoord.status_code < 300:
            self.gelukt.add(operatie)
        return antwoord

    def ontleed(self, operatie: str, rol: str | None, status: int, model: str, **argumenten: Any) -> Any:
        """Call `operatie`, expect `status`, and return the parsed answer after checking it (`volledig`)."""
        antwoord = self.roep(operatie, rol, **argumenten)
        assert antwoord.status_code == status, antwoord.content[:2000]
        return volledig(antwoord, model)


def volledig(antwoord: Any, model: str) -> Any:
    """The parsed answer, after checking that it is a `model`, that it says exactly what the service sent
    (after a round trip through the generated model) and that it holds no field the document leaves out."""
    parsed = antwoord.parsed
    assert type(parsed).__name__ == model, (type(parsed), antwoord.content[:500])
    verzonden = json.loads(antwoord.content)
    assert gelijk(parsed.to_dict(), verzonden), (parsed.to_dict(), verzonden)
    onbeschreven = list(velden_buiten_document(parsed))
    assert not onbeschreven, f"fields the document does not describe: {onbeschreven}"
    return parsed


def gelijk(a: Any, b: Any) -> bool:
    """JSON equality, with ISO times compared as times (the generated models write +00:00 for Z)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(gelijk(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(gelijk(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str) and a != b:
        try:
            return dt.datetime.fromisoformat(a) == dt.datetime.fromisoformat(b)
        except ValueError:
            return False
    return bool(a == b and type(a) is type(b))


def velden_buiten_document(waarde: Any, pad: str = "") -> Iterator[str]:
    """Paths of fields a generated model only holds as `additional_properties` (not described in the document)."""
    if attrs.has(type(waarde)):
        extra = getattr(waarde, "additional_properties", {})
        beschreven = [v.name for v in attrs.fields(type(waarde)) if v.name != "additional_properties"]
        if extra and beschreven:  # a model without described fields is a map (parameters, gevolg): open
            yield from (f"{pad}.{k}" if pad else k for k in extra)
        for naam in beschreven:
            yield from velden_buiten_document(getattr(waarde, naam), f"{pad}.{naam}" if pad else naam)
        for k, v in extra.items():
            yield from velden_buiten_document(v, f"{pad}.{k}" if pad else k)
    elif isinstance(waarde, list):
        for i, v in enumerate(waarde):
            yield from velden_buiten_document(v, f"{pad}[{i}]")


@pytest.fixture
def dienst(gegenereerd: Gegenereerd, client: TestClient, request: pytest.FixtureRequest) -> Iterator[Dienst]:
    """The generated client on empty tables; afterwards, each operation the test is marked with (`roept`) must
    have been answered with a success status."""
    gevonden = Dienst(gegenereerd, client)
    yield gevonden
    niet = [o for o in getattr(request.function, "operaties", ()) if o not in gevonden.gelukt]
    assert not niet, f"never answered with success through the generated client: {niet}"


# --- helpers: a stored advies, a finished replay ------------------------------------------------------------------


def advies(dienst: Dienst, casus: dict[str, Any] = CASUS, rol: str = "indicatiesteller") -> Any:
    body = dienst.gegenereerd.model("Casus").from_dict(casus)
    return dienst.ontleed("POST /v1/advies", rol, 200, "AdviesAntwoord", body=body)


def besluit(dienst: Dienst, opgeslagen: Any) -> Any:
    """A besluit that deviates from the advies on the pakket, with a reason."""
    ander = 3 if opgeslagen.pakket.value != 3 else 2
    body = dienst.gegenereerd.model("BesluitIn").from_dict({
        "route": opgeslagen.route.value, "perceel": opgeslagen.to_dict()["perceel"], "pakket": ander, "maatwerk": [],
        "reden": "Pleger blijft dreigen; zwaarder pakket nodig."})
    return dienst.ontleed("POST /v1/advies/{advies_id}/besluit", "indicatiesteller", 201, "BesluitAntwoord",
                          advies_id=opgeslagen.advies_id, body=body)


def wacht_op(dienst: Dienst, job_id: str, uiterlijk: float = 120) -> Any:
    einde = time.monotonic() + uiterlijk
    while True:
        job = dienst.ontleed("GET /v1/replay/{job_id}", "beleidsmaker", 200, "ReplayJob", job_id=job_id)
        if job.status in ("klaar", "mislukt") or time.monotonic() > einde:
            return job
        time.sleep(0.2)


def replay(dienst: Dienst, verzoek: dict[str, Any]) -> Any:
    body = dienst.gegenereerd.model("ReplayIn").from_dict(verzoek)
    job = dienst.ontleed("POST /v1/replay", "beleidsmaker", 202, "ReplayJob", body=body)
    assert job.scenario == verzoek["scenario"]["naam"] and job.status_url == f"/v1/replay/{job.job_id}"
    klaar = wacht_op(dienst, job.job_id)
    assert klaar.status == "klaar", klaar
    return klaar


# --- the document and the generator --------------------------------------------------------------------------------


def test_every_operation_has_a_call() -> None:
    in_document = set(operaties(document()))
    assert in_document - set(ROEPT) == set(), "operations without a call through the generated client"
    assert set(ROEPT) - in_document == set(), "calls of operations that are no longer in the document"


def test_the_generator_makes_a_function_for_every_operation_without_warnings(gegenereerd: Gegenereerd) -> None:
    assert "Warning" not in gegenereerd.uitvoer, gegenereerd.uitvoer  # a warning: a piece left out of the client
    assert set(gegenereerd.functies) == set(operaties(document()))
    for operatie, functie in gegenereerd.functies.items():
        assert callable(functie.sync_detailed), operatie


def test_every_body_is_documented_as_a_schema_of_the_components() -> None:
    schema = document()
    componenten = schema["components"]["schemas"]
    for operatie in ("POST /v1/advies", "POST /v1/advies/{advies_id}/besluit", "POST /v1/advies/{advies_id}/review",
                     "POST /v1/replay", "POST /v1/scenarios"):
        methode, pad = operatie.split(" ")
        body = schema["paths"][pad][methode.lower()].get("requestBody")
        assert body and body.get("required") is True, f"{operatie} documents no request body"
        ref = body["content"]["application/json"]["schema"]["$ref"]
        assert ref.removeprefix("#/components/schemas/") in componenten, ref
    assert "x-componenten" not in json.dumps(schema)
    replay_in = componenten["ReplayIn"]
    assert replay_in["required"] == ["scenario"]
    assert replay_in["properties"]["scenario"] == {
        "$ref": "#/components/schemas/ScenarioIn", "description": replay_in["properties"]["scenario"]["description"]}
    assert replay_in["properties"]["casussen"]["anyOf"][0]["items"] == {"$ref": "#/components/schemas/Casus"}


# --- every operation, through the generated client --------------------------------------------------------------


@roept("GET /health", "GET /health/ready")
def test_health(dienst: Dienst) -> None:
    assert dienst.ontleed("GET /health", None, 200, "Gezondheid").status == "ok"
    gereed = dienst.ontleed("GET /health/ready", None, 200, "Gereedheid")
    assert (gereed.status, gereed.database) == ("ok", "ok")


@roept("POST /v1/advies", "GET /v1/advies/{advies_id}", "GET /v1/advies/{advies_id}/alternatieven",
       "GET /v1/advies/{advies_id}/pdf", "GET /v1/casussen/{casus_id}/adviezen")
def test_an_advies_given_read_explained_and_printed(dienst: Dienst) -> None:
    gegeven = advies(dienst)
    assert re.fullmatch(r"[0-9a-f]{32}", gegeven.advies_id) and gegeven.casus_id == CASUS["casus_id"]
    assert gegeven.uitleg and gegeven.samenvatting and gegeven.ruleset.naam == "hg-rotterdam"

    gelezen = dienst.ontleed("GET /v1/advies/{advies_id}", "hg_deskundige", 200, "AdviesAntwoord",
                             advies_id=gegeven.advies_id)
    verwacht = gegeven.to_dict()
    verwacht["gevraagd_door"] = gelezen.gevraagd_door  # the role that asks
    assert gelijk(gelezen.to_dict(), verwacht)

    wat_als = dienst.ontleed("GET /v1/advies/{advies_id}/alternatieven", "indicatiesteller", 200,
                             "AlternatievenAntwoord", advies_id=gegeven.advies_id)
    assert wat_als.advies_id == gegeven.advies_id and wat_als.zelfde_regels is True
    assert wat_als.alternatieven and all(a.tekst.endswith(".") and a.gevolg.additional_properties
                                         for a in wat_als.alternatieven)

    pdf = dienst.roep("GET /v1/advies/{advies_id}/pdf", "indicatiesteller", advies_id=gegeven.advies_id)
    assert pdf.status_code == 200 and type(pdf.parsed).__name__ == "File"
    inhoud = pdf.parsed.payload.read()
    assert inhoud.startswith(b"%PDF")
    assert CASUS["casus_id"] in "".join(p.extract_text() for p in PdfReader(io.BytesIO(inhoud)).pages)

    tweede = advies(dienst)
    reeks = dienst.ontleed("GET /v1/casussen/{casus_id}/adviezen", "indicatiesteller", 200, "CasusAdviezen",
                           casus_id=CASUS["casus_id"])
    assert [a.advies_id for a in reeks.adviezen] == [gegeven.advies_id, tweede.advies_id]  # oldest first
    assert reeks.adviezen[1].vorig_advies_id == gegeven.advies_id
    assert reeks.adviezen[1].ten_opzichte_van_vorige.richting.value == "gelijk"


@roept("POST /v1/advies/{advies_id}/besluit", "POST /v1/advies/{advies_id}/review", "GET /v1/statistiek/afwijkingen")
def test_a_besluit_and_a_review_are_recorded_and_counted(dienst: Dienst) -> None:
    gegeven = advies(dienst)
    vastgelegd = besluit(dienst, gegeven)
    assert vastgelegd.advies_id == gegeven.advies_id and vastgelegd.afwijkingen == ["pakket"]

    stap = gegeven.uitleg[0]
    body = dienst.gegenereerd.model("ReviewIn").from_dict({
        "oordeel": "oneens", "toelichting": "Het risico is onderschat.",
        "stappen": [{"regel": stap.regel, "stap": 0, "oordeel": "oneens"}]})
    review = dienst.ontleed("POST /v1/advies/{advies_id}/review", "hg_deskundige", 201, "ReviewAntwoord",
                            advies_id=gegeven.advies_id, body=body)
    assert review.advies_id == gegeven.advies_id and re.fullmatch(r"[0-9a-f]{32}", review.review_id)

    statistiek = dienst.ontleed("GET /v1/statistiek/afwijkingen", "beleidsmaker", 200, "Afwijkingen")
    assert statistiek.besluiten == 1 and statistiek.afwijkend == 1  # minimum_aantal=1 in these tests
    assert any(r.regel == stap.regel and r.reviews_oneens == 1 for r in statistiek.per_regel)


@roept("GET /v1/rulesets", "GET /v1/rulesets/{naam}/parameters")
def test_the_rulesets_and_their_parameters(dienst: Dienst) -> None:
    rulesets = dienst.roep("GET /v1/rulesets", "hg_deskundige")
    assert rulesets.status_code == 200 and [r.naam for r in rulesets.parsed] == ["hg-rotterdam"]
    assert [r.to_dict() for r in rulesets.parsed] == json.loads(rulesets.content)
    versie = rulesets.parsed[0].versies[-1]

    parameters = dienst.ontleed("GET /v1/rulesets/{naam}/parameters", "beleidsmaker", 200, "RulesetParameters",
                                naam="hg-rotterdam", peildatum=dt.date.today())
    assert parameters.naam == "hg-rotterdam" and parameters.hash_ == versie.hash_
    assert parameters.parameters.additional_properties["intieme_terreur.minimum_pakket"]["waarde"] == 2


@roept("POST /v1/replay", "GET /v1/replay/{job_id}", "GET /v1/replay/{job_id}/rapport")
def test_a_replay_over_uploaded_casussen_and_over_the_stored_adviezen(dienst: Dienst) -> None:
    klaar = replay(dienst, {"scenario": SCENARIO, "casussen": [CASUS]})
    assert klaar.totaal == klaar.gedaan == 1
    rapport = dienst.ontleed("GET /v1/replay/{job_id}/rapport", "beleidsmaker", 200,
                             "GetRapportV1ReplayJobIdRapportGetResponse200", job_id=klaar.job_id)
    assert rapport["totaal"] == 1 and rapport["scenario"] == SCENARIO["naam"]
    assert [c["casus_id"] for c in rapport["casussen"]] == [CASUS["casus_id"]]

    besluit(dienst, advies(dienst))
    klaar = replay(dienst, {"scenario": SCENARIO, "bron": "opgeslagen", "periode": {"van": "2026-01-01"}})
    rapport = dienst.ontleed("GET /v1/replay/{job_id}/rapport", "beleidsmaker", 200,
                             "GetRapportV1ReplayJobIdRapportGetResponse200", job_id=klaar.job_id)
    # the besluit gave pakket 3, the advies 2; with the scenario (intieme terreur: at least pakket 3) they agree
    assert rapport["besluiten"] == {"vergeleken": 1, "overeenkomend_voor": 0, "overeenkomend_na": 1}
    assert "casussen" not in rapport  # a replay over the stored adviezen lists no casus


def test_every_documented_replay_example_is_accepted(dienst: Dienst) -> None:
    voorbeelden = document()["paths"]["/v1/replay"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    assert set(voorbeelden) == {"casuistiek", "casussen", "opgeslagen"}
    advies(dienst)  # one stored advies for the replay over the stored adviezen
    for naam, voorbeeld in voorbeelden.items():
        assert voorbeeld["summary"], naam
        replay(dienst, voorbeeld["value"])


def test_the_document_and_the_route_agree_on_unknown_fields(dienst: Dienst) -> None:
    """The route refuses an unknown field by name (a misspelt "casusen" would otherwise replay the library
    instead of the upload), and the document says so: ReplayIn has additionalProperties false, so the generated
    model has no place for one."""
    assert document()["components"]["schemas"]["ReplayIn"].get("additionalProperties") is False
    model = dienst.gegenereerd.model("ReplayIn").from_dict({"scenario": SCENARIO, "casussen": [CASUS], "casusen": []})
    assert "casusen" not in model.to_dict()
    antwoord = dienst.client.post("/v1/replay", json={"scenario": SCENARIO, "casusen": [CASUS]},
                                  headers=auth("beleidsmaker"))
    assert antwoord.status_code == 422 and antwoord.json()["fouten"][0]["veld"] == "casusen"


@roept("POST /v1/scenarios", "GET /v1/scenarios", "GET /v1/scenarios/{naam}")
def test_a_scenario_saved_listed_and_read_back(dienst: Dienst) -> None:
    scenario_in = dienst.gegenereerd.model("ScenarioIn")
    eerste = dienst.ontleed("POST /v1/scenarios", "beleidsmaker", 201, "OpgeslagenScenario",
                            body=scenario_in.from_dict(SCENARIO))
    assert (eerste.naam, eerste.versie, eerste.wie.rol) == (SCENARIO["naam"], 1, "beleidsmaker")
    tweede = dienst.ontleed("POST /v1/scenarios", "beleidsmaker", 201, "OpgeslagenScenario",
                            body=scenario_in.from_dict({**SCENARIO, "beschrijving": "Tweede versie"}))
    assert tweede.versie == 2

    lijst = dienst.ontleed("GET /v1/scenarios", "beleidsmaker", 200, "ScenarioLijst")
    assert [(s.naam, s.versie, s.aantal_versies) for s in lijst.scenarios] == [(SCENARIO["naam"], 2, 2)]
    assert {v.naam for v in lijst.voorbeelden} >= {"intieme-terreur-pakket-3", "ruimere-vrije-trede"}

    nieuwste = dienst.ontleed("GET /v1/scenarios/{naam}", "beleidsmaker", 200, "OpgeslagenScenario",
                              naam=SCENARIO["naam"])
    assert nieuwste.versie == 2 and nieuwste.scenario.beschrijving == "Tweede versie"
    assert [v.versie for v in nieuwste.versies] == [2, 1]
    oud = dienst.ontleed("GET /v1/scenarios/{naam}", "beleidsmaker", 200, "OpgeslagenScenario",
                         naam=SCENARIO["naam"], versie=1)
    assert oud.scenario.beschrijving == SCENARIO["beschrijving"]
    assert oud.scenario.parameters.additional_properties == SCENARIO["parameters"]


@roept("GET /v1/scenarios/voorstellen")
def test_the_deviations_propose_a_scenario(dienst: Dienst) -> None:
    besluit(dienst, advies(dienst))
    voorstellen = dienst.ontleed("GET /v1/scenarios/voorstellen", "beleidsmaker", 200, "VoorstellenAntwoord")
    assert voorstellen.besluiten == 1 and voorstellen.meest_afwijkend == ["pakket"]
    assert voorstellen.doorzocht > 0


@roept("GET /v1/audit", "DELETE /v1/advies/{advies_id}")
def test_the_audit_log_and_deleting_an_advies(dienst: Dienst) -> None:
    gegeven = advies(dienst)
    weg = dienst.roep("DELETE /v1/advies/{advies_id}", "beheerder", advies_id=gegeven.advies_id)
    assert weg.status_code == 204 and weg.parsed is None and weg.content == b""
    niet_meer = dienst.ontleed("GET /v1/advies/{advies_id}", "hg_deskundige", 404, "FoutAntwoord",
                               advies_id=gegeven.advies_id)
    assert [f.veld for f in niet_meer.fouten] == ["advies_id"]

    log = dienst.ontleed("GET /v1/audit", "beheerder", 200, "AuditAntwoord", advies_id=gegeven.advies_id)
    acties = [r.actie for r in log.regels]  # newest first
    assert acties[:2] == ["advies_gelezen", "advies_verwijderd"] and acties[-1] == "advies_gemaakt"
    assert all(r.advies_id == gegeven.advies_id for r in log.regels)


def test_a_status_the_document_does_not_list_fails_the_call(gegenereerd: Gegenereerd) -> None:
    """The guard the other tests rely on: a status the document does not list raises, it is not passed on."""
    errors = importlib.import_module(f"{PAKKET}.errors")
    teapot = httpx.MockTransport(lambda _: httpx.Response(418))
    client = maak_client(gegenereerd.pakket, None, "http://testserver", teapot)
    with pytest.raises(errors.UnexpectedStatus):
        gegenereerd.functies["GET /health"].sync_detailed(client=client)
