"""The OpenAPI document, checked by a property-based API fuzzer (schemathesis) against the app itself.

For every operation schemathesis generates valid and invalid requests from the document and checks that
no response is a 5xx and that every response (status, content type, body) is the one the document
promises. Requests carry a beheerder key, so every operation is reachable; operations on one advies are
sent twice, as generated (mostly an unknown id: 404) and with the id of a stored advies, so decisions
and reviews are really recorded. HG_FUZZ_EXAMPLES (default 40) sets the number of examples per operation
and generation mode, e.g. HG_FUZZ_EXAMPLES=500 for a longer hunt.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.settings import Settings
from engine.casus import parse_casus
from tests.api.conftest import Databases, new_app
from tests.api.helpers import API_KEYS, CASUSSEN, auth, load_casus, post_advies

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]
BEHEERDER = auth("beheerder")
MAX_EXAMPLES = int(os.environ.get("HG_FUZZ_EXAMPLES", "40"))  # per operation, generation mode and database


OPERATIONS = [(method.upper(), path) for path, operations in new_app("sqlite://").openapi()["paths"].items()
              for method in operations]


@pytest.fixture(scope="module")
def fuzz_app(databases: Databases) -> Iterator[FastAPI]:
    """An app of its own: schemathesis starts its lifespan (and keeps it until shut down here)."""
    from schemathesis.python.asgi import shutdown_lifespans

    # The fuzzer sends wrong keys on purpose: no limit of failed attempts here (tests/api/test_pogingen.py).
    app = create_app(Settings(database_url=databases.new(), api_keys=API_KEYS, minimum_aantal=1,
                              max_mislukte_pogingen=10**9))
    yield app
    shutdown_lifespans()


@pytest.fixture(scope="module")
def api_schema(fuzz_app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


@pytest.fixture(scope="module")
def stored_advies_id(fuzz_app: FastAPI, api_schema: Any) -> str:
    from schemathesis.python.asgi import get_client

    # the app as schemathesis runs it (its lifespan, so its database engine)
    with get_client(fuzz_app) as client:  # type: ignore[arg-type]  # FastAPI is an ASGI app
        response = client.post("/v1/advies", json=load_casus(CASUSSEN[-1]), headers=BEHEERDER)
        assert response.status_code == 200, response.text
        advies_id: str = response.json()["advies_id"]
        return advies_id


# schemathesis' own pytest integration (`schema.parametrize()`, `schemathesis.pytest.from_fixture`) does not
# work with pytest 9.2 (it sets `Function._nodeid`), so each operation and generation mode is a plain test
# that draws cases from schemathesis' strategies.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_conforms_to_its_openapi_document(
    api_schema: Any, stored_advies_id: str, method: str, path: str, mode: GenerationMode, fuzz_app: FastAPI
) -> None:
    operation = api_schema[path][method]
    known = {"advies_id": stored_advies_id, "naam": "hg-rotterdam"}  # path parameters that lead somewhere

    @given(case=operation.as_strategy(mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        case.call_and_validate(headers=BEHEERDER, checks=CHECKS)
        if mode is GenerationMode.POSITIVE and case.path_parameters:
            case.path_parameters = {**case.path_parameters, **{k: v for k, v in known.items()
                                                               if k in case.path_parameters}}
            case.call_and_validate(headers=BEHEERDER, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        pytest.skip(f"{method} {path} has nothing to make invalid")


def test_openapi_has_the_casus_schema_and_real_examples(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    casus = schemas["Casus"]
    assert {"casus_id", "leden", "geweld", "veiligheid", "vaardigheden"} <= set(casus["required"])
    assert casus.get("additionalProperties") is False, "unknown fields are refused, so the schema says so"
    assert "$defs" not in casus
    for name in ("Lid", "Geweld", "Veiligheid", "Woonsituatie", "Inzet"):
        assert name in schemas, name

    body = document["paths"]["/v1/advies"]["post"]["requestBody"]
    content = body["content"]["application/json"]
    assert body["required"] is True
    assert content["schema"] == {"$ref": "#/components/schemas/Casus"}
    examples = content["examples"]
    library = {p.stem: load_casus(p) for p in CASUSSEN}
    assert {"vj-2020-1", "vj-2020-2", "vj-2020-3", "vj-2020-4", "vj-2020-5"} <= set(examples)
    for name, example in examples.items():
        assert example["value"] == library[name], name
        assert example["summary"]
        parse_casus(example["value"])  # every example is a valid casus

    responses = document["paths"]["/v1/advies"]["post"]["responses"]
    assert {"200", "401", "403", "413", "422"} <= set(responses)
    assert "x-casus-schema" not in str(document)


def test_openapi_examples_give_advies(client: TestClient) -> None:
    examples = client.get("/openapi.json").json()["paths"]["/v1/advies"]["post"]["requestBody"]["content"][
        "application/json"]["examples"]
    for example in examples.values():
        assert post_advies(client, example["value"])["casus_id"] == example["value"]["casus_id"]


def test_openapi_declares_bearer_authentication(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("type") == "http" and s.get("scheme", "").lower() == "bearer" for s in schemes.values())
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if path not in ("/health", "/health/ready"):  # the probes of a load balancer need no key
                assert operation.get("security"), f"{method.upper()} {path} does not declare its key"
