"""Authentication and the role matrix: every endpoint, every role, no key and wrong keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from tests.api.helpers import KEYS, PRINCIPALS, auth, besluit_zoals, casus, count, fouten, post_advies

ALL = frozenset(PRINCIPALS)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # `{advies_id}` is an advies of the first indicatiesteller
    allowed: frozenset[str]
    status: int
    body: Callable[[dict[str, Any]], Any] | None = None
    table: str | None = None  # where a successful call stores a row

    def call(self, client: TestClient, advies: dict[str, Any], headers: dict[str, str]) -> Response:
        body = self.body(advies) if self.body else None
        path = self.path.format(advies_id=advies["advies_id"])
        response: Response = client.request(self.method, path, json=body, headers=headers)
        return response


REPLAY_SCENARIO = {"naam": "rollen", "parameters": {"vrije_trede.meer_dan_kinderen": 2}}
ENDPOINTS = {
    "POST advies": Endpoint("POST", "/v1/advies", frozenset({"indicatiesteller", "indicatiesteller_2", "beheerder"}),
                            200, lambda _: casus(), "advies"),
    "GET advies": Endpoint("GET", "/v1/advies/{advies_id}",
                           frozenset({"indicatiesteller", "hg_deskundige", "beheerder"}), 200),
    "POST besluit": Endpoint("POST", "/v1/advies/{advies_id}/besluit", frozenset({"indicatiesteller", "beheerder"}),
                             201, besluit_zoals, "besluit"),
    "POST review": Endpoint("POST", "/v1/advies/{advies_id}/review", frozenset({"hg_deskundige", "beheerder"}),
                            201, lambda _: {"oordeel": "eens"}, "review"),
    "GET statistiek": Endpoint("GET", "/v1/statistiek/afwijkingen", frozenset({"beleidsmaker", "beheerder"}), 200),
    "GET rulesets": Endpoint("GET", "/v1/rulesets", ALL, 200),
    "GET parameters": Endpoint("GET", "/v1/rulesets/hg-rotterdam/parameters", ALL, 200),
    "POST replay": Endpoint("POST", "/v1/replay", frozenset({"beleidsmaker", "beheerder"}), 202,
                            lambda _: {"scenario": REPLAY_SCENARIO, "casussen": [casus()]}, "replay_job"),
}
MATRIX = [(name, principal) for name in ENDPOINTS for principal in PRINCIPALS]


@pytest.fixture
def advies(client: TestClient) -> dict[str, Any]:
    """An advies asked for by the first indicatiesteller."""
    return post_advies(client, principal="indicatiesteller")


def assert_401(response: Response) -> None:
    assert [f["veld"] for f in fouten(response, 401)] == ["Authorization"]
    assert response.headers["www-authenticate"].lower().startswith("bearer")


@pytest.mark.parametrize(("name", "principal"), MATRIX, ids=[f"{n}-{p}" for n, p in MATRIX])
def test_role_matrix(client: TestClient, app: FastAPI, advies: dict[str, Any], name: str, principal: str) -> None:
    endpoint = ENDPOINTS[name]
    before = count(app, endpoint.table) if endpoint.table else 0
    response = endpoint.call(client, advies, auth(principal))
    if principal in endpoint.allowed:
        assert response.status_code == endpoint.status, response.text
        if endpoint.table:
            assert count(app, endpoint.table) == before + 1
    else:
        # another indicatiesteller's advies is answered as one that does not exist (no existence oracle)
        anders = principal == "indicatiesteller_2" and "indicatiesteller" in endpoint.allowed
        fouten(response, 404 if anders and "advies_id" in endpoint.path else 403)
        if endpoint.table:
            assert count(app, endpoint.table) == before, "a refused request stored something"


WRONG_HEADERS = {
    "no header": {},
    "unknown key": {"Authorization": "Bearer onbekende-sleutel-1234567890"},
    "key in other case": {"Authorization": f"Bearer {KEYS['beheerder'].upper()}"},
    "prefix of a key": {"Authorization": f"Bearer {KEYS['beheerder'][:-1]}"},
    "key with role": {"Authorization": f"Bearer {KEYS['beheerder']}:beheerder"},
    "empty bearer": {"Authorization": "Bearer "},
    "basic scheme": {"Authorization": f"Basic {KEYS['beheerder']}"},
    "key without scheme": {"Authorization": KEYS["beheerder"]},
}


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("headers", WRONG_HEADERS.values(), ids=WRONG_HEADERS.keys())
def test_without_a_valid_key_is_401(
    client: TestClient, app: FastAPI, advies: dict[str, Any], name: str, headers: dict[str, str]
) -> None:
    endpoint = ENDPOINTS[name]
    before = count(app, endpoint.table) if endpoint.table else 0
    assert_401(endpoint.call(client, advies, headers))
    if endpoint.table:
        assert count(app, endpoint.table) == before


@pytest.mark.parametrize("path", ["/v1/advies/" + "0" * 32, "/v1/advies/" + "0" * 32 + "/besluit"])
def test_authentication_comes_before_existence(client: TestClient, path: str) -> None:
    method = "GET" if path.count("/") == 3 else "POST"
    assert_401(client.request(method, path, json={"route": "buiten_scope"}))


def test_authentication_comes_before_body_validation(client: TestClient, advies: dict[str, Any]) -> None:
    for path in ("/v1/advies", f"/v1/advies/{advies['advies_id']}/besluit", f"/v1/advies/{advies['advies_id']}/review"):
        assert_401(client.post(path, content=b"{niet: json", headers={"Content-Type": "application/json"}))
        assert_401(client.post(path, json={"onbekend": 1}))
        assert_401(client.post(path, content=b'{"route": "\xff"}', headers={"Content-Type": "application/json"}))
        fouten(client.post(path, content=b"{niet: json", headers={**auth("beleidsmaker"),
                                                                  "Content-Type": "application/json"}), 403)


def test_beleidsmaker_cannot_even_learn_whether_an_advies_exists(client: TestClient, advies: dict[str, Any]) -> None:
    for advies_id in (advies["advies_id"], "0" * 32):
        fouten(client.get(f"/v1/advies/{advies_id}", headers=auth("beleidsmaker")), 403)


def test_indicatiesteller_reads_and_decides_on_own_advies_only(client: TestClient, app: FastAPI) -> None:
    eigen = post_advies(client, principal="indicatiesteller_2")
    ander = post_advies(client, principal="indicatiesteller")
    assert client.get(f"/v1/advies/{eigen['advies_id']}", headers=auth("indicatiesteller_2")).status_code == 200
    response = client.post(f"/v1/advies/{eigen['advies_id']}/besluit", json=besluit_zoals(eigen),
                           headers=auth("indicatiesteller_2"))
    assert response.status_code == 201, response.text

    assert [f["veld"] for f in fouten(client.get(f"/v1/advies/{ander['advies_id']}",
                                                 headers=auth("indicatiesteller_2")), 404)] == ["advies_id"]
    fouten(client.post(f"/v1/advies/{ander['advies_id']}/besluit", json=besluit_zoals(ander),
                       headers=auth("indicatiesteller_2")), 404)  # as if it did not exist: no existence oracle
    assert count(app, "besluit") == 1


def test_beheerder_may_do_everything(client: TestClient, advies: dict[str, Any]) -> None:
    for endpoint in ENDPOINTS.values():
        response = endpoint.call(client, advies, auth("beheerder"))
        assert response.status_code == endpoint.status, (endpoint.path, response.text)


def test_forbidden_answers_name_the_role(client: TestClient) -> None:
    [fout] = fouten(client.post("/v1/advies", json=casus(), headers=auth("beleidsmaker")), 403)
    assert "beleidsmaker" in fout["melding"]


@pytest.mark.parametrize("headers", [{}, auth("beleidsmaker"), {"Authorization": "Bearer onzin"}],
                         ids=["no key", "a key", "a wrong key"])
def test_health_needs_no_key(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get("/health", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_docs_need_no_key(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").status_code == 200
