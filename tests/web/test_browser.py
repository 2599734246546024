"""One real-browser test: the real server (`hg-advies serve`), Debian's Chromium driven by Playwright.

Signs in, fills in the casus form (adding a member with the page's button), submits and reads the advies
page. Screenshots go to test-artefacts/ (git-ignored). Skipped when /usr/bin/chromium or the playwright
package is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.helpers import API_KEYS, KEYS

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTEFACTEN = ROOT / "test-artefacts" / "web"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists():
    pytest.skip(f"real-browser test: {CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="real-browser test: the playwright package is missing")


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        poort: int = s.getsockname()[1]
        return poort


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    map_ = tmp_path_factory.mktemp("web-server")
    poort = _vrije_poort()
    hg_advies = shutil.which("hg-advies", path=str(Path(sys.executable).parent)) or "hg-advies"
    env = {**os.environ, "HG_API_KEYS": API_KEYS, "HG_DATABASE_URL": f"sqlite:///{map_ / 'hg.sqlite'}"}
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


def test_sign_in_fill_in_the_form_and_read_the_advies(server: str) -> None:
    ARTEFACTEN.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            pagina = browser.new_page(viewport={"width": 1100, "height": 900})
            pagina.goto(f"{server}/advies/nieuw")
            assert pagina.url.endswith("/aanmelden")
            pagina.get_by_label("API-sleutel").fill(KEYS["indicatiesteller"])
            pagina.get_by_role("button", name="Aanmelden").click()
            pagina.wait_for_url("**/advies/nieuw")

            # Submitting an incomplete form shows the errors next to the fields.
            pagina.get_by_label("Casusnummer (pseudoniem)").fill("BROWSER-1")
            pagina.get_by_role("button", name="Advies aanvragen").click()
            assert pagina.locator("#foutsamenvatting").is_visible()
            pagina.screenshot(path=str(ARTEFACTEN / "advies-formulier-fouten.png"), full_page=True)

            pagina.fill("#peildatum", "2021-09-01")
            pagina.fill("#leden-0-id", "moeder")
            pagina.fill("#leden-0-leeftijd", "36")
            pagina.check("input[name='leden-0-rollen'][value='slachtoffer']")
            pagina.fill("#leden-1-id", "vader")
            pagina.fill("#leden-1-leeftijd", "38")
            pagina.check("input[name='leden-1-rollen'][value='pleger']")
            pagina.uncheck("#leden-1-meewerkend")
            pagina.get_by_role("button", name="Gezinslid toevoegen").click()
            pagina.fill("#leden-3-id", "zoon")
            pagina.fill("#leden-3-leeftijd", "6")
            pagina.check("input[name='leden-3-rollen'][value='getuige']")
            pagina.get_by_role("button", name="Gezinslid 3 verwijderen").click()  # the empty row 2
            pagina.check("input[name='geweld-binnen_huiselijke_kring'][value='ja']")
            pagina.check("input[name='geweld-structureel'][value='ja']")
            pagina.check("input[name='geweld-vormen'][value='fysiek']")
            pagina.check("#geweld-intieme_terreur")
            pagina.check("input[name='veiligheid-niveau'][value='hoog']")
            pagina.check("input[name='vaardigheden'][value='beperkt']")
            pagina.check("input[name='signalen'][value='verslaving']")
            pagina.screenshot(path=str(ARTEFACTEN / "advies-formulier.png"), full_page=True)
            pagina.get_by_role("button", name="Advies aanvragen").click()
            pagina.wait_for_url("**/advies/*")

            assert pagina.get_by_role("heading", name="Advies voor casus BROWSER-1").is_visible()
            assert pagina.get_by_role("table").is_visible()
            tekst = pagina.locator("main").inner_text()
            for verwacht in ("hg arrangement", "Totaal", "zoon", "systeemgerichte hulp", "Uitleg"):
                assert verwacht in tekst, verwacht
            pagina.screenshot(path=str(ARTEFACTEN / "advies.png"), full_page=True)
        finally:
            browser.close()
