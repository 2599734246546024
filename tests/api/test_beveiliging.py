"""Security headers on pages and API answers (issue 11; attacks-2026-12.log, category headers)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.beveiliging import CSP
from tests.api.helpers import auth, post_advies


@pytest.mark.parametrize("pad", ["/aanmelden", "/adviezen", "/v1/rulesets", "/health", "/v1/advies/" + "0" * 32])
def test_every_answer_carries_the_security_headers(client: TestClient, pad: str) -> None:
    response = client.get(pad, headers=auth("hg_deskundige"), follow_redirects=False)
    koppen = response.headers
    assert koppen["content-security-policy"] == CSP
    assert "frame-ancestors 'none'" in CSP and "default-src 'self'" in CSP
    assert koppen["x-frame-options"] == "DENY"
    assert koppen["x-content-type-options"] == "nosniff"
    assert koppen["referrer-policy"] == "no-referrer"
    assert koppen["cache-control"] == "no-store"
    assert "strict-transport-security" not in koppen  # plain http: HSTS would mean nothing


def test_an_advies_is_never_cached_and_static_files_may_be(client: TestClient) -> None:
    advies = post_advies(client)
    gelezen = client.get(f"/v1/advies/{advies['advies_id']}", headers=auth("indicatiesteller"))
    assert gelezen.status_code == 200 and gelezen.headers["cache-control"] == "no-store"
    stijl = client.get("/static/stijl.css")
    assert stijl.status_code == 200 and stijl.headers.get("cache-control") != "no-store"
    assert stijl.headers["x-content-type-options"] == "nosniff"


def test_hsts_over_https(app: FastAPI, module_client: TestClient) -> None:
    with TestClient(app, base_url="https://testserver") as https:
        response = https.get("/health")
    assert response.headers["strict-transport-security"].startswith("max-age=")
