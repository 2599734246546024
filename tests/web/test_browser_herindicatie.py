"""Real-browser journeys of issue 12: the real server (`hg-advies serve`), Debian's Chromium.

1. The indicatiesteller asks an advies, follows "Herindicatie" (the form is filled with the casus), lowers the
   safety risk and submits: the new advies shows the earlier one with the direction and what changed. Its PDF
   (the link on the page, in the signed-in browser context) is a PDF with the casusnummer in its text. A besluit
   without its required reason: the error summary has the focus and is in view, at 1280 and at 390 px; the form's
   address opened again (GET) lands on the page; with the reason the confirmation is shown in the besluit section,
   in view, and so is a second besluit's on a phone. The history shows the last besluit.
2. The HG-deskundige finds work on the adviezen list with a partial lower-case search and the filters "nog niet
   beoordeeld" and "zonder besluit", submits a review without its overall judgement (the error summary has the
   focus), then properly; the advies leaves the "nog niet beoordeeld" list.

Every page visited is checked by `controleer` (axe-core at 1280 and 390 px, no sideways scroll at 390 px); on the
advies pages, the herindicatie form and the adviezen list the tables at 390 px also keep their words whole (a wide
one scrolls in its own focusable region instead). Screenshots (and the PDF) go to test-artefacts/web (git-ignored).
"""

from __future__ import annotations

import io
import re
from typing import Any

import pypdf

from tests.voorbeelden import VOORBEELD
from tests.web.axe import BREED, SMAL, controleer
from tests.web.conftest import ARTEFACTEN, aanmelden_in_browser, api_post

CASUS = "HER-2026-0412"

# The words of the table cells that a line break splits (a word of one text node with more than one line box):
# at 390 px a table too wide for the screen scrolls in its region (.breed-tabel) instead of breaking words.
_GEBROKEN_WOORDEN = """selector => {
    const gebroken = [];
    for (const tabel of document.querySelectorAll(selector)) {
        const lopen = document.createTreeWalker(tabel, NodeFilter.SHOW_TEXT);
        for (let knoop = lopen.nextNode(); knoop; knoop = lopen.nextNode()) {
            const re = /\\S+/g;
            for (let m = re.exec(knoop.data); m; m = re.exec(knoop.data)) {
                const bereik = document.createRange();
                bereik.setStart(knoop, m.index);
                bereik.setEnd(knoop, m.index + m[0].length);
                const vakken = [...bereik.getClientRects()].filter(r => r.width > 0);
                const regels = new Set(vakken.map(r => Math.round(r.top)));
                if (regels.size > 1) {
                    const titel = tabel.caption ? tabel.caption.textContent.trim() : tabel.className;
                    gebroken.push(`${m[0]} (${titel})`);
                    tabel.setAttribute('data-gebroken', '');
                }
            }
        }
    }
    return gebroken;
}"""

# Is the element inside the viewport (to a pixel: a fragment scrolls by fractions)?
_IN_BEELD = """el => {
    const r = el.getBoundingClientRect();
    return r.top >= -1 && r.left >= -1 && r.bottom <= window.innerHeight + 1 && r.right <= window.innerWidth + 1;
}"""


def _woorden_heel(pagina: Any, naam: str) -> None:
    """At 390 px no word in a table of the page is broken over two lines."""
    eerder = pagina.viewport_size
    pagina.set_viewport_size(SMAL)
    try:
        gebroken = pagina.evaluate(_GEBROKEN_WOORDEN, "main table")
        if gebroken:
            pagina.locator("table[data-gebroken]").first.screenshot(path=str(ARTEFACTEN / f"{naam}-gebroken.png"))
        assert not gebroken, f"{naam} at 390 px breaks words in its tables: {gebroken[:10]}"
    finally:
        pagina.set_viewport_size(eerder)


def _bekijk(pagina: Any, naam: str) -> None:
    controleer(pagina, naam)
    _woorden_heel(pagina, naam)


def _heeft_focus_in_beeld(pagina: Any, selector: str) -> None:
    """The element has the focus (document.activeElement) and is within the viewport, and so is the error summary
    it heads."""
    pagina.wait_for_function("s => document.activeElement === document.querySelector(s)", arg=selector,
                             timeout=5_000)
    element = pagina.locator(selector)
    assert element.evaluate(_IN_BEELD), f"{selector} has the focus but is not in view at {pagina.viewport_size}"
    _in_beeld(pagina, "#foutsamenvatting")  # the whole summary, its border too


def _in_beeld(pagina: Any, selector: str) -> None:
    assert pagina.locator(selector).evaluate(_IN_BEELD), f"{selector} is not in view at {pagina.viewport_size}"


