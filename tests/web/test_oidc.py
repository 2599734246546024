"""Sign-in through the municipality's identity provider (OpenID Connect), and the idle timeout of web sessions.

Against a real provider: the npm package oidc-provider on Node.js (`tests/oidc/provider.mjs`, on loopback), with
a real `hg-advies serve` configured for it, driven by Debian's Chromium (the journey per role, the user without a
role, sign-out at both ends, a tampered state) and by plain HTTP (PKCE S256 in the authorization request, a
state that does not match). The provider's issuer is `http://localhost:<port>` and the service is on
`http://127.0.0.1:<port>`: two sites, so the browser treats the callback as the cross-site navigation it is in
production (SameSite cookies). Without the provider's network, on TestClient apps (SQLite and PostgreSQL): the
idle timeout and the absolute lifetime, the key sign-in next to an identity provider, audit lines, a provider
that cannot be reached (a Dutch 503), the role claim.

Skipped when node, tests/oidc/node_modules (`npm ci --prefix tests/oidc`) or Chromium are missing, unless
HG_TEST_OIDC=verplicht (set by .ci/run): then they fail.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, select, text, update

from api.app import create_app
from api.audit import TABEL as AUDIT
from api.auth import Principal, key_id
from api.models import WebSessieRecord
from api.oidc import Geweigerd, Instelling, OidcFout, oidc_key_id, rol_uit
from api.settings import Settings
from api.web.aanmelden import STARTPAGINA
from api.web.pagina import ROLNAMEN
from api.web.sessies import COOKIE, nieuwe_sessie
from tests.api.conftest import Databases
from tests.api.helpers import API_KEYS, KEYS, rows
from tests.web.axe import controleer
from tests.web.conftest import ARTEFACTEN, ROOT, _vrije_poort, aanmelden, csrf, start_server

OIDC_MAP = ROOT / "tests" / "oidc"
VERPLICHT = os.environ.get("HG_TEST_OIDC") == "verplicht"  # set by .ci/run: never skip there
CLIENT_ID = "hg-advies-test"
CLIENT_SECRET = "test-client-secret-3f9a1c7e5b2d"
ACCOUNTS = {"indicatiesteller": "indicatiesteller", "hg_deskundige": "deskundige", "beleidsmaker": "beleidsmaker",
            "beheerder": "beheerder"}  # role -> account id at the test provider (tests/oidc/provider.mjs)
SESSIES = WebSessieRecord.__table__  # type: ignore[attr-defined]
ONBEREIKBAAR = "http://127.0.0.1:9"  # nothing listens there: connection refused at once


def _niet_beschikbaar(melding: str) -> None:
    (pytest.fail if VERPLICHT else pytest.skip)(melding)


@dataclass(frozen=True)
class Omgeving:
    issuer: str
    basis: str
    db: Engine


def _wacht_op(url: str, proces: subprocess.Popen[bytes], wat: str) -> None:
    for _ in range(200):
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            if proces.poll() is not None:
                pytest.fail(f"{wat} stopped: {proces.stderr.read().decode() if proces.stderr else ''}")
            time.sleep(0.1)
    pytest.fail(f"{wat} did not answer {url} within 20 s")


@pytest.fixture(scope="module")
def omgeving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Omgeving]:
    """The test provider and a real server configured for it (SQLite), for this module."""
    node = shutil.which("node")
    if node is None:
        _niet_beschikbaar("OIDC test: node is missing (apt-get install nodejs npm)")
    if not (OIDC_MAP / "node_modules" / "oidc-provider").is_dir():
        _niet_beschikbaar("OIDC test: tests/oidc/node_modules is missing (npm ci --prefix tests/oidc)")
    assert node is not None
    map_ = tmp_path_factory.mktemp("oidc")
    idp_poort, dienst_poort = _vrije_poort(), _vrije_poort()
    issuer, basis = f"http://localhost:{idp_poort}", f"http://127.0.0.1:{dienst_poort}"
    env = {**os.environ, "OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
           "OIDC_REDIRECT_URI": f"{basis}/aanmelden/oidc/terug", "OIDC_POST_LOGOUT_REDIRECT_URI": f"{basis}/aanmelden"}
    provider = subprocess.Popen([node, str(OIDC_MAP / "provider.mjs"), str(idp_poort)], cwd=OIDC_MAP, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wacht_op(f"{issuer}/.well-known/openid-configuration", provider, "the OIDC test provider")
        server = start_server(map_, {"HG_OIDC_ISSUER": issuer, "HG_OIDC_CLIENT_ID": CLIENT_ID,
                                     "HG_OIDC_CLIENT_SECRET": CLIENT_SECRET, "HG_OIDC_SCOPES": "roles"}, dienst_poort)
        assert next(server) == basis
        db = create_engine(f"sqlite:///{map_ / 'hg.sqlite'}")
        try:
            yield Omgeving(issuer, basis, db)
        finally:
            db.dispose()
            server.close()
    finally:
        provider.terminate()
        provider.wait(timeout=10)


def _audit(db: Engine, vanaf: int = 0) -> list[dict[str, Any]]:
    with db.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(AUDIT).where(AUDIT.c.id > vanaf).order_by(AUDIT.c.id))]


def _laatste_audit_id(db: Engine) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(AUDIT.c.id), 0))).scalar_one())


# --- plain HTTP against the real provider -------------------------------------------------------------------------

def test_the_authorization_request_uses_pkce_s256_with_state_and_nonce(omgeving: Omgeving) -> None:
    with httpx.Client(base_url=omgeving.basis) as client:
        response = client.get("/aanmelden/oidc")
    assert response.status_code == 303
    url = urlparse(response.headers["location"])
    assert f"{url.scheme}://{url.netloc}" == omgeving.issuer
    q = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert q["response_type"] == "code" and q["client_id"] == CLIENT_ID
    assert q["redirect_uri"] == f"{omgeving.basis}/aanmelden/oidc/terug"
    assert q["scope"].split() == ["openid", "roles"]
    assert q["code_challenge_method"] == "S256" and len(q["code_challenge"]) == 43  # base64url of a SHA-256
    assert len(q["state"]) >= 32 and len(q["nonce"]) >= 32 and q["state"] != q["nonce"]
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("hg_oidc="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/aanmelden/oidc" in cookie
    # The provider accepts this request (and would refuse one without PKCE: pkce.required).
    with httpx.Client() as idp:
        assert idp.get(response.headers["location"]).status_code in (302, 303)


def test_a_state_that_does_not_match_is_refused_and_logged(omgeving: Omgeving) -> None:
    vanaf = _laatste_audit_id(omgeving.db)
    with httpx.Client(base_url=omgeving.basis) as client:
        start = client.get("/aanmelden/oidc")
        state = parse_qs(urlparse(start.headers["location"]).query)["state"][0]
        response = client.get("/aanmelden/oidc/terug", params={"state": state[:-2] + "xx", "code": "iets"})
        assert response.status_code == 400 and "Aanmelden geweigerd" in response.text
        assert "verlopen of niet in deze browser begonnen" in response.text
        assert COOKIE not in response.headers.get("set-cookie", "").replace("hg_oidc", "")
        # Without the pre-login cookie (another browser, or after 10 minutes) the state cannot match either.
        client.cookies.clear()
        assert client.get("/aanmelden/oidc/terug", params={"state": state, "code": "iets"}).status_code == 400
    regels = [r for r in _audit(omgeving.db, vanaf) if r["actie"] == "aanmelden_mislukt"]
    assert len(regels) == 2 and all(r["status"] == 400 and r["key_id"] is None for r in regels)


# --- the journeys in Chromium ---------------------------------------------------------------------------------------

def _alleen_loopback(route: Any) -> None:
    """This machine reaches nothing but loopback: the provider's pages ask for external fonts, refused here."""
    if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


