"""/docs (Swagger UI) and /redoc (ReDoc) from the service itself, under a CSP without external hosts; and the replay
progress page without a meta refresh (a small script with a live status region, a plain "Ververs" link).

The browser tests allow the page nothing but loopback: in a municipality's closed network a CDN is out of reach.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml
from fastapi.testclient import TestClient

from api.documentatie import STATISCH, csp_voor
from tests.voorbeelden import VOORBEELD
from tests.web.axe import controleer
from tests.web.conftest import ARTEFACTEN, aanmelden_in_browser, api_post

ROOT = Path(__file__).resolve().parents[2]
# ReDoc's sidebar shows its maker's logo from its CDN and drops it when it does not load: the policy refuses it
# before any request leaves the browser, and the page is whole without it.
_REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
ADRES = re.compile(r'(?:src|href|spec-url)="([^"]*)"')


@pytest.mark.parametrize("pad", ["/docs", "/redoc"])
def test_the_documentation_pages_reference_only_the_service_itself(client: TestClient, pad: str) -> None:
    response = client.get(pad)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    adressen = ADRES.findall(response.text)
    assert adressen and all(a.startswith("/") and not a.startswith("//") for a in adressen), adressen
    assert "fonts.googleapis" not in response.text and "cdn" not in response.text.lower()
    csp = response.headers["content-security-policy"]
    assert csp == csp_voor(response.text)
    assert "http" not in csp and "*" not in csp and "'unsafe-eval'" not in csp and "frame-ancestors 'none'" in csp
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    if pad == "/docs":  # its one inline start-up script, by hash
        assert script_src.count("'sha256-") == 1
    for adres in adressen:
        asset = client.get(adres)
        assert asset.status_code == 200, adres
        if adres.startswith(STATISCH):  # static: may be cached
            assert "no-store" not in asset.headers.get("cache-control", ""), adres


def test_the_assets_are_the_real_bundles(client: TestClient) -> None:
    for naam, soort, teken in (("swagger-ui-bundle.js", "javascript", "SwaggerUIBundle"),
                               ("swagger-ui.css", "text/css", ".swagger-ui"),
                               ("redoc.standalone.js", "javascript", "Redoc")):
        response = client.get(f"{STATISCH}/{naam}")
        assert response.status_code == 200 and soort in response.headers["content-type"], naam
        assert teken in response.text[:2_000_000], naam
    assert client.get(f"{STATISCH}/bestaat-niet.js").status_code == 404


def _alleen_loopback(buiten: list[str]) -> Any:
    """A route handler: loopback goes on, anything else is refused and noted."""
    def afhandelen(route: Any) -> None:
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            buiten.append(route.request.url)
            route.abort()
    return afhandelen


@pytest.mark.parametrize("pad", ["/docs", "/redoc"])
def test_the_documentation_renders_in_chromium_without_network(browser: Any, server: str, pad: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    buiten: list[str] = []
    context.route("**/*", _alleen_loopback(buiten))
    try:
        pagina = context.new_page()
        geweigerd: list[str] = []  # CSP violations show up as console errors
        pagina.on("console", lambda m: geweigerd.append(m.text) if "Content Security Policy" in m.text
                  and _REDOC_LOGO not in m.text else None)
        pagina.on("pageerror", lambda e: geweigerd.append(str(e)))
        pagina.goto(f"{server}{pad}")
        if pad == "/docs":
            operatie = pagina.locator(".opblock-summary-path", has_text="/v1/advies").first
            operatie.wait_for(timeout=20_000)
            assert pagina.locator(".opblock").count() >= 10
            operatie.click()  # an operation opens, with its parameters and responses
            pagina.locator(".opblock-body").first.wait_for(timeout=10_000)
        else:
            pagina.get_by_role("heading", name=re.compile("^hg-advies")).first.wait_for(timeout=20_000)
            assert pagina.get_by_text("/v1/advies", exact=False).count() >= 1
        pagina.screenshot(path=str(ARTEFACTEN / f"documentatie{pad.replace('/', '-')}.png"))
        assert not geweigerd, geweigerd
        assert not buiten, buiten
    finally:
        context.close()


def test_replay_progress_updates_itself_without_a_meta_refresh(browser: Any, eigen_server: str) -> None:
    """A job queued behind a longer one (one replay process per server): its page shows the progress with a live
    status and a plain link, and the report takes its place when done, without the page being reloaded."""
    scenario = yaml.safe_load((ROOT / "scenarios" / "waakvlam-in-arrangement.yaml").read_text(encoding="utf-8"))
    lang = [{**VOORBEELD, "casus_id": f"LANG-{i}"} for i in range(150)]
    api_post(eigen_server, "/v1/replay", "beleidsmaker", {"scenario": scenario, "casussen": lang})
    job = api_post(eigen_server, "/v1/replay", "beleidsmaker", {"scenario": scenario})
    pagina = aanmelden_in_browser(browser, eigen_server, "beleidsmaker", f"/replay/{job['job_id']}")
    try:
        assert pagina.get_by_role("heading", name="Voortgang").is_visible()
        assert pagina.locator("meta[http-equiv]").count() == 0
        assert "casussen opnieuw beoordeeld" in pagina.get_by_role("status").inner_text()
        assert pagina.get_by_role("link", name="Ververs").get_attribute("href") == f"/replay/{job['job_id']}"
        pagina.evaluate("window.zelfdePagina = true")  # gone if the page were reloaded
        controleer(pagina, "replay-voortgang")
        pagina.get_by_role("heading", name="Kerncijfers").wait_for(timeout=90_000)
        assert pagina.evaluate("window.zelfdePagina === true")
        assert pagina.title().startswith("Replay waakvlam-in-arrangement")
        # focus on the report's heading (the same report the scenario journey checks with axe-core)
        assert pagina.evaluate("document.activeElement.tagName") == "H1"
        pagina.screenshot(path=str(ARTEFACTEN / "replay-klaar-na-voortgang.png"))
    finally:
        pagina.context.close()

