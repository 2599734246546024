"""`Idempotency-Key` on POST /v1/advies and the besluit: a retry gets the first answer and stores nothing twice."""

from __future__ import annotations

import asyncio
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from api import audit, idempotentie
from api.auth import Principal, key_id
from api.models import nieuw_id, nu
from tests.api.helpers import KEYS, auth, besluit_zoals, casus, count, db, rows, velden

HEADER = "Idempotency-Key"


def _post(client: TestClient, data: dict[str, Any], sleutel: str | None, principal: str = "indicatiesteller") -> Any:
    headers: dict[str, str | bytes] = {**auth(principal)}
    if sleutel is not None:
        headers[HEADER] = sleutel.encode("latin-1")  # as sent on the wire (a non-ASCII key too)
    return client.post("/v1/advies", content=orjson.dumps(data),
                       headers=headers | {"Content-Type": "application/json"})


def _audit(app: FastAPI, actie: str, advies_id: str) -> int:
    with db(app).connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM audit WHERE actie = :a AND advies_id = :i"),
                                {"a": actie, "i": advies_id}).scalar_one())


def test_a_retry_returns_the_identical_answer_and_stores_one_advies(client: TestClient, app: FastAPI) -> None:
    eerste = _post(client, casus(), "verzoek-1")
    assert eerste.status_code == 200, eerste.text
    assert "idempotent-replayed" not in eerste.headers
    tweede = _post(client, casus(), "verzoek-1")
    assert tweede.status_code == 200, tweede.text
    assert tweede.headers["idempotent-replayed"] == "true"
    assert tweede.headers["content-type"] == "application/json"
    assert tweede.content == eerste.content  # byte for byte: the same advies_id, aangemaakt, everything
    assert count(app, "advies") == 1
    advies_id = eerste.json()["advies_id"]
    assert _audit(app, "advies_gemaakt", advies_id) == 1
    assert _audit(app, "advies_gelezen", advies_id) == 1  # the replay showed the advies again
    [rij] = rows(app, "idempotentie")
    assert (rij["key_id"], rij["endpoint"], rij["sleutel"]) == (key_id(KEYS["indicatiesteller"]), "POST /v1/advies",
                                                                "verzoek-1")
    assert rij["status"] == 200 and bytes(rij["antwoord"]) == eerste.content and rij["advies_id"] == advies_id
    # the stored advies is the one answered
    gelezen = client.get(f"/v1/advies/{advies_id}", headers=auth("indicatiesteller"))
    assert gelezen.json() == eerste.json()


def test_the_key_is_scoped_per_caller(client: TestClient, app: FastAPI) -> None:
    een = _post(client, casus(), "gedeelde-sleutel")
    twee = _post(client, casus(), "gedeelde-sleutel", principal="indicatiesteller_2")
    assert een.status_code == twee.status_code == 200
    assert "idempotent-replayed" not in twee.headers
    assert een.json()["advies_id"] != twee.json()["advies_id"]
    assert count(app, "advies") == 2


def test_the_same_key_with_another_body_is_refused(client: TestClient, app: FastAPI) -> None:
    assert _post(client, casus(), "sleutel:42").status_code == 200
    anders = _post(client, casus(casus_id="RT-2026-0413"), "sleutel:42")
    assert velden(anders) == [HEADER]
    assert "al gebruikt voor een ander verzoek" in anders.json()["fouten"][0]["melding"]
    assert count(app, "advies") == 1


@pytest.mark.parametrize("sleutel", ["", "a" * 129, "met spatie", "sleutel/1", "sleutél", "x\ty"])
def test_an_invalid_key_is_refused(client: TestClient, app: FastAPI, sleutel: str) -> None:
    response = _post(client, casus(), sleutel)
    assert velden(response) == [HEADER], response.text
    assert not sleutel or sleutel not in response.json()["fouten"][0]["melding"]  # the key is not echoed
    assert count(app, "advies") == 0 and count(app, "idempotentie") == 0


def test_the_longest_key_and_every_allowed_character_pass(client: TestClient) -> None:
    for sleutel in ("k" * 128, "A-z_0.9:x", "1"):
        assert _post(client, casus(), sleutel).status_code == 200


def test_a_refused_request_keeps_its_key_free(client: TestClient, app: FastAPI) -> None:
    """Nothing is stored for an invalid casus, so the key is not used up: the corrected casus goes through."""
    fout = _post(client, casus(peildatum="1-9-2021"), "herstel-1")
    assert fout.status_code == 422
    assert _post(client, casus(), "herstel-1").status_code == 200
    assert count(app, "advies") == 1


