"""Real-browser journey of the indicatiesteller: the real server (`hg-advies serve`), Debian's Chromium.

Signs in, fills in the casus form (adding a member with the page's button), submits, reads the advies
page and records a besluit. Screenshots go to test-artefacts/web (git-ignored).
"""

from __future__ import annotations

from typing import Any

from tests.web.axe import controleer
from tests.web.conftest import ARTEFACTEN, aanmelden_in_browser


def test_sign_in_fill_in_the_form_and_read_the_advies(browser: Any, server: str) -> None:
    pagina = aanmelden_in_browser(browser, server, "indicatiesteller", "/advies/nieuw")
    try:
        controleer(pagina, "advies-formulier-leeg")
        # Validation as you go: a wrong age is reported next to its field when leaving it, with the API's
        # message, and the message goes when it is corrected.
        leeftijd = pagina.locator("#leden-0-leeftijd")
        leeftijd.fill("oud")
        leeftijd.press("Tab")
        melding = pagina.locator("#fout-leden-0-leeftijd")
        melding.wait_for(state="visible")
        assert "vul een heel getal in" in melding.inner_text().lower()
        controleer(pagina, "advies-formulier-melding")
        assert leeftijd.get_attribute("aria-invalid") == "true"
        # the error first, then the field's help text (api/web/hulpteksten.yaml), as the server writes it
        assert leeftijd.get_attribute("aria-describedby") == "fout-leden-0-leeftijd hulp-leden-0-leeftijd"
        assert pagina.locator("#fout-casus_id").count() == 0  # untouched fields are not judged yet
        leeftijd.fill("36")
        leeftijd.press("Tab")
        melding.wait_for(state="detached")
        assert leeftijd.get_attribute("aria-invalid") is None
        assert leeftijd.get_attribute("aria-describedby") == "hulp-leden-0-leeftijd"  # the help stays

        # Submitting an incomplete form shows the errors next to the fields.
        pagina.get_by_label("Casusnummer (pseudoniem)").fill("BROWSER-1")
        pagina.get_by_role("button", name="Advies aanvragen").click()
        assert pagina.locator("#foutsamenvatting").is_visible()
        pagina.screenshot(path=str(ARTEFACTEN / "advies-formulier-fouten.png"), full_page=True)
        controleer(pagina, "advies-formulier-fouten")

        pagina.fill("#peildatum", "2021-09-01")
        pagina.fill("#leden-0-id", "moeder")
        pagina.fill("#leden-0-leeftijd", "36")
        pagina.check("input[name='leden-0-rollen'][value='slachtoffer']")
        pagina.fill("#leden-1-id", "vader")
        pagina.fill("#leden-1-leeftijd", "38")
        pagina.check("input[name='leden-1-rollen'][value='pleger']")
        pagina.uncheck("#leden-1-meewerkend")
        pagina.get_by_role("button", name="Gezinslid toevoegen").click()
        # the added row has its own help texts, each field described by its own copy
        assert pagina.locator("#leden-3-leeftijd").get_attribute("aria-describedby") == "hulp-leden-3-leeftijd"
        assert pagina.locator("#hulp-leden-3-leeftijd").is_visible()
        assert pagina.locator("#leden-3-rollen").get_attribute("aria-describedby") == "hulp-leden-3-rollen"
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
        controleer(pagina, "advies-formulier-ingevuld")
        pagina.get_by_role("button", name="Advies aanvragen").click()
        pagina.wait_for_url("**/advies/*")

        assert pagina.get_by_role("heading", name="Advies voor casus BROWSER-1").is_visible()
        assert pagina.get_by_role("table").first.is_visible()
        tekst = pagina.locator("main").inner_text()
        for verwacht in ("HG-arrangement", "Totaal", "zoon", "systeemgerichte hulp", "Uitleg"):
            assert verwacht in tekst, verwacht
        assert pagina.get_by_role("heading", name="Wat zou het advies veranderen?").is_visible()
        pagina.screenshot(path=str(ARTEFACTEN / "advies.png"), full_page=True)
        controleer(pagina, "advies-pagina")
        pagina.screenshot(path=str(ARTEFACTEN / "advies-boven.png"))
        for deel in ("onderdelen", "wat-als"):
            sectie = pagina.locator(f"section[aria-labelledby=kop-{deel}]")
            sectie.screenshot(path=str(ARTEFACTEN / f"advies-{deel}.png"))

        # Besluit vastleggen: deviating needs a reason (the error is tied to the field), then it is stored.
        besluit = pagina.locator("form.besluit")
        besluit.get_by_label("Afwijken van het advies").check()
        besluit.get_by_label("Pakket", exact=True).select_option("2")
        besluit.get_by_role("button", name="Besluit vastleggen").click()
        assert pagina.locator("#foutsamenvatting").is_visible()
        reden = pagina.get_by_label("Reden of toelichting")
        assert reden.get_attribute("aria-invalid") == "true"
        assert pagina.get_by_label("Pakket", exact=True).input_value() == "2"  # the choice is kept
        controleer(pagina, "advies-besluit-fout")
        reden.fill("Moeder heeft een sterk netwerk; pakket 2 volstaat.")
        pagina.locator("form.besluit").get_by_role("button", name="Besluit vastleggen").click()
        pagina.wait_for_url("**/advies/*?besluit=vastgelegd*")
        assert pagina.get_by_role("status").inner_text() == "Het besluit is vastgelegd."
        tabel = pagina.get_by_role("table", name="Vastgelegde besluiten (het laatste telt)")
        assert "pakket" in tabel.inner_text() and "sterk netwerk" in tabel.inner_text()
        pagina.locator("#besluit").screenshot(path=str(ARTEFACTEN / "advies-besluit.png"))
        controleer(pagina, "advies-besluit-vastgelegd")

        # The advies is in "Mijn adviezen", with its deviating besluit.
        pagina.get_by_role("link", name="Mijn adviezen").click()
        rij = pagina.get_by_role("row").filter(has_text="BROWSER-1")
        assert "afwijkend (pakket)" in rij.inner_text()
        controleer(pagina, "adviezen-indicatiesteller")
    finally:
        pagina.context.close()
