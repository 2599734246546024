"""The audit log (issue 11, contract "Audit and retention"): every read or change of an individual advies on the
API and the pages, every replay and deletion, append-only, never casus content; GET /v1/audit for the
beheerder; DELETE /v1/advies/{id}; retention (hg-advies opschonen)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.auth import key_id
from api.bewaren import opschonen
from tests.api.helpers import KEYS, auth, besluit_zoals, count, db, fouten, post_advies
from tests.web.conftest import aanmelden, csrf


def lines(app: FastAPI, advies_id: str | None = None, actie: str | None = None) -> list[dict[str, Any]]:
    query, params = "SELECT * FROM audit WHERE 1=1", {}
    if advies_id:
        query, params = query + " AND advies_id = :a", {**params, "a": advies_id}
    if actie:
        query, params = query + " AND actie = :b", {**params, "b": actie}
    with db(app).connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(query + " ORDER BY id"), params)]


def test_a_new_advies_and_each_read_are_logged_with_who_and_never_content(client: TestClient, app: FastAPI) -> None:
    advies = post_advies(client)
    advies_id = advies["advies_id"]
    assert client.get(f"/v1/advies/{advies_id}", headers=auth("hg_deskundige")).status_code == 200
    assert client.get(f"/v1/advies/{advies_id}/alternatieven", headers=auth("indicatiesteller")).status_code == 200
    found = lines(app, advies_id)
    assert [(r["actie"], r["rol"], r["status"]) for r in found] == [
        ("advies_gemaakt", "indicatiesteller", 200), ("advies_gelezen", "hg_deskundige", 200),
        ("alternatieven_gelezen", "indicatiesteller", 200)]
    assert found[0]["key_id"] == key_id(KEYS["indicatiesteller"])
    assert found[1]["key_id"] == key_id(KEYS["hg_deskundige"])
    assert all(r["adres"] == "testclient" and r["tijd"] is not None for r in found)
    tekst = orjson.dumps(found, default=str).decode()
    for waarde in (advies["casus_id"], KEYS["indicatiesteller"], "intieme_terreur", advies["route"] + '"'):
        assert waarde not in tekst


def test_a_refused_read_is_logged_too(client: TestClient, app: FastAPI) -> None:
    advies_id = post_advies(client)["advies_id"]
    anders = client.get(f"/v1/advies/{advies_id}", headers=auth("indicatiesteller_2"))
    onbekend = client.get(f"/v1/advies/{'1' * 32}", headers=auth("indicatiesteller_2"))
    assert anders.status_code == onbekend.status_code == 404  # no existence oracle (attacks-2026-12.log, idor)
    melding = anders.json()["fouten"][0]["melding"].replace(advies_id, "x")
    assert melding == onbekend.json()["fouten"][0]["melding"].replace("1" * 32, "x")
    assert client.get(f"/v1/advies/{'0' * 32}", headers=auth("hg_deskundige")).status_code == 404
    (geweigerd,) = lines(app, advies_id, "advies_gelezen")
    assert geweigerd["status"] == 403 and geweigerd["key_id"] == key_id(KEYS["indicatiesteller_2"])
    assert lines(app, "0" * 32)[0]["status"] == 404


def test_besluit_review_replay_and_deletion_are_logged(client: TestClient, app: FastAPI) -> None:
    advies = post_advies(client)
    advies_id = advies["advies_id"]
    besluit = client.post(f"/v1/advies/{advies_id}/besluit", json=besluit_zoals(advies),
                          headers=auth("indicatiesteller"))
    assert besluit.status_code == 201
    review = client.post(f"/v1/advies/{advies_id}/review", json={"oordeel": "eens", "stappen": []},
                         headers=auth("hg_deskundige"))
    assert review.status_code == 201, review.text
    assert client.delete(f"/v1/advies/{advies_id}", headers=auth("beheerder")).status_code == 204
    acties = [(r["actie"], r["object_id"]) for r in lines(app, advies_id)]
    assert acties == [("advies_gemaakt", None), ("besluit_vastgelegd", besluit.json()["besluit_id"]),
                      ("review_vastgelegd", review.json()["review_id"]), ("advies_verwijderd", None)]


def test_a_failed_besluit_writes_no_line(client: TestClient, app: FastAPI) -> None:
    advies = post_advies(client)
    refused = client.post(f"/v1/advies/{advies['advies_id']}/besluit", json=besluit_zoals(advies, pakket=1),
                          headers=auth("indicatiesteller"))  # deviates without a reason: 422, nothing stored
    assert refused.status_code == 422
    assert [r["actie"] for r in lines(app, advies["advies_id"])] == ["advies_gemaakt"]


def test_the_log_is_append_only(client: TestClient, app: FastAPI) -> None:
    advies_id = post_advies(client)["advies_id"]
    for statement in ("UPDATE audit SET rol = 'beheerder' WHERE advies_id = :a",
                      "DELETE FROM audit WHERE advies_id = :a"):
        with pytest.raises(DBAPIError, match="alleen aan te vullen"), db(app).begin() as conn:
            conn.execute(text(statement), {"a": advies_id})
    assert len(lines(app, advies_id)) == 1


def test_get_audit_is_for_the_beheerder_with_filters(client: TestClient, app: FastAPI) -> None:
    eerste = post_advies(client)["advies_id"]
    tweede = post_advies(client, principal="indicatiesteller_2")["advies_id"]
    for rol in ("indicatiesteller", "hg_deskundige", "beleidsmaker"):
        assert client.get("/v1/audit", headers=auth(rol)).status_code == 403
    assert client.get("/v1/audit").status_code == 401
    per_advies = client.get("/v1/audit", params={"advies_id": eerste}, headers=auth("beheerder")).json()["regels"]
    assert [r["advies_id"] for r in per_advies] == [eerste]
    per_sleutel = client.get("/v1/audit", params={"key_id": key_id(KEYS["indicatiesteller_2"])},
                             headers=auth("beheerder")).json()["regels"]
    gezien = {r["advies_id"] for r in per_sleutel}  # the log is never emptied: earlier tests' lines are there too
    assert tweede in gezien and eerste not in gezien
    vandaag = dt.datetime.now(dt.UTC).date()
    morgen = (vandaag + dt.timedelta(days=1)).isoformat()
    assert client.get("/v1/audit", params={"van": morgen}, headers=auth("beheerder")).json()["regels"] == []
    gisteren = (vandaag - dt.timedelta(days=1)).isoformat()
    assert client.get("/v1/audit", params={"tot": gisteren, "advies_id": eerste},
                      headers=auth("beheerder")).json()["regels"] == []
    assert client.get("/v1/audit", params={"van": vandaag.isoformat(), "tot": vandaag.isoformat(), "advies_id": eerste},
                      headers=auth("beheerder")).json()["regels"]
    # reading the log is logged
    assert lines(app, actie="audit_gelezen")


@pytest.mark.parametrize(("param", "waarde"), [("van", "gisteren"), ("advies_id", "Jansen"), ("key_id", "x" * 40),
                                               ("actie", "wissen"), ("aantal", "0"), ("advies", "x")])
def test_get_audit_refuses_a_bad_filter(client: TestClient, param: str, waarde: str) -> None:
    response = client.get("/v1/audit", params={param: waarde}, headers=auth("beheerder"))
    assert [f["veld"] for f in fouten(response)] == [param]


def test_get_audit_pages_newest_first(client: TestClient) -> None:
    for _ in range(3):
        post_advies(client)
    eerste = client.get("/v1/audit", params={"aantal": 2, "actie": "advies_gemaakt"}, headers=auth("beheerder")).json()
    assert len(eerste["regels"]) == 2 and eerste["volgende"]
    assert eerste["regels"][0]["id"] > eerste["regels"][1]["id"]
    verder = client.get(eerste["volgende"], headers=auth("beheerder")).json()
    assert verder["regels"] and verder["regels"][0]["id"] < eerste["regels"][1]["id"]


def test_delete_removes_the_advies_with_its_besluiten_and_reviews(client: TestClient, app: FastAPI) -> None:
    advies = post_advies(client)
    andere = post_advies(client)
    advies_id = advies["advies_id"]
    client.post(f"/v1/advies/{advies_id}/besluit", json=besluit_zoals(advies), headers=auth("indicatiesteller"))
    client.post(f"/v1/advies/{advies_id}/review", json={"oordeel": "eens", "stappen": []},
                headers=auth("hg_deskundige"))
    for rol in ("indicatiesteller", "hg_deskundige", "beleidsmaker"):
        assert client.delete(f"/v1/advies/{advies_id}", headers=auth(rol)).status_code == 403
    assert client.delete(f"/v1/advies/{advies_id}", headers=auth("beheerder")).status_code == 204
    assert (count(app, "advies"), count(app, "besluit"), count(app, "review")) == (1, 0, 0)
    assert client.get(f"/v1/advies/{advies_id}", headers=auth("hg_deskundige")).status_code == 404
    assert client.get(f"/v1/advies/{andere['advies_id']}", headers=auth("hg_deskundige")).status_code == 200
    again = client.delete(f"/v1/advies/{advies_id}", headers=auth("beheerder"))
    assert again.status_code == 404 and fouten(again, 404)[0]["veld"] == "advies_id"
    assert client.delete("/v1/advies/Jansen", headers=auth("beheerder")).status_code == 404


def _oud(app: FastAPI, advies_id: str, dagen: int) -> None:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=dagen)
    with db(app).begin() as conn:
        conn.execute(text("UPDATE advies SET aangemaakt = :t WHERE id = :a"), {"t": moment, "a": advies_id})


def test_retention_deletes_only_what_is_older_than_the_period(client: TestClient, app: FastAPI) -> None:
    oud = post_advies(client)
    nieuw = post_advies(client)
    client.post(f"/v1/advies/{oud['advies_id']}/besluit", json=besluit_zoals(oud), headers=auth("indicatiesteller"))
    _oud(app, oud["advies_id"], 3651)
    _oud(app, nieuw["advies_id"], 3649)
    assert opschonen(db(app), 3650) == 1
    assert count(app, "advies") == 1 and count(app, "besluit") == 0
    (regel,) = lines(app, oud["advies_id"], "advies_opgeschoond")
    assert regel["rol"] == "systeem" and regel["status"] == 204
    assert opschonen(db(app), 3650) == 0  # nothing more to do


def test_retention_works_in_batches(client: TestClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("api.bewaren.PER_KEER", 2)
    ids = [post_advies(client)["advies_id"] for _ in range(5)]
    for advies_id in ids:
        _oud(app, advies_id, 20)
    voortgang: list[int] = []
    assert opschonen(db(app), 10, voortgang=voortgang.append) == 5
    assert voortgang == [2, 4, 5] and count(app, "advies") == 0


def test_pages_log_their_reads(client: TestClient, app: FastAPI) -> None:
    advies_id = post_advies(client)["advies_id"]
    client.cookies.clear()
    aanmelden(client, "hg_deskundige")
    assert client.get(f"/advies/{advies_id}").status_code == 200
    assert client.get(f"/advies/{advies_id}/onderbouwing").status_code == 200
    assert client.get("/adviezen").status_code == 200
    acties = [r["actie"] for r in lines(app, advies_id)]
    assert acties == ["advies_gemaakt", "advies_gelezen", "onderbouwing_gelezen"]
    assert lines(app, actie="adviezen_gelezen")[-1]["rol"] == "hg_deskundige"
    client.cookies.clear()


def test_the_beheerder_page_shows_the_log_in_dutch(client: TestClient, app: FastAPI) -> None:
    advies_id = post_advies(client)["advies_id"]
    client.cookies.clear()
    aanmelden(client, "hg_deskundige")
    assert client.get("/audit").status_code == 403
    client.cookies.clear()
    aanmelden(client, "beheerder")
    pagina = client.get("/audit", params={"advies_id": advies_id})
    assert pagina.status_code == 200
    assert "advies aangevraagd" in pagina.text and "indicatiesteller" in pagina.text
    assert ">advies_gemaakt<" not in pagina.text  # no codes shown (only as option values of the filter)
    fout = client.get("/audit", params={"advies_id": "Jansen"})
    assert fout.status_code == 422 and "32 tekens" in fout.text and "Jansen" not in fout.text
    client.cookies.clear()


def test_the_beheerder_deletes_an_advies_from_its_page(client: TestClient, app: FastAPI) -> None:
    advies_id = post_advies(client)["advies_id"]
    client.cookies.clear()
    aanmelden(client, "beheerder")
    pagina = client.get(f"/advies/{advies_id}")
    assert "Advies verwijderen" in pagina.text
    weg = client.post(f"/advies/{advies_id}/verwijderen", data={"csrf": csrf(pagina.text)}, follow_redirects=False)
    assert weg.status_code == 303 and count(app, "advies") == 0
    assert lines(app, advies_id, "advies_verwijderd")
    client.cookies.clear()
