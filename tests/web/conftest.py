"""Fixtures for the web page tests: the API tests' app (SQLite and PostgreSQL), signed-in clients, and for
the real-browser journeys a real server (`hg-advies serve` on SQLite) and Debian's Chromium via Playwright.

The browser fixtures skip when /usr/bin/chromium or the playwright package is missing (`.ci/run`
installs Chromium, so in CI they run)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.pogingen import van
from tests.api.conftest import app, database_url, databases, module_client  # noqa: F401  (fixtures)
from tests.api.helpers import API_KEYS, KEYS, TABLES

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTEFACTEN = ROOT / "test-artefacts" / "web"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
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
    van(app).vergeet()  # and the failed sign-ins in memory: no test locks the next one out
    module_client.cookies.clear()
    return module_client


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        poort: int = s.getsockname()[1]
        return poort


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from start_server(tmp_path_factory.mktemp("web-server"))


@pytest.fixture
def eigen_server(tmp_path: Path) -> Iterator[str]:
    """A server of its own (for a test that trips the sign-in limit, which would lock the others out)."""
    yield from start_server(tmp_path)


def start_server(map_: Path, env: Mapping[str, str] | None = None, poort: int | None = None) -> Iterator[str]:
    """`hg-advies serve` on a free loopback port (or `poort`) with the test keys and any further `env`, until
    the generator is closed."""
    poort = poort or _vrije_poort()
    hg_advies = shutil.which("hg-advies", path=str(Path(sys.executable).parent)) or "hg-advies"
    env = {**os.environ, "HG_API_KEYS": API_KEYS, "HG_DATABASE_URL": f"sqlite:///{map_ / 'hg.sqlite'}",
           "HG_MINIMUM_AANTAL": "1",  # the journeys read the statistics after one besluit
           **(env or {})}
    proces = subprocess.Popen([hg_advies, "serve", "--host", "127.0.0.1", "--port", str(poort)], cwd=map_,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    basis = f"http://127.0.0.1:{poort}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{basis}/health", timeout=1):
                    break
            except OSError:
                if proces.poll() is not None:
                    pytest.fail(f"server stopped: {proces.stderr.read().decode() if proces.stderr else ''}")
                time.sleep(0.1)
        else:
            pytest.fail("server did not answer /health within 20 s")
        yield basis
    finally:
        proces.terminate()
        proces.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright: one browser per test module.

    Not per session: Playwright's sync API keeps an event loop running in the test process while it is
    open, and tests that call asyncio.run() (tests/api/test_opslag.py) fail in a process where it is."""
    verplicht = os.environ.get("HG_TEST_BROWSER") == "verplicht"  # set by .ci/run: never skip there
    if not CHROMIUM.exists():
        melding = f"real-browser test: {CHROMIUM} is missing (apt-get install chromium)"
        (pytest.fail if verplicht else pytest.skip)(melding)
    try:
        from playwright import sync_api
    except ImportError:
        (pytest.fail if verplicht else pytest.skip)("real-browser test: the playwright package is missing")
    ARTEFACTEN.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def aanmelden_in_browser(browser: Any, server: str, rol: str, pad: str) -> Any:
    """A new browser context (own cookies), signed in with the role's key, on `pad`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    pagina = context.new_page()
    pagina.goto(f"{server}{pad}")
    assert "/aanmelden" in pagina.url  # with ?volgende= once the page asked for is kept
    pagina.get_by_label("API-sleutel").fill(KEYS[rol])
    pagina.get_by_role("button", name="Aanmelden").click()
    pagina.wait_for_load_state()
    if not pagina.url.endswith(pad):
        pagina.goto(f"{server}{pad}")
    return pagina


def api_post(server: str, pad: str, rol: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST JSON to the real server's API with the role's key (data the journeys start from)."""
    verzoek = urllib.request.Request(f"{server}{pad}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {KEYS[rol]}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(verzoek, timeout=10) as antwoord:
        data: dict[str, Any] = json.load(antwoord)
    return data
