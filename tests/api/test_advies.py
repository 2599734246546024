"""POST /v1/advies and GET /v1/advies/{advies_id}: the engine's advies, stored, refused when invalid."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.auth import key_id
from api.routes.advies import MAX_BODY
from engine.casus import parse_casus
from rules import standaard_engine
from tests.api.conftest import Databases
from tests.api.helpers import (
    CASUSSEN,
    IGNORED,
    KEYS,
    TABLES,
    all_rows_text,
    as_json,
    auth,
    besluit_zoals,
    casus,
    count,
    fouten,
    load_casus,
    post_advies,
    rows,
    velden,
)

ADVIES_ID = re.compile(r"[0-9a-f]{32}")
UITLEG_VELDEN = {"regel", "conclusie", "omdat", "bron", "beleidskeuze", "tekst"}


def engine_advies(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = as_json(standaard_engine().advies(parse_casus(data)))
    return result


def zonder_dienst(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in IGNORED}


@pytest.mark.parametrize("path", CASUSSEN, ids=[p.stem for p in CASUSSEN])
def test_advies_is_the_engines_advies_and_is_stored(client: TestClient, app: FastAPI, path: Path) -> None:
    data = load_casus(path)
    response = client.post("/v1/advies", json=data, headers=auth("indicatiesteller"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert zonder_dienst(body) == engine_advies(data)
    assert ADVIES_ID.fullmatch(body["advies_id"])
    assert body["gevraagd_door"] == "indicatiesteller"
    assert count(app, "advies") == 1

    stored = client.get(f"/v1/advies/{body['advies_id']}", headers=auth("indicatiesteller"))
    assert stored.status_code == 200, stored.text
    assert stored.json()["advies_id"] == body["advies_id"]
    assert zonder_dienst(stored.json()) == zonder_dienst(body)


def test_advies_is_the_clis_advies(client: TestClient, tmp_path: Path) -> None:
    bestand = tmp_path / "casus.json"
    bestand.write_text(json.dumps(casus()), encoding="utf-8")
    cli = subprocess.run([str(Path(sys.executable).parent / "hg-advies"), "advies", str(bestand), "--compact",
                          "--zonder-alternatieven"],  # the service does not add them (yet)
                         capture_output=True, cwd=tmp_path, timeout=120, check=True)
    assert zonder_dienst(post_advies(client, casus())) == json.loads(cli.stdout)


def test_get_returns_the_stored_advies_with_its_explanation(client: TestClient) -> None:
    gegeven = post_advies(client)
    response = client.get(f"/v1/advies/{gegeven['advies_id']}", headers=auth("indicatiesteller"))
    assert response.status_code == 200
    body = response.json()
    assert body == gegeven
    assert body["uitleg"], "an advies always explains itself"
    for stap in body["uitleg"]:
        assert set(stap) >= UITLEG_VELDEN
        assert isinstance(stap["beleidskeuze"], bool) and stap["tekst"] and stap["bron"]
    assert body["ruleset"]["naam"] == "hg-rotterdam"
    assert body["gevraagd_door"] == "indicatiesteller"
    aangemaakt = dt.datetime.fromisoformat(body["aangemaakt"])
    now = dt.datetime.now(dt.UTC)
    assert abs((aangemaakt.replace(tzinfo=aangemaakt.tzinfo or dt.UTC) - now).total_seconds()) < 600


def test_every_request_is_a_new_record(client: TestClient, app: FastAPI) -> None:
    eerste, tweede = post_advies(client), post_advies(client)
    assert eerste["advies_id"] != tweede["advies_id"]
    assert zonder_dienst(eerste) == zonder_dienst(tweede)
    assert count(app, "advies") == 2


def test_unknown_advies_is_404(client: TestClient) -> None:
    for advies_id in ("0" * 32, "bestaat-niet", "x" * 200):
        response = client.get(f"/v1/advies/{advies_id}", headers=auth("beheerder"))
        assert velden(response, 404) == ["advies_id"]


def _zonder(data: dict[str, Any], veld: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != veld}


def _lid0(**changes: Any) -> dict[str, Any]:
    data = casus()
    data["leden"] = [{**data["leden"][0], **changes}, *data["leden"][1:]]
    return data


ONGELDIG: dict[str, tuple[bytes | Any, str]] = {  # name -> (body, a veld that must be named)
    "onbekend veld": (casus(kleur="rood"), "kleur"),
    "onbekend veld in lid": (_lid0(lengte=180), "leden[0].lengte"),
    "onbekend veld in geweld": (casus(geweld={**casus()["geweld"], "ernst": 3}), "geweld.ernst"),
    "naam": (_lid0(naam="Jan Jansen"), "leden[0].naam"),
    "bsn": (casus(bsn="111222333"), "bsn"),
    "adres": (casus(adres="Coolsingel 40"), "adres"),
    "geboortedatum": (_lid0(geboortedatum="1985-01-01"), "leden[0].geboortedatum"),
    "casus_id als bsn": (casus(casus_id="111222333"), "casus_id"),
    "leeftijd als tekst": (_lid0(leeftijd="36"), "leden[0].leeftijd"),
    "leeftijd als kommagetal": (_lid0(leeftijd=36.5), "leden[0].leeftijd"),
    "leeftijd te hoog": (_lid0(leeftijd=121), "leden[0].leeftijd"),
    "boolean als tekst": (casus(geweld={**casus()["geweld"], "structureel": "ja"}), "geweld.structureel"),
    "leden geen lijst": (casus(leden={"id": "moeder"}), "leden"),
    "leden leeg": (casus(leden=[]), "leden"),
    "onbekende waarde": (casus(veiligheid={"niveau": "extreem"}), "veiligheid.niveau"),
    "verplicht veld ontbreekt": (_zonder(casus(), "vaardigheden"), "vaardigheden"),
    "peildatum voor de eerste regelset": (casus(peildatum="2021-08-31"), "peildatum"),
    "peildatum geen datum": (casus(peildatum="1-9-2021"), "peildatum"),
    "ongeldige JSON": (b'{"casus_id": "VJ-1", ', "(casus)"),
    "lege body": (b"", "(casus)"),
    "JSON-lijst": (b"[" + json.dumps(casus()).encode() + b"]", "(casus)"),
    "JSON-tekst": (b'"casus"', "(casus)"),
    "geen UTF-8": (b'{"casus_id": "\xff\xfe"}', "(casus)"),
}


@pytest.mark.parametrize(("body", "veld"), ONGELDIG.values(), ids=ONGELDIG.keys())
def test_invalid_casus_is_refused_naming_the_field(client: TestClient, app: FastAPI, body: Any, veld: str) -> None:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = client.post("/v1/advies", content=content,
                           headers={**auth("indicatiesteller"), "Content-Type": "application/json"})
    assert veld in velden(response), response.text
    for table in TABLES:
        assert count(app, table) == 0, f"a refused casus stored something in {table}"
    for secret in ("Jan Jansen", "111222333", "Coolsingel", "1985-01-01"):
        assert secret not in response.text, "an error must not echo an identifier"


def test_identifier_refusal_says_why(client: TestClient) -> None:
    response = client.post("/v1/advies", json=_lid0(naam="Jan Jansen"), headers=auth("indicatiesteller"))
    [fout] = [f for f in fouten(response) if f["veld"] == "leden[0].naam"]
    assert "identific" in fout["melding"].lower() or "naam" in fout["melding"].lower(), fout


def test_errors_are_in_dutch(client: TestClient) -> None:
    response = client.post("/v1/advies", json=_lid0(leeftijd="36"), headers=auth("indicatiesteller"))
    meldingen = " ".join(f["melding"] for f in fouten(response))
    assert "leeftijd" in meldingen or "getal" in meldingen, meldingen
    for english in ("Input should", "Field required", "Extra inputs", "valid integer"):
        assert english not in meldingen


def test_huge_body_is_413_and_stores_nothing(client: TestClient, app: FastAPI) -> None:
    data = casus()
    data["signalen"] = ["verslaving"] * (MAX_BODY // 10)
    content = json.dumps(data).encode()
    assert len(content) > MAX_BODY
    response = client.post("/v1/advies", content=content,
                           headers={**auth("indicatiesteller"), "Content-Type": "application/json"})
    fouten(response, 413)
    assert count(app, "advies") == 0


def test_huge_streamed_body_is_413(client: TestClient, app: FastAPI) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the size shows only while reading
        for _ in range(100):
            yield b" " * 8192

    response = client.post("/v1/advies", content=chunks(),
                           headers={**auth("indicatiesteller"), "Content-Type": "application/json"})
    fouten(response, 413)
    assert count(app, "advies") == 0


def test_stored_advies_survive_a_restart(
    databases: Databases, start_app: Callable[[str], AbstractContextManager[TestClient]]
) -> None:
    url = databases.new()
    with start_app(url) as client:
        gegeven = post_advies(client)
    with start_app(url) as client:  # a new app (new engine, migrations run again) on the same database
        response = client.get(f"/v1/advies/{gegeven['advies_id']}", headers=auth("indicatiesteller"))
        assert response.status_code == 200, response.text
        assert zonder_dienst(response.json()) == zonder_dienst(gegeven)
        assert response.json()["advies_id"] == gegeven["advies_id"]
        assert post_advies(client)["advies_id"] != gegeven["advies_id"]


def test_record_keeps_who_asked_but_never_the_key(client: TestClient, app: FastAPI, database_url: str) -> None:
    advies = post_advies(client)
    advies_id = advies["advies_id"]
    client.post(f"/v1/advies/{advies_id}/besluit", json=besluit_zoals(advies, pakket=1, reden="Inschatting team"),
                headers=auth("indicatiesteller")).raise_for_status()
    client.post(f"/v1/advies/{advies_id}/review", json={"oordeel": "oneens", "toelichting": "Te zwaar"},
                headers=auth("hg_deskundige")).raise_for_status()

    [record] = rows(app, "advies")
    assert record["key_id"] == key_id(KEYS["indicatiesteller"])
    assert record["rol"] == "indicatiesteller"
    assert record["casus_id"] == "VJ-2020-1"
    assert record["ruleset_hash"] == advies["ruleset"]["hash"]
    assert as_json(record["casus"]) == as_json(parse_casus(casus()).model_dump(mode="json"))
    assert as_json(record["advies"])["uitleg"] == advies["uitleg"]
    [review] = rows(app, "review")
    assert review["key_id"] == key_id(KEYS["hg_deskundige"])

    stored = all_rows_text(app)
    assert key_id(KEYS["indicatiesteller"]) in stored
    for key in KEYS.values():
        assert key not in stored, "an API key is stored"
    if database_url.startswith("sqlite:///"):  # the raw file and its write-ahead log, too
        path = Path(database_url.removeprefix("sqlite:///"))
        for bestand in (path, path.with_name(path.name + "-wal")):
            if bestand.exists():
                raw = bestand.read_bytes()
                assert not any(key.encode() in raw for key in KEYS.values()), bestand.name


def test_advies_is_never_updated_in_place(client: TestClient, app: FastAPI) -> None:
    advies = post_advies(client)
    advies_id = advies["advies_id"]
    voor = rows(app, "advies")
    for besluit in (besluit_zoals(advies), besluit_zoals(advies, pakket=2, reden="Meer steun nodig")):
        client.post(f"/v1/advies/{advies_id}/besluit", json=besluit,
                    headers=auth("indicatiesteller")).raise_for_status()
    stappen = [{"regel": advies["uitleg"][0]["regel"], "oordeel": "oneens"}]
    client.post(f"/v1/advies/{advies_id}/review", json={"oordeel": "oneens", "stappen": stappen},
                headers=auth("hg_deskundige")).raise_for_status()
    assert rows(app, "advies") == voor
    assert count(app, "besluit") == 2 and count(app, "review") == 1
    assert client.get(f"/v1/advies/{advies_id}", headers=auth("beheerder")).json() == advies

    for method in ("PUT", "PATCH"):  # no way to change an advies over HTTP (the beheerder may delete it whole:
        response = client.request(method, f"/v1/advies/{advies_id}", json=casus(), headers=auth("beheerder"))
        fouten(response, 405)  # tests/api/test_audit.py)
    assert rows(app, "advies") == voor


def test_each_200_is_committed(client: TestClient, app: FastAPI, start_app: Any, database_url: str) -> None:
    """What was answered is visible to a new connection at once (the answer follows the commit)."""
    ids = {post_advies(client)["advies_id"] for _ in range(5)}
    with start_app(database_url) as other:
        for advies_id in ids:
            assert other.get(f"/v1/advies/{advies_id}", headers=auth("beheerder")).status_code == 200


def test_alternatieven_of_a_stored_advies(client: TestClient) -> None:
    from engine.alternatieven import alternatieven
    from engine.casus import parse_casus
    from rules import standaard_engine

    gegeven = post_advies(client)
    response = client.get(f"/v1/advies/{gegeven['advies_id']}/alternatieven", headers=auth("hg_deskundige"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["advies_id"] == gegeven["advies_id"] and body["zelfde_regels"] is True
    parsed = parse_casus(casus())
    verwacht = alternatieven(parsed, standaard_engine().ruleset(parsed.peildatum))
    assert body["alternatieven"] == as_json(verwacht) and verwacht, "the example casus has alternatives"
    for alternatief in body["alternatieven"]:
        assert alternatief["tekst"].endswith(".") and " zou " in alternatief["tekst"] and alternatief["gevolg"]
    # the same access rules as the advies itself
    assert client.get(f"/v1/advies/{gegeven['advies_id']}/alternatieven",
                      headers=auth("indicatiesteller_2")).status_code == 404  # as if it did not exist
    assert client.get(f"/v1/advies/{gegeven['advies_id']}/alternatieven",
                      headers=auth("beleidsmaker")).status_code == 403
    assert client.get(f"/v1/advies/{'0' * 32}/alternatieven", headers=auth("beheerder")).status_code == 404


def test_a_casus_is_json_with_each_key_once(client: TestClient, app: FastAPI) -> None:
    """attacks-2026-12.log, badinput: text/plain and duplicate keys (the last one silently won) were stored."""
    geldig = orjson.dumps(casus())
    tekst = client.post("/v1/advies", content=geldig, headers={**auth("indicatiesteller"),
                                                                "Content-Type": "text/plain"})
    assert tekst.status_code == 422 and tekst.json()["fouten"][0]["veld"] == "Content-Type"
    dubbel = geldig.replace(b'"casus_id":', b'"casus_id":"DUP-1","casus_id":', 1)
    antwoord = client.post("/v1/advies", content=dubbel, headers={**auth("indicatiesteller"),
                                                                  "Content-Type": "application/json"})
    assert antwoord.status_code == 422
    assert antwoord.json()["fouten"] == [{"veld": "casus_id", "melding": "komt meer dan eens voor in hetzelfde "
                                          "object; geef elk veld één keer"}]
    assert count(app, "advies") == 0
