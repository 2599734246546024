"""POST /v1/replay, GET /v1/replay/{job_id}[/rapport]: a beleidsmaker's scenario run as a background job."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.auth import key_id
from api.models import ReplayJobRecord, nu
from engine.casus import parse_casus
from engine.replay import ReplayTelling, replay_casus, scenario_rulesets
from engine.scenario import lees_scenario
from rules import standaard_engine
from tests.api.helpers import CASUSSEN, KEYS, auth, casus, count, db, fouten, load_casus, velden

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_PAD = ROOT / "scenarios" / "ruimere-vrije-trede.yaml"
SCENARIO: dict[str, Any] = yaml.safe_load(SCENARIO_PAD.read_text(encoding="utf-8"))


def wacht_op(client: TestClient, job_id: str, principal: str = "beleidsmaker", uiterlijk: float = 90) -> dict[str, Any]:
    einde = time.monotonic() + uiterlijk
    while True:
        status: dict[str, Any] = client.get(f"/v1/replay/{job_id}", headers=auth(principal)).json()
        if status["status"] in ("klaar", "mislukt") or time.monotonic() > einde:
            return status
        time.sleep(0.2)


def verwacht_rapport(casussen: list[dict[str, Any]]) -> dict[str, Any]:
    engine = standaard_engine()
    scenario = lees_scenario(SCENARIO_PAD, engine)
    telling = ReplayTelling()
    for data in casussen:
        parsed = parse_casus(data)
        telling.voeg_toe(*replay_casus(parsed, *scenario_rulesets(engine, scenario, parsed.peildatum)))
    return telling.rapport(scenario)


def test_replay_over_the_casuistiek_runs_in_the_background_and_reports(client: TestClient) -> None:
    response = client.post("/v1/replay", json={"scenario": SCENARIO}, headers=auth("beleidsmaker"))
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] in ("wachtend", "bezig", "klaar") and job["totaal"] == len(CASUSSEN)
    assert job["scenario"] == "ruimere-vrije-trede" and job["rapport_url"].endswith("/rapport")
    status = wacht_op(client, job["job_id"])
    assert status["status"] == "klaar", status
    assert status["gedaan"] == status["totaal"] == len(CASUSSEN)
    rapport = client.get(job["rapport_url"], headers=auth("beleidsmaker"))
    assert rapport.status_code == 200, rapport.text
    body = rapport.json()
    assert set(body) >= {"scenario", "totaal", "gewijzigd", "verdeling", "uren_per_week", "casussen"}
    assert body == verwacht_rapport([load_casus(p) for p in CASUSSEN])
    assert 0 < body["gewijzigd"] < body["totaal"]
    pagina = client.get(job["rapport_url"], params={"format": "html"}, headers=auth("beleidsmaker"))
    assert pagina.status_code == 200 and pagina.headers["content-type"].startswith("text/html")
    assert "ruimere-vrije-trede" in pagina.text and "<svg" in pagina.text
    # the beheerder sees every job; nobody else sees it at all
    assert client.get(f"/v1/replay/{job['job_id']}", headers=auth("beheerder")).status_code == 200


def test_replay_over_uploaded_casussen(client: TestClient) -> None:
    casussen = [casus(casus_id="UP-1"), *(load_casus(p) for p in CASUSSEN[:3])]
    response = client.post("/v1/replay", json={"scenario": SCENARIO, "casussen": casussen},
                           headers=auth("beheerder"))
    assert response.status_code == 202, response.text
    status = wacht_op(client, response.json()["job_id"], "beheerder")
    assert status["status"] == "klaar" and status["totaal"] == 4
    body = client.get(status["rapport_url"], headers=auth("beheerder")).json()
    assert body == verwacht_rapport(casussen)


@pytest.mark.parametrize("principal", ["indicatiesteller", "hg_deskundige"])
def test_only_beleidsmakers_replay(client: TestClient, app: FastAPI, principal: str) -> None:
    assert velden(client.post("/v1/replay", json={"scenario": SCENARIO}, headers=auth(principal)), 403)
    assert velden(client.post("/v1/replay", json={"scenario": SCENARIO}), 401)
    assert count(app, "replay_job") == 0


def test_refusals_name_the_field_and_store_nothing(client: TestClient, app: FastAPI) -> None:
    onbekend = {**SCENARIO, "parameters": {"vrije_trede.bestaat_niet": 2}}
    assert velden(client.post("/v1/replay", json={"scenario": onbekend}, headers=auth("beleidsmaker"))) == [
        "scenario.parameters.vrije_trede.bestaat_niet"]
    regel = {**SCENARIO, "regels_uit": ["bestaat.niet"]}
    assert velden(client.post("/v1/replay", json={"scenario": regel}, headers=auth("beleidsmaker"))) == [
        "scenario.regels_uit[0]"]
    slecht = casus(casus_id="SLECHT")
    slecht["leden"][0]["leeftijd"] = "oud"
    gevonden = velden(client.post("/v1/replay", json={"scenario": SCENARIO, "casussen": [casus(), slecht]},
                                  headers=auth("beleidsmaker")))
    assert gevonden == ["casussen[1].leden[0].leeftijd"]
    naam = casus()
    naam["leden"][0]["naam"] = "Fatima"  # direct identifiers are refused here as everywhere
    assert velden(client.post("/v1/replay", json={"scenario": SCENARIO, "casussen": [naam]},
                              headers=auth("beleidsmaker")))[0].startswith("casussen[0].leden[0]")
    assert velden(client.post("/v1/replay", json={"scenario": SCENARIO, "casussen": []},
                              headers=auth("beleidsmaker"))) == ["casussen"]
    # a misspelt field is refused by name: it would otherwise replay the project's library instead of the upload
    assert fouten(client.post("/v1/replay", json={"scenario": SCENARIO, "casusen": [casus()]},
                              headers=auth("beleidsmaker"))) == [
        {"veld": "casusen",
         "melding": "onbekend veld; niet toegestaan (controleer de spelling; bedoelt u 'casussen'?)"}]
    for body in (b"{", b"[]", b'{"casussen": []}'):
        response = client.post("/v1/replay", content=body, headers={**auth("beleidsmaker"),
                                                                     "Content-Type": "application/json"})
        assert fouten(response, 422)
    assert count(app, "replay_job") == 0


def test_unknown_and_foreign_jobs_are_not_found(client: TestClient, app: FastAPI) -> None:
    job = ReplayJobRecord(key_id="someone-else", scenario="x", status="klaar", totaal=1, gedaan=1, rapport={})
    with db(app).begin() as conn:
        conn.execute(ReplayJobRecord.__table__.insert(), [job.model_dump()])  # type: ignore[attr-defined]
    for job_id in (job.id, "0" * 32, "niet-een-id"):
        assert velden(client.get(f"/v1/replay/{job_id}", headers=auth("beleidsmaker")), 404) == ["job_id"]
    assert client.get(f"/v1/replay/{job.id}", headers=auth("beheerder")).status_code == 200


def test_a_report_before_the_job_is_done_is_409_and_a_silent_job_is_failed(client: TestClient, app: FastAPI) -> None:
    eigen = key_id(KEYS["beleidsmaker"])
    bezig = ReplayJobRecord(key_id=eigen, scenario="x", status="bezig", totaal=10, gedaan=3)
    stil = ReplayJobRecord(key_id=eigen, scenario="x", status="bezig", totaal=10, gedaan=3,
                           bijgewerkt=nu() - dt.timedelta(minutes=10))
    with db(app).begin() as conn:
        conn.execute(ReplayJobRecord.__table__.insert(),  # type: ignore[attr-defined]
                     [bezig.model_dump(), stil.model_dump()])
    assert velden(client.get(f"/v1/replay/{bezig.id}/rapport", headers=auth("beleidsmaker")), 409) == ["job_id"]
    status = client.get(f"/v1/replay/{stil.id}", headers=auth("beleidsmaker")).json()
    assert status["status"] == "mislukt" and "herstart" in status["fout"]
    with db(app).connect() as conn:
        assert conn.execute(text("SELECT status FROM replay_job WHERE id = :id"), {"id": stil.id}).scalar() == "mislukt"


def test_stopping_the_server_stops_a_running_replay(databases: Any, start_app: Any) -> None:
    """Otherwise the server process could not exit before the job had finished (minutes for a large set)."""
    grote_set = [{**casus(), "casus_id": f"GROOT-{i}"} for i in range(20_000)]
    with start_app(databases.new()) as client:
        response = client.post("/v1/replay", json={"scenario": SCENARIO, "casussen": grote_set},
                               headers=auth("beleidsmaker"))
        assert response.status_code == 202, response.text
        einde = time.monotonic() + 60
        while client.get(response.json()["status_url"], headers=auth("beleidsmaker")).json()["status"] != "bezig":
            assert time.monotonic() < einde, "the job never started"
            time.sleep(0.1)
        uitvoerder = client.app.state.replay  # type: ignore[attr-defined]
    assert uitvoerder.gestopt, "the job ran in a process of its own, stopped with the server"
    for proces in uitvoerder.gestopt:
        proces.join(timeout=10)
        assert not proces.is_alive(), "the replay process outlived the server"


def test_a_scenario_text_with_personal_data_is_refused_before_a_job(client: TestClient, app: FastAPI) -> None:
    """attacks-2026-12.log, privacy-text: scenario beschrijving/vraag/bron with a name, BSN, address, e-mail."""
    scenario = {**SCENARIO, "beschrijving": "Besproken met mevrouw Jansen (BSN 123456782)",
                "vraag": "Mail j.jansen@example.nl, Coolsingel 40"}
    response = client.post("/v1/replay", json={"scenario": scenario}, headers=auth("beleidsmaker"))
    assert response.status_code == 422, response.text
    assert {f["veld"] for f in response.json()["fouten"]} == {"scenario.beschrijving", "scenario.vraag"}
    assert "Jansen" not in response.text and "123456782" not in response.text
    assert count(app, "replay_job") == 0


def test_a_key_has_at_most_three_open_replays(client: TestClient, app: FastAPI) -> None:
    """attacks-2026-12.log: no cap on queued replays. A fourth open job of one key gets 429 with Retry-After;
    a job whose runner is gone (silent too long) no longer counts."""
    eigen = key_id(KEYS["beleidsmaker"])
    wachtend = [ReplayJobRecord(key_id=eigen, scenario="x", status="wachtend", totaal=1) for _ in range(3)]
    with db(app).begin() as conn:
        conn.execute(ReplayJobRecord.__table__.insert(), [j.model_dump() for j in wachtend])  # type: ignore[attr-defined]
    response = client.post("/v1/replay", json={"scenario": SCENARIO}, headers=auth("beleidsmaker"))
    assert response.status_code == 429 and response.headers["retry-after"] == "30"
    assert response.json()["fouten"][0]["veld"] == "(verzoek)"
    with db(app).begin() as conn:
        conn.execute(text("UPDATE replay_job SET bijgewerkt = :oud"), {"oud": nu() - dt.timedelta(hours=7)})
    assert client.post("/v1/replay", json={"scenario": SCENARIO}, headers=auth("beleidsmaker")).status_code == 202


def test_at_start_up_the_replays_of_the_previous_run_are_failed(client: TestClient, app: FastAPI) -> None:
    """attacks-2026-12.log, fault-replay: queued replays stayed 'wachtend' for hours after a restart."""
    from api.replay_jobs import HERSTART, na_herstart

    eigen = key_id(KEYS["beleidsmaker"])
    jobs = [ReplayJobRecord(key_id=eigen, scenario="x", status=s, totaal=1) for s in ("wachtend", "bezig", "klaar")]
    with db(app).begin() as conn:
        conn.execute(ReplayJobRecord.__table__.insert(), [j.model_dump() for j in jobs])  # type: ignore[attr-defined]
    assert na_herstart(db(app)) == 2
    for job, verwacht in zip(jobs, ("mislukt", "mislukt", "klaar"), strict=True):
        status = client.get(f"/v1/replay/{job.id}", headers=auth("beleidsmaker")).json()
        assert status["status"] == verwacht
        if verwacht == "mislukt":
            assert status["fout"] == HERSTART