def test_without_the_header_nothing_changes(client: TestClient, app: FastAPI) -> None:
    een, twee = _post(client, casus(), None), _post(client, casus(), None)
    assert een.status_code == twee.status_code == 200
    assert "idempotent-replayed" not in twee.headers
    assert een.json()["advies_id"] != twee.json()["advies_id"]
    assert count(app, "advies") == 2 and count(app, "idempotentie") == 0


def test_concurrent_requests_with_one_key_store_one_advies(client: TestClient, app: FastAPI) -> None:
    with ThreadPoolExecutor(8) as pool:
        antwoorden = list(pool.map(lambda _: _post(client, casus(), "tegelijk-1"), range(8)))
    assert [a.status_code for a in antwoorden] == [200] * 8, [a.text for a in antwoorden]
    assert len({a.content for a in antwoorden}) == 1
    assert count(app, "advies") == 1 and count(app, "idempotentie") == 1
    assert _audit(app, "advies_gemaakt", antwoorden[0].json()["advies_id"]) == 1


def test_a_request_that_loses_the_race_answers_with_the_winners_answer(
        client: TestClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both requests pass the look-up (the second before the first committed): the second's insert hits the key,
    its whole transaction (advies, audit line) is rolled back, and it answers with the first one's answer."""
    echt = idempotentie.zoek
    aanroepen: list[int] = []

    def zoek(*args: Any) -> Any:
        aanroepen.append(1)
        return None if len(aanroepen) == 2 else echt(*args)  # the second request's first look-up misses

    monkeypatch.setattr(idempotentie, "zoek", zoek)
    voor = _gemaakt(app)
    eerste = _post(client, casus(), "race-1")
    tweede = _post(client, casus(), "race-1")
    assert len(aanroepen) == 3  # the loser looked again after its insert failed
    assert tweede.status_code == 200 and tweede.content == eerste.content
    assert tweede.headers["idempotent-replayed"] == "true"
    assert count(app, "advies") == 1
    assert _gemaakt(app) == voor + 1  # the loser's audit line went with its advies


def _gemaakt(app: FastAPI) -> int:
    with db(app).connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM audit WHERE actie = 'advies_gemaakt'")).scalar_one())


def test_the_opslag_rolls_a_losing_write_back_whole(client: TestClient, app: FastAPI) -> None:
    """Straight at the opslag (the PostgreSQL writer threads, or SQLite): four writes with one key at once."""
    wie = Principal(key_id=key_id(KEYS["indicatiesteller"]), rol="indicatiesteller")
    verzoek = idempotentie.Verzoek(wie.key_id, "POST /v1/advies", "opslag-1", "0" * 64)

    def rijen() -> dict[str, dict[str, Any]]:
        rij = {"id": nieuw_id(), "casus_id": "RT-2026-0412", "aangemaakt": nu(), "key_id": wie.key_id,
               "rol": wie.rol, "ruleset_naam": "test", "ruleset_versie": "1", "ruleset_hash": "0", "route": "regulier",
               "perceel": None, "pakket": None, "casus": {}, "advies": {}}
        return {"advies": rij, "audit": audit.regel("advies_gemaakt", wie, advies_id=rij["id"], status=200),
                "idempotentie": verzoek.rij(200, b"{}", rij["id"])}

    schrijven = [rijen() for _ in range(4)]

    async def tegelijk() -> list[BaseException | None]:
        return await asyncio.gather(*(app.state.opslag.bewaar(r) for r in schrijven), return_exceptions=True)

    uitkomsten = client.portal.call(tegelijk)  # type: ignore[union-attr]  # on the app's own event loop
    gelukt = [r for r, u in zip(schrijven, uitkomsten, strict=True) if u is None]
    assert len(gelukt) == 1, uitkomsten
    assert all(isinstance(u, idempotentie.IdempotentieBezet) for u in uitkomsten if u is not None), uitkomsten
    assert [r["id"] for r in rows(app, "advies")] == [gelukt[0]["advies"]["id"]]
    assert rows(app, "idempotentie")[0]["advies_id"] == gelukt[0]["advies"]["id"]
    for verliezer in (r for r in schrijven if r is not gelukt[0]):
        assert _audit(app, "advies_gemaakt", verliezer["advies"]["id"]) == 0


def _besluit(client: TestClient, advies_id: str, data: dict[str, Any], sleutel: str | None) -> Any:
    headers = auth("indicatiesteller") | ({HEADER: sleutel} if sleutel is not None else {})
    return client.post(f"/v1/advies/{advies_id}/besluit", json=data, headers=headers)


def test_a_besluit_retry_returns_the_first_answer_and_stores_one_besluit(client: TestClient, app: FastAPI) -> None:
    advies = _post(client, casus(), None).json()
    data = besluit_zoals(advies)
    eerste = _besluit(client, advies["advies_id"], data, "besluit-1")
    assert eerste.status_code == 201, eerste.text
    tweede = _besluit(client, advies["advies_id"], data, "besluit-1")
    assert tweede.status_code == 201 and tweede.content == eerste.content
    assert tweede.headers["idempotent-replayed"] == "true"
    assert count(app, "besluit") == 1
    assert set(eerste.json()) == {"besluit_id", "advies_id", "afwijkingen", "aangemaakt"}
    assert _audit(app, "besluit_vastgelegd", advies["advies_id"]) == 1
    # another body under the key: refused; another advies: its own scope
    anders = _besluit(client, advies["advies_id"], besluit_zoals(advies, pakket=None, reden="Anders besloten."),
                      "besluit-1")
    assert velden(anders) == [HEADER]
    ander_advies = _post(client, casus(), None).json()
    assert _besluit(client, ander_advies["advies_id"], besluit_zoals(ander_advies), "besluit-1").status_code == 201
    assert count(app, "besluit") == 2
    # without the key: every besluit is stored, as before
    assert _besluit(client, advies["advies_id"], data, None).status_code == 201
    assert _besluit(client, advies["advies_id"], data, None).status_code == 201
    assert count(app, "besluit") == 4


def test_a_besluit_that_loses_the_race_answers_with_the_winners_answer(
        client: TestClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    advies = _post(client, casus(), None).json()
    echt = idempotentie.zoek_in
    aanroepen: list[int] = []

    def zoek_in(*args: Any) -> Any:
        aanroepen.append(1)
        return None if len(aanroepen) == 2 else echt(*args)

    monkeypatch.setattr(idempotentie, "zoek_in", zoek_in)
    eerste = _besluit(client, advies["advies_id"], besluit_zoals(advies), "besluit-race")
    tweede = _besluit(client, advies["advies_id"], besluit_zoals(advies), "besluit-race")
    assert len(aanroepen) == 3
    assert tweede.status_code == 201 and tweede.content == eerste.content
    assert count(app, "besluit") == 1
    assert _audit(app, "besluit_vastgelegd", advies["advies_id"]) == 1


def test_an_invalid_key_on_the_besluit_is_refused(client: TestClient, app: FastAPI) -> None:
    advies = _post(client, casus(), None).json()
    assert velden(_besluit(client, advies["advies_id"], besluit_zoals(advies), "geen geldige sleutel")) == [HEADER]
    assert count(app, "besluit") == 0


def test_keys_expire_after_a_day_and_go_with_their_advies(client: TestClient, app: FastAPI) -> None:
    oud = _post(client, casus(), "oud").json()
    nieuw = _post(client, casus(), "nieuw").json()
    with db(app).begin() as conn:
        conn.execute(text("UPDATE idempotentie SET aangemaakt = :t WHERE sleutel = 'oud'"),
                     {"t": nu() - dt.timedelta(hours=25)})
    assert idempotentie.opschonen(db(app)) == 1
    assert [r["sleutel"] for r in rows(app, "idempotentie")] == ["nieuw"]
    assert count(app, "advies") == 2  # the advies itself stays
    assert _post(client, casus(), "oud").json()["advies_id"] != oud["advies_id"]  # a new request now
    with db(app).begin() as conn:  # deleting an advies deletes its keys (and the copy of its answer)
        conn.execute(text("DELETE FROM advies WHERE id = :i"), {"i": nieuw["advies_id"]})
    assert "nieuw" not in [r["sleutel"] for r in rows(app, "idempotentie")]


def test_the_header_is_documented_on_both_endpoints(client: TestClient) -> None:
    paden = client.get("/openapi.json").json()["paths"]
    for pad in ("/v1/advies", "/v1/advies/{advies_id}/besluit"):
        parameters = paden[pad]["post"]["parameters"]
        [kop] = [p for p in parameters if p["name"] == HEADER]
        assert kop["in"] == "header" and kop["required"] is False
        assert kop["schema"]["maxLength"] == 128


def test_deleting_an_advies_through_the_api_deletes_its_keys(client: TestClient, app: FastAPI) -> None:
    advies = _post(client, casus(), "weg-1").json()
    assert _besluit(client, advies["advies_id"], besluit_zoals(advies), "weg-2").status_code == 201
    assert count(app, "idempotentie") == 2
    response = client.delete(f"/v1/advies/{advies['advies_id']}", headers=auth("beheerder"))
    assert response.status_code in (200, 204), response.text
    assert count(app, "idempotentie") == 0
