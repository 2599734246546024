"""Real-browser journey of the HG-deskundige: find an advies, read its onderbouwing, review it per step.

The advies is created over the API (as an indicatiesteller's system would), on the same real server.
"""

from __future__ import annotations

from typing import Any

from tests.voorbeelden import VOORBEELD
from tests.web.axe import controleer
from tests.web.conftest import ARTEFACTEN, aanmelden_in_browser, api_post


def test_read_the_reasoning_with_its_sources_and_review_it(browser: Any, server: str) -> None:
    advies = api_post(server, "/v1/advies", "indicatiesteller", {**VOORBEELD, "casus_id": "DESKUNDIGE-1"})
    pagina = aanmelden_in_browser(browser, server, "hg_deskundige", "/adviezen")
    try:
        assert pagina.get_by_role("heading", name="Adviezen").is_visible()
        controleer(pagina, "adviezen-deskundige")
        pagina.get_by_role("link", name="Onderbouwing van DESKUNDIGE-1").click()
        pagina.wait_for_url(f"**/advies/{advies['advies_id']}/onderbouwing")
        assert pagina.get_by_role("heading", name="Onderbouwing van het advies voor casus DESKUNDIGE-1").is_visible()

        stappen = pagina.locator("ol.keten > li")
        assert stappen.count() == len(advies["uitleg"])
        eerste = stappen.first
        assert advies["uitleg"][0]["tekst"] in eerste.inner_text()
        assert eerste.locator("blockquote").first.is_visible()  # the first step's source passage is open
        # a policy default is marked as such
        beleid = [i for i, u in enumerate(advies["uitleg"]) if u["beleidskeuze"]]
        if beleid:
            assert "Beleidskeuze" in stappen.nth(beleid[0]).locator("h3").inner_text()
        # the what-if section
        assert pagina.get_by_role("heading", name="Wat zou het advies veranderen?").is_visible()
        pagina.screenshot(path=str(ARTEFACTEN / "onderbouwing.png"), full_page=True)
        pagina.screenshot(path=str(ARTEFACTEN / "onderbouwing-boven.png"))
        stappen.nth(7).screenshot(path=str(ARTEFACTEN / "onderbouwing-stap.png"))
        controleer(pagina, "onderbouwing")

        # Submitting without an overall judgement shows the error, tied to its field.
        stap2 = pagina.get_by_role("group", name="Uw oordeel over stap 2", exact=True)
        stap2.get_by_label("Oneens", exact=True).check()
        toelichting = pagina.get_by_label("Toelichting bij stap 2", exact=True)
        toelichting.fill("Meewerken van de vader is niet onderzocht.")
        pagina.get_by_role("button", name="Review vastleggen").click()
        assert pagina.locator("#foutsamenvatting").is_visible()
        assert pagina.locator("#review-oordeel[aria-invalid=true]").count() == 1
        # what was entered is kept
        assert toelichting.input_value() == "Meewerken van de vader is niet onderzocht."
        controleer(pagina, "onderbouwing-review-fout")

        geheel = pagina.get_by_role("group", name="Uw oordeel over de onderbouwing als geheel")
        geheel.get_by_label("Oneens", exact=True).check()
        pagina.get_by_label("Toelichting", exact=True).fill("Stap 2 moet worden nagegaan.")
        pagina.get_by_role("button", name="Review vastleggen").click()
        pagina.wait_for_url("**/onderbouwing?review=vastgelegd*")
        assert pagina.get_by_role("status").inner_text() == "Uw review is vastgelegd."
        reviews = pagina.locator("#reviews").inner_text()
        assert "Oneens met stap 2" in reviews and "Meewerken van de vader is niet onderzocht." in reviews
        pagina.locator("#reviews").screenshot(path=str(ARTEFACTEN / "onderbouwing-review.png"))
        controleer(pagina, "onderbouwing-review-vastgelegd")

        pagina.goto(f"{server}/adviezen")
        rij = pagina.get_by_role("row").filter(has_text="DESKUNDIGE-1")
        assert rij.get_by_role("cell").nth(3).inner_text() == "1"  # one review
    finally:
        pagina.context.close()