def _context(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="nl-NL")
    context.route("**/*", _alleen_loopback)
    return context


def _via_gemeente(pagina: Any, omgeving: Omgeving, account: str) -> None:
    """From the sign-in page through the provider's login and consent, back to the service."""
    pagina.get_by_role("link", name="Aanmelden via de gemeente").click()
    pagina.wait_for_url(f"{omgeving.issuer}/**")
    pagina.fill("input[name=login]", account)
    pagina.fill("input[name=password]", "wachtwoord")
    pagina.get_by_role("button", name="Sign-in").click()
    pagina.get_by_role("button", name="Continue").click()
    pagina.wait_for_url(f"{omgeving.basis}/**")
    pagina.wait_for_load_state()


@pytest.mark.parametrize("rol", list(ACCOUNTS))
def test_sign_in_through_the_provider_lands_on_the_role_start_page(browser: Any, omgeving: Omgeving,
                                                                   rol: str) -> None:
    vanaf = _laatste_audit_id(omgeving.db)
    context = _context(browser)
    try:
        pagina = context.new_page()
        pagina.goto(f"{omgeving.basis}/")
        assert pagina.url.startswith(f"{omgeving.basis}/aanmelden")
        assert pagina.get_by_label("API-sleutel").is_visible()  # the beheerder's key form stays (HG_API_KEYS)
        if rol == "indicatiesteller":
            pagina.screenshot(path=str(ARTEFACTEN / "oidc-aanmelden.png"))
            controleer(pagina, "oidc-aanmelden")  # axe-core at 1280 and 390 px
        _via_gemeente(pagina, omgeving, ACCOUNTS[rol])
        pagina.wait_for_url(f"{omgeving.basis}{STARTPAGINA[rol]}")
        assert pagina.get_by_text(f"Aangemeld als {ROLNAMEN[rol]}").is_visible()
        pagina.screenshot(path=str(ARTEFACTEN / f"oidc-aangemeld-{rol}.png"))
        cookie = next(c for c in context.cookies() if c["name"] == COOKIE)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert not [c for c in context.cookies() if c["name"] == "hg_oidc"]  # spent
    finally:
        context.close()
    [regel] = [r for r in _audit(omgeving.db, vanaf) if r["actie"] == "aangemeld"]
    assert regel["subject"] == ACCOUNTS[rol] and regel["rol"] == rol
    assert regel["key_id"] == oidc_key_id(omgeving.issuer, ACCOUNTS[rol])
    with omgeving.db.connect() as conn:
        sessie = conn.execute(text("SELECT key_id, rol, subject, id_token FROM web_sessie WHERE subject = :s"),
                              {"s": ACCOUNTS[rol]}).mappings().first()
    assert sessie is not None and sessie["rol"] == rol and sessie["id_token"]


