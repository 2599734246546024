"""The gate (api/poort.py): a write without a valid key is refused before its body is read, and a body above
its endpoint's limit is refused before it is parsed (attacks-2026-12.log, category bodysize)."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.poort import STANDAARD_LIMIET
from tests.api.helpers import auth, count, post_advies


def _groot(stappen: int) -> bytes:
    return b'{"oordeel": "oneens", "stappen": [' + b",".join([b'{"regel": "x", "oordeel": "eens"}'] * stappen) + b"]}"


def test_a_write_without_a_key_is_refused_before_the_body_is_read(client: TestClient, app: FastAPI) -> None:
    gelezen: list[int] = []

    def stroom() -> Iterator[bytes]:  # a body that counts how much of it was read
        for _ in range(2_000):
            gelezen.append(1)
            yield b" " * 1024

    response = client.post("/v1/advies/" + "0" * 32 + "/review", content=stroom(),
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 401 and response.json()["fouten"][0]["veld"] == "Authorization"
    assert response.headers["www-authenticate"] == "Bearer"
    assert len(gelezen) <= 1  # not read (the client may have produced its first chunk)
    wrong = client.post("/v1/replay", content=b"{}", headers={"Authorization": "Bearer onbekend-0123456789abc"})
    assert wrong.status_code == 401 and wrong.json()["fouten"][0]["melding"] == "onbekende of ongeldige sleutel"


def test_a_body_above_its_limit_is_refused_with_413(client: TestClient, app: FastAPI) -> None:
    advies = post_advies(client)
    groot = _groot(STANDAARD_LIMIET // 30)
    assert len(groot) > STANDAARD_LIMIET
    response = client.post(f"/v1/advies/{advies['advies_id']}/review", content=groot,
                           headers={**auth("hg_deskundige"), "Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["fouten"][0]["veld"] == "(verzoek)"

    def stroom() -> Iterator[bytes]:  # no Content-Length: limited while it streams in
        yield groot

    gestroomd = client.post(f"/v1/advies/{advies['advies_id']}/review", content=stroom(),
                            headers={**auth("hg_deskundige"), "Content-Type": "application/json"})
    assert gestroomd.status_code == 413
    assert count(app, "review") == 0
    assert response.headers["cache-control"] == "no-store"  # the gate's own answers carry the headers too
