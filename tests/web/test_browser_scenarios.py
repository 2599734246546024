"""Real-browser journey of the beleidsmaker: the real server (`hg-advies serve`), Debian's Chromium.

Signs in, opens a scenario, first submits a value of the wrong type (the error is shown at the field) next to
a number typed with a decimal comma (accepted, and kept), then changes one parameter, submits, waits on the
progress page (it refreshes itself) for the report, and reads the key figures and a chart. Screenshots go to
test-artefacts/web (git-ignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.voorbeelden import VOORBEELD
from tests.web.axe import controleer
from tests.web.conftest import ARTEFACTEN, aanmelden_in_browser, api_post

CASUSSEN = len(list((Path(__file__).resolve().parents[2] / "casussen").glob("*.yaml")))


def test_change_a_parameter_replay_it_and_read_the_report(browser: Any, server: str) -> None:
    pagina = aanmelden_in_browser(browser, server, "beleidsmaker", "/scenarios")
    try:
        assert pagina.get_by_role("heading", name="Scenario's", exact=True).is_visible()
        controleer(pagina, "scenarios")
        pagina.get_by_role("link", name="waakvlam-in-arrangement").click()
        pagina.wait_for_url("**/scenarios/waakvlam-in-arrangement")

        # Every parameter with its value in force and its source; the scenario's own value filled in.
        duur = pagina.get_by_label("duur.richtlijn_maanden", exact=True)
        assert duur.input_value() == "18"
        rij = pagina.locator("tr", has=duur)
        assert "12" in rij.inner_text() and "001 §3.1" in rij.inner_text()
        controleer(pagina, "scenario")

        # A value of the wrong type: the page comes back with the error at that field and in the summary; a
        # number with a decimal comma is accepted (no error there) and stays as typed.
        toegang = pagina.get_by_label("toegang.minimale_duur_maanden", exact=True)
        toegang.fill("een jaar")
        overhead = pagina.get_by_label("tarieven.overhead_kinderen", exact=True)
        assert "31,33" in pagina.locator("tr", has=overhead).inner_text()  # the value in force, decimal comma
        overhead.fill("3,5")
        pagina.get_by_role("button", name="Afspelen over de casuïstiek").click()
        assert pagina.locator("#foutsamenvatting").is_visible()
        toegang = pagina.get_by_label("toegang.minimale_duur_maanden", exact=True)
        assert toegang.get_attribute("aria-invalid") == "true"
        fout_id = (toegang.get_attribute("aria-describedby") or "").split()[0]
        assert pagina.locator(f"#{fout_id}").is_visible()
        assert "Geef een geheel getal, bijvoorbeeld 12." in pagina.locator(f"#{fout_id}").inner_text()
        overhead = pagina.get_by_label("tarieven.overhead_kinderen", exact=True)
        assert overhead.input_value() == "3,5" and overhead.get_attribute("aria-invalid") is None
        pagina.screenshot(path=str(ARTEFACTEN / "scenario-fouten.png"), full_page=True)
        controleer(pagina, "scenario-fouten")

        # One parameter changed: the access threshold to 18 months as well.
        toegang.fill("18")
        pagina.screenshot(path=str(ARTEFACTEN / "scenario.png"), full_page=True)
        pagina.screenshot(path=str(ARTEFACTEN / "scenario-boven.png"))
        rij.scroll_into_view_if_needed()
        pagina.screenshot(path=str(ARTEFACTEN / "scenario-parameters.png"))
        pagina.get_by_role("button", name="Afspelen over de casuïstiek").click()
        pagina.wait_for_url("**/replay/*")

        # The progress page refreshes itself until the report is there.
        kop = pagina.get_by_role("heading", name="Kerncijfers")
        kop.wait_for(timeout=90_000)
        kerncijfers = pagina.locator(".kerncijfers")
        assert kerncijfers.is_visible()
        tekst = kerncijfers.inner_text()
        assert f"{CASUSSEN}\ncasussen" in tekst and "gewijzigd" in tekst and "uur per week voor" in tekst
        grafiek = pagina.get_by_role("img", name="Pakket: verdeling voor en na")
        assert grafiek.is_visible()
        assert pagina.get_by_role("heading", name="Gewijzigde casussen").is_visible()
        main = pagina.locator("main").inner_text()
        assert "duur_maanden" in main and "toegang.minimale_duur_maanden" in main
        assert "tarieven.overhead_kinderen = 3,5" in main  # the scenario as the form showed it
        pagina.screenshot(path=str(ARTEFACTEN / "replay-rapport.png"), full_page=True)
        pagina.screenshot(path=str(ARTEFACTEN / "replay-rapport-boven.png"))
        grafiek.scroll_into_view_if_needed()
        pagina.screenshot(path=str(ARTEFACTEN / "replay-rapport-grafiek.png"))
        pagina.get_by_role("heading", name="Gewijzigde casussen").scroll_into_view_if_needed()
        pagina.screenshot(path=str(ARTEFACTEN / "replay-rapport-casussen.png"))
        controleer(pagina, "replay-rapport")

        # The standalone report for the same session.
        pagina.get_by_role("link", name="Los rapport (HTML)").click()
        assert pagina.get_by_role("heading", name="Replay: waakvlam-in-arrangement").is_visible()
        controleer(pagina, "replay-los-rapport")

        # The deviation statistics from professionals' decisions: one deviating besluit recorded over the API
        # (other journeys on this server may add theirs, so the counts are at least these).
        advies = api_post(server, "/v1/advies", "indicatiesteller", {**VOORBEELD, "casus_id": "BELEID-1"})
        api_post(server, f"/v1/advies/{advies['advies_id']}/besluit", "indicatiesteller",
             {"route": advies["route"], "perceel": advies["perceel"], "pakket": 2,
              "maatwerk": [m["resultaatgebied"] for m in advies["maatwerk"]], "reden": "Netwerk volstaat."})
        pagina.go_back()
        pagina.get_by_role("link", name="Afwijkingen").click()
        pagina.wait_for_url("**/afwijkingen")
        assert pagina.get_by_role("heading", name="Afwijkingen van het advies").is_visible()
        kerncijfers = [int(w) for w in pagina.locator(".kerncijfer .waarde").all_inner_texts()[:2]]
        assert kerncijfers[0] >= 1 and kerncijfers[1] >= 1
        pakket = pagina.get_by_role("row").filter(has=pagina.get_by_role("rowheader", name="Pakket", exact=True))
        assert int(pakket.get_by_role("cell").first.inner_text()) >= 1
        pagina.screenshot(path=str(ARTEFACTEN / "afwijkingen.png"), full_page=True)
        controleer(pagina, "afwijkingen")
    finally:
        pagina.context.close()