@pytest.mark.parametrize(("account", "reden"), [("zonderrol", "geen rol voor HG-advies"),
                                                ("tweerollen", "meer dan één rol")])
def test_an_account_without_one_role_is_refused(browser: Any, omgeving: Omgeving, account: str, reden: str) -> None:
    vanaf = _laatste_audit_id(omgeving.db)
    context = _context(browser)
    try:
        pagina = context.new_page()
        antwoorden: list[int] = []
        pagina.on("response", lambda r: antwoorden.append(r.status) if "/aanmelden/oidc/terug" in r.url else None)
        pagina.goto(f"{omgeving.basis}/aanmelden")
        _via_gemeente(pagina, omgeving, account)
        assert pagina.get_by_role("heading", name="Aanmelden geweigerd").is_visible()
        assert reden in pagina.locator("main").inner_text()
        assert antwoorden == [403]
        assert not [c for c in context.cookies() if c["name"] == COOKIE]
        pagina.screenshot(path=str(ARTEFACTEN / f"oidc-geweigerd-{account}.png"))
        pagina.goto(f"{omgeving.basis}/adviezen")
        assert pagina.url.startswith(f"{omgeving.basis}/aanmelden")
    finally:
        context.close()
    [regel] = [r for r in _audit(omgeving.db, vanaf) if r["actie"] == "aanmelden_mislukt"]
    assert regel["subject"] == account and regel["rol"] is None and regel["status"] == 403


def _sessies(db: Engine, subject: str) -> int:
    with db.connect() as conn:
        aantal = conn.execute(text("SELECT count(*) FROM web_sessie WHERE subject = :s"), {"s": subject})
        return int(aantal.scalar_one())