def _vraag_advies_aan(pagina: Any) -> None:
    """The casus of contract.md (tests/voorbeelden.py) entered in the form, submitted."""
    pagina.get_by_label("Casusnummer (pseudoniem)").fill(CASUS)
    pagina.fill("#peildatum", "2021-09-01")
    for i, lid in enumerate(VOORBEELD["leden"]):
        pagina.fill(f"#leden-{i}-id", lid["id"])
        pagina.fill(f"#leden-{i}-leeftijd", str(lid["leeftijd"]))
        for rol in lid["rollen"]:
            pagina.check(f"input[name='leden-{i}-rollen'][value='{rol}']")
    pagina.uncheck("#leden-1-meewerkend")
    pagina.check("input[name='geweld-binnen_huiselijke_kring'][value='ja']")
    pagina.check("input[name='geweld-structureel'][value='ja']")
    pagina.check("input[name='geweld-vormen'][value='fysiek']")
    pagina.check("input[name='geweld-vormen'][value='psychisch']")
    pagina.check("#geweld-intieme_terreur")
    pagina.check("input[name='veiligheid-niveau'][value='hoog']")
    pagina.check("input[name='vaardigheden'][value='beperkt']")
    pagina.check("input[name='signalen'][value='verslaving']")
    pagina.get_by_role("button", name="Advies aanvragen").click()
    pagina.wait_for_url("**/advies/*")


