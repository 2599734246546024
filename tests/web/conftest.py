"""Fixtures for the web page tests: the API tests' app (SQLite and PostgreSQL), and signed-in clients."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.api.conftest import app, database_url, databases, module_client  # noqa: F401  (fixtures)
from tests.api.helpers import KEYS, TABLES

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def aanmelden(client: TestClient, principal: str) -> TestClient:
    token = csrf(client.get("/aanmelden").text)
    response = client.post("/aanmelden", data={"csrf": token, "sleutel": KEYS[principal]}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def client(module_client: TestClient, app: FastAPI) -> TestClient:  # noqa: F811
    """The module's client on empty tables, signed out."""
    with app.state.db.begin() as conn:
        for table in ("web_sessie", *TABLES):
            conn.execute(text(f"DELETE FROM {table}"))
    module_client.cookies.clear()
    return module_client