def test_sign_out_ends_the_session_here_and_at_the_provider(browser: Any, omgeving: Omgeving) -> None:
    vanaf, sessies = _laatste_audit_id(omgeving.db), _sessies(omgeving.db, "deskundige")
    context = _context(browser)
    try:
        pagina = context.new_page()
        pagina.goto(f"{omgeving.basis}/aanmelden")
        _via_gemeente(pagina, omgeving, "deskundige")
        pagina.wait_for_url(f"{omgeving.basis}/adviezen")
        assert _sessies(omgeving.db, "deskundige") == sessies + 1
        pagina.get_by_role("button", name="Afmelden").click()
        # Our page continues to the provider's end_session_endpoint (id_token_hint), which asks to confirm.
        pagina.wait_for_url(f"{omgeving.issuer}/session/end**")
        pagina.get_by_role("button", name="Yes, sign me out").click()
        pagina.wait_for_url(f"{omgeving.basis}/aanmelden")  # post_logout_redirect_uri
        assert pagina.get_by_role("link", name="Aanmelden via de gemeente").is_visible()
        pagina.goto(f"{omgeving.basis}/adviezen")
        assert pagina.url.startswith(f"{omgeving.basis}/aanmelden")
        # Signed out at the provider too: signing in again asks for the login, not only the consent.
        pagina.get_by_role("link", name="Aanmelden via de gemeente").click()
        pagina.wait_for_url(f"{omgeving.issuer}/**")
        assert pagina.locator("input[name=login]").is_visible()
    finally:
        context.close()
    acties = [(r["actie"], r["subject"]) for r in _audit(omgeving.db, vanaf)]
    assert ("aangemeld", "deskundige") in acties and ("afgemeld", "deskundige") in acties
    assert _sessies(omgeving.db, "deskundige") == sessies  # the one of this test is gone


def test_a_tampered_state_is_refused(browser: Any, omgeving: Omgeving) -> None:
    """The state on its way to the provider is changed (the browser's request to start signing in is answered
    with a changed redirect): the provider sends it back, and it is not the one bound to this browser."""
    vanaf = _laatste_audit_id(omgeving.db)
    context = _context(browser)

    def verander_state(route: Any) -> None:
        antwoord = route.fetch(max_redirects=0)
        url = urlparse(antwoord.headers["location"])
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        q["state"] = "aangepast" + q["state"][9:]
        route.fulfill(response=antwoord,
                      headers={**antwoord.headers, "location": urlunparse(url._replace(query=urlencode(q)))})

    try:
        context.route(f"{omgeving.basis}/aanmelden/oidc", verander_state)
        pagina = context.new_page()
        pagina.goto(f"{omgeving.basis}/aanmelden")
        _via_gemeente(pagina, omgeving, "indicatiesteller")
        assert "state=aangepast" in pagina.url
        assert pagina.get_by_role("heading", name="Aanmelden geweigerd").is_visible()
        assert not [c for c in context.cookies() if c["name"] == COOKIE]
        pagina.goto(f"{omgeving.basis}/advies/nieuw")
        assert pagina.url.startswith(f"{omgeving.basis}/aanmelden")
    finally:
        context.close()
    acties = [r["actie"] for r in _audit(omgeving.db, vanaf)]
    assert acties == ["aanmelden_mislukt"]


# --- TestClient: sessions, key sign-in next to the provider, audit, an unreachable provider ---------------------

@pytest.fixture(scope="module")
def oidc_app(databases: Databases) -> Iterator[tuple[FastAPI, TestClient]]:
    """An app with an identity provider that cannot be reached, and an idle timeout of 5 minutes."""
    app = create_app(Settings(database_url=databases.new(), api_keys=API_KEYS, oidc_issuer=ONBEREIKBAAR,
                              oidc_client_id=CLIENT_ID, oidc_client_secret=CLIENT_SECRET, sessie_inactief_minuten=5))
    with TestClient(app) as client:
        yield app, client


@pytest.fixture
def oidc_client(oidc_app: tuple[FastAPI, TestClient]) -> TestClient:
    app, client = oidc_app
    with app.state.db.begin() as conn:
        conn.execute(text("DELETE FROM web_sessie"))
    client.cookies.clear()
    return client


def _oidc_sessie(app: FastAPI, client: TestClient, subject: str, rol: str, issuer: str = ONBEREIKBAAR) -> None:
    wie = Principal(oidc_key_id(issuer, subject), rol, subject)
    client.cookies.set(COOKIE, nieuwe_sessie(app.state.db, wie, "een.id.token"))


def _zet(app: FastAPI, kolom: str, geleden: dt.timedelta) -> None:
    with app.state.db.begin() as conn:  # through the model's column type, as the service writes it
        conn.execute(update(SESSIES).values({kolom: dt.datetime.now(dt.UTC) - geleden}))


def _aangemeld(client: TestClient, pad: str = "/adviezen") -> bool:
    response = client.get(pad, follow_redirects=False)
    return response.status_code == 200