def test_herindicatie_pdf_and_besluit(browser: Any, server: str) -> None:
    pagina = aanmelden_in_browser(browser, server, "indicatiesteller", "/advies/nieuw")
    try:
        _vraag_advies_aan(pagina)
        pagina.get_by_role("heading", name=f"Advies voor casus {CASUS}").wait_for()
        eerste = pagina.url.split("#")[0]
        geschiedenis = pagina.locator("#geschiedenis")
        assert f"Dit is het enige advies van casus {CASUS}" in geschiedenis.inner_text()
        _bekijk(pagina, "herindicatie-eerste-advies")

        # Herindicatie: the form filled with the casus of this advies.
        pagina.get_by_role("link", name="Herindicatie", exact=True).click()
        pagina.wait_for_url("**/herindicatie")
        assert pagina.get_by_label("Casusnummer (pseudoniem)").input_value() == CASUS
        assert pagina.locator("#leden-0-id").input_value() == "moeder"
        assert pagina.locator("#leden-2-leeftijd").input_value() == "6"
        assert pagina.locator("input[name='veiligheid-niveau'][value='hoog']").is_checked()
        assert pagina.locator("#geweld-intieme_terreur").is_checked()
        assert "Herindicatie: het formulier is ingevuld" in pagina.locator("#herindicatie").inner_text()
        _bekijk(pagina, "herindicatie-formulier")
        # The situation improved: the safety risk is low now, no intimate terrorism.
        pagina.check("input[name='veiligheid-niveau'][value='laag']")
        pagina.uncheck("#geweld-intieme_terreur")
        pagina.get_by_role("button", name="Advies aanvragen").click()
        pagina.wait_for_url(lambda url: "/advies/" in url and not url.endswith("/herindicatie"))
        pagina.get_by_role("heading", name=f"Advies voor casus {CASUS}").wait_for()
        tweede = pagina.url.split("#")[0]
        assert tweede != eerste

        # The history: the earlier advies linked, the direction and what changed in words.
        tabel = pagina.get_by_role("table", name=f"Alle adviezen van casus {CASUS} die u mag inzien, het oudste eerst")
        rijen = tabel.locator("tbody tr")
        assert rijen.count() == 2
        assert "Eerste advies" in rijen.nth(0).inner_text()
        vorige = rijen.nth(0).get_by_role("link")
        assert vorige.get_attribute("href") == eerste.removeprefix(server)
        nu = rijen.nth(1)
        assert nu.get_attribute("aria-current") == "page" and "(dit advies)" in nu.inner_text()
        assert "Afgeschaald" in nu.inner_text() and "pakket: 3 →" in nu.inner_text()
        assert "Nog geen besluit" in nu.inner_text()
        assert pagina.get_by_role("region", name="Adviezen van deze casus").get_attribute("tabindex") == "0"
        geschiedenis.screenshot(path=str(ARTEFACTEN / "herindicatie-geschiedenis.png"))
        _bekijk(pagina, "herindicatie-tweede-advies")

        # The PDF behind the page's link, in this signed-in context.
        link = pagina.get_by_role("link", name="Download als pdf")
        antwoord = pagina.request.get(f"{server}{link.get_attribute('href')}")
        assert antwoord.status == 200
        assert antwoord.headers["content-type"].startswith("application/pdf")
        inhoud = antwoord.body()
        assert inhoud.startswith(b"%PDF")
        (ARTEFACTEN / "herindicatie-advies.pdf").write_bytes(inhoud)
        tekst = "\n".join(blad.extract_text() for blad in pypdf.PdfReader(io.BytesIO(inhoud)).pages)
        assert CASUS in tekst and "Besluit" in tekst

        # A besluit that deviates without its reason: the summary has the focus and is in view, at 1280 px ...
        besluit = pagina.locator("form.besluit")
        besluit.get_by_label("Afwijken van het advies").check()
        pakket = besluit.get_by_label("Pakket", exact=True)
        ander = "1" if pakket.input_value() != "1" else "2"
        pakket.select_option(ander)
        besluit.get_by_role("button", name="Besluit vastleggen").click()
        _heeft_focus_in_beeld(pagina, "#besluit-fouten")
        assert "Het besluit is niet vastgelegd" in pagina.locator("#foutsamenvatting").inner_text()
        assert pagina.get_by_label("Reden of toelichting").get_attribute("aria-invalid") == "true"
        pagina.screenshot(path=str(ARTEFACTEN / "herindicatie-besluit-fout.png"))
        _bekijk(pagina, "herindicatie-besluit-fout")
        # ... and at 390 px (the form came back with the choices kept; submitted again on a phone)
        pagina.set_viewport_size(SMAL)
        assert pagina.locator("form.besluit").get_by_label("Pakket", exact=True).input_value() == ander
        pagina.locator("form.besluit").get_by_role("button", name="Besluit vastleggen").click()
        _heeft_focus_in_beeld(pagina, "#besluit-fouten")
        pagina.screenshot(path=str(ARTEFACTEN / "herindicatie-besluit-fout-telefoon.png"))
        pagina.set_viewport_size(BREED)

        # The besluit form's address opened again (reload, bookmark): the advies page, not 405.
        assert pagina.url == f"{tweede}/besluit#besluit-fouten"
        opnieuw = pagina.goto(f"{tweede}/besluit")  # (the same address with its fragment would not load again)
        assert opnieuw is not None and opnieuw.status == 200
        assert pagina.url.split("#")[0] == tweede and pagina.url.endswith("#besluit")  # the redirect's fragment
        assert pagina.locator("#foutsamenvatting").count() == 0

        # With the reason: stored, the confirmation in the besluit section, in view.
        besluit = pagina.locator("form.besluit")
        besluit.get_by_label("Afwijken van het advies").check()
        besluit.get_by_label("Pakket", exact=True).select_option(ander)
        besluit.get_by_label("Reden of toelichting").fill("Het netwerk van moeder is sterker dan de casus laat zien.")
        besluit.get_by_role("button", name="Besluit vastleggen").click()
        pagina.wait_for_url(re.compile(r"\?besluit=vastgelegd#besluit$"))
        melding = pagina.locator("#besluit").get_by_role("status")
        assert melding.inner_text() == "Het besluit is vastgelegd."
        _in_beeld(pagina, "#besluit [role=status]")
        tabel = pagina.get_by_role("table", name="Vastgelegde besluiten (het laatste telt)")
        assert "sterker dan de casus" in tabel.inner_text()
        assert pagina.get_by_role("region", name="Vastgelegde besluiten").get_attribute("tabindex") == "0"
        nu = pagina.locator("#geschiedenis tbody tr").nth(1)
        assert "Afgeweken (pakket): Het netwerk van moeder" in nu.inner_text()
        pagina.locator("#besluit").screenshot(path=str(ARTEFACTEN / "herindicatie-besluit.png"))

        # On a phone: a new besluit (agreeing after all), its confirmation in view; the history shows the last one.
        pagina.set_viewport_size(SMAL)
        besluit = pagina.locator("form.besluit")
        assert besluit.get_by_role("group", name="Nieuw besluit vastleggen").is_visible()
        besluit.get_by_label("Akkoord met het advies").check()
        besluit.get_by_role("button", name="Besluit vastleggen").click()
        pagina.wait_for_function("() => document.querySelectorAll('table.besluiten tbody tr').length === 2")
        assert pagina.locator("#besluit").get_by_role("status").inner_text() == "Het besluit is vastgelegd."
        _in_beeld(pagina, "#besluit [role=status]")
        assert "Akkoord" in nu.inner_text()
        pagina.screenshot(path=str(ARTEFACTEN / "herindicatie-besluit-telefoon.png"))
        for deel in ("besluit", "geschiedenis"):
            pagina.locator(f"#{deel}").screenshot(path=str(ARTEFACTEN / f"herindicatie-{deel}-telefoon.png"))
        pagina.set_viewport_size(BREED)
        _bekijk(pagina, "herindicatie-besluit-vastgelegd")
    finally:
        pagina.context.close()


