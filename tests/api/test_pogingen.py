"""Failed key attempts limited per client address, shared between processes (api/pogingen.py; issue 11:
"300 wrong API keys in 0.4 s without a 429")."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import time
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, insert

from api.models import nu
from api.pogingen import MAX_POGINGEN, TABEL, VENSTER, Pogingen, van
from tests.api.conftest import new_app
from tests.api.helpers import KEYS, auth, casus, count, fouten, rows

FOUT = {"Authorization": "Bearer fout-fout-fout-fout-0000"}


def _vanaf(app: FastAPI, adres: str) -> TestClient:
    """A client of the (started) app from another address."""
    return TestClient(app, client=(adres, 40000))


def _weiger(client: TestClient, keer: int = MAX_POGINGEN) -> None:
    for _ in range(keer):
        response = client.get("/v1/rulesets", headers=FOUT)
        assert fouten(response, 401)[0]["melding"] == "onbekende of ongeldige sleutel"


def _geblokkeerd(response: object) -> int:
    assert hasattr(response, "status_code")
    (fout,) = fouten(response, 429)  # type: ignore[arg-type]
    assert fout["veld"] == "Authorization" and "te veel mislukte pogingen" in fout["melding"]
    wacht = int(response.headers["retry-after"])  # type: ignore[attr-defined]
    assert 0 < wacht <= VENSTER + 1
    return wacht


def test_the_eleventh_wrong_key_gets_429_and_then_every_key_of_that_address(client: TestClient,
                                                                              app: FastAPI) -> None:
    aanvaller = _vanaf(app, "10.0.0.9")
    _weiger(aanvaller)
    _geblokkeerd(aanvaller.get("/v1/rulesets", headers=FOUT))
    # A valid key from that address waits too (it is not looked up), for reads and writes alike.
    _geblokkeerd(aanvaller.get("/v1/rulesets", headers=auth("indicatiesteller")))
    _geblokkeerd(aanvaller.post("/v1/advies", json=casus(), headers=auth("indicatiesteller")))
    assert count(app, "advies") == 0
    # Another address is unaffected, with a valid key and with a wrong one.
    ander = _vanaf(app, "10.0.0.10")
    assert ander.get("/v1/rulesets", headers=auth("indicatiesteller")).status_code == 200
    besluit = ander.post("/v1/advies/" + "0" * 32 + "/besluit", json={}, headers=auth("indicatiesteller"))
    assert besluit.status_code in (404, 422)  # past the gate (a second TestClient shares no storage loop)
    assert ander.get("/v1/rulesets", headers=FOUT).status_code == 401
    # Each wrong key was stored (for the other processes) and audited; the refused ones after the limit not.
    poging = [r for r in rows(app, "aanmeldpoging")]
    assert [r["adres"] for r in poging] == ["10.0.0.9"] * MAX_POGINGEN + ["10.0.0.10"]
    geweigerd = [r for r in rows(app, "audit") if r["actie"] == "sleutel_geweigerd" and r["adres"] == "10.0.0.9"]
    assert len(geweigerd) == MAX_POGINGEN and {r["status"] for r in geweigerd} == {401}
    assert {r["key_id"] for r in geweigerd} == {None}


def test_a_missing_key_and_a_valid_key_are_not_counted(client: TestClient, app: FastAPI) -> None:
    bezoeker = _vanaf(app, "10.0.1.1")
    for _ in range(MAX_POGINGEN + 5):
        assert bezoeker.get("/v1/rulesets").status_code == 401  # no key: nothing was guessed
        assert bezoeker.post("/v1/advies", json=casus()).status_code == 401
        assert bezoeker.get("/v1/rulesets", headers={"Authorization": "Basic eA=="}).status_code == 401
        assert bezoeker.get("/v1/rulesets", headers=auth("beleidsmaker")).status_code == 200
    assert count(app, "aanmeldpoging") == 0


def test_failures_in_one_instance_block_the_other_after_its_refresh(client: TestClient, app: FastAPI,
                                                                    database_url: str) -> None:
    adres = "10.0.2.1"
    with TestClient(new_app(database_url), client=(adres, 40000)) as tweede:
        pogingen = tweede.app.state.aanmeldpogingen = Pogingen(tweede.app.state.db, verversen=None)  # type: ignore[attr-defined]
        # Half the failures here, half in the other instance: only together do they reach the limit.
        _weiger(tweede, MAX_POGINGEN // 2)
        _weiger(_vanaf(app, adres), MAX_POGINGEN - MAX_POGINGEN // 2)
        assert tweede.get("/v1/rulesets", headers=auth("beleidsmaker")).status_code == 200  # not refreshed yet
        pogingen.ververs()
        _geblokkeerd(tweede.get("/v1/rulesets", headers=auth("beleidsmaker")))
        assert tweede.post("/v1/advies", json=casus(), headers=auth("indicatiesteller")).status_code == 429
        assert TestClient(tweede.app, client=("10.0.2.2", 1)).get(  # type: ignore[arg-type]
            "/v1/rulesets", headers=auth("beleidsmaker")).status_code == 200
        van(app).ververs()  # the first instance, too, once it has refreshed
        _geblokkeerd(_vanaf(app, adres).get("/v1/rulesets", headers=auth("beleidsmaker")))


def _stored(app: FastAPI, adres: str, geleden: float, aantal: int = MAX_POGINGEN) -> None:
    with app.state.db.begin() as conn:
        conn.execute(insert(TABEL), [{"adres": adres, "tijd": nu() - dt.timedelta(seconds=geleden)}] * aantal)


def test_the_window_expires_and_old_rows_are_deleted(client: TestClient, app: FastAPI) -> None:
    pogingen = van(app)
    _stored(app, "10.0.3.1", VENSTER + 60)  # failures of another process, out of the window
    _stored(app, "10.0.3.2", VENSTER - 60)  # within the window, for another minute
    _stored(app, "10.0.3.3", 10, MAX_POGINGEN - 1)  # one short of the limit
    pogingen.ververs()
    assert _vanaf(app, "10.0.3.1").get("/v1/rulesets", headers=auth("beleidsmaker")).status_code == 200
    assert _vanaf(app, "10.0.3.3").get("/v1/rulesets", headers=auth("beleidsmaker")).status_code == 200
    wacht = _geblokkeerd(_vanaf(app, "10.0.3.2").get("/v1/rulesets", headers=auth("beleidsmaker")))
    assert 55 <= wacht <= 62  # until the newest failure that reached the limit leaves the window
    assert pogingen.ruim_op() == MAX_POGINGEN  # the rows out of the window
    assert {r["adres"] for r in rows(app, "aanmeldpoging")} == {"10.0.3.2", "10.0.3.3"}
    # This process's own window slides too.
    kort = app.state.aanmeldpogingen = Pogingen(app.state.db, maximum=2, venster=0.3, verversen=None)
    try:
        snel = _vanaf(app, "10.0.3.4")
        _weiger(snel, 2)
        _geblokkeerd(snel.get("/v1/rulesets", headers=FOUT))
        time.sleep(0.35)
        kort.ververs()
        assert snel.get("/v1/rulesets", headers=auth("beleidsmaker")).status_code == 200
        assert "10.0.3.4" not in {r["adres"] for r in rows(app, "aanmeldpoging")}  # the refresh deleted them
    finally:
        app.state.aanmeldpogingen = pogingen


def test_the_refresher_runs_in_the_background(client: TestClient, app: FastAPI) -> None:
    pogingen = van(app)
    assert pogingen._draad is not None and pogingen._draad.is_alive()  # started with the app
    _stored(app, "10.0.4.1", 5)
    eind = time.monotonic() + 5
    while not pogingen.geblokkeerd("10.0.4.1") and time.monotonic() < eind:
        time.sleep(0.05)
    assert pogingen.geblokkeerd("10.0.4.1") > 0


def test_a_database_that_is_down_never_fails_the_refusal(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    weg = create_engine(f"sqlite:///{tmp_path / 'bestaat-niet' / 'x.sqlite'}")
    pogingen = Pogingen(weg, maximum=2, verversen=None)
    with caplog.at_level(logging.WARNING, logger="hg_advies.pogingen"):
        for _ in range(2):
            asyncio.run(pogingen.registreer("10.0.5.1"))
        pogingen.ververs()
        pogingen.ververs()
    assert pogingen.geblokkeerd("10.0.5.1") > 0  # counted in this process all the same
    meldingen = [r.getMessage() for r in caplog.records]
    assert meldingen.count("mislukte sleutelpoging niet opgeslagen: OperationalError") == 2
    assert meldingen.count("gedeelde mislukte sleutelpogingen niet gelezen: OperationalError") == 1  # once


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def test_the_sign_in_page_is_limited_by_the_same_count(client: TestClient, app: FastAPI) -> None:
    bezoeker = _vanaf(app, "10.0.6.1")
    gevonden = CSRF.search(bezoeker.get("/aanmelden").text)
    assert gevonden
    token = gevonden.group(1)
    for _ in range(MAX_POGINGEN - 1):
        assert bezoeker.post("/aanmelden", data={"csrf": token, "sleutel": "fout-fout-fout-fout"}).status_code == 401
    _weiger(bezoeker, 1)  # the tenth failure on the API
    response = bezoeker.post("/aanmelden", data={"csrf": token, "sleutel": KEYS["indicatiesteller"]})
    assert response.status_code == 429 and "Te veel mislukte pogingen" in response.text
    assert int(response.headers["retry-after"]) > 0
    _geblokkeerd(bezoeker.get("/v1/rulesets", headers=auth("beleidsmaker")))
    assert count(app, "aanmeldpoging") == MAX_POGINGEN
    mislukt = [r for r in rows(app, "audit") if r["actie"] == "aanmelden_mislukt" and r["adres"] == "10.0.6.1"]
    assert len(mislukt) == MAX_POGINGEN - 1