def test_an_idle_session_ends_after_the_idle_timeout(oidc_app: tuple[FastAPI, TestClient],
                                                     oidc_client: TestClient) -> None:
    app, client = oidc_app[0], oidc_client
    _oidc_sessie(app, client, "piet", "hg_deskundige")
    assert _aangemeld(client) and "Aangemeld als HG-deskundige" in client.get("/adviezen").text
    _zet(app, "laatst_gebruikt", dt.timedelta(minutes=4))  # within HG_SESSIE_INACTIEF_MINUTEN=5
    assert _aangemeld(client)
    [rij] = rows(app, "web_sessie")
    assert dt.datetime.now(dt.UTC) - rij["laatst_gebruikt"].replace(tzinfo=dt.UTC) < dt.timedelta(seconds=30)
    _zet(app, "laatst_gebruikt", dt.timedelta(minutes=5, seconds=5))
    response = client.get("/adviezen", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/aanmelden")
    assert rows(app, "web_sessie") == []  # an idle session found is deleted


def test_use_is_recorded_at_most_once_a_minute(oidc_app: tuple[FastAPI, TestClient], oidc_client: TestClient) -> None:
    app, client = oidc_app[0], oidc_client
    _oidc_sessie(app, client, "piet", "hg_deskundige")
    _zet(app, "laatst_gebruikt", dt.timedelta(seconds=20))
    voor = rows(app, "web_sessie")[0]["laatst_gebruikt"]
    assert _aangemeld(client) and _aangemeld(client)
    assert rows(app, "web_sessie")[0]["laatst_gebruikt"] == voor  # 20 s ago: no write
    _zet(app, "laatst_gebruikt", dt.timedelta(seconds=70))
    voor = rows(app, "web_sessie")[0]["laatst_gebruikt"]
    assert _aangemeld(client)
    assert rows(app, "web_sessie")[0]["laatst_gebruikt"] > voor


def test_the_absolute_lifetime_holds_however_active(oidc_app: tuple[FastAPI, TestClient],
                                                    oidc_client: TestClient) -> None:
    app, client = oidc_app[0], oidc_client
    _oidc_sessie(app, client, "piet", "beleidsmaker")
    [rij] = rows(app, "web_sessie")
    assert rij["verloopt"] - rij["aangemaakt"] == dt.timedelta(hours=8)
    assert _aangemeld(client, "/scenarios")
    with app.state.db.begin() as conn:
        conn.execute(update(SESSIES).values(verloopt=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1),
                                            laatst_gebruikt=dt.datetime.now(dt.UTC)))
    assert not _aangemeld(client, "/scenarios")


def test_a_session_of_another_provider_or_without_a_provider_is_refused(oidc_app: tuple[FastAPI, TestClient],
                                                                        oidc_client: TestClient,
                                                                        client: TestClient, app: FastAPI) -> None:
    _oidc_sessie(oidc_app[0], oidc_client, "piet", "hg_deskundige", issuer="https://een-andere-gemeente.example")
    assert not _aangemeld(oidc_client)
    # The app without HG_OIDC_*: a session of the identity provider no longer counts (not subject to the key check).
    _oidc_sessie(app, client, "piet", "hg_deskundige")
    assert not _aangemeld(client)


def test_with_a_provider_only_a_beheerder_signs_in_with_a_key(oidc_app: tuple[FastAPI, TestClient],
                                                              oidc_client: TestClient) -> None:
    app, client = oidc_app[0], oidc_client
    vanaf = _laatste_audit_id(app.state.db)
    pagina = client.get("/aanmelden")
    assert 'href="/aanmelden/oidc"' in pagina.text and "Aanmelden via de gemeente" in pagina.text
    assert "Beheerder: aanmelden met een API-sleutel" in pagina.text
    response = client.post("/aanmelden", data={"csrf": csrf(pagina.text), "sleutel": KEYS["indicatiesteller"]})
    assert response.status_code == 403 and "alleen een beheerder" in response.text
    assert rows(app, "web_sessie") == []
    aanmelden(client, "beheerder")
    assert _aangemeld(client)
    # A key session of another role (from before the provider was configured) no longer counts.
    client.cookies.set(COOKIE, nieuwe_sessie(app.state.db, Principal(key_id(KEYS["hg_deskundige"]), "hg_deskundige")))
    assert not _aangemeld(client)
    regels = [(r["actie"], r["rol"], r["status"]) for r in _audit(app.state.db, vanaf)]
    assert ("aanmelden_mislukt", "indicatiesteller", 403) in regels and ("aangemeld", "beheerder", None) in regels