def test_find_work_with_the_filters_and_review(browser: Any, server: str) -> None:
    # Violence that is not structural: basishulp by the wijkteam, a short reasoning (a quick page to check).
    casus = {**VOORBEELD, "geweld": {**VOORBEELD["geweld"], "structureel": False}}
    adviezen = {naam: api_post(server, "/v1/advies", "indicatiesteller", {**casus, "casus_id": f"FLT-2026-{naam}"})
                for naam in ("BESLOTEN", "BEOORDEELD", "OPEN")}
    besloten = adviezen["BESLOTEN"]
    api_post(server, f"/v1/advies/{besloten['advies_id']}/besluit", "indicatiesteller",
             {"route": besloten["route"], "perceel": besloten["perceel"], "pakket": besloten["pakket"],
              "maatwerk": [m["resultaatgebied"] for m in besloten["maatwerk"]]})
    api_post(server, f"/v1/advies/{adviezen['BEOORDEELD']['advies_id']}/review", "hg_deskundige", {"oordeel": "eens"})
    pagina = aanmelden_in_browser(browser, server, "hg_deskundige", "/adviezen")

    def gevonden() -> set[str]:
        return set(pagina.locator("main table tbody th[scope=row]").all_inner_texts())

    try:
        # A partial, lower-case casusnummer and both filters.
        pagina.get_by_label("Casusnummer of een deel ervan").fill("flt-2026")
        pagina.get_by_role("button", name="Zoeken").click()
        pagina.wait_for_url("**/adviezen?casus=flt-2026*")
        assert gevonden() == {"FLT-2026-BESLOTEN", "FLT-2026-BEOORDEELD", "FLT-2026-OPEN"}
        filters = pagina.get_by_role("group", name="Alleen adviezen")
        filters.get_by_label("nog niet beoordeeld").check()
        pagina.get_by_role("button", name="Zoeken").click()
        pagina.wait_for_url("**niet_beoordeeld=ja*")
        assert gevonden() == {"FLT-2026-BESLOTEN", "FLT-2026-OPEN"}
        assert pagina.get_by_label("Casusnummer of een deel ervan").input_value() == "flt-2026"  # kept
        pagina.get_by_role("group", name="Alleen adviezen").get_by_label("zonder besluit").check()
        pagina.get_by_role("button", name="Zoeken").click()
        pagina.wait_for_url("**zonder_besluit=ja*")
        assert gevonden() == {"FLT-2026-OPEN"}
        assert pagina.get_by_role("group", name="Alleen adviezen").get_by_label("nog niet beoordeeld").is_checked()
        _bekijk(pagina, "adviezen-filters")

        # A review without its overall judgement: the summary has the focus and is in view.
        pagina.get_by_role("link", name="Onderbouwing van FLT-2026-OPEN").click()
        pagina.wait_for_url(f"**/advies/{adviezen['OPEN']['advies_id']}/onderbouwing")
        controleer(pagina, "filters-onderbouwing")
        pagina.get_by_label("Toelichting", exact=True).fill("Klopt met het beleid.")
        pagina.get_by_role("button", name="Review vastleggen").click()
        _heeft_focus_in_beeld(pagina, "#review")
        assert "De review is niet vastgelegd" in pagina.locator("#foutsamenvatting").inner_text()
        assert pagina.locator("#review-oordeel[aria-invalid=true]").count() == 1
        assert pagina.get_by_label("Toelichting", exact=True).input_value() == "Klopt met het beleid."
        pagina.screenshot(path=str(ARTEFACTEN / "filters-review-fout.png"))
        controleer(pagina, "filters-review-fout")
        pagina.set_viewport_size(SMAL)  # and on a phone
        pagina.get_by_role("button", name="Review vastleggen").click()
        _heeft_focus_in_beeld(pagina, "#review")
        pagina.screenshot(path=str(ARTEFACTEN / "filters-review-fout-telefoon.png"))
        pagina.set_viewport_size(BREED)

        # Properly: the confirmation in the reviews section, in view.
        pagina.get_by_role("group", name="Uw oordeel over de onderbouwing als geheel").get_by_label(
            "Eens", exact=True).check()
        pagina.get_by_role("button", name="Review vastleggen").click()
        pagina.wait_for_url(re.compile(r"/onderbouwing\?review=vastgelegd#reviews$"))
        melding = pagina.locator("#reviews").get_by_role("status")
        assert melding.inner_text() == "Uw review is vastgelegd."
        _in_beeld(pagina, "#reviews [role=status]")
        assert "Klopt met het beleid." in pagina.locator("#reviews").inner_text()
        controleer(pagina, "filters-review-vastgelegd")

        # Back to the list with the same search: nothing left to do there.
        pagina.goto(f"{server}/adviezen?casus=flt-2026&zonder_besluit=ja&niet_beoordeeld=ja")
        assert gevonden() == set()
        assert "Geen adviezen gevonden met ‘flt-2026’ in het casusnummer" in pagina.locator("main").inner_text()
        controleer(pagina, "adviezen-filters-leeg")
    finally:
        pagina.context.close()
