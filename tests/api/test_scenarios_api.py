"""Saved scenarios over HTTP: POST /v1/scenarios (versions), GET /v1/scenarios, GET /v1/scenarios/{naam}; roles,
errors by place, versions under concurrency, audit lines. On SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import literal

import api.routes.scenarios as scenarios_route
from api.auth import Principal, key_id
from engine.scenario import lees_scenario, scenario_uit
from rules import standaard_engine
from tests.api.helpers import KEYS, auth, count, fouten, rows, velden

ROOT = Path(__file__).resolve().parents[2]
VOORBEELDEN = sorted((ROOT / "scenarios").glob("*.yaml"))
GGZ = {"id": "scenario.ggz_zwaarder", "wanneer": {"signalen": {"bevat": "ggz"},
                                                  "veiligheid.niveau": {"in": ["midden", "hoog"]}},
       "dan": {"minimum_pakket": 3}, "tekst": "Bij ggz-problematiek en een verhoogd veiligheidsrisico minimaal "
       "pakket 3.", "bron": "003 §3.4"}


def _scenario(**changes: Any) -> dict[str, Any]:
    return {"naam": "langer-traject", "beschrijving": "  Langer traject  ", "vraag": "Wat als het traject 18 "
            "maanden duurt?", "bron": "001 §3.1", "parameters": {"duur.richtlijn_maanden": 18}, **changes}


def _audit_tot_nu(app: FastAPI) -> int:
    """The id of the newest audit line: the log is append-only, so the tests read what came after."""
    return max((r["id"] for r in rows(app, "audit")), default=0)


def _audit_na(app: FastAPI, vanaf: int) -> list[dict[str, Any]]:
    return [r for r in rows(app, "audit") if r["id"] > vanaf]


def _bewaar(client: TestClient, data: Any, principal: str = "beleidsmaker") -> dict[str, Any]:
    response = client.post("/v1/scenarios", json=data, headers=auth(principal))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


# --- saving and reading ----------------------------------------------------------------------------------------


def test_a_name_saved_again_is_a_new_version_and_the_old_one_stays(client: TestClient) -> None:
    eerste = _bewaar(client, _scenario())
    assert eerste["naam"] == "langer-traject" and eerste["versie"] == 1
    assert eerste["wie"] == {"key_id": key_id(KEYS["beleidsmaker"]), "rol": "beleidsmaker"}
    assert eerste["wanneer"].endswith("Z")
    # stored as validated: texts trimmed, in the contract's format, nothing added
    assert eerste["scenario"] == {"naam": "langer-traject", "beschrijving": "Langer traject",
                                  "vraag": "Wat als het traject 18 maanden duurt?", "bron": "001 §3.1",
                                  "parameters": {"duur.richtlijn_maanden": 18}, "regels_uit": []}
    assert [v["versie"] for v in eerste["versies"]] == [1]

    tweede = _bewaar(client, _scenario(parameters={"duur.richtlijn_maanden": 24}, regels_uit=["pakket.vrije_trede",
                                                                                               "pakket.vrije_trede"]),
                     "beheerder")
    assert tweede["versie"] == 2 and tweede["wie"]["rol"] == "beheerder"
    assert tweede["scenario"]["regels_uit"] == ["pakket.vrije_trede"]  # once
    assert [v["versie"] for v in tweede["versies"]] == [2, 1]

    nieuwste = client.get("/v1/scenarios/langer-traject", headers=auth("beleidsmaker"))
    assert nieuwste.status_code == 200
    assert nieuwste.json()["versie"] == 2
    assert nieuwste.json()["scenario"]["parameters"] == {"duur.richtlijn_maanden": 24}
    oud = client.get("/v1/scenarios/langer-traject", params={"versie": 1}, headers=auth("beleidsmaker")).json()
    assert oud["versie"] == 1 and oud["scenario"] == eerste["scenario"] and oud["wie"]["rol"] == "beleidsmaker"
    assert [v["versie"] for v in oud["versies"]] == [2, 1]

    _bewaar(client, {"naam": "ander"})
    assert _bewaar(client, {"scenario": {"naam": "ander"}})["versie"] == 2  # wrapped as POST /v1/replay takes it
    assert _bewaar(client, _scenario())["versie"] == 3  # each name counts its own versions


def test_the_list_has_each_saved_name_once_and_the_shipped_examples_apart(client: TestClient) -> None:
    leeg = client.get("/v1/scenarios", headers=auth("beleidsmaker"))
    assert leeg.status_code == 200
    assert leeg.json()["scenarios"] == []
    voorbeelden = leeg.json()["voorbeelden"]
    assert [v["naam"] for v in voorbeelden] == [p.stem for p in VOORBEELDEN] and len(voorbeelden) >= 8
    assert all(v["voorbeeld"] is True and v["bestand"] == f"scenarios/{v['naam']}.yaml" for v in voorbeelden)
    assert all(v["scenario"]["naam"] for v in voorbeelden)

    _bewaar(client, _scenario())
    _bewaar(client, _scenario(beschrijving="Tweede versie"))
    _bewaar(client, {"naam": "ander", "vraag": "Een vraag"})
    lijst = client.get("/v1/scenarios", headers=auth("beleidsmaker")).json()["scenarios"]
    assert [(s["naam"], s["versie"], s["aantal_versies"]) for s in lijst] == [("ander", 1, 1),
                                                                              ("langer-traject", 2, 2)]
    assert lijst[1]["beschrijving"] == "Tweede versie" and lijst[0]["vraag"] == "Een vraag" and lijst[0]["bron"] == ""


def test_added_rules_are_stored_as_validated_and_the_yaml_reads_back(client: TestClient, tmp_path: Path) -> None:
    opgeslagen = _bewaar(client, _scenario(regels_bij=[{**GGZ, "dan": {"onderdeel_bij": "specialistische_"
                                                                       "individuele_hulp", "minimum_pakket": 3}}]))
    regel = opgeslagen["scenario"]["regels_bij"][0]
    assert regel["dan"] == {"minimum_pakket": 3, "onderdeel_bij": ["specialistische_individuele_hulp"]}
    assert regel["wanneer"] == GGZ["wanneer"] and regel["id"] == GGZ["id"]

    bestand = tmp_path / "s.yaml"
    bestand.write_text(scenarios_route.als_yaml(opgeslagen["scenario"]), encoding="utf-8")
    terug = lees_scenario(bestand, standaard_engine())  # as hg-advies replay --scenario reads it
    assert terug == scenario_uit(opgeslagen["scenario"], standaard_engine())
    assert terug.naam == "langer-traject" and terug.parameters == {"duur.richtlijn_maanden": 18}
    assert [r.id for r in terug.regels_bij] == ["scenario.ggz_zwaarder"]


# --- errors ------------------------------------------------------------------------------------------------------


def test_unknown_name_or_version_is_404_in_dutch(client: TestClient) -> None:
    onbekend = fouten(client.get("/v1/scenarios/bestaat-niet", headers=auth("beleidsmaker")), 404)
    assert onbekend == [{"veld": "naam", "melding": "er is geen opgeslagen scenario met de naam 'bestaat-niet'"}]
    _bewaar(client, _scenario())
    assert fouten(client.get("/v1/scenarios/langer-traject?versie=2", headers=auth("beleidsmaker")), 404) == [
        {"veld": "versie", "melding": "het scenario 'langer-traject' heeft alleen versie 1"}]
    _bewaar(client, _scenario())
    assert fouten(client.get("/v1/scenarios/langer-traject?versie=7", headers=auth("beleidsmaker")), 404) == [
        {"veld": "versie", "melding": "het scenario 'langer-traject' heeft geen versie 7; de versies zijn 1 tot en "
                                      "met 2"}]
    assert velden(client.get("/v1/scenarios/langer-traject?versie=0", headers=auth("beleidsmaker"))) == ["versie"]
    assert velden(client.get("/v1/scenarios/langer-traject?versie=twee", headers=auth("beleidsmaker"))) == ["versie"]
    assert fouten(client.get("/v1/scenarios/langer-traject?versie=353262690864", headers=auth("beleidsmaker")),
                  404)[0]["veld"] == "versie"  # beyond the INTEGER column: no version, not a database error
    # not a name a scenario can have: not echoed, and the audit line does not store it (PostgreSQL refuses a NUL)
    for naam in ("met%20spatie", "a%00b"):
        assert fouten(client.get(f"/v1/scenarios/{naam}", headers=auth("beleidsmaker")), 404) == [
            {"veld": "naam", "melding": "er is geen opgeslagen scenario met deze naam"}]


def test_an_unknown_query_parameter_is_refused_by_name(client: TestClient) -> None:
    """A misspelt `versie` (or any other parameter) is refused, not answered with the newest version."""
    _bewaar(client, _scenario())
    assert fouten(client.get("/v1/scenarios/langer-traject?verssie=1", headers=auth("beleidsmaker")), 422) == [
        {"veld": "verssie", "melding": "onbekende parameter (toegestaan: versie)"}]
    assert fouten(client.get("/v1/scenarios?naam=x", headers=auth("beleidsmaker")), 422) == [
        {"veld": "naam", "melding": "onbekende parameter: dit verzoek heeft geen parameters"}]
    assert client.get("/v1/scenarios/langer-traject?versie=1", headers=auth("beleidsmaker")).status_code == 200


@pytest.mark.parametrize("principal", ["indicatiesteller", "indicatiesteller_2", "hg_deskundige"])
def test_other_roles_are_refused(client: TestClient, principal: str) -> None:
    _bewaar(client, _scenario())
    for response in (client.post("/v1/scenarios", json=_scenario(), headers=auth(principal)),
                     client.get("/v1/scenarios", headers=auth(principal)),
                     client.get("/v1/scenarios/langer-traject", headers=auth(principal))):
        assert fouten(response, 403) == [{"veld": "Authorization", "melding": f"de rol '{principal.removesuffix('_2')}'"
                                                                              " mag dit niet"}]
    assert count(client.app, "scenario") == 1  # type: ignore[attr-defined]


def test_without_a_key_401(client: TestClient) -> None:
    assert fouten(client.post("/v1/scenarios", json=_scenario()), 401)[0]["veld"] == "Authorization"
    assert fouten(client.get("/v1/scenarios"), 401)[0]["veld"] == "Authorization"


@pytest.mark.parametrize(("data", "veld", "woord"), [
    ({"beschrijving": "geen naam"}, "naam", "verplicht"),
    (_scenario(naam="met spatie"), "naam", "ongeldige naam"),
    (_scenario(naam="voorstellen"), "naam", "gereserveerd"),  # GET /v1/scenarios/voorstellen is the proposals
    (_scenario(parameters={"duur.richtlijn_maanden": "lang"}), "parameters.duur.richtlijn_maanden", "geheel getal"),
    (_scenario(parameters={"duur.richtlijn": 3}), "parameters.duur.richtlijn", "onbekend parameterpad"),
    (_scenario(regels_uit=["pakket.bestaat_niet"]), "regels_uit[0]", "onbekende regel"),
    (_scenario(beschrijving="Voor mevrouw Jansen"), "beschrijving", "persoonsgegevens"),
    (_scenario(onbekend=1), "onbekend", "onbekend veld"),
    (_scenario(regels_bij=[{**GGZ, "wanneer": {"signalen": {"bevat": "gzg"}}}]), "regels_bij[0].wanneer.signalen",
     "ongeldige waarde"),
    (_scenario(regels_bij=[{**GGZ, "dan": {"minimum_pakket": 4}}]), "regels_bij[0].dan.minimum_pakket", "1, 2 of 3"),
    (_scenario(regels_bij=[{**GGZ, "id": "ggz"}]), "regels_bij[0].id", "scenario."),
    ({"scenario": {"naam": "x", "parameters": {"duur.richtlijn_maanden": 0}}}, "scenario.parameters.duur."
     "richtlijn_maanden", "1 tot en met 120"),
    ([1, 2], "(scenario)", "object"),
])
def test_an_invalid_scenario_is_refused_naming_its_place_and_nothing_is_stored(
        client: TestClient, app: FastAPI, data: Any, veld: str, woord: str) -> None:
    vanaf = _audit_tot_nu(app)
    gevonden = fouten(client.post("/v1/scenarios", json=data, headers=auth("beleidsmaker")))
    assert veld in [f["veld"] for f in gevonden], gevonden
    assert woord in next(f["melding"] for f in gevonden if f["veld"] == veld)
    assert count(client.app, "scenario") == 0  # type: ignore[attr-defined]
    assert not [r for r in _audit_na(app, vanaf) if r["actie"] == "scenario_opgeslagen"]


def test_a_body_that_is_not_json_is_refused(client: TestClient) -> None:
    response = client.post("/v1/scenarios", content=b"naam: x", headers={**auth("beleidsmaker"),
                                                                          "Content-Type": "application/json"})
    assert fouten(response) == [{"veld": "(verzoek)", "melding": "geen geldige JSON: verwacht een scenario (een "
                                                                 "JSON-object)"}]


# --- concurrency -----------------------------------------------------------------------------------------------


def test_concurrent_saves_of_one_name_get_distinct_versions(client: TestClient, app: FastAPI) -> None:
    vanaf = _audit_tot_nu(app)
    wie = Principal(key_id(KEYS["beleidsmaker"]), "beleidsmaker")
    inhoud = scenarios_route.valideer_scenario(_scenario())[1]
    start = threading.Barrier(8)
    versies: list[int] = []
    mislukt: list[BaseException] = []

    def sla_op() -> None:
        try:
            start.wait()
            versies.append(scenarios_route.bewaar(app.state.db, wie, inhoud).versie)
        except BaseException as exc:  # noqa: BLE001  (reported below, with the thread's error)
            mislukt.append(exc)

    draden = [threading.Thread(target=sla_op) for _ in range(8)]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join(timeout=60)
    assert not mislukt, mislukt
    assert sorted(versies) == list(range(1, 9))
    assert sorted(r["versie"] for r in rows(app, "scenario")) == list(range(1, 9))
    assert len([r for r in _audit_na(app, vanaf) if r["actie"] == "scenario_opgeslagen"]) == 8  # one per version


def test_a_save_that_loses_the_race_is_tried_again_with_the_next_number(
        client: TestClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    vanaf = _audit_tot_nu(app)
    _bewaar(client, _scenario())
    echt = scenarios_route._volgende_versie
    pogingen: list[str] = []

    def verouderd(naam: str) -> Any:  # the first attempt computed its number before the other save committed
        pogingen.append(naam)
        return literal(1) if len(pogingen) == 1 else echt(naam)

    monkeypatch.setattr(scenarios_route, "_volgende_versie", verouderd)
    assert _bewaar(client, _scenario())["versie"] == 2
    assert len(pogingen) == 2
    assert [r["versie"] for r in rows(app, "scenario")] == [1, 2]
    # the rolled-back attempt left no audit line behind
    assert [r["object_id"] for r in _audit_na(app, vanaf) if r["actie"] == "scenario_opgeslagen"] == [
        "langer-traject/v1", "langer-traject/v2"]

    monkeypatch.setattr(scenarios_route, "_volgende_versie", lambda naam: literal(1))  # never wins
    gevonden = client.post("/v1/scenarios", json=_scenario(), headers=auth("beleidsmaker"))
    assert fouten(gevonden, 503)[0]["veld"] == "naam" and gevonden.headers["Retry-After"] == "1"
    assert count(app, "scenario") == 2


# --- audit -------------------------------------------------------------------------------------------------------


def test_every_save_and_read_is_in_the_audit_log(client: TestClient, app: FastAPI) -> None:
    vanaf = _audit_tot_nu(app)
    _bewaar(client, _scenario())
    client.get("/v1/scenarios", headers=auth("beleidsmaker"))
    client.get("/v1/scenarios/langer-traject?versie=1", headers=auth("beheerder"))
    client.get("/v1/scenarios/bestaat-niet", headers=auth("beleidsmaker"))
    nieuw = _audit_na(app, vanaf)
    regels = [(r["actie"], r["rol"], r["object_id"], r["status"]) for r in nieuw]
    assert regels == [("scenario_opgeslagen", "beleidsmaker", "langer-traject/v1", 201),
                      ("scenarios_gelezen", "beleidsmaker", None, 200),
                      ("scenario_gelezen", "beheerder", "langer-traject/v1", 200),
                      ("scenario_gelezen", "beleidsmaker", "bestaat-niet", 404)]
    assert all(r["key_id"] and r["request_id"] for r in nieuw)
    lijst = client.get("/v1/audit", params={"actie": "scenario_opgeslagen"}, headers=auth("beheerder"))
    assert lijst.status_code == 200 and lijst.json()["regels"][0]["object_id"] == "langer-traject/v1"


def test_the_audit_record_of_a_long_name_keeps_its_version() -> None:
    assert scenarios_route.object_id("a" * 64, 12) == "a" * 60 + "/v12"
    assert scenarios_route.object_id("kort", 3) == "kort/v3"


def test_the_openapi_document_names_the_request_body(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/v1/scenarios"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ScenarioIn"}
    onderdelen = schema["components"]["schemas"]
    assert {"naam", "parameters", "regels_uit", "regels_bij"} <= set(onderdelen["ScenarioIn"]["properties"])
    assert "RegelBij" in onderdelen and "201" in schema["paths"]["/v1/scenarios"]["post"]["responses"]