def test_an_unreachable_provider_gives_a_dutch_503(oidc_client: TestClient) -> None:
    response = oidc_client.get("/aanmelden/oidc", follow_redirects=False)
    assert response.status_code == 503 and response.headers["retry-after"]
    assert "het inlogsysteem van de gemeente is niet bereikbaar" in response.text
    assert "<html" in response.text


def test_sign_out_of_a_provider_session_works_while_the_provider_is_down(oidc_app: tuple[FastAPI, TestClient],
                                                                         oidc_client: TestClient) -> None:
    app, client = oidc_app[0], oidc_client
    vanaf = _laatste_audit_id(app.state.db)
    _oidc_sessie(app, client, "piet", "hg_deskundige")
    token = csrf(client.get("/adviezen").text)
    response = client.post("/afmelden", data={"csrf": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/aanmelden")
    assert rows(app, "web_sessie") == []
    [regel] = [r for r in _audit(app.state.db, vanaf) if r["actie"] == "afgemeld"]
    assert regel["subject"] == "piet" and regel["rol"] == "hg_deskundige"


def test_key_sign_in_and_sign_out_are_logged(client: TestClient, app: FastAPI) -> None:
    vanaf = _laatste_audit_id(app.state.db)
    token = csrf(client.get("/aanmelden").text)
    assert client.post("/aanmelden", data={"csrf": token, "sleutel": "niet-de-goede-sleutel-123"}).status_code == 401
    aanmelden(client, "beleidsmaker")
    client.post("/afmelden", data={"csrf": csrf(client.get("/scenarios").text)}, follow_redirects=False)
    regels = [(r["actie"], r["key_id"], r["rol"]) for r in _audit(app.state.db, vanaf)]
    wie = (key_id(KEYS["beleidsmaker"]), "beleidsmaker")
    # the scenario page read on the way (to get a csrf token) is logged as well: the list of saved scenarios
    assert regels == [("aanmelden_mislukt", None, None), ("aangemeld", *wie), ("scenarios_gelezen", *wie),
                      ("afgemeld", *wie)]


def test_a_key_session_also_ends_when_idle(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "indicatiesteller")
    assert _aangemeld(client, "/advies/nieuw")
    _zet(app, "laatst_gebruikt", dt.timedelta(minutes=31))  # the default: 30 minutes
    assert not _aangemeld(client, "/advies/nieuw")


# --- the role claim and the settings ------------------------------------------------------------------------------

def test_the_role_comes_from_one_valid_value_of_the_claim() -> None:
    assert rol_uit({"roles": "beleidsmaker"}, "roles") == "beleidsmaker"
    assert rol_uit({"roles": ["medewerker", "indicatiesteller"]}, "roles") == "indicatiesteller"
    assert rol_uit({"roles": ["beheerder", "beheerder"]}, "roles") == "beheerder"
    assert rol_uit({"realm_access": {"roles": ["hg_deskundige"]}}, "realm_access.roles") == "hg_deskundige"
    assert rol_uit({"https://gemeente.example/rol": "beheerder"}, "https://gemeente.example/rol") == "beheerder"
    for claims in ({}, {"roles": []}, {"roles": "Beheerder"}, {"roles": 3}, {"groups": ["beheerder"]}):
        with pytest.raises(Geweigerd, match="geen rol") as geen:
            rol_uit(claims, "roles")
        assert geen.value.status == 403
    with pytest.raises(Geweigerd, match="meer dan één rol"):
        rol_uit({"roles": ["indicatiesteller", "beleidsmaker"]}, "roles")


def test_oidc_needs_all_three_settings_and_https() -> None:
    assert Instelling.uit(Settings()) is None
    with pytest.raises(OidcFout, match="HG_OIDC_CLIENT_SECRET ontbreekt"):
        Instelling.uit(Settings(oidc_issuer="https://login.gemeente.example", oidc_client_id="hg"))
    for issuer in ("http://login.gemeente.example", "http://localhost.gemeente.example", "login.gemeente.example"):
        with pytest.raises(OidcFout, match="https"):
            Instelling.uit(Settings(oidc_issuer=issuer, oidc_client_id="hg", oidc_client_secret="geheim"))
    instelling = Instelling.uit(Settings(oidc_issuer="https://login.gemeente.example", oidc_client_id="hg",
                                         oidc_client_secret="geheim", oidc_scopes="openid roles",
                                         oidc_acr="urn:mfa"))
    assert instelling is not None and instelling.scopes == ("roles",) and instelling.acr == ("urn:mfa",)
